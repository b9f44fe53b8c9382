// The report's stylesheet: system fonts (nothing to download), CSS variables for a light and a
// dark palette, a layout that goes from two columns to one on a phone, and print rules.

/** The report's CSS, inlined into the page. */
export const REPORT_CSS = `
:root {
  --bg: #f4f5f9; --card: #ffffff; --text: #1d2330; --muted: #647084; --border: #e3e6ee;
  --track: #eceef4; --accent: #5046e5; --accent-soft: #c9cdf8;
  --good: #17915a; --fair: #d08a06; --poor: #d3382f; --star: #f2a516; --star-empty: #dadde6;
  --shadow: 0 1px 2px rgba(20, 24, 40, .06), 0 4px 16px rgba(20, 24, 40, .05);
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1016; --card: #171a23; --text: #e7e9f0; --muted: #98a1b3; --border: #272c39;
    --track: #242936; --accent: #8b83ff; --accent-soft: #3a3878;
    --good: #3cc68a; --fair: #f0b43c; --poor: #f26b62; --star: #f5b83d; --star-empty: #3a4050;
    --shadow: none;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  font-variant-numeric: tabular-nums;
}
main { max-width: 1140px; margin: 0 auto; padding: 32px 24px 48px; }
h1 { font-size: 30px; line-height: 1.2; margin: 0 0 8px; letter-spacing: -.01em; }
h2 { font-size: 15px; margin: 0 0 16px; font-weight: 650; }
h2 small { font-weight: 400; color: var(--muted); margin-left: 6px; font-size: 13px; }
header { margin-bottom: 24px; }
.meta { margin: 0; color: var(--muted); display: flex; flex-wrap: wrap; gap: 2px 0; }
.meta span:not(:last-child)::after { content: "·"; margin: 0 8px; }
.subjects { margin: 6px 0 0; color: var(--muted); font-size: 13px; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 14px; padding: 20px 22px; box-shadow: var(--shadow); min-width: 0; }
section { margin-bottom: 20px; }
.hero { display: grid; grid-template-columns: minmax(260px, 320px) 1fr; gap: 20px; }
.grid { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 20px; }
.grid .wide { grid-column: 1 / -1; }
figure { margin: 0; }
figcaption, .note { color: var(--muted); font-size: 13px; margin: 12px 0 0; }
svg.defs { position: absolute; width: 0; height: 0; overflow: hidden; }

.score-card { text-align: center; display: flex; flex-direction: column; align-items: center; justify-content: center; }
.score-card h2 { margin-bottom: auto; }
.score-card .verdict { margin-bottom: auto; }
.score-card h2 { align-self: flex-start; }
.gauge svg { width: 190px; height: 190px; display: block; }
.gauge-track { fill: none; stroke: var(--track); stroke-width: 16; }
.gauge-fill { fill: none; stroke: var(--muted); stroke-width: 16; stroke-linecap: round; }
.tone-good .gauge-fill { stroke: var(--good); } .tone-fair .gauge-fill { stroke: var(--fair); } .tone-poor .gauge-fill { stroke: var(--poor); }
.gauge-value { fill: var(--text); font-size: 56px; font-weight: 700; letter-spacing: -.02em; }
.gauge-unit { fill: var(--muted); font-size: 14px; }
.verdict { font-size: 18px; font-weight: 650; margin: 8px 0 0; }
.verdict.tone-good { color: var(--good); } .verdict.tone-fair { color: var(--fair); } .verdict.tone-poor { color: var(--poor); } .verdict.tone-none { color: var(--muted); font-size: 14px; font-weight: 400; }

.rows ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; }
.rows li { display: grid; grid-template-columns: minmax(110px, 34%) 1fr auto; align-items: center; gap: 4px 12px; }
.rows li.muted { color: var(--muted); }
.row-label { font-size: 14px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.row-label .stars { margin-left: 4px; }
.sources li { grid-template-columns: minmax(0, 44%) 1fr auto; }
.sources .row-label { white-space: normal; line-height: 1.25; }
.row-value { font-size: 14px; text-align: right; white-space: nowrap; min-width: 64px; }
.row-value small { color: var(--muted); font-size: 12px; margin-left: 4px; }
.row-note { grid-column: 2 / -1; color: var(--muted); font-size: 12px; margin-top: -4px; }
svg.bar { width: 100%; height: 10px; display: block; border-radius: 5px; overflow: hidden; }
.track { fill: var(--track); }
.fill.good { fill: var(--good); } .fill.fair { fill: var(--fair); } .fill.poor { fill: var(--poor); } .fill.accent { fill: var(--accent); } .fill.none { fill: var(--muted); }

.stars { position: relative; display: inline-block; line-height: 0; white-space: nowrap; vertical-align: middle; }
.stars svg { width: 14px; height: 14px; }
.stars-empty svg { fill: var(--star-empty); }
.stars-full { position: absolute; inset: 0 auto 0 0; overflow: hidden; }
.stars-full svg { fill: var(--star); }
.distribution .row-label .stars svg { width: 12px; height: 12px; }

.kpis { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 20px; }
.kpi { background: var(--card); border: 1px solid var(--border); border-radius: 14px; padding: 16px 18px; box-shadow: var(--shadow); display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.kpi-value { font-size: 28px; font-weight: 700; letter-spacing: -.01em; }
.kpi-label { color: var(--muted); font-size: 13px; }
.kpi .stars { margin-top: 6px; align-self: flex-start; }
.kpi-link { color: var(--accent); font-size: 13px; text-decoration: none; font-weight: 600; }
.kpi .stars svg { width: 16px; height: 16px; }

.trend .plot { display: flex; gap: 8px; }
.y-labels { position: relative; width: 28px; flex: none; color: var(--muted); font-size: 12px; }
.y-labels span { position: absolute; right: 0; transform: translateY(-50%); }
.plot-area { position: relative; flex: 1; height: 220px; }
.plot-area svg { position: absolute; inset: 0; width: 100%; height: 100%; overflow: visible; }
line.grid { stroke: var(--border); stroke-width: 1; vector-effect: non-scaling-stroke; }
rect.volume { fill: var(--accent-soft); }
rect.volume.current { fill: var(--track); }
path.line { fill: none; stroke: var(--accent); stroke-width: 2.5; stroke-linejoin: round; stroke-linecap: round; vector-effect: non-scaling-stroke; }
.dot { position: absolute; width: 10px; height: 10px; margin: -5px 0 0 -5px; border-radius: 50%; background: var(--card); border: 2.5px solid var(--accent); }
.dot.current { border-style: dotted; }
.x-labels { display: flex; margin-left: 36px; color: var(--muted); font-size: 12px; }
.x-labels span { flex: 1; text-align: center; line-height: 1.2; }
.x-labels small { display: block; font-size: 11px; }
.legend { list-style: none; margin: 12px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 13px; color: var(--muted); }
.legend b { color: var(--text); margin-left: 2px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
.swatch.line { height: 3px; border-radius: 2px; vertical-align: 3px; background: var(--accent); }
.swatch.volume { background: var(--accent-soft); } .swatch.volume.current { background: var(--track); }
.trend-note.down { color: var(--poor); } .trend-note.up { color: var(--good); }

.pair { display: flex; gap: 28px; margin-bottom: 16px; }
.pair div { display: flex; flex-direction: column; }
.pair b { font-size: 26px; letter-spacing: -.01em; }
.pair span { color: var(--muted); font-size: 13px; }
svg.stack { width: 100%; height: 14px; display: block; border-radius: 7px; overflow: hidden; }
.seg-fast { fill: var(--good); background: var(--good); } .seg-slow { fill: var(--fair); background: var(--fair); }
.seg-untimed { fill: var(--accent-soft); background: var(--accent-soft); } .seg-unanswered { fill: var(--poor); background: var(--poor); }

.reviews { list-style: none; margin: 0; padding: 0; display: grid; gap: 12px; }
.review { border: 1px solid var(--border); border-left: 4px solid var(--poor); border-radius: 10px; padding: 14px 16px; break-inside: avoid; }
.review-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; font-size: 13px; color: var(--muted); }
.review-head .who { color: var(--text); font-weight: 600; }
.review h3 { font-size: 15px; margin: 8px 0 0; }
.review .text { margin: 6px 0 0; white-space: pre-line; overflow-wrap: anywhere; }
.review-foot { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin-top: 8px; font-size: 13px; }
.review-foot:empty { display: none; }
.review a { color: var(--accent); text-decoration: none; font-weight: 600; }
.review a:hover { text-decoration: underline; }
.badge { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 99px; background: var(--track); color: var(--muted); }
.badge.poor { background: color-mix(in srgb, var(--poor) 15%, transparent); color: var(--poor); }
.all-clear { margin: 0; color: var(--good); font-weight: 600; }

footer { color: var(--muted); font-size: 12px; margin-top: 28px; }
footer p { margin: 4px 0; max-width: 90ch; }

@media (max-width: 960px) {
  .grid { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .kpis { grid-template-columns: repeat(3, minmax(0, 1fr)); }
}
@media (max-width: 640px) {
  main { padding: 20px 14px 32px; }
  h1 { font-size: 24px; }
  .hero, .grid { grid-template-columns: minmax(0, 1fr); gap: 14px; }
  .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; }
  .kpi-value { font-size: 24px; }
  section { margin-bottom: 14px; }
  .card { padding: 16px; border-radius: 12px; }
  .plot-area { height: 180px; }
  .x-labels span.odd { visibility: hidden; }
  .rows li { grid-template-columns: minmax(96px, 38%) 1fr auto; }
}
@media print {
  :root {
    --bg: #fff; --card: #fff; --text: #1d2330; --muted: #5b6678; --border: #d9dde6; --track: #eceef4;
    --accent: #5046e5; --accent-soft: #c9cdf8; --good: #17915a; --fair: #c07f05; --poor: #d3382f;
    --star: #f2a516; --star-empty: #dadde6; --shadow: none; color-scheme: light;
  }
  body { font-size: 12px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  .card, .kpi, section { break-inside: avoid; }
  .needs-reply { break-inside: auto; }
  .review a::after { content: " (" attr(href) ")"; font-weight: 400; color: var(--muted); word-break: break-all; }
  @page { margin: 14mm; }
}
`;
