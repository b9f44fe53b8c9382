import {
  checkRange,
  checkRecommendationStars,
  type RecommendationStars,
  type ScoreInput,
  type StarCounts,
  starBucket,
  starsOf,
} from './inputs.js';

/** Options shared by the star-average helpers. */
export interface StarOptions {
  /**
   * Opt-in star value for recommendation-only reviews (e.g. `{ positive: 5, negative: 1 }`).
   * Default: none — recommendations are a yes/no channel and stay out of star figures.
   */
  recommendationStars?: RecommendationStars;
}

/**
 * Arithmetic mean of `stars` over rated reviews: `Σ stars / n`.
 *
 * Reads `stars` (and `recommendation` only with `recommendationStars`). Unrated reviews and
 * recommendations are not ratings and are skipped.
 *
 * @returns 1..5, or `null` when there is no rating (empty input, all unrated).
 * @throws RangeError when a `stars` value is not a number in 1..5.
 * @example averageRating([{ stars: 5 }, { stars: 4 }, { stars: null }]) // 4.5
 */
export function averageRating(reviews: Iterable<ScoreInput>, options: StarOptions = {}): number | null {
  const mapping = checkRecommendationStars(options.recommendationStars);
  const { sum, n } = sumStars(reviews, mapping);
  return n === 0 ? null : sum / n;
}

/**
 * Counts of ratings per star, ascending `[n1, n2, n3, n4, n5]` (not the descending order of
 * the widely copied StackOverflow `starsort`).
 *
 * Fractional stars (a 1–10 source normalized to 1–5) go to the nearest whole star, halves
 * rounding up: 4.5 → 5★, 3.49 → 3★. Unrated reviews are not counted; empty input gives
 * `[0, 0, 0, 0, 0]`.
 *
 * @throws RangeError when a `stars` value is not a number in 1..5.
 */
export function ratingDistribution(reviews: Iterable<ScoreInput>, options: StarOptions = {}): StarCounts {
  const mapping = checkRecommendationStars(options.recommendationStars);
  // A plain array returned as is: V8 scalar-replaces a typed array that never escapes, and
  // then boxes a number per review on its variable-index writes.
  const counts: StarCounts = [0, 0, 0, 0, 0];
  for (const review of reviews) {
    const s = starsOf(review, mapping);
    if (Number.isNaN(s)) continue;
    const bucket = starBucket(s) - 1;
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return counts;
}

/** Options of {@link bayesianAverage}. */
export interface BayesianAverageOptions extends StarOptions {
  /**
   * C: the mean the estimate shrinks towards, in stars (1..5). Default `3.5`. Pass the
   * mean of your reference population (platform, industry, catalogue) when you know it.
   */
  priorMean?: number;
  /**
   * m: how many phantom reviews at `priorMean` the prior is worth (≥ 0). Default `7`.
   * Defaults follow Trustpilot's published TrustScore prior ("7 reviews worth 3.5 stars each"):
   * a public, slightly sceptical choice so three 5★ reviews do not outrank a hundred 4.8★ ones.
   */
  priorWeight?: number;
}

/** Default prior mean of {@link bayesianAverage}, in stars. */
export const DEFAULT_PRIOR_MEAN = 3.5;
/** Default prior weight (phantom reviews) of {@link bayesianAverage}. */
export const DEFAULT_PRIOR_WEIGHT = 7;

/**
 * Bayesian ("IMDb weighted") average: `(Σ stars + m·C) / (n + m)`, i.e.
 * `(n/(n+m))·R + (m/(n+m))·C` with R the plain mean.
 *
 * @returns 1..5; with no rating it returns `priorMean` (also when `priorWeight` is 0).
 * @throws RangeError for `priorMean` outside 1..5, a negative `priorWeight`, or bad `stars`.
 * @example bayesianAverage([{ stars: 5 }], { priorMean: 3.5, priorWeight: 7 }) // 3.6875
 */
export function bayesianAverage(reviews: Iterable<ScoreInput>, options: BayesianAverageOptions = {}): number {
  const mapping = checkRecommendationStars(options.recommendationStars);
  const priorMean = checkRange(options.priorMean ?? DEFAULT_PRIOR_MEAN, 1, 5, 'priorMean');
  const priorWeight = checkRange(options.priorWeight ?? DEFAULT_PRIOR_WEIGHT, 0, Infinity, 'priorWeight');
  const { sum, n } = sumStars(reviews, mapping);
  if (n === 0) return priorMean;
  return (sum + priorWeight * priorMean) / (n + priorWeight);
}

/** Sum and count of the star values (see `starsOf`): the one pass both means share. */
function sumStars(reviews: Iterable<ScoreInput>, mapping: RecommendationStars | undefined): { sum: number; n: number } {
  let sum = 0;
  let n = 0;
  for (const review of reviews) {
    const s = starsOf(review, mapping);
    if (!Number.isNaN(s)) {
      sum += s;
      n++;
    }
  }
  return { sum, n };
}
