// `reviewkit score` for a person: the score and its breakdown, ratings, responses and the trend
// as aligned text (colors only on a terminal).
import type { Figures } from './figures.js';
import {
  COMPONENT_LABELS,
  describeRaw,
  formatHours,
  formatMonth,
  formatMonthShort,
  formatPercent,
  formatSigned,
  formatStars,
  isoDay,
} from './labels.js';
import { type Column, formatTable, pad, plural, type Styles } from './output.js';
import type { LoadedReviews } from './review-files.js';

const BAR_WIDTH = 20;
const SPARK = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** The human-readable score of `loaded`, as `score` prints it. */
export function formatScoreText(figures: Figures, loaded: LoadedReviews, styles: Styles): string {
  const sources = new Set(loaded.reviews.flatMap((review) => (review.source === null ? [] : [review.source])));
  return [
    ...headline(figures, loaded, sources.size, styles),
    '',
    ...breakdown(figures, sources.size, styles),
    '',
    ...ratings(figures, styles),
    '',
    ...responses(figures, styles),
    '',
    ...trend(figures, styles),
  ].join('\n');
}

function headline(figures: Figures, loaded: LoadedReviews, sourceCount: number, styles: Styles): string[] {
  const files = loaded.files.length === 1 ? (loaded.files[0]?.path ?? '') : `${loaded.files.length} files`;
  const duplicates = loaded.duplicates > 0 ? `, ${plural(loaded.duplicates, 'duplicate')} dropped` : '';
  return scoreHeadline(figures, `from ${files}${duplicates}`, sourceCount, styles);
}

/**
 * The score's headline: the score with a meter, then `N reviews <origin> · N rated · N sources ·
 * as of <day>` (`origin`: where the reviews came from), and a warning when there is no score.
 */
export function scoreHeadline(figures: Figures, origin: string, sourceCount: number, styles: Styles): string[] {
  const { score } = figures.reputation;
  const scoreText = score === null ? styles.bold('no score') : styles.bold(`${score.toFixed(1)} / 100`);
  const color = score === null ? styles.dim : score >= 75 ? styles.green : score >= 50 ? styles.yellow : styles.red;
  const filled = score === null ? 0 : Math.round((score / 100) * BAR_WIDTH);
  const meter = color('█'.repeat(filled)) + styles.dim('░'.repeat(BAR_WIDTH - filled));
  const lines = [
    `${styles.bold('Reputation score')}  ${scoreText}  ${meter}`,
    styles.dim(`${plural(figures.reviews, 'review')} ${origin} · ${figures.rated} rated · ${plural(sourceCount, 'source')} · as of ${isoDay(figures.asOf)} (UTC)`),
  ];
  if (score === null) lines.push(styles.yellow('No dated star rating: the score needs at least one (recommendations and mentions alone are not ratings).'));
  return lines;
}

/** The score's components as a table: value, weight, points and what each measured. */
export function breakdown(figures: Figures, sourceCount: number, styles: Styles): string[] {
  const columns: Column[] = [{ header: 'Breakdown' }, { header: 'value', align: 'right' }, { header: 'weight', align: 'right' }, { header: 'points', align: 'right' }, { header: '' }];
  const rows = figures.reputation.components.map((c) => [
    `  ${COMPONENT_LABELS[c.name]}`,
    c.value === null ? '—' : c.value.toFixed(2),
    c.value === null ? styles.dim('—') : c.effectiveWeight.toFixed(2),
    c.value === null ? styles.dim('—') : c.points.toFixed(1),
    styles.dim(describeRaw(c, sourceCount)),
  ]);
  const { coverage } = figures.reputation;
  const note = coverage < 1 ? `  ${styles.dim(`coverage ${formatPercent(coverage)}: components without data gave their weight to the others`)}` : null;
  return [formatTable(columns, rows, styles), ...(note ? [note] : [])];
}

function ratings(figures: Figures, styles: Styles): string[] {
  const counts = figures.ratingDistribution;
  const total = counts.reduce((sum, n) => sum + n, 0);
  const most = Math.max(1, ...counts);
  const lines = [
    `${styles.bold('Ratings')}   average ${formatStars(figures.averageRating)} · CSAT ${formatPercent(figures.csat)} · NPS ${formatSigned(figures.netPromoterScore)}`,
  ];
  for (let star = 5; star >= 1; star--) {
    const n = counts[star - 1] ?? 0;
    const bar = '█'.repeat(Math.round((n / most) * BAR_WIDTH));
    const color = star >= 4 ? styles.green : star === 3 ? styles.yellow : styles.red;
    lines.push(`  ${star}★  ${pad(color(bar), BAR_WIDTH)}  ${pad(String(n), String(most).length, 'right')}  ${pad(formatPercent(total === 0 ? null : n / total), 4, 'right')}`);
  }
  return lines;
}

function responses(figures: Figures, styles: Styles): string[] {
  const time = figures.responseTime;
  const parts = [
    `${formatPercent(figures.responseRate)} answered`,
    `median ${formatHours(time.medianHours)}`,
    `mean ${formatHours(time.meanHours)}`,
    `${formatPercent(time.withinSla)} within 24 h`,
  ];
  return [`${styles.bold('Responses')} ${styles.dim('(reviews of the last 365 days)')}`, `  ${parts.join(' · ')} ${styles.dim(`(${time.measured} measured)`)}`];
}

function trend(figures: Figures, styles: Styles): string[] {
  const { buckets, change } = figures.trend;
  const first = buckets[0];
  const last = buckets.at(-1);
  const spark = buckets
    .map((bucket) => (bucket.average === null ? styles.dim('·') : SPARK[Math.min(7, Math.max(0, Math.round(((bucket.average - 1) / 4) * 7)))]))
    .join('');
  const lines = [
    `${styles.bold('Trend')} ${styles.dim('(average rating per month, UTC; · = no rating)')}`,
    `  ${first ? formatMonth(first.start) : ''} ${spark} ${last ? formatMonth(last.start) : ''} ${styles.dim('(current month so far)')}`,
  ];
  const previous = buckets.at(-3);
  const current = buckets.at(-2);
  if (change && previous && current) {
    const verdict = change.pValue === null ? 'too few ratings to test' : `${change.isSignificant ? 'significant' : 'not significant'} (p = ${change.pValue.toFixed(3)})`;
    const delta = formatSigned(change.delta, 2);
    const colored = change.isSignificant ? (change.delta < 0 ? styles.red(delta) : styles.green(delta)) : delta;
    lines.push(`  ${formatMonth(current.start)} vs ${formatMonth(previous.start)}: ${formatStars(change.previous)} → ${formatStars(change.current)} (${colored}★), ${verdict}`);
  } else if (previous && current) {
    lines.push(styles.dim(`  ${formatMonth(current.start)} vs ${formatMonth(previous.start)}: not comparable (a month without ratings)`));
  }
  return lines;
}
