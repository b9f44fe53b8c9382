// One contract, three stores: memoryStore, fileStore (real files) and sqliteStore (a real SQLite file).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReview, type Review, ReviewkitError, type ReviewStore, reviewFingerprint } from '../../src/index.js';
import { allReviews, STORE_KINDS, tempDir } from './helpers.js';

const review = (externalId: string, patch: Partial<Parameters<typeof createReview>[1]> = {}, source = 'yelp'): Review =>
  createReview(source, {
    externalId,
    subject: { id: 'acme', name: 'Acme' },
    rating: { value: 4, min: 1, max: 5 },
    text: `Text of ${externalId}`,
    createdAt: new Date('2026-01-10T10:00:00Z'),
    ...patch,
  });

const day = (d: number) => new Date(Date.UTC(2026, 0, d, 12));
const ids = (reviews: Review[]) => reviews.map((r) => r.id);

describe.each(Object.keys(STORE_KINDS) as Array<keyof typeof STORE_KINDS>)('%s store', (kind) => {
  let dir: { dir: string; remove: () => void };
  let store: ReviewStore;
  beforeEach(() => {
    dir = tempDir(`store-${kind}`);
    store = STORE_KINDS[kind](dir.dir);
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('adds, recognises unchanged reviews, and reports edits by fingerprint', async () => {
    const a = review('a');
    const b = review('b', { rating: { value: 1, min: 1, max: 5 } });
    expect(await store.upsert([a, b])).toEqual({ added: [a, b], updated: [], unchanged: 0 });
    expect(await store.upsert([a, b])).toEqual({ added: [], updated: [], unchanged: 2 });

    const edited = review('a', { text: 'Changed my mind.' });
    const replied = review('b', { rating: { value: 1, min: 1, max: 5 }, replies: [{ text: 'Sorry!', createdAt: day(11), author: 'Owner' }] });
    const moreVotes = review('c', { helpfulVotes: 3 });
    expect(await store.upsert([edited, replied, moreVotes])).toEqual({ added: [moreVotes], updated: [edited, replied], unchanged: 0 });

    // Votes are not an edit, but the store keeps the newest copy.
    expect(await store.upsert([review('c', { helpfulVotes: 9 })])).toEqual({ added: [], updated: [], unchanged: 1 });
    expect((await store.get('yelp:c'))?.helpfulVotes).toBe(9);
    expect(await store.get('yelp:a')).toEqual(edited);
    expect(await store.get('yelp:nope')).toBeUndefined();
    expect(await store.count()).toBe(3);
  });

  it('counts the same id twice in one call once, keeping the later version', async () => {
    const first = review('a');
    const second = review('a', { text: 'Second version' });
    expect(await store.upsert([first, second])).toEqual({ added: [second], updated: [], unchanged: 0 });
    expect((await store.get('yelp:a'))?.text).toBe('Second version');
  });

  it('gives back exact reviews that callers cannot mutate', async () => {
    const original = review('a', { replies: [{ text: 'Thanks', createdAt: day(12), author: null }], extra: { trip: 'family', nested: { n: 1 } }, updatedAt: day(13) });
    await store.upsert([original]);
    const got = (await store.get('yelp:a')) as Review;
    expect(got).toEqual(original);
    expect(got.createdAt).toBeInstanceOf(Date);
    got.text = 'tampered';
    original.text = 'tampered too';
    expect((await store.get('yelp:a'))?.text).toBe('Text of a');
  });

  it('lists newest first (undated last, ties by id) and filters by source, time and reply state', async () => {
    await store.upsert([
      review('old', { createdAt: day(1) }),
      review('new', { createdAt: day(20) }),
      review('mid-b', { createdAt: day(10) }),
      review('mid-a', { createdAt: day(10), rating: { value: 2, min: 1, max: 5 } }),
      review('undated', { createdAt: null }),
      review('tp', { createdAt: day(15), rating: { value: 1, min: 1, max: 5 } }, 'trustpilot'),
      review('tp-answered', { createdAt: day(16), rating: { value: 1, min: 1, max: 5 }, replies: [{ text: 'Hi', createdAt: null, author: null }] }, 'trustpilot'),
    ]);
    const list = async (query?: Parameters<ReviewStore['list']>[0]) => ids(await collect(store.list(query)));
    expect(await list()).toEqual(['yelp:new', 'trustpilot:tp-answered', 'trustpilot:tp', 'yelp:mid-a', 'yelp:mid-b', 'yelp:old', 'yelp:undated']);
    expect(await list({ source: 'trustpilot' })).toEqual(['trustpilot:tp-answered', 'trustpilot:tp']);
    expect(await list({ from: day(10), to: day(16) })).toEqual(['trustpilot:tp', 'yelp:mid-a', 'yelp:mid-b']);
    expect(await list({ to: day(10) })).toEqual(['yelp:old']);
    expect(await list({ unanswered: true })).toEqual(['trustpilot:tp', 'yelp:mid-a']);
    expect(await list({ source: 'yelp', unanswered: true, from: day(2) })).toEqual(['yelp:mid-a']);
    expect(await store.count({ source: 'yelp' })).toBe(5);
    expect(await store.count({ unanswered: true })).toBe(2);
    expect(() => store.list({ from: new Date('nope') })).toThrow(/`from` must be a valid Date/);
  });

  it('lists from a snapshot while the caller writes', async () => {
    const originals = Array.from({ length: 1200 }, (_, i) => review(`r${String(i).padStart(4, '0')}`, { createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000) }));
    await store.upsert(originals);
    const seen: string[] = [];
    for await (const r of store.list()) {
      seen.push(r.id);
      if (seen.length === 600) await store.upsert([review('older', { createdAt: new Date(Date.UTC(2025, 0, 1)) }), review('r0100', { text: 'edited' })]);
    }
    expect(seen).toEqual(ids(originals).reverse());
    expect((await store.get('yelp:r0100'))?.text).toBe('edited');
  });

  it('keeps resume points, also in the same atomic write as reviews', async () => {
    expect(await store.resumePoint('yelp:abc')).toBeUndefined();
    const point = { newest: '2026-01-10T10:00:00.000Z', savedAt: '2026-01-11T00:00:00.000Z' };
    await store.setResumePoint('yelp:abc', point);
    expect(await store.resumePoint('yelp:abc')).toEqual(point);
    const next = { newest: point.newest, cursor: 'page-3', pendingNewest: '2026-01-12T00:00:00.000Z', savedAt: '2026-01-12T00:00:00.000Z' };
    await store.upsert([review('a')], { resumePoint: { key: 'yelp:abc', value: next } });
    expect(await store.resumePoint('yelp:abc')).toEqual(next);
    await expect(store.setResumePoint('', point)).rejects.toMatchObject({ code: 'CONFIG' });
  });

  it('finds unanswered negatives past the grace period, marks them once, and queues their deliveries', async () => {
    await store.upsert([
      review('angry', { rating: { value: 1, min: 1, max: 5 }, createdAt: day(1) }),
      review('meh', { rating: { value: 2, min: 1, max: 5 }, createdAt: day(3) }),
      review('fresh', { rating: { value: 1, min: 1, max: 5 }, createdAt: day(9) }),
      review('happy', { rating: { value: 5, min: 1, max: 5 }, createdAt: day(1) }),
      review('answered', { rating: { value: 1, min: 1, max: 5 }, createdAt: day(1), replies: [{ text: 'Sorry', createdAt: day(2), author: 'Owner' }] }),
      review('thumbs-down', { rating: null, recommendation: 'negative', createdAt: day(2) }, 'facebook'),
      review('undated', { rating: { value: 1, min: 1, max: 5 }, createdAt: null }),
    ]);
    expect(ids(await store.needsReply({ createdBefore: day(5) }))).toEqual(['yelp:angry', 'facebook:thumbs-down', 'yelp:meh']);
    const marked = await store.markNeedsReply(['yelp:angry', 'yelp:happy', 'yelp:nope', 'yelp:angry'], { notify: ['hook'] });
    expect(ids(marked)).toEqual(['yelp:angry']);
    expect(await store.markNeedsReply(['yelp:angry'], { notify: ['hook'] })).toEqual([]);
    expect(ids(await store.needsReply({ createdBefore: day(5) }))).toEqual(['facebook:thumbs-down', 'yelp:meh']);
    // A reply arriving removes a review from the candidates.
    await store.upsert([review('meh', { rating: { value: 2, min: 1, max: 5 }, createdAt: day(3), replies: [{ text: 'Thanks', createdAt: null, author: null }] })]);
    expect(ids(await store.needsReply({ createdBefore: day(5) }))).toEqual(['facebook:thumbs-down']);
    // An edit of a marked review keeps its mark.
    await store.upsert([review('angry', { rating: { value: 1, min: 1, max: 5 }, createdAt: day(1), text: 'Still angry' })]);
    expect(ids(await store.needsReply({ createdBefore: day(30) }))).toEqual(['facebook:thumbs-down', 'yelp:fresh']);

    const pending = await store.pendingDeliveries();
    expect(pending.map((p) => [p.sink, p.event.type, p.event.review.id, p.attempts])).toEqual([['hook', 'needs-reply', 'yelp:angry', 0]]);
    expect(pending[0]?.id).toBe(`hook:${pending[0]?.event.id}`);
    expect(pending[0]?.event.review).toEqual(review('angry', { rating: { value: 1, min: 1, max: 5 }, createdAt: day(1) }));
  });

  it('queues one delivery per sink for added and edited reviews, atomically, and settles them', async () => {
    const a = review('a');
    await store.upsert([a], { notify: ['hook', 'slack'] });
    await store.upsert([a], { notify: ['hook', 'slack'] });
    const edited = review('a', { text: 'Edited' });
    await store.upsert([edited], { notify: ['hook'] });
    const pending = await store.pendingDeliveries();
    expect(pending.map((p) => [p.sink, p.event.type, p.event.review.text])).toEqual([
      ['hook', 'new', 'Text of a'],
      ['slack', 'new', 'Text of a'],
      ['hook', 'updated', 'Edited'],
    ]);
    expect((await store.pendingDeliveries(['slack'])).map((p) => p.sink)).toEqual(['slack']);
    const [first, second] = pending as [(typeof pending)[0], (typeof pending)[0]];
    expect(first.event.id).toBe(second.event.id);
    await store.settleDelivery(first.id, { delivered: false, error: 'HTTP 500' });
    await store.settleDelivery(first.id, { delivered: false, error: 'HTTP 502' });
    await store.settleDelivery(second.id, { delivered: true });
    await store.settleDelivery('unknown', { delivered: true });
    const after = await store.pendingDeliveries();
    expect(after.map((p) => [p.sink, p.event.type, p.attempts, p.lastError])).toEqual([
      ['hook', 'new', 2, 'HTTP 502'],
      ['hook', 'updated', 0, null],
    ]);
    expect(after[0]?.queuedAt).toBeInstanceOf(Date);
  });

  it('refuses an invalid review and leaves the store as it was', async () => {
    await store.upsert([review('a')]);
    const broken = { ...review('b'), stars: 9 } as Review;
    await expect(store.upsert([review('c'), broken])).rejects.toThrow(/reviews\[1\] is not a valid Review: stars/);
    expect(await store.count()).toBe(1);
  });

  it('rejects every call once closed', async () => {
    await store.close();
    await expect(store.get('x')).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringMatching(/closed/) });
    await expect(store.upsert([review('a')])).rejects.toBeInstanceOf(ReviewkitError);
    await store.close();
  });
});

