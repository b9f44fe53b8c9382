import { describe, expect, it } from 'vitest';
import type { Review } from '../../src/review.js';
import {
  averageRating,
  bayesianAverage,
  csat,
  DEFAULT_RESPONDABLE_SOURCES,
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
const DAY = 86_400_000;

function daysAgo(days: number): Date {
  return new Date(AS_OF.getTime() - days * DAY);
}

function review(overrides: Partial<Review> = {}): Review {
  return {
    id: 'google-business-profile:1',
    source: 'google-business-profile',
    externalId: '1',
    subject: { id: 'place-1', name: 'Sample Bistro' },
    url: null,
    author: { name: 'Reviewer One', id: null, url: null, avatarUrl: null },
    rating: { value: 4, min: 1, max: 5 },
    stars: 4,
    recommendation: null,
    polarity: 'positive',
    title: null,
    text: 'Nice place',
    language: 'en',
    createdAt: daysAgo(10),
    updatedAt: null,
    datePrecision: 'instant',
    replies: [{ text: 'Thank you!', createdAt: daysAgo(9), author: 'Owner' }],
    helpfulVotes: null,
    extra: {},
    ...overrides,
  };
}

function* generate(items: readonly ScoreInput[]): Generator<ScoreInput> {
  yield* items;
}

describe('inputs', () => {
  it('accepts full Review objects, plain objects, generators and Sets', () => {
    const reviews: Review[] = [review(), review({ stars: 2 })];
    expect(averageRating(reviews)).toBe(3);
    expect(averageRating([{ stars: 5 }, { stars: 3 }])).toBe(4);
    expect(averageRating(generate([{ stars: 5 }, { stars: 4 }]))).toBe(4.5);
    expect(averageRating(new Set([{ stars: 1 }, { stars: 2 }]))).toBe(1.5);
    expect(reputationScore(reviews, { asOf: AS_OF }).score).toBeTypeOf('number');
  });

  it('reads createdAt as a Date or an ISO string; a string without an offset is UTC', () => {
    const trend = ratingTrend([{ stars: 5, createdAt: '2026-03-31T23:30:00' }, { stars: 1, createdAt: '2026-04-01' }], {
      interval: 'month',
      asOf: '2026-04-15T00:00:00Z',
      periods: 2,
    });
    expect(trend.buckets.map((b) => b.count)).toEqual([0, 1, 1]);
    expect(trend.buckets[1]?.average).toBe(5);
    expect(trend.buckets[2]?.average).toBe(1);
  });

  it('throws RangeError on values that are not ratings or dates, instead of averaging garbage', () => {
    expect(() => averageRating([{ stars: 0 }])).toThrow(RangeError);
    expect(() => averageRating([{ stars: 6 }])).toThrow(RangeError);
    expect(() => averageRating([{ stars: Number.NaN }])).toThrow(RangeError);
    expect(() => averageRating([{ stars: '5' } as unknown as ScoreInput])).toThrow(RangeError);
    expect(() => timeDecayedAverage([{ stars: 5, createdAt: 'last tuesday' }], { asOf: AS_OF })).toThrow(RangeError);
    expect(() => timeDecayedAverage([{ stars: 5, createdAt: new Date(Number.NaN) }], { asOf: AS_OF })).toThrow(
      /createdAt is not a valid date/,
    );
    // reputationScore reads dates and stars in line (see its loop): the same refusals hold there.
    expect(() => reputationScore([{ stars: 5, createdAt: new Date(Number.NaN) }], { asOf: AS_OF })).toThrow(/createdAt is not a valid date/);
    expect(() => reputationScore([{ stars: 5, createdAt: 'last tuesday' }], { asOf: AS_OF })).toThrow(RangeError);
    expect(() => reputationScore([{ stars: 6, createdAt: AS_OF }], { asOf: AS_OF })).toThrow(/stars must be a number in 1..5/);
    expect(() => reputationScore([{ stars: Number.NaN, createdAt: AS_OF }], { asOf: AS_OF })).toThrow(RangeError);
    expect(reputationScore([{ stars: 5, createdAt: null }, { stars: 4, createdAt: AS_OF }], { asOf: AS_OF }).score).not.toBeNull();
    expect(() => csat([{ recommendation: 'maybe' } as unknown as ScoreInput])).toThrow(RangeError);
    expect(() => timeDecayedAverage([], { asOf: 'soon' })).toThrow(/asOf/);
    expect(() => reputationScore([], {} as unknown as { asOf: Date })).toThrow(/asOf is required/);
  });

  it('never mutates its input', () => {
    const reviews = [
      review(),
      review({ stars: null, rating: null, recommendation: 'negative', source: 'facebook' }),
      review({ createdAt: null, replies: [{ text: 'Hi', createdAt: null, author: null }, { text: 'Again', createdAt: daysAgo(1), author: null }] }),
    ];
    const plain = [{ stars: 4.5, createdAt: '2026-01-02T03:04:05Z', replies: [{ createdAt: '2026-01-01T00:00:00Z' }] }];
    const before = structuredClone([reviews, plain]);
    averageRating(reviews);
    ratingDistribution(reviews);
    bayesianAverage(reviews);
    starRatingLowerBound(reviews);
    timeDecayedAverage(reviews, { asOf: AS_OF });
    csat(reviews);
    netPromoterScore(reviews);
    positiveShare(reviews);
    responseRate(reviews);
    responseTime(reviews);
    ratingTrend(reviews, { interval: 'week', asOf: AS_OF });
    reputationScore(reviews, { asOf: AS_OF });
    reputationScore(plain, { asOf: AS_OF });
    responseTime(plain);
    expect([reviews, plain]).toEqual(before);
  });
});

describe('averageRating, ratingDistribution, bayesianAverage', () => {
  it('skip unrated reviews and recommendations; null / zeros / priorMean with no rating', () => {
    const unrated = [{ stars: null }, { recommendation: 'positive' as const }, {}];
    expect(averageRating([])).toBeNull();
    expect(averageRating(unrated)).toBeNull();
    expect(ratingDistribution(unrated)).toEqual([0, 0, 0, 0, 0]);
    expect(bayesianAverage([])).toBe(3.5);
    expect(bayesianAverage(unrated, { priorMean: 4.2, priorWeight: 0 })).toBe(4.2);
  });

  it('use recommendations only with an explicit recommendationStars mapping', () => {
    const reviews = [{ stars: 3 }, { recommendation: 'positive' as const }, { recommendation: 'negative' as const }];
    expect(averageRating(reviews)).toBe(3);
    const recommendationStars = { positive: 5, negative: 1 };
    expect(averageRating(reviews, { recommendationStars })).toBe(3);
    expect(ratingDistribution(reviews, { recommendationStars })).toEqual([1, 0, 1, 0, 1]);
    expect(averageRating([{ stars: 2, recommendation: 'positive' }], { recommendationStars })).toBe(2);
    expect(() => averageRating(reviews, { recommendationStars: { positive: 10, negative: 0 } })).toThrow(RangeError);
  });

  it('bucket fractional stars to the nearest whole star, halves up, in ascending order', () => {
    const stars = [1, 1.49, 1.5, 2.5, 3.49, 4.5, 4.99, 5];
    expect(ratingDistribution(stars.map((s) => ({ stars: s })))).toEqual([2, 1, 2, 0, 3]);
  });

  it('bayesianAverage: priorWeight 0 is the plain mean; bad priors throw', () => {
    expect(bayesianAverage([{ stars: 5 }, { stars: 2 }], { priorWeight: 0 })).toBe(3.5);
    expect(() => bayesianAverage([], { priorMean: 0 })).toThrow(RangeError);
    expect(() => bayesianAverage([], { priorWeight: -1 })).toThrow(RangeError);
  });
});

describe('wilsonLowerBound and starRatingLowerBound', () => {
  it('wilson: total 0 → 0, p̂ = 0 → exactly 0 (clamped), 1 of 1 < 1', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
    for (const n of [1, 3, 7, 10, 1e6]) expect(wilsonLowerBound(0, n)).toBe(0);
    expect(wilsonLowerBound(1, 1)).toBeLessThan(1);
  });

  it('wilson: rejects impossible counts and negative z', () => {
    expect(() => wilsonLowerBound(11, 10)).toThrow(RangeError);
    expect(() => wilsonLowerBound(-1, 10)).toThrow(RangeError);
    expect(() => wilsonLowerBound(Number.NaN, 10)).toThrow(RangeError);
    expect(() => wilsonLowerBound(1, Infinity)).toThrow(RangeError);
    expect(() => wilsonLowerBound(1, 2, { z: -1 })).toThrow(RangeError);
  });

  it('star score: reviews and counts agree; the prior gives 2.047372 for no ratings; bad counts throw', () => {
    const reviews = [{ stars: 5 }, { stars: 4.6 }, { stars: 1 }, { stars: null }];
    expect(starRatingLowerBound(reviews)).toBe(starRatingLowerBound([1, 0, 0, 0, 2]));
    expect(starRatingLowerBound([{ stars: null }])).toBeCloseTo(2.047372, 6);
    expect(() => starRatingLowerBound([1, 2, 3] as unknown as [number, number, number, number, number])).toThrow(RangeError);
    expect(() => starRatingLowerBound([1, 2, 3, -4, 5])).toThrow(RangeError);
    expect(() => starRatingLowerBound([1, 2, 3, 4, 5], { z: -1 })).toThrow(RangeError);
  });
});

