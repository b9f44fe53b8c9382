// sync and watch against the sandbox of every built-in source: the real paging, cursors and
// resume points of each adapter, not a made-up one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore, memoryStore, type ReviewStore, reply, sync, type WatchEvent, watch } from '../../src/index.js';
import { yelp } from '../../adapters/yelp.js';
import { createSandbox, type Sandbox } from '../../testing/index.js';

const RUN = { retry: { attempts: 1 }, concurrency: 13 } as const;
let sandbox: Sandbox | undefined;
let store: ReviewStore | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await store?.close();
  await sandbox?.close();
  store = undefined;
  sandbox = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const countAll = async (s: ReviewStore) => {
  let n = 0;
  for await (const _ of s.list({})) n++;
  return n;
};

describe('sync against the sandbox', () => {
  it('stores everything first, then adds only what is new and reports the edit', async () => {
    sandbox = await createSandbox({ seed: 11 });
    const dir = mkdtempSync(join(tmpdir(), 'reviewkit-sync-'));
    dirs.push(dir);
    store = fileStore(dir);
    const first = await sync(sandbox.adapters(), { ...RUN, store });
    expect(first.sources.every((s) => s.status === 'ok')).toBe(true);
    expect(first.updated).toEqual([]);
    expect(await countAll(store)).toBe(first.added.length);
    expect(new Set(first.added.map((r) => r.id)).size).toBe(first.added.length);

    // Two new reviews and one edit arrive.
    const fresh = await sandbox.addReview('trustpilot', { stars: 1, text: 'Cold coffee and nobody cared.' });
    const another = await sandbox.addReview('google-business-profile', { stars: 5, text: 'Best croissant in town.' });
    const edited = sandbox.reviews('google-business-profile').find((r) => r.externalId !== another.externalId);
    if (!edited) throw new Error('no review to edit');
    await sandbox.editReview('google-business-profile', edited.externalId, { text: 'Updated: they fixed the heating.' });

    const second = await sync(sandbox.adapters(), { ...RUN, store });
    expect(second.added.map((r) => r.externalId).sort()).toEqual([fresh.externalId, another.externalId].sort());
    expect(second.updated.map((r) => r.externalId)).toEqual([edited.externalId]);
    expect(second.updated[0]?.text).toBe('Updated: they fixed the heating.');
    expect(await countAll(store)).toBe(first.added.length + 2);
    // Nothing stored twice: a third run with no change adds and updates nothing.
    const third = await sync(sandbox.adapters(), { ...RUN, store });
    expect([third.added.length, third.updated.length]).toEqual([0, 0]);
  }, 60_000);

  it('leaves a failing source’s resume point alone while the others advance', async () => {
    sandbox = await createSandbox({ seed: 12 });
    store = memoryStore();
    await sync(sandbox.adapters(), { ...RUN, store });
    const before = await store.resumePoint(resumeKeyOf(sandbox, 'yelp'));
    const trustpilotBefore = await store.resumePoint(resumeKeyOf(sandbox, 'trustpilot'));
    await sandbox.addReview('trustpilot', { stars: 4, text: 'Nice.', createdAt: new Date(sandbox.now().getTime() + 60_000) });
    sandbox.setFailRate(0);
    const broken = sandbox.adapters().map((adapter) => (adapter.name === 'yelp' ? wrongKeyYelp(sandbox as Sandbox) : adapter));
    const result = await sync(broken, { ...RUN, store });
    expect(result.sources.find((s) => s.source === 'yelp')?.error?.code).toBe('AUTH');
    expect(await store.resumePoint(resumeKeyOf(sandbox, 'yelp'))).toEqual(before);
    expect(await store.resumePoint(resumeKeyOf(sandbox, 'trustpilot'))).not.toEqual(trustpilotBefore);
  }, 60_000);
});

