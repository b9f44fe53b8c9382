import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appStore } from '../../adapters/app-store/index.js';
import { type AggregateOptions, aggregate, ReviewkitError, type Review } from '../../src/index.js';
import { type FixtureRoute, type FixtureServer, startFixtureServer, testAdapter } from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/app-store/${name}.json`, import.meta.url), 'utf8'));

const APP = '1555550001';
const NOW = new Date('2026-09-11T00:00:00Z');
const FAST: AggregateOptions = { retry: { attempts: 1 }, now: NOW };
const rssPath = (cc: string, page: number, sort = 'mostrecent') => `/${cc}/rss/customerreviews/page=${page}/id=${APP}/sortby=${sort}/json`;

const page1: FixtureRoute = { path: rssPath('us', 1), body: fixture('rss-us-page1') };
const page2: FixtureRoute = { path: rssPath('us', 2), body: fixture('rss-us-page2-last') };
const gbPage: FixtureRoute = { path: rssPath('gb', 1), body: fixture('rss-gb-page1-last') };
const routes: FixtureRoute[] = [page1, page2];

testAdapter(appStore, {
  options: { appId: APP },
  requiredOptions: ['appId'],
  secrets: [],
  routes,
  firstPage: page1,
  expectedReviews: 5,
  expectedPages: 2,
  // Apple documents no error format for the feed: failures are classified by status.
  errors: [
    {
      name: 'HTTP 404 HTML page (unknown storefront)',
      routes: [{ path: rssPath('us', 1), status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body>Not Found</body></html>' }],
      code: 'NOT_FOUND',
    },
    { name: 'HTTP 429 (throttled)', routes: [{ path: rssPath('us', 1), status: 429, headers: { 'content-type': 'text/plain' }, body: '' }], code: 'RATE_LIMITED' },
    { name: 'HTTP 503 (store unavailable)', routes: [{ path: rssPath('us', 1), status: 503, headers: { 'content-type': 'text/plain' }, body: '' }], code: 'HTTP' },
  ],
});

interface Entry {
  id: { label: string };
  updated?: { label: string };
  'im:rating': { label: string };
  [key: string]: unknown;
}
interface Feed {
  feed: { entry?: Entry[]; link: { attributes: { rel: string; href: string } }[]; [key: string]: unknown };
}
const feedFixture = (name: string) => fixture(name) as Feed;

/** A feed page of `size` generated entries (ids and dates counting down), its `last` link at page `last`. */
function generatedPage(page: number, size: number, last: number): Feed {
  const template = feedFixture('rss-us-page1');
  const [entry] = template.feed.entry ?? [];
  if (!entry) throw new Error('fixture has no entry');
  const entries = Array.from({ length: size }, (_, i) => {
    const n = (page - 1) * 50 + i;
    const at = new Date(Date.UTC(2026, 8, 10, 12) - n * 3_600_000).toISOString().replace('.000Z', '-00:00');
    return { ...entry, id: { label: String(30_000_000_000 + n) }, updated: { label: at } };
  });
  const link = template.feed.link.map((l) =>
    l.attributes.rel === 'last' ? { attributes: { ...l.attributes, href: l.attributes.href.replace('/page=2/', `/page=${last}/`) } } : l,
  );
  return { feed: { ...template.feed, entry: entries, link } };
}

describe('appStore (customer-reviews feed)', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(routes);
  });
  afterAll(() => server.close());
  const source = (extra: Record<string, unknown> = {}) => appStore({ appId: APP, baseUrl: server.url, ...extra });
  const byId = (reviews: Review[]) => new Map(reviews.map((r) => [r.externalId, r]));

  it('normalizes a normal page exactly: strings in {label}, offsets, plain text', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()], FAST);
    expect(byId(reviews).get('11223344551')).toEqual({
      id: 'app-store:11223344551',
      source: 'app-store',
      externalId: '11223344551',
      // A current feed has no app entry: the app's name is unknown.
      subject: { id: APP, name: null },
      url: null,
      author: { name: 'Quiet Otter 42', id: '900000001', url: 'https://itunes.apple.com/us/reviews/id900000001', avatarUrl: null },
      rating: { value: 5, min: 1, max: 5 },
      stars: 5,
      recommendation: null,
      polarity: 'positive',
      title: 'Finally, sync that works',
      // Plain text: the typed "&amp;" stays; blank lines and spaces are tidied.
      text: 'Syncs across my iPad &amp; Mac without a hitch.\n\nWorth every penny.',
      language: null,
      // 11:02 at UTC-7.
      createdAt: new Date('2026-09-10T18:02:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: 3,
      extra: { country: 'us', appVersion: '3.2.1', voteSum: 3, voteCount: 4 },
    });
    // 23:45 on 9 September in Cupertino is already the 10th in UTC.
    expect(byId(reviews).get('11223344550')).toMatchObject({
      rating: { value: 2, min: 1, max: 5 },
      polarity: 'negative',
      createdAt: new Date('2026-09-10T06:45:10.000Z'),
      helpfulVotes: 0,
      extra: { country: 'us', appVersion: '3.2.1', voteSum: 0, voteCount: 0 },
    });
    // Whitespace-only content is no text; a winter date carries -08:00.
    expect(byId(reviews).get('11223344549')).toMatchObject({
      title: 'OK',
      text: null,
      polarity: 'neutral',
      createdAt: new Date('2026-03-08T09:30:00.000Z'),
    });
  });

  it('normalizes the last page exactly and reads no page after it', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(byId(reviews).get('11223344548')).toEqual({
      id: 'app-store:11223344548',
      source: 'app-store',
      externalId: '11223344548',
      subject: { id: APP, name: null },
      url: null,
      author: { name: 'Test Pilot 🚀', id: '900000004', url: 'https://itunes.apple.com/us/reviews/id900000004', avatarUrl: null },
      rating: { value: 4, min: 1, max: 5 },
      stars: 4,
      recommendation: null,
      polarity: 'positive',
      title: "New Year's list maker",
      // `content.attributes.type` is "text": angle brackets are what the reviewer typed.
      text: 'Used it to plan the party. Tags <b>rock</b>.',
      language: null,
      // New Year's Eve in Cupertino is New Year's Day in UTC.
      createdAt: new Date('2026-01-01T07:30:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: 2,
      extra: { country: 'us', appVersion: '3.0.2', voteSum: 2, voteCount: 2 },
    });
    expect(reviews.map((r) => r.externalId)).toEqual(['11223344551', '11223344550', '11223344549', '11223344548', '11223344547']);
    expect(sources[0]).toMatchObject({
      source: 'app-store',
      subjectId: APP,
      status: 'ok',
      fetched: 5,
      pages: 2,
      coverage: { complete: true, reportedTotal: null },
      summary: null,
    });
    expect(sources[0]?.cursor).toBeUndefined();
    // Page numbers come from the `last` link's path; its XML links (and `next` on page 2) are never followed.
    expect(server.requests.map((r) => r.url)).toEqual([rssPath('us', 1), rssPath('us', 2)]);
  });

  it('sends plain GETs at the feed’s JSON path: no query, no credentials', async () => {
    server.reset([gbPage, ...routes]);
    await aggregate([source({ country: 'GB' })], FAST);
    const [request] = server.requests;
    expect(server.requests).toHaveLength(1);
    expect(request?.url).toBe(`/gb/rss/customerreviews/page=1/id=${APP}/sortby=mostrecent/json`);
    expect(request?.query).toEqual({});
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^reviewkit\//);
    expect(request?.headers.authorization).toBeUndefined();
  });

  it('reads a single entry sent as an object instead of an array', async () => {
    server.reset([{ path: rssPath('us', 1), body: fixture('rss-single-entry') }]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews).toEqual([
      {
        id: 'app-store:11223344700',
        source: 'app-store',
        externalId: '11223344700',
        subject: { id: APP, name: null },
        url: null,
        author: { name: 'Only One', id: '900000020', url: 'https://itunes.apple.com/us/reviews/id900000020', avatarUrl: null },
        rating: { value: 5, min: 1, max: 5 },
        stars: 5,
        recommendation: null,
        polarity: 'positive',
        title: 'Just one',
        text: 'The only review so far.',
        language: null,
        createdAt: new Date('2026-05-05T12:05:05.000Z'),
        updatedAt: null,
        datePrecision: 'instant',
        replies: [],
        helpfulVotes: 0,
        extra: { country: 'us', appVersion: '2.0', voteSum: 0, voteCount: 0 },
      },
    ]);
    expect(sources[0]).toMatchObject({ status: 'ok', pages: 1, fetched: 1 });
  });

  it('sets an older feed’s app entry aside, names the subject from it, and keeps undated reviews undated', async () => {
    server.reset([{ path: rssPath('us', 1), body: fixture('rss-legacy-metadata-first') }]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews.map((r) => r.externalId)).toEqual(['2174805119', '2221577708']);
    expect(byId(reviews).get('2221577708')).toEqual({
      id: 'app-store:2221577708',
      source: 'app-store',
      externalId: '2221577708',
      subject: { id: APP, name: 'Acme Notes – Lists & Memos' },
      url: null,
      author: { name: 'oldtimer_test', id: '714810812', url: 'https://itunes.apple.com/us/reviews/id714810812', avatarUrl: null },
      rating: { value: 4, min: 1, max: 5 },
      stars: 4,
      recommendation: null,
      polarity: 'positive',
      title: 'Does the job',
      text: 'Simple and quick.',
      language: null,
      // No `updated` in older JSON feeds: no date, never an invented one.
      createdAt: null,
      updatedAt: null,
      datePrecision: null,
      replies: [],
      helpfulVotes: 0,
      extra: { country: 'us', appVersion: '1.4', voteSum: 0, voteCount: 1 },
    });
    expect(byId(reviews).get('2174805119')?.title).toBe('Great app, great service & free');
    // The app entry is neither a review nor a skipped item.
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 2, pages: 1 });
    expect(sources[0]?.skipped).toBeUndefined();
  });

  it('reads an unknown app’s empty feed (no entry) as zero reviews, without an error', async () => {
    server.reset([{ path: rssPath('us', 1), body: fixture('rss-unknown-app') }]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews).toEqual([]);
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 0, pages: 1, coverage: { complete: true, reportedTotal: null } });
    expect(sources[0]?.error).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it('stops at page 10 and reports the ~500-review cap as platform-limit when page 10 is full', async () => {
    const pages = Array.from({ length: 10 }, (_, i): FixtureRoute => ({ path: rssPath('us', i + 1), body: generatedPage(i + 1, 50, 10) }));
    server.reset(pages);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews).toHaveLength(500);
    expect(sources[0]).toMatchObject({
      status: 'ok',
      fetched: 500,
      pages: 10,
      coverage: { complete: false, reason: 'platform-limit', reportedTotal: null },
    });
    expect(server.requests.map((r) => r.path)).toEqual(pages.map((p) => p.path));
  });

  it('is complete when page 10 is the last and not full, and capped when `last` points beyond it', async () => {
    const short = Array.from({ length: 10 }, (_, i): FixtureRoute => ({ path: rssPath('us', i + 1), body: generatedPage(i + 1, i === 9 ? 20 : 50, 10) }));
    server.reset(short);
    const complete = await aggregate([source()], FAST);
    expect(complete.reviews).toHaveLength(470);
    expect(complete.sources[0]?.coverage).toEqual({ complete: true, reportedTotal: null });

    const beyond = Array.from({ length: 10 }, (_, i): FixtureRoute => ({ path: rssPath('us', i + 1), body: generatedPage(i + 1, i === 9 ? 20 : 50, 12) }));
    server.reset(beyond);
    const capped = await aggregate([source()], FAST);
    expect(capped.sources[0]?.coverage).toEqual({ complete: false, reason: 'platform-limit', reportedTotal: null });
    // Never a request for page 11, whatever `last` says.
    expect(server.requests.map((r) => r.path)).toEqual(beyond.map((p) => p.path));
  });

  it('fans out over storefronts, keeping a review listed in two of them once (with the first storefront)', async () => {
    server.reset([...routes, gbPage]);
    const adapter = source({ countries: ['us', 'GB', 'us'] });
    expect(adapter.order).toBe('unordered');
    const { reviews, sources } = await aggregate([adapter], FAST);
    expect(reviews.map((r) => r.externalId).sort()).toEqual(['11223344547', '11223344548', '11223344549', '11223344550', '11223344551', '11223344600']);
    expect(byId(reviews).get('11223344551')?.extra).toEqual({ country: 'us', appVersion: '3.2.1', voteSum: 3, voteCount: 4 });
    expect(byId(reviews).get('11223344600')).toMatchObject({
      author: { name: 'Tea Drinker Test', id: '900000010', url: 'https://itunes.apple.com/gb/reviews/id900000010', avatarUrl: null },
      text: 'Colour-coded folders are brilliant for revision.',
      createdAt: new Date('2026-08-01T16:00:00.000Z'),
      extra: { country: 'gb', appVersion: '3.2.0', voteSum: 0, voteCount: 0 },
    });
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 6, pages: 3, coverage: { complete: true, reportedTotal: null } });
    // Each storefront once, in the order given.
    expect(server.requests.map((r) => r.path)).toEqual([rssPath('us', 1), rssPath('us', 2), rssPath('gb', 1)]);
  });

  it('the adapter itself never yields the repeated review (not only the engine’s dedupe)', async () => {
    server.reset([...routes, gbPage]);
    const adapter = source({ countries: ['us', 'gb'] });
    const pageIds: string[][] = [];
    for await (const page of adapter.pages({ signal: new AbortController().signal, since: null, now: NOW, retry: { attempts: 1 } })) {
      pageIds.push(page.reviews.map((r) => r.externalId));
    }
    expect(pageIds).toEqual([['11223344551', '11223344550', '11223344549'], ['11223344548', '11223344547'], ['11223344600']]);
  });

  it('with since, stops after the page reaching past it: no request for the page after', async () => {
    server.reset(routes);
    const adapter = source();
    expect(adapter.order).toBe('newest-first');
    const { reviews, sources } = await aggregate([adapter], { ...FAST, since: new Date('2026-06-01T00:00:00Z') });
    expect(reviews.map((r) => r.externalId)).toEqual(['11223344551', '11223344550']);
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 2, pages: 1, coverage: { complete: false, reason: 'since', reportedTotal: null } });
    expect(server.requests.map((r) => r.path)).toEqual([rssPath('us', 1)]);
  });

  it('with since over several storefronts, stops each storefront on its own and moves on to the next', async () => {
    server.reset([...routes, gbPage]);
    const { reviews, sources } = await aggregate([source({ countries: ['us', 'gb'] })], { ...FAST, since: new Date('2026-06-01T00:00:00Z') });
    expect(reviews.map((r) => r.externalId)).toEqual(['11223344551', '11223344550', '11223344600']);
    expect(sources[0]).toMatchObject({ fetched: 3, pages: 2, coverage: { complete: false, reason: 'since' } });
    // us page 2 is never asked for; gb is still read.
    expect(server.requests.map((r) => r.path)).toEqual([rssPath('us', 1), rssPath('gb', 1)]);
  });

  it('mosthelpful is unordered: since filters but reads every page', async () => {
    server.reset([
      { path: rssPath('us', 1, 'mosthelpful'), body: fixture('rss-us-page1') },
      { path: rssPath('us', 2, 'mosthelpful'), body: fixture('rss-us-page2-last') },
    ]);
    const adapter = source({ sort: 'mosthelpful' });
    expect(adapter.order).toBe('unordered');
    const { reviews, sources } = await aggregate([adapter], { ...FAST, since: new Date('2026-06-01T00:00:00Z') });
    expect(reviews.map((r) => r.externalId)).toEqual(['11223344551', '11223344550']);
    expect(sources[0]).toMatchObject({ pages: 2, coverage: { complete: false, reason: 'since' } });
    expect(server.requests.map((r) => r.path)).toEqual([rssPath('us', 1, 'mosthelpful'), rssPath('us', 2, 'mosthelpful')]);
  });

  it('skips a review whose vote count no number can hold (the class of bug the property tests found in schema-org)', async () => {
    const body = feedFixture('rss-us-page1');
    const broken: Feed = { feed: { ...body.feed, entry: (body.feed.entry ?? []).map((e, i) => (i === 1 ? { ...e, 'im:voteSum': { label: '9'.repeat(400) } } : e)) } };
    server.reset([{ path: rssPath('us', 1), body: broken }, page2]);
    const { sources } = await aggregate([source()], FAST);
    expect(sources[0]?.skipped).toEqual([{ page: 1, index: 1, externalId: '11223344550', stage: 'item', path: 'im:voteSum.label', reason: 'Invalid input: expected number, received Infinity' }]);
  });

  it('skips a review with an empty id (the class of bug the property tests found in google-places)', async () => {
    const body = feedFixture('rss-us-page1');
    const broken: Feed = { feed: { ...body.feed, entry: (body.feed.entry ?? []).map((e, i) => (i === 1 ? { ...e, id: { label: '' } } : e)) } };
    server.reset([{ path: rssPath('us', 1), body: broken }, page2]);
    const { sources } = await aggregate([source()], FAST);
    expect(sources[0]?.skipped).toEqual([{ page: 1, index: 1, externalId: null, stage: 'item', path: 'id.label', reason: 'Too small: expected string to have >=1 characters' }]);
  });

  it('skips a review with an unreadable rating or date and keeps the rest of its page', async () => {
    const body = feedFixture('rss-us-page1');
    const entries = body.feed.entry ?? [];
    const broken: Feed = {
      feed: {
        ...body.feed,
        entry: entries.map((e, i) =>
          i === 1 ? { ...e, 'im:rating': { label: 'five' } } : i === 2 ? { ...e, updated: { label: '10/09/2026 11:02' } } : e,
        ),
      },
    };
    server.reset([{ path: rssPath('us', 1), body: broken }, page2]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews.map((r) => r.externalId)).toEqual(['11223344551', '11223344548', '11223344547']);
    expect(sources[0]).toMatchObject({ status: 'partial', fetched: 3, pages: 2, skippedCount: 2 });
    expect(sources[0]?.skipped).toEqual([
      { page: 1, index: 1, externalId: '11223344550', stage: 'item', path: 'im:rating.label', reason: 'must be 1 to 5' },
      { page: 1, index: 2, externalId: '11223344549', stage: 'item', path: 'updated.label', reason: 'Not an ISO 8601 date' },
    ]);
  });

  it('reports a cursor that resumes at the next page, across storefronts too', async () => {
    server.reset([...routes, gbPage]);
    const stopped = await aggregate([source({ countries: ['us', 'gb'] })], { ...FAST, maxPerSource: 5 });
    expect(stopped.sources[0]).toMatchObject({ fetched: 5, cursor: 'gb:1', coverage: { complete: false, reason: 'max-per-source' } });
    server.reset([...routes, gbPage]);
    const rest = await aggregate([source({ countries: ['us', 'gb'], cursor: 'gb:1' })], FAST);
    expect(rest.reviews.map((r) => r.externalId)).toEqual(['11223344551', '11223344600']);
    expect(server.requests.map((r) => r.path)).toEqual([rssPath('gb', 1)]);

    server.reset(routes);
    const resumed = await aggregate([source({ cursor: 'us:2' })], FAST);
    expect(resumed.reviews.map((r) => r.externalId)).toEqual(['11223344548', '11223344547']);
    expect(server.requests.map((r) => r.path)).toEqual([rssPath('us', 2)]);
  });

  it('rejects a cursor of another storefront or beyond page 10 with CONFIG', async () => {
    for (const cursor of ['de:1', 'us:11', 'us:0', '2']) {
      server.reset(routes);
      const { sources } = await aggregate([source({ cursor })], FAST);
      expect(sources[0]?.error?.code).toBe('CONFIG');
      expect(sources[0]?.error?.message).toContain('cursor');
      expect(server.requests).toEqual([]);
    }
  });

  it('validates options when the factory is called', () => {
    const error = (options: Record<string, unknown>) => {
      try {
        appStore(options as never);
      } catch (caught) {
        return caught;
      }
      return undefined;
    };
    const both = error({ appId: APP, country: 'gb', countries: ['us'] });
    expect(ReviewkitError.is(both) && both.code).toBe('CONFIG');
    expect((both as Error).message).toMatch(/`country`.*`countries`/);
    expect((error({ appId: 'acme-notes' }) as Error).message).toContain('appId');
    expect((error({ appId: APP, country: 'usa' }) as Error).message).toContain('country');
    expect((error({ appId: APP, countries: [] }) as Error).message).toContain('countries');
    expect((error({ appId: APP, sort: 'newest' }) as Error).message).toContain('sort');
    // The id as it appears in an App Store URL works too.
    expect(appStore({ appId: `id${APP}` }).subjectId).toBe(APP);
    expect(appStore({ appId: APP, countries: ['us'] }).order).toBe('newest-first');
  });
});