describe('timeDecayedAverage', () => {
  it('null with no dated rating and no prior; priorMean with a prior', () => {
    expect(timeDecayedAverage([], { asOf: AS_OF })).toBeNull();
    expect(timeDecayedAverage([{ stars: 5, createdAt: null }, { createdAt: AS_OF }], { asOf: AS_OF })).toBeNull();
    expect(timeDecayedAverage([], { asOf: AS_OF, priorWeight: 3, priorMean: 4 })).toBe(4);
  });

  it('clamps future-dated reviews to age 0 (weight 1, never more)', () => {
    const old = { stars: 1, createdAt: daysAgo(180) };
    const future = timeDecayedAverage([old, { stars: 5, createdAt: daysAgo(-400) }], { asOf: AS_OF });
    const now = timeDecayedAverage([old, { stars: 5, createdAt: AS_OF }], { asOf: AS_OF });
    expect(future).toBe(now);
    expect(now).toBeCloseTo((5 + 0.5) / 1.5, 12);
  });

  it('does not underflow to null over centuries with a short half-life', () => {
    const reviews = [
      { stars: 2, createdAt: '1900-01-01T00:00:00Z' },
      { stars: 4, createdAt: '2000-01-01T00:00:00Z' },
    ];
    expect(timeDecayedAverage(reviews, { asOf: AS_OF, halfLifeDays: 1 })).toBe(4);
    expect(timeDecayedAverage(reviews, { asOf: AS_OF, halfLifeDays: 1, priorWeight: 1, priorMean: 3 })).toBe(3);
  });

  it('without a prior is invariant to asOf moving forward; with one it drifts to the prior', () => {
    const reviews = [
      { stars: 5, createdAt: daysAgo(5) },
      { stars: 2, createdAt: daysAgo(100) },
      { stars: 4, createdAt: daysAgo(300) },
    ];
    const later = new Date(AS_OF.getTime() + 181 * DAY);
    const plainNow = timeDecayedAverage(reviews, { asOf: AS_OF });
    expect(timeDecayedAverage(reviews, { asOf: later })).toBeCloseTo(plainNow ?? Number.NaN, 12);
    const prior = { priorWeight: 7, priorMean: 3.5 };
    const withPriorLater = timeDecayedAverage(reviews, { asOf: later, ...prior }) ?? Number.NaN;
    const withPriorNow = timeDecayedAverage(reviews, { asOf: AS_OF, ...prior }) ?? Number.NaN;
    expect(Math.abs(withPriorLater - 3.5)).toBeLessThan(Math.abs(withPriorNow - 3.5));
  });

  it('rejects a non-positive half-life', () => {
    expect(() => timeDecayedAverage([], { asOf: AS_OF, halfLifeDays: 0 })).toThrow(RangeError);
  });
});