describe.each(['file', 'sqlite'] as const)('%s store, reopened', (kind) => {
  let dir: { dir: string; remove: () => void };
  let store: ReviewStore;
  const reopen = async () => {
    await store.close();
    store = STORE_KINDS[kind](dir.dir);
  };
  beforeEach(() => {
    dir = tempDir(`store-${kind}`);
    store = STORE_KINDS[kind](dir.dir);
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  it('keeps everything across a close and a reopen', async () => {
    const angry = review('angry', { rating: { value: 1, min: 1, max: 5 }, createdAt: day(1) });
    await store.upsert([review('a'), angry, review('undated', { createdAt: null })], { notify: ['hook'], resumePoint: { key: 'k', value: { newest: null, savedAt: 'x' } } });
    await store.markNeedsReply(['yelp:angry'], { notify: ['hook'] });
    const pending = await store.pendingDeliveries();
    await store.settleDelivery(pending[0]?.id as string, { delivered: true });
    await store.settleDelivery(pending[1]?.id as string, { delivered: false, error: 'down' });
    const before = { reviews: await allReviews(store), pending: await store.pendingDeliveries() };
    await reopen();
    expect(await allReviews(store)).toEqual(before.reviews);
    expect(await store.pendingDeliveries()).toEqual(before.pending);
    expect(await store.resumePoint('k')).toEqual({ newest: null, savedAt: 'x' });
    expect(await store.needsReply({ createdBefore: day(30) })).toEqual([]);
    expect(await store.upsert([angry])).toEqual({ added: [], updated: [], unchanged: 1 });
    expect(reviewFingerprint(before.reviews[0] as Review)).toBe(reviewFingerprint(review('a')));
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
