// Changing the sandbox while it runs: added reviews, edits and owner replies show on the next
// fetch, in each source's format and at their place in its order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustpilot } from '../../adapters/trustpilot.js';
import { createSandbox, SANDBOX_SOURCES, type Sandbox, type SandboxSource } from '../../sandbox/index.js';
import { type Adapter, aggregate, type Review, ReviewkitError } from '../../src/index.js';
import { compared, reported } from './support.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ seed: 3 });
});
afterAll(() => sandbox.close());

const WITH_TITLES: readonly SandboxSource[] = ['trustpilot', 'tripadvisor', 'app-store', 'app-store-connect', 'google-play', 'schema-org'];
const MENTIONS: readonly SandboxSource[] = ['x', 'instagram'];
const WITH_REPLIES: Readonly<Partial<Record<SandboxSource, string | null>>> = {
  'google-business-profile': null,
  // The Page's comment on the recommendation's story, signed with the Page's name.
  facebook: 'Sandbox Bistro',
  trustpilot: null,
  tripadvisor: 'Owner at Sandbox Bistro',
  'app-store-connect': null,
  'google-play': null,
  'schema-org': 'Sandbox Bistro',
  instagram: 'sandboxbistro',
};

/** The reviews of the adapter's first page, in the source's order. */
async function firstPage(adapter: Adapter): Promise<Review[]> {
  const controller = new AbortController();
  const pages = adapter.pages({ signal: controller.signal, since: null, now: sandbox.now() });
  try {
    const first = await pages.next();
    return first.done ? [] : first.value.reviews;
  } finally {
    await pages.return(undefined);
    controller.abort();
  }
}

/** Everything the source's adapter fetches now. */
async function fetchAll(source: SandboxSource): Promise<Review[]> {
  const { reviews, sources } = await aggregate(sandbox.adapters([source]), { retry: { attempts: 1 } });
  expect(sources[0]?.status, source).toBe('ok');
  return reviews;
}

