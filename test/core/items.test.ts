// One bad review never costs the others: each item is validated and normalized on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aggregate, type AnyAdapterDefinition, dateSchema, defineAdapter, MAX_SKIPPED_LISTED, ReviewkitError } from '../../src/index.js';
import { expectNoSecrets, type FixtureServer, startFixtureServer } from '../../src/testing/index.js';

const TOKEN = 'shop-token-SECRET-4242';

/** A typed adapter in the recommended shape: an envelope schema plus an item schema. */
const shop = defineAdapter({
  name: 'shop',
  baseUrl: 'https://shop.example',
  options: z.object({ id: z.string(), token: z.string().default(TOKEN) }),
  subjectId: (o) => o.id,
  secrets: (o) => [o.token],
  page: z.object({ reviews: z.array(z.unknown()), next: z.string().nullable() }),
  item: z.object({ id: z.string(), score: z.number().int().min(1).max(5), at: dateSchema(), note: z.string().optional() }),
  async *pages(ctx) {
    let cursor = ctx.cursor;
    for (;;) {
      const page = await ctx.fetchPage(`/s/${ctx.options.id}`, { query: { after: cursor ?? undefined }, headers: { Authorization: `Bearer ${ctx.options.token}` } });
      yield { items: page.reviews, shared: { shopName: `Shop ${ctx.options.id}` }, cursor, nextCursor: page.next };
      if (page.next === null) return;
      cursor = page.next;
    }
  },
  normalize: (item, ctx) => {
    if (item.note === 'explode') throw new RangeError(`cannot read "${item.note}" with ${ctx.options.token}`);
    return {
      externalId: item.id,
      subject: { id: ctx.options.id, name: ctx.shared.shopName },
      rating: { value: item.score, min: 1, max: 5 },
      createdAt: item.at,
      // A deliberately broken branch: an out-of-range vote count fails ReviewSchema.
      helpfulVotes: item.note === 'negative votes' ? -1 : null,
    };
  },
});

const good = (id: string, score = 4) => ({ id, score, at: '2025-05-01T10:00:00Z' });

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
const make = (id: string) => shop({ id, baseUrl: server.url });
const FAST = { retry: { attempts: 1 } } as const;

