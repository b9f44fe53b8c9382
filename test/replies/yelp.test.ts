// Answering Yelp reviews through the sandbox's partner Respond-to-Reviews API. Fusion never shows
// owner comments, so "the next fetch" cannot show the reply: what holds is that the partner API
// accepted it (200) and the sandbox's Yelp holds it (`reviews('yelp')`).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { yelp } from '../../adapters/yelp.js';
import { YELP_BUSINESS_USER_TOKEN, YELP_OTHER_BUSINESS_USER_TOKEN } from '../../sandbox/sources/yelp.js';
import { deleteReply, type Review, ReviewkitError, reply } from '../../src/index.js';
import { createSandbox, expectNoSecrets, type Sandbox } from '../../testing/index.js';
import { credentials, fetchAll, held, logged, settle } from './support.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox({ seed: 7, retryAfterSeconds: 0 });
});
afterEach(() => sandbox.close());

const NOW = new Date('2026-06-02T10:00:00.000Z');
/** The client's wait for an answer the sandbox holds back: long enough for a busy machine to deliver the request first. */
const TIMEOUT_MS = 1500;
const adapters = () => sandbox.adapters(['yelp']);
const secrets = () => credentials(sandbox, [YELP_OTHER_BUSINESS_USER_TOKEN]);
const NEEDS_PARTNER_ACCESS =
  "yelp: answering Yelp reviews needs Yelp's partner Respond-to-Reviews API: membership of the Yelp Partner APIs programme, " +
  "a claimed business with the Respond-to-Reviews feature, and the business owner's authorization through Yelp's OAuth flow, " +
  'which gives the business-user token to pass as `businessUserToken`. A Fusion API key cannot reply.';

/** The first review Fusion lists (one of its three excerpts). */
async function listed(index = 0): Promise<{ review: Review; path: string }> {
  const review = (await fetchAll(sandbox, 'yelp'))[index];
  if (review === undefined) throw new Error('yelp lists nothing');
  sandbox.clearRequests();
  return { review, path: `/reviews/v1/${review.externalId}` };
}

