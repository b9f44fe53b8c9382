// Each sandboxed API in detail: paging as the source pages (small pages give the same reviews),
// platform caps, parameters the API validates, field selection, and empty sources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appStore, appStoreConnect } from '../../adapters/app-store/index.js';
import { facebook } from '../../adapters/facebook.js';
import { googleBusinessProfile, googlePlaces } from '../../adapters/google/index.js';
import { googlePlay } from '../../adapters/google-play.js';
import { instagram } from '../../adapters/instagram.js';
import { schemaOrg } from '../../adapters/schema-org/index.js';
import { trustpilot } from '../../adapters/trustpilot.js';
import { x } from '../../adapters/x.js';
import { yelp } from '../../adapters/yelp.js';
import { createSandbox, type Sandbox, type SandboxSource } from '../../sandbox/index.js';
import { type Adapter, type AggregateOptions, aggregate } from '../../src/index.js';
import { EXPECTED_FETCHED, get, rawRequests } from './support.js';

const NO_RETRY: AggregateOptions = { retry: { attempts: 1 } };
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ seed: 21 });
});
afterAll(() => sandbox.close());

const idsOf = async (adapter: Adapter, options: AggregateOptions = NO_RETRY) => {
  const { reviews, sources } = await aggregate([adapter], options);
  return { ids: reviews.map((r) => r.externalId).sort(), report: sources[0] };
};

