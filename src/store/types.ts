import type { Review } from '../review.js';

/**
 * Which stored reviews {@link ReviewStore.list} returns. Every field narrows; none: all reviews.
 * A time bound leaves undated reviews (`createdAt: null`) out.
 */
export interface ReviewQuery {
  /** Only this source's reviews (`Review.source`: `yelp`, `trustpilot`, a custom adapter's name). */
  source?: string;
  /** Only reviews created at or after this instant. */
  from?: Date;
  /** Only reviews created before this instant. */
  to?: Date;
  /** Only unanswered negative reviews: negative polarity (or ≤ 2 stars) and no reply. */
  unanswered?: boolean;
}

/**
 * Where the next `sync` of one source starts. Written by `sync`, kept by the store as it is
 * (plain JSON: strings and nulls). Never holds a credential: cursors that would carry one are not
 * kept.
 */
export interface ResumePoint {
  /**
   * The newest `createdAt`/`updatedAt` (ISO 8601) among the source's reviews stored by its last
   * complete run, never later than that run's clock: the next run asks for reviews from this
   * instant minus the overlap. `null` when no complete run has seen a dated review yet (the next
   * run reads everything).
   */
  newest: string | null;
  /**
   * Set while a run of this source is unfinished (the process was killed, the source failed or
   * `maxPerSource` stopped it): the page to continue from. Every review before it is stored.
   */
  cursor?: string;
  /** With `cursor`: the newest instant the unfinished run stored; it becomes `newest` once that run completes. */
  pendingNewest?: string | null;
  /** When this point was written (ISO 8601). */
  savedAt: string;
}

/** The kind of a {@link WatchEvent}. */
export type WatchEventType = 'new' | 'updated' | 'needs-reply';

/**
 * What `watch` reports, and what sinks receive: a review that is new to the store, one whose
 * visible content changed (see `reviewFingerprint`), or a negative review still without a reply
 * after the grace period.
 */
export interface WatchEvent {
  type: WatchEventType;
  review: Review;
  /**
   * Stable id of this event: the same event is always delivered with the same id (a retried
   * delivery included), so receivers can drop a repeat. Derived from the type, the review id and
   * its fingerprint.
   */
  id: string;
}

/** An event waiting to be delivered to one sink (see `watch`'s `sinks`). */
export interface PendingDelivery {
  /** `${sink}:${event.id}`: unique in the store. */
  id: string;
  /** The sink's id (`Sink.sinkId`, or `sink-<index>` for a plain function). */
  sink: string;
  event: WatchEvent;
  /** Failed attempts so far. */
  attempts: number;
  /** When it was queued. */
  queuedAt: Date;
  /** Why the last attempt failed (secret-free), or null before any failure. */
  lastError: string | null;
}

/** Options of {@link ReviewStore.upsert}. */
export interface UpsertOptions {
  /**
   * Sink ids to notify: each review this call adds or edits queues one delivery (a `new` or
   * `updated` event) per sink, in the same atomic step as the write, so no event is lost to a
   * crash between the two.
   */
  notify?: readonly string[];
  /** A resume point to write in the same atomic step (it moves only together with the reviews). */
  resumePoint?: { key: string; value: ResumePoint };
}

/** What {@link ReviewStore.upsert} did. */
export interface UpsertResult {
  /** Reviews whose id was not stored before. */
  added: Review[];
  /** Stored reviews whose fingerprint (visible content) changed; the store now holds the new version. */
  updated: Review[];
  /** Reviews already stored with the same fingerprint (their other fields are refreshed). */
  unchanged: number;
}

/** Options of {@link ReviewStore.markNeedsReply}. */
export interface MarkNeedsReplyOptions {
  /** Sink ids to queue a `needs-reply` delivery for, atomically with the marks. */
  notify?: readonly string[];
}

/** Outcome of one delivery attempt, for {@link ReviewStore.settleDelivery}. */
export type DeliveryOutcome = { delivered: true } | { delivered: false; error: string };

/**
 * Where synced reviews live: by `id`, each with the fingerprint of its visible content, plus one
 * resume point per source (keyed by `Adapter.resumeKey`), the "needs a reply" marks and the
 * deliveries waiting for a sink. Stores never persist credentials (a `Review` has none).
 *
 * Built in: `memoryStore()` (tests, short scripts), `fileStore(dir)` (the embedded default:
 * NDJSON files written crash-safe), `sqliteStore(path)` (better-sqlite3). Every method may be
 * called concurrently; writes are serialized. Every write is atomic: after a crash a store holds
 * either all of one `upsert` (reviews, resume point, queued deliveries) or none of it.
 */
export interface ReviewStore {
  /** The stored review with this id, or undefined. */
  get(id: string): Promise<Review | undefined>;
  /**
   * Stored reviews matching `query`, newest `createdAt` first (undated last, ties by id), read
   * from a snapshot taken when iteration starts: the caller may write to the store meanwhile.
   */
  list(query?: ReviewQuery): AsyncIterable<Review>;
  /** How many stored reviews match `query`. */
  count(query?: ReviewQuery): Promise<number>;
  /**
   * Stores reviews by id: adds new ones, replaces stored ones, and reports which were added and
   * which edited (fingerprint changed). The same id twice in one call counts as one review (the
   * later version wins). Atomic and durable when it resolves.
   */
  upsert(reviews: readonly Review[], options?: UpsertOptions): Promise<UpsertResult>;
  /** The resume point stored under `key` (an `Adapter.resumeKey`), or undefined. */
  resumePoint(key: string): Promise<ResumePoint | undefined>;
  /** Stores a resume point (atomic and durable when it resolves). */
  setResumePoint(key: string, value: ResumePoint): Promise<void>;
  /**
   * Unanswered negative reviews (negative polarity or ≤ 2 stars, no reply) created at or before
   * `createdBefore` and not yet marked with {@link markNeedsReply}, oldest first. Undated reviews
   * are never due.
   */
  needsReply(query: { createdBefore: Date }): Promise<Review[]>;
  /**
   * Marks reviews as alerted ("needs a reply" emitted), so `needsReply` never returns them again,
   * and queues their `needs-reply` deliveries in the same atomic step. Returns the reviews it
   * marked (ids already marked, unknown, or answered meanwhile are skipped).
   */
  markNeedsReply(ids: readonly string[], options?: MarkNeedsReplyOptions): Promise<Review[]>;
  /** Deliveries waiting for these sinks (all sinks when omitted), oldest first. */
  pendingDeliveries(sinks?: readonly string[]): Promise<PendingDelivery[]>;
  /** Records a delivery attempt: a delivered one is removed, a failed one stays with its error. */
  settleDelivery(id: string, outcome: DeliveryOutcome): Promise<void>;
  /** Finishes pending writes and releases the store (files, locks, the database). Idempotent. */
  close(): Promise<void>;
}
