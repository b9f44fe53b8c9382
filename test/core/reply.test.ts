// reply() and deleteReply() through a custom adapter's reply capability, against a local server
// that keeps replies the way a source does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aggregate, checkReplyText, defineAdapter, deleteReply, type Review, ReviewkitError, reply } from '../../src/index.js';
import { expectNoSecrets, type FixtureServer, type RecordedRequest, startFixtureServer } from '../../src/testing/index.js';

const TOKEN = 'reply-token-SECRET-7781';
let server: FixtureServer;
const replies = new Map<string, string>();

const shop = defineAdapter({
  name: 'shop',
  baseUrl: 'https://shop.example',
  options: z.object({ shop: z.string(), token: z.string().optional() }),
  subjectId: (o) => o.shop,
  secrets: (o) => (o.token ? [o.token] : []),
  page: z.object({ items: z.array(z.unknown()) }),
  item: z.object({ id: z.string(), stars: z.number(), reply: z.string().nullable() }),
  async *pages(ctx) {
    yield { items: (await ctx.fetchPage(`/shops/${ctx.options.shop}/reviews`)).items };
  },
  normalize: (item, ctx) => ({
    externalId: item.id,
    subject: { id: ctx.options.shop },
    rating: { value: item.stars, min: 1, max: 5 },
    createdAt: null,
    replies: item.reply === null ? [] : [{ text: item.reply, createdAt: null, author: 'Owner' }],
  }),
  reply: {
    unsupported: (o) => (o.token ? null : 'answering needs the owner’s `token`'),
    rules: { maxChars: 20, noEmoji: true },
    post: async (ctx, review, text) => {
      const body = await ctx.http.request('PUT', `/shops/${ctx.options.shop}/reviews/${review.externalId}/reply`, {
        headers: { Authorization: `Bearer ${ctx.options.token}` },
        body: { text },
        schema: z.object({ text: z.string(), state: z.enum(['LIVE', 'IN_REVIEW']) }),
      });
      return { status: body.state === 'LIVE' ? 'published' : 'pending', reply: { text: body.text, createdAt: ctx.now, author: null } };
    },
    delete: async (ctx, review) => {
      await ctx.http.request('DELETE', `/shops/${ctx.options.shop}/reviews/${review.externalId}/reply`, { headers: { Authorization: `Bearer ${ctx.options.token}` } });
      return { status: 'published', reply: null };
    },
  },
});

const readOnly = defineAdapter({ ...shop.definition, name: 'read-only', reply: { unsupported: 'Read Only Reviews has no reply API; answer on its website.' } });

beforeAll(async () => {
  const items = () => ['r1', 'r2'].map((id, i) => ({ id, stars: i + 1, reply: replies.get(id) ?? null }));
  const replyPath = /^\/shops\/s1\/reviews\/(\w+)\/reply$/;
  const idOf = (r: RecordedRequest) => replyPath.exec(r.path)?.[1] ?? '';
  server = await startFixtureServer([
    { path: '/shops/s1/reviews', body: () => ({ items: items() }) },
    {
      method: 'PUT',
      path: replyPath,
      body: (r: RecordedRequest) => {
        const { text } = JSON.parse(r.body) as { text: string };
        replies.set(idOf(r), text);
        return { text, state: text.includes('link') ? 'IN_REVIEW' : 'LIVE' };
      },
    },
    { method: 'DELETE', path: replyPath, status: 204, body: (r: RecordedRequest) => (replies.delete(idOf(r)), '') },
  ]);
});
afterAll(() => server.close());

const adapters = () => [shop({ shop: 's1', token: TOKEN, baseUrl: server.url })];
const fetchReview = async (id: string): Promise<Review> => {
  const { reviews } = await aggregate(adapters());
  const review = reviews.find((r) => r.externalId === id);
  if (!review) throw new Error(`no review ${id}`);
  return review;
};