describe('paging', () => {
  it.each<{ source: SandboxSource; small: () => Adapter; pages: number }>([
    { source: 'yelp', small: () => yelp({ ...sandbox.adapterOptions('yelp'), limit: 2 }), pages: 2 },
    { source: 'google-business-profile', small: () => googleBusinessProfile({ ...sandbox.adapterOptions('google-business-profile'), pageSize: 7 }), pages: 9 },
    { source: 'facebook', small: () => facebook({ ...sandbox.adapterOptions('facebook'), limit: 10 }), pages: 4 },
    { source: 'trustpilot', small: () => trustpilot({ ...sandbox.adapterOptions('trustpilot'), perPage: 10 }), pages: 5 },
    { source: 'app-store-connect', small: () => appStoreConnect({ ...sandbox.adapterOptions('app-store-connect'), limit: 7 }), pages: 6 },
    { source: 'google-play', small: () => googlePlay({ ...sandbox.adapterOptions('google-play'), maxResults: 4 }), pages: 4 },
    { source: 'x', small: () => x({ ...sandbox.adapterOptions('x'), maxResults: 10 }), pages: 4 },
  ])('$source: small pages give the same reviews as one large page, in $pages pages', async ({ source, small, pages }) => {
    const [whole, paged] = await Promise.all([idsOf(sandbox.adapters([source])[0] as Adapter), idsOf(small())]);
    expect(paged.report?.status).toBe('ok');
    expect(paged.report?.pages).toBe(pages);
    expect(paged.ids).toEqual(whole.ids);
    expect(paged.ids).toHaveLength(EXPECTED_FETCHED[source]);
  });

  it('instagram: media, comments and tags all page through paging.next', async () => {
    const [whole, paged] = await Promise.all([idsOf(sandbox.adapters(['instagram'])[0] as Adapter), idsOf(instagram({ ...sandbox.adapterOptions('instagram'), limit: 2 }))]);
    expect(paged.ids).toEqual(whole.ids);
    expect(paged.report?.pages).toBeGreaterThan(whole.report?.pages ?? 0);
    const links = sandbox.requests.filter((r) => r.source === 'instagram' && r.query.after !== undefined).map((r) => r.path);
    expect(new Set(links.map((p) => p.split('/').at(-1)))).toEqual(new Set(['media', 'comments', 'tags']));
  });

  it('the App Store feed pages by 50 and stops at its 10-page cap, read from rel=last', async () => {
    const big = await createSandbox({ seed: 21, counts: { 'app-store': 520, 'app-store-connect': 230 } });
    try {
      const { sources } = await aggregate(big.adapters(['app-store', 'app-store-connect']), NO_RETRY);
      expect(sources.map((s) => [s.status, s.fetched, s.pages, s.coverage.complete, s.coverage.reason ?? null])).toEqual([
        ['ok', 500, 10, false, 'platform-limit'],
        ['ok', 230, 2, true, null],
      ]);
      expect(big.reviews('app-store').filter((r) => r.isListed)).toHaveLength(500);
      const beyond = await get(big, '/us/rss/customerreviews/page=11/id=1600000001/sortby=mostrecent/json');
      expect([beyond.status, beyond.text]).toEqual([400, 'CustomerReviews RSS page depth is limited to 10']);
      const last = JSON.parse((await get(big, '/us/rss/customerreviews/page=10/id=1600000001/sortby=mostrecent/json')).text) as {
        feed: { entry: unknown[]; link: { attributes: { rel: string; href: string } }[] };
      };
      expect(last.feed.entry).toHaveLength(50);
      expect(last.feed.link.find((l) => l.attributes.rel === 'last')?.attributes.href).toContain('/page=10/id=1600000001/sortby=mostrecent/xml?urlDesc=');
    } finally {
      await big.close();
    }
  });

  it('stops early on newest-first sources once past `since`', async () => {
    const since = new Date(sandbox.anchor.getTime() - 60 * 86_400_000);
    const { sources, reviews } = await aggregate([trustpilot({ ...sandbox.adapterOptions('trustpilot'), perPage: 5 })], { ...NO_RETRY, since });
    const fetched = new Set(reviews.map((r) => r.externalId));
    const createdSince = sandbox.reviews('trustpilot').filter((r) => r.createdAt.getTime() >= since.getTime());
    expect(createdSince.length).toBeGreaterThan(0);
    expect(createdSince.filter((r) => !fetched.has(r.externalId))).toEqual([]);
    for (const review of reviews) expect(Math.max(review.createdAt?.getTime() ?? 0, review.updatedAt?.getTime() ?? 0)).toBeGreaterThanOrEqual(since.getTime());
    expect(sources[0]?.pages).toBeLessThan(10);
    expect(sources[0]?.coverage.reason).toBe('since');
  });

  it('resumes from a report’s cursor where a run stopped', async () => {
    const options = { ...sandbox.adapterOptions('google-business-profile'), pageSize: 10 };
    const first = await aggregate([googleBusinessProfile(options)], { ...NO_RETRY, maxPerSource: 25 });
    const cursor = first.sources[0]?.cursor;
    expect(cursor).toMatch(/^AHNhbmRib3g/);
    const rest = await aggregate([googleBusinessProfile({ ...options, cursor: cursor as string })], NO_RETRY);
    const ids = new Set([...first.reviews, ...rest.reviews].map((r) => r.externalId));
    expect(ids.size).toBe(60);
  });
});

