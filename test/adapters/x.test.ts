import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { x } from '../../adapters/x.js';
import { aggregate, type ErrorCode, type ProgressEvent, type Review } from '../../src/index.js';
import { expectNoSecrets, type FixtureRoute, type FixtureServer, startFixtureServer, testAdapter } from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/x/${name}.json`, import.meta.url), 'utf8'));

const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAMockBearer0123%2FTestTokenXyZ9876543210abcdefGHIJ';
const QUERY = '@AcmeBakery -is:retweet';
const PATH = '/2/tweets/search/recent';
const NEXT_1 = 'b26v89c19zqg8o3fpdm5jxi5ye1hmbiwc0cqjwcq4oa5p';
const NEXT_2 = 'b26v89c19zqg8o3fpdm5jxi5ye1hmbiwc0cqjwcq4oa5q';
const NOW = new Date('2026-11-25T00:00:00Z');
const TWEET_FIELDS = 'created_at,author_id,lang,public_metrics,conversation_id,referenced_tweets,edit_history_tweet_ids';

const page1: FixtureRoute = { path: PATH, query: { next_token: null }, body: fixture('search-page1') };
const page2: FixtureRoute = { path: PATH, query: { next_token: NEXT_1 }, body: fixture('search-page2') };
const page3: FixtureRoute = { path: PATH, query: { next_token: NEXT_2 }, body: fixture('search-page3-last') };
const routes: FixtureRoute[] = [page1, page2, page3];

interface XErrorCase {
  name: string;
  file: string;
  status: number;
  code: ErrorCode;
  vendorCode: string;
  /** Text of the body the message must carry. */
  says: string[];
  isRetryable: boolean;
}
const xErrors: XErrorCase[] = [
  { name: '401 Unauthorized', file: 'error-401-unauthorized', status: 401, code: 'AUTH', vendorCode: 'Unauthorized', says: ['Unauthorized'], isRetryable: false },
  {
    name: '403 client-forbidden (app outside a Project)',
    file: 'error-403-client-forbidden',
    status: 403,
    code: 'FORBIDDEN',
    vendorCode: 'client-forbidden',
    says: ['Client Forbidden', 'attached to a Project', '(client-not-enrolled)'],
    isRetryable: false,
  },
  {
    name: '429 Too Many Requests',
    file: 'error-429-too-many-requests',
    status: 429,
    code: 'RATE_LIMITED',
    vendorCode: 'Too Many Requests',
    says: ['Too Many Requests'],
    isRetryable: true,
  },
  {
    name: '429 usage-capped (monthly post cap)',
    file: 'error-429-usage-capped',
    status: 429,
    code: 'RATE_LIMITED',
    vendorCode: 'usage-capped',
    says: ['UsageCapExceeded: Usage cap exceeded: Monthly product cap'],
    isRetryable: true,
  },
  {
    name: '400 invalid query',
    file: 'error-400-invalid-query',
    status: 400,
    code: 'CONFIG',
    vendorCode: 'invalid-request',
    says: ['Invalid Request: One or more parameters to your request was invalid.', "Reference to invalid operator 'point_radius'"],
    isRetryable: false,
  },
];
const errorRoute = (c: XErrorCase, extra: Partial<FixtureRoute> = {}): FixtureRoute => ({ ...page1, status: c.status, body: fixture(c.file), ...extra });

testAdapter(x, {
  options: { bearerToken: TOKEN, query: QUERY },
  requiredOptions: ['bearerToken', 'query'],
  secrets: [TOKEN],
  routes,
  firstPage: page1,
  expectedReviews: 8,
  expectedPages: 3,
  errors: xErrors.map((c) => ({ name: c.name, routes: [errorRoute(c)], code: c.code })),
});

const SUBJECT = { id: QUERY, name: null };
const ADA = {
  name: 'Ada Testwell',
  id: '1500000000000000001',
  url: 'https://x.com/ada_testwell',
  avatarUrl: 'https://pbs.twimg.com/profile_images/1500000000000000001/Ada1a2b3_normal.jpg',
};
const DEE = {
  name: 'Dee Placeholder',
  id: '1500000000000000004',
  url: 'https://x.com/dee_placeholder',
  avatarUrl: 'https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png',
};
const UNRATED = { rating: null, stars: null, recommendation: null, title: null, replies: [] };
const metrics = (retweet: number, reply: number, like: number, quote: number, bookmark: number, impression: number) => ({
  retweet_count: retweet,
  reply_count: reply,
  like_count: like,
  quote_count: quote,
  bookmark_count: bookmark,
  impression_count: impression,
});

type Body = { data: Record<string, unknown>[]; includes?: { users: unknown[] }; errors?: unknown[]; meta: Record<string, unknown> };
const bodyOf = (name: string): Body => structuredClone(fixture(name)) as Body;

describe('x adapter', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(routes);
  });
  afterAll(() => server.close());
  const source = (extra: Record<string, unknown> = {}) => x({ bearerToken: TOKEN, query: QUERY, baseUrl: server.url, ...extra });
  const run = (extra: Record<string, unknown> = {}, options: Parameters<typeof aggregate>[1] = {}) => aggregate([source(extra)], { now: NOW, ...options });
  const byId = (reviews: Review[]) => Object.fromEntries(reviews.map((r) => [r.externalId, r]));

  it('normalizes a page of posts exactly: author joined from includes.users, text decoded, polarity estimated', async () => {
    server.reset(routes);
    const { reviews } = await run();
    const posts = byId(reviews);
    expect(posts['2125298935395254373']).toEqual({
      id: 'x:2125298935395254373',
      source: 'x',
      externalId: '2125298935395254373',
      subject: SUBJECT,
      url: 'https://x.com/ada_testwell/status/2125298935395254373',
      author: ADA,
      ...UNRATED,
      polarity: 'positive',
      // `&lt;3` as sent is the "<3" the author typed.
      text: 'Best sourdough in town, @AcmeBakery never misses <3 🥖',
      language: 'en',
      createdAt: new Date('2026-11-24T18:42:07.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      helpfulVotes: 14,
      extra: {
        postId: '2125298935395254373',
        authorUsername: 'ada_testwell',
        conversationId: '2125298935395254373',
        referencedTweets: [],
        publicMetrics: metrics(2, 1, 14, 0, 1, 812),
        polaritySource: 'wink-sentiment',
        sentimentScore: 3,
      },
    });
    expect(posts['2125153414017974474']).toMatchObject({
      author: { name: 'Bo Sample', id: '1500000000000000002', url: 'https://x.com/bo_sample' },
      text: '@AcmeBakery waited 40 min for a flat white & a stale croissant. Terrible service 😡',
      polarity: 'negative',
      extra: { polaritySource: 'wink-sentiment', sentimentScore: -2 },
    });
    // A language the English lexicon cannot read gets no estimate rather than a wrong "neutral".
    expect(posts['2124835372528566676']).toMatchObject({
      language: 'fr',
      polarity: null,
      text: 'Super boulangerie, le pain est excellent ! @AcmeBakery',
      extra: { polaritySource: null, sentimentScore: null },
    });
    // Ids beyond 2^53 survive digit for digit, newest first.
    expect(reviews.map((r) => r.externalId)).toEqual([
      '2125298935395254373',
      '2125153414017974474',
      '2124975189652406575',
      '2124835372528566676',
      '2124538524857270777',
      '2124431440597746270',
      '2124042628101047181',
      '2123766613537719282',
    ]);
  });

  it('keeps a post whose author lookup failed: null author fields, the partial error in extra, nothing thrown', async () => {
    server.reset(routes);
    const { reviews, sources } = await run();
    expect(byId(reviews)['2124975189652406575']).toEqual({
      id: 'x:2124975189652406575',
      source: 'x',
      externalId: '2124975189652406575',
      subject: SUBJECT,
      // No username without the user object: X's id-only link.
      url: 'https://x.com/i/web/status/2124975189652406575',
      author: { name: null, id: '1500000000000000099', url: null, avatarUrl: null },
      ...UNRATED,
      polarity: 'neutral',
      text: 'Does @AcmeBakery open on Sundays?',
      language: 'en',
      createdAt: new Date('2026-11-23T21:15:40.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      helpfulVotes: 0,
      extra: {
        postId: '2124975189652406575',
        authorUsername: null,
        conversationId: '2124975189652406575',
        referencedTweets: [],
        publicMetrics: metrics(0, 0, 0, 0, 0, 37),
        polaritySource: 'wink-sentiment',
        sentimentScore: 0,
        partialErrors: [
          {
            title: 'Not Found Error',
            detail: 'Could not find user with author_id: [1500000000000000099].',
            type: 'https://api.twitter.com/2/problems/resource-not-found',
            resourceType: 'user',
            resourceId: '1500000000000000099',
            parameter: 'author_id',
          },
        ],
      },
    });
    // Only the post it concerns carries it.
    expect(reviews.filter((r) => 'partialErrors' in r.extra).map((r) => r.externalId)).toEqual(['2124975189652406575']);
    expect(sources[0]?.status).toBe('ok');
    // The report lists it too, tied to the post whose author is missing.
    expect(sources[0]?.warnings).toEqual([
      {
        code: 'https://api.twitter.com/2/problems/resource-not-found',
        message: 'Not Found Error: Could not find user with author_id: [1500000000000000099].',
        itemId: '2124975189652406575',
      },
    ]);
  });

  it('puts a partial error that names no post of its page on every post of that page', async () => {
    const body = bodyOf('search-page3-last');
    body.errors = [
      {
        value: '1500000000000000777',
        detail: 'Could not find user with id: [1500000000000000777].',
        title: 'Not Found Error',
        resource_type: 'user',
        parameter: 'entities.mentions.username',
        resource_id: '1500000000000000777',
        type: 'https://api.twitter.com/2/problems/resource-not-found',
      },
    ];
    server.reset([{ ...page1, body }]);
    const { reviews } = await run();
    expect(reviews.map((r) => r.extra.partialErrors)).toEqual([
      [expect.objectContaining({ resourceId: '1500000000000000777', parameter: 'entities.mentions.username' })],
      [expect.objectContaining({ resourceId: '1500000000000000777', parameter: 'entities.mentions.username' })],
    ]);
  });

  it('decodes X’s escaping of &, < and > exactly once', async () => {
    const body = bodyOf('search-page3-last');
    body.data = [{ ...body.data[1], text: 'Your site shows &amp;amp; and &amp;lt;br&amp;gt; in the menu &gt;_&lt; @AcmeBakery' }];
    server.reset([{ ...page1, body }]);
    const { reviews } = await run();
    expect(reviews[0]?.text).toBe('Your site shows &amp; and &lt;br&gt; in the menu >_< @AcmeBakery');
  });

  it('reads an edited post as its original: the original id and time, the edit as updatedAt, the link to the latest version', async () => {
    server.reset(routes);
    const { reviews } = await run();
    expect(byId(reviews)['2124431440597746270']).toEqual({
      id: 'x:2124431440597746270',
      source: 'x',
      externalId: '2124431440597746270',
      subject: SUBJECT,
      url: 'https://x.com/dee_placeholder/status/2124438033527734979',
      author: DEE,
      ...UNRATED,
      polarity: 'positive',
      text: 'Ordered a birthday cake last minute and @AcmeBakery nailed it. So happy 🎉\n\n(edit: photo below)',
      language: 'en',
      // Decoded from the original's snowflake id (milliseconds included).
      createdAt: new Date('2026-11-22T09:15:00.123Z'),
      updatedAt: new Date('2026-11-22T09:41:12.000Z'),
      datePrecision: 'instant',
      helpfulVotes: 21,
      extra: {
        postId: '2124438033527734979',
        authorUsername: 'dee_placeholder',
        conversationId: '2124431440597746270',
        referencedTweets: [],
        publicMetrics: metrics(1, 2, 21, 0, 2, 1304),
        polaritySource: 'wink-sentiment',
        sentimentScore: 3.5,
        editHistory: ['2124431440597746270', '2124438033527734979'],
      },
    });
  });

  it('estimates emoji-only posts (lang "art") with no language', async () => {
    server.reset(routes);
    const { reviews } = await run();
    expect(byId(reviews)['2124538524857270777']).toMatchObject({
      text: '😍😍😍',
      language: null,
      polarity: 'positive',
      extra: { polaritySource: 'wink-sentiment', sentimentScore: 3 },
    });
  });

  it('reads the last page (a reply with negation) and stops there: no request after it, platform-limited coverage', async () => {
    server.reset(routes);
    const { reviews, sources } = await run();
    expect(byId(reviews)['2124042628101047181']).toEqual({
      id: 'x:2124042628101047181',
      source: 'x',
      externalId: '2124042628101047181',
      subject: SUBJECT,
      url: 'https://x.com/dee_placeholder/status/2124042628101047181',
      author: DEE,
      ...UNRATED,
      polarity: 'negative',
      text: '@AcmeBakery not good. Overpriced and the cake was dry.',
      language: 'en',
      createdAt: new Date('2026-11-21T07:30:00.000Z'),
      updatedAt: null,
      datePrecision: 'instant',
      helpfulVotes: 0,
      extra: {
        postId: '2124042628101047181',
        authorUsername: 'dee_placeholder',
        conversationId: '2123310302622647484',
        referencedTweets: [{ type: 'replied_to', id: '2123310302622647484' }],
        publicMetrics: metrics(0, 1, 0, 0, 0, 98),
        polaritySource: 'wink-sentiment',
        sentimentScore: -3,
      },
    });
    expect(sources[0]).toEqual({
      source: 'x',
      subjectId: QUERY,
      status: 'ok',
      fetched: 8,
      pages: 3,
      durationMs: expect.any(Number),
      // Recent search only reaches back seven days.
      coverage: { complete: false, reason: 'platform-limit', reportedTotal: null },
      summary: null,
      // Page two's partial error (a missing author), kept in the report.
      warnings: [expect.objectContaining({ itemId: '2124975189652406575' })],
    });
    expect(server.requests.map((r) => r.query.next_token ?? null)).toEqual([null, NEXT_1, NEXT_2]);
  });

  it('sends the documented parameters and the bearer token as a header only', async () => {
    server.reset(routes);
    await run();
    const common = {
      query: QUERY,
      max_results: '100',
      sort_order: 'recency',
      'tweet.fields': TWEET_FIELDS,
      expansions: 'author_id',
      'user.fields': 'name,username,profile_image_url',
    };
    expect(server.requests.map((r) => r.query)).toEqual([common, { ...common, next_token: NEXT_1 }, { ...common, next_token: NEXT_2 }]);
    for (const request of server.requests) {
      expect(request.path).toBe(PATH);
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.url).not.toContain(TOKEN);
    }
  });

  it('sends maxResults and sortOrder; relevancy order is unordered', async () => {
    server.reset(routes);
    const relevant = source({ maxResults: 10, sortOrder: 'relevancy' });
    expect(relevant.order).toBe('unordered');
    expect(source().order).toBe('newest-first');
    await aggregate([relevant], { now: NOW });
    expect(server.requests[0]?.query).toMatchObject({ max_results: '10', sort_order: 'relevancy' });
  });

  it('reads {"meta":{"result_count":0}} as one page of zero reviews', async () => {
    server.reset([{ ...page1, body: fixture('search-empty') }]);
    const { reviews, sources } = await run();
    expect(reviews).toEqual([]);
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 0, pages: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('skips a post with an unreadable date or a numeric id and keeps the rest of its page', async () => {
    const body = bodyOf('search-page3-last');
    // v1.1's date format, as a proxy mixing API versions would send it.
    body.data.push({ ...body.data[1], id: '2123325402117047383', created_at: 'Thu Nov 19 08:00:00 +0000 2026' });
    // A JSON number cannot hold the id: X's `id` is always a string; a number means digits were lost.
    body.data.push({ id: 'NUMERIC' });
    const text = JSON.stringify(body).replace('{"id":"NUMERIC"}', '{"id":2123310302622647484,"text":"hi","created_at":"2026-11-19T07:00:00.000Z"}');
    server.reset([{ ...page1, body: text, headers: { 'content-type': 'application/json' } }]);
    const { reviews, sources } = await run();
    expect(reviews.map((r) => r.externalId)).toEqual(['2124042628101047181', '2123766613537719282']);
    expect(sources[0]).toMatchObject({ status: 'partial', fetched: 2, skippedCount: 2 });
    expect(sources[0]?.skipped).toEqual([
      { page: 1, index: 2, externalId: '2123325402117047383', stage: 'item', path: 'created_at', reason: 'Not an ISO 8601 date' },
      { page: 1, index: 3, externalId: null, stage: 'item', path: 'id', reason: 'Invalid input: expected string, received number' },
    ]);
  });

  it('sends since as start_time inside the 7-day window and stops paging past it', async () => {
    server.reset(routes);
    const { reviews, sources } = await run({}, { since: new Date('2026-11-22T12:00:00.500Z') });
    expect(server.requests.map((r) => r.query.start_time)).toEqual(['2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z']);
    // Page two reached past `since` (newest first): page three is never asked for.
    expect(reviews.map((r) => r.externalId)).toEqual(['2125298935395254373', '2125153414017974474', '2124975189652406575', '2124835372528566676', '2124538524857270777']);
    expect(sources[0]).toMatchObject({ pages: 2, coverage: { complete: false, reason: 'since', reportedTotal: null } });
  });

  it('leaves start_time out for a since older than the window (the whole window is read, reported platform-limited)', async () => {
    server.reset(routes);
    const { sources } = await run({}, { since: new Date('2026-11-18T00:00:30Z') });
    expect(server.requests.every((r) => r.query.start_time === undefined)).toBe(true);
    expect(sources[0]?.coverage).toEqual({ complete: false, reason: 'platform-limit', reportedTotal: null });
  });

  it('clamps a since closer than 10 s to now (X refuses it) to now − 10 s', async () => {
    server.reset(routes);
    await run({}, { since: new Date('2026-11-24T23:59:58Z') });
    expect(server.requests[0]?.query.start_time).toBe('2026-11-24T23:59:50Z');
  });

  it.each(xErrors)('maps $name to $code with the vendor code and message', async (c) => {
    server.reset([errorRoute(c)]);
    const { sources } = await run({}, { retry: { attempts: 1 } });
    const error = sources[0]?.error;
    expect(error?.code).toBe(c.code);
    expect(error?.status).toBe(c.status);
    expect(error?.vendorCode).toBe(c.vendorCode);
    for (const said of c.says) expect(error?.message).toContain(said);
    expect(error?.isRetryable).toBe(c.isRetryable);
  });

  it('waits until x-rate-limit-reset when it falls within maxDelayMs, then succeeds', async () => {
    const [tooMany] = xErrors.filter((c) => c.file === 'error-429-too-many-requests');
    if (!tooMany) throw new Error('missing case');
    const reset = Math.ceil(Date.now() / 1000) + 1;
    server.reset([errorRoute(tooMany, { times: 1, headers: { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } }), ...routes]);
    const delays: number[] = [];
    const { sources } = await run({}, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5000 }, onProgress: (e) => e.type === 'source:retry' && delays.push(e.delayMs) });
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 8 });
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(0);
    expect(delays[0]).toBeLessThanOrEqual(2000);
  });

  it('reports RATE_LIMITED with retryAfterMs from x-rate-limit-reset when the reset is far off', async () => {
    const [tooMany] = xErrors.filter((c) => c.file === 'error-429-too-many-requests');
    if (!tooMany) throw new Error('missing case');
    const reset = Math.floor(Date.now() / 1000) + 600;
    server.reset([errorRoute(tooMany, { headers: { 'x-rate-limit-reset': String(reset) } })]);
    const { sources } = await run({}, { retry: { attempts: 1 } });
    const error = sources[0]?.error;
    expect(error?.code).toBe('RATE_LIMITED');
    expect(error?.retryAfterMs).toBeGreaterThan(598_000);
    expect(error?.retryAfterMs).toBeLessThanOrEqual(600_000);
  });

  it('does not retry the monthly usage cap', async () => {
    const [capped] = xErrors.filter((c) => c.file === 'error-429-usage-capped');
    if (!capped) throw new Error('missing case');
    server.reset([errorRoute(capped), ...routes]);
    const { sources } = await run({}, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    expect(sources[0]?.error?.code).toBe('RATE_LIMITED');
    expect(server.requests).toHaveLength(1);
  });

  it('reports a 200 carrying errors and no posts instead of reading it as an empty page', async () => {
    const body = { errors: [{ title: 'Authorization Error', detail: 'Sorry, you are not authorized to see the Tweet with ids: [2125298935395254373].', type: 'https://api.twitter.com/2/problems/not-authorized-for-resource' }], meta: { result_count: 0 } };
    server.reset([{ ...page1, body }]);
    const { sources } = await run();
    expect(sources[0]?.error?.code).toBe('BAD_RESPONSE');
    expect(sources[0]?.error?.message).toContain('X answered with errors and no posts: Sorry, you are not authorized to see the Tweet');
  });

  it('never surfaces the bearer token, even quoted in an error body', async () => {
    const quoting = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: `Bearer ${TOKEN} is not valid (token ${TOKEN})` };
    server.reset([page1, { ...page2, status: 401, body: quoting }]);
    const events: ProgressEvent[] = [];
    const result = await run({}, { onProgress: (e) => events.push(e) });
    expect(result.sources[0]).toMatchObject({ status: 'partial', fetched: 4, cursor: NEXT_1 });
    expect(result.sources[0]?.error?.code).toBe('AUTH');
    expectNoSecrets(result.sources[0]?.error, [TOKEN]);
    expectNoSecrets(events, [TOKEN]);
    expectNoSecrets(result, [TOKEN]);
    expect(inspect(result, { depth: 10 })).not.toContain('MockBearer');
  });

  it('uses the polarity option instead of the built-in estimate, with the post’s language', async () => {
    server.reset(routes);
    const calls: [string, string | null][] = [];
    const polarity = (text: string, { language }: { language: string | null }) => {
      calls.push([text, language]);
      return /excellent|happy|best/i.test(text) ? ('positive' as const) : null;
    };
    const { reviews } = await run({ polarity });
    const posts = byId(reviews);
    expect(posts['2124835372528566676']).toMatchObject({ polarity: 'positive', extra: { polaritySource: 'custom', sentimentScore: null } });
    expect(posts['2125153414017974474']).toMatchObject({ polarity: null, extra: { polaritySource: 'custom', sentimentScore: null } });
    expect(calls).toContainEqual(['Super boulangerie, le pain est excellent ! @AcmeBakery', 'fr']);
    expect(calls).toContainEqual(['😍😍😍', null]);
    // normalize runs once per post, and the contract's purity probe is not in this run.
    expect(calls).toHaveLength(8);
  });

  it('skips (and reports) the posts a polarity function fails on, keeping the others', async () => {
    server.reset([page3]);
    const polarity = (text: string) => {
      if (text.includes('Market Street')) throw new Error('model unavailable');
      return 'neutral' as const;
    };
    const { reviews, sources } = await aggregate([source({ polarity, cursor: NEXT_2 })], { now: NOW });
    expect(reviews.map((r) => [r.externalId, r.polarity])).toEqual([['2124042628101047181', 'neutral']]);
    expect(sources[0]?.skipped).toEqual([{ page: 1, index: 1, externalId: '2123766613537719282', stage: 'normalize', path: '', reason: 'model unavailable' }]);
  });

  it('validates options', () => {
    expect(() => x({ bearerToken: TOKEN, query: QUERY, maxResults: 5 })).toThrow(/maxResults/);
    expect(() => x({ bearerToken: TOKEN, query: QUERY, maxResults: 101 })).toThrow(/maxResults/);
    expect(() => x({ bearerToken: TOKEN, query: 'q'.repeat(4097) })).toThrow(/query/);
    expect(() => x({ bearerToken: TOKEN, query: QUERY, polarity: 'positive' as never })).toThrow(/`polarity` is invalid: must be a function/);
    expect(() => x({ bearerToken: TOKEN, query: QUERY, sortOrder: 'oldest' as never })).toThrow(/sortOrder/);
    expect(x({ bearerToken: TOKEN, query: QUERY }).subjectId).toBe(QUERY);
  });
});
