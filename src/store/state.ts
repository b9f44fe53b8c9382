import { ReviewkitError } from '../errors.js';
import { reviewFingerprint } from '../fingerprint.js';
import type { Review } from '../review.js';
import {
  checkOutcome,
  checkQuery,
  checkResumePoint,
  checkReviews,
  matchesQuery,
  metaOf,
  newestFirst,
  oldestFirst,
  type OutboxRecord,
  outboxRecords,
  pendingOf,
  type ReviewMeta,
  reviewFromJson,
} from './records.js';
import type { DeliveryOutcome, PendingDelivery, ResumePoint, ReviewQuery, UpsertOptions, UpsertResult } from './types.js';

/** A stored review in memory: its metadata and its JSON text (a private copy no caller can mutate). */
export interface Entry extends ReviewMeta {
  json: string;
}

/** Everything one write changes, computed before it is made durable and applied after. */
export interface Change {
  entries: Entry[];
  outboxPut: OutboxRecord[];
  outboxDelete: string[];
  resume: Array<[string, ResumePoint]>;
}

/**
 * The in-memory state of the memory and file stores. Writes are planned (`plan…` returns a
 * {@link Change} without touching the state), made durable by the store, then `apply`d — so a
 * failed write leaves the state as it was.
 */
export class StoreState {
  readonly entries = new Map<string, Entry>();
  readonly resume = new Map<string, ResumePoint>();
  /** Queued deliveries in queue order (a Map keeps insertion order). */
  readonly outbox = new Map<string, OutboxRecord>();
  /** Ids of unanswered negative reviews not yet marked: the candidates of `needsReply`. */
  private readonly awaiting = new Set<string>();
  /** The next queue position (records keep theirs, so the order survives reloads and merges). */
  private nextSeq = 1;

  constructor(private readonly name: string) {}

  get(id: string): Review | undefined {
    const entry = this.entries.get(id);
    return entry && reviewFromJson(entry.json, this.name);
  }

  /** The matching reviews' JSON texts, in list order: a snapshot. */
  select(query: ReviewQuery | undefined): string[] {
    const q = checkQuery(query);
    const hits: Entry[] = [];
    for (const entry of this.entries.values()) if (matchesQuery(entry, q)) hits.push(entry);
    return hits.sort(newestFirst).map((entry) => entry.json);
  }

  count(query: ReviewQuery | undefined): number {
    const q = checkQuery(query);
    let n = 0;
    for (const entry of this.entries.values()) if (matchesQuery(entry, q)) n++;
    return n;
  }

  planUpsert(reviews: readonly Review[], options: UpsertOptions, now: Date): { change: Change; result: UpsertResult } {
    const result: UpsertResult = { added: [], updated: [], unchanged: 0 };
    const change = emptyChange();
    const notify = options.notify ?? [];
    const queued: OutboxRecord[] = [];
    for (const review of checkReviews(reviews)) {
      const json = JSON.stringify(review);
      const fingerprint = reviewFingerprint(review);
      const existing = this.entries.get(review.id);
      if (existing && existing.fingerprint === fingerprint) {
        result.unchanged++;
        if (existing.json !== json) change.entries.push({ ...metaOf(review, fingerprint, existing.alertedAt), json });
        continue;
      }
      const type = existing ? 'updated' : 'new';
      (existing ? result.updated : result.added).push(review);
      change.entries.push({ ...metaOf(review, fingerprint, existing?.alertedAt ?? null), json });
      queued.push(...outboxRecords(notify, type, review, json, fingerprint, now));
    }
    this.queue(change, queued);
    if (options.resumePoint) change.resume.push([options.resumePoint.key, checkResumePoint(options.resumePoint.key, options.resumePoint.value)]);
    return { change, result };
  }

  needsReply(createdBefore: Date): Review[] {
    if (!(createdBefore instanceof Date) || Number.isNaN(createdBefore.getTime())) {
      throw new ReviewkitError({ code: 'CONFIG', message: 'reviewkit store: needsReply: `createdBefore` must be a valid Date.' });
    }
    const limit = createdBefore.getTime();
    const due: Entry[] = [];
    for (const id of this.awaiting) {
      const entry = this.entries.get(id);
      if (entry && entry.createdMs !== null && entry.createdMs <= limit) due.push(entry);
    }
    return due.sort(oldestFirst).map((entry) => reviewFromJson(entry.json, this.name));
  }

  planMarks(ids: readonly string[], notify: readonly string[], now: Date): { change: Change; marked: Review[] } {
    const change = emptyChange();
    const marked: Review[] = [];
    const queued: OutboxRecord[] = [];
    for (const id of new Set(ids)) {
      const entry = this.entries.get(id);
      if (!entry || !entry.isAwaitingReply || entry.alertedAt !== null) continue;
      const review = reviewFromJson(entry.json, this.name);
      marked.push(review);
      change.entries.push({ ...entry, alertedAt: now.toISOString() });
      queued.push(...outboxRecords(notify, 'needs-reply', review, entry.json, entry.fingerprint, now));
    }
    this.queue(change, queued);
    return { change, marked };
  }

  pending(sinks: readonly string[] | undefined): PendingDelivery[] {
    const wanted = sinks && new Set(sinks);
    const records = [...this.outbox.values()].filter((record) => !wanted || wanted.has(record.sink));
    return records.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)).map(pendingOf);
  }

  /** Adds records to a change with queue positions, skipping ids already queued. */
  private queue(change: Change, records: OutboxRecord[]): void {
    const ids = new Set<string>();
    for (const record of records) {
      if (this.outbox.has(record.id) || ids.has(record.id)) continue;
      ids.add(record.id);
      change.outboxPut.push({ ...record, seq: this.nextSeq + ids.size - 1 });
    }
  }

  planSettle(id: string, outcome: DeliveryOutcome): Change {
    const change = emptyChange();
    const record = this.outbox.get(id);
    if (!record) return change;
    const checked = checkOutcome(outcome);
    if (checked.delivered) change.outboxDelete.push(id);
    else change.outboxPut.push({ ...record, attempts: record.attempts + 1, lastError: checked.error });
    return change;
  }

  planResume(key: string, value: ResumePoint): Change {
    return { ...emptyChange(), resume: [[key, checkResumePoint(key, value)]] };
  }

  apply(change: Change): void {
    for (const entry of change.entries) {
      this.entries.set(entry.id, entry);
      if (entry.isAwaitingReply && entry.alertedAt === null) this.awaiting.add(entry.id);
      else this.awaiting.delete(entry.id);
    }
    for (const record of change.outboxPut) {
      this.outbox.set(record.id, record);
      this.nextSeq = Math.max(this.nextSeq, (record.seq ?? 0) + 1);
    }
    for (const id of change.outboxDelete) this.outbox.delete(id);
    for (const [key, value] of change.resume) this.resume.set(key, value);
  }
}

/** A change that changes nothing. */
export function emptyChange(): Change {
  return { entries: [], outboxPut: [], outboxDelete: [], resume: [] };
}

/** Whether a change has anything to write. */
export function isEmptyChange(change: Change): boolean {
  return change.entries.length === 0 && change.outboxPut.length === 0 && change.outboxDelete.length === 0 && change.resume.length === 0;
}

/** Yields reviews from a snapshot of JSON texts, parsing each only when it is reached. */
export async function* reviewsOf(snapshot: readonly string[], where: string): AsyncGenerator<Review, void, undefined> {
  for (const json of snapshot) yield reviewFromJson(json, where);
}