describe('what each API checks and answers', () => {
  it('Yelp: a locale keeps its language; a bad one is a VALIDATION_ERROR the adapter reports as CONFIG', async () => {
    const { path, headers } = rawRequests(sandbox).yelp;
    const german = JSON.parse((await get(sandbox, `${path}&locale=de_DE`, headers)).text) as { reviews: { text: string }[]; total: number };
    expect(german.total).toBe(sandbox.reviews('yelp').filter((r) => r.language === 'de').length);
    expect(german.reviews.map((r) => r.text)).toEqual(
      sandbox
        .reviews('yelp')
        .filter((r) => r.language === 'de')
        .slice(0, 3)
        .map((r) => r.text),
    );
    const { sources } = await aggregate([yelp({ ...sandbox.adapterOptions('yelp'), locale: 'xx_XX' })], NO_RETRY);
    expect([sources[0]?.error?.code, sources[0]?.error?.vendorCode]).toEqual(['CONFIG', 'LOCALE_NOT_SUPPORTED']);
    const unknown = await aggregate([yelp({ ...sandbox.adapterOptions('yelp'), businessId: 'no-such-bistro' })], NO_RETRY);
    expect(unknown.sources[0]?.error?.code).toBe('NOT_FOUND');
  });

  it('Places (New): the field mask is required and decides the fields', async () => {
    const { path, headers } = rawRequests(sandbox)['google-places'];
    const noMask = await get(sandbox, path, { 'x-goog-api-key': headers['x-goog-api-key'] as string });
    expect([noMask.status, JSON.parse(noMask.text).error.status]).toEqual([400, 'INVALID_ARGUMENT']);
    const some = JSON.parse((await get(sandbox, path, { ...headers, 'x-goog-fieldmask': 'id,rating' })).text) as Record<string, unknown>;
    expect(Object.keys(some).sort()).toEqual(['id', 'rating']);
    const nested = JSON.parse((await get(sandbox, path, { ...headers, 'x-goog-fieldmask': 'reviews.rating' })).text) as { reviews: unknown[] };
    expect(nested.reviews).toHaveLength(5);
    for (const review of nested.reviews) expect(Object.keys(review as object)).toEqual(['rating']);
    const wrong = await get(sandbox, path, { ...headers, 'x-goog-fieldmask': 'id,nope' });
    expect(wrong.status).toBe(400);
    const { sources } = await aggregate([googlePlaces({ ...sandbox.adapterOptions('google-places'), placeId: 'ChIJnope' })], NO_RETRY);
    expect(sources[0]?.error?.code).toBe('NOT_FOUND');
  });

  it('legacy Places: `fields` selects, errors come in a 200 body, texts carry HTML entities', async () => {
    const { path } = rawRequests(sandbox)['google-places-legacy'];
    const some = JSON.parse((await get(sandbox, `${path}&fields=name,rating`)).text) as { result: object; status: string };
    expect([Object.keys(some.result).sort(), some.status]).toEqual([['name', 'rating'], 'OK']);
    const texts = (JSON.parse((await get(sandbox, path)).text) as { result: { reviews: { text: string }[] } }).result.reviews.map((r) => r.text);
    const held = sandbox.reviews('google-places-legacy').slice(0, 5).map((r) => (r.text ?? '').replaceAll('&', '&amp;'));
    expect(texts).toEqual(held);
    const { sources } = await aggregate([googlePlaces({ ...sandbox.adapterOptions('google-places-legacy'), placeId: 'ChIJnope' })], NO_RETRY);
    expect([sources[0]?.error?.code, sources[0]?.error?.vendorCode, sources[0]?.error?.status]).toEqual(['NOT_FOUND', 'NOT_FOUND', 200]);
  });

  it('Graph: fields select, paging.next only when more follows, error 12 from v22.0', async () => {
    const { path, headers } = rawRequests(sandbox).facebook;
    const page = JSON.parse((await get(sandbox, path.replace(/fields=[^&]*/, 'fields=created_time'), headers)).text) as {
      data: object[];
      paging: { next?: string; cursors: { after: string } };
    };
    expect(page.data).toHaveLength(25);
    for (const item of page.data) expect(Object.keys(item)).toEqual(['created_time']);
    expect(page.paging.next).toMatch(/^https:\/\/graph\.facebook\.com\/v21\.0\/100000000000042\/ratings\?/);
    expect(page.paging.next).not.toContain('access_token');
    const next = new URL(page.paging.next as string);
    const last = JSON.parse((await get(sandbox, next.pathname + next.search, headers)).text) as { data: object[]; paging: { next?: string; previous?: string } };
    expect(last.data).toHaveLength(11);
    expect([last.paging.next, typeof last.paging.previous]).toEqual([undefined, 'string']);
    const inQuery = JSON.parse((await get(sandbox, `${path}&access_token=${encodeURIComponent(sandbox.adapterOptions('facebook').accessToken)}`)).text) as {
      paging: { next: string };
    };
    expect(inQuery.paging.next).toContain('access_token=');
    const { sources } = await aggregate([facebook({ ...sandbox.adapterOptions('facebook'), apiVersion: 'v22.0' })], NO_RETRY);
    expect([sources[0]?.error?.code, sources[0]?.error?.vendorCode]).toEqual(['CONFIG', '12']);
    const unknown = await aggregate([facebook({ ...sandbox.adapterOptions('facebook'), pageId: '999' })], NO_RETRY);
    expect([unknown.sources[0]?.error?.code, unknown.sources[0]?.error?.status]).toEqual(['NOT_FOUND', 400]);
  });

  it('Instagram with Instagram Login reads comments only (no tags), on the same paths', async () => {
    const { reviews, sources } = await aggregate([instagram({ ...sandbox.adapterOptions('instagram'), login: 'instagram' })], NO_RETRY);
    expect(sources[0]?.status).toBe('ok');
    expect(reviews.every((r) => r.extra.kind === 'comment')).toBe(true);
    expect(reviews.length).toBeLessThan(EXPECTED_FETCHED.instagram);
  });

  it('Trustpilot: the public endpoint serves the same reviews without the private facts', async () => {
    const { accessToken: _t, businessUserId: _u, ...publicOptions } = sandbox.adapterOptions('trustpilot');
    const [privately, publicly] = await Promise.all([idsOf(sandbox.adapters(['trustpilot'])[0] as Adapter), idsOf(trustpilot(publicOptions))]);
    expect(publicly.ids).toEqual(privately.ids);
    const { path, headers } = rawRequests(sandbox).trustpilot;
    const body = (await get(sandbox, path, headers)).text;
    expect(body).not.toContain('referralEmail');
    const privatePath = path.replace('/v1/', '/v1/private/');
    const privateBody = (await get(sandbox, privatePath, { authorization: `Bearer ${sandbox.adapterOptions('trustpilot').accessToken}` })).text;
    expect(privateBody).toContain('referralEmail');
    const tooMany = await get(sandbox, path.replace('perPage=100', 'perPage=101'), headers);
    expect(tooMany.status).toBe(400);
  });

  it('App Store Connect: `include=response` joins responses; without it, no `included` and no linkage', async () => {
    const { path, headers } = rawRequests(sandbox)['app-store-connect'];
    const joined = JSON.parse((await get(sandbox, path, headers)).text) as { included?: unknown[]; data: { relationships: { response: object } }[] };
    expect(joined.included?.length).toBe(sandbox.reviews('app-store-connect').filter((r) => r.replies.length > 0).length);
    const bare = JSON.parse((await get(sandbox, path.replace('include=response&', ''), headers)).text) as typeof joined;
    expect(bare.included).toBeUndefined();
    for (const review of bare.data) expect(Object.keys(review.relationships.response)).toEqual(['links']);
    const bad = await get(sandbox, path.replace('limit=200', 'limit=201'), headers);
    expect([bad.status, JSON.parse(bad.text).errors[0].code]).toEqual([400, 'PARAMETER_ERROR.INVALID']);
  });

  it('X: default fields are id, text and edit history; max_results is checked; a window without posts is meta alone', async () => {
    const { path, headers } = rawRequests(sandbox).x;
    const bare = JSON.parse((await get(sandbox, `/2/tweets/search/recent?query=sandboxbistro`, headers)).text) as { data: object[]; includes?: unknown };
    expect(bare.data).toHaveLength(10);
    for (const post of bare.data) expect(Object.keys(post).sort()).toEqual(['edit_history_tweet_ids', 'id', 'text']);
    expect(bare.includes).toBeUndefined();
    const small = await get(sandbox, path.replace('max_results=100', 'max_results=5'), headers);
    expect([small.status, JSON.parse(small.text).type]).toEqual([400, 'https://api.twitter.com/2/problems/invalid-request']);
    const future = new Date(sandbox.anchor.getTime() + 86_400_000).toISOString().replace('.000Z', 'Z');
    const none = await get(sandbox, `${path}&start_time=${future}`, headers);
    expect(JSON.parse(none.text)).toEqual({ meta: { result_count: 0 } });
    expect(none.headers.get('x-rate-limit-limit')).toBe('450');
    // X escapes `&`, `<` and `>` in texts; the adapter reads them back.
    const raw = (await get(sandbox, path, headers)).text;
    const withAmpersand = sandbox.reviews('x').filter((r) => r.isListed && r.text?.includes('&'));
    expect(withAmpersand.length).toBeGreaterThan(0);
    for (const post of withAmpersand) expect(raw).toContain(JSON.stringify((post.text ?? '').replaceAll('&', '&amp;')).slice(1, -1));
  });

  it('schema.org: page 2 holds the reviews page 1 does not show; an unknown page is a 404', async () => {
    const second = (await get(sandbox, '/biz/sandbox-bistro?page=2')).text;
    const notShown = sandbox.reviews('schema-org').filter((r) => !r.isListed);
    expect(notShown.length).toBe(4);
    for (const review of notShown) expect(second).toContain(review.externalId);
    const { sources } = await aggregate([schemaOrg({ url: 'https://reviews.sandbox.example/biz/nope', baseUrl: sandbox.url })], NO_RETRY);
    expect([sources[0]?.error?.code, sources[0]?.error?.status]).toEqual(['NOT_FOUND', 404]);
  });

  it('answers an unknown path with a 404 logged as unmatched', async () => {
    const answer = await get(sandbox, '/v9/nothing/here');
    expect(answer.status).toBe(404);
    expect(sandbox.requests.at(-1)).toMatchObject({ source: null, isMatched: false, status: 404, path: '/v9/nothing/here' });
    // The read endpoints answer GET only.
    const { path, headers } = rawRequests(sandbox).trustpilot;
    const posted = await fetch(`${sandbox.url}${path}`, { method: 'POST', headers, body: '{}' });
    expect([posted.status, posted.headers.get('allow')]).toEqual([405, 'GET']);
    expect(sandbox.requests.at(-1)).toMatchObject({ source: 'trustpilot', method: 'POST', isMatched: true, status: 405 });
  });
});

