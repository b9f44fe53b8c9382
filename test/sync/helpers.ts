import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineAdapter, type Review, type ReviewStore } from '../../src/index.js';
import type { FixtureRoute, FixtureServer, RecordedRequest } from '../../src/testing/index.js';
import { fileStore } from '../../src/store/file.js';
import { memoryStore } from '../../src/store/memory.js';
import { sqliteStore } from '../../src/store/sqlite.js';

/** One review as the fake shop API serves it. */
export interface ShopReview {
  id: string;
  stars: number;
  text: string;
  /** ISO instant. */
  at: string;
  /** The owner's reply, if any. */
  reply?: string | null;
  author?: string;
}

/**
 * A review site with mutable data, served by a fixture server: GET /shops/{shop}/reviews?before=…
 * → `{ items, next }`, newest first, `pageSize` per page. The cursor is the last item's
 * `at|id` (keyset), so new reviews arriving at the top never shift later pages.
 */
export class ShopSite {
  readonly shops = new Map<string, ShopReview[]>();
  pageSize = 3;

  add(shop: string, ...reviews: ShopReview[]): void {
    this.shops.set(shop, [...(this.shops.get(shop) ?? []), ...reviews]);
  }

  edit(shop: string, id: string, patch: Partial<ShopReview>): void {
    const list = this.shops.get(shop) ?? [];
    this.shops.set(
      shop,
      list.map((review) => (review.id === id ? { ...review, ...patch } : review)),
    );
  }

  /** The route to install on a fixture server (put failure routes in front with `prepend`). */
  route(): FixtureRoute {
    return {
      path: /^\/shops\/[^/]+\/reviews$/,
      body: (request: RecordedRequest) => {
        const shop = decodeURIComponent(request.path.split('/')[2] as string);
        const sorted = [...(this.shops.get(shop) ?? [])].sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1));
        const before = request.query.before;
        const start = before === undefined ? 0 : sorted.findIndex((r) => `${r.at}|${r.id}` < before);
        const page = start < 0 ? [] : sorted.slice(start, start + this.pageSize);
        const last = page[page.length - 1];
        const hasMore = start >= 0 && start + this.pageSize < sorted.length;
        return { items: page, next: hasMore && last ? `${last.at}|${last.id}` : null };
      },
    };
  }
}

/** A newest-first custom source reading a {@link ShopSite}. */
export const shop = defineAdapter({
  name: 'shop',
  baseUrl: 'https://shop.example',
  options: z.object({ shop: z.string(), token: z.string().default('shop-token-0123456789') }),
  subjectId: (o) => o.shop,
  secrets: (o) => [o.token],
  order: 'newest-first',
  page: z.object({ items: z.array(z.unknown()), next: z.string().nullable() }),
  item: z.object({
    id: z.string(),
    stars: z.number(),
    text: z.string(),
    at: z.string(),
    reply: z.string().nullable().optional(),
    author: z.string().optional(),
  }),
  async *pages(ctx) {
    let cursor = ctx.cursor;
    for (;;) {
      const page = await ctx.fetchPage(`/shops/${encodeURIComponent(ctx.options.shop)}/reviews`, {
        query: { before: cursor ?? undefined },
        headers: { Authorization: `Bearer ${ctx.options.token}` },
      });
      yield { items: page.items, cursor, nextCursor: page.next };
      if (page.next === null) return;
      cursor = page.next;
    }
  },
  normalize: (item, ctx) => ({
    externalId: item.id,
    subject: { id: ctx.options.shop, name: `Shop ${ctx.options.shop}` },
    url: `https://shop.example/${ctx.options.shop}/reviews/${item.id}`,
    author: { name: item.author ?? null },
    rating: { value: item.stars, min: 1, max: 5 },
    text: item.text,
    createdAt: new Date(item.at),
    replies: item.reply ? [{ text: item.reply, createdAt: null, author: 'Owner' }] : [],
  }),
});

/** `n` reviews for a shop, one a day going back from `newest` (ids `${prefix}1` newest). */
export function reviewsFor(prefix: string, n: number, newest = '2026-03-01T12:00:00.000Z'): ShopReview[] {
  const top = Date.parse(newest);
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i + 1}`,
    stars: 1 + ((i * 3) % 5),
    text: `Review ${i + 1} of ${prefix}: pleasant enough.`,
    at: new Date(top - i * 24 * 3600_000).toISOString(),
    author: `Guest ${i + 1}`,
  }));
}

/** Requests to a shop's review path recorded by the server. */
export function requestsFor(server: FixtureServer, shopName: string): string[] {
  return server.requests.filter((r) => r.path === `/shops/${shopName}/reviews`).map((r) => r.query.before ?? '(top)');
}

/** Every review in a store, in list order. */
export async function allReviews(store: ReviewStore): Promise<Review[]> {
  const out: Review[] = [];
  for await (const review of store.list()) out.push(review);
  return out;
}

/** A temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `reviewkit-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The three built-in stores, each made fresh in its own temporary place. */
export const STORE_KINDS = {
  memory: (_dir: string) => memoryStore(),
  file: (dir: string) => fileStore(join(dir, 'store')),
  sqlite: (dir: string) => sqliteStore(join(dir, 'reviews.db')),
} as const;
