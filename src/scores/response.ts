import {
  checkPositive,
  checkRange,
  type DateInput,
  floatBuffer,
  HOUR_MS,
  DAY_MS,
  medianOf,
  pushFloat,
  type ScoreInput,
  timeOf,
} from './inputs.js';

/**
 * Sources where a business can publicly reply through the source's own tooling or API. Not
 * listed, so not respondable by default: `yelp` (the Fusion API neither returns nor posts owner
 * replies), `google-places` (read-only, at most 5 reviews), `x` and `instagram` (mentions, not
 * reviews), `schema-org` (a third-party page). A review that already carries a reply counts as
 * respondable whatever its source. Override with the `respondableSources` option.
 */
export const DEFAULT_RESPONDABLE_SOURCES: readonly string[] = Object.freeze([
  'google-business-profile',
  'facebook',
  'trustpilot',
  'tripadvisor',
  'app-store',
  'google-play',
]);

/** Source names where replies are possible, or `'all'` (e.g. plain objects without `source`). */
export type RespondableSources = Iterable<string> | 'all';

/** Options of {@link responseRate}. */
export interface ResponseRateOptions {
  /** Default {@link DEFAULT_RESPONDABLE_SOURCES}; reviews with a reply always count. */
  respondableSources?: RespondableSources;
  /** End of the window (inclusive); required with `windowDays` or `graceHours`. */
  asOf?: DateInput;
  /**
   * Only reviews written in `(asOf − windowDays, asOf]` (the review-date cohort, as Yext
   * defines the rate). Default: all time. With a window, undated reviews are left out.
   */
  windowDays?: number;
  /**
   * Unreplied reviews younger than this at `asOf` are left out: they are right-censored,
   * not ignored yet. Default `0`. Replied reviews always count.
   */
  graceHours?: number;
}

/**
 * Share of respondable reviews that received at least one reply (extra replies do not count
 * twice), cohort by review date.
 *
 * A review is respondable when its `source` is in `respondableSources` or it already has a
 * reply. Reads `source`, `replies`, and `createdAt` only with a window or grace period.
 * Unrated reviews (mentions) count like any other. Future-dated reviews have age 0.
 *
 * Note: plain objects without `source` are respondable only when replied, which would give 1.0;
 * pass `respondableSources: 'all'` for such data.
 *
 * @returns a fraction 0..1, or `null` when no review is respondable.
 */
export function responseRate(reviews: Iterable<ScoreInput>, options: ResponseRateOptions = {}): number | null {
  const sources = respondableSet(options.respondableSources);
  const window = readWindow(options.asOf, options.windowDays, options.graceHours ?? 0);
  let respondable = 0;
  let replied = 0;
  for (const review of reviews) {
    const hasReply = review.replies != null && review.replies.length > 0;
    if (!hasReply && !isRespondableSource(review.source, sources)) continue;
    if (window.isActive) {
      const t = timeOf(review.createdAt);
      if (Number.isNaN(t)) {
        if (window.windowMs !== Infinity) continue;
      } else {
        const age = t < window.asOf ? window.asOf - t : 0;
        if (age >= window.windowMs) continue;
        if (!hasReply && age < window.graceMs) continue;
      }
    }
    respondable++;
    if (hasReply) replied++;
  }
  return respondable === 0 ? null : replied / respondable;
}

/** Options of {@link responseTime}. */
export interface ResponseTimeOptions {
  /** End of the window (inclusive); required with `windowDays`. */
  asOf?: DateInput;
  /** Only reviews written in `(asOf − windowDays, asOf]`. Default: all time. */
  windowDays?: number;
  /** Target for `withinSla`, in hours. Default `24`. */
  slaHours?: number;
}

/** Result of {@link responseTime}. */
export interface ResponseTime {
  /** Median hours from review to first reply over measurable reviews; `null` when none. */
  medianHours: number | null;
  /** Mean of the same; dominated by outliers, prefer the median. `null` when none. */
  meanHours: number | null;
  /** Reviews with at least one reply. */
  responded: number;
  /** Replied reviews whose review and first reply are both dated (the denominator of the figures). */
  measured: number;
  /** Share of measured reviews answered within `slaHours`; `null` when none measured. */
  withinSla: number | null;
}