describe('yelp replies', () => {
  it('posts a public comment through the partner API; Yelp holds it, Fusion does not show it', async () => {
    const { review, path } = await listed();
    const text = 'Thank you for the kind words, see you soon.';
    const result = await reply(review, text, { adapters: adapters(), now: NOW });
    expect(result).toEqual({ status: 'published', reply: { text, createdAt: NOW, author: null } });
    expect(logged(sandbox)).toEqual([['POST', path, 200, null]]);
    expect(held(sandbox, 'yelp', review.externalId).replies).toEqual([{ text, createdAt: sandbox.now(), author: 'Jordan S.' }]);
    // Fusion returns no owner comments, so the next fetch cannot show it.
    const again = (await fetchAll(sandbox, 'yelp')).find((r) => r.externalId === review.externalId);
    expect(again?.replies).toEqual([]);
    expectNoSecrets([result, sandbox.requests], secrets());
  });

  it('refuses a text over 5,000 characters or with emoji without any request', async () => {
    const { review } = await listed();
    expect(await reply(review, 'a'.repeat(5001), { adapters: adapters() })).toEqual({
      status: 'rejected',
      reply: null,
      reason: 'yelp: the reply is 5,001 characters; at most 5,000 are allowed.',
    });
    expect(await reply(review, 'Thank you 🙏', { adapters: adapters() })).toEqual({
      status: 'rejected',
      reply: null,
      reason: 'yelp: the source refuses replies containing emoji.',
    });
    expect(sandbox.requests).toEqual([]);
    // What the check spares: Yelp answers emoji with its "Internal Error".
    const answer = await fetch(`${sandbox.url}/reviews/v1/${review.externalId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${YELP_BUSINESS_USER_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ response_text: 'Thank you 🙏', response_type: 'public_comment' }),
    });
    expect([answer.status, await answer.json()]).toEqual([500, { error: { id: 'INTERNAL_ERROR', description: 'Internal Error', http_code: 500 } }]);
  });

  it('a second answer replaces the first (one comment per review); the same text again is refused as too similar', async () => {
    const { review, path } = await listed();
    await reply(review, 'Thanks for coming.', { adapters: adapters() });
    expect((await reply(review, 'Thanks for coming, and for the tip about the bread.', { adapters: adapters() })).status).toBe('published');
    expect(held(sandbox, 'yelp', review.externalId).replies.map((r) => r.text)).toEqual(['Thanks for coming, and for the tip about the bread.']);
    sandbox.clearRequests();
    expect(await reply(review, 'Thanks for coming, and for the tip about the bread.', { adapters: adapters() })).toEqual({
      status: 'rejected',
      reply: null,
      reason: 'yelp: Yelp refused the text (R2R_INVALID_RESPONSE_TEXT): it is empty, over 5,000 characters, uses foul language, or is too similar to a comment already posted.',
    });
    expect(logged(sandbox)).toEqual([['POST', path, 400, null]]);
  });

  it('another business user’s comment makes the answer unsupported, with Yelp’s reason', async () => {
    const { review } = await listed();
    const manager = [yelp({ ...sandbox.adapterOptions('yelp'), businessUserToken: YELP_OTHER_BUSINESS_USER_TOKEN })];
    expect((await reply(review, 'Thanks from the manager.', { adapters: manager })).status).toBe('published');
    const result = await reply(review, 'Thanks from the owner.', { adapters: adapters() });
    expect(result).toMatchObject({
      status: 'unsupported',
      reply: null,
      reason: expect.stringMatching(/^yelp: Yelp refused to let this business user answer \(R2R_PERMISSION_DENIED\): .*Review already has a comment by a different business user\./),
    });
    expect(held(sandbox, 'yelp', review.externalId).replies).toEqual([{ text: 'Thanks from the manager.', createdAt: expect.any(Date), author: 'Casey M.' }]);
    expectNoSecrets(result, secrets());
  });

  it('maps the daily quota (a 400) to RATE_LIMITED and does not retry it', async () => {
    const { review, path } = await listed();
    for (let n = 1; n <= 20; n++) expect((await reply(review, `Thank you, note ${n}.`, { adapters: adapters() })).status).toBe('published');
    sandbox.clearRequests();
    const error = await settle(reply(review, 'Thank you, note 21.', { adapters: adapters(), retry: { attempts: 3, baseDelayMs: 1 } }));
    expect(ReviewkitError.is(error) && [error.code, error.status, error.vendorCode]).toEqual(['RATE_LIMITED', 400, 'R2R_COMMENT_QUOTA_EXCEEDED']);
    expect((error as Error).message).toContain('Yelp allows 20 comments per location per business owner a day: answer the rest tomorrow.');
    expect(logged(sandbox)).toEqual([['POST', path, 400, null]]);
    expectNoSecrets(error, secrets());
  });

  it('without a business-user token, says what access answering needs, and sends nothing', async () => {
    const { review } = await listed();
    const { businessUserToken: _, ...fusionOnly } = sandbox.adapterOptions('yelp');
    const readOnly = [yelp(fusionOnly)];
    expect(await reply(review, 'Thanks!', { adapters: readOnly })).toEqual({ status: 'unsupported', reply: null, reason: NEEDS_PARTNER_ACCESS });
    expect(await deleteReply(review, { adapters: readOnly })).toEqual({ status: 'unsupported', reply: null, reason: NEEDS_PARTNER_ACCESS });
    expect(sandbox.requests).toEqual([]);
  });

  it('keeps the business-user token out of the resume key: a renewed token keeps sync’s place', () => {
    const { businessUserToken: _, ...fusionOnly } = sandbox.adapterOptions('yelp');
    const keys = [yelp(fusionOnly), yelp(sandbox.adapterOptions('yelp')), yelp({ ...fusionOnly, businessUserToken: 'renewed' })].map((a) => a.resumeKey);
    expect(new Set(keys).size).toBe(1);
  });

  it('cannot delete a comment: unsupported, with where to do it, and nothing sent', async () => {
    const { review } = await listed();
    expect(await deleteReply(review, { adapters: adapters() })).toEqual({
      status: 'unsupported',
      reply: null,
      reason: "yelp: Yelp's Respond-to-Reviews API has no way to remove a public comment; remove it on biz.yelp.com.",
    });
    expect(sandbox.requests).toEqual([]);
  });

  it('rejects with a secret-free AUTH error for an expired or wrong token', async () => {
    const { review } = await listed();
    const wrong = 'ybuExpiredToken0123456789abcdefghijklmnopqrstuvwxyz';
    const error = await settle(reply(review, 'Thanks!', { adapters: [yelp({ ...sandbox.adapterOptions('yelp'), businessUserToken: wrong })] }));
    expect(ReviewkitError.is(error) && [error.code, error.status, error.vendorCode]).toEqual(['AUTH', 401, 'INVALID_TOKEN']);
    expect((error as Error).message).toContain('The business-user token is expired (they last 7 days)');
    expectNoSecrets(error, [...secrets(), wrong]);
  });

  it('never sends twice: after a lost answer it says to look first (the comment was stored)', async () => {
    const { review, path } = await listed();
    sandbox.injectFault({ source: 'yelp', method: 'POST', path, kind: 'no-answer' });
    const error = await settle(reply(review, 'Thanks!', { adapters: adapters(), timeoutMs: TIMEOUT_MS }));
    expect(ReviewkitError.is(error) && error.code).toBe('TIMEOUT');
    expect((error as Error).message).toMatch(/Yelp may have posted the response all the same, and offers no way to read it back: look at the review on biz\.yelp\.com before answering again/);
    expect(logged(sandbox)).toEqual([['POST', path, 0, 'no-answer']]);
    expect(held(sandbox, 'yelp', review.externalId).replies.map((r) => r.text)).toEqual(['Thanks!']);
  });

  it('never sends twice after a 5xx either (here nothing was stored)', async () => {
    const { review, path } = await listed();
    sandbox.injectFault({ source: 'yelp', method: 'POST', path, kind: 'server-error' });
    const error = await settle(reply(review, 'Thanks!', { adapters: adapters() }));
    expect(ReviewkitError.is(error) && [error.code, error.status, error.vendorCode]).toEqual(['HTTP', 500, 'INTERNAL_ERROR']);
    expect(logged(sandbox)).toEqual([['POST', path, 500, 'server-error']]);
    expect(held(sandbox, 'yelp', review.externalId).replies).toEqual([]);
  });

  it('validates the request as Yelp does: the body, the response type and the review id', async () => {
    const { review } = await listed();
    const post = async (id: string, body: unknown) => {
      const answer = await fetch(`${sandbox.url}/reviews/v1/${id}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${YELP_BUSINESS_USER_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return [answer.status, ((await answer.json()) as { error: { id: string } }).error.id];
    };
    expect(await post(review.externalId, { response_text: 'Hi there' })).toEqual([400, 'INVALID_REQUEST']);
    expect(await post(review.externalId, { response_text: 'Hi there', response_type: 'public_comment', extra: 1 })).toEqual([400, 'INVALID_REQUEST']);
    expect(await post(review.externalId, { response_text: 'Hi there', response_type: 'private_message' })).toEqual([400, 'R2R_INVALID_RESPONSE_TYPE']);
    expect(await post('NoSuchReview0000000000', { response_text: 'Hi there', response_type: 'public_comment' })).toEqual([400, 'R2R_REVIEW_DOES_NOT_EXIST']);
    expect(await post(review.externalId, { response_text: '  ', response_type: 'public_comment' })).toEqual([400, 'R2R_INVALID_RESPONSE_TEXT']);
    const unauthorized = await fetch(`${sandbox.url}/reviews/v1/${review.externalId}`, { method: 'POST', body: '{}' });
    expect(unauthorized.status).toBe(401);
  });
});
