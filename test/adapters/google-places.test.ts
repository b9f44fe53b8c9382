import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googlePlaces } from '../../adapters/google/index.js';
import { type AggregateOptions, aggregate, type Review, ReviewkitError } from '../../src/index.js';
import { expectNoSecrets, type FixtureRoute, type FixtureServer, startFixtureServer, testAdapter } from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/google/${name}.json`, import.meta.url), 'utf8'));

const API_KEY = 'AIzaSyTest-SECRET_places_0123456789abcdef';
const PLACE = 'ChIJAcmeNoodleBar0000Example';
const NOW = new Date('2025-03-28T12:00:00Z');
const FAST: AggregateOptions = { retry: { attempts: 1 }, now: NOW };

const newPath = `/v1/places/${PLACE}`;
const newRoute: FixtureRoute = { path: newPath, body: fixture('places-new-details') };
const newError = (status: number, name: string): FixtureRoute[] => [{ path: newPath, status, body: fixture(name) }];

const legacyPath = '/maps/api/place/details/json';
const legacyRoute: FixtureRoute = { path: legacyPath, query: { place_id: PLACE }, body: fixture('places-legacy-details') };
// The legacy API reports its errors with HTTP 200 and a `status` in the body.
const legacyError = (name: string): FixtureRoute[] => [{ path: legacyPath, body: fixture(name) }];

testAdapter(googlePlaces, {
  options: { apiKey: API_KEY, placeId: PLACE },
  requiredOptions: ['apiKey', 'placeId'],
  secrets: [API_KEY],
  routes: [newRoute],
  expectedReviews: 5,
  expectedPages: 1,
  errors: [
    { name: 'INVALID_ARGUMENT API_KEY_INVALID (400)', routes: newError(400, 'places-new-error-api-key-invalid'), code: 'AUTH' },
    { name: 'PERMISSION_DENIED (403)', routes: newError(403, 'places-new-error-permission-denied'), code: 'FORBIDDEN' },
    { name: 'RESOURCE_EXHAUSTED (429)', routes: newError(429, 'places-new-error-resource-exhausted'), code: 'RATE_LIMITED' },
    { name: 'NOT_FOUND (404)', routes: newError(404, 'places-new-error-not-found'), code: 'NOT_FOUND' },
    { name: 'INVALID_ARGUMENT without a field mask (400)', routes: newError(400, 'places-new-error-field-mask'), code: 'CONFIG' },
  ],
});

testAdapter(googlePlaces, {
  options: { apiKey: API_KEY, placeId: PLACE, api: 'legacy' },
  requiredOptions: ['apiKey', 'placeId'],
  secrets: [API_KEY],
  routes: [legacyRoute],
  expectedReviews: 5,
  expectedPages: 1,
  errors: [
    { name: 'legacy REQUEST_DENIED (HTTP 200)', routes: legacyError('places-legacy-error-request-denied'), code: 'AUTH' },
    { name: 'legacy OVER_QUERY_LIMIT (HTTP 200)', routes: legacyError('places-legacy-error-over-query-limit'), code: 'RATE_LIMITED' },
    { name: 'legacy NOT_FOUND (HTTP 200)', routes: legacyError('places-legacy-error-not-found'), code: 'NOT_FOUND' },
    { name: 'legacy ZERO_RESULTS (HTTP 200)', routes: legacyError('places-legacy-error-zero-results'), code: 'NOT_FOUND' },
    { name: 'legacy INVALID_REQUEST (HTTP 200)', routes: legacyError('places-legacy-error-invalid-request'), code: 'CONFIG' },
  ],
});

describe('googlePlaces', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server.close());
  const source = (extra: Record<string, unknown> = {}) => googlePlaces({ apiKey: API_KEY, placeId: PLACE, baseUrl: server.url, ...extra });
  const byId = (reviews: Review[]) => new Map(reviews.map((r) => [r.externalId, r]));

  describe("api: 'new'", () => {
    it('normalizes every field of a review', async () => {
      server.reset([newRoute]);
      const { reviews } = await aggregate([source()], FAST);
      expect(byId(reviews).get('ChZDSUhNMG9nS0VJQ0FnSUR4YWNtZTAxEAE')).toEqual({
        id: 'google-places:ChZDSUhNMG9nS0VJQ0FnSUR4YWNtZTAxEAE',
        source: 'google-places',
        externalId: 'ChZDSUhNMG9nS0VJQ0FnSUR4YWNtZTAxEAE',
        subject: { id: PLACE, name: 'Acme Noodle Bar' },
        url: 'https://www.google.com/maps/reviews/data=!4m6!14m5!1m4!2m3!1sChZDSUhNMG9nS0VJQ0FnSUR4YWNtZTAxEAE!2m1!1s0x0:0x1',
        author: {
          name: 'Test Reviewer One',
          id: '100000000000000000001',
          url: 'https://www.google.com/maps/contrib/100000000000000000001/reviews',
          avatarUrl: 'https://lh3.googleusercontent.com/a-/ALV-UjExampleOne=s128-c0x00000000-cc-rp-mo',
        },
        rating: { value: 5, min: 1, max: 5 },
        stars: 5,
        recommendation: null,
        polarity: 'positive',
        title: null,
        // Plain text: a literal "&amp;" is what the reviewer typed.
        text: 'Broth was rich & the noodles springy.\nThe &amp; on the menu made us laugh. Will be back!',
        language: 'en',
        // Six fractional digits, truncated to milliseconds.
        createdAt: new Date('2025-03-14T09:26:53.589Z'),
        updatedAt: null,
        datePrecision: 'instant',
        replies: [],
        helpfulVotes: null,
        extra: { relativeTime: '2 weeks ago', visitDate: { year: 2025, month: 3 } },
      });
    });

    it('keeps the original of a translated review, and handles rating-only reviews and 9-digit fractions', async () => {
      server.reset([newRoute]);
      const { reviews } = await aggregate([source()], FAST);
      const reviewsById = byId(reviews);
      const translated = reviewsById.get('ChdDSUhNMG9nS0VJQ0FnSUR4YWNtZTAyEAE');
      expect(translated?.text).toBe('Very good ramen, a little too salty.');
      expect(translated?.language).toBe('en');
      expect(translated?.extra).toEqual({
        relativeTime: 'a month ago',
        translated: true,
        originalText: 'Sehr gute Ramen, etwas zu salzig.',
        originalLanguage: 'de',
      });
      expect(translated?.createdAt?.toISOString()).toBe('2025-02-01T18:00:00.000Z');

      const ratingOnly = reviewsById.get('ChZDSUhNMG9nS0VJQ0FnSUR4YWNtZTAzEAE');
      expect(ratingOnly).toMatchObject({
        text: null,
        language: null,
        rating: { value: 3, min: 1, max: 5 },
        polarity: 'neutral',
        author: {
          name: 'Test Reviewer Three',
          id: '100000000000000000003',
          url: 'https://www.google.com/maps/contrib/100000000000000000003/reviews',
          avatarUrl: 'https://lh3.googleusercontent.com/a/ACg8ocExampleThree=s128-c0x00000000-cc-rp-mo',
        },
        extra: { relativeTime: '2 months ago' },
      });
      // .999999999 must not round into 2025.
      expect(ratingOnly?.createdAt?.toISOString()).toBe('2024-12-31T23:59:59.999Z');
      expect(reviewsById.get('ChZDSUhNMG9nS0VJQ0FnSUR4YWNtZTA1EAE')?.createdAt?.toISOString()).toBe('2024-03-02T12:00:00.000Z');
      expect(reviewsById.get('ChdDSUhNMG9nS0VJQ0FnSUR4YWNtZTA0EAE')?.polarity).toBe('negative');
      expect(reviews.map((r) => r.createdAt?.toISOString())).toEqual([
        '2025-03-14T09:26:53.589Z',
        '2025-02-01T18:00:00.000Z',
        '2024-12-31T23:59:59.999Z',
        '2024-09-15T07:05:00.120Z',
        '2024-03-02T12:00:00.000Z',
      ]);
    });

    it('reports the 5-review cap as platform-limit coverage with Google’s rating as summary', async () => {
      server.reset([newRoute]);
      const { sources } = await aggregate([source()], FAST);
      expect(sources[0]).toMatchObject({
        source: 'google-places',
        subjectId: PLACE,
        status: 'ok',
        fetched: 5,
        pages: 1,
        coverage: { complete: false, reason: 'platform-limit', reportedTotal: 1287 },
        summary: { average: 4.3, count: 1287 },
      });
      expect(sources[0]?.cursor).toBeUndefined();
    });

    it('is complete when every rating was returned, and handles a place nobody rated', async () => {
      server.reset([{ path: newPath, body: fixture('places-new-few-reviews') }]);
      const few = await aggregate([source()], FAST);
      expect(few.reviews).toHaveLength(2);
      expect(few.sources[0]?.coverage).toEqual({ complete: true, reportedTotal: 2 });

      // proto3 JSON leaves out `reviews`, `rating` and `userRatingCount` altogether.
      server.reset([{ path: newPath, body: fixture('places-new-unrated') }]);
      const none = await aggregate([source()], FAST);
      expect(none.reviews).toEqual([]);
      expect(none.sources[0]).toMatchObject({
        status: 'ok',
        coverage: { complete: true, reportedTotal: 0 },
        summary: { average: null, count: 0 },
      });
    });

    it('sends the key and the field mask as headers, and the language as languageCode', async () => {
      server.reset([newRoute]);
      await aggregate([source({ language: 'pt-BR' })], FAST);
      expect(server.requests).toHaveLength(1);
      const [request] = server.requests;
      expect(request?.path).toBe(newPath);
      expect(request?.query).toEqual({ languageCode: 'pt-BR' });
      expect(request?.headers['x-goog-api-key']).toBe(API_KEY);
      expect(request?.headers['x-goog-fieldmask']).toBe('id,displayName,rating,userRatingCount,reviews');
    });

    it('keeps Google’s message, status and reason in an API_KEY_INVALID error', async () => {
      server.reset(newError(400, 'places-new-error-api-key-invalid'));
      const error = (await aggregate([source()], FAST)).sources[0]?.error;
      expect(error).toMatchObject({ code: 'AUTH', status: 400, vendorCode: 'INVALID_ARGUMENT', isRetryable: false });
      expect(error?.message).toContain('API key not valid. Please pass a valid API key. (API_KEY_INVALID)');
      expectNoSecrets(error, [API_KEY]);
    });

    it('waits the RetryInfo delay of a RESOURCE_EXHAUSTED error, then succeeds', async () => {
      const exhausted = {
        error: {
          code: 429,
          message: 'Resource has been exhausted (e.g. check quota).',
          status: 'RESOURCE_EXHAUSTED',
          details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.05s' }],
        },
      };
      server.reset([{ path: newPath, status: 429, body: exhausted, times: 1 }, newRoute]);
      const delays: number[] = [];
      const result = await aggregate([source()], {
        ...FAST,
        retry: { attempts: 2, baseDelayMs: 1 },
        onProgress: (e) => e.type === 'source:retry' && delays.push(e.delayMs),
      });
      expect(delays).toEqual([50]);
      expect(result.sources[0]?.status).toBe('ok');
    });
    it('maps statuses and reasons that name Object properties by HTTP status, and ignores an endless retryDelay (same class as the legacy status below)', async () => {
      const body = { error: { code: 429, status: '__proto__', details: [{ reason: 'toString', retryDelay: `${'9'.repeat(400)}s` }] } };
      server.reset([{ path: newPath, status: 429, body }]);
      const error = (await aggregate([source()], FAST)).sources[0]?.error;
      expect(error).toMatchObject({ code: 'RATE_LIMITED', vendorCode: '__proto__' });
      expect(error?.retryAfterMs).toBeUndefined();
    });

    it('skips a review whose resource name ends without an id (found by the property tests)', async () => {
      // An empty last segment was an empty externalId: normalize returned an invalid review.
      const details = fixture('places-new-details') as { reviews: { name: string }[] };
      const [first, second] = details.reviews;
      if (first) first.name = '';
      if (second) second.name = `places/${PLACE}/reviews/`;
      server.reset([{ path: newPath, body: details }]);
      const { reviews, sources } = await aggregate([source()], FAST);
      expect(sources[0]?.skipped).toEqual([
        { page: 1, index: 0, externalId: null, stage: 'item', path: 'name', reason: 'must end in a review id' },
        { page: 1, index: 1, externalId: null, stage: 'item', path: 'name', reason: 'must end in a review id' },
      ]);
      expect(reviews).toHaveLength(3);
    });

    it('skips a review rated outside 1–5, naming the field (found by the property tests)', async () => {
      const details = fixture('places-new-details') as { reviews: { name: string; rating: unknown }[] };
      const [first, second] = details.reviews;
      if (first) first.rating = 0;
      if (second) second.rating = 6;
      server.reset([{ path: newPath, body: details }]);
      const { reviews, sources } = await aggregate([source()], FAST);
      const id = (review: { name: string } | undefined) => review?.name.slice(review.name.lastIndexOf('/') + 1);
      expect(sources[0]?.skipped).toEqual([
        { page: 1, index: 0, externalId: id(first), stage: 'item', path: 'rating', reason: 'Too small: expected number to be >=1' },
        { page: 1, index: 1, externalId: id(second), stage: 'item', path: 'rating', reason: 'Too big: expected number to be <=5' },
      ]);
      expect(reviews).toHaveLength(3);
    });
  });

  describe("api: 'legacy'", () => {
    const legacy = (extra: Record<string, unknown> = {}) => source({ api: 'legacy', ...extra });

    it('normalizes every field of a review, with a stable derived id and HTML text cleaned', async () => {
      server.reset([legacyRoute]);
      const { reviews } = await aggregate([legacy()], FAST);
      expect(byId(reviews).get('6c90efddfb89adf2')).toEqual({
        id: 'google-places:6c90efddfb89adf2',
        source: 'google-places',
        // sha1("https://www.google.com/maps/contrib/100000000000000000001/reviews\n1741944413"), first 16 hex digits.
        externalId: '6c90efddfb89adf2',
        subject: { id: PLACE, name: 'Acme Noodle Bar' },
        url: null,
        author: {
          name: 'Test Reviewer One',
          id: '100000000000000000001',
          url: 'https://www.google.com/maps/contrib/100000000000000000001/reviews',
          avatarUrl: 'https://lh3.googleusercontent.com/a-/ALV-UjExampleOne=s128-c0x00000000-cc-rp-mo',
        },
        rating: { value: 5, min: 1, max: 5 },
        stars: 5,
        recommendation: null,
        polarity: 'positive',
        title: null,
        text: 'Broth was rich & the noodles springy.\nWill be back!',
        language: 'en',
        createdAt: new Date('2025-03-14T09:26:53.000Z'),
        updatedAt: null,
        datePrecision: 'instant',
        replies: [],
        helpfulVotes: null,
        extra: { relativeTime: '2 weeks ago' },
      });
    });

    it('handles translated, rating-only and anonymous reviews and entities', async () => {
      server.reset([legacyRoute]);
      const { reviews, sources } = await aggregate([legacy()], FAST);
      const [, translated, ratingOnly, anonymous, entities] = reviews;
      expect(translated).toMatchObject({
        text: 'Very good ramen, a little too salty.',
        language: 'en',
        extra: { relativeTime: 'a month ago', translated: true, originalLanguage: 'de' },
      });
      expect(ratingOnly).toMatchObject({ text: null, language: null, rating: { value: 3, min: 1, max: 5 } });
      expect(ratingOnly?.author.avatarUrl).toBe('https://lh3.googleusercontent.com/a/ACg8ocExampleThree=s128-c0x00000000-cc-rp-mo');
      expect(ratingOnly?.createdAt?.toISOString()).toBe('2024-12-31T23:59:59.000Z');
      // No profile link: the id falls back to the display name.
      expect(anonymous).toMatchObject({
        externalId: 'c6e123869598b5ed',
        author: { name: 'A Google user', id: null, url: null, avatarUrl: null },
      });
      expect(entities?.text).toBe('Best gyoza in town. "Must try"');
      expect(sources[0]).toMatchObject({
        coverage: { complete: false, reason: 'platform-limit', reportedTotal: 1287 },
        summary: { average: 4.3, count: 1287 },
      });
    });

    it('derives the same ids when the texts come back in another language', async () => {
      server.reset([legacyRoute]);
      const first = await aggregate([legacy()], FAST);
      server.reset([{ path: legacyPath, query: { language: 'de' }, body: fixture('places-legacy-details-de') }]);
      const second = await aggregate([legacy({ language: 'de' })], FAST);
      expect(second.reviews[0]?.text).toBe('Die Brühe war kräftig & die Nudeln bissfest.\nWir kommen wieder!');
      expect(second.reviews.map((r) => r.id)).toEqual(first.reviews.map((r) => r.id));
      expect(new Set(first.reviews.map((r) => r.externalId)).size).toBe(5);
      for (const review of first.reviews) expect(review.externalId).toMatch(/^[0-9a-f]{16}$/);
    });

    it('asks for the newest reviews with the key in the query', async () => {
      server.reset([legacyRoute]);
      await aggregate([legacy({ language: 'en' })], FAST);
      expect(server.requests.map((r) => r.query)).toEqual([
        { place_id: PLACE, fields: 'place_id,name,rating,user_ratings_total,reviews', key: API_KEY, reviews_sort: 'newest', language: 'en' },
      ]);
      expect(server.requests[0]?.headers['x-goog-api-key']).toBeUndefined();
    });

    it('keeps the key= value out of a REQUEST_DENIED error sent with HTTP 200', async () => {
      server.reset(legacyError('places-legacy-error-request-denied'));
      const error = (await aggregate([legacy()], FAST)).sources[0]?.error;
      expect(ReviewkitError.is(error)).toBe(true);
      expect(error).toMatchObject({ code: 'AUTH', status: 200, vendorCode: 'REQUEST_DENIED' });
      expect(error?.message).toContain('The provided API key is invalid.');
      expect(error?.url).toContain('key=[REDACTED]');
      expect(error?.url).toContain(`place_id=${PLACE}`);
      expectNoSecrets(error, [API_KEY]);
    });

    it('retries a rate-limit OVER_QUERY_LIMIT but not a billing one', async () => {
      const retry = { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 };
      server.reset([...legacyError('places-legacy-error-over-query-limit').map((r) => ({ ...r, times: 1 })), legacyRoute]);
      const limited = await aggregate([legacy()], { ...FAST, retry });
      expect(limited.sources[0]?.status).toBe('ok');
      expect(server.requests).toHaveLength(2);

      server.reset(legacyError('places-legacy-error-billing'));
      const billing = await aggregate([legacy()], { ...FAST, retry });
      expect(billing.sources[0]?.error).toMatchObject({ code: 'RATE_LIMITED', vendorCode: 'OVER_QUERY_LIMIT' });
      expect(billing.sources[0]?.error?.message).toContain('enable Billing');
      expect(server.requests).toHaveLength(1);
    });

    it('retries an UNKNOWN_ERROR sent with HTTP 200, as Google advises', async () => {
      const unknown = { html_attributions: [], status: 'UNKNOWN_ERROR' };
      server.reset([{ path: legacyPath, body: unknown, times: 1 }, legacyRoute]);
      const recovered = await aggregate([legacy()], { ...FAST, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
      expect(recovered.sources[0]?.status).toBe('ok');
      expect(server.requests).toHaveLength(2);

      server.reset([{ path: legacyPath, body: unknown }]);
      const failed = await aggregate([legacy()], { ...FAST, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
      expect(failed.sources[0]?.error).toMatchObject({ code: 'HTTP', status: 200, vendorCode: 'UNKNOWN_ERROR' });
      expect(server.requests).toHaveLength(2);
    });

    it('skips a review rated outside 1–5 or posted at a time no Date holds (found by the property tests)', async () => {
      const details = fixture('places-legacy-details') as { result: { reviews: { rating: unknown; time: unknown }[] } };
      const [first, second] = details.result.reviews;
      if (first) first.rating = -1;
      if (second) second.time = 1e308;
      server.reset([{ path: legacyPath, body: details }]);
      const { reviews, sources } = await aggregate([legacy()], FAST);
      expect(sources[0]?.skipped).toEqual([
        { page: 1, index: 0, externalId: null, stage: 'item', path: 'rating', reason: 'Too small: expected number to be >=1' },
        { page: 1, index: 1, externalId: null, stage: 'item', path: 'time', reason: 'is not a representable instant' },
      ]);
      expect(reviews).toHaveLength(3);
    });

    it('reports a legacy status that names an Object property as HTTP (found by the property tests)', async () => {
      // LEGACY_CODES['constructor'] was Object itself, and became error.code.
      server.reset([{ path: legacyPath, body: { status: 'constructor', error_message: 'odd' } }]);
      const error = (await aggregate([legacy()], FAST)).sources[0]?.error;
      expect(error).toMatchObject({ code: 'HTTP', status: 200, vendorCode: 'constructor' });
    });

    it('handles a place nobody rated (no reviews, no rating, no count)', async () => {
      server.reset([{ path: legacyPath, body: fixture('places-legacy-no-ratings') }]);
      const { reviews, sources } = await aggregate([legacy()], FAST);
      expect(reviews).toEqual([]);
      expect(sources[0]).toMatchObject({
        status: 'ok',
        coverage: { complete: true, reportedTotal: 0 },
        summary: { average: null, count: 0 },
      });
    });
  });

  it('calls each API on its own origin when no baseUrl is given', async () => {
    // A DNS lookup that fails keeps the test offline; the error still names the URL it tried.
    const http = { lookup: async (): Promise<[string, number]> => Promise.reject(new Error('offline test')) };
    const origins = { new: `https://places.googleapis.com/v1/places/${PLACE}`, legacy: 'https://maps.googleapis.com/maps/api/place/details/json?' };
    for (const api of ['new', 'legacy'] as const) {
      const error = (await aggregate([googlePlaces({ apiKey: API_KEY, placeId: PLACE, api, http })], FAST)).sources[0]?.error;
      expect(error?.code).toBe('NETWORK');
      expect(error?.url?.startsWith(origins[api])).toBe(true);
      expectNoSecrets(error, [API_KEY]);
    }
  });

  it('rejects a bad api or language option up front', () => {
    // @ts-expect-error: not an API
    expect(() => googlePlaces({ apiKey: API_KEY, placeId: PLACE, api: 'v2' })).toThrow(/`api`/);
    expect(() => googlePlaces({ apiKey: API_KEY, placeId: PLACE, language: 'english' })).toThrow(/`language`/);
    expect(() => googlePlaces({ apiKey: API_KEY, placeId: PLACE, api: 'legacy', language: 'english' })).toThrow(/`language`/);
  });
});
