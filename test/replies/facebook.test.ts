// Answering Facebook recommendations through the sandbox: a comment on the recommendation's story,
// written once even when its answer is lost, read back as the review's reply, and removed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { facebook } from '../../adapters/facebook.js';
import { deleteReply, type Review, ReviewkitError, reply } from '../../src/index.js';
import { createSandbox, expectNoSecrets, type FixtureServer, type Sandbox, startFixtureServer } from '../../testing/index.js';
import { credentials, fetched, held, logged, settle } from './support.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox({ seed: 5, retryAfterSeconds: 0 });
});
afterEach(() => sandbox.close());

const NOW = new Date('2026-06-02T10:00:00.000Z');
/** The client's wait for an answer the sandbox holds back: long enough for a busy machine to deliver the request first. */
const TIMEOUT_MS = 1500;
/** Quick retries for the read-backs that meet injected failures. */
const FAST = { retry: { baseDelayMs: 1, maxDelayMs: 5 } } as const;
const adapters = () => sandbox.adapters(['facebook']);

/** A fresh recommendation, as the adapter fetches it. */
async function recommendation(): Promise<{ review: Review; comments: string }> {
  const { externalId } = await sandbox.addReview('facebook', { stars: 2, text: 'The coffee was cold.', authorName: 'Jo Example' });
  const review = await fetched(sandbox, 'facebook', externalId);
  sandbox.clearRequests();
  return { review, comments: `/v21.0/${externalId}/comments` };
}

