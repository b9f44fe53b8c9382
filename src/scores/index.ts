export {
  type BayesianAverageOptions,
  averageRating,
  bayesianAverage,
  DEFAULT_PRIOR_MEAN,
  DEFAULT_PRIOR_WEIGHT,
  ratingDistribution,
  type StarOptions,
} from './average.js';
export { DEFAULT_HALF_LIFE_DAYS, type TimeDecayedAverageOptions, timeDecayedAverage } from './decay.js';
export type { DateInput, RecommendationStars, ScoreInput, ScoreReply, StarCounts } from './inputs.js';
export {
  DEFAULT_REPUTATION_CURVES,
  DEFAULT_REPUTATION_WEIGHTS,
  type ReputationComponent,
  type ReputationComponentName,
  type ReputationCurves,
  type ReputationScore,
  type ReputationScoreOptions,
  type ReputationWeights,
  reputationScore,
} from './reputation.js';
export {
  DEFAULT_RESPONDABLE_SOURCES,
  type RespondableSources,
  type ResponseRateOptions,
  type ResponseTime,
  type ResponseTimeOptions,
  responseRate,
  responseTime,
} from './response.js';
export {
  csat,
  netPromoterScore,
  type PositiveShare,
  type PositiveShareOptions,
  positiveShare,
  type ShareOptions,
} from './shares.js';
export { DEFAULT_STAR_Z, type StarLowerBoundOptions, starRatingLowerBound } from './star-lower-bound.js';
export { type SampleSummary, studentTCdf, type WelchTest, welchTTest } from './stats.js';
export {
  type RatingTrend,
  type RatingTrendOptions,
  ratingTrend,
  type TrendBucket,
  type TrendChange,
  type TrendInterval,
} from './trend.js';
export { DEFAULT_WILSON_Z, type WilsonOptions, wilsonLowerBound } from './wilson.js';
