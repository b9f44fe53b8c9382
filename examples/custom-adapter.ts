// A complete adapter for a review site reviewkit doesn't ship: "Acme Reviews", a JSON API
// with cursor paging, 0–10 scores, Paris local times and owner replies.
import { z } from 'zod';
import { cleanText, defineAdapter, parseDate } from 'reviewkit';

const PARIS = 'Europe/Paris'; // Acme sends local times without an offset

export const acme = defineAdapter({
  name: 'acme',
  baseUrl: 'https://api.acme-reviews.example',
  options: z.object({ token: z.string().min(1), shopId: z.string().min(1) }),
  subjectId: (options) => options.shopId,
  secrets: (options) => [options.token],
  order: 'newest-first',
  page: z.object({
    items: z.array(
      z.object({
        id: z.string(),
        score: z.number(),
        body: z.string().nullable(),
        posted: z.string(),
        reply: z.object({ text: z.string(), posted: z.string() }).nullable(),
      }),
    ),
    next: z.string().nullable(),
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
    createdAt: parseDate(item.posted, { timeZone: PARIS }),
    replies: item.reply
      ? [{ text: item.reply.text, createdAt: parseDate(item.reply.posted, { timeZone: PARIS }), author: null }]
      : [],
  }),
});
