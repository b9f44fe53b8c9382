// A complete adapter for a review site reviewkit doesn't ship: "Acme Reviews", a JSON API
// with cursor paging, 0–10 scores, Paris local times and owner replies.
import { z } from 'zod';
import { cleanText, dateSchema, defineAdapter } from 'reviewkit';

const parisTime = dateSchema({ timeZone: 'Europe/Paris' }); // Acme sends local times without an offset

export const acme = defineAdapter({
  name: 'acme',
  baseUrl: 'https://api.acme-reviews.example',
  options: z.object({ token: z.string().min(1), shopId: z.string().min(1) }),
  subjectId: (options) => options.shopId,
  secrets: (options) => [options.token],
  order: 'newest-first',
  // The envelope: what paging needs. Each review is checked on its own against `item`,
  // so one malformed review is skipped (and reported) instead of failing its page.
  page: z.object({ items: z.array(z.unknown()), next: z.string().nullable() }),
  item: z.object({
    id: z.string(),
    score: z.number(),
    body: z.string().nullable(),
    posted: parisTime,
    reply: z.object({ text: z.string(), posted: parisTime }).nullable(),
  }),
  async *pages(ctx) {
    let cursor = ctx.cursor;
    do {
      const page = await ctx.fetchPage(`/shops/${ctx.options.shopId}/reviews`, {
        headers: { Authorization: `Bearer ${ctx.options.token}` },
        query: { after: cursor ?? undefined },
      });
      yield { items: page.items, cursor, nextCursor: page.next };
      cursor = page.next;
    } while (cursor !== null);
  },
  normalize: (item, ctx) => ({
    externalId: item.id,
    subject: { id: ctx.options.shopId },
    rating: { value: item.score, min: 0, max: 10 },
    text: cleanText(item.body),
    createdAt: item.posted,
    replies: item.reply ? [{ text: item.reply.text, createdAt: item.reply.posted, author: null }] : [],
  }),
});