describe('watch against the sandbox', () => {
  it('emits `new` once per review over many polls, and needs-reply for an unanswered 1★ review', async () => {
    sandbox = await createSandbox({ seed: 13 });
    store = memoryStore();
    const adapters = sandbox.adapters(['trustpilot', 'google-business-profile']);
    const controller = new AbortController();
    // A clock two days past the sandbox's: every review is old enough to need a reply.
    let now = new Date(sandbox.now().getTime() + 2 * 86_400_000);
    const events: WatchEvent[] = [];
    let polls = 0;
    let added: string | undefined;
    for await (const event of watch(adapters, {
      store,
      intervalMs: 1,
      jitter: 0,
      clock: () => now,
      signal: controller.signal,
      retry: { attempts: 1 },
      onPoll: () => {
        polls++;
        if (polls === 2 && sandbox) {
          // A furious customer writes between polls.
          void sandbox.addReview('trustpilot', { stars: 1, text: 'Rude staff.', createdAt: sandbox.now() }).then((r) => {
            added = r.externalId;
          });
        }
        if (polls === 3) now = new Date(now.getTime() + 2 * 86_400_000);
        if (polls >= 5) controller.abort();
      },
    })) {
      events.push(event);
    }
    const news = events.filter((e) => e.type === 'new').map((e) => e.review.id);
    expect(new Set(news).size).toBe(news.length);
    expect(added).toBeDefined();
    expect(news).toContain(`trustpilot:${added}`);
    const needsReply = events.filter((e) => e.type === 'needs-reply').map((e) => e.review.id);
    expect(needsReply).toContain(`trustpilot:${added}`);
    expect(new Set(needsReply).size).toBe(needsReply.length);
  }, 60_000);
});

function resumeKeyOf(s: Sandbox, source: 'yelp' | 'trustpilot'): string {
  const adapter = s.adapters([source])[0];
  if (!adapter?.resumeKey) throw new Error(`no resume key for ${source}`);
  return adapter.resumeKey;
}

/** The sandbox's Yelp adapter with a revoked key: the same resume key (credentials are not part of it), every request refused. */
function wrongKeyYelp(s: Sandbox) {
  return yelp({ ...s.adapterOptions('yelp'), apiKey: 'revoked-key-000000000000' });
}

describe('watch, then reply', () => {
  it('stops asking for a reply once the review is answered', async () => {
    sandbox = await createSandbox({ seed: 14 });
    store = memoryStore();
    const adapters = sandbox.adapters(['google-business-profile']);
    const unhappy = await sandbox.addReview('google-business-profile', { stars: 1, text: 'Waited an hour for a cold pizza.', createdAt: sandbox.now() });
    const controller = new AbortController();
    const now = new Date(sandbox.now().getTime() + 3 * 86_400_000);
    const asked: string[] = [];
    let polls = 0;
    let answered = false;
    for await (const event of watch(adapters, {
      store,
      intervalMs: 1,
      jitter: 0,
      clock: () => now,
      signal: controller.signal,
      retry: { attempts: 1 },
      onPoll: () => {
        polls++;
        if (polls >= 4) controller.abort();
      },
    })) {
      if (event.type !== 'needs-reply') continue;
      asked.push(event.review.externalId);
      if (event.review.externalId === unhappy.externalId && !answered) {
        // The owner answers as soon as watch asks; the next polls must not ask again.
        const result = await reply(event.review, 'We are so sorry. Your next pizza is on us.', { adapters });
        expect(result.status).toBe('published');
        answered = true;
      }
    }
    expect(polls).toBeGreaterThanOrEqual(4);
    expect(asked.filter((id) => id === unhappy.externalId)).toEqual([unhappy.externalId]);
    const stored = await store.get(`google-business-profile:${unhappy.externalId}`);
    expect(stored?.replies.map((r) => r.text)).toEqual(['We are so sorry. Your next pizza is on us.']);
    // The store no longer counts it among the unhappy customers still waiting.
    const waiting: string[] = [];
    for await (const review of store.list({ unanswered: true })) waiting.push(review.externalId);
    expect(waiting).not.toContain(unhappy.externalId);
  }, 60_000);
});
