import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustpilot } from '../../adapters/trustpilot.js';
import { type AggregateOptions, aggregate, type ErrorCode, type ProgressEvent, type Review, ReviewkitError } from '../../src/index.js';
import {
  type ContractErrorCase,
  expectNoSecrets,
  type FixtureRoute,
  type FixtureServer,
  htmlErrorPage,
  startFixtureServer,
  testAdapter,
} from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/trustpilot/${name}.json`, import.meta.url), 'utf8'));

const API_KEY = 'tpApiKeySECRET0123456789abcdefABCDEF';
const ACCESS_TOKEN = 'tpAccessTokenSECRET-9f8e7d6c5b4a3210zyxw';
const BU = '6512f0a1b2c3d4e5f6a7b8c9';
const NOW = new Date('2025-07-01T12:00:00Z');
const FAST: AggregateOptions = { retry: { attempts: 1 }, now: NOW };

const businessPath = `/v1/business-units/${BU}`;
const reviewsPath = `${businessPath}/reviews`;
const privatePath = `/v1/private/business-units/${BU}/reviews`;
const pageQuery = (page: number, perPage = 3) => ({ page: String(page), perPage: String(perPage), orderBy: 'createdat.desc' });
const pageRoute = (page: number, name: string, path = reviewsPath): FixtureRoute => ({ path, query: pageQuery(page), body: fixture(name) });

const business: FixtureRoute = { path: businessPath, body: fixture('business-unit') };
const page1 = pageRoute(1, 'reviews-page1');
const page2 = pageRoute(2, 'reviews-page2-edge');
const page3 = pageRoute(3, 'reviews-page3-last');
const routes: FixtureRoute[] = [business, page1, page2, page3];
const privatePage1 = pageRoute(1, 'private-reviews', privatePath);
const privateRoutes: FixtureRoute[] = [business, privatePage1];

type BodyKind = 'JSON' | 'empty' | 'HTML';
const errorRoute = (status: number, kind: BodyKind, path: string = reviewsPath): FixtureRoute => {
  if (kind === 'HTML') return htmlErrorPage(path, status);
  return { path, status, body: kind === 'JSON' ? fixture(`error-${status}`) : '' };
};
const STATUS_CODES: ReadonlyArray<readonly [number, ErrorCode]> = [
  [401, 'AUTH'],
  [403, 'FORBIDDEN'],
  [404, 'NOT_FOUND'],
  [429, 'RATE_LIMITED'],
];
const BODY_KINDS: readonly BodyKind[] = ['JSON', 'empty', 'HTML'];
const errorCases = (path: string): ContractErrorCase[] =>
  STATUS_CODES.flatMap(([status, code]) =>
    BODY_KINDS.map((kind) => ({ name: `HTTP ${status} with a ${kind} body`, routes: [errorRoute(status, kind, path)], code })),
  );

// Both contract runs lift the request rate so they stay quick; the default rate has its own test.
testAdapter(trustpilot, {
  options: { apiKey: API_KEY, businessUnitId: BU, perPage: 3, requestsPerSecond: 50 },
  requiredOptions: ['apiKey', 'businessUnitId'],
  secrets: [API_KEY],
  routes,
  firstPage: page1,
  expectedReviews: 7,
  expectedPages: 3,
  errors: [...errorCases(reviewsPath), { name: 'HTTP 400 with a JSON body', routes: [errorRoute(400, 'JSON')], code: 'CONFIG' }],
});

// The private endpoint under the same contract: the bearer token must never surface either.
testAdapter(trustpilot, {
  options: { apiKey: API_KEY, businessUnitId: BU, accessToken: ACCESS_TOKEN, businessUserId: '60aa11bb22cc33dd44ee55ff', perPage: 3, requestsPerSecond: 50 },
  requiredOptions: ['apiKey', 'businessUnitId'],
  secrets: [API_KEY, ACCESS_TOKEN],
  routes: privateRoutes,
  firstPage: privatePage1,
  expectedReviews: 2,
  expectedPages: 1,
  errors: errorCases(privatePath),
});

const SUBJECT = { id: BU, name: 'Acme Garden Supplies' };
const reviewUrl = (id: string) => `https://www.trustpilot.com/reviews/${id}`;
const userUrl = (id: string) => `https://www.trustpilot.com/users/${id}`;
const ID = (n: number) => `65f0a0c1d2e3f400000000${String(n).padStart(2, '0')}`;
const CONSUMER = (n: number) => `5e0c00aa11bb22cc33dd00${String(n).padStart(2, '0')}`;

