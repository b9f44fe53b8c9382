import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { facebook } from '../../adapters/facebook.js';
import { aggregate, type ErrorCode, type ProgressEvent } from '../../src/index.js';
import { expectNoSecrets, type FixtureRoute, type FixtureServer, startFixtureServer, testAdapter } from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/facebook/${name}.json`, import.meta.url), 'utf8'));

// The same token is echoed in the fixtures' `paging.next` URLs, as Graph does.
const TOKEN = 'EAAGm0PX4ZCpsBAKx9Zb7QvT2yLrN5wUeHd3fJc8sPq1ZAiO6tYgkW';
const PAGE_ID = '1234567890';
// The story's comments come along: the Page's own are the review's replies.
const FIELDS = 'created_time,recommendation_type,review_text,reviewer,rating,has_rating,has_review,open_graph_story{id,comments.limit(100){id,message,created_time,from}}';
const AFTER_1 = 'QVFIUnBhZ2UxYWZ0ZXJjdXJzb3I';
const AFTER_2 = 'QVFIUnBhZ2UyYWZ0ZXJjdXJzb3I';
const pagePath = `/v21.0/${PAGE_ID}`;
const ratingsPath = `${pagePath}/ratings`;

// `access_token: null`: no request may carry the token in its URL.
const pageObject: FixtureRoute = {
  path: pagePath,
  query: { fields: 'name,overall_star_rating,rating_count', access_token: null },
  body: fixture('page'),
};
const page1: FixtureRoute = { path: ratingsPath, query: { fields: FIELDS, after: null, access_token: null }, body: fixture('ratings-page1') };
const page2: FixtureRoute = { path: ratingsPath, query: { fields: FIELDS, after: AFTER_1, access_token: null }, body: fixture('ratings-page2') };
const page3: FixtureRoute = {
  path: ratingsPath,
  query: { fields: FIELDS, after: AFTER_2, access_token: null },
  body: fixture('ratings-page3-last'),
};
const routes: FixtureRoute[] = [pageObject, page1, page2, page3];

interface GraphErrorCase {
  name: string;
  file: string;
  status: number;
  code: ErrorCode;
  vendorCode: string;
  /** Where Graph would send it: the Page object (first request) or the ratings edge. */
  on: 'page' | 'ratings';
}
const graphErrors: GraphErrorCase[] = [
  { name: '#4 app request limit (403)', file: 'error-4-app-limit', status: 403, code: 'RATE_LIMITED', vendorCode: '4', on: 'page' },
  { name: '#17 user request limit (400)', file: 'error-17-user-limit', status: 400, code: 'RATE_LIMITED', vendorCode: '17', on: 'page' },
  { name: '#32 Page request limit (403)', file: 'error-32-page-limit', status: 403, code: 'RATE_LIMITED', vendorCode: '32', on: 'ratings' },
  { name: '#613 custom rate limit (400)', file: 'error-613-custom-limit', status: 400, code: 'RATE_LIMITED', vendorCode: '613', on: 'ratings' },
  { name: '#80001 Pages BUC limit (400)', file: 'error-80001-pages-buc', status: 400, code: 'RATE_LIMITED', vendorCode: '80001', on: 'page' },
  { name: '#190 expired token (400)', file: 'error-190-expired', status: 400, code: 'AUTH', vendorCode: '190', on: 'page' },
  { name: '#10 permission (403)', file: 'error-10-permission', status: 403, code: 'FORBIDDEN', vendorCode: '10', on: 'ratings' },
  { name: '#283 missing pages_read_user_content (403)', file: 'error-283-permission', status: 403, code: 'FORBIDDEN', vendorCode: '283', on: 'ratings' },
  { name: '#100/33 unknown Page (400)', file: 'error-100-33-not-found', status: 400, code: 'NOT_FOUND', vendorCode: '100', on: 'page' },
  { name: '#12 recommendations deprecated (400)', file: 'error-12-deprecated', status: 400, code: 'CONFIG', vendorCode: '12', on: 'ratings' },
];
const errorRoute = (c: GraphErrorCase, extra: Partial<FixtureRoute> = {}): FixtureRoute => ({
  path: c.on === 'page' ? pagePath : ratingsPath,
  ...(c.on === 'page' && { query: { fields: 'name,overall_star_rating,rating_count' } }),
  status: c.status,
  body: fixture(c.file),
  ...extra,
});

testAdapter(facebook, {
  options: { accessToken: TOKEN, pageId: PAGE_ID },
  requiredOptions: ['accessToken', 'pageId'],
  secrets: [TOKEN],
  routes,
  firstPage: page1,
  expectedReviews: 8,
  expectedPages: 3,
  errors: graphErrors.map((c) => ({ name: c.name, routes: [errorRoute(c)], code: c.code })),
});

describe('facebook adapter', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(routes);
  });
  afterAll(() => server.close());
  const source = (extra: Record<string, unknown> = {}) => facebook({ accessToken: TOKEN, pageId: PAGE_ID, baseUrl: server.url, ...extra });
  const ratingRequests = () => server.requests.filter((r) => r.path === ratingsPath);

  it('normalizes a recommendation page exactly', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()]);
    const byId = Object.fromEntries(reviews.map((r) => [r.externalId, r]));
    expect(byId['10160000000000001']).toEqual({
      id: 'facebook:10160000000000001',
      source: 'facebook',
      externalId: '10160000000000001',
      subject: { id: PAGE_ID, name: 'Acme Corner Bakery' },
      url: null,
      author: { name: 'Ada Testwell', id: '7000000000000001', url: null, avatarUrl: null },
      rating: null,
      stars: null,
      recommendation: 'positive',
      polarity: 'positive',
      title: null,
      text: 'Best sourdough in town.\n\nThe staff remembered my order!',
      language: null,
      createdAt: new Date('2024-02-11T19:03:52.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      // The Page's comments, oldest first; a visitor's comment and one with a broken date are left out.
      replies: [
        { text: 'Thank you, Ada!\n\nSee you soon.', createdAt: new Date('2024-02-12T09:30:00.000Z'), author: 'Acme Corner Bakery' },
        { text: 'And the rye is back on Fridays.', createdAt: new Date('2024-02-13T08:00:00.000Z'), author: 'Acme Corner Bakery' },
      ],
      helpfulVotes: null,
      extra: { hasRating: false, hasReview: true, hasStory: true },
    });
    // A negative recommendation without text: no fake stars, null text.
    expect(byId['10160000000000002']).toMatchObject({
      rating: null,
      stars: null,
      recommendation: 'negative',
      polarity: 'negative',
      text: null,
      createdAt: new Date('2024-01-05T08:15:00.000Z'),
      replies: [],
      extra: { hasRating: false, hasReview: false, hasStory: true },
    });
    // Whitespace-only review_text is no text.
    expect(byId['10160000000000003']?.text).toBeNull();
    // review_text is plain text: a literal "&amp;" is what the reviewer typed.
    expect(byId['10160000000000004']?.text).toBe("Croissants & coffee &amp; a warm welcome on New Year's Eve.");
    // `+0000` is UTC whatever the machine's zone: still 2023.
    expect(byId['10160000000000004']?.createdAt?.toISOString()).toBe('2023-12-31T23:30:00.000Z');
  });

  it('normalizes the last page’s edge cases: missing reviewer, legacy stars, missing open_graph_story', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()]);
    const byId = Object.fromEntries(reviews.map((r) => [r.externalId, r]));
    // Deleted or hidden reviewer: null author, no throw.
    expect(byId['10160000000000006']).toEqual({
      id: 'facebook:10160000000000006',
      source: 'facebook',
      externalId: '10160000000000006',
      subject: { id: PAGE_ID, name: 'Acme Corner Bakery' },
      url: null,
      author: { name: null, id: null, url: null, avatarUrl: null },
      rating: null,
      stars: null,
      recommendation: 'positive',
      polarity: 'positive',
      title: null,
      text: 'Lovely birthday cake, thank you!',
      language: null,
      createdAt: new Date('2019-03-03T10:20:30.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: null,
      extra: { hasRating: false, hasReview: true, hasStory: true },
    });
    // A pre-2018 star review without open_graph_story: the rating stays on the star channel and the
    // id is sha1(reviewer id, created_time, recommendation_type, rating), first 16 hex digits.
    expect(byId['7d44cfbbbf52b288']).toEqual({
      id: 'facebook:7d44cfbbbf52b288',
      source: 'facebook',
      externalId: '7d44cfbbbf52b288',
      subject: { id: PAGE_ID, name: 'Acme Corner Bakery' },
      url: null,
      author: { name: 'Flo Dummy', id: '7000000000000007', url: null, avatarUrl: null },
      rating: { value: 4, min: 1, max: 5 },
      stars: 4,
      recommendation: null,
      polarity: 'positive',
      title: null,
      text: 'Good bread, small shop, friendly owner.',
      language: null,
      createdAt: new Date('2017-08-20T16:45:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: null,
      extra: { hasRating: true, hasReview: true, hasStory: false },
    });
    // Neither reviewer nor story: still a stable id, from created_time and rating.
    expect(byId['afe2a51c93bcabde']).toMatchObject({
      author: { name: null, id: null, url: null, avatarUrl: null },
      rating: { value: 2, min: 1, max: 5 },
      stars: 2,
      polarity: 'negative',
      text: null,
      createdAt: new Date('2016-05-04T09:00:00.000Z'),
    });
    expect(reviews.map((r) => r.externalId)).toEqual([
      '10160000000000001',
      '10160000000000002',
      '10160000000000003',
      '10160000000000004',
      '10160000000000005',
      '10160000000000006',
      '7d44cfbbbf52b288',
      'afe2a51c93bcabde',
    ]);
  });

  it('skips a rating whose created_time is unreadable, naming the field, and keeps the rest', async () => {
    // Found by the property tests: normalize parsed the date and threw, so the skip blamed normalize.
    const bad = fixture('ratings-page1') as { data: { created_time: unknown; open_graph_story: { id: string } }[] };
    const [, second] = bad.data;
    if (second) second.created_time = '2024-02-30T25:61:61+0000';
    server.reset([{ ...page1, body: bad }, ...routes]);
    const { reviews, sources } = await aggregate([source()], { retry: { attempts: 1 } });
    expect(sources[0]?.status).toBe('partial');
    expect(sources[0]?.skipped).toEqual([
      { page: 1, index: 1, externalId: second?.open_graph_story.id, stage: 'item', path: 'created_time', reason: 'Not a real date' },
    ]);
    expect(reviews).toHaveLength(7);
  });

  it('follows paging.next to the end and stops at a last page that still has cursors', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate([source()]);
    expect(reviews).toHaveLength(8);
    expect(sources[0]).toMatchObject({
      source: 'facebook',
      subjectId: PAGE_ID,
      status: 'ok',
      fetched: 8,
      pages: 3,
      coverage: { complete: true, reportedTotal: 8 },
      summary: { average: 4.3, count: 8 },
    });
    expect(sources[0]?.cursor).toBeUndefined();
    // Exactly: the Page object, then three ratings pages; nothing after the page without `next`.
    expect(server.requests.map((r) => [r.path, r.query.after ?? null])).toEqual([
      [pagePath, null],
      [ratingsPath, null],
      [ratingsPath, AFTER_1],
      [ratingsPath, AFTER_2],
    ]);
    expect(server.requests.every((r) => r.matched)).toBe(true);
    // The next links were rebased onto the fixture server, their token dropped, the header kept.
    for (const request of server.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.query.access_token).toBeUndefined();
      expect(request.url).not.toContain(TOKEN);
    }
    expect(ratingRequests()[0]?.query).toEqual({ fields: FIELDS });
    expect(ratingRequests()[1]?.query).toEqual({ fields: FIELDS, limit: '25', after: AFTER_1 });
  });

  it('reads a Page without ratings (no paging object) as one empty page', async () => {
    server.reset([pageObject, { path: ratingsPath, body: fixture('ratings-empty') }]);
    const { reviews, sources } = await aggregate([source()]);
    expect(reviews).toEqual([]);
    expect(sources[0]).toMatchObject({ status: 'ok', pages: 1, fetched: 0 });
    expect(ratingRequests()).toHaveLength(1);
  });

  it('keeps following next across an empty page (Graph may filter a page to nothing)', async () => {
    const emptyWithNext = {
      data: [],
      paging: {
        cursors: { before: 'QVFIUmVtcHR5YmVmb3Jl', after: AFTER_1 },
        next: `https://graph.facebook.com/v21.0/${PAGE_ID}/ratings?access_token=${TOKEN}&fields=${encodeURIComponent(FIELDS)}&limit=25&after=${AFTER_1}`,
      },
    };
    server.reset([pageObject, { ...page1, body: emptyWithNext }, page2, page3]);
    const { reviews, sources } = await aggregate([source()]);
    expect(reviews).toHaveLength(5);
    expect(sources[0]?.pages).toBe(3);
  });

  it('resumes with after={cursor} and sends the limit option', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate([source({ cursor: AFTER_1, limit: 10 })]);
    expect(reviews.map((r) => r.externalId)).toEqual([
      '10160000000000004',
      '10160000000000005',
      '10160000000000006',
      '7d44cfbbbf52b288',
      'afe2a51c93bcabde',
    ]);
    expect(sources[0]?.pages).toBe(2);
    expect(ratingRequests().map((r) => r.query)).toEqual([
      { fields: FIELDS, limit: '10', after: AFTER_1 },
      // The second request is Graph's own next link (its limit=25), rebased.
      { fields: FIELDS, limit: '25', after: AFTER_2 },
    ]);
  });

  it('reads the story id alone with includeReplies: false (a token without pages_read_engagement)', async () => {
    const plain = 'created_time,recommendation_type,review_text,reviewer,rating,has_rating,has_review,open_graph_story';
    server.reset([pageObject, { path: ratingsPath, query: { fields: plain }, body: { data: [{ created_time: '2024-02-11T19:03:52+0000', open_graph_story: { id: '10160000000000001' } }] } }]);
    const { reviews, sources } = await aggregate([source({ includeReplies: false })]);
    expect(sources[0]?.status).toBe('ok');
    expect(reviews.map((r) => [r.externalId, r.replies, r.extra.hasStory])).toEqual([['10160000000000001', [], true]]);
  });

  it('keeps the resume key of earlier versions when includeReplies is left out (sync keeps its place)', () => {
    // The value the adapter had before the option existed.
    expect(facebook({ accessToken: 'EAAtoken', pageId: '1234567890' }).resumeKey).toBe('facebook:QHotH-omwBriKJ5uWuwvZD');
  });

  it('puts apiVersion in every path', async () => {
    const v20 = (r: FixtureRoute): FixtureRoute => ({ ...r, path: String(r.path).replace('/v21.0/', '/v20.0/') });
    server.reset([pageObject, { path: ratingsPath, body: fixture('ratings-empty') }].map(v20));
    const { sources } = await aggregate([source({ apiVersion: 'v20.0' })]);
    expect(sources[0]?.status).toBe('ok');
    expect(server.requests.map((r) => r.path)).toEqual(['/v20.0/1234567890', '/v20.0/1234567890/ratings']);
  });

  it('reports the cursor of the next page when stopped early', async () => {
    server.reset(routes);
    const { sources } = await aggregate([source()], { maxPerSource: 3 });
    expect(sources[0]?.cursor).toBe(AFTER_1);
    expect(sources[0]?.coverage.reason).toBe('max-per-source');
  });

  it.each(graphErrors)('maps Graph error $name to $code with the vendor code and message', async (c) => {
    server.reset([errorRoute(c), ...routes]);
    const { sources } = await aggregate([source()], { retry: { attempts: 1 } });
    const error = sources[0]?.error;
    expect(error?.code).toBe(c.code);
    expect(error?.vendorCode).toBe(c.vendorCode);
    expect(error?.status).toBe(c.status);
    const body = z.object({ error: z.object({ message: z.string(), fbtrace_id: z.string() }) }).parse(fixture(c.file));
    expect(error?.message).toContain(body.error.message);
    expect(error?.message).toContain(body.error.fbtrace_id);
    expect(error?.isRetryable).toBe(c.code === 'RATE_LIMITED');
  });

  it('explains error 12: recommendations need Graph API v21.0 or earlier', async () => {
    const [deprecated] = graphErrors.filter((c) => c.vendorCode === '12');
    if (!deprecated) throw new Error('missing case');
    const v22 = (r: FixtureRoute): FixtureRoute => ({ ...r, path: String(r.path).replace('/v21.0/', '/v22.0/') });
    server.reset([v22(errorRoute(deprecated)), ...routes.map(v22)]);
    const { sources } = await aggregate([source({ apiVersion: 'v22.0' })]);
    expect(sources[0]?.error?.code).toBe('CONFIG');
    expect(sources[0]?.error?.message).toMatch(/`apiVersion`/);
    expect(sources[0]?.error?.message).toMatch(/v21\.0 or earlier/);
  });

  it('reads estimated_time_to_regain_access (minutes) and does not retry into the throttle', async () => {
    const [buc] = graphErrors.filter((c) => c.vendorCode === '80001');
    if (!buc) throw new Error('missing case');
    const usage = { [PAGE_ID]: [{ type: 'pages', call_count: 100, total_cputime: 12, total_time: 30, estimated_time_to_regain_access: 19 }] };
    server.reset([errorRoute(buc, { headers: { 'x-business-use-case-usage': JSON.stringify(usage) } }), ...routes]);
    const { sources } = await aggregate([source()], { retry: { attempts: 3, baseDelayMs: 1 } });
    expect(sources[0]?.error?.code).toBe('RATE_LIMITED');
    expect(sources[0]?.error?.retryAfterMs).toBe(19 * 60_000);
    // Each path asked once (the Page and its first ratings page go out together): no retry.
    const paths = server.requests.map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('retries a throttle without a known wait, then succeeds', async () => {
    const [app] = graphErrors.filter((c) => c.vendorCode === '4');
    if (!app) throw new Error('missing case');
    server.reset([errorRoute(app, { times: 1, headers: { 'x-app-usage': '{"call_count":100,"total_cputime":10,"total_time":10}' } }), ...routes]);
    const retries: number[] = [];
    const { sources } = await aggregate([source()], {
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
      onProgress: (e) => e.type === 'source:retry' && retries.push(e.attempt),
    });
    expect(retries).toEqual([1]);
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 8 });
  });

  it('never surfaces the token, even one from a next link or quoted in a Graph message', async () => {
    const otherToken = 'EAAOtherTokenFromTheNextLinkQ1w2e3r4t5y6';
    const page1Body = z.looseObject({ paging: z.looseObject({ next: z.string() }) }).parse(fixture('ratings-page1'));
    const withOtherToken = { ...page1Body, paging: { ...page1Body.paging, next: page1Body.paging.next.replace(TOKEN, otherToken) } };
    const quoting = { error: { message: `Invalid OAuth access token ${TOKEN} (or ${otherToken}).`, type: 'OAuthException', code: 190, fbtrace_id: 'AbCdEfLeak' } };
    server.reset([pageObject, { ...page1, body: withOtherToken }, { ...page2, status: 400, body: quoting }]);
    const events: ProgressEvent[] = [];
    const result = await aggregate([source()], { onProgress: (e) => events.push(e) });
    const error = result.sources[0]?.error;
    expect(error?.code).toBe('AUTH');
    expect(result.sources[0]?.status).toBe('partial');
    expect(ratingRequests()[1]?.query.access_token).toBeUndefined();
    expectNoSecrets(error, [TOKEN, otherToken]);
    expectNoSecrets(events, [TOKEN, otherToken]);
    expectNoSecrets(result, [TOKEN, otherToken]);
    expect(inspect(result, { depth: 10 }) + JSON.stringify(result)).not.toMatch(/EAA[A-Za-z0-9]{16,}/);
  });

  it('keeps the token of a followed next link out of a page-two failure', async () => {
    const [pageLimit] = graphErrors.filter((c) => c.vendorCode === '32');
    if (!pageLimit) throw new Error('missing case');
    server.reset([pageObject, page1, { ...page2, status: 403, body: fixture(pageLimit.file) }]);
    const events: ProgressEvent[] = [];
    const result = await aggregate([source()], { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, onProgress: (e) => events.push(e) });
    expect(result.sources[0]).toMatchObject({ status: 'partial', fetched: 3, cursor: AFTER_1 });
    expect(result.sources[0]?.error?.code).toBe('RATE_LIMITED');
    expect(events.some((e) => e.type === 'source:retry')).toBe(true);
    expectNoSecrets(result.sources[0]?.error, [TOKEN]);
    expectNoSecrets(events, [TOKEN]);
    expectNoSecrets(result, [TOKEN]);
  });

  it('validates options', () => {
    expect(() => facebook({ accessToken: TOKEN, pageId: PAGE_ID, apiVersion: '21.0' })).toThrow(/apiVersion/);
    expect(() => facebook({ accessToken: TOKEN, pageId: PAGE_ID, limit: 0 })).toThrow(/limit/);
    expect(facebook({ accessToken: TOKEN, pageId: PAGE_ID, apiVersion: 'v22.0' }).subjectId).toBe(PAGE_ID);
  });
});
