import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { Adapter, SourceWarning } from './define-adapter.js';
import { type AggregateOptions, checkArguments, DEFAULT_CONCURRENCY, runSourceInSteps, type SourceReport } from './engine.js';
import { ReviewkitError, redact } from './errors.js';
import type { Review } from './review.js';
import type { ResumePoint, ReviewStore } from './store/types.js';

/** Default {@link SyncOptions.overlapMs}: each run re-reads the last day before a source's resume point. */
export const DEFAULT_SYNC_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** Options of {@link sync}: the store, plus every option of `aggregate`. */
export interface SyncOptions extends AggregateOptions {
  /** Where reviews and resume points live: `fileStore(dir)`, `sqliteStore(path)`, `memoryStore()`. */
  store: ReviewStore;
  /**
   * How far before a source's resume point (the newest review a complete run stored) the next
   * run starts reading again, in ms, so reviews that arrive late (moderation queues, clock skew)
   * or are edited soon after are not missed. Default {@link DEFAULT_SYNC_OVERLAP_MS} (one day).
   */
  overlapMs?: number;
  /** Sink ids (see `watch`) to queue a delivery for, per added or edited review, atomically with the write. */
  notify?: readonly string[];
  /** Called after each durable write of a source's reviews (a page, or the end of its run). Exceptions are ignored. */
  onStored?: (info: StoredInfo) => void;
}

/** One durable write of a source's reviews during {@link sync}. */
export interface StoredInfo {
  source: string;
  subjectId: string;
  /** The resume key (`resumeKeyOf(adapter)`). */
  key: string;
  added: number;
  updated: number;
  unchanged: number;
  /** The source's resume point after this write (unchanged when the write carried none). */
  resumePoint: ResumePoint | undefined;
  /** True for the write that ends the source's run. */
  isLast: boolean;
}

/** What {@link sync} did. */
export interface SyncResult {
  /** Reviews that were not in the store before: by adapter (in the order given), then in source order. */
  added: Review[];
  /** Stored reviews whose visible content changed (see `reviewFingerprint`), in the same order. */
  updated: Review[];
  /** Reviews fetched again unchanged (the overlap window, sources without `since`). */
  unchanged: number;
  /** One report per adapter, in the order given (as `aggregate` reports them). */
  sources: SourceReport[];
}

/**
 * The key a source's resume point is stored under: `adapter.resumeKey` (a digest of its options
 * without credentials), or `` `${name}:${subjectId}` `` for a hand-made adapter without one.
 */
export function resumeKeyOf(adapter: Adapter): string {
  return adapter.resumeKey ?? `${adapter.name}:${adapter.subjectId}`;
}

/**
 * Brings a store up to date with the adapters' sources, fetching only what is new since each
 * source's resume point.
 *
 * Per source: the run asks for reviews from its resume point (the newest `createdAt`/`updatedAt`
 * its last complete run stored) minus `overlapMs`, or from `since` when that is later; sources
 * without a resume point are read in full (or from `since`). Newest-first sources stop paging
 * there; others are filtered. Each page is written to the store before the next is requested, in
 * one atomic write with the source's progress (the cursor of the next page), so a crash or a
 * failing source at any moment loses nothing: the next run continues from that cursor, then
 * reads the top again for what arrived meanwhile. The resume point moves past a source's reviews
 * only once they are stored, and the newest instant moves only when a run completes. Reviews are
 * stored by `id`, never twice; a stored review with a different fingerprint is reported as
 * `updated`.
 *
 * Never rejects because a source failed (see `sources[i].error`; the others still advance).
 * Rejects for bad arguments (`CONFIG`), abort (`ABORTED`), or a failing store write (its error);
 * every page stored before that stays stored.
 *
 * @example
 * const store = fileStore('./reviews');
 * const { added, updated, sources } = await sync([yelp({ apiKey, businessId })], { store });
 */
