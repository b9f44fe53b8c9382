export {
  type Adapter,
  type AdapterContext,
  type AdapterDefinition,
  type AdapterDefinitionBase,
  type AdapterFactory,
  type AdapterPage,
  type AnyAdapterDefinition,
  type CommonAdapterOptions,
  defineAdapter,
  type ItemAdapterDefinition,
  type NormalizeContext,
  type ReviewPage,
  type RunSettings,
  type SourceSummary,
  type SourceWarning,
} from './define-adapter.js';
export { dateSchema, fromEpochSeconds, type ParseDateOptions, parseDate } from './dates.js';
export {
  type AggregateOptions,
  type AggregateResult,
  aggregate,
  type Coverage,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_PAGES,
  MAX_SKIPPED_LISTED,
  type ProgressEvent,
  STREAM_DEDUPE_WINDOW,
  type SourceReport,
  streamReviews,
} from './engine.js';
export { FINGERPRINT_FIELDS, reviewFingerprint } from './fingerprint.js';
export { ERROR_CODES, type ErrorCode, ReviewkitError, type ReviewkitErrorInit, redact } from './errors.js';
export {
  DEFAULT_MAX_CONTENT_LENGTH,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type DetectedError,
  type ErrorDetector,
  type HttpClient,
  type HttpMethod,
  type HttpOverrides,
  type HttpResponseInfo,
  parseRetryAfter,
  type RequestOptions,
  type RetryInfo,
  type RetryOptions,
} from './http.js';
export { CSV_COLUMNS, type CsvColumn, type ToCsvOptions, toCsv } from './import/csv.js';
export { parseReviewStream, parseReviews, readReviews, reviewFileFormatOf, streamReviewFile } from './import/read.js';
export {
  type ParseReviewStreamOptions,
  type ParseReviewsOptions,
  REVIEW_FILE_FORMATS,
  type ReadReviewsOptions,
  type ReviewFileFormat,
  type SkippedRow,
} from './import/rows.js';
export { ReviewJsonSchema } from './import/wire.js';
export type { SkippedItem } from './items.js';
export { checkReplyText, deleteReply, type ReplyOptions, reply } from './reply.js';
export type { AdapterReplies, ReplyCapability, ReplyContext, ReplyResult, ReplyRules, ReplySettings } from './reply-types.js';
export {
  createReview,
  type DatePrecision,
  type Polarity,
  polarityOf,
  type Rating,
  RatingSchema,
  type Recommendation,
  type Reply,
  ReplySchema,
  type Review,
  type ReviewInput,
  ReviewSchema,
  toStars,
} from './review.js';
export {
  type BayesianAverageOptions,
  averageRating,
  bayesianAverage,
  DEFAULT_PRIOR_MEAN,
  DEFAULT_PRIOR_WEIGHT,
  ratingDistribution,
  type StarOptions,
} from './scores/average.js';
export { DEFAULT_HALF_LIFE_DAYS, type TimeDecayedAverageOptions, timeDecayedAverage } from './scores/decay.js';
export type { DateInput, RecommendationStars, ScoreInput, ScoreReply, StarCounts } from './scores/inputs.js';
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
} from './scores/reputation.js';
export {
  DEFAULT_RESPONDABLE_SOURCES,
  type RespondableSources,
  type ResponseRateOptions,
  type ResponseTime,
  type ResponseTimeOptions,
  responseRate,
  responseTime,
} from './scores/response.js';
export {
  csat,
  netPromoterScore,
  type PositiveShare,
  type PositiveShareOptions,
  positiveShare,
  type ShareOptions,
} from './scores/shares.js';
export { DEFAULT_STAR_Z, type StarLowerBoundOptions, starRatingLowerBound } from './scores/star-lower-bound.js';
export { type SampleSummary, studentTCdf, type WelchTest, welchTTest } from './scores/stats.js';
export {
  type RatingTrend,
  type RatingTrendOptions,
  ratingTrend,
  type TrendBucket,
  type TrendChange,
  type TrendInterval,
} from './scores/trend.js';
export { DEFAULT_WILSON_Z, type WilsonOptions, wilsonLowerBound } from './scores/wilson.js';
export {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  type Sink,
  type SinkContext,
  type SinkHttpOptions,
  type SlackBlock,
  type SlackMessage,
  type SlackOptions,
  slackMessage,
  toSlack,
  toWebhook,
  type VerifyWebhookOptions,
  verifyWebhookSignature,
  WEBHOOK_EVENT_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type WebhookBody,
  type WebhookOptions,
  webhookSignature,
} from './sinks.js';
export { fileStore } from './store/file.js';
export { memoryStore } from './store/memory.js';
export { type SqliteStoreOptions, sqliteStore } from './store/sqlite.js';
export type {
  DeliveryOutcome,
  MarkNeedsReplyOptions,
  PendingDelivery,
  ResumePoint,
  ReviewQuery,
  ReviewStore,
  UpsertOptions,
  UpsertResult,
  WatchEvent,
  WatchEventType,
} from './store/types.js';
export { DEFAULT_SYNC_OVERLAP_MS, resumeKeyOf, type StoredInfo, type SyncOptions, type SyncResult, sync } from './sync.js';
export { type CleanTextOptions, cleanText } from './text.js';
export { VERSION } from './version.js';
export {
  DEFAULT_NEEDS_REPLY_AFTER_HOURS,
  DEFAULT_WATCH_JITTER,
  type PollReport,
  type WatchOptions,
  watch,
} from './watch.js';
