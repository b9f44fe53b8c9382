import type { StarOptions } from './average.js';
import {
  checkPositive,
  checkRange,
  checkRecommendationStars,
  DAY_MS,
  type DateInput,
  requiredTime,
  type ScoreInput,
  starsOf,
  timeOf,
} from './inputs.js';

/** Options of {@link timeDecayedAverage}. */
export interface TimeDecayedAverageOptions extends StarOptions {
  /** The instant ages are measured from (required: scores never read the clock). */
  asOf: DateInput;
  /**
   * Age (days) at which a review weighs half as much as a new one. Default `180`: between
   * ResellerRatings' "first 6 months count more" and Birdeye's −4 %/month (≈ 17 months);
   * no platform publishes its half-life.
   */
  halfLifeDays?: number;
  /** Prior strength m in decayed-review units (≥ 0). Default `0`: no prior. */
  priorWeight?: number;
  /** Prior mean C in stars (1..5), used only when `priorWeight > 0`. Default `3.5`. */
  priorMean?: number;
}

/** Default half-life of {@link timeDecayedAverage}, in days. */
export const DEFAULT_HALF_LIFE_DAYS = 180;

/**
 * Exponentially time-decayed mean of `stars`:
 * `(Σ wᵢ·starsᵢ + m·C) / (Σ wᵢ + m)`, `wᵢ = 0.5^(ageᵢ / halfLife)`, age = `asOf − createdAt`
 * in exact days (ms / 86 400 000).
 *
 * Edge cases: future-dated reviews get age 0 (weight 1, never more); undated reviews cannot be
 * aged and are skipped; no dated rating → `null` without a prior, `priorMean` with one.
 * Without a prior the result does not move when `asOf` moves forward with no new reviews
 * (every weight scales alike) — staleness shows only through a prior or a recency figure.
 *
 * @returns 1..5 or `null`.
 * @throws RangeError for a missing/invalid `asOf`, `halfLifeDays ≤ 0`, bad prior or `stars`.
 */
export function timeDecayedAverage(reviews: Iterable<ScoreInput>, options: TimeDecayedAverageOptions): number | null {
  const asOf = requiredTime(options.asOf, 'asOf');
  const halfLifeDays = checkPositive(options.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS, 'halfLifeDays');
  const priorWeight = checkRange(options.priorWeight ?? 0, 0, Infinity, 'priorWeight');
  const priorMean = checkRange(options.priorMean ?? 3.5, 1, 5, 'priorMean');
  const mapping = checkRecommendationStars(options.recommendationStars);
  const decay = decayAccumulator(halfLifeDays);
  for (const review of reviews) {
    const s = starsOf(review, mapping);
    if (Number.isNaN(s)) continue;
    const t = timeOf(review.createdAt);
    if (!Number.isNaN(t)) addDecayed(decay, t < asOf ? t : asOf, s);
  }
  if (decay.count === 0) return priorWeight === 0 ? null : priorMean;
  return decayedMean(decay, asOf, priorWeight, priorMean);
}

/**
 * Running Σw·x and Σw with weights relative to the newest time seen, so a long span of
 * years cannot underflow every weight to 0; the absolute scale is applied once at the end.
 */
export interface DecayAccumulator {
  lambda: number;
  newest: number;
  weighted: number;
  weights: number;
  count: number;
}

/** An empty {@link DecayAccumulator} for the given half-life. */
export function decayAccumulator(halfLifeDays: number): DecayAccumulator {
  return { lambda: Math.LN2 / (halfLifeDays * DAY_MS), newest: -Infinity, weighted: 0, weights: 0, count: 0 };
}

/** Adds value `x` written at `t` (already clamped to `asOf`). */
export function addDecayed(acc: DecayAccumulator, t: number, x: number): void {
  if (t > acc.newest) {
    if (acc.count > 0) {
      const rescale = Math.exp(-acc.lambda * (t - acc.newest));
      acc.weighted *= rescale;
      acc.weights *= rescale;
    }
    acc.newest = t;
  }
  const w = t === acc.newest ? 1 : Math.exp(-acc.lambda * (acc.newest - t));
  acc.weighted += w * x;
  acc.weights += w;
  acc.count++;
}

/** `(Σw·x + m·C) / (Σw + m)` with absolute weights `0.5^(age/halfLife)`; needs `count > 0`. */
export function decayedMean(acc: DecayAccumulator, asOf: number, priorWeight: number, priorMean: number): number {
  if (priorWeight === 0) return acc.weighted / acc.weights;
  const scale = Math.exp(-acc.lambda * (asOf - acc.newest));
  return (scale * acc.weighted + priorWeight * priorMean) / (scale * acc.weights + priorWeight);
}
