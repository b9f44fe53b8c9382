import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { createChannel } from './channel.js';
import type { Adapter, RunSettings, SourceSummary, SourceWarning } from './define-adapter.js';
import { ReviewkitError } from './errors.js';
import type { RetryOptions } from './http.js';
import type { SkippedItem } from './items.js';
import { allIds, type RecentIds, recentIds } from './recent-ids.js';
import type { Review } from './review.js';

/** Default number of sources fetched at once. */
export const DEFAULT_CONCURRENCY = 4;
/** Default most pages read from one source before the run is stopped as a runaway. */
export const DEFAULT_MAX_PAGES = 1000;

/** Options of {@link aggregate} and {@link streamReviews}. */
export interface AggregateOptions {
  /** Sources fetched at once. Default 4. */
  concurrency?: number;
  /** Keep only reviews created or updated at or after this instant; newest-first sources stop paging past it. */
  since?: Date;
  /** Most reviews taken from one source. */
  maxPerSource?: number;
  /** Most pages read from one source; more is a `PAGINATION` error. Default 1000. */
  maxPages?: number;
  /** Aborting rejects the run with an `ABORTED` error. */
  signal?: AbortSignal;
  /** Called for each progress event. Exceptions it throws are ignored so they cannot break a run. */
  onProgress?: (event: ProgressEvent) => void;
  /** Per-request timeout in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Retry policy per request; `attempts` counts the first try. */
  retry?: Partial<RetryOptions>;
  /** Clock reading handed to adapters (tests pin it). Default: now. */
  now?: Date;
}

/** How much of a source's reviews a run saw, and why not all of them. */
export interface Coverage {
  complete: boolean;
  reason?: 'platform-limit' | 'max-per-source' | 'since' | 'error';
  /** Total the source reported, when it reports one. */
  reportedTotal: number | null;
  /** The adapter's remark on what it could see ("the page carries no schema.org reviews"). */
  note?: string;
}

/** What happened to one adapter in a run. */
export interface SourceReport {
  source: string;
  subjectId: string;
  /**
   * `ok`: everything the run asked for arrived. `partial`: some reviews are missing — an error
   * stopped the source after some arrived (`error`), or items were left out (`skipped`).
   * `failed`: an error before any review arrived.
   */
  status: 'ok' | 'partial' | 'failed';
  /** Reviews from this source in the result (after `since`, `maxPerSource` and dedupe). */
  fetched: number;
  pages: number;
  durationMs: number;
  coverage: Coverage;
  summary: SourceSummary | null;
  error?: ReviewkitError;
  /** Pass as the adapter's `cursor` option to continue where this run stopped. */
  cursor?: string;
  /**
   * Review items that failed validation or normalization and were left out while the rest of
   * their page was kept (at most {@link MAX_SKIPPED_LISTED} listed). Never holds raw payloads.
   */
  skipped?: SkippedItem[];
  /** How many items were skipped in all (may exceed the `skipped` list). */
  skippedCount?: number;
  /**
   * Problems the source reported beside good data (X's partial `errors[]`, say): the reviews are
   * here, with less detail. The status stays as it is. At most {@link MAX_SKIPPED_LISTED} listed.
   */
  warnings?: SourceWarning[];
  /** Set when this adapter repeated an earlier one (same options): the index of the one that ran. */
  duplicateOf?: number;
}

/** The result of {@link aggregate}. */
export interface AggregateResult {
  /** Newest first (undated last), deduplicated by `id`. */
  reviews: Review[];
  /** One report per adapter, in the order the adapters were given. */
  sources: SourceReport[];
}

interface SourceRef {
  source: string;
  subjectId: string;
}

/** Progress of a run, one event at a time. */
export type ProgressEvent =
  | ({ type: 'source:start' } & SourceRef)
  | ({ type: 'source:page'; page: number; reviews: number; fetched: number; reportedTotal: number | null } & SourceRef)
  | ({ type: 'source:retry'; attempt: number; delayMs: number; error: ReviewkitError } & SourceRef)
  | ({ type: 'source:done'; report: SourceReport } & SourceRef)
  | ({ type: 'source:failed'; report: SourceReport; error: ReviewkitError } & SourceRef);

