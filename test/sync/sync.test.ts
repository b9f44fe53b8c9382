import { getEventListeners } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAdapter, memoryStore, resumeKeyOf, type ReviewStore, type StoredInfo, sync } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { withProcessWarnings } from '../process-warnings.js';
import { allReviews, requestsFor, reviewsFor, STORE_KINDS, ShopSite, shop, tempDir } from './helpers.js';

let server: FixtureServer;
let site: ShopSite;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => {
  site = new ShopSite();
  server.reset([site.route()]);
});

const NOW = new Date('2026-03-10T00:00:00Z');
const OPTIONS = { retry: { attempts: 1 }, now: NOW } as const;
const a = () => shop({ shop: 'a', baseUrl: server.url });
const b = () => shop({ shop: 'b', baseUrl: server.url });

describe.each(Object.keys(STORE_KINDS) as Array<keyof typeof STORE_KINDS>)('sync into the %s store', (kind) => {
  it('stores everything first, then only what is new, reports edits, and reads only what the resume points require', async () => {
    const dir = tempDir(`sync-${kind}`);
    const store = STORE_KINDS[kind](dir.dir);
    try {
      site.add('a', ...reviewsFor('a', 10));
      site.add('b', ...reviewsFor('b', 4));
      const first = await sync([a(), b()], { store, ...OPTIONS });
      expect(first.added.map((r) => r.externalId)).toEqual([...reviewsFor('a', 10), ...reviewsFor('b', 4)].map((r) => r.id));
      expect(first).toMatchObject({ updated: [], unchanged: 0 });
      expect(first.sources.map((s) => [s.status, s.fetched, s.pages])).toEqual([
        ['ok', 10, 4],
        ['ok', 4, 2],
      ]);
      expect(await store.count()).toBe(14);
      expect(await store.resumePoint(resumeKeyOf(a()))).toEqual({ newest: '2026-03-01T12:00:00.000Z', savedAt: expect.any(String) });

      // Two new reviews at the top of a, and an edit of its newest old one.
      site.add('a', { id: 'a-new1', stars: 5, text: 'New one', at: '2026-03-02T12:00:00.000Z' }, { id: 'a-new2', stars: 2, text: 'Newer', at: '2026-03-03T12:00:00.000Z' });
      site.edit('a', 'a1', { text: 'Edited after a week.' });
      server.requests.length = 0;
      const second = await sync([a(), b()], { store, ...OPTIONS });
      expect(second.added.map((r) => r.externalId)).toEqual(['a-new2', 'a-new1']);
      expect(second.updated.map((r) => [r.externalId, r.text])).toEqual([['a1', 'Edited after a week.']]);
      // The overlap (one day before each resume point) is read again: a2 and b1, b2.
      expect(second.unchanged).toBe(3);
      // a: the top page, then the page reaching past the overlap; b: one page.
      expect(requestsFor(server, 'a')).toEqual(['(top)', '2026-03-01T12:00:00.000Z|a1']);
      expect(requestsFor(server, 'b')).toEqual(['(top)']);
      expect(await store.count()).toBe(16);
      expect((await store.get('shop:a1'))?.text).toBe('Edited after a week.');

      // Nothing changed: one request per source, the page that reaches past the overlap.
      server.requests.length = 0;
      const third = await sync([a(), b()], { store, ...OPTIONS });
      expect(third).toMatchObject({ added: [], updated: [], unchanged: 4 });
      expect(server.requests.map((r) => `${r.path} ${r.query.before ?? '(top)'}`)).toEqual(['/shops/a/reviews (top)', '/shops/b/reviews (top)']);
      const ids = (await allReviews(store)).map((r) => r.id);
      expect(new Set(ids).size).toBe(16);
    } finally {
      await store.close();
      dir.remove();
    }
  });
});

