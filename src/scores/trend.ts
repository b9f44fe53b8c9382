import type { StarOptions } from './average.js';
import {
  checkRange,
  checkRecommendationStars,
  DAY_MS,
  type DateInput,
  requiredTime,
  type ScoreInput,
  starsOf,
  timeOf,
} from './inputs.js';
import { welchTTest } from './stats.js';

/** Calendar bucket size of {@link ratingTrend}, in UTC: ISO weeks (Monday start), months, quarters. */
export type TrendInterval = 'week' | 'month' | 'quarter';

/** Options of {@link ratingTrend}. */
export interface RatingTrendOptions extends StarOptions {
  interval: TrendInterval;
  /** The instant the trend is seen from; its bucket is the current, incomplete one. Required. */
  asOf: DateInput;
  /** Number of complete buckets before the current one (integer ≥ 2). Default `12`. */
  periods?: number;
  /**
   * Fewest ratings each compared bucket needs before a change may be called significant.
   * Default `5`: Welch's test assumes roughly normal means, which two or three ratings are not.
   */
  minCount?: number;
  /** Significance level for `isSignificant`. Default `0.05`. */
  alpha?: number;
}

/** One calendar bucket of {@link ratingTrend}: `[start, end)` in UTC. */
export interface TrendBucket {
  start: Date;
  end: Date;
  /** Ratings in the bucket (the `n` behind `average`). */
  count: number;
  /** Dated reviews in the bucket, rated or not (volume). */
  total: number;
  /** Mean stars, `null` when the bucket has no rating (never 0). */
  average: number | null;
  /** `false` only for the last bucket, which contains `asOf`. */
  isComplete: boolean;
}

/** Change between the last two complete buckets. */
export interface TrendChange {
  previous: number;
  current: number;
  /** `current − previous`, in stars. */
  delta: number;
  /** Welch's t of current against previous; `null` when a bucket has < 2 ratings or both have zero variance. */
  t: number | null;
  /** Welch–Satterthwaite degrees of freedom, `null` with `t`. */
  df: number | null;
  /** Two-sided p-value, `null` with `t`. */
  pValue: number | null;
  /** `pValue < alpha` and both buckets have at least `minCount` ratings. */
  isSignificant: boolean;
}

/** Result of {@link ratingTrend}. */
export interface RatingTrend {
  interval: TrendInterval;
  /** Oldest first: `periods` complete buckets, then the current incomplete one. */
  buckets: TrendBucket[];
  /** `null` when either of the last two complete buckets has no rating. */
  change: TrendChange | null;
}

/**
 * Average rating per calendar bucket (UTC, half-open `[start, end)` so midnight on the 1st
 * belongs to the new month), and whether the last complete bucket differs from the one before
 * by more than noise (Welch's t-test, two-sided, Student-t p-value).
 *
 * Reads `stars` and `createdAt` (plus `recommendation` with `recommendationStars`). Undated
 * reviews and reviews older than the first bucket are skipped; future-dated reviews count at
 * `asOf` (in the current bucket). Unrated reviews count in `total` only.
 *
 * @throws RangeError for a missing/invalid `asOf`, an unknown `interval` or bad numbers.
 * @example
 * const { change } = ratingTrend(reviews, { interval: 'month', asOf: new Date() });
 * if (change?.isSignificant && change.delta < 0) console.log('rating dropped, and it is not noise');
 */
export function ratingTrend(reviews: Iterable<ScoreInput>, options: RatingTrendOptions): RatingTrend {
  const asOf = requiredTime(options.asOf, 'asOf');
  const periods = options.periods ?? 12;
  if (!Number.isInteger(periods) || periods < 2) throw new RangeError(`periods must be an integer ≥ 2, got ${periods}`);
  const minCount = checkRange(options.minCount ?? 5, 2, Infinity, 'minCount');
  const alpha = checkRange(options.alpha ?? 0.05, 0, 1, 'alpha');
  const mapping = checkRecommendationStars(options.recommendationStars);
  const starts = bucketStarts(options.interval, asOf, periods);
  const bucketCount = periods + 1;
  const counts = new Float64Array(bucketCount);
  const totals = new Float64Array(bucketCount);
  const means = new Float64Array(bucketCount);
  const m2 = new Float64Array(bucketCount);
  const first = starts[0] ?? 0;
  let last = bucketCount - 1;
  for (const review of reviews) {
    let t = timeOf(review.createdAt);
    if (!(t >= first)) continue;
    if (t > asOf) t = asOf;
    if (!(t >= (starts[last] ?? 0) && t < (starts[last + 1] ?? 0))) last = findBucket(starts, t);
    totals[last] = (totals[last] ?? 0) + 1;
    const s = starsOf(review, mapping);
    if (Number.isNaN(s)) continue;
    // Welford's update: stable variance for the t-test without keeping the ratings.
    const n = (counts[last] ?? 0) + 1;
    const mean = means[last] ?? 0;
    const delta = s - mean;
    const nextMean = mean + delta / n;
    counts[last] = n;
    means[last] = nextMean;
    m2[last] = (m2[last] ?? 0) + delta * (s - nextMean);
  }
  const buckets: TrendBucket[] = [];
  for (let i = 0; i < bucketCount; i++) {
    const count = counts[i] ?? 0;
    buckets.push({
      start: new Date(starts[i] ?? 0),
      end: new Date(starts[i + 1] ?? 0),
      count,
      total: totals[i] ?? 0,
      average: count === 0 ? null : (means[i] ?? 0),
      isComplete: i < periods,
    });
  }
  const summary = (i: number) => {
    const count = counts[i] ?? 0;
    return { count, mean: means[i] ?? 0, variance: count > 1 ? (m2[i] ?? 0) / (count - 1) : 0 };
  };
  const previous = summary(periods - 2);
  const current = summary(periods - 1);
  if (previous.count === 0 || current.count === 0) return { interval: options.interval, buckets, change: null };
  const test = welchTTest(previous, current);
  return {
    interval: options.interval,
    buckets,
    change: {
      previous: previous.mean,
      current: current.mean,
      delta: current.mean - previous.mean,
      t: test?.t ?? null,
      df: test?.df ?? null,
      pValue: test?.pValue ?? null,
      isSignificant:
        test !== null && test.pValue < alpha && previous.count >= minCount && current.count >= minCount,
    },
  };
}

// Binary search for the bucket whose [start, end) holds t (t within the covered range).
function findBucket(starts: Float64Array, t: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `periods + 2` boundaries: starts of the complete buckets, of the current one, and its end. */
function bucketStarts(interval: TrendInterval, asOf: number, periods: number): Float64Array {
  const starts = new Float64Array(periods + 2);
  if (interval === 'week') {
    const day = Math.floor(asOf / DAY_MS);
    // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
    const monday = day - (((day + 3) % 7) + 7) % 7;
    for (let i = 0; i < starts.length; i++) starts[i] = (monday + 7 * (i - periods)) * DAY_MS;
    return starts;
  }
  const step = interval === 'month' ? 1 : interval === 'quarter' ? 3 : 0;
  if (step === 0) throw new RangeError(`interval must be 'week', 'month' or 'quarter', got ${String(interval)}`);
  const date = new Date(asOf);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() - (date.getUTCMonth() % step);
  for (let i = 0; i < starts.length; i++) starts[i] = Date.UTC(year, month + step * (i - periods), 1);
  return starts;
}
