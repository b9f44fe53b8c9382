// Per-source progress of a fetch, attributed by the source's position in the config.
//
// The engine's progress events name a source by `source` and `subjectId`, which two config
// entries can share (the App Store feed and App Store Connect for one app are both
// `app-store`/<appId>). So each adapter is wrapped: the wrapper sees its own pages and retries,
// and knows exactly which entry it is. The final word on each source is its SourceReport.
import { type Adapter, type Review, ReviewkitError, type RunSettings, type SourceReport } from 'reviewkit';

/** What a source is doing, as far as the CLI can see. */
export type SourceState = 'waiting' | 'running' | 'finished' | 'failed';

/** The live figures of one source. */
export interface SourceProgress {
  /** Position in the config's `sources` (0-based). */
  index: number;
  /** The config's adapter name (`app-store-connect`, …). */
  adapterName: string;
  subjectId: string;
  state: SourceState;
  pages: number;
  /** Reviews received in pages so far (before `since`, `maxPerSource` and dedupe: the report has the count kept). */
  reviews: number;
  retries: number;
  /** The latest retry: why and how long it waits. */
  lastRetry: { attempt: number; delayMs: number; code: string } | null;
  error: ReviewkitError | null;
  startedAt: number | null;
  endedAt: number | null;
  /** Set once the run is over. */
  report: SourceReport | null;
}

/** What happened to a source. */
export type ProgressChange = 'start' | 'page' | 'retry' | 'finish' | 'fail' | 'report';

/** Told about every change; `source` is the updated state. */
export type ProgressListener = (change: ProgressChange, source: Readonly<SourceProgress>) => void;

/** Tracks every source of a run; {@link RunTracker.wrap} gives the adapters to run. */
export class RunTracker {
  /** One entry per config source, in config order. */
  readonly sources: SourceProgress[];

  constructor(
    entries: readonly { index: number; adapterName: string; adapter: Adapter }[],
    private readonly listener: ProgressListener,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.sources = entries.map(({ index, adapterName, adapter }) => ({
      index,
      adapterName,
      subjectId: adapter.subjectId,
      state: 'waiting',
      pages: 0,
      reviews: 0,
      retries: 0,
      lastRetry: null,
      error: null,
      startedAt: null,
      endedAt: null,
      report: null,
    }));
  }

  /** The adapter at `position` (in the list given to the constructor), reporting its progress here. */
  wrap(adapter: Adapter, position: number): Adapter {
    const source = this.sources[position];
    if (!source) throw new RangeError(`no source at position ${position}`);
    const tracker = this;
    return {
      name: adapter.name,
      subjectId: adapter.subjectId,
      ...(adapter.key !== undefined && { key: adapter.key }),
      // `sync` keys each source's resume point by it: without it two entries for one app (the
      // App Store feed and Connect) would share a key, and a renewed token would lose its place.
      ...(adapter.resumeKey !== undefined && { resumeKey: adapter.resumeKey }),
      ...(adapter.owns !== undefined && { owns: (review: Review) => adapter.owns?.(review) ?? false }),
      ...(adapter.replies !== undefined && { replies: adapter.replies }),
      order: adapter.order,
      summary: (settings) => adapter.summary(settings),
      async *pages(settings: RunSettings) {
        tracker.start(source);
        const onRetry = settings.onRetry;
        const tracked: RunSettings = {
          ...settings,
          onRetry: (info) => {
            tracker.retry(source, info.attempt, info.delayMs, info.error);
            onRetry?.(info);
          },
        };
        try {
          for await (const page of adapter.pages(tracked)) {
            tracker.page(source, page.reviews.length);
            yield page;
          }
        } catch (error) {
          tracker.fail(source, error);
          throw error;
        } finally {
          // The engine may stop reading early (maxPerSource, since, an abort): paging is over either way.
          if (source.state === 'running') tracker.finish(source);
        }
      },
    };
  }

  /** Records the run's reports (one per source, in order): the final state of every source. */
  settle(reports: readonly SourceReport[]): void {
    reports.forEach((report, position) => {
      const source = this.sources[position];
      if (!source) return;
      source.report = report;
      source.state = report.status === 'failed' || report.error ? 'failed' : 'finished';
      source.error = report.error ?? null;
      source.endedAt ??= source.startedAt === null ? null : this.now();
      this.listener('report', source);
    });
  }

  private start(source: SourceProgress): void {
    source.state = 'running';
    source.startedAt = this.now();
    this.listener('start', source);
  }

  private page(source: SourceProgress, reviews: number): void {
    source.pages++;
    source.reviews += reviews;
    this.listener('page', source);
  }

  private retry(source: SourceProgress, attempt: number, delayMs: number, error: ReviewkitError): void {
    source.retries++;
    source.lastRetry = { attempt, delayMs, code: error.code };
    this.listener('retry', source);
  }

  private finish(source: SourceProgress): void {
    source.state = 'finished';
    source.endedAt = this.now();
    this.listener('finish', source);
  }

  private fail(source: SourceProgress, error: unknown): void {
    source.state = 'failed';
    source.endedAt = this.now();
    source.error = ReviewkitError.is(error) ? error : null;
    this.listener('fail', source);
  }
}