describe('reply', () => {
  it('posts through the adapter that owns the review, and the next fetch shows it', async () => {
    const review = await fetchReview('r1');
    const result = await reply(review, 'Sorry, fixed now.', { adapters: adapters(), now: new Date('2026-11-30T12:00:00Z') });
    expect(result).toEqual({ status: 'published', reply: { text: 'Sorry, fixed now.', createdAt: new Date('2026-11-30T12:00:00Z'), author: null } });
    expect((await fetchReview('r1')).replies).toEqual([{ text: 'Sorry, fixed now.', createdAt: null, author: 'Owner' }]);
    // Replacing it leaves one reply.
    await reply(review, 'Fixed for good.', { adapters: adapters() });
    expect((await fetchReview('r1')).replies.map((r) => r.text)).toEqual(['Fixed for good.']);
  });

  it('reports moderation as pending', async () => {
    const result = await reply(await fetchReview('r2'), 'See our link', { adapters: adapters() });
    expect(result.status).toBe('pending');
  });

  it('rejects text that breaks the source’s rules without any request', async () => {
    const review = await fetchReview('r1');
    server.requests.length = 0;
    expect(await reply(review, 'x'.repeat(21), { adapters: adapters() })).toEqual({
      status: 'rejected',
      reply: null,
      reason: 'shop: the reply is 21 characters; at most 20 are allowed.',
    });
    expect(await reply(review, 'Thanks 🙏', { adapters: adapters() })).toMatchObject({ status: 'rejected', reason: 'shop: the source refuses replies containing emoji.' });
    expect(await reply(review, '   ', { adapters: adapters() })).toMatchObject({ status: 'rejected', reason: 'shop: the reply text is empty.' });
    expect(server.requests).toEqual([]);
  });

  it('says why it cannot answer: no owning adapter, a source without a reply API, missing credentials', async () => {
    const review = await fetchReview('r1');
    expect(await reply(review, 'Hi', { adapters: [shop({ shop: 'other', token: TOKEN, baseUrl: server.url })] })).toMatchObject({
      status: 'unsupported',
      reason: expect.stringMatching(/^no adapter given owns this review \(source shop, subject s1\)/),
    });
    const foreign = { ...review, source: 'read-only', id: 'read-only:r1' };
    expect(await reply(foreign, 'Hi', { adapters: [readOnly({ shop: 's1', baseUrl: server.url })] })).toEqual({
      status: 'unsupported',
      reply: null,
      reason: 'read-only: Read Only Reviews has no reply API; answer on its website.',
    });
    expect(await reply(review, 'Hi', { adapters: [shop({ shop: 's1', baseUrl: server.url })] })).toEqual({
      status: 'unsupported',
      reply: null,
      reason: 'shop: answering needs the owner’s `token`',
    });
  });

  it('deletes a reply where the source allows it', async () => {
    const review = await fetchReview('r1');
    await reply(review, 'Temporary.', { adapters: adapters() });
    expect(await deleteReply(review, { adapters: adapters() })).toEqual({ status: 'published', reply: null });
    expect((await fetchReview('r1')).replies).toEqual([]);
  });

  it('rejects with a secret-free ReviewkitError when the source refuses, and on abort', async () => {
    const review = await fetchReview('r1');
    server.prepend({ method: 'PUT', path: /\/reply$/, status: 401, body: { error: `bad token ${TOKEN}` }, times: 1 });
    const error = await reply(review, 'Hi', { adapters: adapters(), retry: { attempts: 1 } }).catch((e: unknown) => e);
    expect(ReviewkitError.is(error) && error.code).toBe('AUTH');
    expectNoSecrets(error, [TOKEN]);
    const controller = new AbortController();
    controller.abort();
    const aborted = await reply(review, 'Hi', { adapters: adapters(), signal: controller.signal }).catch((e: unknown) => e);
    expect(ReviewkitError.is(aborted) && aborted.code).toBe('ABORTED');
  });

  it('refuses calls that are not a review and adapters', async () => {
    await expect(reply(null as never, 'Hi', { adapters: adapters() })).rejects.toMatchObject({ code: 'CONFIG' });
    await expect(reply(await fetchReview('r1'), 'Hi', {} as never)).rejects.toMatchObject({ code: 'CONFIG' });
  });
});

describe('checkReplyText', () => {
  it('counts bytes, code points and text without HTML as the source does', () => {
    expect(checkReplyText('é'.repeat(2049), { maxBytes: 4096 })).toBe('the reply is 4,098 bytes in UTF-8; at most 4,096 are allowed.');
    expect(checkReplyText('é'.repeat(2048), { maxBytes: 4096 })).toBeNull();
    // An astral emoji is one code point, two UTF-16 units.
    expect(checkReplyText('🙂'.repeat(350), { maxChars: 350 })).toBeNull();
    expect(checkReplyText(`<b>${'a'.repeat(350)}</b>`, { maxChars: 350, stripsHtml: true })).toBeNull();
    expect(checkReplyText('a'.repeat(351), { maxChars: 350, stripsHtml: true })).toBe('the reply is 351 characters (HTML tags aside); at most 350 are allowed.');
  });
});
