// The report as one self-contained HTML document: inline CSS, inline SVG, no script, no
// external resource of any kind (fonts are the reader's system fonts).
import { VERSION } from 'reviewkit';
import { formatAge, formatDay, formatHours, formatPercent, formatSigned, formatStars, isoDay, sourceLabel } from '../labels.js';
import { breakdownChart, distributionChart, responsesChart, STAR_SYMBOL, scoreGauge, scoreTone, sourcesChart, stars, trendChart } from './charts.js';
import { html, type Markup, raw, safeHref, toHtmlString } from './html.js';
import { NEEDS_REPLY_DAYS } from '../parameters.js';
import type { NeedsReply, ReportModel } from './model.js';
import { REPORT_CSS } from './styles.js';

const DAY_MS = 86_400_000;

/** The report page for `model`. */
export function renderReport(model: ReportModel): string {
  const { figures } = model;
  const document = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="reviewkit ${VERSION}">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${model.title}</title>
<style>${raw(REPORT_CSS)}</style>
</head>
<body>
${STAR_SYMBOL}
<main>
${header(model)}
<section class="hero">
<div class="card score-card">
<h2>Reputation score</h2>
${scoreGauge(figures.reputation.score)}
<p class="verdict tone-${scoreTone(figures.reputation.score)}">${verdict(figures.reputation.score)}</p>
${figures.reputation.coverage < 1 && figures.reputation.score !== null ? html`<p class="note">Based on ${formatPercent(figures.reputation.coverage)} of the score's design: some parts have no data yet.</p>` : ''}
</div>
<div class="card">
<h2>What makes up the score</h2>
${breakdownChart(figures.reputation.components, model.sources.filter((s) => s.source !== null).length)}
</div>
</section>
${kpis(model)}
<section class="grid">
<div class="card wide">
<h2>Rating trend <small>last 12 months and this one</small></h2>
${trendChart(figures.trend)}
${trendNote(model)}
</div>
<div class="card">
<h2>Ratings <small>${figures.rated} rated review${figures.rated === 1 ? '' : 's'}</small></h2>
${distributionChart(figures.ratingDistribution)}
</div>
<div class="card">
<h2>Reviews by source</h2>
${sourcesChart(model.sources)}
</div>
<div class="card">
<h2>Responses</h2>
<div class="pair"><div><b>${formatPercent(figures.responseRate)}</b><span>answered</span></div><div><b>${formatHours(figures.responseTime.medianHours)}</b><span>median first reply</span></div></div>
${responsesChart(model.responses, figures.responseTime.medianHours)}
</div>
</section>
${needsReplySection(model)}
${footer(model)}
</main>
</body>
</html>
`;
  return toHtmlString(document);
}

function header(model: ReportModel): Markup {
  const { figures } = model;
  const period =
    model.firstReview && model.lastReview ? `${formatDay(model.firstReview)} – ${formatDay(model.lastReview)}` : 'no dated reviews';
  const subjects = model.subjects.length > 1 ? html`<p class="subjects">${model.subjects.join(' · ')}</p>` : '';
  return html`<header>
<h1>${model.title}</h1>
<p class="meta"><span>${figures.reviews} review${figures.reviews === 1 ? '' : 's'}</span><span>${model.sources.length} source${model.sources.length === 1 ? '' : 's'}</span><span>${period}</span><span>as of ${formatDay(figures.asOf)}</span></p>
${subjects}
</header>`;
}

function verdict(score: number | null): string {
  if (score === null) return 'No score yet: it needs at least one dated star rating.';
  if (score >= 85) return 'Excellent';
  if (score >= 75) return 'Good';
  if (score >= 60) return 'Fair';
  if (score >= 50) return 'Needs attention';
  return 'Poor';
}

function kpis(model: ReportModel): Markup {
  const { figures } = model;
  const tile = (value: Markup | string, label: string, extra: Markup | string = '') =>
    html`<div class="kpi"><span class="kpi-value">${value}</span><span class="kpi-label">${label}</span>${extra}</div>`;
  return html`<section class="kpis">
${tile(formatStars(figures.averageRating), 'average rating', stars(figures.averageRating))}
${tile(formatPercent(figures.csat), 'satisfied (4–5★)')}
${tile(formatSigned(figures.netPromoterScore), 'net promoter score')}
${tile(String(model.last30Days), 'reviews in the last 30 days')}
${tile(String(model.needsReplyTotal), 'negative reviews awaiting a reply', model.needsReplyTotal > 0 ? html`<a class="kpi-link" href="#needs-reply">see below</a>` : '')}
${tile(formatPercent(figures.responseTime.withinSla), 'replies within 24 h')}
</section>`;
}

function trendNote(model: ReportModel): Markup | string {
  const change = model.figures.trend.change;
  const buckets = model.figures.trend.buckets;
  const previous = buckets.at(-3);
  const current = buckets.at(-2);
  if (!change || !previous || !current) return '';
  // Colored only when the change is more than noise: a red "down" on chance alone would alarm for nothing.
  const direction = !change.isSignificant ? 'flat' : change.delta > 0 ? 'up' : 'down';
  const test =
    change.pValue === null
      ? 'too few ratings to tell whether that is more than chance'
      : change.isSignificant
        ? `a real change, not noise (p = ${change.pValue.toFixed(3)})`
        : `within normal variation (p = ${change.pValue.toFixed(2)})`;
  return html`<p class="note trend-note ${direction}">${formatMonthName(current.start)}: ${formatStars(change.current, 2)} vs ${formatStars(change.previous, 2)} in ${formatMonthName(previous.start)} (${formatSigned(change.delta, 2)}★), ${test}.</p>`;
}

function formatMonthName(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(date);
}

function needsReplySection(model: ReportModel): Markup {
  const total = model.needsReplyTotal;
  const more = total - model.needsReply.length;
  const body =
    total === 0
      ? html`<p class="all-clear">No negative review of the last ${NEEDS_REPLY_DAYS} days is waiting for a reply.</p>`
      : html`<ol class="reviews">${model.needsReply.map((item) => reviewCard(item, model.figures.asOf))}</ol>${more > 0 ? html`<p class="note">And ${more} more.</p>` : ''}`;
  return html`<section class="card needs-reply" id="needs-reply">
<h2>Needs a reply <small>${total} negative review${total === 1 ? '' : 's'} without a response, last ${NEEDS_REPLY_DAYS} days, newest first</small></h2>
${body}
</section>`;
}

function reviewCard({ review, areRepliesVisible }: NeedsReply, asOf: Date): Markup {
  const href = safeHref(review.url);
  const created = review.createdAt;
  const age = created ? formatAge(Math.max(0, (asOf.getTime() - created.getTime()) / DAY_MS)) : '';
  const rating =
    review.stars !== null
      ? stars(review.stars)
      : review.recommendation === 'negative'
        ? html`<span class="badge poor">does not recommend</span>`
        : html`<span class="badge">negative mention (estimated from the text)</span>`;
  return html`<li class="review">
<div class="review-head">${rating}<span class="source">${sourceLabel(review.source)}</span><span class="who">${review.authorName ?? 'Anonymous'}</span>${created ? html`<time datetime="${created.toISOString()}" title="${isoDay(created)}">${age}</time>` : ''}</div>
${review.title ? html`<h3>${review.title}</h3>` : ''}
<p class="text">${review.text ?? html`<em>No text.</em>`}</p>
<div class="review-foot">${areRepliesVisible ? '' : html`<span class="badge">replies not visible through this source's API</span>`}${href ? html`<a href="${href}" rel="noopener noreferrer">Open on ${sourceLabel(review.source)}</a>` : ''}</div>
</li>`;
}

function footer(model: ReportModel): Markup {
  return html`<footer>
<p>Generated by reviewkit ${VERSION} from ${model.files.join(', ')}. Figures as of ${formatDay(model.figures.asOf)}; months and dates in UTC.</p>
<p>The reputation score (0–100) adds up six parts: rating quality (a time-weighted average of stars, pulled towards 4★ while there are few reviews), review volume, recency, response rate and response time (last 365 days, on sources where replies are visible), and how many sources carry recent ratings. Satisfied = share of 4–5★ ratings; net promoter score = 5★ minus 1–3★, in points.</p>
</footer>`;
}
