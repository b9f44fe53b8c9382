// Every built-in adapter, side by side against one fixture server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appStore, appStoreConnect } from '../../adapters/app-store/index.js';
import { facebook } from '../../adapters/facebook.js';
import { googleBusinessProfile, googlePlaces } from '../../adapters/google/index.js';
import { googlePlay } from '../../adapters/google-play.js';
import { instagram } from '../../adapters/instagram.js';
import { schemaOrg } from '../../adapters/schema-org/index.js';
import { tripadvisor } from '../../adapters/tripadvisor.js';
import { trustpilot } from '../../adapters/trustpilot.js';
import { x } from '../../adapters/x.js';
import { yelp } from '../../adapters/yelp.js';
import { aggregate, ReviewSchema } from '../../src/index.js';
import { expectNoSecrets, type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { GBP_REVIEWS_PATH, SAMPLE_SECRETS, sampleOptions, sampleRoutes as routes } from '../fixtures/sample-sources.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer(routes);
});
afterAll(() => server.close());

const adapters = () => {
  const options = sampleOptions(server.url);
  return [
    yelp(options.yelp),
    googlePlaces(options.googlePlaces),
    googleBusinessProfile(options.googleBusinessProfile),
    facebook(options.facebook),
    trustpilot(options.trustpilot),
    tripadvisor(options.tripadvisor),
    appStore(options.appStore),
    appStoreConnect(options.appStoreConnect),
    googlePlay(options.googlePlay),
    schemaOrg(options.schemaOrg),
    x(options.x),
    instagram(options.instagram),
  ];
};

describe('aggregate over every built-in adapter', () => {
  it('returns every review with an honest report per source', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate(adapters(), { retry: { attempts: 1 } });
    expect(sources.map((s) => [s.source, s.status, s.fetched, s.pages, s.coverage.complete, s.coverage.reason ?? null])).toEqual([
      ['yelp', 'ok', 5, 3, true, null],
      ['google-places', 'ok', 5, 1, false, 'platform-limit'],
      ['google-business-profile', 'ok', 7, 3, true, null],
      ['facebook', 'ok', 8, 3, true, null],
      ['trustpilot', 'ok', 7, 3, true, null],
      ['tripadvisor', 'ok', 5, 1, false, 'platform-limit'],
      ['app-store', 'ok', 5, 2, true, null],
      ['app-store', 'ok', 5, 2, true, null],
      ['google-play', 'ok', 8, 3, false, 'platform-limit'],
      ['schema-org', 'ok', 5, 1, false, 'platform-limit'],
      ['x', 'ok', 8, 3, false, 'platform-limit'],
      ['instagram', 'ok', 7, 6, true, null],
    ]);
    expect(sources.map((s) => s.summary)).toEqual([
      { average: 3.5, count: 5 },
      { average: 4.3, count: 1287 },
      { average: 4.2, count: 7 },
      { average: 4.3, count: 8 },
      { average: 3.8, count: 7 },
      { average: 4.5, count: 2418 },
      null,
      null,
      null,
      { average: 4.1, count: 842 },
      null,
      null,
    ]);
    expect(sources.map((s) => s.coverage.reportedTotal)).toEqual([5, 1287, 7, 8, 7, 2418, null, 5, 8, 842, null, null]);
    expect(reviews).toHaveLength(75);
    expect(new Set(reviews.map((r) => r.id)).size).toBe(75);
    for (const review of reviews) ReviewSchema.parse(review);
    const times = reviews.map((r) => r.createdAt?.getTime() ?? Number.NEGATIVE_INFINITY);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(server.requests.filter((r) => !r.matched)).toEqual([]);
  });

  it('keeps the others complete when one source answers 403', async () => {
    server.reset([
      {
        path: GBP_REVIEWS_PATH,
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
      ['trustpilot', 'ok', 7],
      ['tripadvisor', 'ok', 5],
      ['app-store', 'ok', 5],
      ['app-store', 'ok', 5],
      ['google-play', 'ok', 8],
      ['schema-org', 'ok', 5],
      ['x', 'ok', 8],
      ['instagram', 'ok', 7],
    ]);
    expect(sources[2]?.error?.code).toBe('FORBIDDEN');
    expect(reviews).toHaveLength(68);
    expectNoSecrets(sources, Object.values(SAMPLE_SECRETS));
  });
});
