/**
 * Score helpers over 1,000,000 reviews, each timed as a ratio against one plain loop summing
 * `stars` over the same array in the same run (ratios travel between machines; ms do not).
 * The `gc` column counts garbage collections during the measured runs: a helper allocating
 * per review (16+ bytes × 1M) would force scavenges; an allocation-free one triggers none.
 * Run: npx tsx bench/scores.ts [count]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import {
  averageRating,
  bayesianAverage,
  csat,
  netPromoterScore,
  positiveShare,
  ratingDistribution,
  ratingTrend,
  reputationScore,
  responseRate,
  responseTime,
  type ScoreInput,
  starRatingLowerBound,
  timeDecayedAverage,
} from '../src/scores/index.js';

const COUNT = Number(process.argv[2] ?? 1_000_000);
const RUNS = 11;
const WARMUP = 3;
const AS_OF = new Date('2026-06-30T12:00:00Z');
const SOURCES = ['google-business-profile', 'yelp', 'facebook', 'trustpilot', 'x', 'tripadvisor'] as const;

interface BenchReview {
  id: string;
  source: string;
  stars: number | null;
  recommendation: 'positive' | 'negative' | null;
  createdAt: Date | null;
  replies: { text: string; createdAt: Date | null; author: string | null }[];
}

// Deterministic LCG so every run scores the same data.
let seed = 42;
function random(): number {
  seed = (seed * 1_664_525 + 1_013_904_223) >>> 0;
  return seed / 2 ** 32;
}

function makeReviews(count: number): BenchReview[] {
  const reviews: BenchReview[] = [];
  const span = 3 * 365 * 86_400_000;
  for (let i = 0; i < count; i++) {
    // Grouped by source and newest first, as aggregate() returns them per source.
    const source = SOURCES[Math.floor((i / count) * SOURCES.length)] ?? 'yelp';
    const created = AS_OF.getTime() - Math.floor(random() * span);
    const isRecommendation = source === 'facebook';
    const isMention = source === 'x';
    const replied = !isMention && random() < 0.4;
    reviews.push({
      id: `${source}:${i}`,
      source,
      stars: isRecommendation || isMention ? null : 1 + Math.floor(random() * 5),
      recommendation: isRecommendation ? (random() < 0.8 ? 'positive' : 'negative') : null,
      createdAt: random() < 0.01 ? null : new Date(created),
      replies: replied
        ? [{ text: 'Thanks!', createdAt: random() < 0.05 ? null : new Date(created + random() * 1e8), author: 'Owner' }]
        : [],
    });
  }
  return reviews;
}

function baseline(reviews: readonly ScoreInput[]): number {
  let sum = 0;
  for (const review of reviews) {
    const s = review.stars;
    if (s != null) sum += s;
  }
  return sum;
}

const helpers: [string, (reviews: readonly ScoreInput[]) => unknown][] = [
  ['baseline: sum stars', baseline],
  ['averageRating', (r) => averageRating(r)],
  ['ratingDistribution', (r) => ratingDistribution(r)],
  ['bayesianAverage', (r) => bayesianAverage(r)],
  ['starRatingLowerBound', (r) => starRatingLowerBound(r)],
  ['timeDecayedAverage', (r) => timeDecayedAverage(r, { asOf: AS_OF })],
  ['csat', (r) => csat(r)],
  ['netPromoterScore', (r) => netPromoterScore(r)],
  ['positiveShare', (r) => positiveShare(r)],
  ['responseRate', (r) => responseRate(r)],
  ['responseTime', (r) => responseTime(r)],
  ['ratingTrend (month)', (r) => ratingTrend(r, { interval: 'month', asOf: AS_OF })],
  ['reputationScore', (r) => reputationScore(r, { asOf: AS_OF })],
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

const reviews = makeReviews(COUNT);
let sink = 0;
const times = new Map<string, number[]>(helpers.map(([name]) => [name, []]));
const spans: { name: string; start: number; end: number }[] = [];
const gcTimes: number[] = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcTimes.push(entry.startTime);
});
observer.observe({ entryTypes: ['gc'] });
// Interleave helpers across runs so drift (GC, turbo) affects all of them alike; the first
// WARMUP runs let V8 collect type feedback for every branch (data is grouped by source).
for (let run = 0; run < WARMUP + RUNS; run++) {
  for (const [name, fn] of helpers) {
    const start = performance.now();
    const result = fn(reviews);
    const end = performance.now();
    sink += typeof result === 'number' ? result : 1;
    if (run >= WARMUP) {
      times.get(name)?.push(end - start);
      spans.push({ name, start, end });
    }
  }
}
await new Promise((resolve) => setTimeout(resolve, 50));
observer.disconnect();
const gcCount = (name: string) =>
  spans.filter((s) => s.name === name).reduce((n, s) => n + gcTimes.filter((t) => t >= s.start && t <= s.end).length, 0);

// Ratio per run (against that run's own baseline), then the median: robust to machine drift.
const baseTimes = times.get('baseline: sum stars') ?? [];
const rows = helpers.map(([name]) => {
  const own = times.get(name) ?? [];
  const ratio = median(own.map((ms, run) => ms / (baseTimes[run] ?? Number.NaN)));
  return { helper: name, ms: median(own).toFixed(2), ratio: ratio.toFixed(1), gc: gcCount(name) };
});
console.log(`${COUNT.toLocaleString('en-US')} reviews, median of ${RUNS} runs (ratio: median of per-run ratios); gc = collections during all ${RUNS} runs (sink ${sink > 0 ? 'ok' : '0'})`);
console.table(rows);
const reputation = rows.find((r) => r.helper === 'reputationScore');
if (reputation) console.log(`reputationScore: ${reputation.ratio}× the plain loop (target ≤ 5×)`);
