// What `reviewkit reply` decides before and around the library's `reply()`, in process, with a
// custom adapter whose rules and outcomes the test controls: the owning adapter, the text rules,
// the same verdicts `reply()` reaches, a published reply, and a failed request turned into exit
// code 2 without its token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { replyExitCode, sendReply } from '../../cli/actions/reply.js';
import { CliError } from '../../cli/errors.js';
import { checkReply, owningAdapter } from '../../cli/reply-check.js';
import { createReview, defineAdapter, reply, type Review } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';

const TOKEN = 'shop-token-s3cr3t-0123456789';

const shop = defineAdapter({
  name: 'shop',
  baseUrl: 'https://api.shop-reviews.example',
  options: z.object({ token: z.string().min(1), shopId: z.string().min(1) }),
  subjectId: (options) => options.shopId,
  secrets: (options) => [options.token],
  page: z.object({ items: z.array(z.object({ id: z.string() })) }),
  async *pages() {
    yield { items: [] as { id: string }[], cursor: null, nextCursor: null };
  },
  normalize: (item, ctx) => ({ externalId: item.id, subject: { id: ctx.options.shopId }, createdAt: null }),
  reply: {
    rules: { maxChars: 20, noEmoji: true },
    async post(ctx, review, text) {
      const body = (await ctx.http.request('PUT', `/shops/${ctx.options.shopId}/reviews/${review.externalId}/reply`, {
        headers: { Authorization: `Bearer ${ctx.options.token}` },
        body: { text },
        attempts: 1,
        schema: z.object({ text: z.string(), at: z.string() }),
      })) as { text: string; at: string };
      return { status: 'published', reply: { text: body.text, createdAt: new Date(body.at), author: 'Shop' } };
    },
  },
});

const quiet = defineAdapter({
  name: 'quiet',
  baseUrl: 'https://api.quiet.example',
  options: z.object({ shopId: z.string() }),
  subjectId: (options) => options.shopId,
  page: z.object({ items: z.array(z.object({ id: z.string() })) }),
  async *pages() {
    yield { items: [] as { id: string }[], cursor: null, nextCursor: null };
  },
  normalize: (item, ctx) => ({ externalId: item.id, subject: { id: ctx.options.shopId }, createdAt: null }),
  reply: { unsupported: 'the quiet API has no reply endpoint; answer on quiet.example.' },
});

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer([
    { method: 'PUT', path: '/shops/s1/reviews/r1/reply', body: { text: 'Thank you!', at: '2026-06-02T10:00:00Z' } },
    { method: 'PUT', path: '/shops/s1/reviews/r2/reply', status: 401, body: { error: `token ${TOKEN} revoked` } },
  ]);
});
afterAll(() => server.close());

const reviewAt = (source: string, subject: string, externalId: string): Review =>
  createReview(source, { externalId, subject: { id: subject }, rating: { value: 2, min: 1, max: 5 }, text: 'Cold soup.', createdAt: new Date('2026-06-01T12:00:00Z') });

describe('reply, as the CLI decides it', () => {
  it('finds the adapter that owns the review: same source and subject', () => {
    const adapters = [shop({ token: TOKEN, shopId: 's2' }), shop({ token: TOKEN, shopId: 's1' }), quiet({ shopId: 's1' })];
    expect(owningAdapter(reviewAt('shop', 's1', 'r1'), adapters)).toBe(adapters[1]);
    expect(owningAdapter(reviewAt('quiet', 's1', 'r1'), adapters)).toBe(adapters[2]);
    expect(owningAdapter(reviewAt('shop', 's3', 'r1'), adapters)).toBeUndefined();
  });

  it('checks the text against the source rules, and reaches the verdict reply() reaches, without a request', async () => {
    const adapters = [shop({ token: TOKEN, shopId: 's1', baseUrl: server.url }), quiet({ shopId: 's1' })];
    const review = reviewAt('shop', 's1', 'r1');
    const cases: [Review, string, ReturnType<typeof checkReply>][] = [
      [review, 'Thank you!', { status: 'ready', adapter: 'shop', rules: { maxChars: 20, noEmoji: true }, textProblem: null }],
      [
        review,
        'Thank you so much for coming!',
        {
          status: 'rejected',
          reason: 'shop: the reply is 29 characters; at most 20 are allowed.',
          adapter: 'shop',
          rules: { maxChars: 20, noEmoji: true },
          textProblem: 'the reply is 29 characters; at most 20 are allowed.',
        },
      ],
      [review, 'Thanks 🙂', { status: 'rejected', reason: 'shop: the source refuses replies containing emoji.', adapter: 'shop', rules: { maxChars: 20, noEmoji: true }, textProblem: 'the source refuses replies containing emoji.' }],
      [
        reviewAt('quiet', 's1', 'q1'),
        'Thank you!',
        { status: 'unsupported', reason: 'quiet: the quiet API has no reply endpoint; answer on quiet.example.', adapter: 'quiet', rules: {}, textProblem: null },
      ],
    ];
    for (const [target, text, expected] of cases) {
      const check = checkReply(target, text, adapters);
      expect(check).toEqual(expected);
      if (check.status === 'ready') continue;
      // The library, asked directly, answers the same without a request.
      expect(await reply(target, text, { adapters })).toEqual({ status: check.status, reply: null, reason: check.reason });
    }
    expect(checkReply(reviewAt('shop', 's9', 'r1'), 'Thank you!', adapters)).toEqual({
      status: 'unsupported',
      reason: 'no source of the config owns this review (source shop, subject s9): add the source it was read with, with its credentials.',
      adapter: null,
      rules: {},
      textProblem: null,
    });
    expect(server.requests).toEqual([]);
  });

  it('sends a ready reply through the library (published: exit 0), and turns a failed request into exit 2 without its token', async () => {
    const adapters = [shop({ token: TOKEN, shopId: 's1', baseUrl: server.url })];
    const signal = new AbortController().signal;
    const published = await sendReply(reviewAt('shop', 's1', 'r1'), 'Thank you!', adapters, { signal });
    expect(published).toEqual({ status: 'published', reply: { text: 'Thank you!', createdAt: new Date('2026-06-02T10:00:00Z'), author: 'Shop' } });
    expect(replyExitCode(published)).toBe(0);
    expect(server.requests[0]?.body).toBe('{"text":"Thank you!"}');

    const failure = await sendReply(reviewAt('shop', 's1', 'r2'), 'Thank you!', adapters, { signal, retry: { attempts: 1 } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as CliError).exitCode).toBe(2);
    expect((failure as CliError).message).toMatch(/^the reply failed: AUTH: shop: /);
    expect((failure as CliError).message).not.toContain(TOKEN);

    const aborted = new AbortController();
    aborted.abort();
    const interrupted = await sendReply(reviewAt('shop', 's1', 'r1'), 'Thank you!', adapters, { signal: aborted.signal }).catch((error: unknown) => error);
    expect((interrupted as CliError).exitCode).toBe(130);
  });

  it('maps each outcome to its exit code', () => {
    expect(replyExitCode({ status: 'published', reply: null })).toBe(0);
    expect(replyExitCode({ status: 'pending', reply: null })).toBe(0);
    expect(replyExitCode({ status: 'rejected', reply: null, reason: 'x' })).toBe(1);
    expect(replyExitCode({ status: 'unsupported', reply: null, reason: 'x' })).toBe(1);
  });
});
