import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googlePlay } from '../../adapters/google-play.js';
import { type AggregateOptions, aggregate, type ErrorCode, type Review, ReviewkitError } from '../../src/index.js';
import { expectNoSecrets, type FixtureRoute, type FixtureServer, startFixtureServer, testAdapter } from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/google-play/${name}.json`, import.meta.url), 'utf8'));

const ACCESS_TOKEN = 'ya29.c.b0Test-SECRET-play-access-token_0123456789';
const PACKAGE = 'com.acme.notes';
const T2 = 'CpQBCpEBCgsI-8G5uQYQgICAgAISgQFBT3FwVE9HU3lfUGFnZTJUb2tlbkV4YW1wbGVPbmx5';
const T3 = 'CpQBCpEBCgsIz8W3uQYQgICAgAISgQFBT3FwVE9HU3lfUGFnZTNUb2tlbkV4YW1wbGVPbmx5';
const NOW = new Date('2027-01-03T12:00:00Z');
const FAST: AggregateOptions = { retry: { attempts: 1 }, now: NOW };

const reviewsPath = `/androidpublisher/v3/applications/${PACKAGE}/reviews`;
// `access_token: null`: the token travels in the Authorization header only.
const page1: FixtureRoute = { path: reviewsPath, query: { token: null, access_token: null }, body: fixture('reviews-page1') };
const routes: FixtureRoute[] = [
  page1,
  { path: reviewsPath, query: { token: T2, access_token: null }, body: fixture('reviews-page2') },
  { path: reviewsPath, query: { token: T3, access_token: null }, body: fixture('reviews-page3-last') },
];
const reviewId = (n: number) => `gp:AOqpTOFexampleReviewId000000000000000000000000000${n}`;

interface PlayErrorCase {
  name: string;
  file: string;
  status: number;
  code: ErrorCode;
  vendorCode: string;
  /** What the message must say (Google's reason, kept next to its message). */
  says: string;
}
const playErrors: PlayErrorCase[] = [
  { name: '401 UNAUTHENTICATED', file: 'error-401-unauthenticated', status: 401, code: 'AUTH', vendorCode: 'UNAUTHENTICATED', says: '(authError)' },
  // The token is fine; Play Console has not given its account the app.
  {
    name: '401 legacy permissionDenied',
    file: 'error-401-permission-denied',
    status: 401,
    code: 'FORBIDDEN',
    vendorCode: 'permissionDenied',
    says: 'insufficient permissions to perform the requested operation. (permissionDenied)',
  },
  { name: '403 PERMISSION_DENIED', file: 'error-403-permission-denied', status: 403, code: 'FORBIDDEN', vendorCode: 'PERMISSION_DENIED', says: 'The caller does not have permission (forbidden)' },
  { name: '403 insufficientPermissions', file: 'error-403-insufficient-permissions', status: 403, code: 'FORBIDDEN', vendorCode: 'PERMISSION_DENIED', says: '(insufficientPermissions)' },
  { name: '403 SERVICE_DISABLED', file: 'error-403-service-disabled', status: 403, code: 'FORBIDDEN', vendorCode: 'PERMISSION_DENIED', says: 'has not been used in project 123456789012 before or it is disabled' },
  // The daily quota: PERMISSION_DENIED by status, a rate limit by reason.
  { name: '403 rateLimitExceeded (daily quota)', file: 'error-403-rate-limit-exceeded', status: 403, code: 'RATE_LIMITED', vendorCode: 'PERMISSION_DENIED', says: "'Queries per day'" },
  { name: '429 RESOURCE_EXHAUSTED', file: 'error-429-resource-exhausted', status: 429, code: 'RATE_LIMITED', vendorCode: 'RESOURCE_EXHAUSTED', says: '(rateLimitExceeded)' },
  { name: '404 package not found', file: 'error-404-package-not-found', status: 404, code: 'NOT_FOUND', vendorCode: 'NOT_FOUND', says: 'Package not found: com.acme.notes. (notFound)' },
  { name: '400 INVALID_ARGUMENT', file: 'error-400-invalid-argument', status: 400, code: 'CONFIG', vendorCode: 'INVALID_ARGUMENT', says: 'Invalid Value (invalid)' },
];
const errorRoute = (c: PlayErrorCase): FixtureRoute => ({ path: reviewsPath, status: c.status, body: fixture(c.file) });

testAdapter(googlePlay, {
  options: { accessToken: ACCESS_TOKEN, packageName: PACKAGE, maxResults: 3, translationLanguage: 'en' },
  requiredOptions: ['accessToken', 'packageName'],
  secrets: [ACCESS_TOKEN],
  routes,
  firstPage: page1,
  expectedReviews: 8,
  expectedPages: 3,
  errors: playErrors.map((c) => ({ name: c.name, routes: [errorRoute(c)], code: c.code })),
});

describe('googlePlay', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server.close());
  const source = (extra: Record<string, unknown> = {}) =>
    googlePlay({ accessToken: ACCESS_TOKEN, packageName: PACKAGE, maxResults: 3, translationLanguage: 'en', baseUrl: server.url, ...extra });
  const run = async (extra: Record<string, unknown> = {}, options: AggregateOptions = FAST) => aggregate([source(extra)], options);
  const byId = (reviews: Review[]) => new Map(reviews.map((r) => [r.externalId, r]));

  it('normalizes a normal page exactly: title split, reply, device facts, thumbs', async () => {
    server.reset(routes);
    const reviews = byId((await run()).reviews);
    expect(reviews.get(reviewId(1))).toEqual({
      id: `google-play:${reviewId(1)}`,
      source: 'google-play',
      externalId: reviewId(1),
      subject: { id: PACKAGE, name: null },
      url: null,
      author: { name: 'Test Reviewer One', id: null, url: null, avatarUrl: null },
      rating: { value: 5, min: 1, max: 5 },
      stars: 5,
      recommendation: null,
      polarity: 'positive',
      title: 'Finally, offline lists',
      text: 'Sync works on the train and the widget is great. Five stars!',
      language: 'en-GB',
      // 1798924445 s + 123456789 ns, truncated to the millisecond.
      createdAt: new Date('2027-01-02T21:14:05.123Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [{ text: 'Thanks for the kind words! Sync across devices lands in 4.3.', createdAt: new Date('2027-01-03T08:30:00.500Z'), author: null }],
      helpfulVotes: 12,
      extra: {
        appVersionCode: 4210,
        appVersionName: '4.2.1',
        device: 'acme7',
        androidOsVersion: 34,
        deviceMetadata: {
          productName: 'Acme Phone 7 (acme7)',
          manufacturer: 'Acme Mobile',
          deviceClass: 'phone',
          screenWidthPx: 1080,
          screenHeightPx: 2400,
          ramMb: 7680,
        },
        thumbsUpCount: 12,
        thumbsDownCount: 1,
      },
    });
    expect(reviews.get(reviewId(2))).toEqual({
      id: `google-play:${reviewId(2)}`,
      source: 'google-play',
      externalId: reviewId(2),
      subject: { id: PACKAGE, name: null },
      url: null,
      author: { name: 'Test Reviewer Two', id: null, url: null, avatarUrl: null },
      rating: { value: 2, min: 1, max: 5 },
      stars: 2,
      recommendation: null,
      polarity: 'negative',
      // No tab: all body. Plain text: the typed "&amp;" stays.
      title: null,
      text: 'Crashes when I share a list to Notes & Tasks. Typing "&amp;" in a title breaks it too.',
      language: 'de',
      // proto3 left out `nanos: 0`.
      createdAt: new Date('2027-01-02T09:00:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: 3,
      extra: {
        appVersionCode: 4200,
        appVersionName: '4.2.0',
        device: 'tabby',
        androidOsVersion: 33,
        deviceMetadata: { productName: 'Tabby Tab 10 (tabby)', manufacturer: 'Tabby', deviceClass: 'tablet', screenWidthPx: 1600, screenHeightPx: 2560, ramMb: 4096 },
        thumbsUpCount: 3,
        thumbsDownCount: 0,
      },
    });
  });

  it('splits on the first tab only and truncates nanos on both sides of a year boundary', async () => {
    server.reset(routes);
    const reviews = byId((await run()).reviews);
    expect(reviews.get(reviewId(3))).toMatchObject({
      title: 'Sync',
      // The second tab belongs to the body (tidied to a space).
      text: 'Works offline but slow to start on old phones.',
      language: 'es-419',
      // 1798761600 s + 999999 ns: still .000.
      createdAt: new Date('2027-01-01T00:00:00.000Z'),
      rating: { value: 3, min: 1, max: 5 },
      polarity: 'neutral',
      helpfulVotes: 0,
      extra: { appVersionCode: 4210, appVersionName: '4.2.1', device: 'oldie', androidOsVersion: 29, thumbsUpCount: 0, thumbsDownCount: 2 },
    });
    // 1798761599 s + 999999999 ns: the last millisecond of 2026, never rounded into 2027.
    expect(reviews.get(reviewId(4))?.createdAt?.toISOString()).toBe('2026-12-31T23:59:59.999Z');
    expect(reviews.get(reviewId(4))?.createdAt?.getUTCFullYear()).toBe(2026);
  });

  it('keeps a translated review in the language asked for, with the original text in extra', async () => {
    server.reset(routes);
    const reviews = byId((await run()).reviews);
    expect(reviews.get(reviewId(5))).toEqual({
      id: `google-play:${reviewId(5)}`,
      source: 'google-play',
      externalId: reviewId(5),
      subject: { id: PACKAGE, name: null },
      url: null,
      author: { name: 'Test Reviewer Five', id: null, url: null, avatarUrl: null },
      rating: { value: 5, min: 1, max: 5 },
      stars: 5,
      recommendation: null,
      polarity: 'positive',
      title: 'Great app',
      text: 'Very useful for my shopping lists.',
      language: 'en',
      createdAt: new Date('2026-12-31T15:20:42.400Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: 0,
      extra: {
        appVersionCode: 4200,
        appVersionName: '4.2.0',
        device: 'acme6',
        androidOsVersion: 33,
        thumbsUpCount: 0,
        thumbsDownCount: 0,
        translated: true,
        originalTitle: 'Tolle App',
        originalText: 'Sehr nützlich für meine Einkaufslisten.',
      },
    });
    // A blank `originalText` ("left blank" when not translated) is no translation.
    expect(reviews.get(reviewId(8))?.extra).toEqual({
      appVersionCode: 4100,
      appVersionName: '4.1.0',
      androidOsVersion: 31,
      thumbsUpCount: 0,
      thumbsDownCount: 0,
    });
  });

  it('tells an edit only when the reviewer’s text is newer than the developer’s reply', async () => {
    server.reset(routes);
    const reviews = byId((await run()).reviews);
    expect(reviews.get(reviewId(6))).toMatchObject({
      rating: { value: 1, min: 1, max: 5 },
      polarity: 'negative',
      text: 'Update: the fix did not help, reminders are still late.',
      language: 'fr-FR',
      createdAt: new Date('2026-12-30T18:45:10.250Z'),
      // Replied on the 29th, rewritten on the 30th: an edit for certain.
      updatedAt: new Date('2026-12-30T18:45:10.250Z'),
      replies: [{ text: 'Sorry about that! Version 4.2.0 fixes reminder delays. Please update.', createdAt: new Date('2026-12-29T10:00:00.000Z'), author: null }],
      helpfulVotes: 4,
    });
    // Written on the 28th, replied to on 2 January: nothing says it was edited.
    expect(reviews.get(reviewId(8))).toMatchObject({
      createdAt: new Date('2026-12-28T16:40:00.750Z'),
      updatedAt: null,
      replies: [{ text: 'Thank you!', createdAt: new Date('2027-01-02T10:00:00.000Z'), author: null }],
    });
  });

  it('normalizes the last page’s reviews with optional fields missing', async () => {
    server.reset(routes);
    const reviews = byId((await run()).reviews);
    expect(reviews.get(reviewId(7))).toEqual({
      id: `google-play:${reviewId(7)}`,
      source: 'google-play',
      externalId: reviewId(7),
      subject: { id: PACKAGE, name: null },
      url: null,
      // No authorName, no reviewerLanguage, no device or app facts, proto3-omitted thumbs.
      author: { name: null, id: null, url: null, avatarUrl: null },
      rating: { value: 5, min: 1, max: 5 },
      stars: 5,
      recommendation: null,
      polarity: 'positive',
      title: null,
      text: 'Love it',
      language: null,
      createdAt: new Date('2026-12-29T07:05:33.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      replies: [],
      helpfulVotes: 0,
      extra: { thumbsUpCount: 0, thumbsDownCount: 0 },
    });
    // A leading tab: an empty title, all body.
    expect(reviews.get(reviewId(8))).toMatchObject({ title: null, text: 'Simple and fast.', language: 'nl-NL', author: { name: 'Test Reviewer Eight' } });
  });

  it('sends the package path, maxResults, translationLanguage and the token, and the bearer token only as a header', async () => {
    server.reset(routes);
    await run();
    expect(server.requests.map((r) => [r.path, r.query])).toEqual([
      [reviewsPath, { maxResults: '3', translationLanguage: 'en' }],
      [reviewsPath, { maxResults: '3', translationLanguage: 'en', token: T2 }],
      [reviewsPath, { maxResults: '3', translationLanguage: 'en', token: T3 }],
    ]);
    for (const request of server.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
      expect(request.url).not.toContain(ACCESS_TOKEN);
    }

    server.reset(routes);
    await aggregate([googlePlay({ accessToken: ACCESS_TOKEN, packageName: PACKAGE, baseUrl: server.url })], FAST);
    // Defaults: 100 per page (Google's own default is 10), no translation.
    expect(server.requests[0]?.query).toEqual({ maxResults: '100' });
  });

  it('stops after the page without nextPageToken and reports the week window as a platform limit', async () => {
    server.reset(routes);
    const { reviews, sources } = await run();
    expect(reviews.map((r) => r.externalId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map(reviewId));
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((r) => r.matched)).toBe(true);
    expect(sources[0]).toMatchObject({
      source: 'google-play',
      subjectId: PACKAGE,
      status: 'ok',
      fetched: 8,
      pages: 3,
      // The API serves only the last week's reviews with text: never all of an app's reviews.
      coverage: { complete: false, reason: 'platform-limit', reportedTotal: 8 },
      summary: null,
    });
    expect(sources[0]?.cursor).toBeUndefined();
  });

  it('treats an empty nextPageToken as the last page', async () => {
    const first = fixture('reviews-page1') as Record<string, unknown>;
    server.reset([{ ...page1, body: { ...first, tokenPagination: { nextPageToken: '' } } }]);
    const { reviews, sources } = await run();
    expect(reviews).toHaveLength(3);
    expect(sources[0]).toMatchObject({ status: 'ok', pages: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('stops paging once reviews are older than `since` (newest first), the truncated nanos deciding', async () => {
    server.reset(routes);
    const { reviews, sources } = await run({}, { ...FAST, since: new Date('2027-01-01T00:00:00.000Z') });
    // Review 3 is at exactly midnight; review 4 a nanosecond-truncated millisecond before it.
    expect(reviews.map((r) => r.externalId)).toEqual([1, 2, 3].map(reviewId));
    expect(server.requests.map((r) => r.query.token ?? null)).toEqual([null, T2]);
    expect(sources[0]?.coverage).toEqual({ complete: false, reason: 'since', reportedTotal: 8 });
  });

  it('resumes from a cursor by sending it as token', async () => {
    server.reset(routes);
    const { reviews } = await run({ cursor: T3 });
    expect(reviews.map((r) => r.externalId)).toEqual([7, 8].map(reviewId));
    expect(server.requests.map((r) => r.query.token)).toEqual([T3]);
  });

  it('reads a week without reviews (an empty proto3 body) as one empty page', async () => {
    server.reset([{ path: reviewsPath, body: {} }]);
    const { reviews, sources } = await run();
    expect(reviews).toEqual([]);
    expect(sources[0]).toMatchObject({
      status: 'ok',
      fetched: 0,
      pages: 1,
      coverage: { complete: false, reason: 'platform-limit', reportedTotal: null },
      summary: null,
    });
  });

  it('skips a review whose timestamp has hundreds of digits instead of failing the source (the class of bug the property tests found elsewhere)', async () => {
    // fromEpochSeconds threw inside the item schema's transform; zod let the throw through and the whole run failed.
    const first = fixture('reviews-page1') as { reviews: { reviewId: string; comments: { userComment?: Record<string, unknown> }[] }[] };
    const [one, two, three] = first.reviews;
    const huge = { ...two, comments: [{ userComment: { ...two?.comments[0]?.userComment, lastModified: { seconds: '9'.repeat(400) } } }] };
    server.reset([{ ...page1, body: { ...first, reviews: [one, huge, three] } }, ...routes.slice(1)]);
    const { sources } = await run();
    expect(sources[0]).toMatchObject({ status: 'partial', pages: 3 });
    expect(sources[0]?.skipped).toEqual([
      { page: 1, index: 1, externalId: reviewId(2), stage: 'item', path: 'comments.0.userComment.lastModified', reason: 'is not a representable instant' },
    ]);
  });

  it('skips malformed reviews, naming the field, and keeps the rest of their page', async () => {
    const first = fixture('reviews-page1') as { reviews: { reviewId: string; comments: { userComment?: Record<string, unknown> }[] }[] };
    const [one, two, three] = first.reviews;
    const badTime = { ...two, comments: [{ userComment: { ...two?.comments[0]?.userComment, lastModified: { seconds: 'yesterday' } } }] };
    const replyOnly = { ...three, comments: [{ developerComment: { text: 'Thanks!', lastModified: { seconds: '1798965000' } } }] };
    server.reset([{ ...page1, body: { ...first, reviews: [one, badTime, replyOnly] } }, ...routes.slice(1)]);
    const { reviews, sources } = await run();
    expect(reviews).toHaveLength(6);
    expect(reviews.map((r) => r.externalId)).not.toContain(reviewId(2));
    expect(sources[0]).toMatchObject({ status: 'partial', fetched: 6, pages: 3, skippedCount: 2 });
    expect(sources[0]?.skipped).toEqual([
      { page: 1, index: 1, externalId: reviewId(2), stage: 'item', path: 'comments.0.userComment.lastModified.seconds', reason: 'must be whole epoch seconds' },
      { page: 1, index: 2, externalId: reviewId(3), stage: 'item', path: 'comments', reason: 'has no userComment' },
    ]);
  });

  for (const c of playErrors) {
    it(`maps ${c.name} to ${c.code} with Google's message and reason`, async () => {
      server.reset([errorRoute(c)]);
      const error = (await run()).sources[0]?.error;
      expect(error).toMatchObject({ code: c.code, status: c.status, vendorCode: c.vendorCode, source: 'google-play' });
      expect(error?.message).toContain(c.says);
      expectNoSecrets(error, [ACCESS_TOKEN]);
    });
  }

  it('tells how to grant access on FORBIDDEN and how to fix the package name on NOT_FOUND', async () => {
    server.reset([errorRoute(playErrors[1] as PlayErrorCase)]);
    const forbidden = (await run()).sources[0]?.error;
    expect(forbidden?.message).toContain('give the account behind the token access to this app with the "Reply to reviews" permission');
    server.reset([{ path: reviewsPath, status: 404, body: fixture('error-404-package-not-found') }]);
    const notFound = (await run()).sources[0]?.error;
    expect(notFound?.message).toContain('Check `packageName`');
  });

  it('retries a per-minute quota but not the daily one', async () => {
    const retry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
    server.reset([{ path: reviewsPath, status: 403, body: fixture('error-403-rate-limit-exceeded') }]);
    const daily = (await run({}, { ...FAST, retry })).sources[0]?.error;
    expect(daily?.code).toBe('RATE_LIMITED');
    expect(daily?.message).toContain('A daily or hourly quota: reviewkit does not retry it within the run');
    expect(server.requests).toHaveLength(1);

    server.reset([{ path: reviewsPath, status: 429, body: fixture('error-429-resource-exhausted'), times: 1 }, ...routes]);
    const { sources } = await run({}, { ...FAST, retry });
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 8 });
    expect(server.requests).toHaveLength(4);
  });

  it('waits the RetryInfo delay Google asks for', async () => {
    const body = {
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2.5s' }],
      },
    };
    server.reset([{ path: reviewsPath, status: 429, body }]);
    const error = (await run()).sources[0]?.error;
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 2500 });
  });

  it('classifies reasons and statuses that name Object properties by HTTP status, and ignores an endless retryDelay (the class of bug the property tests found in google-places)', async () => {
    // Plain-record lookups found Object's own `__proto__` and `constructor`; "999…9s" gave retryAfterMs: Infinity.
    const body = { error: { status: 'hasOwnProperty', errors: [{ reason: '__proto__' }, { reason: 'constructor' }], details: [{ retryDelay: `${'9'.repeat(400)}s` }] } };
    server.reset([{ path: reviewsPath, status: 403, body }]);
    const { sources } = await run();
    expect(sources[0]?.error).toMatchObject({ code: 'FORBIDDEN', vendorCode: 'hasOwnProperty' });
    expect(sources[0]?.error?.retryAfterMs).toBeUndefined();
  });

  it('keeps a token Google echoes in a message out of the error', async () => {
    server.reset([
      { path: reviewsPath, status: 401, body: { error: { code: 401, message: `Token ${ACCESS_TOKEN} has expired`, status: 'UNAUTHENTICATED' } } },
    ]);
    const error = (await run()).sources[0]?.error;
    expect(error?.code).toBe('AUTH');
    expect(error?.message).toContain('[REDACTED]');
    expectNoSecrets(error, [ACCESS_TOKEN]);
  });

  it('rejects a malformed package name, maxResults outside 1–100 and a bad translationLanguage with CONFIG naming the option', () => {
    const attempt = (extra: Record<string, unknown>) => {
      try {
        googlePlay({ accessToken: ACCESS_TOKEN, packageName: PACKAGE, ...extra });
      } catch (error) {
        return error;
      }
      return undefined;
    };
    for (const [option, value] of [
      ['packageName', 'https://play.google.com/store/apps/details?id=com.acme.notes'],
      ['packageName', 'notes'],
      ['maxResults', 101],
      ['maxResults', 0],
      ['translationLanguage', 'English'],
    ] as const) {
      const error = attempt({ [option]: value });
      expect(ReviewkitError.is(error) && error.code, `${option}: ${value}`).toBe('CONFIG');
      expect((error as Error).message).toContain(`\`${option}\``);
    }
    expect(attempt({ translationLanguage: 'pt_BR', maxResults: 100 })).toBeUndefined();
  });
});
