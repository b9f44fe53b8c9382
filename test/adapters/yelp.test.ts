import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yelp } from '../../adapters/yelp.js';
import { aggregate } from '../../src/index.js';
import { type FixtureRoute, type FixtureServer, startFixtureServer, testAdapter } from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/yelp/${name}.json`, import.meta.url), 'utf8'));

const API_KEY = 'yelp-secret-KEY-0123456789abcdef';
const BIZ = 'acme-bistro-san-francisco';
const reviewsPath = `/v3/businesses/${BIZ}/reviews`;
const page1: FixtureRoute = { path: reviewsPath, query: { limit: '2', offset: null }, body: fixture('reviews-page1') };
const routes: FixtureRoute[] = [
  { path: `/v3/businesses/${BIZ}`, body: fixture('business') },
  page1,
  { path: reviewsPath, query: { limit: '2', offset: '2' }, body: fixture('reviews-page2') },
  { path: reviewsPath, query: { limit: '2', offset: '4' }, body: fixture('reviews-page3') },
];
const yelpError = (status: number, name: string, headers: Record<string, string> = {}): FixtureRoute[] => [
  { path: `/v3/businesses/${BIZ}`, status, headers, body: fixture(name) },
];

testAdapter(yelp, {
  options: { apiKey: API_KEY, businessId: BIZ, limit: 2 },
  requiredOptions: ['apiKey', 'businessId'],
  secrets: [API_KEY],
  routes,
  firstPage: page1,
  expectedReviews: 5,
  expectedPages: 3,
  errors: [
    { name: 'TOKEN_INVALID (401)', routes: yelpError(401, 'error-token-invalid'), code: 'AUTH' },
    { name: 'TOKEN_MISSING (401)', routes: yelpError(401, 'error-token-missing'), code: 'AUTH' },
    { name: 'BUSINESS_NOT_FOUND (404)', routes: yelpError(404, 'error-business-not-found'), code: 'NOT_FOUND' },
    { name: 'TOO_MANY_REQUESTS_PER_SECOND (429)', routes: yelpError(429, 'error-too-many-requests'), code: 'RATE_LIMITED' },
    { name: 'ACCESS_LIMIT_REACHED (429)', routes: yelpError(429, 'error-access-limit'), code: 'RATE_LIMITED' },
  ],
});

describe('yelp adapter', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(routes);
  });
  afterAll(() => server.close());
  const source = (extra: Record<string, unknown> = {}) => yelp({ apiKey: API_KEY, businessId: BIZ, limit: 2, baseUrl: server.url, ...extra });

  it('normalizes every field, reading Pacific wall time across DST and year boundaries', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate([source({ locale: 'en_US' })]);
    const byId = Object.fromEntries(reviews.map((r) => [r.externalId, r]));
    expect(byId['xAG4O7l-t1ubbwVAlPnDKg']).toEqual({
      id: 'yelp:xAG4O7l-t1ubbwVAlPnDKg',
      source: 'yelp',
      externalId: 'xAG4O7l-t1ubbwVAlPnDKg',
      subject: { id: 'WavvLdfdP6g8aZTtbBQHTw', name: 'Acme Bistro' },
      url: 'https://www.yelp.com/biz/acme-bistro-san-francisco?adjust_creative=x&hrid=xAG4O7l-t1ubbwVAlPnDKg',
      author: {
        name: 'Ada L.',
        id: 'W8UK02IDdRS2GL_66fuq6w',
        url: 'https://www.yelp.com/user_details?userid=W8UK02IDdRS2GL_66fuq6w',
        avatarUrl: 'https://s3-media3.fl.yelpcdn.com/photo/example1/o.jpg',
      },
      rating: { value: 4, min: 1, max: 5 },
      stars: 4,
      recommendation: null,
      polarity: 'positive',
      title: null,
      text: 'Went back the morning the clocks changed. Service was slow but the soufflé\nwas worth it...',
      language: 'en-US',
      // 03:15 on 2024-03-10 is just after the spring-forward gap: PDT, UTC-7.
      createdAt: new Date('2024-03-10T10:15:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: null,
      extra: { isExcerpt: true },
    });
    // 01:59:59 on the same day is still PST, UTC-8.
    expect(byId['1JNmYjJgvt7R-U2YKy2Ekw']?.createdAt?.toISOString()).toBe('2024-03-10T09:59:59.000Z');
    expect(byId['1JNmYjJgvt7R-U2YKy2Ekw']?.author.avatarUrl).toBeNull();
    // New Year's Eve in San Francisco is already 2024 in UTC.
    expect(byId['nQ7A3lKVhOh0ckaIiX2Vrw']?.createdAt?.toISOString()).toBe('2024-01-01T07:30:00.000Z');
    expect(byId['nQ7A3lKVhOh0ckaIiX2Vrw']?.polarity).toBe('neutral');
    // 01:30 on fall-back night happens twice; the first (PDT) occurrence is taken.
    expect(byId['c2FCpLhKaqkJt0pzlMzD5g']?.createdAt?.toISOString()).toBe('2024-11-03T08:30:00.000Z');
    // Yelp text is plain text: a literal "&amp;" is what the reviewer's text contained.
    expect(byId['Pq9x4Zt2YlW8rB3nQ1sVcA']?.text).toBe('Cold food &amp; a rude host. Never again.');
    expect(byId['Pq9x4Zt2YlW8rB3nQ1sVcA']?.polarity).toBe('negative');
    expect(reviews.map((r) => r.externalId)).toEqual([
      'c2FCpLhKaqkJt0pzlMzD5g',
      'Pq9x4Zt2YlW8rB3nQ1sVcA',
      'xAG4O7l-t1ubbwVAlPnDKg',
      '1JNmYjJgvt7R-U2YKy2Ekw',
      'nQ7A3lKVhOh0ckaIiX2Vrw',
    ]);
    expect(sources[0]).toMatchObject({
      source: 'yelp',
      subjectId: BIZ,
      status: 'ok',
      fetched: 5,
      pages: 3,
      coverage: { complete: true, reportedTotal: 5 },
      summary: { average: 3.5, count: 5 },
    });
  });

  it('sends the API key as a bearer token and Yelp paging parameters', async () => {
    server.reset(routes);
    await aggregate([source({ locale: 'en_US', sortBy: 'newest' })]);
    const pageRequests = server.requests.filter((r) => r.path === reviewsPath);
    expect(pageRequests.map((r) => r.query)).toEqual([
      { locale: 'en_US', limit: '2', sort_by: 'newest' },
      { locale: 'en_US', limit: '2', offset: '2', sort_by: 'newest' },
      { locale: 'en_US', limit: '2', offset: '4', sort_by: 'newest' },
    ]);
    expect(pageRequests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^reviewkit\//);
  });

  it('reports the plan cap as platform-limit coverage', async () => {
    server.reset([
      { path: `/v3/businesses/${BIZ}`, body: { ...(fixture('business') as object), review_count: 250, rating: 4.5 } },
      { path: reviewsPath, body: fixture('reviews-base-plan') },
    ]);
    const { reviews, sources } = await aggregate([yelp({ apiKey: API_KEY, businessId: BIZ, baseUrl: server.url })]);
    expect(reviews).toHaveLength(3);
    expect(sources[0]?.coverage).toEqual({ complete: false, reason: 'platform-limit', reportedTotal: 250 });
    expect(sources[0]?.summary).toEqual({ average: 4.5, count: 250 });
    expect(server.requests.filter((r) => r.path === reviewsPath)).toHaveLength(1);
  });

  it('does not retry a daily quota error and reports when it resets', async () => {
    const reset = new Date(Date.now() + 3_600_000).toISOString();
    server.reset(yelpError(429, 'error-access-limit', { 'RateLimit-ResetTime': reset }));
    const { sources } = await aggregate([source()], { retry: { attempts: 3, baseDelayMs: 1 } });
    const error = sources[0]?.error;
    expect(error?.code).toBe('RATE_LIMITED');
    expect(error?.vendorCode).toBe('ACCESS_LIMIT_REACHED');
    expect(error?.retryAfterMs).toBeGreaterThan(3_500_000);
    // Details and the first page go out together, each once: no retry.
    expect(server.requests.map((r) => r.path).sort()).toEqual([`/v3/businesses/${BIZ}`, reviewsPath]);
  });

  it('maps a VALIDATION_ERROR to CONFIG with Yelp’s description in the message', async () => {
    server.reset([
      {
        path: `/v3/businesses/${BIZ}`,
        status: 400,
        body: { error: { code: 'VALIDATION_ERROR', description: "'xx_XX' is not a valid locale", field: 'locale', instance: 'xx_XX' } },
      },
    ]);
    const { sources } = await aggregate([source({ locale: 'xx_XX' })]);
    expect(sources[0]?.error?.code).toBe('CONFIG');
    expect(sources[0]?.error?.message).toContain('not a valid locale');
  });

  it('classifies an error code that names an Object property by its status (the class of bug the property tests found in google-places)', async () => {
    // A code looked up in a plain record found Object's own `constructor`, which became error.code.
    for (const code of ['constructor', '__proto__', 'toString']) {
      server.reset([{ path: reviewsPath, status: 403, body: { error: { code, description: 'nope' } } }, ...routes]);
      const error = (await aggregate([source()], { retry: { attempts: 1 } })).sources[0]?.error;
      expect(error).toMatchObject({ code: 'FORBIDDEN', vendorCode: code });
    }
  });

  it('skips a review rated outside 1–5, naming the field (found by the property tests: normalize returned an invalid rating)', async () => {
    const page = fixture('reviews-base-plan') as { reviews: Record<string, unknown>[] };
    const broken = { ...page, reviews: page.reviews.map((r, i) => (i === 0 ? { ...r, rating: 0 } : i === 1 ? { ...r, rating: 7 } : r)) };
    server.reset([{ path: `/v3/businesses/${BIZ}`, body: fixture('business') }, { path: reviewsPath, body: broken }]);
    const { reviews, sources } = await aggregate([yelp({ apiKey: API_KEY, businessId: BIZ, baseUrl: server.url })]);
    expect(reviews).toHaveLength(1);
    expect(sources[0]?.skipped).toEqual([
      { page: 1, index: 0, externalId: page.reviews[0]?.id, stage: 'item', path: 'rating', reason: 'Too small: expected number to be >=1' },
      { page: 1, index: 1, externalId: page.reviews[1]?.id, stage: 'item', path: 'rating', reason: 'Too big: expected number to be <=5' },
    ]);
  });

  it('skips a review with an empty id (the class of bug the property tests found in google-places)', async () => {
    const page = fixture('reviews-base-plan') as { reviews: Record<string, unknown>[] };
    const broken = { ...page, reviews: page.reviews.map((r, i) => (i === 1 ? { ...r, id: '' } : r)) };
    server.reset([{ path: `/v3/businesses/${BIZ}`, body: fixture('business') }, { path: reviewsPath, body: broken }]);
    const { reviews, sources } = await aggregate([yelp({ apiKey: API_KEY, businessId: BIZ, baseUrl: server.url })]);
    expect(reviews).toHaveLength(2);
    expect(sources[0]?.skipped).toEqual([{ page: 1, index: 1, externalId: null, stage: 'item', path: 'id', reason: 'Too small: expected string to have >=1 characters' }]);
  });

  it('skips a review whose rating is not a number and keeps the rest of the page', async () => {
    const page = fixture('reviews-base-plan') as { reviews: Record<string, unknown>[] };
    const broken = { ...page, reviews: page.reviews.map((r, i) => (i === 1 ? { ...r, rating: 'five' } : r)) };
    server.reset([{ path: `/v3/businesses/${BIZ}`, body: fixture('business') }, { path: reviewsPath, body: broken }]);
    const { reviews, sources } = await aggregate([yelp({ apiKey: API_KEY, businessId: BIZ, baseUrl: server.url })]);
    expect(reviews.map((r) => r.externalId).sort()).toEqual([page.reviews[0]?.id, page.reviews[2]?.id].sort());
    expect(sources[0]).toMatchObject({ status: 'partial', fetched: 2, skippedCount: 1 });
    expect(sources[0]?.skipped).toEqual([
      { page: 1, index: 1, externalId: page.reviews[1]?.id, stage: 'item', path: 'rating', reason: 'Invalid input: expected number, received string' },
    ]);
  });

  it('owns its reviews whether it was given the business id or the alias', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()]);
    const review = reviews[0];
    if (!review) throw new Error('no review');
    expect(review.subject.id).not.toBe(BIZ);
    expect(source().owns?.(review)).toBe(true);
    expect(yelp({ apiKey: API_KEY, businessId: review.subject.id }).owns?.(review)).toBe(true);
    expect(yelp({ apiKey: API_KEY, businessId: 'another-bistro' }).owns?.(review)).toBe(false);
  });

  it('rejects a malformed locale option up front', () => {
    expect(() => yelp({ apiKey: API_KEY, businessId: BIZ, locale: 'english' })).toThrow(/locale/);
  });
});