describe('csat, netPromoterScore, positiveShare', () => {
  it('null with no rating or recommendation; unrated reviews are ignored', () => {
    expect(csat([])).toBeNull();
    expect(netPromoterScore([{ stars: null }, {}])).toBeNull();
    expect(positiveShare([])).toEqual({ positive: 0, total: 0, share: null, lowerBound: 0 });
    expect(csat([{ stars: 5 }, { stars: null }])).toBe(1);
  });

  it('extremes: all 5★ → csat 1, NPS 100; all 1★ → 0, −100; all 4★ → csat 1, NPS 0', () => {
    const fives = Array.from({ length: 4 }, () => ({ stars: 5 }));
    expect([csat(fives), netPromoterScore(fives)]).toEqual([1, 100]);
    const ones = Array.from({ length: 4 }, () => ({ stars: 1 }));
    expect([csat(ones), netPromoterScore(ones)]).toEqual([0, -100]);
    const fours = Array.from({ length: 4 }, () => ({ stars: 4 }));
    expect([csat(fours), netPromoterScore(fours)]).toEqual([1, 0]);
  });

  it('recommendation-only pages score on the yes/no channel; opting out leaves nothing', () => {
    const page = [{ recommendation: 'positive' as const }, { recommendation: 'negative' as const }];
    expect(csat(page)).toBe(0.5);
    expect(netPromoterScore(page)).toBe(0);
    expect(csat(page, { includeRecommendations: false })).toBeNull();
  });
});

