// Answering Google Business Profile reviews against the sandbox: PUT …/reply (an upsert) and
// DELETE, the 4096-byte rule checked before any request, and the 2026 moderation fields (a held or
// rejected reply is reported as such and kept out of `replies`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleBusinessProfile } from '../../adapters/google/index.js';
import { createSandbox, type Sandbox } from '../../sandbox/index.js';
import { aggregate, deleteReply, type Review, ReviewkitError, reply } from '../../src/index.js';
import { expectNoSecrets, startFixtureServer } from '../../src/testing/index.js';
import { fetchReview, first, reviewsOf, writesAndLookups } from './helpers.js';

const SOURCE = 'google-business-profile';
let sandbox: Sandbox;
let token: string;
let reviewPath: (review: Review) => string;
beforeAll(async () => {
  sandbox = await createSandbox({ seed: 41 });
  const options = sandbox.adapterOptions(SOURCE);
  token = options.accessToken;
  reviewPath = (review) => `/v4/accounts/${options.accountId}/locations/${options.locationId}/reviews/${review.externalId}`;
});
afterAll(() => sandbox.close());

const adapters = () => sandbox.adapters();

describe('reply', () => {
  it('puts the reply, and the next fetch shows it as replies[0]; a second reply replaces it', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    sandbox.clearRequests();
    const result = await reply(review, 'Thank you for coming — see you soon!', { adapters: adapters() });
    expect(result).toEqual({ status: 'published', reply: { text: 'Thank you for coming — see you soon!', createdAt: sandbox.now(), author: null } });
    // The answer carried the moderation state: no read-back.
    expect(writesAndLookups(sandbox)).toEqual([`PUT ${reviewPath(review)}/reply`]);
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies).toEqual([{ text: 'Thank you for coming — see you soon!', createdAt: sandbox.now(), author: null }]);

    await reply(review, 'Thank you again.', { adapters: adapters() });
    const again = await fetchReview(sandbox, SOURCE, review.externalId);
    expect(again.replies.map((r) => r.text)).toEqual(['Thank you again.']);
    expect(again.extra.reply).toBeUndefined();
  });

  it('refuses a reply over 4096 UTF-8 bytes without a request; 4096 bytes go through', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    sandbox.clearRequests();
    expect(await reply(review, 'é'.repeat(2049), { adapters: adapters() })).toEqual({
      status: 'rejected',
      reply: null,
      reason: 'google-business-profile: the reply is 4,098 bytes in UTF-8; at most 4,096 are allowed.',
    });
    expect(sandbox.requests).toEqual([]);
    // 2,048 characters, 4,096 bytes: the sandbox counts as Google does, in bytes.
    expect(await reply(review, 'é'.repeat(2048), { adapters: adapters() })).toMatchObject({ status: 'published' });
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies[0]?.text).toBe('é'.repeat(2048));
  });

  it('reports a reply held by moderation as pending, and the next fetch keeps it out of replies', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).answered);
    const text = 'Sorry about the wait. Our new booking page is at https://sandboxbistro.example/book';
    const result = await reply(review, text, { adapters: adapters() });
    expect(result).toEqual({
      status: 'pending',
      reply: { text, createdAt: sandbox.now(), author: null },
      reason: 'Google is moderating the reply (state PENDING); it is public once approved.',
    });
    const fetched = await fetchReview(sandbox, SOURCE, review.externalId);
    expect(fetched.replies).toEqual([]);
    expect(fetched.extra.reply).toEqual({ state: 'PENDING', text, updatedAt: sandbox.now().toISOString() });
    // The public view agrees: nothing is shown while moderation holds it.
    expect(sandbox.reviews(SOURCE).find((r) => r.externalId === review.externalId)?.replies).toEqual([]);
  });

  it('reports a rejected reply with the policy it broke', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    const text = 'Come back soon and use promo code SAVE10!';
    expect(await reply(review, text, { adapters: adapters() })).toEqual({
      status: 'rejected',
      reply: null,
      reason: 'Google rejected the reply for a policy violation: ADVERTISING_AND_SOLICITATION; change the text and post it again.',
    });
    const fetched = await fetchReview(sandbox, SOURCE, review.externalId);
    expect(fetched.replies).toEqual([]);
    expect(fetched.extra.reply).toEqual({ state: 'REJECTED', text, updatedAt: sandbox.now().toISOString(), policyViolation: 'ADVERTISING_AND_SOLICITATION' });
  });

  it('deletes the reply', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).answered);
    sandbox.clearRequests();
    expect(await deleteReply(review, { adapters: adapters() })).toEqual({ status: 'published', reply: null });
    expect(writesAndLookups(sandbox)).toEqual([`DELETE ${reviewPath(review)}/reply`]);
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies).toEqual([]);
  });

  it('never shows the token in a result, an error or the request log', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    const result = await reply(review, 'Thanks!', { adapters: adapters() });
    const wrong = googleBusinessProfile({ ...sandbox.adapterOptions(SOURCE), accessToken: 'ya29.WRONG-token-0042' });
    const error = await reply(review, 'Thanks!', { adapters: [wrong], retry: { attempts: 1 } }).catch((e: unknown) => e);
    expect(ReviewkitError.is(error) && [error.code, error.status]).toEqual(['AUTH', 401]);
    expectNoSecrets({ result, error, requests: sandbox.requests }, [token, 'ya29.WRONG-token-0042']);
    expectNoSecrets(error, [token, 'ya29.WRONG-token-0042']);
  });
});