describe('sync', () => {
  it.each(['file', 'sqlite'] as const)('never writes a credential into the %s store', async (kind) => {
    const dir = tempDir(`no-secrets-${kind}`);
    const store = STORE_KINDS[kind](dir.dir);
    try {
      site.add('a', ...reviewsFor('a', 7));
      const token = 'shop-token-DO-NOT-PERSIST-41';
      server.prepend({ path: '/shops/a/reviews', query: { before: '2026-02-27T12:00:00.000Z|a3' }, status: 500, body: 'later', headers: { 'content-type': 'text/plain' } });
      await sync([shop({ shop: 'a', token, baseUrl: server.url })], { store, ...OPTIONS });
      await store.close();
      const bytes = readdirSync(dir.dir, { recursive: true, encoding: 'utf8' })
        .map((name) => join(dir.dir, name))
        .filter((path) => statSync(path).isFile())
        .map((path) => readFileSync(path).toString('latin1'))
        .join('');
      expect(bytes).toContain('a1');
      expect(bytes).not.toContain(token);
      expect(bytes).not.toContain('DO-NOT-PERSIST');
    } finally {
      dir.remove();
    }
  });

  it('leaves a failing source’s resume point unchanged while the others advance, and catches up later', async () => {
    const store = memoryStore();
    site.add('a', ...reviewsFor('a', 3));
    site.add('b', ...reviewsFor('b', 3));
    await sync([a(), b()], { store, ...OPTIONS });
    const before = await store.resumePoint(resumeKeyOf(b()));
    site.add('a', { id: 'a-late', stars: 4, text: 'Late', at: '2026-03-05T00:00:00.000Z' });
    site.add('b', { id: 'b-late', stars: 4, text: 'Late', at: '2026-03-05T00:00:00.000Z' });
    server.prepend({ path: '/shops/b/reviews', status: 503, body: 'down', headers: { 'content-type': 'text/plain' } });

    const failed = await sync([a(), b()], { store, ...OPTIONS });
    expect(failed.added.map((r) => r.id)).toEqual(['shop:a-late']);
    expect(failed.sources.map((s) => s.status)).toEqual(['ok', 'failed']);
    expect(failed.sources[1]?.error?.status).toBe(503);
    expect(await store.resumePoint(resumeKeyOf(b()))).toEqual(before);
    expect((await store.resumePoint(resumeKeyOf(a())))?.newest).toBe('2026-03-05T00:00:00.000Z');

    server.reset([site.route()]);
    const recovered = await sync([a(), b()], { store, ...OPTIONS });
    expect(recovered.added.map((r) => r.id)).toEqual(['shop:b-late']);
    expect((await store.resumePoint(resumeKeyOf(b())))?.newest).toBe('2026-03-05T00:00:00.000Z');
  });

  it('keeps the pages a source stored before it failed, continues from there, then reads the top for what arrived', async () => {
    const store = memoryStore();
    site.add('c', ...reviewsFor('c', 10));
    const thirdPage = '2026-02-24T12:00:00.000Z|c6';
    server.prepend({ path: '/shops/c/reviews', query: { before: thirdPage }, status: 500, body: 'boom', headers: { 'content-type': 'text/plain' } });
    const stored: StoredInfo[] = [];
    const c = shop({ shop: 'c', baseUrl: server.url });
    const failed = await sync([c], { store, ...OPTIONS, onStored: (info) => stored.push(info) });
    expect(failed.sources[0]).toMatchObject({ status: 'partial', fetched: 6, cursor: thirdPage });
    expect(failed.added).toHaveLength(6);
    expect(stored.map((s) => [s.added, s.isLast, s.resumePoint?.cursor])).toEqual([
      [3, false, '2026-02-27T12:00:00.000Z|c3'],
      [3, false, thirdPage],
      [0, true, thirdPage],
    ]);
    expect(await store.resumePoint(resumeKeyOf(c))).toEqual({ newest: null, cursor: thirdPage, pendingNewest: '2026-03-01T12:00:00.000Z', savedAt: expect.any(String) });

    server.reset([site.route()]);
    site.add('c', { id: 'c-new', stars: 3, text: 'Meanwhile', at: '2026-03-04T00:00:00.000Z' });
    const resumed = await sync([c], { store, ...OPTIONS });
    // The rest of the old run from its cursor, then the top down to the overlap.
    expect(requestsFor(server, 'c')).toEqual([thirdPage, '2026-02-21T12:00:00.000Z|c9', '(top)', '2026-02-28T12:00:00.000Z|c2']);
    expect(resumed.added.map((r) => r.externalId)).toEqual(['c7', 'c8', 'c9', 'c10', 'c-new']);
    expect(resumed.sources[0]).toMatchObject({ status: 'ok', fetched: 4 + 3, pages: 4 });
    expect(await store.resumePoint(resumeKeyOf(c))).toEqual({ newest: '2026-03-04T00:00:00.000Z', savedAt: expect.any(String) });
    expect(await store.count()).toBe(11);
  });

  it('reads from the top when an unfinished run’s cursor no longer works', async () => {
    const store = memoryStore();
    site.add('a', ...reviewsFor('a', 4));
    const c = a();
    await store.setResumePoint(resumeKeyOf(c), { newest: null, cursor: 'expired-token', pendingNewest: null, savedAt: 'x' });
    server.prepend({ path: '/shops/a/reviews', query: { before: 'expired-token' }, status: 400, body: { error: 'bad cursor' } });
    const result = await sync([c], { store, ...OPTIONS });
    expect(result.added).toHaveLength(4);
    expect(result.sources[0]?.warnings?.[0]).toMatchObject({ code: 'RESUME_CURSOR_FAILED' });
    expect(await store.resumePoint(resumeKeyOf(c))).toEqual({ newest: '2026-03-01T12:00:00.000Z', savedAt: expect.any(String) });
  });

  it('backfills in chunks with maxPerSource, continuing where each run stopped', async () => {
    const store = memoryStore();
    site.add('a', ...reviewsFor('a', 8));
    const runs: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const result = await sync([a()], { store, ...OPTIONS, maxPerSource: 3 });
      runs.push(result.added.map((r) => r.externalId));
    }
    expect(runs).toEqual([
      ['a1', 'a2', 'a3'],
      ['a4', 'a5', 'a6'],
      ['a7', 'a8'],
    ]);
    expect(await store.resumePoint(resumeKeyOf(a()))).toEqual({ newest: '2026-03-01T12:00:00.000Z', savedAt: expect.any(String) });
  });

  it('keys resume points without credentials: a renewed token keeps its place, and a repeated source runs once', async () => {
    const store = memoryStore();
    site.add('a', ...reviewsFor('a', 6));
    const first = shop({ shop: 'a', token: 'token-of-monday-0001', baseUrl: server.url });
    const renewed = shop({ shop: 'a', token: 'token-of-tuesday-002', baseUrl: server.url });
    expect(resumeKeyOf(renewed)).toBe(resumeKeyOf(first));
    expect(resumeKeyOf(renewed)).not.toContain('token');
    expect(resumeKeyOf(shop({ shop: 'a', baseUrl: server.url, cursor: 'x' }))).toBe(resumeKeyOf(first));
    expect(resumeKeyOf(shop({ shop: 'b', baseUrl: server.url }))).not.toBe(resumeKeyOf(first));

    const result = await sync([first, renewed], { store, ...OPTIONS });
    expect(result.sources[1]).toMatchObject({ duplicateOf: 0, fetched: 0 });
    expect(requestsFor(server, 'a')).toHaveLength(2);
    server.requests.length = 0;
    await sync([renewed], { store, ...OPTIONS });
    expect(requestsFor(server, 'a')).toEqual(['(top)']);
  });

  it('starts no earlier than the caller’s `since`', async () => {
    const store = memoryStore();
    site.add('a', ...reviewsFor('a', 9));
    const result = await sync([a()], { store, ...OPTIONS, since: new Date('2026-02-26T00:00:00Z') });
    expect(result.added.map((r) => r.externalId)).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(requestsFor(server, 'a')).toHaveLength(2);
  });

  it('never stores a cursor that carries a credential', async () => {
    const leaky = defineAdapter({
      name: 'leaky',
      baseUrl: 'https://leaky.example',
      options: z.object({ id: z.string() }),
      subjectId: (o) => o.id,
      page: z.unknown(),
      async *pages(ctx) {
        const start = ctx.cursor === null ? 0 : 1;
        for (let page = start; page < 2; page++) {
          yield {
            items: [{ id: `l${page}` }],
            cursor: null,
            nextCursor: page === 0 ? 'https://leaky.example/next?access_token=SECRET-TOKEN-123' : null,
          };
          if (page === 0) throw new Error('connection reset');
        }
      },
      normalize: (item: { id: string }, ctx) => ({ externalId: item.id, subject: { id: ctx.options.id }, createdAt: new Date('2026-01-01T00:00:00Z') }),
    });
    const store = memoryStore();
    const result = await sync([leaky({ id: 'x' })], { store, ...OPTIONS });
    expect(result.sources[0]?.status).toBe('partial');
    expect(result.added.map((r) => r.id)).toEqual(['leaky:l0']);
    const point = await store.resumePoint(resumeKeyOf(leaky({ id: 'x' })));
    expect(JSON.stringify(point ?? null)).not.toContain('SECRET');
  });

  it('rejects with the store’s own error when a write fails, and moves no resume point past unstored reviews', async () => {
    const inner = memoryStore();
    let writes = 0;
    const failing: ReviewStore = {
      ...inner,
      list: (query) => inner.list(query),
      async upsert(reviews, options) {
        writes++;
        if (writes === 2) throw new Error('disk full');
        return inner.upsert(reviews, options);
      },
    };
    site.add('a', ...reviewsFor('a', 9));
    await expect(sync([a()], { store: failing, ...OPTIONS })).rejects.toThrow('disk full');
    expect(await inner.count()).toBe(3);
    expect(await inner.resumePoint(resumeKeyOf(a()))).toEqual({ newest: null, cursor: '2026-02-27T12:00:00.000Z|a3', pendingNewest: '2026-03-01T12:00:00.000Z', savedAt: expect.any(String) });
  });

  it('rejects bad arguments and an aborted run', async () => {
    await expect(sync([a()], {} as never)).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringMatching(/`store` is required/) });
    await expect(sync([a()], { store: memoryStore(), overlapMs: -1 })).rejects.toMatchObject({ code: 'CONFIG' });
    await expect(sync([a()], { store: memoryStore(), concurrency: 0 })).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringMatching(/`concurrency`/) });
    site.add('a', ...reviewsFor('a', 3));
    await expect(sync([a()], { store: memoryStore(), signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('sync at scale', () => {
  it('stays quiet with 50 sources at concurrency 50 and leaves no listener on the caller’s signal', async () => {
    const controller = new AbortController();
    const store = memoryStore();
    try {
      const shops = Array.from({ length: 50 }, (_, i) => `q${i}`);
      for (const name of shops) site.add(name, ...reviewsFor(name, 2));
      const { result, warnings } = await withProcessWarnings(() =>
        sync(
          shops.map((name) => shop({ shop: name, baseUrl: server.url })),
          { store, ...OPTIONS, concurrency: 50, signal: controller.signal },
        ),
      );
      expect(result.added).toHaveLength(100);
      expect(result.sources.every((s) => s.status === 'ok')).toBe(true);
      expect(warnings).toEqual([]);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    } finally {
      await store.close();
    }
  });
});