describe('per-item validation', () => {
  it('skips a malformed review, keeps the rest of its page and pages on', async () => {
    server.reset([
      { path: '/s/a', query: { after: null }, body: { reviews: [good('a1'), { ...good('a2'), score: 'five' }, good('a3')], next: 'p2' } },
      { path: '/s/a', query: { after: 'p2' }, body: { reviews: [good('a4'), { ...good('a5'), at: 'yesterday' }], next: null } },
    ]);
    const { reviews, sources } = await aggregate([make('a')], FAST);
    expect(reviews.map((r) => r.externalId).sort()).toEqual(['a1', 'a3', 'a4']);
    expect(reviews[0]?.subject).toEqual({ id: 'a', name: 'Shop a' });
    expect(sources[0]).toMatchObject({ status: 'partial', fetched: 3, pages: 2, skippedCount: 2, coverage: { complete: true } });
    expect(sources[0]?.error).toBeUndefined();
    expect(sources[0]?.skipped).toEqual([
      { page: 1, index: 1, externalId: 'a2', stage: 'item', path: 'score', reason: 'Invalid input: expected number, received string' },
      { page: 2, index: 1, externalId: 'a5', stage: 'item', path: 'at', reason: 'Not an ISO 8601 date' },
    ]);
    // The raw value never reaches the report.
    expect(JSON.stringify(sources[0])).not.toContain('yesterday');
  });

  it('skips an item whose normalize throws or returns an invalid review, with no secret in the reason', async () => {
    server.reset([
      {
        path: '/s/b',
        body: { reviews: [good('b1'), { ...good('b2'), note: 'explode' }, { ...good('b3'), note: 'negative votes' }, 42], next: null },
      },
    ]);
    const { reviews, sources } = await aggregate([make('b')], FAST);
    expect(reviews.map((r) => r.externalId)).toEqual(['b1']);
    expect(sources[0]?.skipped).toEqual([
      { page: 1, index: 1, externalId: 'b2', stage: 'normalize', path: '', reason: 'cannot read with [REDACTED]' },
      { page: 1, index: 2, externalId: 'b3', stage: 'review', path: 'helpfulVotes', reason: 'Too small: expected number to be >=0' },
      { page: 1, index: 3, externalId: null, stage: 'item', path: '', reason: 'Invalid input: expected object, received number' },
    ]);
    expectNoSecrets(sources, [TOKEN]);
  });

  it('fails the source when no review of a page is usable, keeping earlier pages', async () => {
    server.reset([
      { path: '/s/c', query: { after: null }, body: { reviews: [good('c1')], next: 'p2' } },
      { path: '/s/c', query: { after: 'p2' }, body: { reviews: [{ id: 'c2' }, { id: 'c3', score: 9 }], next: 'p3' } },
    ]);
    const { reviews, sources } = await aggregate([make('c')], FAST);
    expect(reviews.map((r) => r.externalId)).toEqual(['c1']);
    expect(sources[0]?.status).toBe('partial');
    expect(sources[0]?.error?.code).toBe('BAD_RESPONSE');
    expect(sources[0]?.error?.message).toBe(
      'shop: none of the 2 reviews on page 2 could be used; review #0: score is required (in the raw review). The API may have changed; please report it.',
    );
  });

  it('still fails on a broken envelope', async () => {
    server.reset([{ path: '/s/d', body: { reviews: [good('d1')], next: 7 } }]);
    const { sources } = await aggregate([make('d')], FAST);
    expect(sources[0]).toMatchObject({ status: 'failed', fetched: 0 });
    expect(sources[0]?.error?.message).toMatch(/does not match the expected shape at next/);
  });

  it('lists at most MAX_SKIPPED_LISTED skipped items and counts them all', async () => {
    const bad = Array.from({ length: MAX_SKIPPED_LISTED + 5 }, (_, i) => ({ id: `x${i}` }));
    server.reset([{ path: '/s/e', body: { reviews: [good('e0'), ...bad], next: null } }]);
    const { sources } = await aggregate([make('e')], FAST);
    expect(sources[0]?.skipped).toHaveLength(MAX_SKIPPED_LISTED);
    expect(sources[0]?.skippedCount).toBe(MAX_SKIPPED_LISTED + 5);
    expect(sources[0]?.fetched).toBe(1);
  });
});

describe('errors for adapter authors', () => {
  // What a JavaScript user writes: no types to catch the missing `subject`.
  const untyped = defineAdapter({
    name: 'js-shop',
    baseUrl: 'https://shop.example',
    options: z.object({}),
    subjectId: () => 'js',
    page: z.object({ reviews: z.array(z.object({ id: z.string() })) }),
    async *pages(ctx) {
      yield { items: ((await ctx.fetchPage('/js')) as { reviews: unknown[] }).reviews };
    },
    normalize: ((item: { id: string }) => ({ externalId: item.id, createdAt: null })) as unknown as AnyAdapterDefinition['normalize'],
  } as AnyAdapterDefinition);

  it('names the adapter, the item and the field when normalize forgets `subject`', async () => {
    server.reset([{ path: '/js', body: { reviews: [{ id: 'j1' }] } }]);
    const { sources } = await aggregate([untyped({ baseUrl: server.url })], FAST);
    const error = sources[0]?.error;
    expect(ReviewkitError.is(error)).toBe(true);
    expect(error?.message).toBe(
      'js-shop: none of the 1 reviews on page 1 could be used; review #0: subject.id is required (in what normalize returned). Fix the adapter’s normalize.',
    );
  });

  it('names a normalize that returns nothing', async () => {
    const empty = defineAdapter({ ...untyped.definition, name: 'empty-shop', normalize: (() => undefined) as unknown as AnyAdapterDefinition['normalize'] });
    server.reset([{ path: '/js', body: { reviews: [{ id: 'j1' }] } }]);
    const { sources } = await aggregate([empty({ baseUrl: server.url })], FAST);
    expect(sources[0]?.error?.message).toContain('review #0: normalize must return an object, got undefined (in what normalize returned)');
  });
});
