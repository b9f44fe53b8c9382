// Sources reviewkit cannot answer through: each says why, and nothing is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appStore } from '../../adapters/app-store/index.js';
import { deleteReply, type Review, reply } from '../../src/index.js';
import { createSandbox, type Sandbox, type SandboxSource } from '../../testing/index.js';
import { fetchAll } from './support.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ seed: 8 });
});
afterAll(() => sandbox.close());

const REASONS: Readonly<Partial<Record<SandboxSource, string>>> = {
  tripadvisor:
    'tripadvisor: Tripadvisor has no public API for management responses (the Content API only reads; the Review Express API only sends review requests): ' +
    'answer in the Tripadvisor Management Center, one response per review.',
  'app-store':
    "app-store: the App Store's public reviews feed only reads: responses need the App Store Connect API (the appStoreConnect adapter, with an " +
    'App Store Connect API key allowed to respond to reviews); read the review there and answer that one.',
  x:
    'x: X mentions are posts, not reviews with an owner-reply channel: an answer would be a new public post, which needs a user-context ' +
    "OAuth token with tweet.write (the app-only bearer token that reads mentions cannot post) and falls under X's automation rules " +
    '(no automated replies to posts found by search). Answer in X.',
  'schema-org': 'schema-org: schema.org markup on a web page can only be read: answer on the site that publishes the reviews.',
  'google-places':
    'google-places: the Places API only reads reviews: answer through Google Business Profile (the googleBusinessProfile adapter, with the location ' +
    "owner's OAuth token), reading the review there and answering that one.",
  'google-places-legacy':
    'google-places: the Places API only reads reviews: answer through Google Business Profile (the googleBusinessProfile adapter, with the location ' +
    "owner's OAuth token), reading the review there and answering that one.",
};

describe('sources without a reply API', () => {
  it.each(Object.entries(REASONS))('%s: reply and deleteReply say why, and send nothing', async (name, reason) => {
    const source = name as SandboxSource;
    const [review] = await fetchAll(sandbox, source);
    if (review === undefined) throw new Error(`${source} lists nothing`);
    sandbox.clearRequests();
    const adapters = sandbox.adapters([source]);
    expect(await reply(review, 'Thank you for your review.', { adapters })).toEqual({ status: 'unsupported', reply: null, reason });
    expect(await deleteReply(review, { adapters })).toEqual({ status: 'unsupported', reply: null, reason });
    // Even a text that breaks no rule, and even with every sandboxed adapter given.
    expect((await reply(review, 'x', { adapters: sandbox.adapters() })).reason).toBe(reason);
    expect(sandbox.requests).toEqual([]);
  });

  it('the App Store feed owns only its own reviews: an App Store Connect review of the same app goes to the Connect adapter', async () => {
    const [feedReview] = await fetchAll(sandbox, 'app-store');
    const [connectReview] = await fetchAll(sandbox, 'app-store-connect');
    if (feedReview === undefined || connectReview === undefined) throw new Error('no App Store review');
    const feed = appStore(sandbox.adapterOptions('app-store'));
    const sameApp: Review = { ...connectReview, subject: feedReview.subject };
    expect([feed.owns?.(feedReview), feed.owns?.(sameApp)]).toEqual([true, false]);
  });
});
