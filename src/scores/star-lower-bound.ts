import { ratingDistribution, type StarOptions } from './average.js';
import { checkRange, type ScoreInput, type StarCounts } from './inputs.js';

/** Options of {@link starRatingLowerBound}. */
export interface StarLowerBoundOptions extends StarOptions {
  /**
   * Quantile of the (approximately normal) posterior. Default `1.65`: Miller's choice for a
   * one-sided 95 % bound (exact 1.644854). Larger z is more cautious about few ratings.
   */
  z?: number;
}

/** Default `z` of {@link starRatingLowerBound}. */
export const DEFAULT_STAR_Z = 1.65;

/**
 * Evan Miller's approximate Bayesian lower bound for a star distribution ("Ranking Items With
 * Star Ratings", 2014), with a Dirichlet(1,…,1) prior — one phantom vote per star level:
 *
 * `S = μ − z·√((Σ k²·p_k − μ²) / (N + K + 1))`, `p_k = (n_k + 1)/(N + K)`, `μ = Σ k·p_k`, K = 5.
 *
 * Accepts reviews (bucketed like {@link ratingDistribution}: fractional stars to the
 * nearest whole star, halves up) or ascending counts `[n1, n2, n3, n4, n5]`.
 *
 * Edge cases: no ratings → the prior alone, `3 − z·√(2/6)` = 2.047372 at z = 1.65 (not 0);
 * the result is clamped to [1, 5] because a large `z` can push it below the scale.
 *
 * @returns 1..5
 * @throws RangeError for counts that are not 5 finite non-negative numbers, `z < 0`, or bad `stars`.
 * @example starRatingLowerBound([0, 0, 0, 0, 10]) // 3.818855
 */
export function starRatingLowerBound(
  reviewsOrCounts: Iterable<ScoreInput> | Readonly<StarCounts>,
  options: StarLowerBoundOptions = {},
): number {
  const z = checkRange(options.z ?? DEFAULT_STAR_Z, 0, Number.MAX_VALUE, 'z');
  const counts = isStarCounts(reviewsOrCounts)
    ? reviewsOrCounts
    : ratingDistribution(reviewsOrCounts, options);
  const levels = 5;
  let total = 0;
  for (let k = 0; k < levels; k++) total += checkRange(counts[k] ?? Number.NaN, 0, Number.MAX_VALUE, `counts[${k}]`);
  const denominator = total + levels;
  let mean = 0;
  let second = 0;
  for (let k = 1; k <= levels; k++) {
    const p = ((counts[k - 1] ?? 0) + 1) / denominator;
    mean += k * p;
    second += k * k * p;
  }
  const variance = Math.max(0, second - mean * mean);
  const s = mean - z * Math.sqrt(variance / (denominator + 1));
  return Math.min(5, Math.max(1, s));
}

// An array whose first element is a number is meant as counts; its shape is checked above.
function isStarCounts(value: Iterable<ScoreInput> | Readonly<StarCounts>): value is Readonly<StarCounts> {
  if (!Array.isArray(value) || typeof value[0] !== 'number') return false;
  if (value.length !== 5) throw new RangeError(`star counts must be [n1, n2, n3, n4, n5], got ${value.length} values`);
  return true;
}
