import { createHash } from 'node:crypto';
import { ReviewkitError } from '../errors.js';
import { ReviewJsonSchema } from '../import/wire.js';
import { type Review, ReviewSchema } from '../review.js';
import { isValidReview } from '../review-check.js';
import type { DeliveryOutcome, PendingDelivery, ResumePoint, ReviewQuery, WatchEvent, WatchEventType } from './types.js';

/** What every store keeps per review besides the review itself. */
export interface ReviewMeta {
  id: string;
  source: string;
  /** `createdAt` in ms, null when undated. */
  createdMs: number | null;
  fingerprint: string;
  /** Negative (polarity or ≤ 2 stars) and without a reply. */
  isAwaitingReply: boolean;
  /** When `needs-reply` was emitted for it (ISO), or null. */
  alertedAt: string | null;
}

/** True for an unanswered negative review: negative polarity or at most 2 stars, and no reply. */
export function isAwaitingReply(review: Review): boolean {
  const isNegative = review.polarity === 'negative' || (review.stars !== null && review.stars <= 2);
  return isNegative && review.replies.length === 0;
}

/** Newest `createdAt` first, undated last, ties by id: the order of every store's `list`. */
export function newestFirst(a: Pick<ReviewMeta, 'createdMs' | 'id'>, b: Pick<ReviewMeta, 'createdMs' | 'id'>): number {
  const ta = a.createdMs ?? Number.NEGATIVE_INFINITY;
  const tb = b.createdMs ?? Number.NEGATIVE_INFINITY;
  if (ta !== tb) return tb > ta ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Oldest `createdAt` first, ties by id: the order of `needsReply` (dated reviews only). */
export function oldestFirst(a: Pick<ReviewMeta, 'createdMs' | 'id'>, b: Pick<ReviewMeta, 'createdMs' | 'id'>): number {
  const ta = a.createdMs ?? Number.POSITIVE_INFINITY;
  const tb = b.createdMs ?? Number.POSITIVE_INFINITY;
  if (ta !== tb) return ta > tb ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether a stored review matches a (checked) query. */
export function matchesQuery(meta: ReviewMeta, query: ReviewQuery): boolean {
  if (query.source !== undefined && meta.source !== query.source) return false;
  if (query.unanswered && !meta.isAwaitingReply) return false;
  if (query.from === undefined && query.to === undefined) return true;
  if (meta.createdMs === null) return false;
  if (query.from !== undefined && meta.createdMs < query.from.getTime()) return false;
  return !(query.to !== undefined && meta.createdMs >= query.to.getTime());
}

/** Checks a query's types, so a typo fails loudly instead of matching nothing. */
export function checkQuery(query: ReviewQuery | undefined): ReviewQuery {
  const q = query ?? {};
  if (typeof q !== 'object') throw configError('list: the query must be an object like { source, from, to }.');
  for (const key of ['from', 'to'] as const) {
    const value = q[key];
    if (value !== undefined && !(value instanceof Date && !Number.isNaN(value.getTime()))) {
      throw configError(`list: \`${key}\` must be a valid Date.`);
    }
  }
  if (q.source !== undefined && typeof q.source !== 'string') throw configError('list: `source` must be a string.');
  return q;
}

/**
 * Validates reviews given to `upsert` with `ReviewSchema` and keeps the last version of each id.
 * A store must never hold a review it could not give back.
 */
export function checkReviews(reviews: readonly Review[]): Review[] {
  if (!Array.isArray(reviews)) throw configError('upsert: takes an array of reviews.');
  const byId = new Map<string, Review>();
  reviews.forEach((review, index) => {
    // The engine's fast check first; the schema only to name what is wrong.
    const parsed = isValidReview(review) ? null : ReviewSchema.safeParse(review);
    if (parsed && !parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
      throw configError(`upsert: reviews[${index}] is not a valid Review: ${where}: ${issue?.message ?? 'invalid'}.`);
    }
    byId.delete(review.id);
    byId.set(review.id, review);
  });
  return [...byId.values()];
}

/** The metadata of a review as it is about to be stored. */
export function metaOf(review: Review, fingerprint: string, alertedAt: string | null): ReviewMeta {
  return {
    id: review.id,
    source: review.source,
    createdMs: review.createdAt === null ? null : review.createdAt.getTime(),
    fingerprint,
    isAwaitingReply: isAwaitingReply(review),
    alertedAt,
  };
}

/** Reads a review a store wrote (JSON with ISO dates) back, validated. */
export function reviewFromJson(json: string | unknown, where: string): Review {
  const value = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
  const parsed = ReviewJsonSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ReviewkitError({
    code: 'BAD_RESPONSE',
    message: `${where}: a stored review is not valid (${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}); was the store edited by hand?`,
  });
}

/** The stable id of an event: same type, review and version, same id. */
export function eventIdOf(type: WatchEventType, reviewId: string, fingerprint: string): string {
  return createHash('sha256').update(`${type}\u0000${reviewId}\u0000${type === 'needs-reply' ? '' : fingerprint}`).digest('base64url').slice(0, 22);
}

/** An event for a review. */
export function eventOf(type: WatchEventType, review: Review, fingerprint: string): WatchEvent {
  return { type, review, id: eventIdOf(type, review.id, fingerprint) };
}

/** A queued delivery as stores keep it: plain JSON. */
export interface OutboxRecord {
  id: string;
  sink: string;
  eventId: string;
  type: WatchEventType;
  /** The review as JSON text, as it was when the event happened. */
  review: string;
  attempts: number;
  queuedAt: string;
  lastError: string | null;
  /** Queue position (memory and file stores; SQLite keeps its own). */
  seq?: number;
}

/** Queues one record per sink for an event (ids repeat when the same event is queued twice: the first stays). */
export function outboxRecords(sinks: readonly string[], type: WatchEventType, review: Review, reviewJson: string, fingerprint: string, now: Date): OutboxRecord[] {
  if (sinks.length === 0) return [];
  const eventId = eventIdOf(type, review.id, fingerprint);
  return sinks.map((sink) => ({
    id: `${sink}:${eventId}`,
    sink,
    eventId,
    type,
    review: reviewJson,
    attempts: 0,
    queuedAt: now.toISOString(),
    lastError: null,
  }));
}

/** A queued record as the public {@link PendingDelivery} shape. */
export function pendingOf(record: OutboxRecord): PendingDelivery {
  return {
    id: record.id,
    sink: record.sink,
    event: { type: record.type, id: record.eventId, review: reviewFromJson(record.review, 'outbox') },
    attempts: record.attempts,
    queuedAt: new Date(record.queuedAt),
    lastError: record.lastError,
  };
}

/** Checks a delivery outcome and keeps the error short (it is stored). */
export function checkOutcome(outcome: DeliveryOutcome): DeliveryOutcome {
  if (!outcome || typeof outcome !== 'object' || typeof outcome.delivered !== 'boolean') {
    throw configError('settleDelivery: the outcome must be { delivered: true } or { delivered: false, error }.');
  }
  if (outcome.delivered) return outcome;
  const error = String(outcome.error);
  return { delivered: false, error: error.length > 500 ? `${error.slice(0, 500)}…` : error };
}

/** Checks a resume point before it is stored (plain JSON only, nothing else). */
export function checkResumePoint(key: string, value: ResumePoint): ResumePoint {
  if (typeof key !== 'string' || key === '') throw configError('setResumePoint: the key must be a non-empty string.');
  if (!value || typeof value !== 'object' || !(value.newest === null || typeof value.newest === 'string') || typeof value.savedAt !== 'string') {
    throw configError('setResumePoint: the value must be a ResumePoint ({ newest, savedAt, cursor?, pendingNewest? }).');
  }
  return {
    newest: value.newest,
    ...(value.cursor !== undefined && { cursor: String(value.cursor) }),
    ...(value.pendingNewest !== undefined && { pendingNewest: value.pendingNewest }),
    savedAt: value.savedAt,
  };
}

/** The error a store throws when it is used after `close()`. */
export function closedError(store: string): ReviewkitError {
  return configError(`${store}: the store is closed.`);
}

function configError(message: string): ReviewkitError {
  return new ReviewkitError({ code: 'CONFIG', message: `reviewkit store: ${message}` });
}
