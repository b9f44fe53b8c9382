import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createReview, type Review, ReviewkitError, ReviewSchema } from '../../src/index.js';
import { CSV_COLUMNS, toCsv } from '../../src/import/csv.js';
import { parseReviewStream, parseReviews, readReviews, reviewFileFormatOf, streamReviewFile } from '../../src/import/read.js';
import { JsonArrayDecoder } from '../../src/import/json-array.js';
import { NdjsonDecoder } from '../../src/import/ndjson.js';
import { RowSink, type SkippedRow } from '../../src/import/rows.js';
import { ReviewJsonSchema } from '../../src/import/wire.js';
import { facebookReview, mention, samples, yelpReview } from './import-samples.js';

const root = new URL('../..', import.meta.url).pathname;
const fixture = (name: string) => join(root, 'test/fixtures/import', name);
const fixtureText = (name: string) => readFileSync(fixture(name), 'utf8');
const temp = mkdtempSync(join(tmpdir(), 'reviewkit-import-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The error a call throws (or a promise rejects with), for exact assertions on code and message. */
async function failure(run: () => unknown): Promise<ReviewkitError> {
  try {
    await run();
  } catch (error) {
    if (ReviewkitError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a ReviewkitError, nothing was thrown');
}

const HINT = ". Fix the row, or pass { onInvalid: 'skip' } to leave invalid rows out.";
const json = (value: unknown) => JSON.stringify(value);

// The CSV toCsv writes for the three samples: formula escapes (`'=HYPERLINK`, `'@grüße`,
// `'+1`), a doubled apostrophe (`''tis`), the empty string as `'` and null as an empty field.
const SAMPLES_CSV = `id,source,externalId,subject.id,subject.name,url,author.name,author.id,author.url,author.avatarUrl,rating.value,rating.min,rating.max,stars,recommendation,polarity,title,text,language,createdAt,updatedAt,datePrecision,replies,helpfulVotes,extra
yelp:xAG4O7l-t1ubbwVAlPnDKg,yelp,xAG4O7l-t1ubbwVAlPnDKg,cafe-example-sf,Café Example,https://www.yelp.com/biz/cafe-example-sf?hrid=xAG4O7l-t1ubbwVAlPnDKg,Ada L.,u-1001,,https://s3-media.example/a.jpg,4,1,5,4,,positive,,"Great coffee, friendly staff.
The ""house blend"" is a must.",en,2026-03-01T17:30:00.000Z,,instant,[],3,"{""isExcerpt"":true}"
facebook:1234567890_987,facebook,1234567890_987,1234567890,,,,,,,,,,,negative,negative,,"'=HYPERLINK(""http://evil.example"",""click"")",,2026-02-14T08:05:09.123Z,,instant,"[{""text"":""-- Sorry to hear that, please DM us"",""createdAt"":""2026-02-15T10:00:00.000Z"",""author"":""Café Example""}]",,{}
x:1790000000000000001,x,1790000000000000001,cafeexample,',,'@grüße 😀,42,,,,,,,,positive,''tis the season,"'+1 would sip again, 100%",de,,,,[],0,"{""metrics"":{""likes"":5},""lang"":""de""}"
`;

describe('ReviewJsonSchema', () => {
  it('reads a JSON-serialized review back to exactly the Review, dates as Dates', () => {
    for (const review of samples) {
      const back = ReviewJsonSchema.parse(JSON.parse(json(review)));
      expect(back).toEqual(review);
      expect(ReviewSchema.parse(back)).toEqual(review);
    }
    const back = ReviewJsonSchema.parse(JSON.parse(json(facebookReview)));
    expect(back.createdAt).toBeInstanceOf(Date);
    expect(back.replies[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('reads instants with offsets, every year Date can hold, and refuses local times and impossible dates', () => {
    const at = (createdAt: string) => ReviewJsonSchema.safeParse({ ...JSON.parse(json(yelpReview)), createdAt });
    expect(at('2026-03-01T18:30:00+01:00').data?.createdAt).toEqual(new Date('2026-03-01T17:30:00.000Z'));
    expect(at('2026-03-01T13:30:00-0400').data?.createdAt).toEqual(new Date('2026-03-01T17:30:00.000Z'));
    expect(at('2026-03-01T17:30:00Z').data?.createdAt).toEqual(new Date('2026-03-01T17:30:00.000Z'));
    expect(at('0050-06-01T00:00:00.000Z').data?.createdAt?.getUTCFullYear()).toBe(50);
    expect(at('+275760-09-13T00:00:00.000Z').data?.createdAt).toEqual(new Date(8.64e15));
    expect(at('-000001-01-01T00:00:00.000Z').data?.createdAt?.getUTCFullYear()).toBe(-1);
    const reason = (createdAt: string) => at(createdAt).error?.issues.map((i) => [i.path.join('.'), i.message]);
    expect(reason('2026-03-01T17:30:00')).toEqual([['createdAt', 'has no UTC offset: write an instant (2024-05-01T10:00:00Z or …+02:00)']]);
    expect(reason('2026-03-01')).toEqual([['createdAt', 'has no UTC offset: write an instant (2024-05-01T10:00:00Z or …+02:00)']]);
    expect(reason('2026-02-30T00:00:00.000Z')).toEqual([['createdAt', 'not a real date']]);
    expect(reason('yesterday')).toEqual([['createdAt', 'not an ISO 8601 date']]);
  });
});

describe('parseReviews: NDJSON', () => {
  it('reads exported NDJSON back to the exact reviews', () => {
    expect(parseReviews(fixtureText('reviews.ndjson'), { format: 'ndjson' })).toEqual(samples);
  });

  it('takes a byte order mark, CRLF line ends, blank lines and no final newline', () => {
    const [a, b, c] = samples.map(json);
    expect(parseReviews(`\ufeff${a}\r\n\r\n  \t\r\n${b}\r\n${c}`, { format: 'ndjson' })).toEqual(samples);
    expect(parseReviews('', { format: 'ndjson' })).toEqual([]);
    expect(parseReviews('\n\n', { format: 'ndjson' })).toEqual([]);
  });

  it('names the physical line and the field of a bad row', async () => {
    const [a, b] = samples.map(json);
    const badRating = json({ ...JSON.parse(json(yelpReview)), rating: { value: '4', min: 1, max: 5 } });
    const error = await failure(() => parseReviews(`${a}\n\n${badRating}\n${b}`, { format: 'ndjson' }));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.source).toBe('reviewkit');
    expect(error.message).toBe(`line 3: rating.value: expected number, received string${HINT}`);
  });

  it.each([
    ['a missing field', { ...JSON.parse(json(facebookReview)), subject: undefined }, 'subject: missing'],
    ['an unknown field', { ...JSON.parse(json(facebookReview)), stars5: 1 }, 'stars5: not a Review field'],
    ['a reply date that is not a date', { ...JSON.parse(json(facebookReview)), replies: [{ text: 'ok', createdAt: 'yesterday', author: null }] }, 'replies.0.createdAt: not an ISO 8601 date'],
    ['a local time', { ...JSON.parse(json(facebookReview)), updatedAt: '2026-02-14 08:05' }, 'updatedAt: has no UTC offset: write an instant (2024-05-01T10:00:00Z or …+02:00)'],
    ['an empty id', { ...JSON.parse(json(facebookReview)), id: '' }, 'id: Too small: expected string to have >=1 characters'],
    ['a rating outside its scale', { ...JSON.parse(json(yelpReview)), rating: { value: 6, min: 1, max: 5 } }, 'rating: rating.value must lie within [min, max] and max must exceed min'],
    ['an unknown polarity', { ...JSON.parse(json(yelpReview)), polarity: 'great' }, 'polarity: Invalid option: expected one of "positive"|"neutral"|"negative"'],
    ['an array', [1, 2], 'expected object, received array'],
  ])('names the field: %s', async (_name, row, expected) => {
    const error = await failure(() => parseReviews(`${json(yelpReview)}\n${json(row)}`, { format: 'ndjson' }));
    expect(error.message).toBe(`line 2: ${expected}${HINT}`);
  });

  it('a line that is not JSON is a bad row', async () => {
    const error = await failure(() => parseReviews(`${json(yelpReview)}\n{"id": "x",\n`, { format: 'ndjson' }));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toBe(`line 2: not valid JSON (Expected double-quoted property name in JSON at position 11)${HINT}`);
  });
});

describe('parseReviews: JSON', () => {
  const pretty = fixtureText('reviews.json');
  /** 1-based line on which the element holding `needle` starts (its `{` line). */
  const elementLine = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

  it('reads an exported JSON array back to the exact reviews', () => {
    expect(parseReviews(pretty, { format: 'json' })).toEqual(samples);
    expect(parseReviews(json(samples), { format: 'json' })).toEqual(samples);
    expect(parseReviews('\ufeff [ ] \n', { format: 'json' })).toEqual([]);
  });

  it('names the line where the bad element starts, and the field', async () => {
    const text = pretty.replace('"recommendation": "negative"', '"recommendation": "meh"');
    const line = elementLine(text, '"id": "facebook:');
    expect(line).toBe(37);
    const error = await failure(() => parseReviews(text, { format: 'json' }));
    expect(error.message).toBe(`line 37: recommendation: Invalid option: expected one of "positive"|"negative"${HINT}`);
  });

  it('an element that is not JSON is one bad row; the rest of the array is kept with skip', () => {
    const text = `[\n${json(yelpReview)},\n{"id": tru, "x": [1, 2]},\n${json(mention)}\n]`;
    const skipped: SkippedRow[] = [];
    expect(parseReviews(text, { format: 'json', onInvalid: 'skip', onSkip: (row) => skipped.push(row) })).toEqual([yelpReview, mention]);
    expect(skipped).toEqual([
      { line: 3, id: null, path: '', reason: "not valid JSON (Unexpected token ',')", message: "line 3: not valid JSON (Unexpected token ',')" },
    ]);
  });

  it('strings holding brackets, commas, quotes and backslashes do not split elements', () => {
    const tricky = ReviewSchema.parse(createReview('custom', { externalId: 'a],[{"b"', subject: { id: '}{' }, text: 'x", ]}, [{ \\" \\\\ \n,', createdAt: null }));
    expect(parseReviews(json([tricky, yelpReview, tricky]), { format: 'json' })).toEqual([tricky, yelpReview, tricky]);
  });

  it.each([
    ['an object', '{"reviews": []}', 'line 1: expected a JSON array of reviews, found an object'],
    ['no text', ' \n ', 'line 2: expected a JSON array of reviews, found no text'],
    ['a cut-short array', `[\n${json(yelpReview)},\n${json(mention).slice(0, 40)}`, 'line 3: the JSON array is not closed (is the file cut short?)'],
    ['an unclosed array', `[\n${json(yelpReview)}\n`, 'line 2: the JSON array is not closed (is the file cut short?)'],
    ['an empty element', `[\n${json(yelpReview)},\n,${json(mention)}]`, 'line 3: empty element in the JSON array'],
    ['a trailing comma', `[${json(yelpReview)},\n]`, 'line 2: trailing comma in the JSON array'],
    ['text after the array', '[]\n[]', 'line 2: unexpected text after the JSON array'],
  ])('text that cannot be split into elements always throws: %s', async (_name, text, message) => {
    for (const onInvalid of ['throw', 'skip'] as const) {
      const error = await failure(() => parseReviews(text, { format: 'json', onInvalid, onSkip: () => {} }));
      expect(error.code).toBe('BAD_RESPONSE');
      expect(error.message).toBe(message);
    }
  });
});

describe('parseReviews: CSV', () => {
  it('toCsv writes exactly the documented layout', () => {
    expect(toCsv(samples)).toBe(SAMPLES_CSV);
    expect(fixtureText('reviews.csv')).toBe(SAMPLES_CSV);
    expect(toCsv([])).toBe(`${CSV_COLUMNS.join(',')}\n`);
    expect(toCsv([yelpReview], { bom: true })).toBe(`\ufeff${toCsv([yelpReview])}`);
  });

  it('reads the toCsv layout back to the exact reviews', () => {
    expect(parseReviews(SAMPLES_CSV, { format: 'csv' })).toEqual(samples);
    expect(parseReviews(toCsv([]), { format: 'csv' })).toEqual([]);
  });

  it('takes the columns in any order, CRLF line ends, a byte order mark and blank lines', () => {
    const records = parseCsv(SAMPLES_CSV) as string[][];
    const reordered = stringifyCsv(
      records.map((cells) => [...cells].reverse()),
      { bom: true, record_delimiter: 'windows' },
    );
    expect(reordered.startsWith('\ufeffextra,helpfulVotes,replies,')).toBe(true);
    expect(parseReviews(`${reordered}\r\n\r\n`, { format: 'csv' })).toEqual(samples);
  });

  it('names the line where the bad record starts (after a record spanning two lines) and the field', async () => {
    const text = SAMPLES_CSV.replace(',negative,negative,', ',meh,negative,');
    const error = await failure(() => parseReviews(text, { format: 'csv' }));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toBe(`line 4: recommendation: Invalid option: expected one of "positive"|"negative"${HINT}`);
  });

  it.each([
    ['a number field holding text', (t: string) => t.replace(',4,1,5,4,', ',four,1,5,4,'), 'line 2: rating.value: expected number, received string'],
    ['half a rating', (t: string) => t.replace(',4,1,5,4,', ',4,,5,4,'), 'line 2: rating.min: expected number, received null'],
    ['a bad date', (t: string) => t.replace('2026-02-14T08:05:09.123Z', '14/02/2026'), 'line 4: createdAt: not an ISO 8601 date'],
    ['replies that are not JSON', (t: string) => t.replace(',instant,[],3,', ',instant,[oops,3,'), 'line 2: replies: not valid JSON'],
    ['extra that is not JSON', (t: string) => t.replace(',,{}\n', ',,{\n'), 'line 4: extra: not valid JSON'],
    ['a missing field', (t: string) => t.replace(',42,,,,,,,,positive,', ',42,,,,,,,positive,'), 'line 5: has 24 fields, the header has 25'],
    ['an empty required id', (t: string) => t.replace('x:1790000000000000001,x,', ',x,'), 'line 5: id: Too small: expected string to have >=1 characters'],
  ])('names the field: %s', async (_name, edit, message) => {
    const error = await failure(() => parseReviews(edit(SAMPLES_CSV), { format: 'csv' }));
    expect(error.message).toBe(`${message}${HINT}`);
  });

  it.each([
    ['no text at all', '', 'line 1: no header row: expected the columns toCsv writes (id, source, externalId, subject.id, subject.name, url, author.name, author.id, author.url, author.avatarUrl, rating.value, rating.min, rating.max, stars, recommendation, polarity, title, text, language, createdAt, updatedAt, datePrecision, replies, helpfulVotes, extra)'],
    ['an unknown column', SAMPLES_CSV.replace(',helpfulVotes,', ',score,'), 'line 1: unknown column "score" in the header: expected the columns toCsv writes ('],
    ['a missing column', SAMPLES_CSV.replace(',helpfulVotes,extra\n', ',helpfulVotes\n'), 'line 1: the header lacks column extra'],
    ['a column twice', SAMPLES_CSV.replace(',helpfulVotes,', ',id,'), 'line 1: column id appears twice in the header'],
    ['a quote never closed', SAMPLES_CSV.replace('"{""isExcerpt"":true}"', '"{""isExcerpt"":true}'), 'line 2: broken CSV: Invalid Closing Quote: got "\'" at line 4'],
  ])('text that is not the toCsv layout always throws: %s', async (_name, text, message) => {
    for (const onInvalid of ['throw', 'skip'] as const) {
      const error = await failure(() => parseReviews(text, { format: 'csv', onInvalid, onSkip: () => {} }));
      expect(error.code).toBe('BAD_RESPONSE');
      expect(error.message.startsWith(message)).toBe(true);
    }
  });

  it('keeps null apart from the empty string', () => {
    const review = ReviewSchema.parse(createReview('custom', { externalId: 'e', subject: { id: '', name: '' }, title: '', text: null, url: "'", createdAt: null }));
    const csv = toCsv([review]);
    expect(csv.split('\n')[1]).toBe("custom:e,custom,e,',','',,,,,,,,,,,',,,,,,[],,{}");
    expect(parseReviews(csv, { format: 'csv' })).toEqual([review]);
  });
});

describe('CSV injection', () => {
  const texts = ['=1+1', '+1 great', '-1 star', '@SUM(A1)', '\tx', '\rx', '\r\nx', '＝1', '＋1', '－1', '＠x', "'=1", "'", "''", "'abc", '', 'plain', '1-2', 'a=b'];

  it.each(texts.map((text) => [JSON.stringify(text), text]))('escapes %s so a spreadsheet shows text, and reads it back exactly', (_name, text) => {
    const review = ReviewSchema.parse(createReview('custom', { externalId: 'i', subject: { id: 's' }, text, createdAt: null }));
    const csv = toCsv([review]);
    const [header, cells] = parseCsv(csv) as [string[], string[]];
    const cell = cells[header.indexOf('text')];
    const isEscaped = /^[=+\-@\t\r＝＋－＠']/.test(text) || text === '';
    expect(cell).toBe(isEscaped ? `'${text}` : text);
    expect(parseReviews(csv, { format: 'csv' })).toEqual([review]);
  });

  it('keeps negative numbers as numbers', () => {
    const review = ReviewSchema.parse(createReview('custom', { externalId: 'n', subject: { id: 's' }, rating: { value: -2, min: -5, max: 5 }, createdAt: null }));
    const [header, cells] = parseCsv(toCsv([review])) as [string[], string[]];
    expect([cells[header.indexOf('rating.value')], cells[header.indexOf('rating.min')]]).toEqual(['-2', '-5']);
    expect(parseReviews(toCsv([review]), { format: 'csv' })).toEqual([review]);
  });

  it('refuses to write what it cannot read back, naming the review and field', async () => {
    const review = { ...yelpReview, extra: { big: 10n } };
    const error = await failure(() => toCsv([mention, review]));
    expect(error.code).toBe('CONFIG');
    expect(error.message).toBe('toCsv: review #1 (yelp:xAG4O7l-t1ubbwVAlPnDKg): extra: Do not know how to serialize a BigInt');
    const badDate = await failure(() => toCsv([{ ...mention, createdAt: new Date(Number.NaN) }]));
    expect(badDate.message).toBe('toCsv: review #0 (x:1790000000000000001): createdAt: Invalid time value');
  });
});

// Valid reviews with the texts that break naive CSV and JSON handling.
const TRICKY_UNITS = ['a', ' ', ',', '"', "'", '\n', '\r', '\t', '=', '+', '-', '@', '＝', '＋', '－', '＠', '\\', '[', ']', '{', '}', 'é', '😀', '\u2028', '👩‍👩‍👧'];
const textArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom(...TRICKY_UNITS), maxLength: 12 }),
  fc.tuple(fc.constantFrom('=', '+', '-', '@', "'", "''", '\t', '\r\n', '＝', '"'), fc.string({ maxLength: 8 })).map(([head, tail]) => head + tail),
);
const idArb = textArb.filter((s) => s.length > 0);
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const instantArb = fc.date({ noInvalidDate: true });
const finiteArb = fc.double({ noNaN: true, noDefaultInfinity: true });
const ratingArb = fc.oneof(
  fc.tuple(finiteArb, finiteArb, finiteArb).map((n) => [...n].sort((a, b) => a - b) as [number, number, number]).filter(([min, , max]) => max > min).map(([min, value, max]) => ({ value, min, max })),
  fc.integer({ min: 1, max: 5 }).map((value) => ({ value, min: 1, max: 5 })),
);
const reviewArb: fc.Arbitrary<Review> = fc.record({
  id: idArb,
  source: idArb,
  externalId: idArb,
  subject: fc.record({ id: textArb, name: nullable(textArb) }),
  url: nullable(textArb),
  author: fc.record({ name: nullable(textArb), id: nullable(textArb), url: nullable(textArb), avatarUrl: nullable(textArb) }),
  rating: nullable(ratingArb),
  stars: nullable(fc.double({ min: 1, max: 5, noNaN: true })),
  recommendation: nullable(fc.constantFrom('positive' as const, 'negative' as const)),
  polarity: nullable(fc.constantFrom('positive' as const, 'neutral' as const, 'negative' as const)),
  title: nullable(textArb),
  text: nullable(textArb),
  language: nullable(textArb),
  createdAt: nullable(instantArb),
  updatedAt: nullable(instantArb),
  datePrecision: nullable(fc.constantFrom('instant' as const, 'day' as const, 'month' as const, 'relative' as const)),
  replies: fc.array(fc.record({ text: textArb, createdAt: nullable(instantArb), author: nullable(textArb) }), { maxLength: 3 }),
  helpfulVotes: nullable(fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constant(-0))),
  // extra is JSON data; JSON has no -0 and no undefined, so the generator speaks JSON too.
  extra: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 })).map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>),
});
const reviewsArb = fc.array(reviewArb, { maxLength: 6 });