describe('responseRate and responseTime', () => {
  const base = AS_OF.getTime();
  const at = (hours: number) => new Date(base - 30 * DAY + hours * 3_600_000);

  it('count only respondable sources, plus any review that has a reply', () => {
    expect([...DEFAULT_RESPONDABLE_SOURCES].sort()).toEqual(
      ['app-store', 'facebook', 'google-business-profile', 'google-play', 'trustpilot', 'tripadvisor'].sort(),
    );
    const reviews = [
      { source: 'yelp', replies: [] },
      { source: 'google-places', replies: [] },
      { source: 'x' },
      { source: 'instagram' },
      { source: 'schema-org' },
      { source: 'yelp', replies: [{ createdAt: null }] },
      { source: 'google-play', replies: [] },
    ];
    expect(responseRate(reviews)).toBe(0.5);
    expect(responseRate(reviews, { respondableSources: ['yelp', 'x'] })).toBe(1 / 3);
    expect(responseRate(reviews, { respondableSources: 'all' })).toBe(1 / 7);
    expect(responseRate([{ source: 'yelp' }, { source: 'x' }])).toBeNull();
    expect(responseRate([])).toBeNull();
  });

  it('windows by review date (half-open, future-dated = now) and leaves young unreplied reviews out', () => {
    const reviews = [
      { source: 'facebook', createdAt: daysAgo(400), replies: [] },
      { source: 'facebook', createdAt: daysAgo(365), replies: [] },
      { source: 'facebook', createdAt: daysAgo(364), replies: [{ createdAt: daysAgo(363) }] },
      { source: 'facebook', createdAt: daysAgo(1), replies: [] },
      { source: 'facebook', createdAt: daysAgo(-2), replies: [] },
      { source: 'facebook', createdAt: null, replies: [] },
    ];
    expect(responseRate(reviews)).toBe(1 / 6);
    expect(responseRate(reviews, { asOf: AS_OF, windowDays: 365 })).toBe(1 / 3);
    expect(responseRate(reviews, { asOf: AS_OF, windowDays: 365, graceHours: 48 })).toBe(1);
    expect(responseRate(reviews, { asOf: AS_OF, graceHours: 48 })).toBe(1 / 4);
    expect(() => responseRate(reviews, { windowDays: 30 })).toThrow(/asOf is required/);
  });

  it('measures hours to the FIRST reply; null reply dates and undated reviews are not measurable', () => {
    const result = responseTime([
      { createdAt: at(0), replies: [{ createdAt: at(10) }, { createdAt: at(1) }] },
      { createdAt: at(0), replies: [{ createdAt: null }, { createdAt: at(2) }] },
      { createdAt: null, replies: [{ createdAt: at(3) }] },
      { createdAt: at(5), replies: [{ createdAt: at(4) }] },
      { createdAt: at(0), replies: [] },
    ]);
    expect(result).toEqual({ medianHours: 0.5, meanHours: 0.5, responded: 4, measured: 2, withinSla: 1 });
  });

  it('empty or unreplied input gives null figures and zero counts', () => {
    const empty = { medianHours: null, meanHours: null, responded: 0, measured: 0, withinSla: null };
    expect(responseTime([])).toEqual(empty);
    expect(responseTime([{ createdAt: AS_OF, replies: [] }, {}])).toEqual(empty);
  });

  it('handles more replies than the initial buffer without losing the median', () => {
    const reviews = Array.from({ length: 5001 }, (_, i) => ({ createdAt: at(0), replies: [{ createdAt: at(i) }] }));
    expect(responseTime(reviews)).toMatchObject({ medianHours: 2500, meanHours: 2500, measured: 5001 });
  });
});