export async function sync(adapters: readonly Adapter[], options: SyncOptions): Promise<SyncResult> {
  checkSyncOptions(adapters, options);
  // Per source, joined in adapter order at the end: the result does not depend on timing.
  const perSource = adapters.map((): SyncResult => ({ added: [], updated: [], unchanged: 0, sources: [] }));
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  // A failing store write stops every source: the run cannot keep its promise of durability.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  // Every running source listens on this signal; dozens at once are expected, not a leak.
  setMaxListeners(0, signal);
  const firstByKey = new Map<string, number>();
  const runs: Promise<SourceReport>[] = [];
  let firstFailure: { error: unknown } | null = null;
  adapters.forEach((adapter, index) => {
    const key = resumeKeyOf(adapter);
    const original = firstByKey.get(key);
    if (original !== undefined) {
      runs.push((runs[original] as Promise<SourceReport>).then((report) => duplicateReport(report, original)));
      return;
    }
    firstByKey.set(key, index);
    runs.push(
      limit(() => syncSource(adapter, key, { ...options, signal }, perSource[index] as SyncResult)).catch((error: unknown) => {
        firstFailure ??= { error };
        stop.abort();
        throw error;
      }),
    );
  });
  const settled = await Promise.allSettled(runs);
  if (options.signal?.aborted) throw abortError();
  // The failure that stopped the others, not the ABORTED errors it caused.
  if (firstFailure) throw (firstFailure as { error: unknown }).error;
  return {
    added: perSource.flatMap((result) => result.added),
    updated: perSource.flatMap((result) => result.updated),
    unchanged: perSource.reduce((sum, result) => sum + result.unchanged, 0),
    sources: settled.map((result) => (result as PromiseFulfilledResult<SourceReport>).value),
  };
}

/** One source: continue an unfinished run if there is one, then read from the top. */
async function syncSource(adapter: Adapter, key: string, options: SyncOptions, totals: SyncResult): Promise<SourceReport> {
  const point = await options.store.resumePoint(key);
  let newest = point?.newest ?? null;
  let continued: Pass | null = null;
  let warning: SourceWarning | null = null;
  if (point?.cursor !== undefined) {
    continued = await runPass(adapter, key, options, totals, { point, newest, cursor: point.cursor, pendingNewest: point.pendingNewest ?? null });
    if (continued.isComplete) {
      newest = continued.newest;
    } else if (continued.pagesStored === 0 && continued.report.pages === 0) {
      // The cursor may have expired: read from the top instead (nothing stored is lost by it).
      warning = {
        code: 'RESUME_CURSOR_FAILED',
        message: `could not continue the unfinished run from its cursor (${continued.report.error?.message ?? 'no page'}); read from the top instead`,
      };
      continued = null;
    } else {
      return continued.report;
    }
  }
  const top = await runPass(adapter, key, options, totals, { point: await options.store.resumePoint(key), newest, cursor: null, pendingNewest: null });
  const report = continued ? mergeReports(continued.report, top.report) : top.report;
  return warning ? { ...report, warnings: [warning, ...(report.warnings ?? [])] } : report;
}

interface PassStart {
  /** The stored resume point when the pass starts. */
  point: ResumePoint | undefined;
  /** The resume point's newest instant (ISO), as the pass found it. */
  newest: string | null;
  /** Where the pass starts; null: the top. */
  cursor: string | null;
  /** The newest instant an earlier, unfinished part of this run stored. */
  pendingNewest: string | null;
}

interface Pass {
  report: SourceReport;
  isComplete: boolean;
  /** The resume point's newest instant after the pass. */
  newest: string | null;
  pagesStored: number;
}

/** Runs one source from `start.cursor`, storing page by page, and writes its resume point. */
async function runPass(adapter: Adapter, key: string, options: SyncOptions, totals: SyncResult, start: PassStart): Promise<Pass> {
  const { store } = options;
  const clock = options.now ?? new Date();
  const since = sinceFor(start.newest, options);
  let buffer: Review[] = [];
  let runNewest = msOf(start.pendingNewest);
  let pagesStored = 0;
  let resumePoint = start.point;

  const write = async (value: ResumePoint | null, isLast: boolean): Promise<void> => {
    const reviews = buffer;
    buffer = [];
    if (reviews.length === 0 && value === null) return;
    const result = await store.upsert(reviews, {
      ...(options.notify && { notify: options.notify }),
      ...(value && { resumePoint: { key, value } }),
    });
    if (value) resumePoint = value;
    totals.added.push(...result.added);
    totals.updated.push(...result.updated);
    totals.unchanged += result.unchanged;
    report({ added: result.added.length, updated: result.updated.length, unchanged: result.unchanged, isLast });
  };
  const report = (counts: Pick<StoredInfo, 'added' | 'updated' | 'unchanged' | 'isLast'>) => {
    try {
      options.onStored?.({ source: adapter.name, subjectId: adapter.subjectId, key, resumePoint: resumePoint && { ...resumePoint }, ...counts });
    } catch {
      // An observer; its bugs must not fail the sync.
    }
  };
  const noteNewest = () => {
    for (const review of buffer) runNewest = Math.max(runNewest ?? Number.NEGATIVE_INFINITY, instantOf(review) ?? Number.NEGATIVE_INFINITY);
    if (runNewest === Number.NEGATIVE_INFINITY) runNewest = null;
  };
  const unfinished = (cursor: string): ResumePoint | null => {
    // A cursor that would carry a credential is not kept: the next run then reads from the top.
    if (redact(cursor) !== cursor) return null;
    return { newest: start.newest, cursor, pendingNewest: isoOf(runNewest), savedAt: new Date().toISOString() };
  };

  const sourceReport = await runSourceInSteps(adapter, options, {
    ...(since && { since }),
    cursor: start.cursor,
    deliver: (review) => buffer.push(review),
    pageDone: async ({ nextCursor }) => {
      noteNewest();
      pagesStored++;
      await write(unfinished(nextCursor), false);
    },
  });
  noteNewest();
  const isComplete = sourceReport.error === undefined && sourceReport.cursor === undefined;
  let newest = start.newest;
  let value: ResumePoint | null = null;
  if (isComplete) {
    const candidate = Math.min(Math.max(msOf(start.newest) ?? Number.NEGATIVE_INFINITY, runNewest ?? Number.NEGATIVE_INFINITY), clock.getTime());
    newest = candidate === Number.NEGATIVE_INFINITY ? null : new Date(candidate).toISOString();
    value = { newest, savedAt: new Date().toISOString() };
  } else if (sourceReport.cursor !== undefined) {
    value = unfinished(sourceReport.cursor);
  }
  // A pass that failed before storing anything leaves the resume point exactly as it was.
  await write(value, true);
  return { report: sourceReport, isComplete, newest, pagesStored };
}

