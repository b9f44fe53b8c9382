import type { Adapter } from './define-adapter.js';
import type { SourceReport } from './engine.js';
import { ReviewkitError, redact } from './errors.js';
import { reviewFingerprint } from './fingerprint.js';
import type { Sink } from './sinks.js';
import { eventOf } from './store/records.js';
import type { ReviewStore, WatchEvent } from './store/types.js';
import { resumeKeyOf, type SyncOptions, sync } from './sync.js';

/** Default {@link WatchOptions.needsReplyAfterHours}. */
export const DEFAULT_NEEDS_REPLY_AFTER_HOURS = 24;
/** Default {@link WatchOptions.jitter}: each wait is the interval ± 10 %. */
export const DEFAULT_WATCH_JITTER = 0.1;

/** Options of {@link watch}: a store and a polling interval, plus the options of `sync`. */
export interface WatchOptions extends Omit<SyncOptions, 'notify' | 'onStored' | 'now'> {
  store: ReviewStore;
  /** Time between polls, in ms (jittered, see `jitter`). */
  intervalMs: number;
  /**
   * A negative review (negative polarity or ≤ 2 stars) still without a reply this many hours after
   * its `createdAt` gets one `needs-reply` event. Default 24.
   */
  needsReplyAfterHours?: number;
  /** Stops watching: the iteration ends (no error), with no timer or request left behind. */
  signal?: AbortSignal;
  /** Where to deliver every event, besides the iteration: see {@link Sink}. */
  sinks?: readonly Sink[];
  /** Spread of the wait between polls, a fraction of `intervalMs` (0–0.5). Default 0.1. */
  jitter?: number;
  /** Longest pause of a failing source, in ms. Default the larger of 32 intervals and one hour. */
  maxBackoffMs?: number;
  /** The clock (tests pin or advance it): read once per poll. Default `() => new Date()`. */
  clock?: () => Date;
  /** Called after every poll with what it did. Exceptions are ignored. */
  onPoll?: (poll: PollReport) => void;
}

/** What one poll of {@link watch} did. */
export interface PollReport {
  /** 1 for the first poll. */
  poll: number;
  /** The sources this poll synced (a source pausing after failures is not among them). */
  sources: SourceReport[];
  /** Sources pausing after failures, and until when. */
  paused: Array<{ source: string; subjectId: string; key: string; failures: number; until: Date }>;
  /** Events this poll emitted. */
  events: number;
  /** Deliveries that succeeded this poll (earlier polls' pending ones included). */
  delivered: number;
  /** Deliveries that failed this poll (they stay pending). */
  failed: Array<{ sink: string; eventId: string; error: string }>;
}

/**
 * Polls the sources into the store every `intervalMs` (jittered) and yields what changed:
 * `{ type: 'new' | 'updated' | 'needs-reply', review, id }`.
 *
 * - The first poll of an empty store emits `new` for every review; later polls only for reviews
 *   the store did not have. `updated`: a stored review's visible content changed.
 * - `needs-reply`: a review with negative polarity or ≤ 2 stars and no reply,
 *   `needsReplyAfterHours` after its `createdAt` (by `clock`). Emitted once per review — the mark
 *   is kept in the store, so a restart does not repeat it — and never once it has a reply.
 *   Undated reviews are never due.
 * - Each source is synced as `sync` does (resume points, overlap, crash safety). A source that
 *   fails pauses for a growing number of polls (backoff doubling up to `maxBackoffMs`); the
 *   others carry on.
 * - With `sinks`, every event is queued in the store for every sink in the same atomic write that
 *   stores its review (or its mark), delivered after the poll, and removed once delivered. A
 *   failed delivery stays pending and is retried at the start of the next poll, in order, so an
 *   event is never lost and reaches a recovered receiver once.
 *
 * Aborting `signal` ends the iteration after the current step (requests and waits are cancelled;
 * nothing stays open). Breaking out of the loop stops it too. A failing store write rejects the
 * iteration. Events are yielded after the poll's writes and deliveries.
 *
 * @example
 * for await (const event of watch(adapters, { store: fileStore('./reviews'), intervalMs: 15 * 60_000, signal })) {
 *   if (event.type === 'needs-reply') console.log('Reply to', event.review.url);
 * }
 */