describe('facebook replies', () => {
  it('posts a comment on the story as the Page; the next fetch shows it as replies[0]', async () => {
    const { review, comments } = await recommendation();
    expect(review.replies).toEqual([]);
    const text = 'Sorry about the coffee, Jo. The next one is on us.';
    const result = await reply(review, text, { adapters: adapters(), now: NOW });
    expect(result).toEqual({ status: 'published', reply: { text, createdAt: NOW, author: 'Sandbox Bistro' } });
    expect(logged(sandbox)).toEqual([['POST', comments, 200, null]]);
    const stored = held(sandbox, 'facebook', review.externalId).replies;
    expect(stored).toEqual([{ text, createdAt: sandbox.now(), author: 'Sandbox Bistro' }]);
    expect((await fetched(sandbox, 'facebook', review.externalId)).replies).toEqual([{ text, createdAt: sandbox.now(), author: 'Sandbox Bistro' }]);
    expectNoSecrets([result, sandbox.requests], credentials(sandbox));
  });

  it('refuses a text over 8,000 characters without any request', async () => {
    const { review } = await recommendation();
    expect(await reply(review, 'a'.repeat(8001), { adapters: adapters() })).toEqual({
      status: 'rejected',
      reply: null,
      reason: 'facebook: the reply is 8,001 characters; at most 8,000 are allowed.',
    });
    expect(sandbox.requests).toEqual([]);
  });

  it('after a timeout, reads the comments back and finds the comment: no second post', async () => {
    const { review, comments } = await recommendation();
    sandbox.injectFault({ source: 'facebook', method: 'POST', path: comments, kind: 'no-answer' });
    const text = 'Thank you for telling us.';
    const result = await reply(review, text, { adapters: adapters(), timeoutMs: TIMEOUT_MS, now: NOW });
    const stored = held(sandbox, 'facebook', review.externalId).replies;
    expect(stored).toEqual([{ text, createdAt: sandbox.now(), author: 'Sandbox Bistro' }]);
    // What Graph says of the comment it found: its own time.
    expect(result).toEqual({ status: 'published', reply: { text, createdAt: sandbox.now(), author: 'Sandbox Bistro' } });
    expect(logged(sandbox)).toEqual([
      ['POST', comments, 0, 'no-answer'],
      ['GET', comments, 200, null],
    ]);
    expect(sandbox.requests[1]?.query).toEqual({ fields: 'id,message,created_time,from', filter: 'toplevel', order: 'reverse_chronological', limit: '50' });
  });

  it('after a 5xx before anything was stored, finds nothing and posts once more: exactly one reply', async () => {
    const { review, comments } = await recommendation();
    sandbox.injectFault({ source: 'facebook', method: 'POST', path: comments, kind: 'server-error' });
    const result = await reply(review, 'We are on it.', { adapters: adapters(), now: NOW });
    expect(result.status).toBe('published');
    expect(logged(sandbox)).toEqual([
      ['POST', comments, 500, 'server-error'],
      ['GET', comments, 200, null],
      ['POST', comments, 200, null],
    ]);
    expect(held(sandbox, 'facebook', review.externalId).replies.map((r) => r.text)).toEqual(['We are on it.']);
    expect((await fetched(sandbox, 'facebook', review.externalId)).replies.map((r) => r.text)).toEqual(['We are on it.']);
  });

  it('a Page comment with the same text found after a timeout counts as the reply, and is not written again', async () => {
    const { review, comments } = await recommendation();
    // Another comment first, so the read-back must pick the Page's comment with this very text.
    await reply(review, 'An earlier word.', { adapters: adapters() });
    sandbox.clearRequests();
    sandbox.injectFault({ source: 'facebook', method: 'POST', path: comments, kind: 'no-answer' });
    await reply(review, 'A later word.', { adapters: adapters(), timeoutMs: TIMEOUT_MS });
    expect(logged(sandbox).map(([method]) => method)).toEqual(['POST', 'GET']);
    expect((await fetched(sandbox, 'facebook', review.externalId)).replies.map((r) => r.text)).toEqual(['An earlier word.', 'A later word.']);
  });

  it('gives up after three sends, each failure followed by a read-back, and stores nothing', async () => {
    const { review, comments } = await recommendation();
    sandbox.injectFault({ source: 'facebook', method: 'POST', path: comments, kind: 'server-error', times: 3 });
    const error = await settle(reply(review, 'Hello?', { adapters: adapters(), ...FAST }));
    expect(ReviewkitError.is(error) && [error.code, error.status]).toEqual(['HTTP', 500]);
    expect(logged(sandbox).map(([method, , status]) => `${method} ${status}`)).toEqual(['POST 500', 'GET 200', 'POST 500', 'GET 200', 'POST 500', 'GET 200']);
    expect(held(sandbox, 'facebook', review.externalId).replies).toEqual([]);
    expectNoSecrets(error, credentials(sandbox));
  });

  it('says the outcome is unknown when the read-back fails too (the comment was in fact stored)', async () => {
    const { review, comments } = await recommendation();
    sandbox.injectFault({ source: 'facebook', method: 'POST', path: comments, kind: 'no-answer' });
    sandbox.injectFault({ source: 'facebook', method: 'GET', path: comments, kind: 'server-error', times: 3 });
    const error = await settle(reply(review, 'Thanks!', { adapters: adapters(), timeoutMs: TIMEOUT_MS, ...FAST }));
    expect(ReviewkitError.is(error) && error.code).toBe('TIMEOUT');
    expect((error as Error).message).toMatch(/Reading back whether it was posted failed too .*look before answering again, or the reply may appear twice\.$/);
    expect(logged(sandbox).map(([method]) => method)).toEqual(['POST', 'GET', 'GET', 'GET']);
    expect(held(sandbox, 'facebook', review.externalId).replies).toHaveLength(1);
    expectNoSecrets(error, credentials(sandbox));
  });

  it('deletes the Page’s comments on the story; the next fetch shows no reply', async () => {
    const { review, comments } = await recommendation();
    await reply(review, 'First.', { adapters: adapters() });
    await reply(review, 'Second.', { adapters: adapters() });
    const ids = held(sandbox, 'facebook', review.externalId).replies;
    expect(ids).toHaveLength(2);
    sandbox.clearRequests();
    expect(await deleteReply(review, { adapters: adapters() })).toEqual({ status: 'published', reply: null });
    expect(logged(sandbox).map(([method, path]) => `${method} ${path === comments ? 'comments' : /^\/v21\.0\/\d+_\d+$/.test(path) ? 'comment' : path}`)).toEqual([
      'GET comments',
      'DELETE comment',
      'DELETE comment',
    ]);
    expect((await fetched(sandbox, 'facebook', review.externalId)).replies).toEqual([]);
    expect(await deleteReply(review, { adapters: adapters() })).toEqual({
      status: 'published',
      reply: null,
      reason: 'facebook: the Page had no comment on this recommendation.',
    });
  });

  it('cannot answer from Graph v22.0 on (recommendations answer error 12), nor a rating without a story', async () => {
    const { review } = await recommendation();
    const v22 = [facebook({ ...sandbox.adapterOptions('facebook'), apiVersion: 'v22.0' })];
    const expected = {
      status: 'unsupported',
      reply: null,
      reason: 'facebook: Graph API v22.0 cannot reach recommendations (error 12 from v22.0 on), so it cannot answer them: set `apiVersion` to v21.0 or earlier.',
    };
    expect(await reply(review, 'Hi', { adapters: v22 })).toEqual(expected);
    expect(await deleteReply(review, { adapters: v22 })).toEqual(expected);
    // An old star rating without open_graph_story: its id is a hash.
    const starRating: Review = { ...review, externalId: '7d44cfbbbf52b288', id: 'facebook:7d44cfbbbf52b288', extra: { ...review.extra, hasStory: false } };
    const noStory = 'facebook: this rating has no open_graph_story (an old star rating with a synthetic id): Graph offers nothing to comment on.';
    expect(await reply(starRating, 'Hi', { adapters: adapters() })).toEqual({ status: 'unsupported', reply: null, reason: noStory });
    expect(await deleteReply(starRating, { adapters: adapters() })).toEqual({ status: 'unsupported', reply: null, reason: noStory });
    // A review stored before `extra.hasStory`: the hex id gives it away.
    const { hasStory: _, ...olderExtra } = starRating.extra;
    expect((await reply({ ...starRating, extra: olderExtra }, 'Hi', { adapters: adapters() })).reason).toBe(noStory);
    expect(sandbox.requests).toEqual([]);
  });

  it('rejects with a secret-free AUTH error for a bad token', async () => {
    const { review } = await recommendation();
    const wrong = 'EAAWrongPageToken1234567890abcdefghij';
    const error = await settle(reply(review, 'Hi', { adapters: [facebook({ ...sandbox.adapterOptions('facebook'), accessToken: wrong })] }));
    expect(ReviewkitError.is(error) && [error.code, error.vendorCode]).toEqual(['AUTH', '190']);
    expectNoSecrets(error, credentials(sandbox, [wrong]));
    expectNoSecrets(sandbox.requests, [wrong]);
  });
});

