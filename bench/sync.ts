/**
 * Sync throughput against the sandbox: 100,000 sandbox reviews (App Store Connect 40,000 in pages
 * of 200, Trustpilot 30,000 in pages of 100, Google Business Profile 30,000 in pages of 50), served
 * by a sandbox in this process, synced into each store by a child process of its own (so peak RSS
 * is the store's and the sync's). Then a second sync of the unchanged data, counting the requests
 * the sandbox received: only what the resume points require.
 *
 * Baseline: `aggregate` over the same adapters (the same fetching and validation, no store), in a
 * child of its own. Printed: reviews per second, sync time / aggregate time, peak RSS (a first sync
 * returns every review it added, so its memory holds them all whatever the store), and the
 * requests of the first and second sync.
 *
 * Run: npx tsx bench/sync.ts [reviews]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appStoreConnect } from '../adapters/app-store/index.js';
import { googleBusinessProfile } from '../adapters/google/index.js';
import { trustpilot } from '../adapters/trustpilot.js';
import { type Adapter, aggregate, fileStore, memoryStore, type ReviewStore, sqliteStore, sync } from '../src/index.js';
import { createSandbox, type SandboxAdapterOptions } from '../testing/index.js';

const KINDS = ['memory', 'file', 'sqlite'] as const;
type Kind = (typeof KINDS)[number] | 'baseline';
/** Share of the reviews per source. */
const SHARES = { 'app-store-connect': 0.4, trustpilot: 0.3, 'google-business-profile': 0.3 } as const;
type Source = keyof typeof SHARES;
type Options = { [S in Source]: SandboxAdapterOptions[S] };

// Messages between this process and a child.
type ToChild = { options: Options; now: string; kind: Kind } | { go: true };
type FromChild = { stage: 'first'; seconds: number; added: number } | { stage: 'done'; result: ChildResult };
interface ChildResult {
  seconds: number;
  added: number;
  secondAdded: number;
  secondUnchanged: number;
  secondSeconds: number;
  peakRssMB: number;
}

function adaptersOf(options: Options): Adapter[] {
  // Past the sources' own polite rates: the sandbox is local.
  const fast = { requestsPerSecond: 100_000 };
  return [
    appStoreConnect({ ...options['app-store-connect'], ...fast, limit: 200 }),
    trustpilot({ ...options.trustpilot, ...fast, perPage: 100 }),
    googleBusinessProfile({ ...options['google-business-profile'], ...fast, pageSize: 50 }),
  ];
}

function open(kind: Kind, dir: string): ReviewStore {
  if (kind === 'file') return fileStore(join(dir, 'store'));
  if (kind === 'sqlite') return sqliteStore(join(dir, 'reviews.db'));
  return memoryStore();
}

const send = (message: FromChild) => process.send?.(message);
const next = () => new Promise<ToChild>((resolve) => process.once('message', (m: ToChild) => resolve(m)));

async function child(): Promise<void> {
  const setup = await next();
  if (!('options' in setup)) throw new Error('expected the options first');
  const { kind } = setup;
  const now = new Date(setup.now);
  const adapters = adaptersOf(setup.options);
  const run = { now, concurrency: 3, retry: { attempts: 1 } };
  if (kind === 'baseline') {
    const started = performance.now();
    const { reviews } = await aggregate(adapters, run);
    send({ stage: 'first', seconds: (performance.now() - started) / 1000, added: reviews.length });
    await next();
    send({ stage: 'done', result: { seconds: 0, added: reviews.length, secondAdded: 0, secondUnchanged: 0, secondSeconds: 0, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) } });
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), `reviewkit-bench-sync-${kind}-`));
  try {
    const store = open(kind, dir);
    let started = performance.now();
    const first = await sync(adapters, { ...run, store });
    const seconds = (performance.now() - started) / 1000;
    const added = first.added.length;
    first.added.length = 0;
    send({ stage: 'first', seconds, added });
    await next();
    started = performance.now();
    const second = await sync(adapters, { ...run, store });
    const secondSeconds = (performance.now() - started) / 1000;
    await store.close();
    send({
      stage: 'done',
      result: {
        seconds,
        added,
        secondAdded: second.added.length,
        secondUnchanged: second.unchanged,
        secondSeconds,
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 100_000);
  const counts = Object.fromEntries(Object.entries(SHARES).map(([source, share]) => [source, Math.round(total * share)]));
  const generated = performance.now();
  const sandbox = await createSandbox({ seed: 'bench', counts });
  const options = Object.fromEntries(Object.keys(SHARES).map((s) => [s, sandbox.adapterOptions(s as Source)])) as Options;
  console.log(`sandbox of ${total.toLocaleString('en')} reviews generated in ${((performance.now() - generated) / 1000).toFixed(1)} s`);
  console.log(`sync into each store, then a second sync of unchanged data (requests counted by the sandbox)\n`);
  const self = fileURLToPath(import.meta.url);
  const runChild = (kind: Kind) =>
    new Promise<{ first: { seconds: number; added: number }; firstRequests: number; secondRequests: number; result: ChildResult }>((resolve, reject) => {
      const worker = fork(self, ['child'], { execArgv: ['--import', 'tsx'] });
      let first: { seconds: number; added: number } | undefined;
      let firstRequests = 0;
      sandbox.clearRequests();
      worker.on('message', (message: FromChild) => {
        if (message.stage === 'first') {
          first = message;
          firstRequests = sandbox.requests.length;
          sandbox.clearRequests();
          worker.send({ go: true } satisfies ToChild);
        } else if (first) {
          resolve({ first, firstRequests, secondRequests: sandbox.requests.length, result: message.result });
          worker.kill();
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => code && reject(new Error(`${kind} child exited with ${code}`)));
      worker.send({ options, now: sandbox.now().toISOString(), kind } satisfies ToChild);
    });
  try {
    const baseline = await runChild('baseline');
    if (baseline.first.added !== total) throw new Error(`aggregate saw ${baseline.first.added} of ${total}`);
    console.log('store      reviews/s   sync ÷ aggregate   peak RSS   requests (1st → 2nd)   2nd sync');
    console.log(
      `aggregate  ${String(Math.round(total / baseline.first.seconds)).padStart(9)}   ${'1.00'.padStart(15)}×   ${String(baseline.result.peakRssMB).padStart(5)} MB   ${String(baseline.firstRequests).padStart(8)}`,
    );
    for (const kind of KINDS) {
      const { first, firstRequests, secondRequests, result } = await runChild(kind);
      if (first.added !== total) throw new Error(`${kind}: the first sync added ${first.added} of ${total}`);
      console.log(
        `${kind.padEnd(10)} ${String(Math.round(total / first.seconds)).padStart(9)}   ${(first.seconds / baseline.first.seconds).toFixed(2).padStart(15)}×   ${String(result.peakRssMB).padStart(5)} MB   ${String(firstRequests).padStart(8)} → ${String(secondRequests).padEnd(9)}   ${result.secondAdded} added, ${result.secondUnchanged} unchanged, ${(result.secondSeconds * 1000).toFixed(0)} ms`,
      );
    }
  } finally {
    await sandbox.close();
  }
}

if (process.argv[2] === 'child') await child();
else await main();