/**
 * How many recent review ids `streamReviews` remembers per source to drop repeats (pages that
 * overlap when a source shifts between requests). Memory stays flat however many reviews flow.
 */
export const STREAM_DEDUPE_WINDOW = 10_000;
/** Most skipped items listed in one `SourceReport` (the count beyond is in `skippedCount`). */
export const MAX_SKIPPED_LISTED = 1000;

/**
 * Fetches every adapter's reviews and returns them together with a report per source.
 * Never rejects because a source failed (see `sources[i].error`); rejects only for bad
 * arguments (`CONFIG`) or when `signal` aborts (`ABORTED`). Deduplicates by `id` over the
 * whole run; an adapter listed twice with the same options runs once.
 */
export async function aggregate(adapters: readonly Adapter[], options: AggregateOptions = {}): Promise<AggregateResult> {
  checkArguments(adapters, options);
  const reviews: Review[] = [];
  const seen = allIds();
  const sources = await runAll(adapters, options, {
    idsFor: () => seen,
    deliver: (review) => {
      reviews.push(review);
      return undefined;
    },
  });
  reviews.sort(newestFirst);
  return { reviews, sources };
}

/**
 * The same work as {@link aggregate}, yielding reviews as pages arrive (source order) with
 * back-pressure: a slow consumer slows the sources down. The run starts when iteration starts;
 * breaking out of the loop stops every source. Reports arrive through `onProgress`
 * (`source:done` / `source:failed`).
 *
 * Memory is flat in the number of reviews. What is guaranteed: an adapter listed twice with
 * the same options runs once, and no review is yielded twice by one source within its last
 * {@link STREAM_DEDUPE_WINDOW} reviews (repeats from overlapping pages). Reviews are never
 * dropped except such repeats. (`aggregate`, which holds every review anyway, dedupes fully.)
 */
export function streamReviews(adapters: readonly Adapter[], options: AggregateOptions = {}): AsyncIterable<Review> {
  checkArguments(adapters, options);
  return {
    async *[Symbol.asyncIterator]() {
      const channel = createChannel<Review>(256);
      const stop = new AbortController();
      const run = runAll(
        adapters,
        options,
        { idsFor: () => recentIds(STREAM_DEDUPE_WINDOW), deliver: (review) => channel.push(review) },
        stop.signal,
      );
      run.then(
        () => channel.close(),
        (error: unknown) => channel.fail(error),
      );
      try {
        yield* channel;
      } finally {
        // The consumer stopped early (or the run ended): release every source.
        stop.abort();
        channel.close();
        await run.catch(() => {});
      }
    },
  };
}

interface RunPlan {
  /** Hands a new review on; a returned promise means "wait before the next one" (back-pressure). */
  deliver(review: Review): Promise<void> | undefined;
  /** The ids a source's reviews are deduplicated against. */
  idsFor(index: number): RecentIds;
}

async function runAll(adapters: readonly Adapter[], options: AggregateOptions, plan: RunPlan, stop?: AbortSignal): Promise<SourceReport[]> {
  const controller = new AbortController();
  // Every running request listens on this signal; hundreds at once are expected, not a leak.
  setMaxListeners(0, controller.signal);
  const signals = [options.signal, stop].filter((s): s is AbortSignal => s !== undefined);
  const forwardAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  for (const signal of signals) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', forwardAbort, { once: true });
  }
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const emit = safeEmitter(options.onProgress);
  const firstByKey = new Map<string | Adapter, number>();
  const runs: Promise<SourceReport>[] = [];
  try {
    adapters.forEach((adapter, index) => {
      const key = adapter.key ?? adapter;
      const original = firstByKey.get(key);
      if (original !== undefined) {
        runs.push((runs[original] as Promise<SourceReport>).then((report) => duplicateReport(report, original, emit)));
        return;
      }
      firstByKey.set(key, index);
      runs.push(limit(() => runSource(adapter, options, controller.signal, plan.deliver, plan.idsFor(index), emit, {})));
    });
    return await Promise.all(runs);
  } finally {
    for (const signal of signals) signal.removeEventListener('abort', forwardAbort);
    // Whatever ended the run, nothing of it may keep running.
    controller.abort();
    await Promise.allSettled(runs);
  }
}