/**
 * Hours from a review to its FIRST reply (`replies[0]`, the list being oldest first; the
 * earliest dated reply when a plain object lists them out of order).
 *
 * Not measurable, so counted in `responded` but not in the figures: an undated review, or a
 * first reply whose `createdAt` is null. A reply dated before its review (clock skew between
 * systems) counts as 0 h. Unreplied reviews are not in the figures (Yext's definition), which is
 * why {@link responseRate} exists.
 *
 * @returns hours ≥ 0 and counts; every figure `null` when nothing is measurable.
 */
export function responseTime(reviews: Iterable<ScoreInput>, options: ResponseTimeOptions = {}): ResponseTime {
  const window = readWindow(options.asOf, options.windowDays, 0);
  const slaMs = checkRange(options.slaHours ?? 24, 0, Infinity, 'slaHours') * HOUR_MS;
  const hours = floatBuffer();
  let responded = 0;
  let sumMs = 0;
  let withinSla = 0;
  for (const review of reviews) {
    const replies = review.replies;
    if (replies == null || replies.length === 0) continue;
    const t = timeOf(review.createdAt);
    if (window.isActive) {
      if (Number.isNaN(t)) continue;
      if ((t < window.asOf ? window.asOf - t : 0) >= window.windowMs) continue;
    }
    responded++;
    const delay = firstReplyDelay(t, replies);
    if (Number.isNaN(delay)) continue;
    sumMs += delay;
    if (delay <= slaMs) withinSla++;
    pushFloat(hours, delay / HOUR_MS);
  }
  const measured = hours.length;
  return {
    medianHours: medianOf(hours),
    meanHours: measured === 0 ? null : sumMs / measured / HOUR_MS,
    responded,
    measured,
    withinSla: measured === 0 ? null : withinSla / measured,
  };
}

/** Ms from `reviewTime` to the first reply, clamped ≥ 0; `NaN` when not measurable. */
export function firstReplyDelay(reviewTime: number, replies: readonly { readonly createdAt?: DateInput | null }[]): number {
  if (Number.isNaN(reviewTime)) return Number.NaN;
  let first = timeOf(replies[0]?.createdAt, 'replies[0].createdAt');
  if (Number.isNaN(first)) return Number.NaN;
  for (let i = 1; i < replies.length; i++) {
    const t = timeOf(replies[i]?.createdAt, 'reply createdAt');
    if (t < first) first = t;
  }
  return first > reviewTime ? first - reviewTime : 0;
}

/** The `respondableSources` option as a set, built once per call. */
export function respondableSet(option: RespondableSources | undefined): ReadonlySet<string> | 'all' {
  if (option === 'all') return 'all';
  return new Set(option ?? DEFAULT_RESPONDABLE_SOURCES);
}

/** Whether a review from `source` could have been answered. */
export function isRespondableSource(source: string | null | undefined, sources: ReadonlySet<string> | 'all'): boolean {
  return sources === 'all' || (source != null && sources.has(source));
}

interface Window {
  isActive: boolean;
  asOf: number;
  windowMs: number;
  graceMs: number;
}

function readWindow(asOf: DateInput | undefined, windowDays: number | undefined, graceHours: number): Window {
  const windowMs = windowDays === undefined ? Infinity : checkPositive(windowDays, 'windowDays') * DAY_MS;
  const graceMs = checkRange(graceHours, 0, Infinity, 'graceHours') * HOUR_MS;
  const isActive = windowMs !== Infinity || graceMs > 0;
  if (isActive && asOf === undefined) throw new RangeError('asOf is required with windowDays or graceHours');
  return { isActive, asOf: asOf === undefined ? Number.NaN : timeOf(asOf, 'asOf'), windowMs, graceMs };
}
