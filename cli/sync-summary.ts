// What `sync` prints: per source, what it fetched and what the store made of it (added, updated,
// unchanged), as a table for a person or JSON for a script. Secrets removed.
import { redact, type SyncResult } from 'reviewkit';
import { type Column, formatDuration, formatTable, type Styles, truncate } from './output.js';
import { statusText } from './summary.js';
import type { SourceProgress } from './tracker.js';

/** What the store made of one source's reviews. */
export interface SyncCounts {
  added: number;
  updated: number;
  unchanged: number;
}

const COLUMNS: Column[] = [
  { header: '#', align: 'right' },
  { header: 'adapter' },
  { header: 'subject' },
  { header: 'status' },
  { header: 'fetched', align: 'right' },
  { header: 'added', align: 'right' },
  { header: 'updated', align: 'right' },
  { header: 'unchanged', align: 'right' },
  { header: 'time', align: 'right' },
];

/** One row per source (in config order): its status and counts. */
export function formatSyncTable(sources: readonly Readonly<SourceProgress>[], counts: readonly SyncCounts[], secrets: readonly string[], styles: Styles): string {
  const rows = sources.map((source, position) => {
    const report = source.report;
    const count = counts[position] ?? { added: 0, updated: 0, unchanged: 0 };
    const status = !report
      ? styles.dim('not run')
      : report.duplicateOf !== undefined
        ? styles.dim(`same as #${report.duplicateOf}`)
        : statusText(report, styles);
    return [
      String(source.index),
      source.adapterName,
      truncate(source.subjectId, 32),
      status,
      String(report?.fetched ?? 0),
      count.added > 0 ? styles.bold(String(count.added)) : '0',
      String(count.updated),
      String(count.unchanged),
      report ? formatDuration(report.durationMs) : '',
    ];
  });
  return redact(formatTable(COLUMNS, rows, styles), secrets);
}

/** One source in {@link SyncJson}. */
export interface SyncJsonSource extends SyncCounts {
  /** Position in the config's `sources`. */
  index: number;
  adapter: string;
  subjectId: string;
  status: 'ok' | 'partial' | 'failed';
  fetched: number;
  /** The position of the entry this one repeats (it ran once, there). */
  duplicateOf?: number;
  error?: { code: string; message: string };
}

/** What `sync --json` prints. */
export interface SyncJson {
  /** The store, as the command line or config named it. */
  store: string;
  added: number;
  updated: number;
  unchanged: number;
  sources: SyncJsonSource[];
}

/** The `--json` output of a sync; messages redacted. */
export function syncJson(result: SyncResult, sources: readonly Readonly<SourceProgress>[], counts: readonly SyncCounts[], store: string, secrets: readonly string[]): SyncJson {
  return {
    store,
    added: result.added.length,
    updated: result.updated.length,
    unchanged: result.unchanged,
    sources: sources.map((source, position) => {
      const report = result.sources[position];
      return {
        index: source.index,
        adapter: source.adapterName,
        subjectId: redact(source.subjectId, secrets),
        status: report?.status ?? 'failed',
        fetched: report?.fetched ?? 0,
        ...(counts[position] ?? { added: 0, updated: 0, unchanged: 0 }),
        ...(report?.duplicateOf !== undefined && { duplicateOf: report.duplicateOf }),
        ...(report?.error && { error: { code: report.error.code, message: redact(report.error.message, secrets) } }),
      };
    }),
  };
}