/** The `since` of a source's run: its resume point minus the overlap, or the caller's `since` when later. */
function sinceFor(newest: string | null, options: SyncOptions): Date | undefined {
  const fromPoint = msOf(newest);
  const overlap = options.overlapMs ?? DEFAULT_SYNC_OVERLAP_MS;
  const candidates = [fromPoint === null ? null : fromPoint - overlap, options.since?.getTime() ?? null].filter((v): v is number => v !== null);
  return candidates.length === 0 ? undefined : new Date(Math.max(...candidates));
}

/** The instant the engine's `since` compares: the later of `createdAt` and `updatedAt`. */
function instantOf(review: Review): number | null {
  const created = review.createdAt?.getTime();
  const updated = review.updatedAt?.getTime();
  if (created === undefined && updated === undefined) return null;
  return Math.max(created ?? Number.NEGATIVE_INFINITY, updated ?? Number.NEGATIVE_INFINITY);
}

function msOf(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function isoOf(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function mergeReports(first: SourceReport, second: SourceReport): SourceReport {
  return {
    ...second,
    fetched: first.fetched + second.fetched,
    pages: first.pages + second.pages,
    durationMs: first.durationMs + second.durationMs,
    ...((first.skippedCount ?? 0) + (second.skippedCount ?? 0) > 0 && {
      skipped: [...(first.skipped ?? []), ...(second.skipped ?? [])],
      skippedCount: (first.skippedCount ?? 0) + (second.skippedCount ?? 0),
    }),
    ...((first.warnings?.length ?? 0) + (second.warnings?.length ?? 0) > 0 && { warnings: [...(first.warnings ?? []), ...(second.warnings ?? [])] }),
  };
}

function duplicateReport(report: SourceReport, original: number): SourceReport {
  const { cursor: _cursor, skipped: _skipped, skippedCount: _count, warnings: _warnings, ...rest } = report;
  return { ...rest, fetched: 0, pages: 0, durationMs: 0, duplicateOf: original };
}

function checkSyncOptions(adapters: readonly Adapter[], options: SyncOptions): void {
  const bad = (message: string) => new ReviewkitError({ code: 'CONFIG', message: `reviewkit sync: ${message}` });
  if (!options || typeof options !== 'object') throw bad('takes options with a store: sync(adapters, { store: fileStore("./reviews") }).');
  const store = options.store as Partial<ReviewStore> | undefined;
  if (!store || typeof store.upsert !== 'function' || typeof store.resumePoint !== 'function') {
    throw bad('option `store` is required: memoryStore(), fileStore(dir) or sqliteStore(path).');
  }
  if (!Array.isArray(adapters)) throw bad('takes an array of adapters, e.g. [yelp({...})].');
  if (options.overlapMs !== undefined && !(Number.isFinite(options.overlapMs) && options.overlapMs >= 0)) {
    throw bad('option `overlapMs` must be a non-negative number of milliseconds.');
  }
  checkArguments(adapters, options);
}

function abortError(): ReviewkitError {
  return new ReviewkitError({ code: 'ABORTED', message: 'reviewkit: the sync was aborted by the caller.' });
}
