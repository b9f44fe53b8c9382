import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  averageRating,
  bayesianAverage,
  csat,
  netPromoterScore,
  positiveShare,
  ratingDistribution,
  ratingTrend,
  reputationScore,
  responseRate,
  responseTime,
  type ScoreInput,
  starRatingLowerBound,
  timeDecayedAverage,
  wilsonLowerBound,
} from '../../src/scores/index.js';

const AS_OF = new Date('2026-06-30T12:00:00Z');
const SOURCES = ['google-business-profile', 'yelp', 'facebook', 'trustpilot', 'x', 'schema-org'] as const;
const EPS = 1e-9;

const instant = fc.date({ min: new Date('2023-01-01T00:00:00Z'), max: new Date('2026-09-01T00:00:00Z'), noInvalidDate: true });
const stars = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.double({ min: 1, max: 5, noNaN: true }));

const replyArb = fc.record({ createdAt: fc.option(instant) });
const reviewArb = fc.record(
  {
    stars: fc.option(stars),
    recommendation: fc.option(fc.constantFrom('positive' as const, 'negative' as const)),
    createdAt: fc.option(fc.oneof(instant, instant.map((d) => d.toISOString()))),
    replies: fc.option(fc.array(replyArb, { maxLength: 3 })),
    source: fc.constantFrom(...SOURCES),
  },
  { requiredKeys: [] },
);
const reviewsArb = fc.array(reviewArb, { maxLength: 40 });

function within(value: number | null, min: number, max: number): boolean {
  return value === null || (value >= min - EPS && value <= max + EPS);
}

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
}

/** Every scalar figure the helpers produce, for order-independence checks. */
function figures(reviews: readonly ScoreInput[]): (number | null)[] {
  const time = responseTime(reviews);
  const share = positiveShare(reviews);
  const trend = ratingTrend(reviews, { interval: 'month', asOf: AS_OF, periods: 6 });
  const reputation = reputationScore(reviews, { asOf: AS_OF });
  return [
    averageRating(reviews),
    ...ratingDistribution(reviews),
    bayesianAverage(reviews),
    starRatingLowerBound(reviews),
    timeDecayedAverage(reviews, { asOf: AS_OF, priorWeight: 2 }),
    csat(reviews),
    netPromoterScore(reviews),
    share.lowerBound,
    responseRate(reviews),
    time.medianHours,
    time.meanHours,
    time.withinSla,
    ...trend.buckets.map((b) => b.average),
    trend.change?.pValue ?? null,
    reputation.score,
    ...reputation.components.map((c) => c.points),
  ];
}

describe('properties', () => {
  it('every result is within its documented range', () => {
    fc.assert(
      fc.property(reviewsArb, (reviews) => {
        expect(within(averageRating(reviews), 1, 5)).toBe(true);
        expect(within(bayesianAverage(reviews), 1, 5)).toBe(true);
        expect(within(starRatingLowerBound(reviews), 1, 5)).toBe(true);
        expect(within(timeDecayedAverage(reviews, { asOf: AS_OF }), 1, 5)).toBe(true);
        expect(within(csat(reviews), 0, 1)).toBe(true);
        expect(within(netPromoterScore(reviews), -100, 100)).toBe(true);
        expect(within(responseRate(reviews), 0, 1)).toBe(true);
        const time = responseTime(reviews);
        expect(within(time.medianHours, 0, Infinity) && within(time.withinSla, 0, 1)).toBe(true);
        expect(time.measured).toBeLessThanOrEqual(time.responded);
        const distribution = ratingDistribution(reviews);
        expect(distribution.reduce((a, b) => a + b, 0)).toBe(reviews.filter((r) => r.stars != null).length);
        const pValue = ratingTrend(reviews, { interval: 'week', asOf: AS_OF }).change?.pValue ?? null;
        expect(within(pValue, 0, 1)).toBe(true);
      }),
    );
  });

  it('the decayed mean lies between the lowest and highest dated rating', () => {
    fc.assert(
      fc.property(reviewsArb, (reviews) => {
        const dated = reviews.filter((r) => r.stars != null && r.createdAt != null).map((r) => r.stars as number);
        const value = timeDecayedAverage(reviews, { asOf: AS_OF, halfLifeDays: 30 });
        if (dated.length === 0) expect(value).toBeNull();
        else expect(within(value, Math.min(...dated), Math.max(...dated))).toBe(true);
      }),
    );
  });

  it('reputationScore: score = Σ points within 0..100, values in 0..1, effective weights sum to 1', () => {
    fc.assert(
      fc.property(reviewsArb, (reviews) => {
        const result = reputationScore(reviews, { asOf: AS_OF });
        const sum = result.components.reduce((s, c) => s + c.points, 0);
        for (const c of result.components) expect(within(c.value, 0, 1)).toBe(true);
        expect(within(result.coverage, 0, 1)).toBe(true);
        if (result.score === null) {
          expect(sum).toBe(0);
        } else {
          expect(result.score).toBe(sum);
          expect(within(result.score, 0, 100)).toBe(true);
          expect(result.components.reduce((s, c) => s + c.effectiveWeight, 0)).toBeCloseTo(1, 12);
        }
      }),
    );
  });

  it('results do not depend on input order', () => {
    fc.assert(
      fc.property(
        reviewsArb.chain((reviews) => fc.tuple(fc.constant(reviews), fc.shuffledSubarray(reviews, { minLength: reviews.length }))),
        ([reviews, shuffled]) => {
          const a = figures(reviews);
          const b = figures(shuffled);
          expect(a.length).toBe(b.length);
          a.forEach((value, i) => expect(close(value, b[i] ?? null), `figure ${i}: ${value} vs ${b[i]}`).toBe(true));
        },
      ),
    );
  });

  it('adding a 5★ review never lowers bayesianAverage or starRatingLowerBound', () => {
    fc.assert(
      fc.property(
        reviewsArb,
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (reviews, priorMean, priorWeight, z) => {
          const more = [...reviews, { stars: 5 }];
          expect(bayesianAverage(more, { priorMean, priorWeight })).toBeGreaterThanOrEqual(
            bayesianAverage(reviews, { priorMean, priorWeight }) - EPS,
          );
          expect(starRatingLowerBound(more, { z })).toBeGreaterThanOrEqual(starRatingLowerBound(reviews, { z }) - EPS);
        },
      ),
    );
  });

  it('star counts: adding a 5★ never lowers the bound, and counts equal the reviews they describe', () => {
    const counts = fc.tuple(...Array.from({ length: 5 }, () => fc.integer({ min: 0, max: 10_000 }))) as fc.Arbitrary<
      [number, number, number, number, number]
    >;
    fc.assert(
      fc.property(counts, fc.double({ min: 0, max: 3, noNaN: true }), (c, z) => {
        const more: [number, number, number, number, number] = [c[0], c[1], c[2], c[3], c[4] + 1];
        expect(starRatingLowerBound(more, { z })).toBeGreaterThanOrEqual(starRatingLowerBound(c, { z }) - EPS);
      }),
    );
  });

  it('wilsonLowerBound lies in [0, p̂], grows with positives, and 0 for no votes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        (total, share, z) => {
          const positive = Math.floor(total * share);
          const lb = wilsonLowerBound(positive, total, { z });
          expect(lb).toBeGreaterThanOrEqual(0);
          expect(lb).toBeLessThanOrEqual(total === 0 ? 0 : positive / total + EPS);
          if (positive < total) expect(wilsonLowerBound(positive + 1, total, { z })).toBeGreaterThanOrEqual(lb - EPS);
        },
      ),
    );
  });
});
