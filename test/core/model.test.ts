import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  aggregate,
  cleanText,
  createReview,
  defineAdapter,
  polarityOf,
  redact,
  ReviewkitError,
  ReviewSchema,
  toStars,
} from '../../src/index.js';
import { startFixtureServer } from '../../src/testing/index.js';
import { paged } from './helpers.js';

describe('cleanText', () => {
  it('strips tags, decodes entities exactly once and tidies whitespace', () => {
    expect(cleanText('<p>Great&nbsp;food &amp; <b>friendly</b> staff</p><p>Would  return</p>')).toBe('Great food & friendly staff\n\nWould return');
    expect(cleanText('Line one<br>Line two<br/>\n\n\n\nLine three')).toBe('Line one\nLine two\n\nLine three');
    expect(cleanText('5 &lt; 6 &amp;amp; &#x1F600; &eacute;')).toBe('5 < 6 &amp; 😀 é');
    expect(cleanText('<script>alert(1)</script>ok')).toBe('ok');
  });

  it('leaves plain-text sources alone except whitespace, and maps blank to null', () => {
    expect(cleanText('Tom &amp; Jerry <3', { html: false })).toBe('Tom &amp; Jerry <3');
    expect(cleanText(' a\r\n b\t\tc ', { html: false })).toBe('a\nb c');
    expect(cleanText('   \n ')).toBeNull();
    expect(cleanText(null)).toBeNull();
    expect(cleanText(undefined)).toBeNull();
  });

  it('tidies whitespace exactly as the four replacements it replaced did', () => {
    // The reference: the regex passes cleanText used before its one-pass tidy.
    const reference = (text: string) => {
      const tidy = text
        .replace(/\r\n?/g, '\n')
        .replace(/[\t\f\v \u00a0]+/g, ' ')
        .replace(/ *\n */g, '\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim();
      return tidy === '' ? null : tidy;
    };
    const piece = fc.constantFrom(' ', '  ', '\t', '\n', '\r', '\r\n', '\u00a0', '\f', '\v', '\u2003', '\u3000', '\ufeff', '\u2028', 'a', 'bc', 'é', '😀');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        expect(cleanText(text, { html: false })).toBe(reference(text));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('ratings', () => {
  it('maps any scale onto 1–5 stars', () => {
    expect(toStars({ value: 5, min: 1, max: 5 })).toBe(5);
    expect(toStars({ value: 1, min: 1, max: 10 })).toBe(1);
    expect(toStars({ value: 10, min: 1, max: 10 })).toBe(5);
    expect(toStars({ value: 60, min: 0, max: 100 })).toBeCloseTo(3.4, 12);
    expect(toStars(null)).toBeNull();
  });

  it('derives polarity from stars, then recommendation', () => {
    expect(polarityOf(4, null)).toBe('positive');
    expect(polarityOf(3, 'negative')).toBe('neutral');
    expect(polarityOf(2, null)).toBe('negative');
    expect(polarityOf(3.5, null)).toBe('neutral');
    expect(polarityOf(null, 'positive')).toBe('positive');
    expect(polarityOf(null, null)).toBeNull();
  });

  it('builds a full review with defaults and validates strictly', () => {
    const review = createReview('demo', { externalId: 'x1', subject: { id: 's' }, recommendation: 'negative', createdAt: null });
    expect(review).toMatchObject({ id: 'demo:x1', stars: null, polarity: 'negative', datePrecision: null, replies: [], extra: {} });
    expect(ReviewSchema.safeParse(review).success).toBe(true);
    expect(ReviewSchema.safeParse({ ...review, unexpected: 1 }).success).toBe(false);
    expect(ReviewSchema.safeParse({ ...review, rating: { value: 7, min: 1, max: 5 } }).success).toBe(false);
    expect(ReviewSchema.safeParse({ ...review, createdAt: '2024-01-01' }).success).toBe(false);
  });
});

describe('ReviewkitError', () => {
  const error = new ReviewkitError({ code: 'RATE_LIMITED', source: 'yelp', status: 429, retryAfterMs: 1000, message: 'yelp: slow down' });

  it('is recognisable, also across package copies', () => {
    expect(error).toBeInstanceOf(ReviewkitError);
    expect(error).toBeInstanceOf(Error);
    expect(ReviewkitError.is(error)).toBe(true);
    const foreign = Object.assign(new Error('x'), { [Symbol.for('reviewkit.error')]: true });
    expect(ReviewkitError.is(foreign)).toBe(true);
    expect(ReviewkitError.is(new Error('x'))).toBe(false);
    expect(ReviewkitError.is(null)).toBe(false);
  });

  it('serializes to a plain, useful object', () => {
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ReviewkitError',
      code: 'RATE_LIMITED',
      source: 'yelp',
      message: 'yelp: slow down',
      status: 429,
      retryAfterMs: 1000,
      isRetryable: true,
    });
    expect(inspect(error)).toContain("code: 'RATE_LIMITED'");
  });

  it('redacts listed secrets, secret query values and bearer tokens', () => {
    expect(redact('GET /a?key=AIza123&x=1&access_token=EAAB9 Bearer abc.def', [])).toBe(
      'GET /a?key=[REDACTED]&x=1&access_token=[REDACTED] Bearer [REDACTED]',
    );
    expect(redact('token s3cret/+= and s3cret%2F%2B%3D', ['s3cret/+='])).toBe('token [REDACTED] and [REDACTED]');
    // Prose about bearer tokens stays readable; a token after it does not.
    expect(redact('Provide a properly configured and signed bearer token, and make sure it has not expired.')).toBe(
      'Provide a properly configured and signed bearer token, and make sure it has not expired.',
    );
    expect(redact('authorization: BEARER eyJhbGciOiJFUzI1NiJ9.e30.sig and bearer ya29.a0AfH6')).toBe(
      'authorization: BEARER [REDACTED] and bearer [REDACTED]',
    );
  });
});

describe('defineAdapter', () => {
  it('names the bad option in a CONFIG error', () => {
    expect(() => paged({ shop: 42 } as never)).toThrow('paged: option `shop` is invalid: Invalid input: expected string, received number.');
    expect(() => paged({} as never)).toThrow('paged: option `shop` is required.');
    expect(() => paged({ shop: 'a', baseUrl: 'ftp://x' })).toThrow(ReviewkitError);
    expect(() => paged({ shop: 'a', shp: 'typo' } as never)).toThrow(/`shp` is not a known option/);
  });

  it('requires a kebab-case name', () => {
    expect(() =>
      defineAdapter({
        name: 'Not Kebab',
        baseUrl: 'https://x.example',
        options: z.object({}),
        subjectId: () => 'x',
        page: z.unknown(),
        async *pages() {},
        normalize: () => ({ externalId: 'x', subject: { id: 'x' }, createdAt: null }),
      }),
    ).toThrow(/kebab-case/);
  });

  it('turns a throwing normalize and an invalid review into BAD_RESPONSE for that source only', async () => {
    const broken = defineAdapter({
      name: 'broken',
      baseUrl: 'https://x.example',
      options: z.object({ mode: z.enum(['throw', 'invalid']) }),
      subjectId: (o) => o.mode,
      page: z.object({ n: z.number() }),
      async *pages(ctx) {
        yield { items: [await ctx.fetchPage('/p')] };
      },
      normalize: (item, ctx) => {
        if (ctx.options.mode === 'throw') throw new TypeError(`cannot read ${item.n}`);
        return { externalId: 'x', subject: { id: 'x' }, createdAt: null, helpfulVotes: -1 };
      },
    });
    const server = await startFixtureServer([{ path: '/p', body: { n: 1 } }]);
    try {
      const result = await aggregate([broken({ mode: 'throw', baseUrl: server.url }), broken({ mode: 'invalid', baseUrl: server.url })]);
      expect(result.sources.map((s) => s.error?.code)).toEqual(['BAD_RESPONSE', 'BAD_RESPONSE']);
      expect(result.sources[0]?.error?.message).toContain('cannot read 1');
      expect(result.sources[1]?.error?.message).toContain('helpfulVotes');
    } finally {
      await server.close();
    }
  });
});

describe('defineAdapter options', () => {
  const either = defineAdapter({
    name: 'either',
    baseUrl: 'https://x.example',
    options: z
      .object({ url: z.string().optional(), html: z.string().optional() })
      .refine((o) => (o.url === undefined) !== (o.html === undefined), { message: 'give exactly one of `url` or `html`', path: ['url'] }),
    subjectId: (o) => o.url ?? 'html',
    page: z.unknown(),
    async *pages() {},
    normalize: () => ({ externalId: 'x', subject: { id: 'x' }, createdAt: null }),
  });

  it('keeps rules that span two options', () => {
    expect(() => either({})).toThrow('either: option `url` is required: give exactly one of `url` or `html`.');
    expect(() => either({ url: 'a', html: 'b' })).toThrow(/exactly one/);
    expect(either({ html: '<p>' }).subjectId).toBe('html');
    expect(() => either({ html: '<p>', baseUrl: 'https://y.example', extra: 1 } as never)).toThrow(/`extra` is not a known option/);
  });
});
