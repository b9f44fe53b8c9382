import type { Options as ParseOptions, InfoRecord } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { ReviewkitError } from '../errors.js';
import type { Review } from '../review.js';
import type { RowSink } from './rows.js';

/**
 * The columns `toCsv` writes, in order, and `parseReviews(…, { format: 'csv' })` expects (in any
 * order). Nested objects are flattened with dotted names; `replies` and `extra` hold JSON.
 */
export const CSV_COLUMNS = [
  'id',
  'source',
  'externalId',
  'subject.id',
  'subject.name',
  'url',
  'author.name',
  'author.id',
  'author.url',
  'author.avatarUrl',
  'rating.value',
  'rating.min',
  'rating.max',
  'stars',
  'recommendation',
  'polarity',
  'title',
  'text',
  'language',
  'createdAt',
  'updatedAt',
  'datePrecision',
  'replies',
  'helpfulVotes',
  'extra',
] as const;

/** One of {@link CSV_COLUMNS}. */
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Options of `toCsv`. */
export interface ToCsvOptions {
  /**
   * Start with a UTF-8 byte order mark, which Excel needs to read non-ASCII text correctly.
   * `parseReviews` and `readReviews` accept the file either way. Default `false`.
   */
  bom?: boolean;
}

type Cell = string | number | null;

/** Guards memory against a file whose quoting is broken (a quote never closed swallows the rest). */
const MAX_RECORD_CHARS = 16 * 1024 * 1024;

/**
 * Writes reviews as CSV with a header row ({@link CSV_COLUMNS}); `parseReviews(text, { format:
 * 'csv' })` reads it back to reviews deep-equal to these.
 *
 * The layout, so spreadsheets and other tools can use it too:
 * - one column per field, nested fields dotted (`subject.id`, `author.name`, `rating.value`,
 *   `rating.min`, `rating.max`); `replies` and `extra` as JSON (dates as ISO 8601 strings);
 * - dates as ISO 8601 UTC instants (`2026-03-01T09:30:00.000Z`);
 * - fields are quoted only when they must be (a comma, quote or line break inside), lines end
 *   with `\n`;
 * - **a leading `'` is an escape**, and the reader removes exactly one from every field:
 *   - formula escaping (CSV injection): a text starting with `=`, `+`, `-`, `@`, a tab or a
 *     carriage return (or their full-width forms) is written with a leading `'`, so a spreadsheet
 *     shows it as text instead of running it;
 *   - a text that itself starts with `'` gets a second one;
 *   - `null` is an empty field and the empty string is a lone `'` (a rule a spreadsheet keeps
 *     when it saves the file again, unlike `""`); a review without a rating leaves all three
 *     `rating.*` fields empty.
 *
 * @throws ReviewkitError `CONFIG` when a review cannot be written (an invalid date, an `extra`
 * value JSON cannot hold such as a BigInt), naming the review and the field.
 */
export function toCsv(reviews: Iterable<Review>, options: ToCsvOptions = {}): string {
  const records: Cell[][] = [];
  let index = 0;
  for (const review of reviews) {
    records.push(toRecord(review, index));
    index++;
  }
  return stringify(records, {
    header: true,
    columns: [...CSV_COLUMNS],
    bom: options.bom === true,
    // https://owasp.org/www-community/attacks/CSV_Injection — csv-stringify prefixes `'`.
    escape_formulas: true,
    cast: {
      string: escapeApostrophe,
      // String(-0) is "0"; keep the sign so every number reads back exactly.
      number: (value) => (Object.is(value, -0) ? '-0' : String(value)),
    },
  });
}

/**
 * A leading `'` is the escape the reader removes (csv-stringify adds it before formulas): a text
 * that really starts with one gets a second, and the empty string is a lone `'` so that it stays
 * apart from `null` (an empty field).
 */
function escapeApostrophe(value: string): string {
  return value === '' || value.charCodeAt(0) === APOSTROPHE ? `'${value}` : value;
}

const APOSTROPHE = 0x27;