function duplicateReport(report: SourceReport, original: number, emit: (event: ProgressEvent) => void): SourceReport {
  const { cursor: _cursor, skipped: _skipped, skippedCount: _count, warnings: _warnings, ...rest } = report;
  const copy: SourceReport = { ...rest, fetched: 0, pages: 0, durationMs: 0, duplicateOf: original };
  const ref = { source: report.source, subjectId: report.subjectId };
  if (copy.error) emit({ type: 'source:failed', ...ref, report: copy, error: copy.error });
  else emit({ type: 'source:done', ...ref, report: copy });
  return copy;
}

/** What a run of one source may add to the run-wide options (used by `sync`). */
interface SourceSteps {
  /** Where the source starts (overrides the adapter's `cursor` option). */
  cursor?: string | null;
  /** Awaited after a page whose reviews were all delivered, before the next page is fetched. */
  pageDone?: (page: { nextCursor: string }) => Promise<void>;
}

/** A failure of a `pageDone` step: the caller's own (a store write), never the source's. */
class StepFailure {
  constructor(readonly error: unknown) {}
}

/** The options of {@link runSourceInSteps}: one source's run, page by page. */
export interface SourceStepsOptions {
  /** Only reviews created or updated at or after this instant (this source's own `since`). */
  since?: Date;
  /** Where the source starts (overrides the adapter's `cursor` option); null: the beginning. */
  cursor?: string | null;
  /** Receives each new review of the source, in source order. */
  deliver(review: Review): void;
  /**
   * Awaited after every page but the last (a page whose reviews were all delivered), before the
   * next page is requested: the place to make the page durable and record `nextCursor`. A
   * rejection stops the source and rejects the run with that very error (it is not the source's).
   */
  pageDone(page: { nextCursor: string }): Promise<void>;
}

/**
 * Runs one adapter the way `aggregate` runs each source (retries, validation, `since`, limits,
 * dedupe within its last {@link STREAM_DEDUPE_WINDOW} reviews, progress, error capture), with its
 * own `since` and start cursor, pausing after each page until `pageDone` settles. Resolves to the
 * source's report (a source failure is in the report); rejects for bad arguments, abort, or a
 * failing `pageDone`. Internal: the engine of `sync`.
 */
export async function runSourceInSteps(adapter: Adapter, options: AggregateOptions, steps: SourceStepsOptions): Promise<SourceReport> {
  const { since: _runSince, ...rest } = options;
  const sourceOptions: AggregateOptions = { ...rest, ...(steps.since !== undefined && { since: steps.since }) };
  checkArguments([adapter], sourceOptions);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const forwardAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', forwardAbort, { once: true });
  try {
    return await runSource(
      adapter,
      sourceOptions,
      controller.signal,
      (review) => {
        steps.deliver(review);
        return undefined;
      },
      recentIds(STREAM_DEDUPE_WINDOW),
      safeEmitter(options.onProgress),
      { ...(steps.cursor !== undefined && { cursor: steps.cursor }), pageDone: steps.pageDone },
    );
  } finally {
    options.signal?.removeEventListener('abort', forwardAbort);
    controller.abort();
  }
}

