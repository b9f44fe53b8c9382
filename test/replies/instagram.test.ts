// Answering Instagram comments through the sandbox: a reply to a comment on the account's media,
// written once even when its answer is lost, read back as the review's reply, and removed; media
// that tag the account cannot be answered.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instagram } from '../../adapters/instagram.js';
import { deleteReply, type Review, ReviewkitError, reply } from '../../src/index.js';
import { createSandbox, expectNoSecrets, type Sandbox, startFixtureServer } from '../../testing/index.js';
import { credentials, fetchAll, fetched, held, logged, settle } from './support.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox({ seed: 6, retryAfterSeconds: 0 });
});
afterEach(() => sandbox.close());

const NOW = new Date('2026-06-02T10:00:00.000Z');
/** The client's wait for an answer the sandbox holds back: long enough for a busy machine to deliver the request first. */
const TIMEOUT_MS = 1500;
const FAST = { retry: { baseDelayMs: 1, maxDelayMs: 5 } } as const;
const adapters = () => sandbox.adapters(['instagram']);
const TAGGED =
  'instagram: this review is a media in which the account was tagged, and Instagram does not let an account answer those ' +
  '("Commenting on photos in which you were tagged is not supported"); answer in the Instagram app.';

/** A fresh comment under the account's newest post, as the adapter fetches it. */
async function comment(): Promise<{ review: Review; replies: string }> {
  const { externalId } = await sandbox.addReview('instagram', { text: 'Is the terrace open on Sundays?', authorName: 'Mia Sample' });
  const review = await fetched(sandbox, 'instagram', externalId);
  sandbox.clearRequests();
  return { review, replies: `/v24.0/${externalId}/replies` };
}