export function watch(adapters: readonly Adapter[], options: WatchOptions): AsyncIterable<WatchEvent> {
  const sinks = checkWatchOptions(adapters, options);
  return {
    [Symbol.asyncIterator]: () => poll(adapters, options, sinks),
  };
}

interface NamedSink {
  id: string;
  deliver: Sink;
}

async function* poll(adapters: readonly Adapter[], options: WatchOptions, sinks: readonly NamedSink[]): AsyncGenerator<WatchEvent, void, undefined> {
  const {
    store,
    intervalMs,
    needsReplyAfterHours = DEFAULT_NEEDS_REPLY_AFTER_HOURS,
    signal,
    sinks: _sinks,
    jitter = DEFAULT_WATCH_JITTER,
    maxBackoffMs = Math.max(32 * intervalMs, 60 * 60 * 1000),
    clock = () => new Date(),
    onPoll,
    ...syncOptions
  } = options;
  const sinkIds = sinks.map((sink) => sink.id);
  const failures = new Map<string, { failures: number; until: number }>();
  const graceMs = needsReplyAfterHours * 60 * 60 * 1000;
  // Internal: aborts deliveries and waits when the caller aborts or stops iterating.
  const stop = new AbortController();
  const forward = () => stop.abort();
  signal?.addEventListener('abort', forward, { once: true });
  if (signal?.aborted) stop.abort();

  try {
    for (let round = 1; !stop.signal.aborted; round++) {
      const now = clock();
      const report: PollReport = { poll: round, sources: [], paused: [], events: 0, delivered: 0, failed: [] };
      let events: WatchEvent[];
      try {
        // What earlier polls (or an earlier process) could not deliver goes first, in order.
        const failing = new Set<string>();
        await deliver(store, sinks, stop.signal, report, failing);
        const due = adapters.filter((adapter) => (failures.get(resumeKeyOf(adapter))?.until ?? 0) <= now.getTime());
        const listed = new Set<string>();
        for (const adapter of adapters) {
          const key = resumeKeyOf(adapter);
          const paused = failures.get(key);
          if (listed.has(key)) continue;
          listed.add(key);
          if (paused && paused.until > now.getTime()) {
            report.paused.push({ source: adapter.name, subjectId: adapter.subjectId, key, failures: paused.failures, until: new Date(paused.until) });
          }
        }
        const synced = due.length === 0 ? null : await sync(due, { ...syncOptions, store, now, notify: sinkIds, signal: stop.signal });
        events = [];
        if (synced) {
          report.sources = synced.sources;
          for (const review of synced.added) events.push(eventOf('new', review, reviewFingerprint(review)));
          for (const review of synced.updated) events.push(eventOf('updated', review, reviewFingerprint(review)));
          const noted = new Set<string>();
          due.forEach((adapter, index) => {
            const key = resumeKeyOf(adapter);
            // A repeated adapter ran once: count its outcome once.
            if (noted.has(key)) return;
            noted.add(key);
            noteOutcome(failures, key, synced.sources[index], now.getTime(), intervalMs, maxBackoffMs, jitter);
          });
        }
        const overdue = await store.needsReply({ createdBefore: new Date(now.getTime() - graceMs) });
        if (overdue.length > 0) {
          const marked = await store.markNeedsReply(
            overdue.map((review) => review.id),
            { notify: sinkIds },
          );
          for (const review of marked) events.push(eventOf('needs-reply', review, reviewFingerprint(review)));
        }
        // A sink that just failed waits for the next poll rather than being hit twice in one.
        await deliver(store, sinks, stop.signal, report, failing);
      } catch (error) {
        if (stop.signal.aborted) return;
        throw error;
      }
      report.events = events.length;
      try {
        onPoll?.(report);
      } catch {
        // An observer; its bugs must not stop the watch.
      }
      for (const event of events) {
        yield event;
        if (stop.signal.aborted) return;
      }
      await wait(jittered(intervalMs, jitter), stop.signal);
    }
  } finally {
    signal?.removeEventListener('abort', forward);
    stop.abort();
  }
}

