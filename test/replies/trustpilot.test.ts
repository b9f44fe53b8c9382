// Answering Trustpilot reviews against the sandbox. The reply is an append-style write: it is sent
// once, and after a lost answer (timeout, cut connection) or a server error the review is read back
// and the reply sent again only when it is not there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustpilot } from '../../adapters/trustpilot.js';
import { createSandbox, type Sandbox } from '../../sandbox/index.js';
import { deleteReply, type Review, ReviewkitError, reply } from '../../src/index.js';
import { expectNoSecrets } from '../../src/testing/index.js';
import { fetchReview, first, reviewsOf, writesAndLookups } from './helpers.js';

const SOURCE = 'trustpilot';
const REPLY = /^\/v1\/private\/reviews\/[^/]+\/reply$/;
let sandbox: Sandbox;
let secrets: string[];
beforeAll(async () => {
  sandbox = await createSandbox({ seed: 44 });
  const { apiKey, accessToken = '' } = sandbox.adapterOptions(SOURCE);
  secrets = [apiKey, accessToken];
});
afterAll(() => sandbox.close());

const adapters = () => sandbox.adapters();
// Trustpilot's 201 carries no reply time: the result dates the reply by the caller's clock, here the sandbox's.
const pinned = () => ({ adapters: adapters(), now: sandbox.now() });
const replyPath = (review: Review) => `/v1/private/reviews/${review.externalId}/reply`;
const readBack = (review: Review) => `GET /v1/reviews/${review.externalId}`;
const unanswered = async (index = 0) => {
  const review = (await reviewsOf(sandbox, SOURCE)).unanswered[index];
  if (review === undefined) throw new Error('an unanswered review expected');
  return review;
};

