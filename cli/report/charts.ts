// The report's charts: inline SVG, no script. Each is a <figure data-chart="…">. Bars and the
// trend plot stretch with the page (preserveAspectRatio="none", strokes that do not scale),
// while every label is HTML text, so charts stay legible from a phone to a printed page.
import type { RatingTrend, ReputationComponent, StarCounts } from 'reviewkit';
import { COMPONENT_LABELS, describeRaw, formatHours, formatMonth, formatMonthShort, formatPercent, formatStars, sourceLabel } from '../labels.js';
import { html, type Markup, n } from './html.js';
import { RESPONSE_TARGET_HOURS } from '../parameters.js';
import type { ResponseBuckets, SourceVolume } from './model.js';

/** The star shape every star icon uses (`<use href="#star">`): defined once per page. */
export const STAR_SYMBOL = html`<svg width="0" height="0" class="defs" aria-hidden="true"><symbol id="star" viewBox="0 0 24 24"><path d="M12 2.6l2.9 6 6.6.9-4.8 4.6 1.2 6.5L12 17.5l-5.9 3.1 1.2-6.5L2.5 9.5l6.6-.9z"/></symbol></svg>`;

/** A horizontal bar filled to `fraction` (0..1) of its width. */
function bar(fraction: number, tone: string): Markup {
  const width = n(Math.max(0, Math.min(1, fraction)) * 100);
  return html`<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="track" width="100" height="10" rx="0"/><rect class="fill ${tone}" width="${width}" height="10"/></svg>`;
}

/** Five stars, `value` of them filled (fractions allowed), as one accessible image. */
export function stars(value: number | null, label?: string): Markup {
  const filled = value === null ? 0 : Math.max(0, Math.min(5, value));
  const icons = html`${[0, 1, 2, 3, 4].map(() => html`<svg viewBox="0 0 24 24"><use href="#star"/></svg>`)}`;
  return html`<span class="stars" role="img" aria-label="${label ?? (value === null ? 'unrated' : `${formatStars(value, 1)} of 5`)}"><span class="stars-empty">${icons}</span><span class="stars-full" style="width:${n((filled / 5) * 100)}%">${icons}</span></span>`;
}

/** Tone of a 0..100 score: good, fair or poor. */
export function scoreTone(score: number | null): 'good' | 'fair' | 'poor' | 'none' {
  if (score === null) return 'none';
  return score >= 75 ? 'good' : score >= 50 ? 'fair' : 'poor';
}

/** The score as a ring gauge. */
export function scoreGauge(score: number | null): Markup {
  const radius = 80;
  const circumference = 2 * Math.PI * radius;
  const arc = score === null ? 0 : (score / 100) * circumference;
  const label = score === null ? 'No reputation score' : `Reputation score ${score.toFixed(1)} out of 100`;
  return html`<figure class="gauge tone-${scoreTone(score)}" data-chart="score">
<svg viewBox="0 0 200 200" role="img" aria-label="${label}">
<circle class="gauge-track" cx="100" cy="100" r="${radius}"/>
<circle class="gauge-fill" cx="100" cy="100" r="${radius}" stroke-dasharray="${n(arc)} ${n(circumference)}" transform="rotate(-90 100 100)"/>
<text class="gauge-value" x="100" y="108" text-anchor="middle">${score === null ? '—' : score.toFixed(0)}</text>
<text class="gauge-unit" x="100" y="136" text-anchor="middle">out of 100</text>
</svg>
</figure>`;
}

/** Each component of the score: its value as a bar, its points out of its weight. */
export function breakdownChart(components: readonly ReputationComponent[], sourceCount: number): Markup {
  const rows = components.map((c) => {
    const max = c.effectiveWeight * 100;
    const tone = c.value === null ? 'none' : c.value >= 0.75 ? 'good' : c.value >= 0.5 ? 'fair' : 'poor';
    return html`<li class="${c.value === null ? 'muted' : ''}">
<span class="row-label">${COMPONENT_LABELS[c.name]}</span>
${bar(c.value ?? 0, tone)}
<span class="row-value">${c.value === null ? 'no data' : html`<b>${c.points.toFixed(1)}</b> / ${max.toFixed(0)}`}</span>
<span class="row-note">${describeRaw(c, sourceCount)}</span>
</li>`;
  });
  return html`<figure class="rows breakdown" data-chart="breakdown"><ol>${rows}</ol><figcaption>Points each part adds to the score, out of its weight. Parts without data pass their weight to the others.</figcaption></figure>`;
}

/** Ratings by star, 5★ first. */
export function distributionChart(counts: StarCounts): Markup {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const most = Math.max(1, ...counts);
  const rows = [5, 4, 3, 2, 1].map((star) => {
    const count = counts[star - 1] ?? 0;
    const tone = star >= 4 ? 'good' : star === 3 ? 'fair' : 'poor';
    return html`<li>
<span class="row-label">${star} ${stars(star, `${star} stars`)}</span>
${bar(count / most, tone)}
<span class="row-value"><b>${count}</b> <small>${formatPercent(total === 0 ? null : count / total)}</small></span>
</li>`;
  });
  return html`<figure class="rows distribution" data-chart="distribution"><ol>${rows}</ol>${total === 0 ? html`<figcaption>No star ratings in these reviews.</figcaption>` : ''}</figure>`;
}