describe('addReview', () => {
  it.each(SANDBOX_SOURCES)('%s: the next fetch shows it first, with the externalId returned', async (source) => {
    const { externalId, review: held } = await sandbox.addReview(source, {
      stars: 2,
      title: 'A title for the test',
      text: 'Added by the sandbox test & nothing else.',
      authorName: 'Test Author',
    });
    const [first] = await firstPage(sandbox.adapters([source])[0] as Adapter);
    expect(first?.externalId).toBe(externalId);
    const fetched = (await fetchAll(source)).find((r) => r.externalId === externalId);
    expect(fetched && compared(fetched)).toEqual(reported(source, held));
    expect(fetched?.text).toBe('Added by the sandbox test & nothing else.');
    expect(fetched?.title).toBe(WITH_TITLES.includes(source) ? 'A title for the test' : null);
    expect(fetched?.stars).toBe(source === 'facebook' || MENTIONS.includes(source) ? null : 2);
    if (source === 'facebook') expect(fetched?.recommendation).toBe('negative');
    expect(fetched?.author.name).toBe(source === 'instagram' ? 'test.author' : 'Test Author');
    expect(held).toMatchObject({ source, isListed: true, createdAt: sandbox.now() });
  });

  it('dates reviews added without a date by the sandbox clock, a minute apart, after the anchor', async () => {
    const fresh = await createSandbox({ seed: 3 });
    try {
      const anchor = fresh.anchor.getTime();
      const a = await fresh.addReview('trustpilot');
      const b = await fresh.addReview('yelp');
      expect([a.review.createdAt.getTime() - anchor, b.review.createdAt.getTime() - anchor]).toEqual([60_000, 120_000]);
      const later = new Date(anchor + 86_400_000);
      await fresh.addReview('trustpilot', { createdAt: later });
      expect(fresh.now()).toEqual(later);
      const c = await fresh.addReview('x');
      expect(c.review.createdAt.getTime()).toBe(later.getTime() + 60_000);
    } finally {
      await fresh.close();
    }
  });

  it('generates what is not given, from the seed: the same calls give the same reviews', async () => {
    const [one, two] = await Promise.all([createSandbox({ seed: 9 }), createSandbox({ seed: 9 })]);
    try {
      for (const source of SANDBOX_SOURCES) {
        const [a, b] = [await one.addReview(source), await two.addReview(source)];
        expect(b, source).toEqual(a);
        expect(a.review.text, source).toMatch(/\S/);
        expect(a.review.author, source).toMatch(/\S/);
      }
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('puts an older review at its place in the order, and Play or X leave it out beyond their window', async () => {
    const reviews = sandbox.reviews('trustpilot');
    const between = reviews[10] as (typeof reviews)[number];
    const at = new Date(between.createdAt.getTime() + 1000);
    const { externalId } = await sandbox.addReview('trustpilot', { stars: 5, text: 'Placed in between.', createdAt: at });
    const order = sandbox.reviews('trustpilot').map((r) => r.externalId);
    expect(order.indexOf(externalId)).toBe(10);
    const pageOfTen = trustpilot({ ...sandbox.adapterOptions('trustpilot'), perPage: 11 });
    expect((await firstPage(pageOfTen))[10]?.externalId).toBe(externalId);

    const old = new Date(sandbox.now().getTime() - 30 * 86_400_000);
    for (const source of ['google-play', 'x'] as const) {
      const { externalId: hidden, review } = await sandbox.addReview(source, { text: 'Too old to be listed.', createdAt: old });
      expect(review.isListed, source).toBe(false);
      expect((await fetchAll(source)).some((r) => r.externalId === hidden), source).toBe(false);
    }
  });

  it('turns stars into a Facebook recommendation unless one is given', async () => {
    const given = await sandbox.addReview('facebook', { stars: 5, recommendation: 'negative' });
    const derived = await sandbox.addReview('facebook', { stars: 3 });
    expect([given.review.recommendation, derived.review.recommendation, derived.review.stars]).toEqual(['negative', 'positive', null]);
  });
});

describe('editReview', () => {
  it.each(SANDBOX_SOURCES)('%s: the next fetch shows the new text, and the edit time where the source carries one', async (source) => {
    const [target] = sandbox.reviews(source).filter((r) => r.isListed);
    if (target === undefined) throw new Error(`${source} lists nothing`);
    const edited = await sandbox.editReview(source, target.externalId, { text: 'Edited by the sandbox test.', stars: 4 });
    const at = sandbox.now();
    const fetched = (await fetchAll(source)).find((r) => r.externalId === target.externalId);
    expect(fetched && compared(fetched)).toEqual(reported(source, edited));
    expect(fetched?.text).toBe('Edited by the sandbox test.');
    const showsEdit = ['google-business-profile', 'trustpilot', 'schema-org', 'x'].includes(source);
    expect(fetched?.updatedAt, source).toEqual(showsEdit ? at : source === 'google-play' && target.replies.length > 0 ? at : null);
    expect(fetched?.createdAt, source).toEqual(source === 'app-store' || source === 'google-play' ? at : target.createdAt);
    expect(fetched?.stars).toBe(source === 'facebook' || MENTIONS.includes(source) ? null : 4);
    if (source === 'x') {
      expect(fetched?.extra.postId).not.toBe(target.externalId);
      expect((fetched?.extra.editHistory as string[])[0]).toBe(target.externalId);
    }
  });

  it('moves an edited review to the top of Business Profile’s `updateTime desc`', async () => {
    const last = sandbox.reviews('google-business-profile').at(-1);
    if (last === undefined) throw new Error('no review');
    await sandbox.editReview('google-business-profile', last.externalId, { text: 'Came back, much better.' });
    const [first] = await firstPage(sandbox.adapters(['google-business-profile'])[0] as Adapter);
    expect(first?.externalId).toBe(last.externalId);
  });
});

describe('setReply', () => {
  it.each(Object.entries(WITH_REPLIES))('%s: the next fetch shows the reply, and its removal', async (name, author) => {
    const source = name as SandboxSource;
    // A review of its own (on Instagram, a comment: tags cannot be answered).
    const { review: target } = await sandbox.addReview(source, { text: 'Waiting for an answer.' });
    const withReply = await sandbox.setReply(source, target.externalId, { text: 'Thank you from the sandbox test.' });
    const at = sandbox.now();
    let fetched = (await fetchAll(source)).find((r) => r.externalId === target.externalId);
    expect(fetched?.replies).toEqual([{ text: 'Thank you from the sandbox test.', createdAt: at, author }]);
    expect(fetched && compared(fetched)).toEqual(reported(source, withReply));
    await sandbox.setReply(source, target.externalId, null);
    fetched = (await fetchAll(source)).find((r) => r.externalId === target.externalId);
    expect(fetched?.replies).toEqual([]);
  });

  it('is refused where the source shows no owner replies, and on Instagram tags', async () => {
    for (const source of ['yelp', 'google-places', 'google-places-legacy', 'app-store', 'x'] as const) {
      const [review] = sandbox.reviews(source);
      const error = await sandbox.setReply(source, review?.externalId ?? '', { text: 'Hi' }).catch((e: unknown) => e);
      expect(ReviewkitError.is(error) && error.code, source).toBe('CONFIG');
    }
    const tags = (await fetchAll('instagram')).filter((r) => r.extra.kind === 'tag');
    expect(tags.length).toBeGreaterThan(0);
    await expect(sandbox.setReply('instagram', tags[0]?.externalId ?? '', { text: 'Hi' })).rejects.toThrow(/cannot be answered/);
  });
});
