import { z } from 'zod';
import { defineAdapter } from '../../src/index.js';

/**
 * A minimal cursor-paged JSON source for engine tests: GET /r/{shop}?after=cursor →
 * { items: [{ id, stars, at }], next }.
 */
export const paged = defineAdapter({
  name: 'paged',
  baseUrl: 'https://paged.example',
  options: z.object({ shop: z.string(), token: z.string().default('paged-token-0000') }),
  subjectId: (o) => o.shop,
  secrets: (o) => [o.token],
  order: 'newest-first',
  page: z.object({
    items: z.array(z.object({ id: z.string(), stars: z.number(), at: z.string().nullable() })),
    next: z.string().nullable(),
    total: z.number().optional(),
  }),
  async *pages(ctx) {
    let cursor = ctx.cursor;
    for (;;) {
      const page = await ctx.fetchPage(`/r/${ctx.options.shop}`, {
        query: { after: cursor ?? undefined },
        headers: { Authorization: `Bearer ${ctx.options.token}` },
      });
      yield { items: page.items, cursor, nextCursor: page.next, reportedTotal: page.total ?? null };
      if (page.next === null) return;
      cursor = page.next;
    }
  },
  normalize: (item, ctx) => ({
    externalId: item.id,
    subject: { id: ctx.options.shop },
    rating: { value: item.stars, min: 1, max: 5 },
    createdAt: item.at === null ? null : new Date(Date.parse(item.at)),
  }),
});

export const item = (id: string, at: string | null, stars = 4) => ({ id, stars, at });
