// `npm run demo`: aggregates reviews from several sources, offline. A local fixture server
// stands in for the real APIs (served from the recorded-shape payloads in test/fixtures),
// exactly the way `baseUrl` lets a sandbox or proxy stand in for them.
import { readFileSync } from 'node:fs';
import { aggregate, type ProgressEvent } from 'reviewkit';
import { facebook } from 'reviewkit/adapters/facebook';
import { googleBusinessProfile, googlePlaces } from 'reviewkit/adapters/google';
import { yelp } from 'reviewkit/adapters/yelp';
import { averageRating, netPromoterScore, positiveShare, reputationScore } from 'reviewkit/scores';
import { startFixtureServer, type FixtureRoute } from 'reviewkit/testing';
import { sampleOptions, sampleRoutes } from '../test/fixtures/sample-sources.js';
import { acme } from './custom-adapter.js';

const fixture = (path: string): unknown => JSON.parse(readFileSync(new URL(`../test/fixtures/${path}.json`, import.meta.url), 'utf8'));

const routes: FixtureRoute[] = [
  ...sampleRoutes,
  { path: '/shops/paris-1/reviews', query: { after: null }, body: fixture('acme/page1') },
  { path: '/shops/paris-1/reviews', query: { after: 'c2' }, body: fixture('acme/page2') },
  // A third source whose credentials were revoked: the run goes on without it.
  { path: '/shops/revoked/reviews', status: 401, body: { message: 'token revoked' } },
];

const server = await startFixtureServer(routes);
const options = sampleOptions(server.url);
try {
  const progress = (e: ProgressEvent) => {
    if (e.type === 'source:page') console.log(`  ${e.source}/${e.subjectId}: page ${e.page}, ${e.fetched} reviews so far`);
    if (e.type === 'source:failed') console.log(`  ${e.source}/${e.subjectId}: ${e.error.code} — ${e.error.message}`);
  };
  console.log('Fetching…');
  const result = await aggregate(
    [
      yelp(options.yelp),
      googlePlaces(options.googlePlaces),
      googleBusinessProfile(options.googleBusinessProfile),
      facebook(options.facebook),
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

  // The sample data is from 2023–2025: score it as of its newest review, not today.
  const asOf = result.reviews[0]?.createdAt ?? new Date();
  const rep = reputationScore(result.reviews, { asOf, sources: result.sources.map((s) => s.source) });
  const share = positiveShare(result.reviews);
  console.log(`Average ${averageRating(result.reviews)?.toFixed(2)}★ · NPS-style ${netPromoterScore(result.reviews)?.toFixed(0)} · positive ${share.positive}/${share.total}`);
  console.log(`Reputation score as of ${asOf.toISOString().slice(0, 10)}: ${rep.score?.toFixed(1) ?? '—'} / 100`);
  console.table(
    rep.components.map((c) => ({
      component: c.name,
      value: c.value === null ? '—' : c.value.toFixed(2),
      weight: c.effectiveWeight.toFixed(2),
      points: c.points.toFixed(1),
    })),
  );
} finally {
  await server.close();
}
