// Answering Google Play reviews against the sandbox: POST …:reply (an upsert), the ~350-character
// rule counted without HTML tags, no delete, and the daily reply quota as RATE_LIMITED with its reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googlePlay } from '../../adapters/google-play.js';
import { createSandbox, type Sandbox } from '../../sandbox/index.js';
import { deleteReply, type Review, ReviewkitError, reply } from '../../src/index.js';
import { expectNoSecrets } from '../../src/testing/index.js';
import { fetchReview, first, reviewsOf, writesAndLookups } from './helpers.js';

const SOURCE = 'google-play';
let sandbox: Sandbox;
let token: string;
let replyPath: (review: Review) => string;
beforeAll(async () => {
  sandbox = await createSandbox({ seed: 43 });
  const options = sandbox.adapterOptions(SOURCE);
  token = options.accessToken;
  replyPath = (review) => `/androidpublisher/v3/applications/${options.packageName}/reviews/${encodeURIComponent(review.externalId)}:reply`;
});
afterAll(() => sandbox.close());

const adapters = () => sandbox.adapters();

describe('reply', () => {
  it('posts the reply, and the next fetch shows it as replies[0]; a second reply replaces it', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    sandbox.clearRequests();
    const result = await reply(review, 'Thanks! Dark mode is in 4.3.', { adapters: adapters() });
    expect(result).toEqual({ status: 'published', reply: { text: 'Thanks! Dark mode is in 4.3.', createdAt: sandbox.now(), author: null } });
    expect(writesAndLookups(sandbox)).toEqual([`POST ${replyPath(review)}`]);
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies).toEqual([{ text: 'Thanks! Dark mode is in 4.3.', createdAt: sandbox.now(), author: null }]);

    await reply(review, 'Dark mode is out.', { adapters: adapters() });
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies.map((r) => r.text)).toEqual(['Dark mode is out.']);
  });

  it('refuses more than 350 characters without a request, counting the text without its HTML tags, which Google strips', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    sandbox.clearRequests();
    expect(await reply(review, 'a'.repeat(351), { adapters: adapters() })).toEqual({
      status: 'rejected',
      reply: null,
      reason: 'google-play: the reply is 351 characters (HTML tags aside); at most 350 are allowed.',
    });
    expect(sandbox.requests).toEqual([]);
    const tagged = `<b>${'a'.repeat(350)}</b>`;
    expect(await reply(review, tagged, { adapters: adapters() })).toEqual({
      status: 'published',
      reply: { text: 'a'.repeat(350), createdAt: sandbox.now(), author: null },
    });
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies[0]?.text).toBe('a'.repeat(350));
  });

  it('cannot delete a reply, says so, and sends nothing', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).answered);
    sandbox.clearRequests();
    expect(await deleteReply(review, { adapters: adapters() })).toEqual({
      status: 'unsupported',
      reply: null,
      reason:
        'google-play: the Google Play Developer API cannot delete a reply (its reviews resource offers get, list and reply only); delete it in Play Console, or replace it with reply().',
    });
    expect(sandbox.requests).toEqual([]);
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies).toHaveLength(1);
  });

  it('never shows the token in a result, an error or the request log', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    const result = await reply(review, 'Thanks!', { adapters: adapters() });
    const wrong = googlePlay({ ...sandbox.adapterOptions(SOURCE), accessToken: 'ya29.c.WRONG-play-token-0042' });
    const error = await reply(review, 'Thanks!', { adapters: [wrong], retry: { attempts: 1 } }).catch((e: unknown) => e);
    expect(ReviewkitError.is(error) && [error.code, error.status]).toEqual(['AUTH', 401]);
    expectNoSecrets({ result, error, requests: sandbox.requests }, [token, 'ya29.c.WRONG-play-token-0042']);
    expectNoSecrets(error, [token, 'ya29.c.WRONG-play-token-0042']);
  });
});

