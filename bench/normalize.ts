// Normalize throughput: raw Yelp page JSON → validated Review objects, against a baseline of
// bare JSON.parse + object copy over the same bytes, measured in the same run.
// Run: npm run bench
import { readFileSync } from 'node:fs';
import { yelp } from 'reviewkit/adapters/yelp';
import { normalizeItems } from '../src/items.js';

const template = JSON.parse(readFileSync(new URL('../test/fixtures/yelp/reviews-page1.json', import.meta.url), 'utf8'));
const business = { id: 'biz', name: 'Acme Bistro' };
const PAGE_SIZE = 50;
const PAGES = 400;
// Distinct pages so no engine can cache a single string.
const pages = Array.from({ length: PAGES }, (_, p) =>
  JSON.stringify({
    total: PAGE_SIZE * PAGES,
    reviews: Array.from({ length: PAGE_SIZE }, (_, i) => ({
      ...template.reviews[i % 2],
      id: `rev-${p}-${i}`,
      rating: 1 + ((p + i) % 5),
      time_created: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (p % 28)).padStart(2, '0')} 1${i % 10}:30:00`,
    })),
  }),
);
const total = PAGE_SIZE * PAGES;
const definition = yelp.definition;
const ctx = { options: definition.options.parse({ apiKey: 'k', businessId: 'biz' }), now: new Date(), shared: { business } };
// The library's own per-item pipeline: item schema, normalize, ReviewSchema.
const pipeline = { source: 'yelp', secrets: [], item: definition.item, itemId: () => null, normalize: definition.normalize };

function baseline(): number {
  let n = 0;
  for (const text of pages) {
    const page = JSON.parse(text) as { reviews: Array<{ id: string; user: object }> };
    for (const r of page.reviews) {
      const copy = { ...r, user: { ...r.user } };
      n += copy.id ? 1 : 0;
    }
  }
  return n;
}

function validated(): number {
  let n = 0;
  for (const text of pages) {
    const page = definition.page.parse(JSON.parse(text));
    const { reviews } = normalizeItems(pipeline, page.reviews, 1, ctx);
    for (const review of reviews) n += review.stars === null ? 0 : 1;
  }
  return n;
}

function timed(fn: () => number): number {
  const start = performance.now();
  if (fn() !== total) throw new Error('benchmark lost reviews');
  return performance.now() - start;
}

// Interleave both paths and take the median of per-round ratios: robust to machine drift.
const ROUNDS = 11;
for (let i = 0; i < 3; i++) timed(baseline) + timed(validated); // warm-up
const rounds = Array.from({ length: ROUNDS }, () => {
  const base = timed(baseline);
  return { base, full: timed(validated) };
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
const base = median(rounds.map((r) => r.base));
const full = median(rounds.map((r) => r.full));
const ratio = median(rounds.map((r) => r.full / r.base));
const perSec = (ms: number) => Math.round((total / ms) * 1000).toLocaleString('en-US');
console.log(`reviews per run: ${total.toLocaleString('en-US')} (median of ${ROUNDS} interleaved rounds)`);
console.log(`baseline  JSON.parse + copy                       ${base.toFixed(1)} ms  ${perSec(base)} reviews/s  1.00×`);
console.log(`validated page schema + normalize + ReviewSchema  ${full.toFixed(1)} ms  ${perSec(full)} reviews/s  ${ratio.toFixed(2)}×`);
console.log(`goal: ≤ 3.00× (issue 7; it was 4.2–4.5×) — ${ratio <= 3 ? 'met' : 'not met'}`);
