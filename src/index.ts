export {
  type Adapter,
  type AdapterContext,
  type AdapterDefinition,
  type AdapterFactory,
  type AdapterPage,
  type CommonAdapterOptions,
  defineAdapter,
  type NormalizeContext,
  type ReviewPage,
  type RunSettings,
  type SourceSummary,
} from './define-adapter.js';
export { fromEpochSeconds, type ParseDateOptions, parseDate } from './dates.js';
export {
  type AggregateOptions,
  type AggregateResult,
  aggregate,
  type Coverage,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_PAGES,
  type ProgressEvent,
  type SourceReport,
  streamReviews,
} from './engine.js';
export { ERROR_CODES, type ErrorCode, ReviewkitError, type ReviewkitErrorInit, redact } from './errors.js';
export {
  DEFAULT_MAX_CONTENT_LENGTH,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type DetectedError,
  type ErrorDetector,
  type HttpClient,
  type HttpOverrides,
  type HttpResponseInfo,
  parseRetryAfter,
  type RequestOptions,
  type RetryInfo,
  type RetryOptions,
} from './http.js';
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
export { type CleanTextOptions, cleanText } from './text.js';
export { VERSION } from './version.js';