describe('facebook replies refused by Graph', () => {
  let server: FixtureServer;
  const PAGE = '1234567890';
  const STORY = '10160000000000001';
  const TOKEN = 'EAAGm0PX4ZCpsBAKx9Zb7QvT2yLrN5wUeHd3fJc8sPq1ZAiO6tYgkW';
  beforeEach(async () => {
    server = await startFixtureServer([]);
  });
  afterEach(() => server.close());
  const review: Review = {
    id: `facebook:${STORY}`,
    source: 'facebook',
    externalId: STORY,
    subject: { id: PAGE, name: 'Acme Corner Bakery' },
    url: null,
    author: { name: 'Ada Testwell', id: null, url: null, avatarUrl: null },
    rating: null,
    stars: null,
    recommendation: 'positive',
    polarity: 'positive',
    title: null,
    text: 'Best sourdough in town.',
    language: null,
    createdAt: new Date('2024-02-11T19:03:52.000Z'),
    updatedAt: null,
    datePrecision: 'instant',
    replies: [],
    helpfulVotes: null,
    extra: { hasRating: false, hasReview: true, hasStory: true },
  };
  const source = () => [facebook({ accessToken: TOKEN, pageId: PAGE, baseUrl: server.url })];
  const graphError = (code: number, message: string) => ({ error: { message, type: 'OAuthException', code, fbtrace_id: 'AbCdEfGhIjK' } });

  it('a missing permission resolves unsupported, naming the permissions commenting as the Page needs', async () => {
    server.reset([
      { method: 'POST', path: `/v21.0/${STORY}/comments`, status: 403, body: graphError(200, '(#200) Permissions error') },
    ]);
    const result = await reply(review, 'Thank you!', { adapters: source() });
    expect(result.status).toBe('unsupported');
    expect(result.reason).toMatch(/^facebook: Graph refused to let this token answer as the Page\. facebook: POST .* failed with HTTP 403 200: \(#200\) Permissions error/);
    expect(result.reason).toContain(
      'Answering needs a Page access token with pages_manage_engagement, pages_read_engagement and pages_read_user_engagement, of a person who can do the MODERATE and CREATE_CONTENT tasks on the Page',
    );
    expect(server.requests.map((r) => [r.method, JSON.parse(r.body) as unknown])).toEqual([['POST', { message: 'Thank you!' }]]);
    expectNoSecrets(result, [TOKEN]);
  });

  it('error 12 on the write (Graph gave up recommendations for this version) resolves unsupported', async () => {
    server.reset([
      { method: 'POST', path: `/v21.0/${STORY}/comments`, status: 400, body: graphError(12, '(#12) This endpoint is deprecated') },
    ]);
    const result = await reply(review, 'Thank you!', { adapters: source() });
    expect(result).toMatchObject({ status: 'unsupported', reply: null, reason: expect.stringMatching(/^facebook: Graph no longer serves recommendations to this version \(error 12\)/) });
  });
});