function toRecord(review: Review, index: number): Cell[] {
  const field = (name: string, write: () => Cell): Cell => {
    try {
      return write();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const id = typeof review?.id === 'string' ? ` (${review.id.slice(0, 100)})` : '';
      throw new ReviewkitError({ code: 'CONFIG', message: `toCsv: review #${index}${id}: ${name}: ${reason}` });
    }
  };
  const rating = review.rating;
  const cells: Record<CsvColumn, Cell> = {
    id: review.id,
    source: review.source,
    externalId: review.externalId,
    'subject.id': review.subject.id,
    'subject.name': review.subject.name,
    url: review.url,
    'author.name': review.author.name,
    'author.id': review.author.id,
    'author.url': review.author.url,
    'author.avatarUrl': review.author.avatarUrl,
    'rating.value': rating === null ? null : rating.value,
    'rating.min': rating === null ? null : rating.min,
    'rating.max': rating === null ? null : rating.max,
    stars: review.stars,
    recommendation: review.recommendation,
    polarity: review.polarity,
    title: review.title,
    text: review.text,
    language: review.language,
    createdAt: field('createdAt', () => isoOf(review.createdAt)),
    updatedAt: field('updatedAt', () => isoOf(review.updatedAt)),
    datePrecision: review.datePrecision,
    replies: field('replies', () => JSON.stringify(review.replies)),
    helpfulVotes: review.helpfulVotes,
    extra: field('extra', () => JSON.stringify(review.extra)),
  };
  return CSV_COLUMNS.map((column) => cells[column]);
}

function isoOf(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/**
 * csv-parse options shared by the sync and stream readers; `decode` turns each record into a
 * review. No `cast`: csv-parse builds a context object per field for it, which made reading
 * three to four times slower.
 */
export function csvParseOptions(decode: (cells: string[], info: InfoRecord) => Review | undefined): ParseOptions {
  // csv-parse's types say on_record returns a record (string[]); at run time it may return any value.
  const onRecord = (record: string[], info: InfoRecord) => decode(record, info) ?? null;
  return {
    bom: true,
    skip_empty_lines: true,
    // A short or long row is one bad row, not a broken file.
    relax_column_count: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: onRecord as unknown as NonNullable<ParseOptions['on_record']>,
  };
}

/**
 * Turns CSV records into reviews: the first is the header (the `toCsv` layout, columns in any
 * order), each later one a review. Tracks where each record starts, since a quoted field can
 * span lines.
 */
export class CsvRecordDecoder {
  private positions: Record<CsvColumn, number> | null = null;
  private headerLength = 0;
  private lastEnd = 0;
  private lastEmptyLines = 0;

  constructor(private readonly rows: RowSink) {}

  /** The review a record holds; undefined for the header and skipped rows. */
  decode(cells: string[], info: { lines: number; empty_lines: number }): Review | undefined {
    const line = this.lastEnd + 1 + (info.empty_lines - this.lastEmptyLines);
    this.lastEnd = info.lines;
    this.lastEmptyLines = info.empty_lines;
    const positions = this.positions;
    if (positions === null) {
      this.positions = this.header(cells, line);
      this.headerLength = cells.length;
      return undefined;
    }
    if (cells.length !== this.headerLength) {
      return this.rows.reject(line, '', `has ${cells.length} fields, the header has ${this.headerLength}`, null);
    }
    const raw = fromCells((column) => unescape(cells[positions[column]] ?? ''));
    if ('badColumn' in raw) return this.rows.reject(line, raw.badColumn, 'not valid JSON', raw.id);
    return this.rows.accept(line, raw.review);
  }

  /** Where the failing record starts, for a csv-parse error. */
  lineOf(error: unknown): number {
    const empty = typeof error === 'object' && error !== null && typeof (error as { empty_lines?: unknown }).empty_lines === 'number' ? (error as { empty_lines: number }).empty_lines : this.lastEmptyLines;
    return this.lastEnd + 1 + Math.max(0, empty - this.lastEmptyLines);
  }

  /** Throws when the text had no header row at all. */
  end(): void {
    if (this.positions === null) this.rows.broken(1, `no header row: expected the columns toCsv writes (${CSV_COLUMNS.join(', ')})`);
  }

  private header(cells: string[], line: number): Record<CsvColumn, number> {
    const positions = new Map<string, number>();
    cells.forEach((cell, position) => {
      const name = cell.trim();
      if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
        this.rows.broken(line, `${name === '' ? 'an empty column name' : `unknown column ${JSON.stringify(name.slice(0, 60))}`} in the header: expected the columns toCsv writes (${CSV_COLUMNS.join(', ')})`);
      }
      if (positions.has(name)) this.rows.broken(line, `column ${name} appears twice in the header`);
      positions.set(name, position);
    });
    const missing = CSV_COLUMNS.filter((name) => !positions.has(name));
    if (missing.length > 0) this.rows.broken(line, `the header lacks column${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`);
    return Object.fromEntries(positions) as Record<CsvColumn, number>;
  }
}