describe('the sandboxed reply endpoint', () => {
  const put = (review: Review, body: string) =>
    fetch(`${sandbox.url}${reviewPath(review)}/reply`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });

  it('validates as Google does: a comment is required and at most 4096 bytes; unknown reviews are 404; the reply path takes PUT and DELETE', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    const missing = await put(review, '{}');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { status: 'INVALID_ARGUMENT', details: [{ fieldViolations: [{ field: 'review_reply.comment' }] }] } });
    expect((await put(review, JSON.stringify({ comment: 'é'.repeat(2048) + 'e' }))).status).toBe(400);
    expect((await put({ ...review, externalId: 'AbFvOqNoSuchReview' }, JSON.stringify({ comment: 'Hi' }))).status).toBe(404);
    const read = await fetch(`${sandbox.url}${reviewPath(review)}/reply`, { headers: { authorization: `Bearer ${token}` } });
    expect([read.status, read.headers.get('allow')]).toEqual([405, 'PUT, DELETE']);
    expect((await put(review, JSON.stringify({ comment: 'Hi' }))).status).toBe(200);
    const one = await fetch(`${sandbox.url}${reviewPath(review)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await one.json()).toMatchObject({ reviewId: review.externalId, reviewReply: { comment: 'Hi', reviewReplyState: 'APPROVED' } });
  });
});

describe('moderation fields, wherever (and whether) Google sends them', () => {
  const review = (server: { url: string }) => ({
    adapters: [googleBusinessProfile({ accessToken: 'ya29.fixture-token', accountId: '1', locationId: '2', baseUrl: server.url })],
    retry: { attempts: 1 },
  });
  const name = '/v4/accounts/1/locations/2/reviews/r1';
  const listing = (reviews: unknown[]) => ({ path: '/v4/accounts/1/locations/2/reviews', body: { reviews, totalReviewCount: reviews.length } });
  const base = { name: 'accounts/1/locations/2/reviews/r1', reviewId: 'r1', starRating: 'FOUR', createTime: '2026-05-01T10:00:00Z', updateTime: '2026-05-01T10:00:00Z' };

  it('reads the review back when the answer has no state, and takes a reply without any state as published', async () => {
    const server = await startFixtureServer([
      { method: 'PUT', path: `${name}/reply`, body: { comment: 'Thanks', updateTime: '2026-05-02T09:00:00Z' } },
      { path: name, body: { ...base, reviewReply: { comment: 'Thanks', updateTime: '2026-05-02T09:00:00Z' } } },
      listing([{ ...base, reviewReply: { comment: 'Thanks', updateTime: '2026-05-02T09:00:00Z' } }]),
    ]);
    try {
      const { reviews } = await aggregate(review(server).adapters);
      const fetched = first(reviews);
      // Without a state, a reply is public, as before 2026.
      expect(fetched.replies).toEqual([{ text: 'Thanks', createdAt: new Date('2026-05-02T09:00:00Z'), author: null }]);
      expect(await reply(fetched, 'Thanks', review(server))).toEqual({
        status: 'published',
        reply: { text: 'Thanks', createdAt: new Date('2026-05-02T09:00:00Z'), author: null },
        reason: 'Google reported no moderation state for the reply; it is taken as published.',
      });
      expect(server.requests.map((r) => `${r.method} ${r.path}`).slice(-2)).toEqual([`PUT ${name}/reply`, `GET ${name}`]);
      expect(JSON.parse(server.requests.at(-2)?.body ?? '')).toEqual({ comment: 'Thanks' });
    } finally {
      await server.close();
    }
  });

  it('reads the state on the review itself too, and an unspecified one as none', async () => {
    const server = await startFixtureServer([
      { method: 'PUT', path: `${name}/reply`, body: { comment: 'Thanks', reviewReplyState: 'REVIEW_REPLY_STATE_UNSPECIFIED' } },
      { path: name, body: { ...base, reviewReplyState: 'PENDING', reviewReply: { comment: 'Thanks' } } },
      listing([{ ...base, reviewReplyState: 'PENDING', reviewReply: { comment: 'Thanks', updateTime: '2026-05-02T09:00:00Z' } }]),
    ]);
    try {
      const fetched = first((await aggregate(review(server).adapters)).reviews);
      expect(fetched.replies).toEqual([]);
      expect(fetched.extra.reply).toEqual({ state: 'PENDING', text: 'Thanks', updatedAt: '2026-05-02T09:00:00.000Z' });
      const result = await reply(fetched, 'Thanks', { ...review(server), now: new Date('2026-05-03T00:00:00Z') });
      expect(result).toEqual({
        status: 'pending',
        reply: { text: 'Thanks', createdAt: new Date('2026-05-03T00:00:00Z'), author: null },
        reason: 'Google is moderating the reply (state PENDING); it is public once approved.',
      });
    } finally {
      await server.close();
    }
  });

  it('holds back a reply in a state it does not know, and reads a rejection without a named policy', async () => {
    const server = await startFixtureServer([
      { method: 'PUT', path: `${name}/reply`, body: { comment: 'Thanks', reviewReplyState: 'REJECTED' } },
      listing([{ ...base, reviewReply: { comment: 'Thanks', reviewReplyState: 'ESCALATED' } }]),
    ]);
    try {
      const fetched = first((await aggregate(review(server).adapters)).reviews);
      expect([fetched.replies, fetched.extra.reply]).toEqual([[], { state: 'ESCALATED', text: 'Thanks', updatedAt: null }]);
      expect(await reply(fetched, 'Thanks', review(server))).toEqual({
        status: 'rejected',
        reply: null,
        reason: 'Google rejected the reply; change the text and post it again.',
      });
    } finally {
      await server.close();
    }
  });
});
