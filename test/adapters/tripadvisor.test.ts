// Fixtures follow the Content API's response models (readme.io reference, as transcribed in third-party
// code) and captured older-API payloads; values are invented. The `{"error":{…}}` bodies use the
// reference's error model, whose real `type`/`code` values were never seen: only their shape is real.
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tripadvisor } from '../../adapters/tripadvisor.js';
import { type AggregateOptions, aggregate, type ErrorCode, type ProgressEvent, type Review, ReviewkitError } from '../../src/index.js';
import { expectNoSecrets, type FixtureRoute, type FixtureServer, startFixtureServer, testAdapter } from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/tripadvisor/${name}.json`, import.meta.url), 'utf8'));

const API_KEY = 'TA5ECRE7KEY0C0FFEE1234567890ABCD';
const LOCATION = '2368914';
const SMALL = '31415926';
const FAST: AggregateOptions = { retry: { attempts: 1 }, now: new Date('2024-03-05T00:00:00Z') };

const detailsPath = (id: string) => `/api/v1/location/${id}/details`;
const reviewsPath = (id: string) => `/api/v1/location/${id}/reviews`;

const details: FixtureRoute = { path: detailsPath(LOCATION), query: { key: API_KEY, language: 'en' }, body: fixture('location-details') };
const recent: FixtureRoute = {
  path: reviewsPath(LOCATION),
  query: { key: API_KEY, language: 'en', limit: '5', offset: null },
  body: fixture('reviews-recent'),
};
const routes: FixtureRoute[] = [details, recent];

interface ErrorCase {
  name: string;
  file: string;
  status: number;
  code: ErrorCode;
  vendorCode: string | undefined;
  /** Which request answers with it (both, for a key or location that is wrong everywhere). */
  on: 'details' | 'reviews' | 'both';
  headers?: Record<string, string>;
  isRetryable: boolean;
}
const errorCases: ErrorCase[] = [
  {
    name: '401 Unauthorized from the gateway (invalid key)',
    file: 'error-401-unauthorized',
    status: 401,
    code: 'AUTH',
    vendorCode: 'UnauthorizedException',
    on: 'both',
    headers: { 'x-amzn-ErrorType': 'UnauthorizedException:http://internal.amazon.com/coral/com.amazon.coral.service/' },
    isRetryable: false,
  },
  {
    name: '401 in the Content API error model',
    file: 'error-401-invalid-key',
    status: 401,
    code: 'AUTH',
    vendorCode: '401',
    on: 'reviews',
    isRetryable: false,
  },
  {
    name: '403 explicit deny (IP or domain not on the allow-list)',
    file: 'error-403-explicit-deny',
    status: 403,
    code: 'FORBIDDEN',
    vendorCode: 'AccessDeniedException',
    on: 'both',
    headers: { 'x-amzn-ErrorType': 'AccessDeniedException' },
    isRetryable: false,
  },
  {
    name: '403 Forbidden from the gateway',
    file: 'error-403-forbidden',
    status: 403,
    code: 'FORBIDDEN',
    vendorCode: 'ForbiddenException',
    on: 'reviews',
    headers: { 'x-amzn-ErrorType': 'ForbiddenException' },
    isRetryable: false,
  },
  { name: '404 unknown location', file: 'error-404-location', status: 404, code: 'NOT_FOUND', vendorCode: '404', on: 'both', isRetryable: false },
  { name: '400 invalid parameter', file: 'error-400-language', status: 400, code: 'CONFIG', vendorCode: '400', on: 'reviews', isRetryable: false },
  {
    name: '429 Too Many Requests (throttled)',
    file: 'error-429-too-many-requests',
    status: 429,
    code: 'RATE_LIMITED',
    vendorCode: undefined,
    on: 'reviews',
    isRetryable: true,
  },
  {
    name: '429 Limit Exceeded (quota)',
    file: 'error-429-limit-exceeded',
    status: 429,
    code: 'RATE_LIMITED',
    vendorCode: undefined,
    on: 'details',
    isRetryable: true,
  },
];
const caseOf = (file: string): ErrorCase => {
  const found = errorCases.find((c) => c.file === file);
  if (!found) throw new Error(`no error case for ${file}`);
  return found;
};
const errorRoutes = (c: ErrorCase, extra: Partial<FixtureRoute> = {}): FixtureRoute[] =>
  (c.on === 'both' ? (['details', 'reviews'] as const) : [c.on]).map((on) => ({
    path: on === 'details' ? detailsPath(LOCATION) : reviewsPath(LOCATION),
    status: c.status,
    body: fixture(c.file),
    ...(c.headers && { headers: c.headers }),
    ...extra,
  }));

testAdapter(tripadvisor, {
  options: { apiKey: API_KEY, locationId: LOCATION },
  requiredOptions: ['apiKey', 'locationId'],
  secrets: [API_KEY],
  routes,
  firstPage: recent,
  expectedReviews: 5,
  expectedPages: 1,
  errors: errorCases.map((c) => ({ name: c.name, routes: errorRoutes(c), code: c.code })),
});

describe('tripadvisor adapter', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(routes);
  });
  afterAll(() => server.close());
  const source = (extra: Record<string, unknown> = {}) => tripadvisor({ apiKey: API_KEY, locationId: LOCATION, baseUrl: server.url, ...extra });
  const byId = (reviews: Review[]) => new Map(reviews.map((r) => [r.externalId, r]));
  const pathsRequested = () => server.requests.map((r) => r.path).sort();

  describe('a full page of 5 (the platform cap)', () => {
    it('normalizes a review with an owner response and subratings exactly', async () => {
      server.reset(routes);
      const { reviews } = await aggregate([source()], FAST);
      expect(byId(reviews).get('941200001')).toEqual({
        id: 'tripadvisor:941200001',
        source: 'tripadvisor',
        externalId: '941200001',
        subject: { id: LOCATION, name: 'Acme Harbour Hotel' },
        url: 'https://www.tripadvisor.com/ShowUserReviews-g60745-d2368914-r941200001-Acme_Harbour_Hotel-Boston_Massachusetts.html?m=66827#review941200001',
        author: {
          name: 'TestTraveller01',
          id: null,
          url: null,
          avatarUrl: 'https://media-cdn.tripadvisor.com/media/photo-f/1a/f6/00/01/default-avatar-2020-01.jpg',
        },
        rating: { value: 5, min: 1, max: 5 },
        stars: 5,
        recommendation: null,
        polarity: 'positive',
        title: 'Harbour views and a quiet night',
        // Plain text: "&" stays, doubled spaces go.
        text: 'Lovely room facing the harbour & a very quiet floor.\nBreakfast was excellent, the coffee even better.',
        language: 'en',
        createdAt: new Date('2024-02-18T05:12:44.000Z'),
        updatedAt: null,
        datePrecision: 'instant',
        replies: [
          {
            text: 'Dear guest, thank you for choosing us for your getaway.\nWe hope to welcome you back soon.',
            createdAt: new Date('2024-02-20T14:03:11.000Z'),
            author: 'Front Office Manager',
          },
        ],
        helpfulVotes: 3,
        extra: {
          tripType: 'Couples',
          travelDate: '2024-01',
          // In key order "0", "1", "2", "10": numeric, not lexical.
          subratings: [
            { name: 'RATE_VALUE', localizedName: 'Value', value: 5 },
            { name: 'RATE_ROOM', localizedName: 'Rooms', value: 4 },
            { name: 'RATE_SERVICE', localizedName: 'Service', value: 5 },
            { name: 'RATE_SLEEP', localizedName: 'Sleep Quality', value: 5 },
          ],
        },
      });
    });

    it('normalizes a review without subratings or owner response exactly', async () => {
      server.reset(routes);
      const { reviews } = await aggregate([source()], FAST);
      expect(byId(reviews).get('941100002')).toEqual({
        id: 'tripadvisor:941100002',
        source: 'tripadvisor',
        externalId: '941100002',
        subject: { id: LOCATION, name: 'Acme Harbour Hotel' },
        url: 'https://www.tripadvisor.com/ShowUserReviews-g60745-d2368914-r941100002-Acme_Harbour_Hotel-Boston_Massachusetts.html?m=66827#review941100002',
        author: {
          name: 'TestTraveller02',
          id: null,
          url: null,
          // No large, medium or original size: the small one.
          avatarUrl: 'https://media-cdn.tripadvisor.com/media/photo-l/1a/f6/00/02/default-avatar-2020-02.jpg',
        },
        rating: { value: 4, min: 1, max: 5 },
        stars: 4,
        recommendation: null,
        polarity: 'positive',
        title: 'Solid business stay',
        text: 'Good base for meetings downtown. Wi-Fi was fast.',
        language: 'en',
        createdAt: new Date('2024-02-11T21:40:00.000Z'),
        updatedAt: null,
        datePrecision: 'instant',
        replies: [],
        helpfulVotes: 0,
        extra: { tripType: 'Business', travelDate: '2024-02' },
      });
    });

    it('gives a machine-translated review the requested language and keeps the original one', async () => {
      server.reset(routes);
      const { reviews } = await aggregate([source()], FAST);
      expect(byId(reviews).get('940900003')).toEqual({
        id: 'tripadvisor:940900003',
        source: 'tripadvisor',
        externalId: '940900003',
        subject: { id: LOCATION, name: 'Acme Harbour Hotel' },
        url: 'https://www.tripadvisor.com/ShowUserReviews-g60745-d2368914-r940900003-Acme_Harbour_Hotel-Boston_Massachusetts.html?m=66827#review940900003',
        author: {
          name: 'TestReisende03',
          id: null,
          url: null,
          avatarUrl: 'https://media-cdn.tripadvisor.com/media/photo-f/1a/f6/00/03/default-avatar-2020-03.jpg',
        },
        rating: { value: 4, min: 1, max: 5 },
        stars: 4,
        recommendation: null,
        polarity: 'positive',
        title: 'Friendly staff',
        text: 'The staff were very friendly to our children. The pool was a little cold.',
        language: 'en',
        createdAt: new Date('2024-01-30T08:05:10.000Z'),
        updatedAt: null,
        datePrecision: 'instant',
        replies: [],
        helpfulVotes: 1,
        extra: {
          tripType: 'Family',
          travelDate: '2023-12',
          subratings: [{ name: 'RATE_CLEANLINESS', localizedName: 'Cleanliness', value: 4 }],
          translated: true,
          originalLanguage: 'de',
        },
      });
    });

    it('reads the rest of the page, newest first, with the reply of a negative review', async () => {
      server.reset(routes);
      const { reviews } = await aggregate([source()], FAST);
      expect(reviews.map((r) => [r.externalId, r.createdAt?.toISOString(), r.stars, r.polarity, r.helpfulVotes])).toEqual([
        ['941200001', '2024-02-18T05:12:44.000Z', 5, 'positive', 3],
        ['941100002', '2024-02-11T21:40:00.000Z', 4, 'positive', 0],
        ['940900003', '2024-01-30T08:05:10.000Z', 4, 'positive', 1],
        ['940500004', '2024-01-02T23:59:59.000Z', 2, 'negative', 2],
        // Still 2023 in UTC, whatever the machine's zone (tests run in Pacific/Chatham, UTC+13:45).
        ['940000005', '2023-12-31T23:30:00.000Z', 3, 'neutral', 0],
      ]);
      expect(byId(reviews).get('940500004')?.replies).toEqual([
        {
          text: 'We are sorry about the wait. We have changed how we handle early arrivals.',
          createdAt: new Date('2024-01-04T09:00:00.000Z'),
          author: 'Guest Relations',
        },
      ]);
      // An empty avatar map: no avatar, the name kept.
      expect(byId(reviews).get('940000005')?.author).toEqual({ name: 'TestTraveller05', id: null, url: null, avatarUrl: null });
      expect(byId(reviews).get('940000005')?.extra).toEqual({ tripType: 'Solo travel', travelDate: '2023-12' });
    });

    it('reports platform-limit coverage and the summary from the location details, after one reviews request', async () => {
      server.reset(routes);
      const { sources } = await aggregate([source()], FAST);
      expect(sources[0]).toMatchObject({ source: 'tripadvisor', subjectId: LOCATION, status: 'ok', fetched: 5, pages: 1 });
      expect(sources[0]?.coverage).toEqual({ complete: false, reason: 'platform-limit', reportedTotal: 2418 });
      // `rating` "4.5" and `num_reviews` "2418" are strings in the details.
      expect(sources[0]?.summary).toEqual({ average: 4.5, count: 2418 });
      expect(sources[0]?.cursor).toBeUndefined();
      // The API never serves more than 5: no second reviews request, though the location has 2418.
      expect(pathsRequested()).toEqual([detailsPath(LOCATION), reviewsPath(LOCATION)]);
    });

    it('calls it platform-limited when the count is missing but the page is full', async () => {
      const { num_reviews: _count, ...withoutCount } = fixture('location-details') as Record<string, unknown>;
      server.reset([{ ...details, body: withoutCount }, recent]);
      const { sources } = await aggregate([source()], FAST);
      expect(sources[0]?.coverage).toEqual({ complete: false, reason: 'platform-limit', reportedTotal: null });
      expect(sources[0]?.summary).toEqual({ average: 4.5, count: null });
    });
  });

  describe('a short page (a location with 3 reviews)', () => {
    const small = (query: Record<string, string | null> = {}): FixtureRoute[] => [
      { path: detailsPath(SMALL), query, body: fixture('location-details-small') },
      { path: reviewsPath(SMALL), query, body: fixture('reviews-small') },
    ];

    it('is complete, and no request follows the short page', async () => {
      server.reset(small());
      const { reviews, sources } = await aggregate([source({ locationId: SMALL })], FAST);
      expect(reviews.map((r) => [r.externalId, r.subject, r.stars, r.author.avatarUrl])).toEqual([
        ['952000001', { id: SMALL, name: 'Acme Tea Room' }, 5, 'https://media-cdn.tripadvisor.com/media/photo-l/1a/f6/00/11/default-avatar-2020-11.jpg'],
        ['951000002', { id: SMALL, name: 'Acme Tea Room' }, 4, 'https://media-cdn.tripadvisor.com/media/photo-l/1a/f6/00/12/default-avatar-2020-12.jpg'],
        ['950000003', { id: SMALL, name: 'Acme Tea Room' }, 3, 'https://media-cdn.tripadvisor.com/media/photo-l/1a/f6/00/13/default-avatar-2020-13.jpg'],
      ]);
      expect(sources[0]).toMatchObject({ status: 'ok', fetched: 3, pages: 1 });
      expect(sources[0]?.coverage).toEqual({ complete: true, reportedTotal: 3 });
      expect(sources[0]?.summary).toEqual({ average: 4, count: 3 });
      expect(server.requests.filter((r) => r.path === reviewsPath(SMALL))).toHaveLength(1);
      expect(pathsRequested()).toEqual([detailsPath(SMALL), reviewsPath(SMALL)]);
    });

    it('reads the details figures when they come as numbers too', async () => {
      const numeric = { ...(fixture('location-details-small') as object), location_id: 31415926, rating: 4, num_reviews: 3 };
      server.reset([{ path: detailsPath(SMALL), body: numeric }, ...small().slice(1)]);
      const { sources } = await aggregate([source({ locationId: SMALL })], FAST);
      expect(sources[0]?.summary).toEqual({ average: 4, count: 3 });
      expect(sources[0]?.coverage).toEqual({ complete: true, reportedTotal: 3 });
    });

    it('reads a location without reviews as one empty, complete page', async () => {
      server.reset([
        { path: detailsPath(SMALL), body: { location_id: SMALL, name: 'Acme Tea Room', num_reviews: '0' } },
        { path: reviewsPath(SMALL), body: { data: [] } },
      ]);
      const { reviews, sources } = await aggregate([source({ locationId: SMALL })], FAST);
      expect(reviews).toEqual([]);
      expect(sources[0]).toMatchObject({ status: 'ok', fetched: 0, pages: 1 });
      expect(sources[0]?.coverage).toEqual({ complete: true, reportedTotal: 0 });
      expect(sources[0]?.summary).toEqual({ average: null, count: 0 });
    });
  });

  describe('an edge page', () => {
    const edge = (): FixtureRoute[] => [details, { ...recent, body: fixture('reviews-edge') }];

    it('reads an older-API review: string ids and votes, string subrating values, a -0500 offset', async () => {
      server.reset(edge());
      const { reviews } = await aggregate([source()], FAST);
      expect(byId(reviews).get('258711234')).toEqual({
        id: 'tripadvisor:258711234',
        source: 'tripadvisor',
        externalId: '258711234',
        subject: { id: LOCATION, name: 'Acme Harbour Hotel' },
        url: 'https://www.tripadvisor.com/ShowUserReviews-g60745-d2368914-r258711234-Acme_Harbour_Hotel-Boston_Massachusetts.html#review258711234',
        author: {
          name: 'OldSchoolTester',
          id: null,
          url: null,
          // Avatar sizes as `{ url, width, height }` objects.
          avatarUrl: 'https://media-cdn.tripadvisor.com/media/avatar/default-avatar-large-07.jpg',
        },
        rating: { value: 4, min: 1, max: 5 },
        stars: 4,
        recommendation: null,
        polarity: 'positive',
        title: 'Great in a blizzard',
        text: 'Snowed in for two days; the staff kept the kitchen open late.',
        language: 'en',
        // 13:14:22-0500 is 18:14:22 UTC.
        createdAt: new Date('2015-02-20T18:14:22.000Z'),
        updatedAt: null,
        datePrecision: 'instant',
        // 09:12:45-0400 (after the switch to daylight time) is 13:12:45 UTC.
        replies: [{ text: 'Thank you for your kind words about our team!', createdAt: new Date('2015-03-10T13:12:45.000Z'), author: 'GuestServicesMgr' }],
        // "12" in the old API.
        helpfulVotes: 12,
        extra: {
          tripType: 'Business',
          travelDate: '2015-02',
          subratings: [
            { name: 'rate_location', localizedName: 'Location', value: 5 },
            { name: 'rate_cleanliness', localizedName: 'Cleanliness', value: 4.5 },
          ],
        },
      });
    });

    it('reads an anonymous review with empty fields and a blank owner response', async () => {
      server.reset(edge());
      const { reviews } = await aggregate([source()], FAST);
      expect(byId(reviews).get('941600007')).toEqual({
        id: 'tripadvisor:941600007',
        source: 'tripadvisor',
        externalId: '941600007',
        subject: { id: LOCATION, name: 'Acme Harbour Hotel' },
        url: null,
        author: { name: null, id: null, url: null, avatarUrl: null },
        rating: { value: 1, min: 1, max: 5 },
        stars: 1,
        recommendation: null,
        polarity: 'negative',
        title: null,
        // Plain text: a literal "&amp;" is what the reviewer typed.
        text: 'Parking cost more than the room &amp; nobody warned us.',
        language: 'en',
        createdAt: new Date('2023-11-05T05:30:00.000Z'),
        updatedAt: null,
        datePrecision: 'instant',
        replies: [],
        helpfulVotes: null,
        extra: {},
      });
    });

    it('skips a review with an unreadable date and keeps the rest of the page', async () => {
      server.reset(edge());
      const { reviews, sources } = await aggregate([source()], FAST);
      expect(reviews.map((r) => r.externalId)).toEqual(['941600007', '258711234']);
      expect(sources[0]).toMatchObject({ status: 'partial', fetched: 2, pages: 1, skippedCount: 1 });
      expect(sources[0]?.skipped).toEqual([
        { page: 1, index: 1, externalId: '941500006', stage: 'item', path: 'published_date', reason: 'Not an ISO 8601 date' },
      ]);
      expect(sources[0]?.error).toBeUndefined();
    });

    it('skips a review with a fractional rating or unreadable helpful votes', async () => {
      const page = fixture('reviews-recent') as { data: Record<string, unknown>[] };
      const broken = { data: page.data.map((r, i) => (i === 2 ? { ...r, rating: 4.5 } : i === 3 ? { ...r, helpful_votes: 'many' } : r)) };
      server.reset([details, { ...recent, body: broken }]);
      const { reviews, sources } = await aggregate([source()], FAST);
      expect(reviews.map((r) => r.externalId)).toEqual(['941200001', '941100002', '940000005']);
      expect(sources[0]?.skipped).toEqual([
        { page: 1, index: 2, externalId: '940900003', stage: 'item', path: 'rating', reason: 'Invalid input: expected int, received number' },
        { page: 1, index: 3, externalId: '940500004', stage: 'item', path: 'helpful_votes', reason: 'Invalid input' },
      ]);
    });
  });

  describe('requests', () => {
    it('sends the key and language as query parameters, limit=5, and no offset', async () => {
      server.reset(routes);
      await aggregate([source()], FAST);
      const [detailsRequest] = server.requests.filter((r) => r.path === detailsPath(LOCATION));
      const [reviewsRequest] = server.requests.filter((r) => r.path === reviewsPath(LOCATION));
      expect(detailsRequest?.query).toEqual({ key: API_KEY, language: 'en' });
      expect(reviewsRequest?.query).toEqual({ key: API_KEY, language: 'en', limit: '5' });
      // The key travels only in the query: no header carries it.
      for (const request of server.requests) {
        expect(JSON.stringify(request.headers)).not.toContain(API_KEY);
        expect(request.headers['user-agent']).toMatch(/^reviewkit\//);
      }
    });

    it('passes the language option to both requests and tags machine translations with it', async () => {
      server.reset([
        { ...details, query: { key: API_KEY, language: 'pt_PT' } },
        { ...recent, query: { key: API_KEY, language: 'pt_PT', limit: '5' } },
      ]);
      const { reviews, sources } = await aggregate([source({ language: 'pt_PT' })], FAST);
      expect(sources[0]?.status).toBe('ok');
      expect(server.requests.map((r) => r.query.language)).toEqual(['pt_PT', 'pt_PT']);
      expect(byId(reviews).get('940900003')?.language).toBe('pt-PT');
      expect(byId(reviews).get('940900003')?.extra).toMatchObject({ translated: true, originalLanguage: 'de' });
      // A review that was not translated keeps its own `lang`.
      expect(byId(reviews).get('941200001')?.language).toBe('en');
    });

    it('sends a Referer given through the http option (keys restricted by domain)', async () => {
      server.reset(routes);
      await aggregate([source({ http: { headers: { Referer: 'https://www.example.com/' } } })], FAST);
      expect(server.requests.map((r) => r.headers.referer)).toEqual(['https://www.example.com/', 'https://www.example.com/']);
    });

    it('calls api.content.tripadvisor.com when no baseUrl is given', async () => {
      // A DNS lookup that fails keeps the test offline; the error still names the URL it tried.
      const http = { lookup: async (): Promise<[string, number]> => Promise.reject(new Error('offline test')) };
      const error = (await aggregate([tripadvisor({ apiKey: API_KEY, locationId: LOCATION, http })], FAST)).sources[0]?.error;
      expect(error?.code).toBe('NETWORK');
      expect(error?.url).toBe(`https://api.content.tripadvisor.com/api/v1/location/${LOCATION}/details?key=[REDACTED]&language=en`);
      expectNoSecrets(error, [API_KEY]);
    });

    it('rejects a non-numeric location id and a malformed language up front', () => {
      expect(() => tripadvisor({ apiKey: API_KEY, locationId: 'd2368914' })).toThrow(/`locationId` is invalid: must be a numeric Tripadvisor location id/);
      expect(() => tripadvisor({ apiKey: API_KEY, locationId: LOCATION, language: 'english' })).toThrow(/`language` is invalid/);
      expect(() => tripadvisor({ apiKey: API_KEY, locationId: LOCATION, language: 'pt-PT' })).toThrow(/like en or pt_PT/);
      expect(tripadvisor({ apiKey: API_KEY, locationId: LOCATION, language: 'zh_TW' }).subjectId).toBe(LOCATION);
    });
  });

  describe('errors', () => {
    it.each(errorCases)('maps $name to $code with the vendor code and message', async (c) => {
      server.reset([...errorRoutes(c), ...routes]);
      const { sources } = await aggregate([source()], FAST);
      const error = sources[0]?.error;
      expect(sources[0]?.status).toBe('failed');
      expect(ReviewkitError.is(error)).toBe(true);
      expect(error?.code).toBe(c.code);
      expect(error?.status).toBe(c.status);
      expect(error?.vendorCode).toBe(c.vendorCode);
      expect(error?.isRetryable).toBe(c.isRetryable);
      const body = fixture(c.file) as { message?: string; Message?: string; error?: { message: string } };
      expect(error?.message).toContain(body.error?.message ?? body.message ?? body.Message);
      expect(error?.url).toContain('key=[REDACTED]');
      expectNoSecrets(error, [API_KEY]);
    });

    it('explains the explicit deny: the allow-list of IP addresses or domains', async () => {
      server.reset(errorRoutes(caseOf('error-403-explicit-deny')));
      const error = (await aggregate([source()], FAST)).sources[0]?.error;
      // Both requests are denied; the details request is the first of the pair.
      expect(error?.message).toBe(
        `tripadvisor: GET ${server.url}${detailsPath(LOCATION)}?key=[REDACTED]&language=en failed with HTTP 403 AccessDeniedException: ` +
          'User is not authorized to access this resource with an explicit deny. Tripadvisor refuses calls from an IP address or domain ' +
          'that is not on the API key’s allow-list (or with a wrong key): add this machine’s public IP at https://www.tripadvisor.com/developers, ' +
          'or, for a domain restriction, send a Referer of an allowed domain with the `http: { headers: { Referer } }` option. ' +
          'The credentials lack a permission or plan this endpoint needs.',
      );
    });

    it('does not retry a spent quota (Limit Exceeded) but retries a throttle, then succeeds', async () => {
      const retry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
      server.reset([...errorRoutes(caseOf('error-429-limit-exceeded')), ...routes]);
      const quota = await aggregate([source()], { ...FAST, retry });
      expect(quota.sources[0]?.error?.message).toContain('Limit Exceeded: the API key’s call quota or the daily limit set for it at https://www.tripadvisor.com/developers is used up');
      expect(server.requests.filter((r) => r.path === detailsPath(LOCATION))).toHaveLength(1);

      server.reset([...errorRoutes(caseOf('error-429-too-many-requests'), { times: 2 }), ...routes]);
      const retries: number[] = [];
      const throttled = await aggregate([source()], { ...FAST, retry, onProgress: (e) => e.type === 'source:retry' && retries.push(e.attempt) });
      expect(retries).toEqual([1, 2]);
      expect(throttled.sources[0]).toMatchObject({ status: 'ok', fetched: 5 });
    });

    it('reports an error object sent with HTTP 200 as BAD_RESPONSE with Tripadvisor’s message', async () => {
      server.reset([details, { ...recent, body: { error: { message: 'Internal error while reading reviews', type: 'InternalError', code: 500 } } }]);
      const error = (await aggregate([source()], FAST)).sources[0]?.error;
      expect(error).toMatchObject({ code: 'BAD_RESPONSE', status: 200, vendorCode: '500' });
      expect(error?.message).toContain('Internal error while reading reviews (InternalError)');
    });
  });

  describe('the key never leaks', () => {
    it('stays out of errors, messages, urls, progress events and reports, even when a body quotes it', async () => {
      const quoting = {
        Message: `User is not authorized: https://api.content.tripadvisor.com/api/v1/location/${LOCATION}/reviews?key=${API_KEY}&language=en (key ${API_KEY})`,
      };
      const failures: FixtureRoute[][] = [
        [{ path: reviewsPath(LOCATION), status: 403, body: quoting }],
        [{ path: detailsPath(LOCATION), status: 401, body: { message: `Unauthorized key ${API_KEY}` } }],
        // Schema drift and a malformed review: their messages and skip reports name the URL and fields.
        [{ path: reviewsPath(LOCATION), body: { reviews: [] } }],
        [{ ...recent, body: { data: [{ id: 1, published_date: API_KEY, rating: 5 }, ...(recent.body as { data: unknown[] }).data] } }],
        [{ ...recent, delayMs: 300 }],
      ];
      for (const front of failures) {
        server.reset([...front, ...routes]);
        const events: ProgressEvent[] = [];
        const adapter = source();
        const result = await aggregate([adapter], { ...FAST, timeoutMs: 150, onProgress: (e) => events.push(e) });
        const report = result.sources[0];
        expect(report?.status).not.toBe('ok');
        expectNoSecrets(report?.error, [API_KEY]);
        expectNoSecrets(events, [API_KEY]);
        expectNoSecrets(result, [API_KEY]);
        const printed = [inspect(result, { depth: 10, showHidden: true }), JSON.stringify(result), inspect(adapter, { depth: 10 }), JSON.stringify(adapter)];
        for (const view of printed) expect(view).not.toContain(API_KEY);
        if (report?.error) {
          expect(report.error.url).toMatch(/\?key=\[REDACTED\]&language=en/);
        }
      }
    });
  });
});
