import { NEGATIVE, POSITIVE, recommendationOf, type ScoreInput, starBucket, starsOf } from './inputs.js';
import { DEFAULT_WILSON_Z, wilsonLowerBound } from './wilson.js';

/** Options of the share helpers ({@link csat}, {@link netPromoterScore}, {@link positiveShare}). */
export interface ShareOptions {
  /**
   * Count recommendation-only reviews as yes/no answers: `positive` as satisfied / promoter,
   * `negative` as dissatisfied / detractor. Default `true` — a recommendation is an honest
   * binary vote, which is what these shares measure. Set `false` to count star ratings only.
   */
  includeRecommendations?: boolean;
}

interface ShareCounts {
  /** 5★ (after rounding) or positive recommendation. */
  top: number;
  /** 4★ (after rounding). */
  fourStar: number;
  /** 1–3★ (after rounding) or negative recommendation. */
  low: number;
  total: number;
}

function countShares(reviews: Iterable<ScoreInput>, includeRecommendations: boolean): ShareCounts {
  let top = 0;
  let fourStar = 0;
  let low = 0;
  let total = 0;
  for (const review of reviews) {
    const s = starsOf(review, undefined);
    if (!Number.isNaN(s)) {
      const bucket = starBucket(s);
      if (bucket === 5) top++;
      else if (bucket === 4) fourStar++;
      else low++;
      total++;
    } else if (includeRecommendations) {
      const r = recommendationOf(review);
      if (r === POSITIVE) {
        top++;
        total++;
      } else if (r === NEGATIVE) {
        low++;
        total++;
      }
    }
  }
  return { top, fourStar, low, total };
}

/**
 * Customer satisfaction: the share of satisfied answers, `(n4 + n5) / n` — "any response where
 * the score was a 4 or a 5" (Delighted). Stars are bucketed like {@link ratingDistribution}
 * (nearest whole star, halves up); positive recommendations count as satisfied unless
 * `includeRecommendations: false`. Not the plain mean, which some tools also call CSAT.
 *
 * @returns a fraction 0..1 (multiply by 100 for a percentage), or `null` with no rating or
 *   recommendation. Unrated reviews are ignored.
 */
export function csat(reviews: Iterable<ScoreInput>, options: ShareOptions = {}): number | null {
  const c = countShares(reviews, options.includeRecommendations ?? true);
  return c.total === 0 ? null : (c.top + c.fourStar) / c.total;
}

/**
 * Net Promoter-style score from stars: `100 · (promoters − detractors) / n` with 5★ promoters,
 * 4★ passives, 1–3★ detractors (Reputation.com's "Net Rating Score"; the same cut-offs as
 * Bain's 9–10 / 7–8 / 0–6 after a linear 1–5 → 0–10 rescale). Stars bucketed like
 * {@link ratingDistribution}; recommendations count as promoter (positive) or detractor
 * (negative) unless `includeRecommendations: false`.
 *
 * @returns −100..100, or `null` with no rating or recommendation.
 */
export function netPromoterScore(reviews: Iterable<ScoreInput>, options: ShareOptions = {}): number | null {
  const c = countShares(reviews, options.includeRecommendations ?? true);
  return c.total === 0 ? null : (100 * (c.top - c.low)) / c.total;
}

/** Options of {@link positiveShare}. */
export interface PositiveShareOptions extends ShareOptions {
  /** `z` of the Wilson lower bound. Default `1.96`. */
  z?: number;
}

/** Result of {@link positiveShare}. */
export interface PositiveShare {
  /** 4–5★ ratings plus positive recommendations. */
  positive: number;
  /** Ratings plus recommendations (unrated reviews excluded). */
  total: number;
  /** `positive / total`, `null` when `total` is 0 (equals {@link csat}). */
  share: number | null;
  /** {@link wilsonLowerBound} of `positive` of `total`; 0 when `total` is 0. */
  lowerBound: number;
}

/**
 * The yes/no view of mixed sources: star ratings reduced to 4–5★ = yes, 1–3★ = no (Miller's
 * suggested threshold), recommendations taken as they are, with the Wilson lower bound so few
 * votes are not overrated. The way to compare a recommendation-only page with a star-rated one
 * without inventing stars.
 */
export function positiveShare(reviews: Iterable<ScoreInput>, options: PositiveShareOptions = {}): PositiveShare {
  const c = countShares(reviews, options.includeRecommendations ?? true);
  const positive = c.top + c.fourStar;
  return {
    positive,
    total: c.total,
    share: c.total === 0 ? null : positive / c.total,
    lowerBound: wilsonLowerBound(positive, c.total, { z: options.z ?? DEFAULT_WILSON_Z }),
  };
}