describe('round trip (property)', () => {
  it('generated reviews are valid Reviews', () => {
    fc.assert(fc.property(reviewArb, (review) => ReviewSchema.safeParse(review).success), { numRuns: 200 });
  });

  it('parseReviews(toCsv(r), { format: "csv" }) deep-equals r, and no written field starts a formula', () => {
    fc.assert(
      fc.property(reviewsArb, (reviews) => {
        const csv = toCsv(reviews);
        expect(parseReviews(csv, { format: 'csv' })).toEqual(reviews);
        for (const cells of (parseCsv(csv) as string[][]).slice(1)) {
          for (const cell of cells) {
            if (/^[=+\-@\t\r＝＋－＠]/.test(cell)) expect(Number.isNaN(Number(cell))).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('NDJSON and JSON exports read back deep-equal (-0 aside, which JSON cannot write)', () => {
    fc.assert(
      fc.property(reviewsArb, (reviews) => {
        const expected = reviews.map((review) => ReviewSchema.parse(withoutNegativeZero(review)));
        expect(parseReviews(reviews.map(json).join('\n'), { format: 'ndjson' })).toEqual(expected);
        expect(parseReviews(JSON.stringify(reviews, null, 2), { format: 'json' })).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('the NDJSON and JSON decoders give the same reviews however the text is cut into chunks', () => {
    const decode = (Decoder: typeof NdjsonDecoder | typeof JsonArrayDecoder, chunks: string[]) => {
      const out: Review[] = [];
      const decoder = new Decoder(new RowSink({}, ''));
      for (const chunk of chunks) decoder.push(chunk, out);
      decoder.end(out);
      return out;
    };
    fc.assert(
      fc.property(reviewsArb, fc.array(fc.nat(), { maxLength: 12 }), (reviews, cuts) => {
        const expected = reviews.map((review) => ReviewSchema.parse(withoutNegativeZero(review)));
        for (const [Decoder, text] of [
          [NdjsonDecoder, `${reviews.map(json).join('\r\n')}\n`],
          [JsonArrayDecoder, JSON.stringify(reviews, null, 1)],
        ] as const) {
          const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((start, i) => text.slice(start, at[i] ?? text.length));
          expect(decode(Decoder, chunks)).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** What JSON makes of a review: -0 becomes 0 (JSON has no negative zero). */
function withoutNegativeZero(review: Review): Review {
  return ReviewJsonSchema.parse(JSON.parse(JSON.stringify(review)));
}

describe('onInvalid: skip', () => {
  const badRating = json({ ...JSON.parse(json(yelpReview)), id: 'yelp:bad', rating: { value: 'five', min: 1, max: 5 } });
  const text = [json(yelpReview), badRating, 'not json', json(mention)].join('\n');

  it('leaves invalid rows out and reports each to onSkip, in order', () => {
    const skipped: SkippedRow[] = [];
    expect(parseReviews(text, { format: 'ndjson', onInvalid: 'skip', onSkip: (row) => skipped.push(row) })).toEqual([yelpReview, mention]);
    expect(skipped).toEqual([
      { line: 2, id: 'yelp:bad', path: 'rating.value', reason: 'expected number, received string', message: 'line 2: rating.value: expected number, received string' },
      { line: 3, id: null, path: '', reason: "not valid JSON (Unexpected token 'o')", message: "line 3: not valid JSON (Unexpected token 'o')" },
    ]);
  });

  it('reports CSV rows with the line their record starts on', () => {
    const csv = SAMPLES_CSV.replace(',negative,negative,', ',meh,negative,').replace(',42,,,,,,,,positive,', ',42,,,,,,,positive,');
    const skipped: SkippedRow[] = [];
    expect(parseReviews(csv, { format: 'csv', onInvalid: 'skip', onSkip: (row) => skipped.push(row) })).toEqual([yelpReview]);
    expect(skipped.map((row) => row.message)).toEqual([
      'line 4: recommendation: Invalid option: expected one of "positive"|"negative"',
      'line 5: has 24 fields, the header has 25',
    ]);
    expect(skipped.map((row) => row.id)).toEqual(['facebook:1234567890_987', null]);
  });

  it('without onSkip, one process warning says how many rows were left out', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    try {
      expect(parseReviews(text, { format: 'ndjson', onInvalid: 'skip' })).toEqual([yelpReview, mention]);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    expect(warnings.map((w) => [w.name, (w as NodeJS.ErrnoException).code, w.message])).toEqual([
      [
        'ReviewkitWarning',
        'REVIEWKIT_SKIPPED_ROWS',
        'reviewkit left out 2 invalid rows (first: line 2: rating.value: expected number, received string); pass onSkip to receive each one',
      ],
    ]);
  });
});

describe('options', () => {
  it.each([
    [{}, "parseReviews: options.format must be 'ndjson', 'json' or 'csv'"],
    [{ format: 'xml' }, "parseReviews: options.format must be 'ndjson', 'json' or 'csv', got 'xml'"],
    [{ format: 'csv', onInvalid: 'ignore' }, "parseReviews: options.onInvalid must be 'throw' or 'skip', got 'ignore'"],
    [{ format: 'csv', onSkip: 'log' }, 'parseReviews: options.onSkip must be a function'],
  ])('a bad option is a CONFIG error naming it: %j', async (options, message) => {
    const error = await failure(() => parseReviews('', options as never));
    expect([error.code, error.message]).toEqual(['CONFIG', message]);
  });

  it('text must be a string', async () => {
    const error = await failure(() => parseReviews(Buffer.from('[]') as never, { format: 'json' }));
    expect([error.code, error.message]).toEqual(['CONFIG', 'parseReviews: text must be a string (the file’s content; readReviews reads a file)']);
  });
});

describe('readReviews and streamReviewFile', () => {
  it.each([
    ['reviews.ndjson', 'ndjson'],
    ['reviews.json', 'json'],
    ['reviews.csv', 'csv'],
  ])('reads %s by its extension', async (name, format) => {
    expect(reviewFileFormatOf(fixture(name))).toBe(format);
    expect(await readReviews(fixture(name))).toEqual(samples);
  });

  it('knows .jsonl and extensions in any case, and options.format overrides the extension', async () => {
    const copy = (from: string, to: string) => {
      copyFileSync(fixture(from), join(temp, to));
      return join(temp, to);
    };
    expect(await readReviews(copy('reviews.ndjson', 'r.jsonl'))).toEqual(samples);
    expect(await readReviews(copy('reviews.csv', 'R.CSV'))).toEqual(samples);
    expect(await readReviews(copy('reviews.json', 'R.Json'))).toEqual(samples);
    expect(await readReviews(copy('reviews.csv', 'export.txt'), { format: 'csv' })).toEqual(samples);
    expect(reviewFileFormatOf('a/b.NDJSON')).toBe('ndjson');
  });

  it('an unknown extension is a CONFIG error naming the file, before any file is opened', async () => {
    const missing = join(temp, 'nowhere', 'reviews.txt');
    const error = await failure(() => readReviews(missing));
    expect([error.code, error.message]).toEqual(['CONFIG', `Cannot tell the format of ${missing} from its extension .txt: name it .ndjson, .jsonl, .json or .csv, or pass { format: 'ndjson' | 'json' | 'csv' }`]);
    const bare = await failure(() => reviewFileFormatOf('reviews'));
    expect(bare.message).toBe("Cannot tell the format of reviews from its extension: name it .ndjson, .jsonl, .json or .csv, or pass { format: 'ndjson' | 'json' | 'csv' }");
    // streamReviewFile checks when called, not when iterated.
    expect(() => streamReviewFile(missing)).toThrow(ReviewkitError);
    expect(() => streamReviewFile(fixture('reviews.csv'), { onInvalid: 'drop' as never })).toThrow("streamReviewFile: options.onInvalid must be 'throw' or 'skip', got 'drop'");
  });

  it('a missing file is NOT_FOUND naming the path; a directory is CONFIG', async () => {
    const missing = join(temp, 'missing.ndjson');
    const error = await failure(() => readReviews(missing));
    expect([error.code, error.message]).toEqual(['NOT_FOUND', `No file at ${missing}: check the path`]);
    expect(error.cause).toBeInstanceOf(Error);
    mkdirSync(join(temp, 'folder.json'), { recursive: true });
    for (const format of ['json', 'csv'] as const) {
      const folder = await failure(() => readReviews(join(temp, 'folder.json'), { format }));
      expect([folder.code, folder.message]).toEqual(['CONFIG', `${join(temp, 'folder.json')} is a directory, not a file of reviews`]);
    }
  });

  it('a bad row in a file names the file, the line and the field; skip reports it', async () => {
    const path = join(temp, 'bad.csv');
    writeFileSync(path, SAMPLES_CSV.replace('2026-02-14T08:05:09.123Z', '2026-02-14 08:05'));
    const error = await failure(() => readReviews(path));
    expect([error.code, error.message]).toEqual(['BAD_RESPONSE', `${path}: line 4: createdAt: has no UTC offset: write an instant (2024-05-01T10:00:00Z or …+02:00)${HINT}`]);
    const skipped: SkippedRow[] = [];
    expect(await readReviews(path, { onInvalid: 'skip', onSkip: (row) => skipped.push(row) })).toEqual([yelpReview, mention]);
    expect(skipped).toEqual([
      {
        line: 4,
        id: 'facebook:1234567890_987',
        path: 'createdAt',
        reason: 'has no UTC offset: write an instant (2024-05-01T10:00:00Z or …+02:00)',
        message: `${path}: line 4: createdAt: has no UTC offset: write an instant (2024-05-01T10:00:00Z or …+02:00)`,
      },
    ]);
    const broken = join(temp, 'broken.json');
    writeFileSync(broken, `[\n${json(yelpReview)},\n`);
    const brokenError = await failure(() => readReviews(broken, { onInvalid: 'skip' }));
    expect(brokenError.message).toBe(`${broken}: line 3: the JSON array is not closed (is the file cut short?)`);
  });

  it('reads files larger than one read chunk, multi-byte text across chunk boundaries, in every format', async () => {
    const many = Array.from({ length: 1500 }, (_, i) =>
      ReviewSchema.parse(
        createReview('chunked', {
          externalId: String(i),
          subject: { id: 'café' },
          text: `${'☕é😀'.repeat(i % 50)} review ${i}, "quoted"\n=line two`,
          rating: { value: 1 + (i % 5), min: 1, max: 5 },
          createdAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000),
        }),
      ),
    );
    const files = {
      'many.ndjson': many.map(json).join('\n'),
      'many.json': JSON.stringify(many, null, 2),
      'many.csv': toCsv(many),
    };
    for (const [name, content] of Object.entries(files)) {
      const path = join(temp, name);
      writeFileSync(path, content);
      expect(statSync(path).size).toBeGreaterThan(2 * 256 * 1024);
      expect(await readReviews(path)).toEqual(many);
    }
  });

  it('streams in order; breaking out stops reading', async () => {
    const seen: string[] = [];
    for await (const review of streamReviewFile(fixture('reviews.json'))) {
      seen.push(review.id);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([yelpReview.id, facebookReview.id]);
  });

  it('an aborted signal stops reading with ABORTED', async () => {
    const before = await failure(() => readReviews(fixture('reviews.ndjson'), { signal: AbortSignal.abort() }));
    expect([before.code, before.message]).toEqual(['ABORTED', `Reading ${fixture('reviews.ndjson')} was aborted`]);
    for (const name of ['reviews.ndjson', 'reviews.json', 'reviews.csv']) {
      const controller = new AbortController();
      const seen: string[] = [];
      const during = await failure(async () => {
        for await (const review of streamReviewFile(fixture(name), { signal: controller.signal })) {
          seen.push(review.id);
          controller.abort();
        }
      });
      expect(during.code).toBe('ABORTED');
      expect(seen).toEqual([yelpReview.id]);
    }
  });
});

describe('parseReviewStream', () => {
  const collect = async (iterable: AsyncIterable<Review>) => {
    const out: Review[] = [];
    for await (const review of iterable) out.push(review);
    return out;
  };
  /** The bytes of `text`, cut into pieces of `size` bytes: multi-byte characters straddle pieces. */
  const pieces = (text: string, size: number) => {
    const bytes = Buffer.from(text);
    return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  };

  it.each([
    ['ndjson', 'reviews.ndjson'],
    ['json', 'reviews.json'],
    ['csv', 'reviews.csv'],
  ] as const)('reads %s from bytes cut inside multi-byte characters', async (format, name) => {
    for (const size of [1, 7, 64]) {
      expect(await collect(parseReviewStream(Readable.from(pieces(fixtureText(name), size)), { format }))).toEqual(samples);
    }
    expect(await collect(parseReviewStream(Readable.from([fixtureText(name)]), { format }))).toEqual(samples);
  });

  it('reads a gzipped export through a gunzip stream', async () => {
    const input = Readable.from([gzipSync(fixtureText('reviews.csv'))]).pipe(createGunzip());
    expect(await collect(parseReviewStream(input, { format: 'csv' }))).toEqual(samples);
  });

  it('names lines without a file name, and needs a format', async () => {
    const error = await failure(() => collect(parseReviewStream(Readable.from([`${json(yelpReview)}\n{}\n`]), { format: 'ndjson' })));
    expect(error.message).toBe(`line 2: id: missing${HINT}`);
    const csvError = await failure(() => collect(parseReviewStream(Readable.from(['id,source\n']), { format: 'csv' })));
    expect(csvError.message.startsWith('line 1: the header lacks columns externalId, subject.id,')).toBe(true);
    expect(() => parseReviewStream(Readable.from([]), {} as never)).toThrow("parseReviewStream: options.format must be 'ndjson', 'json' or 'csv'");
    expect(() => parseReviewStream('text' as never, { format: 'json' })).toThrow('parseReviewStream: input must be a readable stream or another async iterable of text or bytes');
  });

  it('a failing input rejects with its error (NDJSON and JSON after the reviews read before it)', async () => {
    async function* failingAfter(text: string) {
      yield Buffer.from(text);
      throw new Error('connection reset');
    }
    const firstCsvRecord = `${SAMPLES_CSV.slice(0, SAMPLES_CSV.indexOf('\nfacebook:'))}\n`;
    for (const [format, text] of [
      ['ndjson', `${json(yelpReview)}\n`],
      ['json', `[${json(yelpReview)},`],
      ['csv', firstCsvRecord],
    ] as const) {
      const seen: string[] = [];
      const error = await (async () => {
        try {
          for await (const review of parseReviewStream(failingAfter(text), { format })) seen.push(review.id);
        } catch (caught) {
          return caught;
        }
        return null;
      })();
      expect(error).toEqual(new Error('connection reset'));
      // csv-parse's stream drops records it parsed but nobody read yet when its input fails.
      if (format === 'csv') expect([[], [yelpReview.id]]).toContainEqual(seen);
      else expect(seen).toEqual([yelpReview.id]);
    }
  });
});

describe('streamReviewFile memory', () => {
  const HEAP_MB = 48;
  const run = promisify(execFile);

  /** One synthetic exported review per line, built by string templates so generation is quick. */
  function line(i: number): string {
    const stars = 1 + (i % 5);
    const createdAt = new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString();
    return `{"id":"memtest:r${i}","source":"memtest","externalId":"r${i}","subject":{"id":"shop-1","name":"Café Example"},"url":"https://reviews.example/r/${i}","author":{"name":"Reviewer ${i % 997}","id":"u${i % 997}","url":null,"avatarUrl":null},"rating":{"value":${stars},"min":1,"max":5},"stars":${stars},"recommendation":null,"polarity":"${stars >= 4 ? 'positive' : stars <= 2 ? 'negative' : 'neutral'}","title":null,"text":"Review ${i}: the coffee was fine, the service \\"friendly\\" — ☕ would come back. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.","language":"en","createdAt":"${createdAt}","updatedAt":null,"datePrecision":"instant","replies":[${i % 3 === 0 ? `{"text":"Thank you!","createdAt":"${createdAt}","author":"Owner"}` : ''}],"helpfulVotes":${i % 7},"extra":{"n":${i}}}`;
  }

  it(`streams a 200,000-review NDJSON file in a child process limited to a ${HEAP_MB} MB heap`, async () => {
    const count = 200_000;
    const path = join(temp, 'big.ndjson');
    writeFileSync(path, '');
    let votes = 0;
    for (let start = 0; start < count; start += 10_000) {
      const lines: string[] = [];
      for (let i = start; i < start + 10_000; i++) {
        lines.push(line(i));
        votes += i % 7;
      }
      writeFileSync(path, `${lines.join('\n')}\n`, { flag: 'a' });
    }
    // The reviews alone, kept, would need several times the heap the child gets.
    expect(statSync(path).size).toBeGreaterThan(2 * HEAP_MB * 2 ** 20);
    const { stdout } = await run(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', join(root, 'test/core/import-memory-child.ts'), path], { cwd: root });
    const result = JSON.parse(stdout) as { count: number; votes: number; lastId: string; peakHeapMB: number };
    expect({ count: result.count, votes: result.votes, lastId: result.lastId }).toEqual({ count, votes, lastId: `memtest:r${count - 1}` });
    expect(result.peakHeapMB).toBeLessThan(HEAP_MB);
  }, 90_000);
});