/**
 * Delivers the store's pending deliveries, each sink in queue order; a sink's first failure ends
 * its turn (and is added to `failing`, whose sinks are skipped).
 */
async function deliver(store: ReviewStore, sinks: readonly NamedSink[], signal: AbortSignal, report: PollReport, failing: Set<string>): Promise<void> {
  const active = sinks.filter((sink) => !failing.has(sink.id));
  if (active.length === 0) return;
  const pending = await store.pendingDeliveries(active.map((sink) => sink.id));
  await Promise.all(
    active.map(async (sink) => {
      for (const delivery of pending) {
        if (delivery.sink !== sink.id) continue;
        if (signal.aborted) return;
        try {
          await sink.deliver(delivery.event, { signal });
        } catch (error) {
          const message = describe(error);
          await store.settleDelivery(delivery.id, { delivered: false, error: message });
          report.failed.push({ sink: sink.id, eventId: delivery.event.id, error: message });
          failing.add(sink.id);
          return;
        }
        await store.settleDelivery(delivery.id, { delivered: true });
        report.delivered++;
      }
    }),
  );
}

function noteOutcome(
  failures: Map<string, { failures: number; until: number }>,
  key: string,
  report: SourceReport | undefined,
  now: number,
  intervalMs: number,
  maxBackoffMs: number,
  jitter: number,
): void {
  if (!report || report.error === undefined) {
    failures.delete(key);
    return;
  }
  const count = (failures.get(key)?.failures ?? 0) + 1;
  // The source sits out 1, 2, 4 … polls' worth of time (capped), so a broken source costs little.
  const pause = Math.min(maxBackoffMs, intervalMs * 2 ** (count - 1));
  failures.set(key, { failures: count, until: now + jittered(pause, jitter) });
}

function jittered(ms: number, jitter: number): number {
  return Math.max(0, Math.round(ms * (1 + jitter * (2 * Math.random() - 1))));
}

/** Waits `ms`, or less when `signal` aborts; leaves no timer behind either way. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redact(message);
}

function checkWatchOptions(adapters: readonly Adapter[], options: WatchOptions): NamedSink[] {
  const bad = (message: string) => new ReviewkitError({ code: 'CONFIG', message: `reviewkit watch: ${message}` });
  if (!options || typeof options !== 'object') throw bad('takes options: watch(adapters, { store, intervalMs }).');
  if (!Array.isArray(adapters)) throw bad('takes an array of adapters, e.g. [yelp({...})].');
  const store = options.store as Partial<ReviewStore> | undefined;
  if (!store || typeof store.upsert !== 'function' || typeof store.needsReply !== 'function') {
    throw bad('option `store` is required: memoryStore(), fileStore(dir) or sqliteStore(path).');
  }
  if (!(Number.isFinite(options.intervalMs) && options.intervalMs > 0)) throw bad('option `intervalMs` must be a positive number of milliseconds.');
  const hours = options.needsReplyAfterHours;
  if (hours !== undefined && !(Number.isFinite(hours) && hours >= 0)) throw bad('option `needsReplyAfterHours` must be a non-negative number.');
  if (options.jitter !== undefined && !(options.jitter >= 0 && options.jitter <= 0.5)) throw bad('option `jitter` must be between 0 and 0.5.');
  if (options.maxBackoffMs !== undefined && !(options.maxBackoffMs > 0)) throw bad('option `maxBackoffMs` must be positive.');
  if (options.clock !== undefined && typeof options.clock !== 'function') throw bad('option `clock` must be a function returning a Date.');
  const sinks = (options.sinks ?? []).map((deliver, index): NamedSink => {
    if (typeof deliver !== 'function') throw bad(`sinks[${index}] is not a function; use toWebhook(url, { secret }), toSlack(url) or an async (event) => {} function.`);
    return { id: deliver.sinkId ?? `sink-${index}`, deliver };
  });
  const ids = sinks.map((sink) => sink.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) throw bad(`two sinks share the id ${JSON.stringify(repeated)}; give them different URLs or sinkIds.`);
  return sinks;
}