describe('ratingTrend', () => {
  it('ISO weeks start on Monday 00:00 UTC; the last bucket holds asOf and is incomplete', () => {
    const trend = ratingTrend([], { interval: 'week', asOf: '2026-07-01T10:00:00Z', periods: 2 });
    expect(trend.buckets.map((b) => [b.start.toISOString(), b.isComplete])).toEqual([
      ['2026-06-15T00:00:00.000Z', true],
      ['2026-06-22T00:00:00.000Z', true],
      ['2026-06-29T00:00:00.000Z', false],
    ]);
    expect(trend.buckets[2]?.end.toISOString()).toBe('2026-07-06T00:00:00.000Z');
    expect(trend.change).toBeNull();
  });

  it('months across a year boundary; empty buckets are null, not 0', () => {
    const trend = ratingTrend(
      [
        { stars: 4, createdAt: '2025-11-30T23:59:59.999Z' },
        { stars: 2, createdAt: '2026-01-15T00:00:00Z' },
        { createdAt: '2026-01-16T00:00:00Z' },
      ],
      { interval: 'month', asOf: '2026-02-01T00:00:00Z', periods: 3 },
    );
    expect(trend.buckets.map((b) => [b.start.toISOString().slice(0, 7), b.count, b.total, b.average])).toEqual([
      ['2025-11', 1, 1, 4],
      ['2025-12', 0, 0, null],
      ['2026-01', 1, 2, 2],
      ['2026-02', 0, 0, null],
    ]);
    expect(trend.change).toBeNull();
  });

  it('change without enough ratings has a delta but no test', () => {
    const trend = ratingTrend(
      [
        { stars: 5, createdAt: '2026-04-10T00:00:00Z' },
        { stars: 3, createdAt: '2026-05-10T00:00:00Z' },
        { stars: 4, createdAt: '2026-05-11T00:00:00Z' },
      ],
      { interval: 'month', asOf: '2026-06-10T00:00:00Z', periods: 2 },
    );
    expect(trend.change).toEqual({ previous: 5, current: 3.5, delta: -1.5, t: null, df: null, pValue: null, isSignificant: false });
  });

  it('flags a clear drop as significant, and the same drop on few ratings as not', () => {
    const ratings = (month: string, stars: number[]) =>
      stars.map((s, i) => ({ stars: s, createdAt: `2026-${month}-${String(i + 1).padStart(2, '0')}T12:00:00Z` }));
    const good = [5, 5, 4, 5, 4, 5, 5, 4, 5, 5];
    const bad = [2, 1, 3, 2, 1, 2, 3, 1, 2, 2];
    const options = { interval: 'month', asOf: '2026-06-10T00:00:00Z', periods: 2 } as const;
    const clear = ratingTrend([...ratings('04', good), ...ratings('05', bad)], options).change;
    expect(clear?.delta).toBeCloseTo(-2.8, 12);
    expect(clear?.pValue).toBeLessThan(1e-6);
    expect(clear?.isSignificant).toBe(true);
    const few = ratingTrend([...ratings('04', [5, 4, 5]), ...ratings('05', [2, 1, 2])], options).change;
    expect(few?.pValue).toBeLessThan(0.05);
    expect(few?.isSignificant).toBe(false);
    expect(ratingTrend([...ratings('04', [5, 4, 5]), ...ratings('05', [2, 1, 2])], { ...options, minCount: 3 }).change?.isSignificant).toBe(true);
  });

  it('rejects bad options', () => {
    expect(() => ratingTrend([], { interval: 'day' as 'week', asOf: AS_OF })).toThrow(RangeError);
    expect(() => ratingTrend([], { interval: 'week', asOf: AS_OF, periods: 1 })).toThrow(RangeError);
    expect(() => ratingTrend([], { interval: 'week', asOf: AS_OF, periods: 2.5 })).toThrow(RangeError);
  });
});

