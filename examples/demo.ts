// `npm run demo`: aggregates reviews from several sources, offline. A local fixture server
// stands in for the real APIs (served from the recorded-shape payloads in test/fixtures),
// exactly the way `baseUrl` lets a sandbox or proxy stand in for them.
import { readFileSync } from 'node:fs';
import { aggregate, type ProgressEvent } from 'reviewkit';
import { facebook } from 'reviewkit/adapters/facebook';
import { googleBusinessProfile, googlePlaces } from 'reviewkit/adapters/google';
import { yelp } from 'reviewkit/adapters/yelp';
import { startFixtureServer, type FixtureRoute } from 'reviewkit/testing';
import { acme } from './custom-adapter.js';

const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(`../test/fixtures/${path}.json`, import.meta.url), 'utf8'));
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
  { path: '/shops/paris-1/reviews', query: { after: null }, body: fixture('acme/page1') },
  { path: '/shops/paris-1/reviews', query: { after: 'c2' }, body: fixture('acme/page2') },
  // A third source whose credentials were revoked: the run goes on without it.
  { path: '/shops/revoked/reviews', status: 401, body: { message: 'token revoked' } },
];

const server = await startFixtureServer(routes);
try {
  const progress = (e: ProgressEvent) => {
    if (e.type === 'source:page') console.log(`  ${e.source}/${e.subjectId}: page ${e.page}, ${e.fetched} reviews so far`);
    if (e.type === 'source:failed') console.log(`  ${e.source}/${e.subjectId}: ${e.error.code} — ${e.error.message}`);
  };
  console.log('Fetching…');
  const result = await aggregate(
    [
      yelp({ apiKey: 'demo-key', businessId: BIZ, limit: 2, baseUrl: server.url }),
      googlePlaces({ apiKey: 'demo-key', placeId: PLACE, baseUrl: server.url }),
      googleBusinessProfile({ accessToken: 'demo-token', accountId: '123456789012345678901', locationId: '9876543210987654321', baseUrl: server.url }),
      facebook({ accessToken: 'demo-token', pageId: '1234567890', baseUrl: server.url }),
      acme({ token: 'demo-token', shopId: 'paris-1', baseUrl: server.url }),
      acme({ token: 'demo-token', shopId: 'revoked', baseUrl: server.url }),
    ],
    { concurrency: 4, onProgress: progress, retry: { attempts: 1 } },
  );

  console.log('\nSources');
  console.table(
    result.sources.map((s) => ({
      source: s.source,
      subject: s.subjectId,
      status: s.status,
      fetched: s.fetched,
      pages: s.pages,
      complete: s.coverage.complete,
      'their average': s.summary?.average ?? '',
      error: s.error?.code ?? '',
    })),
  );

  console.log('Reviews, newest first');
  console.table(
    result.reviews.map((r) => ({
      when: r.createdAt?.toISOString().slice(0, 16).replace('T', ' ') ?? '?',
      source: r.source,
      stars: r.stars === null ? (r.recommendation === null ? '' : `(${r.recommendation})`) : '★'.repeat(Math.round(r.stars)),
      author: r.author.name ?? 'anonymous',
      text: (r.text ?? '').slice(0, 48),
      replies: r.replies.length,
    })),
  );
} finally {
  await server.close();
}