/** Reviews per source, busiest first, with each source's average. */
export function sourcesChart(sources: readonly SourceVolume[]): Markup {
  const most = Math.max(1, ...sources.map((s) => s.count));
  const rows = sources.map(
    (s) => html`<li>
<span class="row-label">${sourceLabel(s.source)}</span>
${bar(s.count / most, 'accent')}
<span class="row-value"><b>${s.count}</b> <small>${s.average === null ? (s.rated === 0 ? 'unrated' : '') : formatStars(s.average, 1)}</small></span>
</li>`,
  );
  return html`<figure class="rows sources" data-chart="sources"><ol>${rows.length > 0 ? rows : html`<li class="muted">No reviews.</li>`}</ol></figure>`;
}

/** Answered fast, answered later, unanswered: one stacked bar and its legend. */
export function responsesChart(buckets: ResponseBuckets, medianHours: number | null): Markup {
  const parts = [
    { key: 'fast', label: `answered within ${RESPONSE_TARGET_HOURS} h`, count: buckets.fast },
    { key: 'slow', label: 'answered later', count: buckets.slow },
    { key: 'untimed', label: 'answered (time unknown)', count: buckets.untimed },
    { key: 'unanswered', label: 'not answered', count: buckets.unanswered },
  ];
  const total = parts.reduce((sum, part) => sum + part.count, 0);
  let x = 0;
  const segments = parts.map((part) => {
    const width = total === 0 ? 0 : (part.count / total) * 100;
    const segment = html`<rect class="seg-${part.key}" x="${n(x)}" width="${n(width)}" height="10"><title>${part.count} ${part.label}</title></rect>`;
    x += width;
    return segment;
  });
  const legend = parts
    .filter((part) => part.count > 0 || part.key !== 'untimed')
    .map((part) => html`<li><i class="swatch seg-${part.key}"></i>${part.label} <b>${part.count}</b></li>`);
  return html`<figure class="responses" data-chart="responses">
<svg class="stack" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${`${total} reviews a business could answer: ${parts.map((p) => `${p.count} ${p.label}`).join(', ')}`}"><rect class="track" width="100" height="10"/>${segments}</svg>
<ul class="legend">${legend}</ul>
<figcaption>${total === 0 ? 'No reviews of the last 365 days on sources where replies are visible.' : `Reviews of the last 365 days on sources where replies are visible; median time to first reply ${formatHours(medianHours)}.`}</figcaption>
</figure>`;
}

/**
 * Average rating per month (a line, gaps where a month has no rating) over the number of
 * reviews per month (bars). The current month is drawn lighter: it is not over yet.
 */
export function trendChart(trend: RatingTrend): Markup {
  const buckets = trend.buckets;
  const count = buckets.length;
  const width = count * 100;
  const height = 100;
  const mostReviews = Math.max(1, ...buckets.map((b) => b.total));
  const yOf = (average: number) => n(((5 - average) / 4) * 80 + 6);
  const bars = buckets.map((b, i) => {
    const h = (b.total / mostReviews) * 40;
    return html`<rect class="volume${b.isComplete ? '' : ' current'}" x="${i * 100 + 18}" y="${n(height - h)}" width="64" height="${n(h)}"><title>${formatMonth(b.start)}: ${b.total} review${b.total === 1 ? '' : 's'}</title></rect>`;
  });
  // Line segments between consecutive months that both have ratings.
  let path = '';
  let isDrawing = false;
  buckets.forEach((b, i) => {
    if (b.average === null) {
      isDrawing = false;
      return;
    }
    path += `${isDrawing ? 'L' : 'M'}${i * 100 + 50} ${yOf(b.average)}`;
    isDrawing = true;
  });
  const grid = [5, 4, 3, 2, 1].map((star) => html`<line class="grid" x1="0" x2="${width}" y1="${yOf(star)}" y2="${yOf(star)}"/>`);
  const dots = buckets.map((b, i) =>
    b.average === null
      ? ''
      : html`<span class="dot${b.isComplete ? '' : ' current'}" style="left:${n(((i + 0.5) / count) * 100)}%;top:${n(yOf(b.average))}%" title="${`${formatMonth(b.start)}: ${formatStars(b.average)} from ${b.count} rating${b.count === 1 ? '' : 's'}`}"></span>`,
  );
  const yLabels = [5, 4, 3, 2, 1].map((star) => html`<span style="top:${yOf(star)}%">${star}★</span>`);
  const xLabels = buckets.map(
    (b, i) => html`<span class="${i % 2 === 1 ? 'odd' : ''}">${formatMonthShort(b.start)}${b.start.getUTCMonth() === 0 || i === 0 ? html`<small>${b.start.getUTCFullYear()}</small>` : ''}</span>`,
  );
  const rated = buckets.filter((b) => b.average !== null);
  const label =
    rated.length === 0
      ? 'No ratings in the last 13 months'
      : `Average rating per month: ${rated.map((b) => `${formatMonth(b.start)} ${formatStars(b.average, 1)}`).join(', ')}`;
  return html`<figure class="trend" data-chart="trend">
<div class="plot">
<div class="y-labels" aria-hidden="true">${yLabels}</div>
<div class="plot-area">
<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="${label}">${grid}${bars}<path class="line" d="${path}"/></svg>
${dots}
</div>
</div>
<div class="x-labels" aria-hidden="true">${xLabels}</div>
<ul class="legend"><li><i class="swatch line"></i>average rating</li><li><i class="swatch volume"></i>reviews per month</li><li><i class="swatch volume current"></i>this month so far</li></ul>
</figure>`;
}