describe('trustpilot adapter', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(routes);
  });
  afterAll(() => server.close());
  // A high rate keeps these tests quick; the default rate has its own test.
  const source = (extra: Record<string, unknown> = {}) =>
    trustpilot({ apiKey: API_KEY, businessUnitId: BU, perPage: 3, requestsPerSecond: 50, baseUrl: server.url, ...extra });
  const privateSource = (extra: Record<string, unknown> = {}) => source({ accessToken: ACCESS_TOKEN, ...extra });
  const byId = (reviews: Review[]) => new Map(reviews.map((r) => [r.externalId, r]));
  const pageRequests = (path = reviewsPath) => server.requests.filter((r) => r.path === path);

  it('normalizes a normal page exactly', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()], FAST);
    const found = byId(reviews);
    expect(found.get(ID(1))).toEqual({
      id: `trustpilot:${ID(1)}`,
      source: 'trustpilot',
      externalId: ID(1),
      subject: SUBJECT,
      url: reviewUrl(ID(1)),
      author: { name: 'Ada Testwell', id: CONSUMER(1), url: userUrl(CONSUMER(1)), avatarUrl: null },
      rating: { value: 5, min: 1, max: 5 },
      stars: 5,
      recommendation: null,
      polarity: 'positive',
      title: 'Fast delivery, healthy plants',
      text: 'Ordered three rose bushes on Monday, they arrived on Wednesday.\nAll three are thriving.',
      language: 'en',
      createdAt: new Date('2025-06-14T09:12:45.000Z'),
      // Trustpilot repeats createdAt as updatedAt for an unedited review.
      updatedAt: null,
      datePrecision: 'instant',
      replies: [{ text: 'Thank you, Ada! Enjoy the roses.', createdAt: new Date('2025-06-15T08:00:00.000Z'), author: null }],
      helpfulVotes: 3,
      extra: {
        isVerified: true,
        verificationLevel: 'verified',
        countsTowardsTrustScore: true,
        experiencedAt: '2025-06-10T00:00:00.000Z',
        reviewSource: 'InvitationApi',
      },
    });
    expect(found.get(ID(2))).toEqual({
      id: `trustpilot:${ID(2)}`,
      source: 'trustpilot',
      externalId: ID(2),
      subject: SUBJECT,
      url: reviewUrl(ID(2)),
      author: { name: 'Bo Placeholder', id: CONSUMER(2), url: userUrl(CONSUMER(2)), avatarUrl: null },
      rating: { value: 4, min: 1, max: 5 },
      stars: 4,
      recommendation: null,
      polarity: 'positive',
      // Plain text: the literal "&amp;" is what the reviewer typed.
      title: 'Good tools &amp; fair prices',
      text: 'The spade is sturdy. Shipping & handling was a bit pricey.',
      language: 'en-GB',
      createdAt: new Date('2025-06-01T18:30:00.250Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: 0,
      extra: { isVerified: true, countsTowardsTrustScore: true, reviewSource: 'Organic' },
    });
    expect(found.get(ID(3))).toEqual({
      id: `trustpilot:${ID(3)}`,
      source: 'trustpilot',
      externalId: ID(3),
      subject: SUBJECT,
      url: reviewUrl(ID(3)),
      author: { name: 'Cleo Muster', id: CONSUMER(3), url: userUrl(CONSUMER(3)), avatarUrl: null },
      rating: { value: 1, min: 1, max: 5 },
      stars: 1,
      recommendation: null,
      polarity: 'negative',
      title: 'Paket verloren',
      text: 'Nach zwei Wochen immer noch nichts angekommen.',
      language: 'de',
      // One second before midnight UTC, whatever the machine's zone (tests run in Pacific/Chatham).
      createdAt: new Date('2025-05-20T23:59:59.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      // The reply date has no offset, as in Trustpilot's own examples: UTC.
      replies: [{ text: 'Das tut uns leid, wir melden uns per E-Mail.', createdAt: new Date('2025-05-21T07:05:00.000Z'), author: null }],
      helpfulVotes: 1,
      extra: { isVerified: true, countsTowardsTrustScore: true, reviewSource: 'Organic' },
    });
  });

  it('normalizes the edge page exactly: reply paragraphs, edits, missing title and text, unverified', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()], FAST);
    const found = byId(reviews);
    expect(found.get(ID(4))).toEqual({
      id: `trustpilot:${ID(4)}`,
      source: 'trustpilot',
      externalId: ID(4),
      subject: SUBJECT,
      url: reviewUrl(ID(4)),
      author: { name: 'Dee Example', id: CONSUMER(4), url: userUrl(CONSUMER(4)), avatarUrl: null },
      rating: { value: 3, min: 1, max: 5 },
      stars: 3,
      recommendation: null,
      polarity: 'neutral',
      title: 'Wrong order, quick fix',
      text: 'First order was wrong.\n\nThe replacement came fast though.',
      language: 'en',
      createdAt: new Date('2025-05-11T14:20:00.000Z'),
      updatedAt: new Date('2025-05-14T08:00:00.000Z'),
      datePrecision: 'instant',
      // CRLFs, trailing spaces and a run of blank lines tidied; each paragraph kept.
      replies: [
        {
          text: 'Hi Dee,\n\nSorry about the mix-up with your order.\n\nWe have sent a replacement today.\n\nKind regards,\nThe Acme team',
          createdAt: new Date('2025-05-12T10:00:00.000Z'),
          author: null,
        },
      ],
      helpfulVotes: 2,
      extra: {
        isVerified: true,
        countsTowardsTrustScore: true,
        experiencedAt: '2025-05-08T00:00:00.000Z',
        reviewSource: 'BasicLink',
        replyUpdatedAt: '2025-05-13T16:45:30.000Z',
      },
    });
    expect(found.get(ID(5))).toEqual({
      id: `trustpilot:${ID(5)}`,
      source: 'trustpilot',
      externalId: ID(5),
      subject: SUBJECT,
      url: reviewUrl(ID(5)),
      author: { name: 'Eli Sample', id: CONSUMER(5), url: userUrl(CONSUMER(5)), avatarUrl: null },
      rating: { value: 2, min: 1, max: 5 },
      stars: 2,
      recommendation: null,
      polarity: 'negative',
      // No title at all, whitespace for text: both null.
      title: null,
      text: null,
      language: 'en',
      createdAt: new Date('2025-05-05T07:00:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      // No numberOfLikes: unknown, not 0.
      helpfulVotes: null,
      extra: { isVerified: false, countsTowardsTrustScore: false },
    });
    expect(found.get(ID(6))).toEqual({
      id: `trustpilot:${ID(6)}`,
      source: 'trustpilot',
      externalId: ID(6),
      subject: SUBJECT,
      url: reviewUrl(ID(6)),
      author: { name: 'Fay Dummy', id: CONSUMER(6), url: userUrl(CONSUMER(6)), avatarUrl: null },
      rating: { value: 5, min: 1, max: 5 },
      stars: 5,
      recommendation: null,
      polarity: 'positive',
      title: 'Lovely seeds 🌱',
      text: 'Everything sprouted.',
      language: null,
      // Offset-less with seven fractional digits: UTC, truncated to the millisecond.
      createdAt: new Date('2025-05-02T06:30:00.123Z'),
      updatedAt: null,
      datePrecision: 'instant',
      // A reply of whitespace only is no reply.
      replies: [],
      helpfulVotes: 0,
      extra: { isVerified: true, countsTowardsTrustScore: true },
    });
  });

  it('normalizes the last (short) page and requests nothing after it', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(byId(reviews).get(ID(7))).toEqual({
      id: `trustpilot:${ID(7)}`,
      source: 'trustpilot',
      externalId: ID(7),
      subject: SUBJECT,
      url: reviewUrl(ID(7)),
      // A consumer without an id: no profile link.
      author: { name: 'Gus Testperson', id: null, url: null, avatarUrl: null },
      rating: { value: 5, min: 1, max: 5 },
      stars: 5,
      recommendation: null,
      polarity: 'positive',
      title: 'Great advice in the shop',
      text: 'Staff helped me pick a hedge for a shady spot.',
      language: 'en',
      createdAt: new Date('2024-12-31T23:30:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: 1,
      extra: { isVerified: true, countsTowardsTrustScore: true },
    });
    expect(reviews.map((r) => r.externalId)).toEqual([1, 2, 3, 4, 5, 6, 7].map(ID));
    expect(server.requests.map((r) => [r.path, r.query.page ?? null])).toEqual([
      [businessPath, null],
      [reviewsPath, '1'],
      [reviewsPath, '2'],
      [reviewsPath, '3'],
    ]);
    expect(server.requests.every((r) => r.matched)).toBe(true);
    const { durationMs: _durationMs, ...report } = sources[0] ?? { durationMs: 0 };
    expect(report).toEqual({
      source: 'trustpilot',
      subjectId: BU,
      status: 'ok',
      fetched: 7,
      pages: 3,
      coverage: { complete: true, reportedTotal: 7 },
      summary: { average: 3.8, count: 7 },
    });
  });

  it('reads the empty page after a full last page, then stops', async () => {
    server.reset([business, page1, page2, pageRoute(3, 'reviews-empty')]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews.map((r) => r.externalId)).toEqual([1, 2, 3, 4, 5, 6].map(ID));
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 6, pages: 3, coverage: { complete: true, reportedTotal: 7 } });
    expect(pageRequests().map((r) => r.query.page)).toEqual(['1', '2', '3']);
    expect(server.requests.every((r) => r.matched)).toBe(true);
  });

  it('sends the API key as the apikey header, Trustpilot paging parameters, and no bearer token', async () => {
    server.reset(routes);
    await aggregate([source()], FAST);
    expect(pageRequests().map((r) => r.query)).toEqual([pageQuery(1), pageQuery(2), pageQuery(3)]);
    for (const request of server.requests) {
      expect(request.headers.apikey).toBe(API_KEY);
      expect(request.headers.authorization).toBeUndefined();
      expect(request.url).not.toContain(API_KEY);
    }
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^reviewkit\//);
  });

  it('asks for 100 reviews a page by default', async () => {
    server.reset([business, { path: reviewsPath, query: pageQuery(1, 100), body: fixture('reviews-page1') }]);
    const { sources } = await aggregate([trustpilot({ apiKey: API_KEY, businessUnitId: BU, requestsPerSecond: 50, baseUrl: server.url })], FAST);
    // Three reviews where 100 were asked for: the last page.
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 3, pages: 1 });
    expect(pageRequests().map((r) => r.query)).toEqual([pageQuery(1, 100)]);
  });

  it('skips malformed reviews and keeps the rest of their page', async () => {
    const edge = fixture('reviews-page2-edge') as { reviews: Record<string, unknown>[] };
    const broken = {
      ...edge,
      reviews: edge.reviews.map((r, i) => (i === 0 ? { ...r, stars: 0 } : i === 2 ? { ...r, createdAt: '05/02/2025 06:30' } : r)),
    };
    server.reset([business, page1, { ...page2, body: broken }, page3]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews.map((r) => r.externalId)).toEqual([1, 2, 3, 5, 7].map(ID));
    expect(sources[0]).toMatchObject({ status: 'partial', fetched: 5, pages: 3, skippedCount: 2 });
    expect(sources[0]?.skipped).toEqual([
      { page: 2, index: 0, externalId: ID(4), stage: 'item', path: 'stars', reason: 'Too small: expected number to be >=1' },
      { page: 2, index: 2, externalId: ID(6), stage: 'item', path: 'createdAt', reason: 'Not an ISO 8601 date' },
    ]);
  });

  it('skips a review whose id holds a lone surrogate, and drops only the profile link of such a consumer id (found by the property tests)', async () => {
    // encodeURIComponent throws on a lone surrogate: normalize threw building the review and profile links.
    const edge = fixture('reviews-page2-edge') as { reviews: { consumer?: Record<string, unknown> }[] };
    const broken = {
      ...edge,
      reviews: edge.reviews.map((r, i) => (i === 0 ? { ...r, id: 'abc\uD800' } : i === 1 ? { ...r, consumer: { ...r.consumer, id: 'user\uDFFF' } } : r)),
    };
    server.reset([business, page1, { ...page2, body: broken }, page3]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(sources[0]?.skipped).toEqual([{ page: 2, index: 0, externalId: 'abc\uD800', stage: 'item', path: 'id', reason: 'is not well-formed text' }]);
    expect(reviews.find((r) => r.externalId === ID(5))?.author).toMatchObject({ id: 'user\uDFFF', url: null });
  });

  it('reads the private endpoint with the bearer token and keeps personal data out of reviews', async () => {
    server.reset(privateRoutes);
    const events: ProgressEvent[] = [];
    const result = await aggregate([privateSource()], { ...FAST, onProgress: (e) => events.push(e) });
    const { reviews, sources } = result;
    expect(reviews).toEqual([
      {
        id: `trustpilot:${ID(11)}`,
        source: 'trustpilot',
        externalId: ID(11),
        subject: SUBJECT,
        url: reviewUrl(ID(11)),
        author: { name: 'Hal Example', id: CONSUMER(11), url: userUrl(CONSUMER(11)), avatarUrl: null },
        rating: { value: 4, min: 1, max: 5 },
        stars: 4,
        recommendation: null,
        polarity: 'positive',
        title: 'Friendly store staff',
        text: 'Picked up my order in the Leeds store, no queue.',
        language: 'en',
        createdAt: new Date('2025-06-20T11:00:00.000Z'),
        updatedAt: null,
        datePrecision: 'instant',
        // The replying business user's id stays out: a reply speaks for the business.
        replies: [{ text: 'Thanks Hal, see you next time!', createdAt: new Date('2025-06-21T09:30:00.000Z'), author: null }],
        helpfulVotes: 0,
        extra: {
          isVerified: true,
          verificationLevel: 'invited',
          countsTowardsTrustScore: true,
          experiencedAt: '2025-06-18T00:00:00.000Z',
          reviewSource: 'InvitationApi',
          location: { id: '3f1b6e2a-5c4d-4e8f-9a0b-1c2d3e4f5a6b', name: 'Acme Garden Centre Leeds', externalId: 'store-leeds-01' },
          tags: [
            { group: 'Team', value: 'Click and collect' },
            { group: 'Region', value: 'North' },
          ],
        },
      },
      {
        id: `trustpilot:${ID(12)}`,
        source: 'trustpilot',
        externalId: ID(12),
        subject: SUBJECT,
        url: reviewUrl(ID(12)),
        author: { name: 'Ivy Placeholder', id: CONSUMER(12), url: userUrl(CONSUMER(12)), avatarUrl: null },
        rating: { value: 1, min: 1, max: 5 },
        stars: 1,
        recommendation: null,
        polarity: 'negative',
        title: 'Never arrived',
        text: 'Still waiting for my compost.',
        language: 'en',
        createdAt: new Date('2025-06-19T08:15:00.000Z'),
        updatedAt: null,
        datePrecision: 'instant',
        replies: [],
        helpfulVotes: 2,
        extra: { isVerified: false, verificationLevel: 'not-verified', countsTowardsTrustScore: true, reviewSource: 'Organic' },
      },
    ]);
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 2, pages: 1, summary: { average: 3.8, count: 7 } });
    // The reviews come from the private endpoint with both headers; the business unit is public (API key only).
    expect(server.requests.map((r) => [r.path, r.headers.apikey, r.headers.authorization ?? null])).toEqual([
      [businessPath, API_KEY, null],
      [privatePath, API_KEY, `Bearer ${ACCESS_TOKEN}`],
    ]);
    expect(server.requests[1]?.query).toEqual(pageQuery(1));
    // The consumer's e-mail, order id, Find Reviewer answers, location and the replier's id appear nowhere.
    const printed = JSON.stringify(result) + JSON.stringify(events);
    for (const personal of [
      'hal.example@mail.example',
      'ORDER-99123',
      'Hal Example-Fullname',
      '+44 113 496 0999',
      '1 Example Road',
      "partner's name",
      'Could you share your order number?',
      'Leeds, GB',
      '60aa11bb22cc33dd44ee55ff',
    ]) {
      expect(printed).not.toContain(personal);
    }
    expectNoSecrets(result, [API_KEY, ACCESS_TOKEN]);
    expectNoSecrets(events, [API_KEY, ACCESS_TOKEN]);
  });

  it('explains an expired business-user token on the private endpoint without showing it', async () => {
    server.reset([errorRoute(401, 'JSON', privatePath), ...privateRoutes]);
    const { sources } = await aggregate([privateSource()], FAST);
    const error = sources[0]?.error;
    expect(error?.code).toBe('AUTH');
    expect(error?.status).toBe(401);
    expect(error?.message).toContain('`accessToken`; business-user tokens expire after 100 hours');
    expect(error?.message).toContain(privatePath);
    expectNoSecrets(error, [API_KEY, ACCESS_TOKEN]);
  });

  describe('summary', () => {
    it('is the TrustScore (1–5) and the total review count, not the half-star rounding', async () => {
      server.reset(routes);
      const { sources } = await aggregate([source()], FAST);
      // business-unit.json: trustScore 3.8, stars 4 (3.8 rounded to the half star).
      expect(sources[0]?.summary).toEqual({ average: 3.8, count: 7 });
      expect(sources[0]?.coverage.reportedTotal).toBe(7);
    });

    it('has no average for a business unit without reviews (TrustScore 0)', async () => {
      const empty = { ...(fixture('business-unit') as object), score: { trustScore: 0, stars: 0 }, numberOfReviews: { total: 0, usedForTrustScoreCalculation: 0 } };
      server.reset([{ ...business, body: empty }, pageRoute(1, 'reviews-empty')]);
      const { reviews, sources } = await aggregate([source()], FAST);
      expect(reviews).toEqual([]);
      expect(sources[0]).toMatchObject({ status: 'ok', fetched: 0, pages: 1, summary: { average: null, count: 0 }, coverage: { complete: true, reportedTotal: 0 } });
    });

    it('drops a TrustScore off the 1–5 scale (the pre-2019 0–10 scale) rather than misreport it', async () => {
      const legacy = { ...(fixture('business-unit') as object), score: { trustScore: 8.6, stars: 4.5 } };
      server.reset([{ ...business, body: legacy }, page1, page2, page3]);
      const { sources } = await aggregate([source()], FAST);
      expect(sources[0]?.summary).toEqual({ average: null, count: 7 });
    });

    it('is fetched together with the first page', async () => {
      server.reset([{ ...business, delayMs: 300 }, { ...page1, delayMs: 300 }, page2, page3]);
      await aggregate([source()], FAST);
      const [details, first] = server.requests;
      expect([details?.path, first?.path]).toEqual([businessPath, reviewsPath]);
      // Both were sent before either answered.
      expect(Math.abs((first?.receivedAt ?? 0) - (details?.receivedAt ?? 0))).toBeLessThan(250);
    });
  });

  describe('errors (classified by status: Trustpilot documents no error body)', () => {
    const cases = STATUS_CODES.flatMap(([status, code]) => BODY_KINDS.map((kind) => ({ status, code, kind })));

    it.each(cases)('HTTP $status with a $kind body is $code', async ({ status, code, kind }) => {
      server.reset([errorRoute(status, kind), ...routes]);
      const { sources } = await aggregate([source()], FAST);
      const error = sources[0]?.error;
      expect(ReviewkitError.is(error)).toBe(true);
      expect(error?.code).toBe(code);
      expect(error?.status).toBe(status);
      expect(error?.source).toBe('trustpilot');
      expect(error?.isRetryable).toBe(code === 'RATE_LIMITED');
      // A JSON body is quoted (short); an HTML page or an empty body is not.
      const said = JSON.stringify(fixture(`error-${status}`));
      if (kind === 'JSON') expect(error?.message).toContain(`(Trustpilot said: ${said})`);
      else expect(error?.message).not.toContain('Trustpilot said');
      expect(error?.message).not.toContain('<html');
      expectNoSecrets(error, [API_KEY]);
    });

    it('writes an actionable message', async () => {
      server.reset([errorRoute(404, 'empty', businessPath), ...routes]);
      const { sources } = await aggregate([source()], FAST);
      expect(sources[0]?.error?.message).toBe(
        `trustpilot: GET ${server.url}${businessPath} failed with HTTP 404: Trustpilot has no business unit with this \`businessUnitId\`; ` +
          'find the id with GET /v1/business-units/find?name=<domain>. Check the business / place / page id.',
      );
    });

    it('quotes a plain-text body, cut short at a word boundary so an echoed key is never half-shown', async () => {
      const short = `Invalid API key ${API_KEY}`;
      server.reset([{ path: reviewsPath, status: 401, headers: { 'content-type': 'text/plain' }, body: short }, ...routes]);
      const quoted = (await aggregate([source()], FAST)).sources[0]?.error;
      expect(quoted?.code).toBe('AUTH');
      expect(quoted?.message).toContain('(Trustpilot said: Invalid API key [REDACTED])');
      // 140 characters of words, then the key across the 160-character cut.
      const long = `${'ab '.repeat(46)}ab key=${API_KEY} and more`;
      server.reset([{ path: reviewsPath, status: 401, headers: { 'content-type': 'text/plain' }, body: long }, ...routes]);
      const cut = (await aggregate([source()], FAST)).sources[0]?.error;
      expect(cut?.message).toContain(`(Trustpilot said: ${'ab '.repeat(46)}ab…)`);
      expect(cut?.message).not.toContain(API_KEY.slice(0, 6));
    });

    it('classifies an error whose JSON body is nested too deep to quote (found by the property tests)', async () => {
      // JSON.stringify of 5,000 nested arrays overflows the stack: the detector threw, and the core called it a network failure.
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      server.reset([{ path: reviewsPath, status: 429, headers: { 'content-type': 'application/json' }, body: deep }, ...routes]);
      const error = (await aggregate([source()], FAST)).sources[0]?.error;
      expect(error?.code).toBe('RATE_LIMITED');
      expect(error?.message).toContain('Trustpilot recommends at most 833 calls per 5 minutes');
      expect(error?.message).not.toContain('Trustpilot said');
    });

    it('maps 400 to CONFIG and leaves server errors to the retry policy', async () => {
      server.reset([errorRoute(400, 'JSON'), ...routes]);
      const bad = (await aggregate([source()], FAST)).sources[0]?.error;
      expect(bad?.code).toBe('CONFIG');
      expect(bad?.message).toContain('check `businessUnitId` (Trustpilot said: {"message":"Bad Request"})');
      server.reset([{ ...errorRoute(500, 'HTML'), times: 1 }, ...routes]);
      const retried = await aggregate([source()], { ...FAST, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
      expect(retried.sources[0]).toMatchObject({ status: 'ok', fetched: 7 });
    });

    it('retries a 429 with an HTML body, honouring Retry-After', async () => {
      server.reset([{ ...errorRoute(429, 'HTML'), headers: { 'content-type': 'text/html', 'retry-after': '1' }, times: 1 }, ...routes]);
      const retries: number[] = [];
      const { sources } = await aggregate([source()], {
        ...FAST,
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5000 },
        onProgress: (e) => e.type === 'source:retry' && retries.push(e.delayMs),
      });
      expect(retries).toEqual([1000]);
      expect(sources[0]).toMatchObject({ status: 'ok', fetched: 7 });
    });

    it('keeps what it read when a later page fails', async () => {
      server.reset([business, page1, errorRoute(429, 'empty'), ...routes]);
      const { reviews, sources } = await aggregate([source()], FAST);
      expect(reviews.map((r) => r.externalId)).toEqual([1, 2, 3].map(ID));
      expect(sources[0]).toMatchObject({ status: 'partial', fetched: 3, cursor: '2' });
      expect(sources[0]?.error?.code).toBe('RATE_LIMITED');
    });
  });

  it('spaces requests at 2.5 a second by default (under 833 per 5 minutes and 10,000 per hour)', async () => {
    server.reset(routes);
    const start = Date.now();
    await aggregate([trustpilot({ apiKey: API_KEY, businessUnitId: BU, perPage: 3, baseUrl: server.url })], FAST);
    // The n-th request (from 0) cannot leave before start + n × 400 ms (less a little timer slack).
    expect(server.requests.map((r, n) => r.receivedAt - start >= n * 400 - 20)).toEqual([true, true, true, true]);
  });

  it('resumes from a page cursor', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate([source({ cursor: '2' })], FAST);
    expect(reviews.map((r) => r.externalId)).toEqual([4, 5, 6, 7].map(ID));
    expect(sources[0]?.pages).toBe(2);
    expect(pageRequests().map((r) => r.query.page)).toEqual(['2', '3']);
  });

  it('stops paging once reviews are older than since (newest first)', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate([source()], { ...FAST, since: new Date('2025-05-10T00:00:00Z') });
    expect(reviews.map((r) => r.externalId)).toEqual([1, 2, 3, 4].map(ID));
    expect(sources[0]?.coverage).toEqual({ complete: false, reason: 'since', reportedTotal: 7 });
    // Page 2 held the first older review: page 3 is never asked for.
    expect(pageRequests().map((r) => r.query.page)).toEqual(['1', '2']);
  });

  describe('options', () => {
    const configError = (options: Record<string, unknown>) => {
      try {
        trustpilot(options as unknown as Parameters<typeof trustpilot>[0]);
      } catch (error) {
        return error as ReviewkitError;
      }
      throw new Error('expected a CONFIG error');
    };

    it('rejects a page size outside 1–100', () => {
      for (const perPage of [0, 101, 2.5]) {
        const error = configError({ apiKey: API_KEY, businessUnitId: BU, perPage });
        expect(error.code).toBe('CONFIG');
        expect(error.message).toContain('`perPage`');
      }
    });

    it('rejects a domain or URL where the business unit id belongs', () => {
      for (const businessUnitId of ['acmegarden.example', 'https://www.trustpilot.com/review/acmegarden.example']) {
        const error = configError({ apiKey: API_KEY, businessUnitId });
        expect(error.code).toBe('CONFIG');
        expect(error.message).toBe(
          'trustpilot: option `businessUnitId` is invalid: must be a business unit id like 507f191e810c19729de860ea, not a domain or URL.',
        );
      }
    });

    it('accepts businessUserId only with accessToken, and never prints either credential', () => {
      const alone = configError({ apiKey: API_KEY, businessUnitId: BU, businessUserId: '60aa11bb22cc33dd44ee55ff' });
      expect(alone.code).toBe('CONFIG');
      expect(alone.message).toBe('trustpilot: option `businessUserId` is invalid: needs `accessToken` (that business user’s OAuth token): replies are posted with both.');
      const spaced = configError({ apiKey: API_KEY, businessUnitId: BU, accessToken: ACCESS_TOKEN, businessUserId: 'not an id' });
      expect(spaced.message).toContain('`businessUserId`');
      expectNoSecrets(spaced, [API_KEY, ACCESS_TOKEN]);
      const paired = trustpilot({ apiKey: API_KEY, businessUnitId: BU, accessToken: ACCESS_TOKEN, businessUserId: '60aa11bb22cc33dd44ee55ff' });
      expect(paired.subjectId).toBe(BU);
      expect(paired.order).toBe('newest-first');
      expectNoSecrets(paired, [API_KEY, ACCESS_TOKEN]);
      // The private and public adapters of one business unit read different data: two keys.
      expect(paired.key).not.toBe(trustpilot({ apiKey: API_KEY, businessUnitId: BU }).key);
    });

    it('rejects a cursor that is not a page number', async () => {
      server.reset(routes);
      for (const cursor of ['abc', '0', '2147483648']) {
        const { sources } = await aggregate([source({ cursor })], FAST);
        expect(sources[0]?.error?.code).toBe('CONFIG');
        expect(sources[0]?.error?.message).toContain('`cursor`');
      }
      expect(server.requests).toEqual([]);
    });
  });
});
