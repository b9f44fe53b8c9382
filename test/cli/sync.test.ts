// `reviewkit sync`, run as a child process against a sandbox served from this process: a first
// run stores everything, a second adds nothing, and what changes in between is added or updated.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SyncJson } from '../../cli/sync-summary.js';
import { aggregate, fileStore, type ReviewStore, sqliteStore } from '../../src/index.js';
import { createSandbox, type Sandbox } from '../../testing/index.js';
import { builtPackage, runBin } from './helpers.js';
import { removeScratch } from './sample-config.js';
import { sandboxSecrets, writeSandboxConfig } from './sandbox-helpers.js';

let sandbox: Sandbox;
let total: number;
beforeAll(async () => {
  [sandbox] = await Promise.all([createSandbox({ seed: 1 }), builtPackage()]);
  total = (await aggregate(sandbox.adapters())).reviews.length;
});
afterAll(async () => {
  removeScratch();
  await sandbox.close();
});
beforeEach(() => sandbox.clearRequests());

function expectNoSecret(...texts: string[]): void {
  for (const text of texts) for (const secret of sandboxSecrets(sandbox)) expect(text, 'a secret was printed').not.toContain(secret);
}

async function syncJson(dir: string, store: string): Promise<SyncJson> {
  const run = await runBin(['sync', '--config', 'sandbox.json', '--store', store, '--json'], { cwd: dir });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expectNoSecret(run.stdout);
  return JSON.parse(run.stdout) as SyncJson;
}

