// The fixed parameters behind the figures and files of the CLI, in one light module: help texts
// quote them without loading the library.

/** The config file `fetch` reads when `--config` is not given. */
export const DEFAULT_CONFIG_FILE = 'reviewkit.config.json';

/** The formats `fetch --format` writes (those the library's readers read back). */
export const OUTPUT_FORMATS = ['ndjson', 'json', 'csv'] as const;

/** Trailing window of the response figures, as in `reputationScore` (its default `windowDays`). */
export const RESPONSE_WINDOW_DAYS = 365;
/** Unreplied reviews younger than this are not counted against the response rate yet, as in `reputationScore`. */
export const RESPONSE_GRACE_HOURS = 48;
/** The response time target the report measures against (`responseTime`'s default `slaHours`). */
export const RESPONSE_TARGET_HOURS = 24;
/** Months in the trend before the current one. */
export const TREND_MONTHS = 12;
/** Negative reviews younger than this are listed as needing a reply. */
export const NEEDS_REPLY_DAYS = 90;
/** Most reviews listed as needing a reply (the rest are counted). */
export const NEEDS_REPLY_LISTED = 25;

/**
 * The library calls behind each figure of `score --json`, as its help lists them: the command
 * prints exactly what these return (dates as ISO strings).
 */
export const FIGURE_CALLS = {
  reputation: 'reputationScore(reviews, { asOf })',
  averageRating: 'averageRating(reviews)',
  ratingDistribution: 'ratingDistribution(reviews)',
  csat: 'csat(reviews)',
  netPromoterScore: 'netPromoterScore(reviews)',
  responseRate: `responseRate(reviews, { asOf, windowDays: ${RESPONSE_WINDOW_DAYS}, graceHours: ${RESPONSE_GRACE_HOURS} })`,
  responseTime: `responseTime(reviews, { asOf, windowDays: ${RESPONSE_WINDOW_DAYS} })`,
  trend: `ratingTrend(reviews, { interval: 'month', asOf, periods: ${TREND_MONTHS} })`,
} as const;

/** The files `demo` writes in the current directory. */
export const DEMO_FILES = { reviews: 'reviewkit-demo.ndjson', report: 'reviewkit-demo.html' } as const;

/** The environment variable `watch --webhook` reads its signing secret from, unless `--webhook-secret-env` names another. */
export const DEFAULT_WEBHOOK_SECRET_ENV = 'REVIEWKIT_WEBHOOK_SECRET';
