// A sync killed with SIGKILL in the middle of a source, then a normal sync: every review ends up
// stored exactly once, with both durable stores.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStore, resumeKeyOf, type ReviewStore, sqliteStore, sync } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { allReviews, reviewsFor, ShopSite, shop, tempDir } from './helpers.js';

const root = new URL('../..', import.meta.url).pathname;
const REVIEWS = 60;
let server: FixtureServer;
const site = new ShopSite();
beforeAll(async () => {
  site.pageSize = 4;
  site.add('big', ...reviewsFor('big', REVIEWS));
  server = await startFixtureServer([{ ...site.route(), delayMs: 15 }]);
});
afterAll(() => server.close());

/** Runs the child and kills it with SIGKILL once it has printed `killAfter` stored lines. */
function syncUntilKilled(kind: string, path: string, killAfter: number): Promise<{ lines: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/sync/scripts/sync-child.ts', kind, path, server.url], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts);
      if (lines.length >= killAfter) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve({ lines, signal }) : reject(new Error(`child exited (${code}) before it was killed: ${stderr}`))));
  });
}

describe.each([
  ['file', (dir: string) => join(dir, 'store'), (path: string): ReviewStore => fileStore(path)],
  ['sqlite', (dir: string) => join(dir, 'reviews.db'), (path: string): ReviewStore => sqliteStore(path)],
] as const)('a sync of the %s store killed mid-source', (kind, pathIn, open) => {
  it('loses nothing and stores nothing twice once a normal sync follows', async () => {
    const dir = tempDir(`crash-${kind}`);
    const path = pathIn(dir.dir);
    try {
      const first = await syncUntilKilled(kind, path, 1);
      expect(first.signal).toBe('SIGKILL');
      // Killed after its first stored page: that page (at least) is there, with the cursor of the next.
      let store = open(path);
      const afterKill = await store.count();
      expect(afterKill).toBeGreaterThanOrEqual(4);
      expect(afterKill).toBeLessThan(REVIEWS);
      const point = await store.resumePoint(resumeKeyOf(shop({ shop: 'big', baseUrl: server.url })));
      expect(point).toMatchObject({ newest: null, cursor: expect.any(String) });
      await store.close();

      // Killed again while continuing, a few pages later.
      await syncUntilKilled(kind, path, 3);
      store = open(path);
      const afterSecondKill = await store.count();
      expect(afterSecondKill).toBeGreaterThan(afterKill);
      await store.close();

      store = open(path);
      const final = await sync([shop({ shop: 'big', baseUrl: server.url })], { store, retry: { attempts: 1 } });
      expect(final.added.length).toBe(REVIEWS - afterSecondKill);
      const ids = (await allReviews(store)).map((r) => r.externalId);
      expect(ids).toEqual(reviewsFor('big', REVIEWS).map((r) => r.id));
      expect(await store.resumePoint(resumeKeyOf(shop({ shop: 'big', baseUrl: server.url })))).toEqual({ newest: '2026-03-01T12:00:00.000Z', savedAt: expect.any(String) });
      await store.close();
    } finally {
      dir.remove();
    }
  }, 60_000);
});
