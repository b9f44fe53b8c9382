// The end-of-run summary of a fetch: a table with one row per source, then the details a row
// cannot hold (error messages, skipped items, adapters' notes). Written to stderr.
import { redact, type SourceReport } from 'reviewkit';
import { type Column, formatDuration, formatTable, plural, type Styles, truncate } from './output.js';
import type { SourceProgress } from './tracker.js';

const COLUMNS: Column[] = [
  { header: '#', align: 'right' },
  { header: 'adapter' },
  { header: 'subject' },
  { header: 'status' },
  { header: 'reviews', align: 'right' },
  { header: 'pages', align: 'right' },
  { header: 'time', align: 'right' },
  { header: 'coverage' },
];

/** The summary of a finished run: the table, then {@link formatDetails}; secrets removed. */
export function formatSummary(sources: readonly Readonly<SourceProgress>[], secrets: readonly string[], styles: Styles): string {
  const rows = sources.map((source) => {
    const report = source.report;
    const status = report ? statusText(report, styles) : styles.dim('not run');
    return [
      String(source.index),
      source.adapterName,
      truncate(source.subjectId, 32),
      status,
      String(report?.fetched ?? 0),
      String(report?.pages ?? 0),
      report ? formatDuration(report.durationMs) : '',
      report ? coverageText(report) : '',
    ];
  });
  const details = formatDetails(sources, secrets, styles);
  return redact([formatTable(COLUMNS, rows, styles), ...(details === '' ? [] : ['', details])].join('\n'), secrets);
}

/** One line per error, skipped items, warning or note of each source (empty when none); secrets removed. */
export function formatDetails(sources: readonly Readonly<SourceProgress>[], secrets: readonly string[], styles: Styles): string {
  const lines = sources.flatMap((source) => (source.report ? detailsOf(source, source.report, styles) : []));
  return redact(lines.join('\n'), secrets);
}

/** A source's status word, coloured: ok, partial or failed. */
export function statusText(report: SourceReport, styles: Styles): string {
  if (report.status === 'ok') return styles.green('ok');
  if (report.status === 'partial') return styles.yellow('partial');
  return styles.red('failed');
}

function coverageText(report: SourceReport): string {
  if (report.duplicateOf !== undefined) return `same source as #${report.duplicateOf}`;
  const { coverage } = report;
  const total = coverage.reportedTotal === null ? '' : ` (source reports ${coverage.reportedTotal})`;
  if (coverage.complete) return `complete${total}`;
  switch (coverage.reason) {
    case 'platform-limit':
      return `platform limit${total}`;
    case 'max-per-source':
      return 'stopped at maxPerSource';
    case 'since':
      return 'since the --since date';
    case 'error':
      return `stopped by ${report.error?.code ?? 'an error'}`;
    default:
      return 'incomplete';
  }
}

function detailsOf(source: Readonly<SourceProgress>, report: SourceReport, styles: Styles): string[] {
  const label = `#${source.index} ${source.adapterName}`;
  const lines: string[] = [];
  if (report.error) lines.push(`${styles.red(label)}: ${report.error.code}: ${report.error.message}`);
  if (report.skippedCount) {
    const first = report.skipped?.[0];
    const example = first ? ` (first: item ${first.index}${first.externalId ? ` ${first.externalId}` : ''}${first.path ? `, ${first.path}` : ''}: ${first.reason})` : '';
    lines.push(`${styles.yellow(label)}: ${plural(report.skippedCount, 'item')} left out as invalid${example}`);
  }
  for (const warning of report.warnings ?? []) lines.push(`${styles.yellow(label)}: warning: ${warning.message}`);
  if (report.coverage.note) lines.push(`${label}: note: ${report.coverage.note}`);
  return lines;
}