describe('reply', () => {
  it('posts the reply once, and the next fetch shows it as replies[0]; a second reply replaces it', async () => {
    const review = await unanswered();
    sandbox.clearRequests();
    expect(await reply(review, 'Thank you, we are glad you enjoyed it.', pinned())).toEqual({
      status: 'published',
      reply: { text: 'Thank you, we are glad you enjoyed it.', createdAt: sandbox.now(), author: null },
    });
    expect(writesAndLookups(sandbox)).toEqual([`POST ${replyPath(review)}`]);
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies).toEqual([{ text: 'Thank you, we are glad you enjoyed it.', createdAt: sandbox.now(), author: null }]);

    await reply(review, 'Thank you again.', { adapters: adapters() });
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies.map((r) => r.text)).toEqual(['Thank you again.']);
  });

  it('checks no length (Trustpilot documents none), but refuses an empty reply without a request', async () => {
    const review = await unanswered();
    expect(sandbox.adapters([SOURCE])[0]?.replies?.rules).toEqual({});
    sandbox.clearRequests();
    expect(await reply(review, ' \n ', { adapters: adapters() })).toEqual({ status: 'rejected', reply: null, reason: 'trustpilot: the reply text is empty.' });
    expect(sandbox.requests).toEqual([]);
  });

  it('after a timeout, reads the review back and does not post twice when the reply arrived', async () => {
    const review = await unanswered();
    sandbox.clearRequests();
    sandbox.injectFault({ method: 'POST', path: REPLY, kind: 'slow-answer', delayMs: 5_000 });
    const result = await reply(review, 'Thanks for your patience.', { adapters: adapters(), timeoutMs: 400 });
    expect(result).toEqual({
      status: 'published',
      reply: { text: 'Thanks for your patience.', createdAt: sandbox.now(), author: null },
      reason: 'The answer to the post was lost, but reading the review back showed the reply in place.',
    });
    expect(writesAndLookups(sandbox)).toEqual([`POST ${replyPath(review)}`, readBack(review)]);
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies.map((r) => r.text)).toEqual(['Thanks for your patience.']);
  });

  it('after a cut connection, does the same', async () => {
    const review = await unanswered();
    sandbox.clearRequests();
    sandbox.injectFault({ method: 'POST', path: REPLY, kind: 'lost-answer' });
    expect(await reply(review, 'Thanks for writing.', { adapters: adapters() })).toMatchObject({ status: 'published', reply: { text: 'Thanks for writing.' } });
    expect(writesAndLookups(sandbox)).toEqual([`POST ${replyPath(review)}`, readBack(review)]);
    expect(sandbox.requests.find((r) => r.method === 'POST')?.status).toBe(0);
  });

  it('after a server error that stored nothing, reads back and posts again: exactly one reply', async () => {
    const review = await unanswered();
    sandbox.clearRequests();
    sandbox.injectFault({ method: 'POST', path: REPLY, kind: 'server-error' });
    expect(await reply(review, 'Sorry to hear that.', pinned())).toEqual({
      status: 'published',
      reply: { text: 'Sorry to hear that.', createdAt: sandbox.now(), author: null },
    });
    expect(writesAndLookups(sandbox)).toEqual([`POST ${replyPath(review)}`, readBack(review), `POST ${replyPath(review)}`]);
    expect(sandbox.requests.map((r) => r.fault)).toContain('server-error');
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies.map((r) => r.text)).toEqual(['Sorry to hear that.']);
  });

  it('does not take an earlier reply of other words for this one', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).answered);
    sandbox.clearRequests();
    sandbox.injectFault({ method: 'POST', path: REPLY, kind: 'server-error' });
    expect(await reply(review, 'An updated answer.', { adapters: adapters() })).toMatchObject({ status: 'published' });
    expect(writesAndLookups(sandbox)).toEqual([`POST ${replyPath(review)}`, readBack(review), `POST ${replyPath(review)}`]);
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies.map((r) => r.text)).toEqual(['An updated answer.']);
  });

  it('sends at most twice, and rejects with the server error when both fail', async () => {
    const review = await unanswered();
    sandbox.clearRequests();
    sandbox.injectFault({ method: 'POST', path: REPLY, kind: 'server-error', times: 2 });
    const error = await reply(review, 'Hello.', { adapters: adapters() }).catch((e: unknown) => e);
    expect(ReviewkitError.is(error) && error.code).toBe('HTTP');
    expect(ReviewkitError.is(error) && (error.status ?? 0) >= 500).toBe(true);
    expect(writesAndLookups(sandbox)).toEqual([`POST ${replyPath(review)}`, readBack(review), `POST ${replyPath(review)}`, readBack(review)]);
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies).toEqual([]);
  });

  it('neither reads back nor retries a refusal or rate limiting: those stored nothing', async () => {
    const review = await unanswered();
    sandbox.clearRequests();
    sandbox.injectFault({ method: 'POST', path: REPLY, kind: 'rate-limit' });
    const limited = await reply(review, 'Hello.', { adapters: adapters() }).catch((e: unknown) => e);
    expect(ReviewkitError.is(limited) && limited.code).toBe('RATE_LIMITED');
    const stranger = trustpilot({ ...sandbox.adapterOptions(SOURCE), businessUserId: '0123456789abcdef01234567' });
    const refused = await reply(review, 'Hello.', { adapters: [stranger] }).catch((e: unknown) => e);
    expect(ReviewkitError.is(refused) && [refused.code, refused.status]).toEqual(['FORBIDDEN', 403]);
    expect(ReviewkitError.is(refused) && refused.message).toBe(
      `trustpilot: POST ${sandbox.url}${replyPath(review)} failed with HTTP 403: Trustpilot refused the reply: \`businessUserId\` must be a business user of this business unit allowed to reply, and \`accessToken\` that user’s token (Trustpilot said: {"message":"Forbidden","details":"The business user cannot reply on behalf of this business unit"}). The credentials lack a permission or plan this endpoint needs.`,
    );
    expect(writesAndLookups(sandbox)).toEqual([`POST ${replyPath(review)}`, `POST ${replyPath(review)}`]);
  });

  it('is unsupported without a business user, saying what is needed, and sends nothing', async () => {
    const review = await unanswered();
    const { apiKey, businessUnitId, baseUrl } = sandbox.adapterOptions(SOURCE);
    const publicOnly = trustpilot({ apiKey, businessUnitId, baseUrl });
    sandbox.clearRequests();
    const expected = {
      status: 'unsupported',
      reply: null,
      reason:
        'trustpilot: answering needs a business user of this business unit: their OAuth `accessToken` (the password grant of POST /v1/oauth/oauth-business-users-for-applications/accesstoken, with the API key and secret) and their `businessUserId`.',
    };
    expect(await reply(review, 'Hi', { adapters: [publicOnly] })).toEqual(expected);
    expect(await deleteReply(review, { adapters: [publicOnly] })).toEqual(expected);
    const tokenOnly = trustpilot({ apiKey, businessUnitId, baseUrl, accessToken: 'SandboxTrustpilotBusinessUserToken0123456789' });
    expect(await reply(review, 'Hi', { adapters: [tokenOnly] })).toEqual(expected);
    expect(sandbox.requests).toEqual([]);
  });

  it('deletes the reply; deleting none is NOT_FOUND, saying so', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).answered);
    sandbox.clearRequests();
    expect(await deleteReply(review, { adapters: adapters() })).toEqual({ status: 'published', reply: null });
    expect(writesAndLookups(sandbox)).toEqual([`DELETE ${replyPath(review)}`]);
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies).toEqual([]);
    const again = await deleteReply(review, { adapters: adapters() }).catch((e: unknown) => e);
    expect(ReviewkitError.is(again) && [again.code, again.message]).toEqual([
      'NOT_FOUND',
      `trustpilot: DELETE ${sandbox.url}${replyPath(review)} failed with HTTP 404: Trustpilot has no such review, or (deleting) no reply to it: check the review id (Trustpilot said: {"message":"Not Found","details":"The review has no reply"}). Check the business / place / page id.`,
    ]);
  });

  it('never shows the API key or the token in a result, an error or the request log', async () => {
    const review = await unanswered();
    const result = await reply(review, 'Thanks!', { adapters: adapters() });
    const wrong = trustpilot({ ...sandbox.adapterOptions(SOURCE), accessToken: 'WRONG-trustpilot-token-0042' });
    const error = await reply(review, 'Thanks!', { adapters: [wrong] }).catch((e: unknown) => e);
    expect(ReviewkitError.is(error) && [error.code, error.status]).toEqual(['AUTH', 401]);
    expectNoSecrets({ result, error, requests: sandbox.requests }, [...secrets, 'WRONG-trustpilot-token-0042']);
    expectNoSecrets(error, [...secrets, 'WRONG-trustpilot-token-0042']);
  });
});

describe('the sandboxed reply endpoint', () => {
  it('needs the token, the business user and a message; answers 201 with no body; deletes with 204, then 404', async () => {
    const review = await unanswered();
    const { accessToken = '', businessUserId = '' } = sandbox.adapterOptions(SOURCE);
    const send = (method: string, body?: unknown, token = accessToken) =>
      fetch(`${sandbox.url}${replyPath(review)}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    expect((await send('POST', { authorBusinessUserId: businessUserId, message: 'Hi' }, 'nope')).status).toBe(401);
    expect((await send('POST', { message: 'Hi' })).status).toBe(400);
    expect((await send('POST', { authorBusinessUserId: businessUserId, message: '' })).status).toBe(400);
    const created = await send('POST', { authorBusinessUserId: businessUserId, message: 'Hi' });
    expect([created.status, await created.text()]).toEqual([201, '']);
    expect([(await send('DELETE')).status, (await send('DELETE')).status]).toEqual([204, 404]);
    const read = await fetch(`${sandbox.url}${replyPath(review)}`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect([read.status, read.headers.get('allow')]).toEqual([405, 'POST, DELETE']);
  });
});
