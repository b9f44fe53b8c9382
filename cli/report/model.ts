// What the report shows, computed from the reviews: the library's figures, plus the views only
// the report needs (per-source volume, response buckets, the reviews that need a reply).
import { averageRating } from 'reviewkit';
import { computeFigures, type Figures, isRespondable } from '../figures.js';
import { NEEDS_REPLY_DAYS, NEEDS_REPLY_LISTED, RESPONSE_GRACE_HOURS, RESPONSE_TARGET_HOURS, RESPONSE_WINDOW_DAYS } from '../parameters.js';
import type { InputReview } from '../review-files.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** One source's share of the reviews. */
export interface SourceVolume {
  source: string | null;
  count: number;
  rated: number;
  average: number | null;
}

/**
 * Reviews of the last {@link RESPONSE_WINDOW_DAYS} days a business could answer, by outcome;
 * the replied share is `responseRate` and `fast / (fast + slow)` is `responseTime().withinSla`.
 */
export interface ResponseBuckets {
  /** First reply within {@link RESPONSE_TARGET_HOURS}. */
  fast: number;
  /** First reply later. */
  slow: number;
  /** Replied, but the reply (or the review) is undated. */
  untimed: number;
  /** Not answered, and older than the grace period. */
  unanswered: number;
}

/** A review listed under "needs a reply". */
export interface NeedsReply {
  review: InputReview;
  /** Whether the source shows replies at all: when not, "no reply" only means none is visible. */
  areRepliesVisible: boolean;
}

/** Everything the report page shows. */
export interface ReportModel {
  title: string;
  figures: Figures;
  /** Distinct sources, busiest first. */
  sources: SourceVolume[];
  responses: ResponseBuckets;
  needsReply: NeedsReply[];
  /** All negative unanswered reviews of the period, listed or not. */
  needsReplyTotal: number;
  firstReview: Date | null;
  lastReview: Date | null;
  /** Reviews dated in the 30 days up to `asOf`. */
  last30Days: number;
  /** Names of the businesses/places/apps reviewed, most reviewed first. */
  subjects: string[];
  /** Input files as named on the command line. */
  files: string[];
}

/** Builds the {@link ReportModel} of `reviews` as of `asOf`. */
export function buildReportModel(reviews: readonly InputReview[], options: { asOf: Date; title?: string; files: string[] }): ReportModel {
  const { asOf } = options;
  const figures = computeFigures(reviews, asOf);
  const subjects = countBy(reviews, (review) => review.subjectName);
  let first: number | null = null;
  let last: number | null = null;
  let last30Days = 0;
  for (const review of reviews) {
    const t = review.createdAt?.getTime();
    if (t === undefined) continue;
    first = first === null ? t : Math.min(first, t);
    last = last === null ? t : Math.max(last, t);
    if (t <= asOf.getTime() && asOf.getTime() - t < 30 * DAY_MS) last30Days++;
  }
  const needsReply = needingReply(reviews, asOf);
  const subjectNames = subjects.flatMap(([name]) => (name === null ? [] : [name]));
  return {
    title: options.title ?? (subjectNames.length === 1 ? `${subjectNames[0]}: reviews` : 'Review report'),
    figures,
    sources: sourceVolumes(reviews),
    responses: responseBuckets(reviews, asOf),
    needsReply: needsReply.slice(0, NEEDS_REPLY_LISTED),
    needsReplyTotal: needsReply.length,
    firstReview: first === null ? null : new Date(first),
    lastReview: last === null ? null : new Date(last),
    last30Days,
    subjects: subjectNames,
    files: options.files,
  };
}

function countBy<K>(reviews: readonly InputReview[], key: (review: InputReview) => K): [K, InputReview[]][] {
  const groups = new Map<K, InputReview[]>();
  for (const review of reviews) {
    const k = key(review);
    const group = groups.get(k);
    if (group) group.push(review);
    else groups.set(k, [review]);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length);
}

function sourceVolumes(reviews: readonly InputReview[]): SourceVolume[] {
  return countBy(reviews, (review) => review.source).map(([source, group]) => ({
    source,
    count: group.length,
    rated: group.filter((review) => review.stars !== null).length,
    average: averageRating(group),
  }));
}

/** The response outcomes, counted exactly as `responseRate`/`responseTime` count them (window, grace, first reply). */
export function responseBuckets(reviews: readonly InputReview[], asOf: Date): ResponseBuckets {
  const buckets: ResponseBuckets = { fast: 0, slow: 0, untimed: 0, unanswered: 0 };
  const now = asOf.getTime();
  for (const review of reviews) {
    const t = review.createdAt?.getTime();
    if (t === undefined) continue;
    const age = t < now ? now - t : 0;
    if (age >= RESPONSE_WINDOW_DAYS * DAY_MS) continue;
    if (review.replies.length === 0) {
      if (isRespondable(review) && age >= RESPONSE_GRACE_HOURS * HOUR_MS) buckets.unanswered++;
      continue;
    }
    const delay = firstReplyDelay(t, review.replies);
    if (delay === null) buckets.untimed++;
    else if (delay <= RESPONSE_TARGET_HOURS * HOUR_MS) buckets.fast++;
    else buckets.slow++;
  }
  return buckets;
}

// As the score helpers measure it: from the review to its first reply (`replies[0]`, or the
// earliest dated one), never negative; unmeasurable when the first reply is undated.
function firstReplyDelay(reviewTime: number, replies: InputReview['replies']): number | null {
  let first = replies[0]?.createdAt?.getTime();
  if (first === undefined) return null;
  for (const reply of replies) {
    const t = reply.createdAt?.getTime();
    if (t !== undefined && t < first) first = t;
  }
  return Math.max(0, first - reviewTime);
}

function needingReply(reviews: readonly InputReview[], asOf: Date): NeedsReply[] {
  const now = asOf.getTime();
  return reviews
    .filter((review) => {
      const t = review.createdAt?.getTime();
      return review.polarity === 'negative' && review.replies.length === 0 && t !== undefined && now - t < NEEDS_REPLY_DAYS * DAY_MS;
    })
    .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
    .map((review) => ({ review, areRepliesVisible: isRespondable(review) }));
}
