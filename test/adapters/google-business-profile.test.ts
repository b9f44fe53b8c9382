import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleBusinessProfile } from '../../adapters/google/index.js';
import { type AggregateOptions, aggregate, type Review } from '../../src/index.js';
import { expectNoSecrets, type FixtureRoute, type FixtureServer, startFixtureServer, testAdapter } from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/google/${name}.json`, import.meta.url), 'utf8'));

const ACCESS_TOKEN = 'ya29.a0Test-SECRET-access-token_0123456789';
const ACCOUNT = '123456789012345678901';
const LOCATION = '9876543210987654321';
const TOKEN2 = 'AHNvbWVPcGFxdWUrVG9rZW4vcGFnZTI9PQ==';
const TOKEN3 = 'AHNvbWVPcGFxdWUrVG9rZW4vcGFnZTM9PQ==';
const NOW = new Date('2025-03-28T12:00:00Z');
const FAST: AggregateOptions = { retry: { attempts: 1 }, now: NOW };

const reviewsPath = `/v4/accounts/${ACCOUNT}/locations/${LOCATION}/reviews`;
const page1: FixtureRoute = { path: reviewsPath, query: { pageToken: null }, body: fixture('gbp-reviews-page1') };
const routes: FixtureRoute[] = [
  page1,
  { path: reviewsPath, query: { pageToken: TOKEN2 }, body: fixture('gbp-reviews-page2') },
  { path: reviewsPath, query: { pageToken: TOKEN3 }, body: fixture('gbp-reviews-page3') },
];
const gbpError = (status: number, name: string): FixtureRoute[] => [{ path: reviewsPath, status, body: fixture(name) }];
const reviewName = (n: number) => `accounts/${ACCOUNT}/locations/${LOCATION}/reviews/AbFvOqnExampleReviewId0000000000000000000${n}`;

testAdapter(googleBusinessProfile, {
  options: { accessToken: ACCESS_TOKEN, accountId: ACCOUNT, locationId: LOCATION, pageSize: 2 },
  requiredOptions: ['accessToken', 'accountId', 'locationId'],
  secrets: [ACCESS_TOKEN],
  routes,
  firstPage: page1,
  expectedReviews: 7,
  expectedPages: 3,
  errors: [
    { name: 'UNAUTHENTICATED (401)', routes: gbpError(401, 'gbp-error-unauthenticated'), code: 'AUTH' },
    { name: 'PERMISSION_DENIED (403)', routes: gbpError(403, 'gbp-error-permission-denied'), code: 'FORBIDDEN' },
    { name: 'RESOURCE_EXHAUSTED (429)', routes: gbpError(429, 'gbp-error-resource-exhausted'), code: 'RATE_LIMITED' },
    { name: 'NOT_FOUND (404)', routes: gbpError(404, 'gbp-error-not-found'), code: 'NOT_FOUND' },
  ],
});

describe('googleBusinessProfile', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server.close());
  const source = (extra: Record<string, unknown> = {}) =>
    googleBusinessProfile({ accessToken: ACCESS_TOKEN, accountId: ACCOUNT, locationId: LOCATION, pageSize: 2, baseUrl: server.url, ...extra });
  const byId = (reviews: Review[]) => new Map(reviews.map((r) => [r.externalId, r]));

  it('normalizes every field of a review with a reply', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()], FAST);
    expect(byId(reviews).get('AbFvOqnExampleReviewId00000000000000000001')).toEqual({
      id: 'google-business-profile:AbFvOqnExampleReviewId00000000000000000001',
      source: 'google-business-profile',
      externalId: 'AbFvOqnExampleReviewId00000000000000000001',
      subject: { id: LOCATION, name: null },
      url: null,
      author: {
        name: 'Test Customer One',
        id: null,
        url: null,
        avatarUrl: 'https://lh3.googleusercontent.com/a-/ALV-UjGbpExampleOne=s120-c-rp-mo-br100',
      },
      rating: { value: 5, min: 1, max: 5 },
      stars: 5,
      recommendation: null,
      polarity: 'positive',
      title: null,
      // Plain text: the literal "&amp;" stays.
      text: 'Lovely staff, the tonkotsu is the best I\'ve had.\nParking is tricky & the sign says "&amp; Co" — no idea why.',
      language: null,
      createdAt: new Date('2025-03-14T09:26:53.589Z'),
      // Never edited: updateTime equals createTime.
      updatedAt: null,
      datePrecision: 'instant',
      replies: [{ text: 'Thank you so much! See you again soon.', createdAt: new Date('2025-03-15T08:00:00.123Z'), author: null }],
      helpfulVotes: null,
      extra: { resourceName: reviewName(1) },
    });
  });

  it('normalizes the edge cases of the last page', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()], FAST);
    const reviewsById = byId(reviews);
    expect(reviewsById.get('AbFvOqnExampleReviewId00000000000000000007')).toEqual({
      id: 'google-business-profile:AbFvOqnExampleReviewId00000000000000000007',
      source: 'google-business-profile',
      externalId: 'AbFvOqnExampleReviewId00000000000000000007',
      subject: { id: LOCATION, name: null },
      url: null,
      author: { name: null, id: null, url: null, avatarUrl: null },
      // STAR_RATING_UNSPECIFIED: unrated, never 0.
      rating: null,
      stars: null,
      recommendation: null,
      polarity: null,
      title: null,
      text: "Opened late on New Year's Eve, thanks!",
      language: null,
      // .999999999 truncated: still 2024.
      createdAt: new Date('2024-12-31T23:59:59.999Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: null,
      extra: { resourceName: reviewName(7) },
    });
    expect(reviewsById.get('AbFvOqnExampleReviewId00000000000000000005')).toMatchObject({
      text: 'Very friendly staff and great ramen.',
      language: null,
      author: { name: 'Test Customer Five', avatarUrl: 'https://lh3.googleusercontent.com/a/ACg8ocGbpExampleFive=s120-c-rp-mo-br100' },
      rating: { value: 5, min: 1, max: 5 },
      replies: [{ text: 'Vielen Dank!', createdAt: new Date('2025-01-21T09:00:00.000Z'), author: null }],
      extra: { resourceName: reviewName(5), translated: true, originalText: 'Sehr freundliches Personal und tolle Ramen.' },
    });
    // Anonymous with Google's placeholder name, rating only.
    expect(reviewsById.get('AbFvOqnExampleReviewId00000000000000000006')).toMatchObject({
      author: { name: null, id: null, url: null, avatarUrl: null },
      text: null,
      rating: { value: 5, min: 1, max: 5 },
      polarity: 'positive',
    });
  });

  it('keeps createTime as createdAt and updateTime as updatedAt for an edited review', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()], FAST);
    const edited = byId(reviews).get('AbFvOqnExampleReviewId00000000000000000002');
    expect(edited?.createdAt?.toISOString()).toBe('2024-11-02T10:00:00.000Z');
    expect(edited?.updatedAt?.toISOString()).toBe('2025-03-01T12:30:00.500Z');
    // Results sort by createdAt: the review written first comes last although Google listed it second.
    expect(reviews.map((r) => r.externalId.slice(-1))).toEqual(['1', '3', '4', '5', '6', '7', '2']);
  });

  it('reads every page with the token passed verbatim and stops after the page without nextPageToken', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews).toHaveLength(7);
    expect(server.requests.map((r) => r.query)).toEqual([
      { pageSize: '2', orderBy: 'updateTime desc' },
      { pageSize: '2', pageToken: TOKEN2, orderBy: 'updateTime desc' },
      { pageSize: '2', pageToken: TOKEN3, orderBy: 'updateTime desc' },
    ]);
    expect(server.requests.every((r) => r.matched && r.headers.authorization === `Bearer ${ACCESS_TOKEN}`)).toBe(true);
    expect(sources[0]).toMatchObject({
      source: 'google-business-profile',
      subjectId: LOCATION,
      status: 'ok',
      fetched: 7,
      pages: 3,
      coverage: { complete: true, reportedTotal: 7 },
      summary: { average: 4.2, count: 7 },
    });
    expect(sources[0]?.cursor).toBeUndefined();
  });

  it('stops paging after the page where reviews get older than `since`, keeping recently edited ones', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate([source()], { ...FAST, since: new Date('2025-02-15T00:00:00Z') });
    // Review 2 was written in 2024 but edited on 2025-03-01.
    expect(reviews.map((r) => r.externalId.slice(-1)).sort()).toEqual(['1', '2', '3']);
    expect(server.requests).toHaveLength(2);
    expect(sources[0]?.coverage).toEqual({ complete: false, reason: 'since', reportedTotal: 7 });
  });

  it('resumes from a cursor by sending it as pageToken', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source({ cursor: TOKEN3 })], FAST);
    expect(reviews).toHaveLength(3);
    expect(server.requests.map((r) => r.query.pageToken)).toEqual([TOKEN3]);
  });

  it('skips a review with an unreadable createTime and keeps every page', async () => {
    const first = fixture('gbp-reviews-page1') as { reviews: Record<string, unknown>[] };
    const broken = { ...first, reviews: first.reviews.map((r, i) => (i === 0 ? { ...r, createTime: 'yesterday' } : r)) };
    server.reset([{ ...page1, body: broken }, ...routes.slice(1)]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews).toHaveLength(6);
    expect(sources[0]).toMatchObject({ status: 'partial', fetched: 6, pages: 3, skippedCount: 1 });
    expect(sources[0]?.skipped).toEqual([
      { page: 1, index: 0, externalId: first.reviews[0]?.reviewId, stage: 'item', path: 'createTime', reason: 'Not an ISO 8601 date' },
    ]);
  });

  it('takes the id from the resource name when reviewId is empty, and skips a review with neither (the class of bug the property tests found in google-places)', async () => {
    const first = fixture('gbp-reviews-page1') as { reviews: { reviewId?: string; name: string }[] };
    const [a, b] = first.reviews;
    if (a) a.reviewId = '';
    if (b) {
      delete b.reviewId;
      b.name = `${b.name.slice(0, b.name.lastIndexOf('/'))}/`;
    }
    server.reset([{ ...page1, body: first }, ...routes.slice(1)]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews.map((r) => r.externalId)).toContain('AbFvOqnExampleReviewId00000000000000000001');
    expect(sources[0]?.skipped).toEqual([{ page: 1, index: 1, externalId: null, stage: 'item', path: 'name', reason: 'must end in a review id' }]);
  });

  it('accepts resource names as ids', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source({ accountId: `accounts/${ACCOUNT}`, locationId: `locations/${LOCATION}` })], FAST);
    expect(reviews).toHaveLength(7);
    expect(reviews[0]?.subject.id).toBe(LOCATION);
  });

  it('handles a location without reviews (an empty proto3 body)', async () => {
    server.reset([{ path: reviewsPath, body: {} }]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews).toEqual([]);
    expect(sources[0]).toMatchObject({ status: 'ok', pages: 1, coverage: { complete: true, reportedTotal: 0 }, summary: { average: null, count: 0 } });
  });

  it('splits the translation from the original in either order and leaves other comments whole', async () => {
    const review = (n: number, comment: string) => ({
      reviewId: `r${n}`,
      reviewer: { displayName: `Test Customer ${n}` },
      starRating: 'FOUR',
      comment,
      createTime: '2025-01-01T00:00:00Z',
      updateTime: '2025-01-01T00:00:00Z',
      name: `accounts/${ACCOUNT}/locations/${LOCATION}/reviews/r${n}`,
    });
    server.reset([
      {
        path: reviewsPath,
        body: {
          reviews: [
            review(1, 'Très bon accueil.\n\n(Translated by Google)\nVery warm welcome.'),
            review(2, 'The menu says "(Original) recipe since 1990" and it shows.'),
            review(3, '(Translated by Google) Tasty.\n\n(Original)\n'),
          ],
          totalReviewCount: 3,
          averageRating: 4,
        },
      },
    ]);
    const reviews = byId((await aggregate([source()], FAST)).reviews);
    expect(reviews.get('r1')).toMatchObject({ text: 'Very warm welcome.', extra: { translated: true, originalText: 'Très bon accueil.' } });
    expect(reviews.get('r2')?.text).toBe('The menu says "(Original) recipe since 1990" and it shows.');
    expect(reviews.get('r2')?.extra).toEqual({ resourceName: `accounts/${ACCOUNT}/locations/${LOCATION}/reviews/r2` });
    // No original after the marker: nothing to split, the comment stays as sent.
    expect(reviews.get('r3')?.text).toBe('(Translated by Google) Tasty.\n\n(Original)');
  });

  it('maps UNAUTHENTICATED with Google’s reason and keeps an echoed token out of the error', async () => {
    server.reset(gbpError(401, 'gbp-error-unauthenticated'));
    const error = (await aggregate([source()], FAST)).sources[0]?.error;
    expect(error).toMatchObject({ code: 'AUTH', status: 401, vendorCode: 'UNAUTHENTICATED' });
    expect(error?.message).toContain('(ACCESS_TOKEN_EXPIRED)');

    server.reset([
      {
        path: reviewsPath,
        status: 403,
        body: { error: { code: 403, message: `Token ${ACCESS_TOKEN} lacks business.manage`, status: 'PERMISSION_DENIED' } },
      },
    ]);
    const echoed = (await aggregate([source()], FAST)).sources[0]?.error;
    expect(echoed?.code).toBe('FORBIDDEN');
    expect(echoed?.message).toContain('[REDACTED]');
    expectNoSecrets(echoed, [ACCESS_TOKEN]);
  });

  it('rejects a page size above 50 and malformed ids', () => {
    expect(() => googleBusinessProfile({ accessToken: ACCESS_TOKEN, accountId: ACCOUNT, locationId: LOCATION, pageSize: 51 })).toThrow(/`pageSize`/);
    expect(() => googleBusinessProfile({ accessToken: ACCESS_TOKEN, accountId: `accounts/${ACCOUNT}/locations/1`, locationId: LOCATION })).toThrow(
      /`accountId`/,
    );
  });
});