/** Reads CSV text whole (csv-parse's sync API). */
export function parseCsvText(text: string, rows: RowSink): Review[] {
  const decoder = new CsvRecordDecoder(rows);
  let reviews: Review[];
  try {
    reviews = parse(text, csvParseOptions((cells, info) => decoder.decode(cells, info))) as unknown as Review[];
  } catch (error) {
    throw asCsvError(error, decoder, rows);
  }
  decoder.end();
  return reviews;
}

/** A csv-parse error as a broken-file `BAD_RESPONSE`; reviewkit's own errors pass through. */
export function asCsvError(error: unknown, decoder: CsvRecordDecoder, rows: RowSink): unknown {
  if (ReviewkitError.is(error) || !(error instanceof Error) || !('code' in error) || !String(error.code).startsWith('CSV_')) return error;
  try {
    rows.broken(decoder.lineOf(error), `broken CSV: ${error.message}`);
  } catch (broken) {
    return broken;
  }
}

/** A cell's value: empty is `null`, else the text without its escape, one leading `'` (see {@link toCsv}). */
function unescape(cell: string): string | null {
  if (cell === '') return null;
  return cell.charCodeAt(0) === APOSTROPHE ? cell.slice(1) : cell;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number cell: empty is null; text that is not a number stays text, so validation names it. */
function numberOf(cell: string | null): number | string | null {
  if (cell === null) return null;
  return NUMBER.test(cell) ? Number(cell) : cell;
}

type Decoded = { review: Record<string, unknown> } | { badColumn: 'replies' | 'extra'; id: string | null };

/**
 * A record as the wire form of a review (dates still strings) for `ReviewJsonSchema`, which
 * names any invalid field. Required strings read an empty field as `''`, so validation says
 * "too small" rather than "expected string".
 */
function fromCells(get: (column: CsvColumn) => string | null): Decoded {
  const id = get('id');
  const replies = jsonOf(get('replies'), []);
  if (replies === INVALID) return { badColumn: 'replies', id };
  const extra = jsonOf(get('extra'), {});
  if (extra === INVALID) return { badColumn: 'extra', id };
  const value = numberOf(get('rating.value'));
  const min = numberOf(get('rating.min'));
  const max = numberOf(get('rating.max'));
  return {
    review: {
      id: id ?? '',
      source: get('source') ?? '',
      externalId: get('externalId') ?? '',
      subject: { id: get('subject.id') ?? '', name: get('subject.name') },
      url: get('url'),
      author: { name: get('author.name'), id: get('author.id'), url: get('author.url'), avatarUrl: get('author.avatarUrl') },
      rating: value === null && min === null && max === null ? null : { value, min, max },
      stars: numberOf(get('stars')),
      recommendation: get('recommendation'),
      polarity: get('polarity'),
      title: get('title'),
      text: get('text'),
      language: get('language'),
      createdAt: get('createdAt'),
      updatedAt: get('updatedAt'),
      datePrecision: get('datePrecision'),
      replies,
      helpfulVotes: numberOf(get('helpfulVotes')),
      extra,
    },
  };
}

const INVALID = Symbol('invalid');

function jsonOf(cell: string | null, empty: unknown): unknown {
  if (cell === null) return empty;
  try {
    return JSON.parse(cell);
  } catch {
    return INVALID;
  }
}
