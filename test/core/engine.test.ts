import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aggregate, defineAdapter, type ProgressEvent, ReviewkitError, streamReviews } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { item, paged } from './helpers.js';
import { withProcessWarnings } from '../process-warnings.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
const FAST = { retry: { attempts: 1 } } as const;

const threePages = (shop: string) => [
  { path: `/r/${shop}`, query: { after: null }, body: { items: [item(`${shop}1`, '2025-06-03T00:00:00Z'), item(`${shop}2`, '2025-06-02T00:00:00Z')], next: 'p2', total: 5 } },
  { path: `/r/${shop}`, query: { after: 'p2' }, body: { items: [item(`${shop}3`, '2025-05-01T00:00:00Z'), item(`${shop}4`, '2025-04-01T00:00:00Z')], next: 'p3', total: 5 } },
  { path: `/r/${shop}`, query: { after: 'p3' }, body: { items: [item(`${shop}5`, '2024-01-01T00:00:00Z')], next: null, total: 5 } },
];

describe('aggregate', () => {
  it('keeps going when one source of three fails, and keeps the failed source’s earlier pages', async () => {
    server.reset([
      ...threePages('a'),
      { path: '/r/b', status: 403, body: { error: 'forbidden' } },
      ...threePages('c').slice(0, 1),
      { path: '/r/c', query: { after: 'p2' }, status: 500, body: 'boom', headers: { 'content-type': 'text/plain' } },
    ]);
    const events: ProgressEvent[] = [];
    const result = await aggregate(
      [paged({ shop: 'a', baseUrl: server.url }), paged({ shop: 'b', baseUrl: server.url }), paged({ shop: 'c', baseUrl: server.url })],
      { ...FAST, onProgress: (e) => events.push(e) },
    );
    const [a, b, c] = result.sources;
    expect(a).toMatchObject({ status: 'ok', fetched: 5, pages: 3, coverage: { complete: true, reportedTotal: 5 } });
    expect(b).toMatchObject({ status: 'failed', fetched: 0, coverage: { complete: false, reason: 'error' } });
    expect(b?.error?.code).toBe('FORBIDDEN');
    expect(c).toMatchObject({ status: 'partial', fetched: 2, pages: 1, cursor: 'p2', coverage: { complete: false, reason: 'error' } });
    expect(c?.error?.code).toBe('HTTP');
    expect(c?.error?.status).toBe(500);
    expect(result.reviews.map((r) => r.externalId)).toEqual(['a1', 'c1', 'a2', 'c2', 'a3', 'a4', 'a5']);
    expect(events.filter((e) => e.type === 'source:failed').map((e) => e.source + e.subjectId)).toEqual(['pagedb', 'pagedc']);
    expect(events.filter((e) => e.type === 'source:page' && e.subjectId === 'a').map((e) => e.type === 'source:page' && e.fetched)).toEqual([2, 4, 5]);
  });

  it('stops a cursor that repeats with PAGINATION, keeping what it read', async () => {
    server.reset([
      { path: '/r/loop', query: { after: null }, body: { items: [item('l1', '2025-01-02T00:00:00Z')], next: 'x' } },
      { path: '/r/loop', query: { after: 'x' }, body: { items: [item('l2', '2025-01-01T00:00:00Z')], next: 'x' } },
    ]);
    const result = await aggregate([paged({ shop: 'loop', baseUrl: server.url })], FAST);
    expect(result.sources[0]?.error?.code).toBe('PAGINATION');
    expect(result.sources[0]?.status).toBe('partial');
    expect(result.reviews.map((r) => r.externalId)).toEqual(['l1', 'l2']);
    expect(server.requests).toHaveLength(2);
  });

  it('stops a source that never ends at maxPages', async () => {
    let n = 0;
    server.reset([{ path: '/r/endless', body: () => ({ items: [item(`e${n}`, null)], next: `n${++n}` }) }]);
    const result = await aggregate([paged({ shop: 'endless', baseUrl: server.url })], { ...FAST, maxPages: 5 });
    expect(result.sources[0]?.error?.code).toBe('PAGINATION');
    expect(result.sources[0]?.error?.message).toMatch(/maxPages/);
    expect(result.sources[0]?.pages).toBe(5);
    expect(server.requests).toHaveLength(5);
  });

  it('stops paging a newest-first source once it passes `since`, and filters older reviews', async () => {
    server.reset(threePages('s'));
    const result = await aggregate([paged({ shop: 's', baseUrl: server.url })], { ...FAST, since: new Date('2025-05-15T00:00:00Z') });
    expect(result.reviews.map((r) => r.externalId)).toEqual(['s1', 's2']);
    expect(result.sources[0]).toMatchObject({ status: 'ok', pages: 2, coverage: { complete: false, reason: 'since' } });
    expect(server.requests).toHaveLength(2);
  });

  it('honours maxPerSource and reports where to resume', async () => {
    server.reset(threePages('m'));
    const result = await aggregate([paged({ shop: 'm', baseUrl: server.url })], { ...FAST, maxPerSource: 3 });
    expect(result.reviews.map((r) => r.externalId)).toEqual(['m1', 'm2', 'm3']);
    // Stopped inside page two: resuming refetches that page, and dedupe drops the overlap.
    expect(result.sources[0]).toMatchObject({ fetched: 3, cursor: 'p2', coverage: { complete: false, reason: 'max-per-source' } });
  });

  it('deduplicates by id, sorts newest first with undated reviews last', async () => {
    server.reset([
      { path: '/r/d1', body: { items: [item('x', '2025-01-01T00:00:00Z'), item('n', null), item('y', '2025-03-01T00:00:00Z')], next: null } },
    ]);
    const twice = [paged({ shop: 'd1', baseUrl: server.url }), paged({ shop: 'd1', baseUrl: server.url })];
    const result = await aggregate(twice, FAST);
    expect(result.reviews.map((r) => r.externalId)).toEqual(['y', 'x', 'n']);
    expect(result.sources.map((s) => s.fetched).sort()).toEqual([0, 3]);
  });

  it('limits how many sources run at once', async () => {
    server.reset([{ path: /^\/r\//, delayMs: 50, body: { items: [], next: null } }]);
    let active = 0;
    let peak = 0;
    await aggregate(
      ['a', 'b', 'c', 'd', 'e'].map((shop) => paged({ shop, baseUrl: server.url })),
      {
        concurrency: 2,
        onProgress: (e) => {
          if (e.type === 'source:start') peak = Math.max(peak, ++active);
          if (e.type === 'source:done' || e.type === 'source:failed') active--;
        },
      },
    );
    expect(peak).toBe(2);
  });

  it('rejects with ABORTED when the signal aborts mid-run, and leaves no request running', async () => {
    server.reset([{ path: /^\/r\//, delayMs: 300, body: { items: [], next: null } }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const error = await aggregate([paged({ shop: 'slow', baseUrl: server.url })], { signal: controller.signal }).catch((e: unknown) => e);
    expect(ReviewkitError.is(error) && error.code).toBe('ABORTED');
  });

  it('rejects with ABORTED when aborted during a retry wait', async () => {
    server.reset([{ path: /^\/r\//, status: 429, headers: { 'retry-after': '10' }, body: {} }]);
    const controller = new AbortController();
    const error = await aggregate([paged({ shop: 'w', baseUrl: server.url })], {
      signal: controller.signal,
      onProgress: (e) => e.type === 'source:retry' && controller.abort(),
    }).catch((e: unknown) => e);
    expect(ReviewkitError.is(error) && error.code).toBe('ABORTED');
  });

  it('rejects caller mistakes with CONFIG', async () => {
    const adapter = paged({ shop: 'a', baseUrl: server.url });
    for (const bad of [{ concurrency: 0 }, { maxPerSource: -1 }, { since: new Date('nope') }, { retry: { attempts: 0 } }]) {
      await expect(aggregate([adapter], bad)).rejects.toMatchObject({ code: 'CONFIG' });
    }
    // @ts-expect-error -- the factory itself is not an adapter
    await expect(aggregate([paged])).rejects.toThrow(/call the factory first/);
  });

  it('ignores exceptions thrown by onProgress', async () => {
    server.reset(threePages('p'));
    const result = await aggregate([paged({ shop: 'p', baseUrl: server.url })], {
      onProgress: () => {
        throw new Error('observer bug');
      },
    });
    expect(result.sources[0]?.status).toBe('ok');
  });
});

describe('streamReviews', () => {
  it('yields reviews as pages arrive and stops sources when the consumer breaks out', async () => {
    server.reset(threePages('st'));
    const seen: string[] = [];
    for await (const review of streamReviews([paged({ shop: 'st', baseUrl: server.url })])) {
      seen.push(review.externalId);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['st1', 'st2']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The second page may have been requested while the consumer read, but never the third.
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });

  it('yields the same reviews as aggregate', async () => {
    server.reset([...threePages('x'), ...threePages('y')]);
    const adapters = () => [paged({ shop: 'x', baseUrl: server.url }), paged({ shop: 'y', baseUrl: server.url })];
    const streamed: string[] = [];
    for await (const review of streamReviews(adapters())) streamed.push(review.id);
    const { reviews } = await aggregate(adapters());
    expect(streamed.sort()).toEqual(reviews.map((r) => r.id).sort());
  });
});

describe('adapter options every source shares', () => {
  it('sends the `http` header overrides and honours `requestsPerSecond`', async () => {
    server.reset(threePages('o'));
    const started = performance.now();
    await aggregate([paged({ shop: 'o', baseUrl: server.url, requestsPerSecond: 20, http: { headers: { 'X-Tenant': 'acme' } } })]);
    const elapsed = performance.now() - started;
    expect(server.requests.map((r) => r.headers['x-tenant'])).toEqual(['acme', 'acme', 'acme']);
    // 20 requests/s: the third request cannot start before 100 ms. Timed on this side, a lower
    // bound that load can only lengthen (the server's arrival times were not: a slow first
    // connection moved the first arrival closer to the third).
    expect(elapsed).toBeGreaterThanOrEqual(99);
  });
});

describe('summary from a definition', () => {
  const withSummary = defineAdapter({
    ...paged.definition,
    name: 'summarised',
    summary: async (ctx) => {
      const body = await ctx.http.get(`/summary/${ctx.options.shop}`, { schema: z.object({ avg: z.number(), n: z.number() }) });
      return { average: body.avg, count: body.n };
    },
  });

  it('fills the report when pages carry none', async () => {
    server.reset([...threePages('s1'), { path: '/summary/s1', body: { avg: 4.4, n: 120 } }]);
    const { sources } = await aggregate([withSummary({ shop: 's1', baseUrl: server.url })]);
    expect(sources[0]?.summary).toEqual({ average: 4.4, count: 120 });
  });

  it('leaves it null without failing the source when the summary request fails', async () => {
    server.reset([...threePages('s2'), { path: '/summary/s2', status: 500, body: 'down' }]);
    const { sources } = await aggregate([withSummary({ shop: 's2', baseUrl: server.url })], FAST);
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 5, summary: null });
  });
});

describe('many sources', () => {
  it('runs an adapter listed twice with the same options once, and reports the copy', async () => {
    server.reset(threePages('dup'));
    const events: ProgressEvent[] = [];
    const result = await aggregate(
      [paged({ shop: 'dup', baseUrl: server.url }), paged({ shop: 'other', baseUrl: server.url }), paged({ shop: 'dup', baseUrl: server.url })],
      { ...FAST, onProgress: (e) => events.push(e) },
    );
    // Three pages for `dup` once, and the failing `other` (no route: 404).
    expect(server.requests.filter((r) => r.path === '/r/dup')).toHaveLength(3);
    const [first, , copy] = result.sources;
    expect(first).toMatchObject({ status: 'ok', fetched: 5, pages: 3 });
    expect(copy).toMatchObject({ source: 'paged', subjectId: 'dup', status: 'ok', fetched: 0, pages: 0, duplicateOf: 0 });
    expect(result.reviews).toHaveLength(5);
    expect(events.filter((e) => e.type === 'source:done' && e.subjectId === 'dup')).toHaveLength(2);
  });

  it('runs adapters whose options differ, even for the same subject', async () => {
    server.reset(threePages('tok'));
    await aggregate([paged({ shop: 'tok', baseUrl: server.url }), paged({ shop: 'tok', token: 'another-token-0000', baseUrl: server.url })], FAST);
    expect(server.requests.filter((r) => r.path === '/r/tok')).toHaveLength(6);
  });

  it('stays quiet with 200 sources at concurrency 200 and leaves no listener on the caller’s signal', async () => {
    server.reset([{ path: /^\/r\//, delayMs: 20, body: { items: [item('one', '2025-01-01T00:00:00Z')], next: null } }]);
    const controller = new AbortController();
    const adapters = Array.from({ length: 200 }, (_, i) => paged({ shop: `s${i}`, baseUrl: server.url }));
    const { result, warnings } = await withProcessWarnings(() => aggregate(adapters, { concurrency: 200, signal: controller.signal, retry: { attempts: 1 } }));
    expect(result.sources.every((s) => s.status === 'ok')).toBe(true);
    expect(warnings).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('leaves no listener on the caller’s signal after a stream, finished or broken off', async () => {
    server.reset(threePages('ls'));
    const controller = new AbortController();
    for await (const _ of streamReviews([paged({ shop: 'ls', baseUrl: server.url })], { signal: controller.signal })) {
      // read everything
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    for await (const _ of streamReviews([paged({ shop: 'ls', baseUrl: server.url })], { signal: controller.signal })) break;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});

describe('stream dedupe', () => {
  it('drops a repeat from overlapping pages of one source and the copy of an adapter listed twice', async () => {
    // Page two repeats the last review of page one, as offset paging does when a review arrives between requests.
    server.reset([
      { path: '/r/ov', query: { after: null }, body: { items: [item('o1', '2025-03-01T00:00:00Z'), item('o2', '2025-02-01T00:00:00Z')], next: 'p2' } },
      { path: '/r/ov', query: { after: 'p2' }, body: { items: [item('o2', '2025-02-01T00:00:00Z'), item('o3', '2025-01-01T00:00:00Z')], next: null } },
    ]);
    const ids: string[] = [];
    for await (const review of streamReviews([paged({ shop: 'ov', baseUrl: server.url }), paged({ shop: 'ov', baseUrl: server.url })])) ids.push(review.externalId);
    expect(ids).toEqual(['o1', 'o2', 'o3']);
  });

  it('does not start fetching until iterated', async () => {
    server.reset(threePages('lazy'));
    const stream = streamReviews([paged({ shop: 'lazy', baseUrl: server.url })]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.requests).toHaveLength(0);
    const ids: string[] = [];
    for await (const review of stream) ids.push(review.externalId);
    expect(ids).toHaveLength(5);
  });
});

describe('adapter order and independent requests', () => {
  const sorted = defineAdapter({
    ...paged.definition,
    name: 'sorted',
    options: z.object({ shop: z.string(), token: z.string().default('paged-token-0000'), sort: z.enum(['newest', 'helpful']) }),
    order: (o) => (o.sort === 'newest' ? 'newest-first' : 'unordered'),
  });

  it('takes the order from the options', async () => {
    server.reset(threePages('srt'));
    const since = new Date('2025-05-15T00:00:00Z');
    await aggregate([sorted({ shop: 'srt', sort: 'newest', baseUrl: server.url })], { ...FAST, since });
    expect(server.requests).toHaveLength(2);
    server.reset(threePages('srt'));
    await aggregate([sorted({ shop: 'srt', sort: 'helpful', baseUrl: server.url })], { ...FAST, since });
    expect(server.requests).toHaveLength(3);
  });

  const withDetails = defineAdapter({
    name: 'details',
    baseUrl: 'https://details.example',
    options: z.object({ shop: z.string() }),
    subjectId: (o) => o.shop,
    page: z.object({ items: z.array(z.unknown()) }),
    item: z.object({ id: z.string() }),
    async *pages(ctx) {
      const [details, page] = await ctx.all([
        ctx.http.get(`/d/${ctx.options.shop}`, { schema: z.object({ name: z.string() }) }),
        ctx.fetchPage(`/p/${ctx.options.shop}`),
      ]);
      yield { items: page.items, shared: details.name };
    },
    normalize: (item, ctx) => ({ externalId: item.id, subject: { id: ctx.options.shop, name: ctx.shared }, createdAt: null }),
  });

  it('sends independent requests together and reports the first failing one in the list', async () => {
    server.reset([
      { path: '/d/x', delayMs: 100, body: { name: 'X shop' } },
      { path: '/p/x', delayMs: 100, body: { items: [{ id: 'x1' }] } },
    ]);
    const started = performance.now();
    const { reviews } = await aggregate([withDetails({ shop: 'x', baseUrl: server.url })], FAST);
    expect(reviews[0]?.subject).toEqual({ id: 'x', name: 'X shop' });
    const [a, b] = server.requests.map((r) => r.receivedAt);
    // Both arrived before either answer could have come back.
    expect(Math.abs((a ?? 0) - (b ?? 0))).toBeLessThan(90);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    // The page fails fast, the details slowly: the details' error (first in the list) is reported.
    server.reset([
      { path: '/d/x', delayMs: 60, status: 401, body: {} },
      { path: '/p/x', status: 500, body: 'down' },
    ]);
    const { sources } = await aggregate([withDetails({ shop: 'x', baseUrl: server.url })], FAST);
    expect(sources[0]?.error?.code).toBe('AUTH');
  });
});

describe('what an adapter tells the report', () => {
  const noisy = defineAdapter({
    name: 'noisy',
    baseUrl: 'https://noisy.example',
    options: z.object({ token: z.string(), estimate: z.custom<(text: string) => string>((v) => typeof v === 'function').optional() }),
    subjectId: () => 'n',
    secrets: (o) => [o.token],
    detectError: (response) => (response.status === 403 ? { advice: 'Ask the shop owner to share the feed with you.' } : undefined),
    page: z.object({ items: z.array(z.unknown()), errors: z.array(z.string()) }),
    item: z.object({ id: z.string() }),
    async *pages(ctx) {
      const page = await ctx.fetchPage('/n', { headers: { Authorization: `Bearer ${ctx.options.token}` } });
      yield {
        items: page.items,
        warnings: page.errors.map((message) => ({ code: 'partial', message: `${message} (token ${ctx.options.token})`, itemId: 'n1' })),
        note: 'Only public reviews are listed.',
      };
    },
    normalize: (item) => ({ externalId: item.id, subject: { id: 'n' }, createdAt: null }),
  });

  it('collects warnings and the coverage note, secret-free, without changing the status', async () => {
    server.reset([{ path: '/n', body: { items: [{ id: 'n1' }], errors: ['Could not find user 42'] } }]);
    const { sources } = await aggregate([noisy({ token: 'noisy-token-123456', baseUrl: server.url })], FAST);
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 1 });
    expect(sources[0]?.warnings).toEqual([{ code: 'partial', message: 'Could not find user 42 (token [REDACTED])', itemId: 'n1' }]);
    expect(sources[0]?.coverage).toEqual({ complete: true, reportedTotal: null, note: 'Only public reviews are listed.' });
  });

  it('puts an adapter’s own advice in an HTTP error', async () => {
    server.reset([{ path: '/n', status: 403, body: 'no' }]);
    const { sources } = await aggregate([noisy({ token: 'noisy-token-123456', baseUrl: server.url })], FAST);
    expect(sources[0]?.error?.message).toMatch(/Ask the shop owner to share the feed with you\.$/);
  });

  it('tells adapters apart by their function options', async () => {
    server.reset([{ path: '/n', body: { items: [{ id: 'n1' }], errors: [] } }]);
    const same = (text: string) => text;
    await aggregate(
      [
        noisy({ token: 'noisy-token-123456', estimate: same, baseUrl: server.url }),
        noisy({ token: 'noisy-token-123456', estimate: same, baseUrl: server.url }),
        noisy({ token: 'noisy-token-123456', estimate: (text) => text.toUpperCase(), baseUrl: server.url }),
      ],
      FAST,
    );
    expect(server.requests).toHaveLength(2);
  });
});
