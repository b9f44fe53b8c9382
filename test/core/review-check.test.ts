// The engine's fast review check may be stricter than ReviewSchema, never looser: whatever it
// accepts, the schema accepts. And it must accept the reviews adapters actually produce, or the
// fast path would be a slow path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReview, ReviewSchema } from '../../src/index.js';
import { isValidReview } from '../../src/review-check.js';

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const date = fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true });

const reviewInput = fc.record({
  externalId: fc.string({ minLength: 1, maxLength: 12 }),
  subject: fc.record({ id: fc.string({ maxLength: 8 }), name: nullable(fc.string({ maxLength: 8 })) }),
  url: nullable(fc.webUrl()),
  author: nullable(fc.record({ name: nullable(fc.string()), id: nullable(fc.string()), url: nullable(fc.string()), avatarUrl: nullable(fc.string()) })),
  rating: nullable(
    fc
      .tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 1, max: 10 }), fc.double({ min: 0, max: 1, noNaN: true }))
      .map(([min, span, at]) => ({ value: min + span * at, min, max: min + span })),
  ),
  recommendation: nullable(fc.constantFrom('positive' as const, 'negative' as const)),
  title: nullable(fc.string()),
  text: nullable(fc.string()),
  language: nullable(fc.constantFrom('en', 'de', 'pt-BR')),
  createdAt: nullable(date),
  updatedAt: nullable(date),
  replies: fc.array(fc.record({ text: fc.string(), createdAt: nullable(date), author: nullable(fc.string()) }), { maxLength: 3 }),
  helpfulVotes: nullable(fc.nat()),
  extra: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })),
});

const validReview = fc.tuple(fc.constantFrom('yelp', 'google-play', 'acme'), reviewInput).map(([source, input]) => createReview(source, input));

/** Values to swap into a field: wrong types, edge numbers, odd objects. */
const hostile = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.constant(-1),
  fc.constant(0),
  fc.constant(6),
  fc.constant(1.5),
  fc.constant(2 ** 60),
  fc.constant(new Date(Number.NaN)),
  fc.constant([]),
  fc.constant([undefined]),
  fc.constant({}),
  fc.constant(Object.create(null)),
  fc.constant(new (class Extra {})()),
  fc.constant('positive'),
  fc.constant('instant'),
  fc.string(),
  fc.integer(),
  fc.double(),
  date,
);

const PATHS = [
  ['id'],
  ['source'],
  ['externalId'],
  ['subject'],
  ['subject', 'id'],
  ['subject', 'name'],
  ['subject', 'extraKey'],
  ['url'],
  ['author'],
  ['author', 'name'],
  ['author', 'avatarUrl'],
  ['author', 'extraKey'],
  ['rating'],
  ['rating', 'value'],
  ['rating', 'min'],
  ['rating', 'max'],
  ['stars'],
  ['recommendation'],
  ['polarity'],
  ['title'],
  ['text'],
  ['language'],
  ['createdAt'],
  ['updatedAt'],
  ['datePrecision'],
  ['replies'],
  ['replies', '0'],
  ['replies', '0', 'text'],
  ['replies', '0', 'createdAt'],
  ['replies', '0', 'extraKey'],
  ['helpfulVotes'],
  ['extra'],
  ['extraKey'],
] as const;

function withValue(review: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(review) as Record<string, unknown>;
  let target: Record<string, unknown> | undefined = copy;
  for (const key of path.slice(0, -1)) {
    const next: unknown = target?.[key];
    target = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : undefined;
  }
  if (target) target[path[path.length - 1] as string] = value;
  return copy;
}

describe('isValidReview', () => {
  it('accepts every review createReview builds from valid input, as ReviewSchema does', () => {
    fc.assert(
      fc.property(validReview, (review) => {
        expect(ReviewSchema.safeParse(review).success).toBe(true);
        expect(isValidReview(review)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts what ReviewSchema refuses', () => {
    fc.assert(
      fc.property(validReview, fc.array(fc.tuple(fc.constantFrom(...PATHS), hostile), { minLength: 1, maxLength: 3 }), (review, changes) => {
        const mutated = changes.reduce<unknown>((value, [path, replacement]) => withValue(value, path, replacement), review);
        if (isValidReview(mutated)) expect(ReviewSchema.safeParse(mutated).success).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses shapes the schema refuses that a loose check would miss', () => {
    const review = createReview('acme', { externalId: 'x', subject: { id: 's' }, createdAt: null });
    const inherited = Object.assign(Object.create({ sneaky: 1 }) as object, review);
    for (const bad of [inherited, { ...review, extra: [] }, { ...review, replies: [,] }, { ...review, rating: { value: 6, min: 1, max: 5 } }]) {
      expect(ReviewSchema.safeParse(bad).success).toBe(false);
      expect(isValidReview(bad)).toBe(false);
    }
  });

  it('reads keys in any order, and never mistakes a missing key hidden behind an extra one', () => {
    const review = createReview('acme', { externalId: 'x', subject: { id: 's' }, createdAt: null });
    // Same keys, reversed: still valid.
    const reversed = Object.fromEntries(Object.entries(review).reverse());
    expect(isValidReview(reversed)).toBe(true);
    // Same number of keys, one swapped for another: `title` gone, `sneaky` in its place.
    const { title: _title, ...rest } = review;
    const swapped = { ...rest, sneaky: null };
    expect(ReviewSchema.safeParse(swapped).success).toBe(false);
    expect(isValidReview(swapped)).toBe(false);
    // An expected key present but not enumerable, next to an extra one.
    const hidden = { ...rest, sneaky: null };
    Object.defineProperty(hidden, 'title', { value: null, enumerable: false });
    expect(isValidReview(hidden)).toBe(false);
  });

  it('refuses every review while Object.prototype carries an enumerable key', () => {
    const review = createReview('acme', { externalId: 'x', subject: { id: 's' }, createdAt: null });
    expect(isValidReview(review)).toBe(true);
    (Object.prototype as Record<string, unknown>).polluted = 1;
    try {
      expect(isValidReview(review)).toBe(false);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
    expect(isValidReview(review)).toBe(true);
  });
});