describe('counts', () => {
  it('a source with no reviews answers as the API does when empty, and its adapter is ok with none', async () => {
    const sources: SandboxSource[] = ['yelp', 'google-business-profile', 'facebook', 'trustpilot', 'app-store', 'app-store-connect', 'google-play', 'x'];
    const empty = await createSandbox({ counts: Object.fromEntries(sources.map((s) => [s, 0])) });
    try {
      const result = await aggregate(empty.adapters(sources), NO_RETRY);
      expect(result.sources.map((s) => [s.status, s.fetched])).toEqual(sources.map(() => ['ok', 0]));
      const requests = rawRequests(empty);
      expect((await get(empty, requests['google-business-profile'].path, requests['google-business-profile'].headers)).text).toBe('{}');
      expect((await get(empty, requests['google-play'].path, requests['google-play'].headers)).text).toBe('{}');
      expect(JSON.parse((await get(empty, requests['app-store'].path)).text).feed.entry).toBeUndefined();
      const one = await createSandbox({ counts: { 'app-store': 1 } });
      try {
        // One entry arrives as an object, not a list (as Apple's XML-to-JSON feed does).
        expect(Array.isArray(JSON.parse((await get(one, requests['app-store'].path)).text).feed.entry)).toBe(false);
        expect((await aggregate([appStore(one.adapterOptions('app-store'))], NO_RETRY)).sources[0]?.fetched).toBe(1);
      } finally {
        await one.close();
      }
    } finally {
      await empty.close();
    }
  });
});