describe('instagram replies', () => {
  it('replies to the comment as the account; the next fetch shows it as replies[0]', async () => {
    const { review, replies } = await comment();
    expect([review.extra.kind, review.replies]).toEqual(['comment', []]);
    const text = 'It is, from 10 am. See you there!';
    const result = await reply(review, text, { adapters: adapters(), now: NOW });
    expect(result).toEqual({ status: 'published', reply: { text, createdAt: NOW, author: 'sandboxbistro' } });
    expect(logged(sandbox)).toEqual([['POST', replies, 200, null]]);
    expect((await fetched(sandbox, 'instagram', review.externalId)).replies).toEqual([{ text, createdAt: sandbox.now(), author: 'sandboxbistro' }]);
    expectNoSecrets([result, sandbox.requests], credentials(sandbox));
  });

  it('refuses a text over 2,200 characters without any request', async () => {
    const { review } = await comment();
    expect(await reply(review, '🙂'.repeat(2201), { adapters: adapters() })).toEqual({
      status: 'rejected',
      reply: null,
      reason: 'instagram: the reply is 2,201 characters; at most 2,200 are allowed.',
    });
    expect(sandbox.requests).toEqual([]);
  });

  it('cannot answer a media that tags the account, nor a hidden comment: nothing is sent', async () => {
    const tag = (await fetchAll(sandbox, 'instagram')).find((r) => r.extra.kind === 'tag');
    if (tag === undefined) throw new Error('the sandbox holds no tag');
    sandbox.clearRequests();
    expect(await reply(tag, 'Thanks for the tag!', { adapters: adapters() })).toEqual({ status: 'unsupported', reply: null, reason: TAGGED });
    expect(await deleteReply(tag, { adapters: adapters() })).toEqual({ status: 'unsupported', reply: null, reason: TAGGED });
    const { review } = await comment();
    const hidden = { ...review, extra: { ...review.extra, hidden: true } };
    expect(await reply(hidden, 'Hi', { adapters: adapters() })).toEqual({
      status: 'unsupported',
      reply: null,
      reason: 'instagram: the comment is hidden, and Instagram does not allow replies to hidden comments: unhide it first.',
    });
    expect(sandbox.requests).toEqual([]);
    // The API itself has no reply edge on a media: the sandbox answers as Graph does for an unknown object.
    const answer = await fetch(`${sandbox.url}/v24.0/${tag.externalId}/replies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.adapterOptions('instagram').accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Hi' }),
    });
    expect([answer.status, ((await answer.json()) as { error: { code: number } }).error.code]).toEqual([400, 100]);
  });

  it('after a timeout, reads the replies back and finds the reply: no second post', async () => {
    const { review, replies } = await comment();
    sandbox.injectFault({ source: 'instagram', method: 'POST', path: replies, kind: 'no-answer' });
    const result = await reply(review, 'Yes, all day.', { adapters: adapters(), timeoutMs: TIMEOUT_MS, now: NOW });
    expect(result).toEqual({ status: 'published', reply: { text: 'Yes, all day.', createdAt: sandbox.now(), author: 'sandboxbistro' } });
    expect(logged(sandbox)).toEqual([
      ['POST', replies, 0, 'no-answer'],
      ['GET', replies, 200, null],
    ]);
    expect(held(sandbox, 'instagram', review.externalId).replies.map((r) => r.text)).toEqual(['Yes, all day.']);
  });

  it('after a 5xx before anything was stored, finds nothing and posts once more: exactly one reply', async () => {
    const { review, replies } = await comment();
    sandbox.injectFault({ source: 'instagram', method: 'POST', path: replies, kind: 'server-error' });
    expect((await reply(review, 'Yes, all day.', { adapters: adapters() })).status).toBe('published');
    expect(logged(sandbox)).toEqual([
      ['POST', replies, 500, 'server-error'],
      ['GET', replies, 200, null],
      ['POST', replies, 200, null],
    ]);
    expect((await fetched(sandbox, 'instagram', review.externalId)).replies.map((r) => r.text)).toEqual(['Yes, all day.']);
  });

  it('rejects with the 5xx when every send fails, having stored nothing', async () => {
    const { review, replies } = await comment();
    sandbox.injectFault({ source: 'instagram', method: 'POST', path: replies, kind: 'server-error', times: 3 });
    const error = await settle(reply(review, 'Hello?', { adapters: adapters(), ...FAST }));
    expect(ReviewkitError.is(error) && [error.code, error.status]).toEqual(['HTTP', 500]);
    expect(logged(sandbox).filter(([method]) => method === 'POST')).toHaveLength(3);
    expect(held(sandbox, 'instagram', review.externalId).replies).toEqual([]);
    expectNoSecrets(error, credentials(sandbox));
  });

  it('deletes the account’s replies to the comment; the next fetch shows none', async () => {
    const { review, replies } = await comment();
    await reply(review, 'Yes!', { adapters: adapters() });
    sandbox.clearRequests();
    expect(await deleteReply(review, { adapters: adapters() })).toEqual({ status: 'published', reply: null });
    expect(logged(sandbox).map(([method, path]) => `${method} ${path === replies ? 'replies' : /^\/v24\.0\/\d+$/.test(path) ? 'reply' : path}`)).toEqual([
      'GET replies',
      'DELETE reply',
    ]);
    expect((await fetched(sandbox, 'instagram', review.externalId)).replies).toEqual([]);
  });

  it('a reply to a reply lands on the top-level comment, as Instagram documents', async () => {
    const { review } = await comment();
    const post = async (id: string, message: string) => {
      const answer = await fetch(`${sandbox.url}/v24.0/${id}/replies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sandbox.adapterOptions('instagram').accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message }),
      });
      return ((await answer.json()) as { id: string }).id;
    };
    const first = await post(review.externalId, 'First answer.');
    await post(first, 'An answer to the answer.');
    expect((await fetched(sandbox, 'instagram', review.externalId)).replies.map((r) => r.text)).toEqual(['First answer.', 'An answer to the answer.']);
  });

  it('a missing permission resolves unsupported, naming what replying needs', async () => {
    const { review } = await comment();
    const server = await startFixtureServer([
      {
        method: 'POST',
        path: `/v24.0/${review.externalId}/replies`,
        status: 403,
        body: { error: { message: '(#10) Application does not have permission for this action', type: 'OAuthException', code: 10, fbtrace_id: 'AbCdEfGhIjK' } },
      },
    ]);
    try {
      const result = await reply(review, 'Hi', { adapters: [instagram({ ...sandbox.adapterOptions('instagram'), baseUrl: server.url })] });
      expect(result.status).toBe('unsupported');
      expect(result.reason).toMatch(/^instagram: Graph refused to let this token reply to comments\. instagram: POST .* failed with HTTP 403 10: \(#10\) Application does not have permission/);
      expect(result.reason).toContain('(and pages_show_list to reply, and a task on the linked Facebook Page); with Instagram Login, instagram_business_basic and instagram_business_manage_comments');
      expect(server.requests).toHaveLength(1);
      expectNoSecrets(result, credentials(sandbox));
    } finally {
      await server.close();
    }
  });

  it('rejects with a secret-free AUTH error for a bad token', async () => {
    const { review } = await comment();
    const wrong = 'EAAWrongInstagramToken1234567890abcdef';
    const error = await settle(reply(review, 'Hi', { adapters: [instagram({ ...sandbox.adapterOptions('instagram'), accessToken: wrong })] }));
    expect(ReviewkitError.is(error) && [error.code, error.vendorCode]).toEqual(['AUTH', '190']);
    expectNoSecrets(error, credentials(sandbox, [wrong]));
  });
});