describe('reputationScore', () => {
  const names = ['quality', 'volume', 'recency', 'responseRate', 'responseTime', 'diversity'];

  it('is null for empty input, for unrated mentions only, and for recommendation-only pages unless mapped', () => {
    for (const reviews of [[], [{ source: 'x', createdAt: daysAgo(1) }]]) {
      const result = reputationScore(reviews, { asOf: AS_OF });
      expect(result.score).toBeNull();
      expect(result.components.map((c) => c.name)).toEqual(names);
      expect(result.components.every((c) => c.points === 0 && c.effectiveWeight === 0)).toBe(true);
    }
    const page = [
      { source: 'facebook', recommendation: 'positive' as const, createdAt: daysAgo(3), replies: [] },
      { source: 'facebook', recommendation: 'negative' as const, createdAt: daysAgo(20), replies: [] },
    ];
    expect(reputationScore(page, { asOf: AS_OF }).score).toBeNull();
    expect(reputationScore(page, { asOf: AS_OF, recommendationStars: { positive: 5, negative: 1 } }).score).toBeTypeOf(
      'number',
    );
  });

  it('redistributes the weight of components without data and reports it', () => {
    const reviews = [
      { source: 'yelp', stars: 5, createdAt: daysAgo(2) },
      { source: 'yelp', stars: 4, createdAt: daysAgo(40) },
    ];
    const result = reputationScore(reviews, { asOf: AS_OF });
    const byName = Object.fromEntries(result.components.map((c) => [c.name, c]));
    expect(byName.responseRate?.value).toBeNull();
    expect(byName.responseTime?.value).toBeNull();
    expect(result.coverage).toBeCloseTo(0.75, 12);
    expect(byName.quality?.effectiveWeight).toBeCloseTo(0.4 / 0.75, 12);
    expect(result.components.reduce((s, c) => s + c.effectiveWeight, 0)).toBeCloseTo(1, 12);
    expect(result.score).toBe(result.components.reduce((s, c) => s + c.points, 0));
    expect(byName.diversity?.value).toBe(1);
  });

  it('takes custom weights, curves, connected sources and windows', () => {
    const reviews = [
      { source: 'google-business-profile', stars: 5, createdAt: daysAgo(2), replies: [{ createdAt: daysAgo(1) }] },
      { source: 'google-business-profile', stars: 3, createdAt: daysAgo(200), replies: [] },
    ];
    const onlyQuality = reputationScore(reviews, { asOf: AS_OF, weights: { volume: 0, recency: 0, responseRate: 0, responseTime: 0, diversity: 0 } });
    expect(onlyQuality.components.find((c) => c.name === 'quality')?.weight).toBe(1);
    expect(onlyQuality.score).toBeCloseTo(100 * (onlyQuality.components[0]?.value ?? Number.NaN), 12);
    const flat = reputationScore(reviews, { asOf: AS_OF, curves: { volume: () => 2, recency: () => -1 } });
    expect(flat.components.find((c) => c.name === 'volume')?.value).toBe(1);
    expect(flat.components.find((c) => c.name === 'recency')?.value).toBe(0);
    const connected = reputationScore(reviews, { asOf: AS_OF, sources: ['google-business-profile', 'yelp', 'trustpilot', 'yelp'] });
    expect(connected.components.find((c) => c.name === 'diversity')?.value).toBeCloseTo(1 / 3, 12);
    const narrow = reputationScore(reviews, { asOf: AS_OF, windowDays: 30 });
    expect(narrow.components.find((c) => c.name === 'volume')?.raw).toBe(1);
    expect(narrow.components.find((c) => c.name === 'responseRate')?.value).toBe(1);
  });

  it('lets quality alone be switched off and still scores responsiveness', () => {
    const reviews = [{ source: 'x', createdAt: daysAgo(1), replies: [{ createdAt: AS_OF }] }];
    expect(reputationScore(reviews, { asOf: AS_OF }).score).toBeNull();
    expect(reputationScore(reviews, { asOf: AS_OF, weights: { quality: 0 } }).score).toBeTypeOf('number');
  });

  it('rejects bad weights and curves', () => {
    expect(() => reputationScore([], { asOf: AS_OF, weights: { quality: -1 } })).toThrow(RangeError);
    const zero = { quality: 0, volume: 0, recency: 0, responseRate: 0, responseTime: 0, diversity: 0 };
    expect(() => reputationScore([], { asOf: AS_OF, weights: zero })).toThrow(RangeError);
    expect(() =>
      reputationScore([{ stars: 5, createdAt: AS_OF }], { asOf: AS_OF, curves: { volume: () => Number.NaN } }),
    ).toThrow(/curves.volume/);
  });
});