describe('the daily reply quota', () => {
  it('is RATE_LIMITED once spent, not retried, and says when it comes back: midnight Pacific time', async () => {
    const small = await createSandbox({ seed: 43, replyQuota: { 'google-play': 2 } });
    try {
      const [a, b] = (await reviewsOf(small, SOURCE)).unanswered;
      if (a === undefined || b === undefined) throw new Error('two unanswered reviews expected');
      const now = new Date('2026-06-01T12:00:00Z');
      expect((await reply(a, 'One.', { adapters: small.adapters(), now })).status).toBe('published');
      expect((await reply(b, 'Two.', { adapters: small.adapters(), now })).status).toBe('published');
      small.clearRequests();
      const error = await reply(a, 'Three.', { adapters: small.adapters(), now }).catch((e: unknown) => e);
      if (!ReviewkitError.is(error)) throw new Error('expected a ReviewkitError');
      // Summer time: midnight in Los Angeles is 07:00 UTC, 19 hours after `now`.
      expect([error.code, error.status, error.vendorCode, error.retryAfterMs]).toEqual(['RATE_LIMITED', 403, 'PERMISSION_DENIED', 19 * 3_600_000]);
      expect(error.message).toContain("limit 'Reply requests per day per app'");
      expect(error.message).toContain('Google Play accepts 2,000 replies a day per app (ask for more in Play Console); the quota day ends at midnight Pacific time (2026-06-02T07:00:00.000Z).');
      expect(writesAndLookups(small)).toEqual([`POST ${replyPath(a)}`]);
      expect((await fetchReview(small, SOURCE, a.externalId)).replies.map((r) => r.text)).toEqual(['One.']);

      // In winter, midnight in Los Angeles is 08:00 UTC.
      const winter = await reply(a, 'Three.', { adapters: small.adapters(), now: new Date('2026-01-15T20:30:00Z') }).catch((e: unknown) => e);
      expect(ReviewkitError.is(winter) && winter.retryAfterMs).toBe(11.5 * 3_600_000);

      // The sandbox's quota day ends with the Pacific day of its clock.
      await small.addReview(SOURCE, { createdAt: new Date('2026-06-02T07:00:00Z') });
      expect((await reply(a, 'Three.', { adapters: small.adapters(), now })).status).toBe('published');
    } finally {
      await small.close();
    }
  });

  it('replyQuota is checked like every sandbox option', async () => {
    await expect(createSandbox({ replyQuota: { 'google-play': -1 } })).rejects.toMatchObject({ code: 'CONFIG', message: 'sandbox: option `replyQuota.google-play` must be a whole number from 0 to 1000000.' });
    await expect(createSandbox({ replyQuota: { nowhere: 1 } as never })).rejects.toMatchObject({ code: 'CONFIG' });
  });
});

describe('the sandboxed reply endpoint', () => {
  it('requires replyText, strips HTML, refuses more than 350 characters, and takes POST only', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    const post = (body: unknown) =>
      fetch(`${sandbox.url}${replyPath(review)}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const statusOf = async (response: Response) => [response.status, ((await response.json()) as { error?: { status?: string } }).error?.status];
    expect(await statusOf(await post({}))).toEqual([400, 'INVALID_ARGUMENT']);
    expect(await statusOf(await post({ replyText: '<p></p>' }))).toEqual([400, 'INVALID_ARGUMENT']);
    expect(await statusOf(await post({ replyText: 'b'.repeat(351) }))).toEqual([400, 'INVALID_ARGUMENT']);
    const ok = await post({ replyText: '<i>Thanks</i> a lot' });
    expect(await ok.json()).toEqual({ result: { replyText: 'Thanks a lot', lastEdited: { seconds: String(sandbox.now().getTime() / 1000) } } });
    const read = await fetch(`${sandbox.url}${replyPath(review)}`, { headers: { authorization: `Bearer ${token}` } });
    expect([read.status, read.headers.get('allow')]).toEqual([405, 'POST']);
  });
});
