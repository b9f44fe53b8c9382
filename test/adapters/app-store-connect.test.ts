import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appStoreConnect } from '../../adapters/app-store/index.js';
import { type AggregateOptions, aggregate, type ErrorCode, type ProgressEvent, type Review, redact } from '../../src/index.js';
import { expectNoSecrets, type FixtureRoute, type FixtureServer, startFixtureServer, testAdapter } from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/app-store/${name}.json`, import.meta.url), 'utf8'));

// Shaped like a real ES256 JWT; a fake signature.
const TOKEN = 'eyJhbGciOiJFUzI1NiIsImtpZCI6IkFCQzEyM0RFRkciLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJ0ZXN0LWlzc3VlciJ9.SECRET-signature_0123456789abcdefABCDEF';
const APP = '1555550001';
const CURSOR = 'AQ.Bx7nT1c';
const NOW = new Date('2026-09-11T00:00:00Z');
const FAST: AggregateOptions = { retry: { attempts: 1 }, now: NOW };
const reviewsPath = `/v1/apps/${APP}/customerReviews`;
const review = (n: number) => `00000071-aa10-0001-1a2b-3c4d0000000${n}`;
const response = (n: number) => `6d7b4ddd-0000-4e21-9c1a-00000000000${n}`;

const page1: FixtureRoute = {
  path: reviewsPath,
  query: { cursor: null, include: 'response', sort: '-createdDate', limit: '3' },
  body: fixture('asc-reviews-page1'),
};
const page2: FixtureRoute = {
  path: reviewsPath,
  query: { cursor: CURSOR, include: 'response', sort: '-createdDate', limit: '3' },
  body: fixture('asc-reviews-page2-last'),
};
const routes: FixtureRoute[] = [page1, page2];

interface AscErrorCase {
  name: string;
  file: string;
  status: number;
  code: ErrorCode;
  vendorCode: string;
}
const ascErrors: AscErrorCase[] = [
  { name: 'NOT_AUTHORIZED (401)', file: 'asc-error-not-authorized', status: 401, code: 'AUTH', vendorCode: 'NOT_AUTHORIZED' },
  { name: 'FORBIDDEN_ERROR (403)', file: 'asc-error-forbidden', status: 403, code: 'FORBIDDEN', vendorCode: 'FORBIDDEN_ERROR' },
  { name: 'NOT_FOUND (404)', file: 'asc-error-not-found', status: 404, code: 'NOT_FOUND', vendorCode: 'NOT_FOUND' },
  { name: 'RATE_LIMIT_EXCEEDED (429)', file: 'asc-error-rate-limit', status: 429, code: 'RATE_LIMITED', vendorCode: 'RATE_LIMIT_EXCEEDED' },
  { name: 'PARAMETER_ERROR.INVALID (400)', file: 'asc-error-parameter', status: 400, code: 'CONFIG', vendorCode: 'PARAMETER_ERROR.INVALID' },
];
const errorRoute = (c: AscErrorCase, extra: Partial<FixtureRoute> = {}): FixtureRoute => ({
  path: reviewsPath,
  status: c.status,
  body: fixture(c.file),
  ...extra,
});

testAdapter(appStoreConnect, {
  options: { token: TOKEN, appId: APP, limit: 3 },
  requiredOptions: ['token', 'appId'],
  secrets: [TOKEN],
  routes,
  firstPage: page1,
  expectedReviews: 5,
  expectedPages: 2,
  errors: ascErrors.map((c) => ({ name: c.name, routes: [errorRoute(c)], code: c.code })),
});

describe('appStoreConnect (App Store Connect API)', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(routes);
  });
  afterAll(() => server.close());
  const source = (extra: Record<string, unknown> = {}) => appStoreConnect({ token: TOKEN, appId: APP, limit: 3, baseUrl: server.url, ...extra });
  const byId = (reviews: Review[]) => new Map(reviews.map((r) => [r.externalId, r]));

  it('normalizes a page exactly, joining published responses from `included` as replies', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()], FAST);
    expect(byId(reviews).get(review(1))).toEqual({
      id: `app-store:${review(1)}`,
      source: 'app-store',
      externalId: review(1),
      subject: { id: APP, name: null },
      url: null,
      author: { name: 'Quiet Otter 42', id: null, url: null, avatarUrl: null },
      rating: { value: 5, min: 1, max: 5 },
      stars: 5,
      recommendation: null,
      polarity: 'positive',
      title: 'Finally, sync that works',
      // Plain text: a typed "&amp;" stays.
      text: 'Syncs across my iPad &amp; Mac without a hitch.\n\nWorth every penny.',
      language: null,
      createdAt: new Date('2026-09-10T18:02:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [{ text: 'Thank you! Glad sync works for you.', createdAt: new Date('2026-09-11T00:20:00.000Z'), author: null }],
      helpfulVotes: null,
      extra: { territory: 'USA', response: { id: response(1), state: 'PUBLISHED' } },
    });
  });

  it('keeps a PENDING_PUBLISH response out of replies and describes it in extra', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()], FAST);
    expect(byId(reviews).get(review(2))).toEqual({
      id: `app-store:${review(2)}`,
      source: 'app-store',
      externalId: review(2),
      subject: { id: APP, name: null },
      url: null,
      author: { name: 'nightowl_test', id: null, url: null, avatarUrl: null },
      rating: { value: 2, min: 1, max: 5 },
      stars: 2,
      recommendation: null,
      polarity: 'negative',
      title: 'Crashes on launch',
      text: 'Since the update it crashes every time I open a note.',
      language: null,
      // 09:15 in Tokyo (+09:00) is 00:15 UTC the same day.
      createdAt: new Date('2026-09-10T00:15:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: null,
      extra: {
        territory: 'JPN',
        response: {
          id: response(2),
          state: 'PENDING_PUBLISH',
          text: 'Sorry about that: 3.2.2 fixes the crash.',
          lastModifiedDate: '2026-09-11T01:00:00.000Z',
        },
      },
    });
    // A rating without title or body, and no response (`data: null`).
    expect(byId(reviews).get(review(3))).toMatchObject({
      title: null,
      text: null,
      polarity: 'neutral',
      replies: [],
      createdAt: new Date('2026-09-09T23:40:00.000Z'),
      extra: { territory: 'GBR' },
    });
  });

  it('normalizes the last page exactly, across the date line', async () => {
    server.reset(routes);
    const { reviews } = await aggregate([source()], FAST);
    expect(byId(reviews).get(review(4))).toEqual({
      id: `app-store:${review(4)}`,
      source: 'app-store',
      externalId: review(4),
      subject: { id: APP, name: null },
      url: null,
      author: { name: 'Test Pilot 🚀', id: null, url: null, avatarUrl: null },
      rating: { value: 4, min: 1, max: 5 },
      stars: 4,
      recommendation: null,
      polarity: 'positive',
      title: "New Year's list maker",
      text: 'Used it to plan the party & it worked.',
      language: null,
      // New Year's Day in Tokyo is still 2025 in UTC.
      createdAt: new Date('2025-12-31T15:30:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [{ text: 'Happy New Year, and thanks!', createdAt: new Date('2026-01-02T01:00:00.000Z'), author: null }],
      helpfulVotes: null,
      extra: { territory: 'JPN', response: { id: response(4), state: 'PUBLISHED' } },
    });
    expect(reviews.map((r) => r.externalId)).toEqual([review(1), review(2), review(3), review(4), review(5)]);
    expect(byId(reviews).get(review(5))).toMatchObject({ replies: [], extra: { territory: 'USA' }, createdAt: new Date('2025-12-31T07:30:00.000Z') });
  });

  it('sends the token as a bearer header, include/sort/limit, then follows links.next rebased onto baseUrl', async () => {
    server.reset(routes);
    const { sources } = await aggregate([source()], FAST);
    expect(server.requests.map((r) => [r.path, r.query])).toEqual([
      [reviewsPath, { include: 'response', sort: '-createdDate', limit: '3' }],
      // Apple's own next link, its host replaced by the fixture server's.
      [reviewsPath, { cursor: CURSOR, include: 'response', sort: '-createdDate', limit: '3' }],
    ]);
    for (const request of server.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.headers.accept).toBe('application/json');
      expect(request.url).not.toContain(TOKEN);
    }
    expect(server.requests.every((r) => r.matched)).toBe(true);
    expect(sources[0]).toMatchObject({
      source: 'app-store',
      subjectId: APP,
      status: 'ok',
      fetched: 5,
      pages: 2,
      coverage: { complete: true, reportedTotal: 5 },
      summary: null,
    });
    expect(sources[0]?.cursor).toBeUndefined();
  });

  it('asks for 200 reviews a page by default (the API’s maximum)', async () => {
    server.reset([{ path: reviewsPath, body: fixture('asc-reviews-page2-last') }]);
    await aggregate([appStoreConnect({ token: TOKEN, appId: APP, baseUrl: server.url })], FAST);
    expect(server.requests[0]?.query).toEqual({ include: 'response', sort: '-createdDate', limit: '200' });
    expect(() => appStoreConnect({ token: TOKEN, appId: APP, limit: 201 })).toThrow(/limit/);
  });

  it('reports the next page’s cursor when stopped, and resumes from it with the same parameters', async () => {
    server.reset(routes);
    const stopped = await aggregate([source()], { ...FAST, maxPerSource: 3 });
    expect(stopped.sources[0]).toMatchObject({ fetched: 3, cursor: CURSOR, coverage: { complete: false, reason: 'max-per-source', reportedTotal: 5 } });
    server.reset(routes);
    const rest = await aggregate([source({ cursor: CURSOR })], FAST);
    expect(rest.reviews.map((r) => r.externalId)).toEqual([review(4), review(5)]);
    // The same request the next link made: cursor, include, sort and limit.
    expect(server.requests.map((r) => r.query)).toEqual([{ include: 'response', sort: '-createdDate', limit: '3', cursor: CURSOR }]);
  });

  it('with since, stops after the page reaching past it: no request for the page after', async () => {
    server.reset(routes);
    const { reviews, sources } = await aggregate([source()], { ...FAST, since: new Date('2026-09-10T00:00:00Z') });
    expect(reviews.map((r) => r.externalId)).toEqual([review(1), review(2)]);
    expect(sources[0]).toMatchObject({ fetched: 2, pages: 1, coverage: { complete: false, reason: 'since', reportedTotal: 5 } });
    expect(server.requests).toHaveLength(1);
  });

  it.each(ascErrors)('maps $name to $code with Apple’s detail, code and error id', async (c) => {
    server.reset([errorRoute(c), ...routes]);
    const { sources } = await aggregate([source()], FAST);
    const error = sources[0]?.error;
    const body = fixture(c.file) as { errors: { id?: string; detail: string }[] };
    const [first] = body.errors;
    expect(error?.code).toBe(c.code);
    expect(error?.vendorCode).toBe(c.vendorCode);
    expect(error?.status).toBe(c.status);
    // The core redacts "bearer <word>" in every message, so Apple's "signed bearer token" loses its last word.
    expect(error?.message).toContain(redact(first?.detail ?? ''));
    expect(error?.message).not.toContain('undefined');
    if (first?.id) expect(error?.message).toContain(`error id ${first.id}`);
    expect(error?.isRetryable).toBe(c.code === 'RATE_LIMITED');
    expectNoSecrets(error, [TOKEN]);
  });

  it('retries RATE_LIMIT_EXCEEDED, then succeeds', async () => {
    const [limit] = ascErrors.filter((c) => c.code === 'RATE_LIMITED');
    if (!limit) throw new Error('missing case');
    server.reset([errorRoute(limit, { times: 1 }), ...routes]);
    const events: ProgressEvent[] = [];
    const { sources } = await aggregate([source()], { ...FAST, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, onProgress: (e) => events.push(e) });
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 5 });
    expect(events.filter((e) => e.type === 'source:retry')).toHaveLength(1);
    expectNoSecrets(events, [TOKEN]);
  });

  it('keeps page one when page two fails, and the token out of every report', async () => {
    const [auth] = ascErrors.filter((c) => c.code === 'AUTH');
    if (!auth) throw new Error('missing case');
    server.reset([page1, errorRoute(auth)]);
    const result = await aggregate([source()], FAST);
    expect(result.sources[0]).toMatchObject({ status: 'partial', fetched: 3, cursor: CURSOR });
    expect(result.sources[0]?.error?.code).toBe('AUTH');
    expectNoSecrets(result, [TOKEN]);
  });

  it('refuses a links.next leading away from the listing, or without a cursor, as PAGINATION', async () => {
    const body = fixture('asc-reviews-page1') as { links: { self: string; next: string } };
    const elsewhere = { ...body, links: { ...body.links, next: `https://api.appstoreconnect.apple.com/v1/apps/999/customerReviews?cursor=${CURSOR}` } };
    server.reset([{ ...page1, body: elsewhere }, page2]);
    const away = await aggregate([source()], FAST);
    expect(away.sources[0]?.error?.code).toBe('PAGINATION');
    expect(away.sources[0]?.status).toBe('failed');
    expect(server.requests).toHaveLength(1);

    const noCursor = { ...body, links: { ...body.links, next: `https://api.appstoreconnect.apple.com${reviewsPath}?limit=3` } };
    server.reset([{ ...page1, body: noCursor }, page2]);
    const { sources } = await aggregate([source()], FAST);
    expect(sources[0]?.error?.code).toBe('PAGINATION');
    expect(sources[0]?.error?.message).toMatch(/cursor/);
  });

  it('follows a relative links.next the same way', async () => {
    const body = fixture('asc-reviews-page1') as { links: { self: string; next: string } };
    const relative = { ...body, links: { ...body.links, next: `${reviewsPath}?cursor=${CURSOR}&include=response&sort=-createdDate&limit=3` } };
    server.reset([{ ...page1, body: relative }, page2]);
    const { sources } = await aggregate([source()], FAST);
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 5, pages: 2 });
  });

  it('skips a review with an empty id (the class of bug the property tests found in google-places)', async () => {
    const body = fixture('asc-reviews-page1') as { data: { id: string }[] };
    const broken = { ...body, data: body.data.map((r, i) => (i === 0 ? { ...r, id: '' } : r)) };
    server.reset([{ ...page1, body: broken }, page2]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews).toHaveLength(4);
    expect(sources[0]?.skipped).toEqual([{ page: 1, index: 0, externalId: null, stage: 'item', path: 'id', reason: 'Too small: expected string to have >=1 characters' }]);
  });

  it('skips a review with a date without offset and keeps the rest of its page', async () => {
    const body = fixture('asc-reviews-page1') as { data: { attributes: Record<string, unknown> }[] };
    const broken = {
      ...body,
      data: body.data.map((r, i) => (i === 1 ? { ...r, attributes: { ...r.attributes, createdDate: '2026-09-10T09:15:00' } } : r)),
    };
    server.reset([{ ...page1, body: broken }, page2]);
    const { reviews, sources } = await aggregate([source()], FAST);
    expect(reviews).toHaveLength(4);
    expect(sources[0]).toMatchObject({ status: 'partial', fetched: 4, skippedCount: 1 });
    expect(sources[0]?.skipped).toEqual([
      { page: 1, index: 1, externalId: review(2), stage: 'item', path: 'attributes.createdDate', reason: 'has no offset and no timeZone was given' },
    ]);
  });

  it('classifies an error code that names an Object property by its status (the class of bug the property tests found in google-places)', async () => {
    server.reset([{ path: reviewsPath, status: 404, body: { errors: [{ status: '404', code: 'constructor.NOT_FOUND', title: 'x' }] } }]);
    const error = (await aggregate([source()], FAST)).sources[0]?.error;
    expect(error).toMatchObject({ code: 'NOT_FOUND', vendorCode: 'constructor.NOT_FOUND' });
  });

  it('treats a response without `state` as published (older API versions did not send it)', async () => {
    const body = fixture('asc-reviews-page2-last') as { included: { attributes: Record<string, unknown> }[] };
    const stateless = { ...body, included: body.included.map((r) => ({ ...r, attributes: { responseBody: r.attributes.responseBody, lastModifiedDate: r.attributes.lastModifiedDate } })) };
    server.reset([{ path: reviewsPath, body: stateless }]);
    const { reviews } = await aggregate([source()], FAST);
    expect(byId(reviews).get(review(4))).toMatchObject({
      replies: [{ text: 'Happy New Year, and thanks!', createdAt: new Date('2026-01-02T01:00:00.000Z'), author: null }],
      extra: { territory: 'JPN', response: { id: response(4), state: null } },
    });
  });

  it('validates options', () => {
    expect(() => appStoreConnect({ token: TOKEN, appId: '../apps' })).toThrow(/appId/);
    expect(() => appStoreConnect({ token: '', appId: APP })).toThrow(/token/);
    expect(appStoreConnect({ token: TOKEN, appId: APP }).order).toBe('newest-first');
  });
});