describe('reviewkit sync', () => {
  it.each([
    ['a file store', 'reviews', (dir: string) => fileStore(join(dir, 'reviews'))],
    ['an SQLite store', 'sqlite:reviews.db', (dir: string) => sqliteStore(join(dir, 'reviews.db'))],
  ])('into %s: stores everything, then nothing new, then exactly what was added or edited', async (_name, store, open: (dir: string) => ReviewStore) => {
    // A sandbox of its own: this test changes its data.
    const sandbox = await createSandbox({ seed: 1 });
    try {
      await syncThreeTimes(sandbox, store, open);
    } finally {
      await sandbox.close();
    }
  }, 90_000);

  async function syncThreeTimes(sandbox: Sandbox, store: string, open: (dir: string) => ReviewStore): Promise<void> {
    const dir = writeSandboxConfig(sandbox);
    const first = await syncJson(dir, store);
    expect(first).toMatchObject({ store, added: total, updated: 0, unchanged: 0 });
    expect(first.sources).toHaveLength(13);
    expect(first.sources.every((source) => source.status === 'ok' && source.added === source.fetched && source.updated === 0)).toBe(true);
    expect(first.sources.reduce((sum, source) => sum + source.added, 0)).toBe(total);

    const second = await syncJson(dir, store);
    expect(second).toMatchObject({ added: 0, updated: 0 });
    expect(second.unchanged).toBeGreaterThan(0);

    const { externalId: trustpilotId } = await sandbox.addReview('trustpilot', { stars: 2, text: 'Cold soup.' });
    const { externalId: gbpId } = await sandbox.addReview('google-business-profile', { stars: 5, text: 'Lovely.' });
    const unanswered = sandbox.reviews('google-business-profile').find((review) => review.replies.length === 0 && review.externalId !== gbpId);
    if (!unanswered) throw new Error('the sandbox has no unanswered Business Profile review');
    await sandbox.setReply('google-business-profile', unanswered.externalId, { text: 'Thank you for coming!' });

    const third = await syncJson(dir, store);
    expect(third).toMatchObject({ added: 2, updated: 1 });
    expect(third.sources[3]).toMatchObject({ adapter: 'google-business-profile', added: 1, updated: 1 });
    expect(third.sources[5]).toMatchObject({ adapter: 'trustpilot', added: 1, updated: 0 });
    expect(third.sources.filter((source) => source.added + source.updated > 0).map((source) => source.index)).toEqual([3, 5]);

    const stored = open(dir);
    try {
      expect(await stored.count()).toBe(total + 2);
      expect((await stored.get(`trustpilot:${trustpilotId}`))?.text).toBe('Cold soup.');
      expect((await stored.get(`google-business-profile:${gbpId}`))?.stars).toBe(5);
      expect((await stored.get(`google-business-profile:${unanswered.externalId}`))?.replies.map((reply) => reply.text)).toEqual(['Thank you for coming!']);
    } finally {
      await stored.close();
    }
  }

  it('prints a table per source and the totals on stdout, progress on stderr', async () => {
    const dir = writeSandboxConfig(sandbox, { sources: ['yelp', 'trustpilot', 'tripadvisor'] });
    const run = await runBin(['sync', '--config', 'sandbox.json', '--store', 'reviews'], { cwd: dir });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('#  adapter      subject                       status  fetched  added  updated  unchanged   time');
    expect(lines[1]).toMatch(/^0  yelp {9}sandbox-bistro-san-francisco  ok {12}3 {6}3 {8}0 {10}0  \d+\.\d s$/);
    expect(lines[2]).toMatch(/^1  trustpilot {3}5f0c5a1b2c3d4e5f6a7b8c9d {6}ok {11}48 {5}48 {8}0 {10}0  \d+\.\d s$/);
    expect(lines[3]).toMatch(/^2  tripadvisor  23456789 {22}ok {12}5 {6}5 {8}0 {10}0  \d+\.\d s$/);
    expect(run.stdout.endsWith('\n\n56 added, 0 updated, 0 unchanged in reviews; all sources synced.\n')).toBe(true);
    expect(run.stderr).toContain('#0 yelp sandbox-bistro-san-francisco: started\n');
    expect(run.stderr).toContain('#2 tripadvisor 23456789: finished paging: 1 page, 5 reviews\n');
    expectNoSecret(run.stdout, run.stderr);

    const quiet = await runBin(['sync', '--config', 'sandbox.json', '--store', 'reviews', '--quiet'], { cwd: dir });
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
  }, 60_000);

  it('exits 2 when a source fails; the others are synced and no key is printed', async () => {
    const wrongKey = 'wrong-yelp-key-0123456789abcdef';
    const dir = writeSandboxConfig(sandbox, {
      sources: ['yelp', 'trustpilot'],
      change: (config) => {
        (config.sources[0] as { options: Record<string, unknown> }).options.apiKey = wrongKey;
      },
    });
    const run = await runBin(['sync', '--config', 'sandbox.json', '--store', 'reviews'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^0  yelp {8}sandbox-bistro-san-francisco  failed {8}0 {6}0 {8}0 {10}0  \d+\.\d s$/m);
    expect(run.stdout.endsWith('\n\n48 added, 0 updated, 0 unchanged in reviews; 1 of 2 sources failed.\n')).toBe(true);
    expect(run.stderr).toMatch(/^#0 yelp: AUTH: yelp: /m);
    expectNoSecret(run.stdout, run.stderr);
    expect(run.stdout + run.stderr).not.toContain(wrongKey);

    const json = await runBin(['sync', '--config', 'sandbox.json', '--store', 'reviews', '--json'], { cwd: dir });
    expect(json.code).toBe(2);
    const result = JSON.parse(json.stdout) as SyncJson;
    expect(result.sources[0]).toMatchObject({ adapter: 'yelp', status: 'failed', error: { code: 'AUTH' } });
    expect(json.stdout + json.stderr).not.toContain(wrongKey);
  }, 60_000);

  it('takes the store from the config file (relative to it), and says when there is none', async () => {
    const dir = writeSandboxConfig(sandbox, { sources: ['tripadvisor'] });
    const none = await runBin(['sync', '--config', 'sandbox.json'], { cwd: dir });
    expect(none).toEqual({ code: 1, stdout: '', stderr: 'error: sync needs a store: pass --store DIR (or --store sqlite:reviews.db), or set "store" in sandbox.json.\n' });
    const empty = await runBin(['sync', '--config', 'sandbox.json', '--store', 'sqlite:'], { cwd: dir });
    expect(empty.stderr).toBe('error: --store needs a folder (a file store) or sqlite:PATH (an SQLite file); got "sqlite:".\n');
    expect(sandbox.requests).toEqual([]);

    mkdirSync(join(dir, 'shop'));
    writeSandboxConfig(sandbox, { sources: ['tripadvisor'], dir: join(dir, 'shop'), change: (config) => void (config.store = 'data') });
    const run = await runBin(['sync', '--config', 'shop/sandbox.json', '--json'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ store: 'shop/data', added: 5 });
    expect(existsSync(join(dir, 'shop', 'data'))).toBe(true);
  }, 60_000);
});
