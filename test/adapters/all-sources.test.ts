// The four built-in adapters of the first release, side by side against one fixture server.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { facebook } from '../../adapters/facebook.js';
import { googleBusinessProfile, googlePlaces } from '../../adapters/google/index.js';
import { yelp } from '../../adapters/yelp.js';
import { aggregate, ReviewSchema } from '../../src/index.js';
import { expectNoSecrets, type FixtureRoute, type FixtureServer, startFixtureServer } from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8'));

const SECRETS = {
  yelp: 'yelp-secret-KEY-0123456789abcdef',
  places: 'AIzaSyTest-SECRET_places_0123456789abcdef',
  gbp: 'ya29.a0Test-SECRET-access-token_0123456789',
  facebook: 'EAAGm0PX4ZCpsBAKx9Zb7QvT2yLrN5wUeHd3fJc8sPq1ZAiO6tYgkW',
};
const BIZ = 'acme-bistro-san-francisco';
const PLACE = 'ChIJAcmeNoodleBar0000Example';
const GBP = '/v4/accounts/123456789012345678901/locations/9876543210987654321/reviews';
const FB = '/v21.0/1234567890';

const routes: FixtureRoute[] = [
  { path: `/v3/businesses/${BIZ}`, body: fixture('yelp/business') },
  { path: `/v3/businesses/${BIZ}/reviews`, query: { offset: null }, body: fixture('yelp/reviews-page1') },
  { path: `/v3/businesses/${BIZ}/reviews`, query: { offset: '2' }, body: fixture('yelp/reviews-page2') },
  { path: `/v3/businesses/${BIZ}/reviews`, query: { offset: '4' }, body: fixture('yelp/reviews-page3') },
  { path: `/v1/places/${PLACE}`, body: fixture('google/places-new-details') },
  { path: GBP, query: { pageToken: null }, body: fixture('google/gbp-reviews-page1') },
  { path: GBP, query: { pageToken: 'AHNvbWVPcGFxdWUrVG9rZW4vcGFnZTI9PQ==' }, body: fixture('google/gbp-reviews-page2') },
  { path: GBP, query: { pageToken: 'AHNvbWVPcGFxdWUrVG9rZW4vcGFnZTM9PQ==' }, body: fixture('google/gbp-reviews-page3') },
  { path: FB, body: fixture('facebook/page') },
  { path: `${FB}/ratings`, query: { after: null }, body: fixture('facebook/ratings-page1') },
  { path: `${FB}/ratings`, query: { after: 'QVFIUnBhZ2UxYWZ0ZXJjdXJzb3I' }, body: fixture('facebook/ratings-page2') },
  { path: `${FB}/ratings`, query: { after: 'QVFIUnBhZ2UyYWZ0ZXJjdXJzb3I' }, body: fixture('facebook/ratings-page3-last') },
];

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer(routes);
});
afterAll(() => server.close());

const adapters = () => [
  yelp({ apiKey: SECRETS.yelp, businessId: BIZ, limit: 2, baseUrl: server.url }),
  googlePlaces({ apiKey: SECRETS.places, placeId: PLACE, baseUrl: server.url }),
  googleBusinessProfile({ accessToken: SECRETS.gbp, accountId: '123456789012345678901', locationId: '9876543210987654321', pageSize: 2, baseUrl: server.url }),
  facebook({ accessToken: SECRETS.facebook, pageId: '1234567890', baseUrl: server.url }),
];

describe('aggregate over Yelp, Google Places, Google Business Profile and Facebook', () => {
  it('returns every review with an honest report per source', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate(adapters(), { retry: { attempts: 1 } });
    expect(sources.map((s) => [s.source, s.status, s.fetched, s.pages, s.coverage.complete, s.coverage.reason ?? null])).toEqual([
      ['yelp', 'ok', 5, 3, true, null],
      ['google-places', 'ok', 5, 1, false, 'platform-limit'],
      ['google-business-profile', 'ok', 7, 3, true, null],
      ['facebook', 'ok', 8, 3, true, null],
    ]);
    expect(sources.map((s) => s.summary)).toEqual([
      { average: 3.5, count: 5 },
      { average: 4.3, count: 1287 },
      { average: 4.2, count: 7 },
      { average: 4.3, count: 8 },
    ]);
    expect(reviews).toHaveLength(25);
    expect(new Set(reviews.map((r) => r.id)).size).toBe(25);
    for (const review of reviews) ReviewSchema.parse(review);
    const times = reviews.map((r) => r.createdAt?.getTime() ?? Number.NEGATIVE_INFINITY);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(server.requests.filter((r) => !r.matched)).toEqual([]);
  });

  it('keeps the other three complete when one source answers 403', async () => {
    server.reset([
      {
        path: GBP,
        status: 403,
        body: { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } },
      },
      ...routes,
    ]);
    const { reviews, sources } = await aggregate(adapters(), { retry: { attempts: 1 } });
    expect(sources.map((s) => [s.source, s.status, s.fetched])).toEqual([
      ['yelp', 'ok', 5],
      ['google-places', 'ok', 5],
      ['google-business-profile', 'failed', 0],
      ['facebook', 'ok', 8],
    ]);
    expect(sources[2]?.error?.code).toBe('FORBIDDEN');
    expect(reviews).toHaveLength(18);
    expectNoSecrets(sources, Object.values(SECRETS));
  });
});
