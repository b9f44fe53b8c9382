// Answering App Store reviews through App Store Connect against the sandbox: POST
// /v1/customerReviewResponses (create or overwrite), PENDING_PUBLISH reported as pending and kept
// out of `replies`, the 5,970-character rule, 409/422 refusals as `rejected`, and DELETE by the
// response id the review was read with (or looked up).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appStore, appStoreConnect } from '../../adapters/app-store/index.js';
import { createSandbox, type Sandbox } from '../../sandbox/index.js';
import { createReview, deleteReply, type Review, ReviewkitError, reply } from '../../src/index.js';
import { expectNoSecrets, startFixtureServer } from '../../src/testing/index.js';
import { fetchAll, fetchReview, first, reviewsOf, writesAndLookups } from './helpers.js';

const SOURCE = 'app-store-connect';
let sandbox: Sandbox;
let token: string;
beforeAll(async () => {
  sandbox = await createSandbox({ seed: 42 });
  token = sandbox.adapterOptions(SOURCE).token;
});
afterAll(() => sandbox.close());

const adapters = () => sandbox.adapters();
const responseIdOf = (review: Review): unknown => (review.extra.response as { id?: unknown } | undefined)?.id;

describe('reply', () => {
  it('posts the response, and the next fetch shows it as replies[0]; a second one overwrites it in place', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    sandbox.clearRequests();
    const result = await reply(review, 'Thanks! Offline mode ships in 4.4.', { adapters: adapters() });
    expect(result).toEqual({ status: 'published', reply: { text: 'Thanks! Offline mode ships in 4.4.', createdAt: sandbox.now(), author: null } });
    expect(writesAndLookups(sandbox)).toEqual(['POST /v1/customerReviewResponses']);
    const fetched = await fetchReview(sandbox, SOURCE, review.externalId);
    expect(fetched.replies).toEqual([{ text: 'Thanks! Offline mode ships in 4.4.', createdAt: sandbox.now(), author: null }]);

    await reply(fetched, 'Offline mode is out now.', { adapters: adapters() });
    const again = await fetchReview(sandbox, SOURCE, review.externalId);
    expect(again.replies.map((r) => r.text)).toEqual(['Offline mode is out now.']);
    expect(responseIdOf(again)).toBe(responseIdOf(fetched));
  });

  it('refuses a response over 5,970 characters without a request; 5,970 code points go through', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    sandbox.clearRequests();
    expect(await reply(review, 'a'.repeat(5971), { adapters: adapters() })).toEqual({
      status: 'rejected',
      reply: null,
      reason: 'app-store: the reply is 5,971 characters; at most 5,970 are allowed.',
    });
    expect(sandbox.requests).toEqual([]);
    // 5,970 emoji are 11,940 UTF-16 units: both sides count characters, not units.
    expect(await reply(review, '🙂'.repeat(5970), { adapters: adapters() })).toMatchObject({ status: 'published' });
  });

  it('reports PENDING_PUBLISH as pending, and the next fetch keeps it out of replies', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).answered);
    const text = 'Please write to us at https://sandboxbistro.example/support';
    expect(await reply(review, text, { adapters: adapters() })).toEqual({
      status: 'pending',
      reply: { text, createdAt: sandbox.now(), author: null },
      reason: 'App Store Connect holds the response (state PENDING_PUBLISH); it appears on the App Store once published.',
    });
    const fetched = await fetchReview(sandbox, SOURCE, review.externalId);
    expect(fetched.replies).toEqual([]);
    expect(fetched.extra.response).toEqual({ id: responseIdOf(review), state: 'PENDING_PUBLISH', text, lastModifiedDate: sandbox.now().toISOString() });
    expect(sandbox.reviews(SOURCE).find((r) => r.externalId === review.externalId)?.replies).toEqual([]);
  });

  it('reports a 409 refusal as rejected, with what App Store Connect said', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    const gone = { ...review, externalId: '00000000-0000-4000-8000-000000000000', id: 'app-store:00000000-0000-4000-8000-000000000000' };
    sandbox.clearRequests();
    const result = await reply(gone, 'Thanks!', { adapters: adapters() });
    expect(result).toMatchObject({ status: 'rejected', reply: null });
    expect(result.reason).toMatch(
      /^app-store: POST http:\/\/127\.0\.0\.1:\d+\/v1\/customerReviewResponses failed with HTTP 409 ENTITY_ERROR\.RELATIONSHIP\.INVALID: The provided entity includes a relationship 'review' with an invalid value\. \(error id [0-9a-f-]{36}\)\. App Store Connect refused the content sent; change it before sending it again$/,
    );
    // A refusal is not retried.
    expect(writesAndLookups(sandbox)).toEqual(['POST /v1/customerReviewResponses']);
  });

  it('deletes the response by the id the review was read with', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).answered);
    sandbox.clearRequests();
    expect(await deleteReply(review, { adapters: adapters() })).toEqual({ status: 'published', reply: null });
    expect(writesAndLookups(sandbox)).toEqual([`DELETE /v1/customerReviewResponses/${String(responseIdOf(review))}`]);
    expect((await fetchReview(sandbox, SOURCE, review.externalId)).replies).toEqual([]);
  });

  it('looks the response up when the review carries no id, or a stale one', async () => {
    const listed = await reviewsOf(sandbox, SOURCE);
    const unanswered = first(listed.unanswered);
    const answered = listed.answered[1] ?? first(listed.answered);
    // Read before it was answered: no id in `extra`.
    await reply(unanswered, 'Thanks for the feedback.', { adapters: adapters() });
    sandbox.clearRequests();
    expect(await deleteReply(unanswered, { adapters: adapters() })).toEqual({ status: 'published', reply: null });
    const id = responseIdOf(answered);
    expect(writesAndLookups(sandbox)[0]).toBe(`GET /v1/customerReviews/${unanswered.externalId}/response`);
    expect(writesAndLookups(sandbox)).toHaveLength(2);
    expect((await fetchReview(sandbox, SOURCE, unanswered.externalId)).replies).toEqual([]);
    // Deleted since it was read: the stale id is a 404, the lookup finds none.
    await sandbox.setReply(SOURCE, answered.externalId, null);
    sandbox.clearRequests();
    expect(await deleteReply(answered, { adapters: adapters() })).toEqual({ status: 'published', reply: null, reason: 'The review has no response to delete.' });
    expect(writesAndLookups(sandbox)).toEqual([`DELETE /v1/customerReviewResponses/${String(id)}`, `GET /v1/customerReviews/${answered.externalId}/response`]);
  });

  it('never shows the token in a result, an error or the request log', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    const result = await reply(review, 'Thanks!', { adapters: adapters() });
    const wrong = appStoreConnect({ ...sandbox.adapterOptions(SOURCE), token: 'eyJ.WRONG-asc-token.0042' });
    const error = await reply(review, 'Thanks!', { adapters: [wrong], retry: { attempts: 1 } }).catch((e: unknown) => e);
    expect(ReviewkitError.is(error) && [error.code, error.vendorCode]).toEqual(['AUTH', 'NOT_AUTHORIZED']);
    expectNoSecrets({ result, error, requests: sandbox.requests }, [token, 'eyJ.WRONG-asc-token.0042']);
    expectNoSecrets(error, [token, 'eyJ.WRONG-asc-token.0042']);
  });
});