async function runSource(
  adapter: Adapter,
  options: AggregateOptions,
  signal: AbortSignal,
  deliver: RunPlan['deliver'],
  ids: RecentIds,
  emit: (event: ProgressEvent) => void,
  steps: SourceSteps,
): Promise<SourceReport> {
  const ref: SourceRef = { source: adapter.name, subjectId: adapter.subjectId };
  const started = performance.now();
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const maxPerSource = options.maxPerSource ?? Number.POSITIVE_INFINITY;
  const sinceMs = options.since?.getTime() ?? null;
  const settings: RunSettings = {
    signal,
    since: options.since ?? null,
    now: options.now ?? new Date(),
    ...(steps.cursor !== undefined && { cursor: steps.cursor }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(options.retry && { retry: options.retry }),
    onRetry: ({ attempt, delayMs, error }) => emit({ type: 'source:retry', ...ref, attempt, delayMs, error }),
  };

  let fetched = 0;
  let pages = 0;
  let reportedTotal: number | null = null;
  let summary: SourceSummary | null = null;
  let stopReason: Coverage['reason'] | undefined;
  let isPlatformLimited = false;
  let resumeCursor: string | null = null;
  const skipped: SkippedItem[] = [];
  let skippedCount = 0;
  const warnings: SourceWarning[] = [];
  let note: string | null = null;
  const seenCursors = new Set<string>();

  if (signal.aborted) throw abortError();
  emit({ type: 'source:start', ...ref });
  try {
    pageLoop: for await (const page of adapter.pages(settings)) {
      pages++;
      reportedTotal = page.reportedTotal ?? reportedTotal;
      summary = page.summary ?? summary;
      isPlatformLimited ||= page.isPlatformLimited;
      skippedCount += page.skipped.length;
      for (const item of page.skipped) if (skipped.length < MAX_SKIPPED_LISTED) skipped.push(item);
      for (const warning of page.warnings) if (warnings.length < MAX_SKIPPED_LISTED) warnings.push(warning);
      note = page.note ?? note;
      let pageKept = 0;
      let passedSince = false;
      for (const review of page.reviews) {
        if (sinceMs !== null && isBefore(review, sinceMs)) {
          passedSince = true;
          continue;
        }
        if (fetched >= maxPerSource) {
          stopReason = 'max-per-source';
          resumeCursor = page.cursor;
          break pageLoop;
        }
        if (!ids.add(review.id)) continue;
        fetched++;
        pageKept++;
        const wait = deliver(review);
        if (wait) await wait;
      }
      emit({ type: 'source:page', ...ref, page: pages, reviews: pageKept, fetched, reportedTotal });
      if (passedSince) stopReason = 'since';
      if (page.nextCursor === null) break;
      resumeCursor = page.nextCursor;
      if (passedSince && adapter.order === 'newest-first') break;
      if (fetched >= maxPerSource) {
        stopReason = 'max-per-source';
        break;
      }
      if (page.cursor !== null) seenCursors.add(page.cursor);
      if (seenCursors.has(page.nextCursor) || page.nextCursor === page.cursor) {
        throw paginationError(adapter.name, `returned a next-page cursor it had already returned (${pages} pages read)`);
      }
      if (pages >= maxPages) {
        throw paginationError(adapter.name, `still had more pages after ${maxPages} (the maxPages option)`);
      }
      seenCursors.add(page.nextCursor);
      if (steps.pageDone) {
        try {
          await steps.pageDone({ nextCursor: page.nextCursor });
        } catch (error) {
          throw new StepFailure(error);
        }
      }
    }
    if (stopReason !== 'max-per-source') resumeCursor = null;
    if (summary === null) summary = await adapter.summary(settings).catch(rethrowAbort);
  } catch (caught) {
    if (caught instanceof StepFailure) throw caught.error;
    if (signal.aborted) throw abortError();
    const error = asReviewkitError(caught, adapter.name);
    const report = buildReport('error', error);
    emit({ type: 'source:failed', ...ref, report, error });
    return report;
  }
  const report = buildReport(stopReason ?? (isPlatformLimited ? 'platform-limit' : undefined));
  emit({ type: 'source:done', ...ref, report });
  return report;

  function buildReport(reason: Coverage['reason'] | undefined, error?: ReviewkitError): SourceReport {
    const isLossy = error !== undefined || skippedCount > 0;
    const status = !isLossy ? 'ok' : error && fetched === 0 ? 'failed' : 'partial';
    const cursor = resumeCursor ?? undefined;
    return {
      ...ref,
      status,
      fetched,
      pages,
      durationMs: Math.round(performance.now() - started),
      coverage: { complete: reason === undefined, ...(reason && { reason }), reportedTotal, ...(note !== null && { note }) },
      summary,
      ...(error && { error }),
      ...(cursor !== undefined && { cursor }),
      ...(skippedCount > 0 && { skipped, skippedCount }),
      ...(warnings.length > 0 && { warnings }),
    };
  }
}

function isBefore(review: Review, sinceMs: number): boolean {
  const created = review.createdAt?.getTime();
  const updated = review.updatedAt?.getTime();
  if (created === undefined && updated === undefined) return false;
  return Math.max(created ?? -Infinity, updated ?? -Infinity) < sinceMs;
}

function rethrowAbort(error: unknown): null {
  if (ReviewkitError.is(error) && error.code === 'ABORTED') throw error;
  // A failing summary must not cost the reviews already fetched.
  return null;
}

function newestFirst(a: Review, b: Review): number {
  const ta = a.createdAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const tb = b.createdAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  if (ta !== tb) return tb - ta;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function asReviewkitError(caught: unknown, source: string): ReviewkitError {
  if (ReviewkitError.is(caught)) return caught;
  const message = caught instanceof Error ? caught.message : String(caught);
  const cause = new Error(message);
  cause.name = caught instanceof Error ? caught.name : 'Error';
  return new ReviewkitError({ code: 'BAD_RESPONSE', source, cause, message: `${source}: adapter failed: ${message}` });
}

function paginationError(source: string, what: string): ReviewkitError {
  return new ReviewkitError({ code: 'PAGINATION', source, message: `${source}: stopped paging because the source ${what}.` });
}

function abortError(): ReviewkitError {
  return new ReviewkitError({ code: 'ABORTED', message: 'reviewkit: the run was aborted by the caller.' });
}

function safeEmitter(onProgress: AggregateOptions['onProgress']): (event: ProgressEvent) => void {
  if (!onProgress) return () => {};
  return (event) => {
    try {
      onProgress(event);
    } catch {
      // A progress callback is an observer; its bugs must not fail a source.
    }
  };
}

/** Throws `CONFIG` for arguments `aggregate` would refuse (internal: `sync` checks before it starts). */
export function checkArguments(adapters: readonly Adapter[], options: AggregateOptions): void {
  const bad = (message: string) => new ReviewkitError({ code: 'CONFIG', message: `reviewkit: ${message}` });
  if (!Array.isArray(adapters)) throw bad('aggregate() takes an array of adapters, e.g. [yelp({...})].');
  adapters.forEach((a, i) => {
    if (!a || typeof a !== 'object' || typeof a.pages !== 'function' || typeof a.name !== 'string') {
      throw bad(`adapters[${i}] is not an adapter; call the factory first (yelp({...}), not yelp).`);
    }
  });
  const positiveInt = (v: number | undefined) => v === undefined || (Number.isInteger(v) && v > 0);
  if (!positiveInt(options.concurrency)) throw bad('option `concurrency` must be a positive integer.');
  if (!positiveInt(options.maxPages)) throw bad('option `maxPages` must be a positive integer.');
  if (options.maxPerSource !== undefined && !(Number.isInteger(options.maxPerSource) && options.maxPerSource >= 0)) {
    throw bad('option `maxPerSource` must be a non-negative integer.');
  }
  if (options.since !== undefined && !(options.since instanceof Date && !Number.isNaN(options.since.getTime()))) {
    throw bad('option `since` must be a valid Date.');
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) throw bad('option `timeoutMs` must be positive.');
  if (options.retry?.attempts !== undefined && !positiveInt(options.retry.attempts)) {
    throw bad('option `retry.attempts` must be a positive integer (it counts the first try).');
  }
}
