/**
 * Sync throughput: 100,000 reviews (200 pages of 500, from an in-memory custom adapter built with
 * `defineAdapter`, so the numbers measure reviewkit and the store, not a network) into each
 * store, each in a child process of its own so peak RSS is the store's. Then a second sync of
 * the unchanged source, printing the page requests its resume point required.
 *
 * Baseline: `aggregate` over the same adapter (the same validation, no store), in a child of its
 * own. Printed: reviews per second, sync time / aggregate time, peak RSS (the baseline's too: a
 * first sync returns every review it added, so its memory holds them all whatever the store),
 * and the page requests of the second sync.
 *
 * Run: npx tsx bench/sync.ts [reviews]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { aggregate, defineAdapter, fileStore, memoryStore, type ReviewStore, sqliteStore, sync } from '../src/index.js';

const KINDS = ['memory', 'file', 'sqlite'] as const;
type Kind = (typeof KINDS)[number] | 'baseline';
const PAGE_SIZE = 500;
const NEWEST = Date.parse('2026-03-01T12:00:00Z');
const SPACING_MS = 10 * 60_000;

/** A newest-first source of `total` generated reviews, ten minutes apart; counts its page requests. */
function generatedSource(total: number, counter: { requests: number }) {
  return defineAdapter({
    name: 'generated',
    baseUrl: 'https://generated.example',
    options: z.object({ id: z.string() }),
    subjectId: (o) => o.id,
    order: 'newest-first',
    page: z.unknown(),
    item: z.object({ id: z.string(), stars: z.number(), text: z.string(), at: z.number(), author: z.string(), votes: z.number() }),
    async *pages(ctx) {
      let start = ctx.cursor === null ? 0 : Number(ctx.cursor);
      while (start < total) {
        counter.requests++;
        const end = Math.min(total, start + PAGE_SIZE);
        const items = [];
        for (let i = start; i < end; i++) {
          items.push({
            id: `g${i}`,
            stars: 1 + (i % 5),
            text: `Review ${i}: the food was good, the service friendly, and we would come back for the desserts.`,
            at: NEWEST - i * SPACING_MS,
            author: `Guest ${i % 997}`,
            votes: i % 7,
          });
        }
        yield { items, cursor: start === 0 ? null : String(start), nextCursor: end < total ? String(end) : null };
        start = end;
      }
    },
    normalize: (item, ctx) => ({
      externalId: item.id,
      subject: { id: ctx.options.id, name: 'Generated Bistro' },
      url: `https://generated.example/r/${item.id}`,
      author: { name: item.author },
      rating: { value: item.stars, min: 1, max: 5 },
      text: item.text,
      createdAt: new Date(item.at),
      helpfulVotes: item.votes,
    }),
  })({ id: 'bistro' });
}

function open(kind: Kind, dir: string): ReviewStore {
  if (kind === 'file') return fileStore(join(dir, 'store'));
  if (kind === 'sqlite') return sqliteStore(join(dir, 'reviews.db'));
  return memoryStore();
}

async function child(kind: Kind, total: number): Promise<void> {
  if (kind === 'baseline') {
    const counter = { requests: 0 };
    const started = performance.now();
    const baseline = await aggregate([generatedSource(total, counter)], { now: new Date(NEWEST) });
    const seconds = (performance.now() - started) / 1000;
    if (baseline.reviews.length !== total) throw new Error(`aggregate saw ${baseline.reviews.length}`);
    process.stdout.write(JSON.stringify({ kind, seconds, reviewsPerSecond: Math.round(total / seconds), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), requests: counter.requests }));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), `reviewkit-bench-sync-${kind}-`));
  try {
    const store = open(kind, dir);
    await store.count();
    const counter = { requests: 0 };
    const source = generatedSource(total, counter);
    let started = performance.now();
    const first = await sync([source], { store, now: new Date(NEWEST) });
    const syncSeconds = (performance.now() - started) / 1000;
    if (first.added.length !== total || (await store.count()) !== total) throw new Error(`first sync stored ${await store.count()}`);
    const firstRequests = counter.requests;
    first.added.length = 0;

    counter.requests = 0;
    started = performance.now();
    const second = await sync([source], { store, now: new Date(NEWEST) });
    const secondSeconds = (performance.now() - started) / 1000;
    await store.close();
    process.stdout.write(
      JSON.stringify({
        kind,
        reviewsPerSecond: Math.round(total / syncSeconds),
        syncSeconds,
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        firstRequests,
        secondRequests: counter.requests,
        secondAdded: second.added.length,
        secondUnchanged: second.unchanged,
        secondSeconds,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 100_000);
  const self = fileURLToPath(import.meta.url);
  console.log(`sync of ${total.toLocaleString('en')} reviews (${total / PAGE_SIZE} pages of ${PAGE_SIZE}), then a second sync of unchanged data\n`);
  const run = (kind: Kind) => execFileSync(process.execPath, ['--import', 'tsx', self, 'child', kind, String(total)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const baseline = JSON.parse(run('baseline')) as { seconds: number; reviewsPerSecond: number; peakRssMB: number; requests: number };
  console.log('store      reviews/s   sync ÷ aggregate   peak RSS   requests (1st → 2nd)   2nd sync');
  console.log(`aggregate  ${String(baseline.reviewsPerSecond).padStart(9)}   ${'1.00'.padStart(15)}×   ${String(baseline.peakRssMB).padStart(5)} MB   ${String(baseline.requests).padStart(8)}`);
  for (const kind of KINDS) {
    const r = JSON.parse(run(kind)) as {
      kind: string;
      reviewsPerSecond: number;
      syncSeconds: number;
      peakRssMB: number;
      firstRequests: number;
      secondRequests: number;
      secondAdded: number;
      secondUnchanged: number;
      secondSeconds: number;
    };
    console.log(
      `${r.kind.padEnd(10)} ${String(r.reviewsPerSecond).padStart(9)}   ${(r.syncSeconds / baseline.seconds).toFixed(2).padStart(15)}×   ${String(r.peakRssMB).padStart(5)} MB   ${String(r.firstRequests).padStart(8)} → ${String(r.secondRequests).padEnd(9)}   ${r.secondAdded} added, ${r.secondUnchanged} unchanged, ${(r.secondSeconds * 1000).toFixed(0)} ms`,
    );
  }
}

if (process.argv[2] === 'child') await child(process.argv[3] as Kind, Number(process.argv[4]));
else await main();