describe('which App Store adapter answers', () => {
  it('Connect answers the reviews it read, even beside the feed of the same app; the feed says it cannot', async () => {
    const feedOfSameApp = appStore({ ...sandbox.adapterOptions('app-store'), appId: sandbox.adapterOptions(SOURCE).appId });
    const connectReview = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    expect(await reply(connectReview, 'Thanks!', { adapters: [feedOfSameApp, ...adapters()] })).toMatchObject({ status: 'published' });
    const feedReview = first(await fetchAll(sandbox, 'app-store'));
    sandbox.clearRequests();
    const expected = {
      status: 'unsupported',
      reply: null,
      reason:
        'app-store: the public App Store feed cannot answer reviews: read them with appStoreConnect (an App Store Connect API key whose role may reply to reviews) and answer those.',
    };
    expect(await reply(feedReview, 'Thanks!', { adapters: adapters() })).toEqual(expected);
    expect(await deleteReply(feedReview, { adapters: adapters() })).toEqual(expected);
    expect(sandbox.requests).toEqual([]);
  });
});

describe('the sandboxed responses endpoint', () => {
  const post = (body: string) =>
    fetch(`${sandbox.url}/v1/customerReviewResponses`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
  const document = (reviewId: string, responseBody: unknown) =>
    JSON.stringify({ data: { type: 'customerReviewResponses', attributes: { responseBody }, relationships: { review: { data: { type: 'customerReviews', id: reviewId } } } } });
  const codeOf = async (response: Response) => [response.status, ((await response.json()) as { errors: { code: string }[] }).errors[0]?.code];

  it('answers entity errors with 409, a body that is not JSON with 422, and a new response with 201', async () => {
    const review = first((await reviewsOf(sandbox, SOURCE)).unanswered);
    expect(await codeOf(await post(document(review.externalId, 'a'.repeat(5971))))).toEqual([409, 'ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG']);
    expect(await codeOf(await post(document(review.externalId, '')))).toEqual([409, 'ENTITY_ERROR.ATTRIBUTE.REQUIRED']);
    expect(await codeOf(await post('{"data":'))).toEqual([422, 'ENTITY_UNPROCESSABLE']);
    const created = await post(document(review.externalId, 'Thanks'));
    expect(created.status).toBe(201);
    const { data } = (await created.json()) as { data: { id: string; attributes: unknown } };
    expect(data.attributes).toEqual({ responseBody: 'Thanks', lastModifiedDate: expect.any(String), state: 'PUBLISHED' });
    const byReview = await fetch(`${sandbox.url}/v1/customerReviews/${review.externalId}/response`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await byReview.json()) as { data: { id: string } }).data.id).toBe(data.id);
    const removed = await fetch(`${sandbox.url}/v1/customerReviewResponses/${data.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect([removed.status, await removed.text()]).toEqual([204, '']);
    const none = await fetch(`${sandbox.url}/v1/customerReviews/${review.externalId}/response`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await none.json()) as { data: unknown }).data).toBeNull();
    const again = await fetch(`${sandbox.url}/v1/customerReviewResponses/${data.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(await codeOf(again)).toEqual([404, 'NOT_FOUND']);
  });
});

describe('a 422 refusal', () => {
  it('is reported as rejected too', async () => {
    const server = await startFixtureServer([
      {
        method: 'POST',
        path: '/v1/customerReviewResponses',
        status: 422,
        body: { errors: [{ status: '422', code: 'ENTITY_UNPROCESSABLE.REVIEW_NOT_RESPONDABLE', title: 'The review cannot be responded to.', detail: 'This review cannot have a response.' }] },
      },
    ]);
    try {
      const adapter = appStoreConnect({ token: 'eyJ.fixture', appId: '1234567890', baseUrl: server.url });
      const review = createReview('app-store', { externalId: 'r1', subject: { id: '1234567890' }, createdAt: new Date('2026-05-01T00:00:00Z'), extra: { territory: 'USA' } });
      const result = await reply(review, 'Thanks', { adapters: [adapter] });
      expect(result.status).toBe('rejected');
      expect(result.reason).toContain('failed with HTTP 422 ENTITY_UNPROCESSABLE.REVIEW_NOT_RESPONDABLE: This review cannot have a response.');
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
