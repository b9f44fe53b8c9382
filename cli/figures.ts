// The figures `score` prints and `report` draws, computed once by the library's helpers with
// fixed, documented parameters, so `score --json` can be recomputed by anyone with the library.
import {
  averageRating,
  csat,
  DEFAULT_RESPONDABLE_SOURCES,
  netPromoterScore,
  type RatingTrend,
  type ReputationScore,
  type ResponseTime,
  ratingDistribution,
  ratingTrend,
  reputationScore,
  responseRate,
  responseTime,
  type StarCounts,
} from 'reviewkit';
import { RESPONSE_GRACE_HOURS, RESPONSE_WINDOW_DAYS, TREND_MONTHS } from './parameters.js';
import type { InputReview } from './review-files.js';

/** Every figure of a set of reviews as of one instant. */
export interface Figures {
  asOf: Date;
  /** Reviews scored (after deduplication). */
  reviews: number;
  /** Reviews with a star rating. */
  rated: number;
  reputation: ReputationScore;
  averageRating: number | null;
  ratingDistribution: StarCounts;
  csat: number | null;
  netPromoterScore: number | null;
  responseRate: number | null;
  responseTime: ResponseTime;
  trend: RatingTrend;
}

/** Computes {@link Figures} with the calls listed in `FIGURE_CALLS` (parameters.ts). */
export function computeFigures(reviews: readonly InputReview[], asOf: Date): Figures {
  return {
    asOf,
    reviews: reviews.length,
    rated: reviews.filter((review) => review.stars !== null).length,
    reputation: reputationScore(reviews, { asOf }),
    averageRating: averageRating(reviews),
    ratingDistribution: ratingDistribution(reviews),
    csat: csat(reviews),
    netPromoterScore: netPromoterScore(reviews),
    responseRate: responseRate(reviews, { asOf, windowDays: RESPONSE_WINDOW_DAYS, graceHours: RESPONSE_GRACE_HOURS }),
    responseTime: responseTime(reviews, { asOf, windowDays: RESPONSE_WINDOW_DAYS }),
    trend: ratingTrend(reviews, { interval: 'month', asOf, periods: TREND_MONTHS }),
  };
}

/** Whether the business can answer reviews of `source` (the score helpers' default list). */
export function isRespondable(review: Pick<InputReview, 'source' | 'replies'>): boolean {
  return review.replies.length > 0 || (review.source !== null && DEFAULT_RESPONDABLE_SOURCES.includes(review.source));
}
