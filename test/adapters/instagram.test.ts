import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { instagram } from '../../adapters/instagram.js';
import { aggregate, type ErrorCode, type ProgressEvent, type Review } from '../../src/index.js';
import { expectNoSecrets, type FixtureRoute, type FixtureServer, startFixtureServer, testAdapter } from '../../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/instagram/${name}.json`, import.meta.url), 'utf8'));

// The same token is echoed in the fixtures' `paging.next` links, as Graph does when it was sent in the query.
const TOKEN = 'EAAIgTestUserTokenForInstagram0123456789abcdefXYZ';
const USER = '17841400000000001';
const V = 'v24.0';
const USER_PATH = `/${V}/${USER}`;
const M1 = '17900000000000001';
const M3 = '17900000000000003';
const M4 = '17900000000000004';
const comments = (media: string) => `/${V}/${media}/comments`;
const MEDIA_AFTER = 'QVFIUm1lZGlhMQ';
const COMMENTS_AFTER = 'QVFIUmNvbW1lbnRzMQ';
const TAGS_AFTER = 'QVFIUnRhZ3Mx';
const MEDIA_FIELDS = 'id,caption,timestamp,permalink,comments_count,media_product_type,media_type';
const COMMENT_FIELDS = 'id,text,timestamp,from,username,like_count,hidden,replies{id,text,timestamp,from,username,parent_id}';
const TAG_FIELDS = 'id,caption,timestamp,permalink,username,media_type,comments_count,like_count';
const NOW = new Date('2026-11-25T00:00:00Z');

// `access_token: null`: no request may carry the token in its URL.
const account: FixtureRoute = { path: USER_PATH, query: { fields: 'id,username,name', access_token: null }, body: fixture('account') };
const media1: FixtureRoute = { path: `${USER_PATH}/media`, query: { after: null, access_token: null }, body: fixture('media-page1') };
const media2: FixtureRoute = { path: `${USER_PATH}/media`, query: { after: MEDIA_AFTER, access_token: null }, body: fixture('media-page2-last') };
const m1Page1: FixtureRoute = { path: comments(M1), query: { after: null, access_token: null }, body: fixture('comments-m1-page1') };
const m1Page2: FixtureRoute = { path: comments(M1), query: { after: COMMENTS_AFTER, access_token: null }, body: fixture('comments-m1-page2-last') };
const m3: FixtureRoute = { path: comments(M3), query: { access_token: null }, body: fixture('comments-m3') };
const m4: FixtureRoute = { path: comments(M4), query: { access_token: null }, body: fixture('comments-m4') };
const tags1: FixtureRoute = { path: `${USER_PATH}/tags`, query: { after: null, access_token: null }, body: fixture('tags-page1') };
const tags2: FixtureRoute = { path: `${USER_PATH}/tags`, query: { after: TAGS_AFTER, access_token: null }, body: fixture('tags-page2-last') };
const routes: FixtureRoute[] = [account, media1, media2, m1Page1, m1Page2, m3, m4, tags1, tags2];

interface GraphErrorCase {
  name: string;
  file: string;
  status: number;
  code: ErrorCode;
  vendorCode: string;
  /** Where Graph sends it: the account (first request), the media listing, or a comments edge. */
  on: FixtureRoute;
}
const graphErrors: GraphErrorCase[] = [
  { name: '#190 expired token (400)', file: 'error-190-expired', status: 400, code: 'AUTH', vendorCode: '190', on: account },
  { name: '#10 permission (403)', file: 'error-10-permission', status: 403, code: 'FORBIDDEN', vendorCode: '10', on: media1 },
  { name: '#200 missing instagram_manage_comments (403)', file: 'error-200-permission', status: 403, code: 'FORBIDDEN', vendorCode: '200', on: m1Page1 },
  { name: '#100/33 unknown account id (400)', file: 'error-100-33-not-found', status: 400, code: 'NOT_FOUND', vendorCode: '100', on: account },
  { name: '#4 app request limit (403)', file: 'error-4-app-limit', status: 403, code: 'RATE_LIMITED', vendorCode: '4', on: media1 },
  { name: '#80002 Instagram BUC limit (400)', file: 'error-80002-instagram-buc', status: 400, code: 'RATE_LIMITED', vendorCode: '80002', on: m1Page1 },
];
const errorRoute = (c: GraphErrorCase, extra: Partial<FixtureRoute> = {}): FixtureRoute => ({ ...c.on, status: c.status, body: fixture(c.file), ...extra });

testAdapter(instagram, {
  options: { accessToken: TOKEN, userId: USER },
  requiredOptions: ['accessToken', 'userId'],
  secrets: [TOKEN],
  routes,
  firstPage: m1Page1,
  expectedReviews: 7,
  expectedPages: 6,
  errors: graphErrors.map((c) => ({ name: c.name, routes: [errorRoute(c)], code: c.code })),
});

const SUBJECT = { id: USER, name: 'acmebakery' };
const UNRATED = { rating: null, stars: null, recommendation: null, title: null, language: null, updatedAt: null, datePrecision: 'instant' };
const SOURDOUGH_EXCERPT = 'Our autumn sourdough is back 🍂🥖 Slow-fermented for 36 hours with rye from the Hillside mill, baked e…';

/** Decodes a reported cursor, to show what it holds. */
const positionOf = (cursor: string | undefined) =>
  cursor?.startsWith('ig1.') ? z.array(z.string().nullable()).parse(JSON.parse(Buffer.from(cursor.slice(4), 'base64url').toString('utf8'))) : cursor;

describe('instagram adapter', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer(routes);
  });
  afterAll(() => server.close());
  const source = (extra: Record<string, unknown> = {}) => instagram({ accessToken: TOKEN, userId: USER, baseUrl: server.url, ...extra });
  const run = (extra: Record<string, unknown> = {}, options: Parameters<typeof aggregate>[1] = {}) => aggregate([source(extra)], { now: NOW, ...options });
  const byId = (reviews: Review[]) => Object.fromEntries(reviews.map((r) => [r.externalId, r]));
  const paths = () => server.requests.map((r) => `${r.path}${r.query.after ? `?after=${r.query.after}` : ''}`);

  it('normalizes a comment exactly: author from `from`, the media permalink, the account’s own replies oldest first', async () => {
    server.reset(routes);
    const { reviews } = await run();
    expect(byId(reviews)['17950000000000001']).toEqual({
      id: 'instagram:17950000000000001',
      source: 'instagram',
      externalId: '17950000000000001',
      subject: SUBJECT,
      url: 'https://www.instagram.com/p/DAcmeSour01/',
      author: { name: 'ada.testwell', id: '17840000000000101', url: 'https://www.instagram.com/ada.testwell/', avatarUrl: null },
      ...UNRATED,
      polarity: 'positive',
      text: 'Best sourdough in town 🥖❤️',
      createdAt: new Date('2026-11-20T08:15:00.000Z'),
      // bo.sample's reply is not the business's; Graph listed the account's two replies newest first.
      replies: [
        { text: 'Thanks!!', createdAt: new Date('2026-11-20T08:31:00.000Z'), author: 'acmebakery' },
        { text: 'Thank you Ada! See you Saturday 🙏', createdAt: new Date('2026-11-20T09:05:00.000Z'), author: 'acmebakery' },
      ],
      helpfulVotes: 4,
      extra: {
        kind: 'comment',
        mediaId: M1,
        // 100 code points of the caption, emoji intact.
        mediaCaption: SOURDOUGH_EXCERPT,
        mediaProductType: 'FEED',
        hidden: false,
        polaritySource: 'wink-sentiment',
        sentimentScore: 3,
      },
    });
  });

  it('leaves out the comments the account wrote itself (not mentions)', async () => {
    server.reset(routes);
    const { reviews } = await run();
    expect(reviews.map((r) => r.externalId)).not.toContain('17950000000000002');
    expect(reviews.map((r) => r.externalId).sort()).toEqual([
      '17910000000000001',
      '17910000000000002',
      '17950000000000001',
      '17950000000000003',
      '17950000000000004',
      '17950000000000005',
      '17950000000000007',
    ]);
  });

  it('normalizes the last comments page, a hidden comment, an emoji-only and a text-less comment', async () => {
    server.reset(routes);
    const { reviews } = await run();
    const all = byId(reviews);
    expect(all['17950000000000003']).toEqual({
      id: 'instagram:17950000000000003',
      source: 'instagram',
      externalId: '17950000000000003',
      subject: SUBJECT,
      url: 'https://www.instagram.com/p/DAcmeSour01/',
      author: { name: 'chloe.exemple', id: '17840000000000103', url: 'https://www.instagram.com/chloe.exemple/', avatarUrl: null },
      ...UNRATED,
      // An estimate, and this one misses: nothing in "stale … not going back" is in its lexicon.
      polarity: 'neutral',
      text: 'Waited 40 minutes and the bread was stale.\nNot going back.',
      createdAt: new Date('2026-11-19T16:40:12.000Z'),
      replies: [],
      helpfulVotes: 0,
      extra: {
        kind: 'comment',
        mediaId: M1,
        mediaCaption: SOURDOUGH_EXCERPT,
        mediaProductType: 'FEED',
        hidden: true,
        polaritySource: 'wink-sentiment',
        sentimentScore: 0,
      },
    });
    expect(all['17950000000000004']).toMatchObject({
      url: 'https://www.instagram.com/reel/DAcmeReel03/',
      text: '😍😍',
      polarity: 'positive',
      extra: { mediaId: M3, mediaCaption: 'How we shape a baguette 🎥', mediaProductType: 'REELS', sentimentScore: 3 },
    });
    // No text: nothing to estimate.
    expect(all['17950000000000005']).toMatchObject({ text: null, polarity: null, extra: { polaritySource: null, sentimentScore: null } });
  });

  it('reads an older comment without `from` by its username, and flags replies beyond the first batch', async () => {
    server.reset(routes);
    const { reviews } = await run();
    expect(byId(reviews)['17950000000000007']).toEqual({
      id: 'instagram:17950000000000007',
      source: 'instagram',
      externalId: '17950000000000007',
      subject: SUBJECT,
      url: 'https://www.instagram.com/p/DAcmeChef04/',
      author: { name: 'eve.sample', id: 'eve.sample', url: 'https://www.instagram.com/eve.sample/', avatarUrl: null },
      ...UNRATED,
      polarity: 'neutral',
      text: 'Do you open on Sundays?',
      createdAt: new Date('2026-10-03T10:12:45.000Z'),
      replies: [],
      helpfulVotes: 0,
      extra: {
        kind: 'comment',
        mediaId: M4,
        mediaCaption: 'Meet Sam, our new pastry chef 👩‍🍳',
        mediaProductType: 'FEED',
        hidden: false,
        polaritySource: 'wink-sentiment',
        sentimentScore: 0,
        hasMoreReplies: true,
      },
    });
  });

  it('normalizes media that tag the account: the caption as text, the tagger as author', async () => {
    server.reset(routes);
    const { reviews } = await run();
    const all = byId(reviews);
    expect(all['17910000000000001']).toEqual({
      id: 'instagram:17910000000000001',
      source: 'instagram',
      externalId: '17910000000000001',
      subject: SUBJECT,
      url: 'https://www.instagram.com/p/DFridaCake1/',
      author: { name: 'frida.placeholder', id: 'frida.placeholder', url: 'https://www.instagram.com/frida.placeholder/', avatarUrl: null },
      ...UNRATED,
      polarity: 'positive',
      text: 'Birthday cake by @acmebakery 🎂 so happy with it!',
      createdAt: new Date('2026-11-21T18:22:09.000Z'),
      replies: [],
      helpfulVotes: 57,
      extra: { kind: 'tag', mediaId: '17910000000000001', mediaType: 'IMAGE', commentsCount: 3, polaritySource: 'wink-sentiment', sentimentScore: 3 },
    });
    // The last tags page: a tag without a caption.
    expect(all['17910000000000002']).toMatchObject({ text: null, polarity: null, helpfulVotes: 12, extra: { kind: 'tag', commentsCount: 0 } });
  });

  it('walks both levels in order: media pages, comment pages per media (none for a media without comments), then tags', async () => {
    server.reset(routes);
    const { sources } = await run();
    expect(paths()).toEqual([
      USER_PATH,
      `${USER_PATH}/media`,
      comments(M1),
      `${comments(M1)}?after=${COMMENTS_AFTER}`,
      comments(M3),
      `${USER_PATH}/media?after=${MEDIA_AFTER}`,
      comments(M4),
      `${USER_PATH}/tags`,
      `${USER_PATH}/tags?after=${TAGS_AFTER}`,
    ]);
    expect(sources[0]).toEqual({
      source: 'instagram',
      subjectId: USER,
      status: 'ok',
      fetched: 7,
      pages: 6,
      durationMs: expect.any(Number),
      coverage: { complete: true, reportedTotal: null },
      summary: null,
    });
  });

  it('sends the fields, follows paging.next with its token removed, and sends the token only as a header', async () => {
    server.reset(routes);
    await run();
    for (const request of server.requests) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.url).not.toContain(TOKEN);
      expect(request.query.access_token).toBeUndefined();
    }
    const queries = server.requests.map((r) => r.query);
    expect(queries[1]).toEqual({ fields: MEDIA_FIELDS });
    expect(queries[2]).toEqual({ fields: COMMENT_FIELDS });
    // Graph's own next link (its limit=25), rebased onto the configured origin.
    expect(queries[3]).toEqual({ fields: COMMENT_FIELDS, limit: '25', after: COMMENTS_AFTER });
    expect(queries[7]).toEqual({ fields: TAG_FIELDS });
  });

  it('sends the limit option on every edge', async () => {
    server.reset(routes);
    await run({ limit: 50 });
    expect(server.requests.map((r) => r.query.limit)).toEqual([undefined, '50', '50', '25', '50', '25', '50', '50', '25']);
  });

  describe('resuming a stopped run (two levels of paging)', () => {
    it('stopped between comment pages of one media: resumes at that media’s next comments page', async () => {
      server.reset(routes);
      const first = await run({}, { maxPerSource: 1 });
      expect(first.reviews.map((r) => r.externalId)).toEqual(['17950000000000001']);
      expect(positionOf(first.sources[0]?.cursor)).toEqual(['c', null, M1, COMMENTS_AFTER]);
      server.reset(routes);
      const rest = await run({ cursor: first.sources[0]?.cursor });
      expect(paths()).toEqual([
        USER_PATH,
        `${USER_PATH}/media`,
        `${comments(M1)}?after=${COMMENTS_AFTER}`,
        comments(M3),
        `${USER_PATH}/media?after=${MEDIA_AFTER}`,
        comments(M4),
        `${USER_PATH}/tags`,
        `${USER_PATH}/tags?after=${TAGS_AFTER}`,
      ]);
      expect(rest.reviews).toHaveLength(6);
      expect(rest.sources[0]?.pages).toBe(5);
    });

    it('stopped after a media’s last comments page: resumes at the next media with comments', async () => {
      server.reset(routes);
      const first = await run({}, { maxPerSource: 2 });
      expect(positionOf(first.sources[0]?.cursor)).toEqual(['c', null, M3, null]);
      server.reset(routes);
      const rest = await run({ cursor: first.sources[0]?.cursor });
      expect(paths().slice(0, 3)).toEqual([USER_PATH, `${USER_PATH}/media`, comments(M3)]);
      expect([...first.reviews, ...rest.reviews].map((r) => r.externalId).sort()).toHaveLength(7);
    });

    it('stopped at the end of a media page: resumes with the next media page, never the first', async () => {
      server.reset(routes);
      const first = await run({}, { maxPerSource: 4 });
      expect(positionOf(first.sources[0]?.cursor)).toEqual(['c', MEDIA_AFTER, null, null]);
      server.reset(routes);
      const rest = await run({ cursor: first.sources[0]?.cursor });
      expect(paths()).toEqual([USER_PATH, `${USER_PATH}/media?after=${MEDIA_AFTER}`, comments(M4), `${USER_PATH}/tags`, `${USER_PATH}/tags?after=${TAGS_AFTER}`]);
      expect(rest.reviews.map((r) => r.externalId).sort()).toEqual(['17910000000000001', '17910000000000002', '17950000000000007']);
    });

    it('stopped in the middle of a page: resumes by reading that page again', async () => {
      server.reset(routes);
      const first = await run({}, { maxPerSource: 3 });
      expect(first.reviews.map((r) => r.externalId)).toEqual(['17950000000000001', '17950000000000003', '17950000000000004']);
      expect(positionOf(first.sources[0]?.cursor)).toEqual(['c', null, M3, null]);
      server.reset(routes);
      const rest = await run({ cursor: first.sources[0]?.cursor });
      // The page is read whole again: a consumer deduplicates by id.
      expect(rest.reviews.map((r) => r.externalId)).toContain('17950000000000004');
      expect(rest.reviews).toHaveLength(5);
    });

    it('stopped in the tags: resumes with the next tags page, no media read', async () => {
      server.reset(routes);
      const first = await run({}, { maxPerSource: 6 });
      expect(positionOf(first.sources[0]?.cursor)).toEqual(['t', TAGS_AFTER]);
      server.reset(routes);
      const rest = await run({ cursor: first.sources[0]?.cursor });
      expect(paths()).toEqual([USER_PATH, `${USER_PATH}/tags?after=${TAGS_AFTER}`]);
      expect(rest.reviews.map((r) => r.externalId)).toEqual(['17910000000000002']);
    });

    it('reads the whole media page again when the media of the cursor is gone', async () => {
      const gone = Buffer.from(JSON.stringify(['c', null, '17900000000000099', 'QVFIUmNvbW1lbnRzWg'])).toString('base64url');
      server.reset(routes);
      const { reviews } = await run({ cursor: `ig1.${gone}` });
      expect(reviews).toHaveLength(7);
      expect(paths()[2]).toBe(comments(M1));
    });

    it('refuses a cursor that no instagram report gave', async () => {
      server.reset(routes);
      for (const cursor of ['QVFIUmNvbW1lbnRzMQ', 'ig1.not-json', `ig1.${Buffer.from('["x"]').toString('base64url')}`]) {
        const { sources } = await run({ cursor });
        expect(sources[0]?.error?.code).toBe('CONFIG');
        expect(sources[0]?.error?.message).toBe('instagram: option `cursor` must be a cursor from an instagram SourceReport.');
      }
    });
  });

  it('keeps following next across an empty comments page (Graph may filter a page to nothing)', async () => {
    const page1 = z.looseObject({ paging: z.unknown() }).parse(fixture('comments-m1-page1'));
    server.reset([{ ...m1Page1, body: { data: [], paging: page1.paging } }, ...routes]);
    const { reviews, sources } = await run();
    expect(reviews).toHaveLength(6);
    expect(sources[0]?.pages).toBe(6);
  });

  it('skips a comment with an unreadable timestamp and keeps the rest of its page', async () => {
    const body = z.object({ data: z.array(z.record(z.string(), z.unknown())), paging: z.unknown() }).parse(fixture('comments-m3'));
    body.data.push({ id: '17950000000000006', text: 'Lovely', timestamp: '11/11/2026 19:50', from: { id: '17840000000000107', username: 'ivy.example' } });
    server.reset([{ ...m3, body }, ...routes]);
    const { reviews, sources } = await run();
    expect(reviews).toHaveLength(7);
    expect(sources[0]).toMatchObject({ status: 'partial', skippedCount: 1 });
    expect(sources[0]?.skipped).toEqual([{ page: 3, index: 2, externalId: '17950000000000006', stage: 'item', path: 'timestamp', reason: 'Not an ISO 8601 date' }]);
  });

  it('refuses a media page whose media id holds a lone surrogate as a bad response (found by the property tests)', async () => {
    // The id goes into the comments path, where encodeURIComponent threw out of the adapter.
    const body = z.object({ data: z.array(z.record(z.string(), z.unknown())), paging: z.unknown() }).parse(fixture('media-page1'));
    const [first] = body.data;
    if (first) first.id = '1790\uD800';
    server.reset([{ ...media1, body }, ...routes]);
    const error = (await run()).sources[0]?.error;
    expect(error?.code).toBe('BAD_RESPONSE');
    expect(error?.message).toContain('does not match the expected shape at data.0.id: is not well-formed text');
  });

  it('reads an account without media or tags as one empty tags page', async () => {
    server.reset([account, { ...media1, body: { data: [] } }, { ...tags1, body: fixture('tags-empty') }]);
    const { reviews, sources } = await run();
    expect(reviews).toEqual([]);
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 0, pages: 1 });
    expect(paths()).toEqual([USER_PATH, `${USER_PATH}/media`, `${USER_PATH}/tags`]);
  });

  it('reads no tags with tags: false', async () => {
    server.reset(routes);
    const { reviews, sources } = await run({ tags: false });
    expect(reviews.every((r) => r.extra.kind === 'comment')).toBe(true);
    expect(sources[0]).toMatchObject({ fetched: 5, pages: 4 });
    expect(server.requests.some((r) => r.path.endsWith('/tags'))).toBe(false);
  });

  it('picks the host from the login flavour (Facebook Login by default); Instagram Login reads no tags unless asked', async () => {
    const parse = (extra: Record<string, unknown>) => instagram.definition.options.parse({ accessToken: TOKEN, userId: USER, ...extra });
    const hostOf = instagram.definition.baseUrl;
    if (typeof hostOf !== 'function') throw new Error('baseUrl depends on the login option');
    expect(hostOf(parse({}))).toBe('https://graph.facebook.com');
    expect(hostOf(parse({ login: 'instagram' }))).toBe('https://graph.instagram.com');
    server.reset(routes);
    const { sources } = await run({ login: 'instagram' });
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 5 });
    expect(server.requests.some((r) => r.path.endsWith('/tags'))).toBe(false);
    server.reset(routes);
    const withTags = await run({ login: 'instagram', tags: true });
    expect(withTags.sources[0]?.fetched).toBe(7);
  });

  it('puts apiVersion in every path', async () => {
    const v23 = (r: FixtureRoute): FixtureRoute => ({ ...r, path: String(r.path).replace(`/${V}/`, '/v23.0/') });
    // Graph's next links carry the version of the request: pages without one keep this to the option.
    const reel = z.object({ data: z.array(z.object({ id: z.string() }).loose()) }).parse(fixture('media-page1')).data.filter((m) => m.id === M3);
    server.reset([account, { ...media1, body: { data: reel } }, m3, { ...tags1, body: fixture('tags-empty') }].map(v23));
    const { sources } = await run({ apiVersion: 'v23.0' });
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 2 });
    expect(paths()).toEqual([`/v23.0/${USER}`, `/v23.0/${USER}/media`, `/v23.0/${M3}/comments`, `/v23.0/${USER}/tags`]);
  });

  it.each(graphErrors)('maps Graph error $name to $code with the vendor code and message', async (c) => {
    server.reset([errorRoute(c), ...routes]);
    const { sources } = await run({}, { retry: { attempts: 1 } });
    const error = sources[0]?.error;
    expect(error?.code).toBe(c.code);
    expect(error?.vendorCode).toBe(c.vendorCode);
    expect(error?.status).toBe(c.status);
    const body = z.object({ error: z.object({ message: z.string(), fbtrace_id: z.string() }) }).parse(fixture(c.file));
    expect(error?.message).toContain(body.error.message);
    expect(error?.message).toContain(body.error.fbtrace_id);
    expect(error?.isRetryable).toBe(c.code === 'RATE_LIMITED');
  });

  it('says which permissions each login flavour needs on FORBIDDEN', async () => {
    const [permission] = graphErrors.filter((c) => c.vendorCode === '200');
    if (!permission) throw new Error('missing case');
    server.reset([errorRoute(permission), ...routes]);
    const { sources } = await run();
    expect(sources[0]?.error?.message).toMatch(/instagram_basic, instagram_manage_comments and pages_read_engagement/);
    expect(sources[0]?.error?.message).toMatch(/instagram_business_basic and instagram_business_manage_comments/);
  });

  it('retries an error Instagram flags is_transient, then succeeds', async () => {
    // A 400 is not retried on its own: only the flag makes it worth a second try.
    server.reset([{ ...m1Page1, status: 400, body: fixture('error-2-transient'), times: 1 }, ...routes]);
    const retries: number[] = [];
    const { sources } = await run({}, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, onProgress: (e) => e.type === 'source:retry' && retries.push(e.attempt) });
    expect(retries).toEqual([1]);
    expect(sources[0]).toMatchObject({ status: 'ok', fetched: 7 });
  });

  it('reads estimated_time_to_regain_access (minutes) on a BUC throttle and does not retry into it', async () => {
    const [buc] = graphErrors.filter((c) => c.vendorCode === '80002');
    if (!buc) throw new Error('missing case');
    const usage = { [USER]: [{ type: 'instagram', call_count: 100, total_cputime: 20, total_time: 40, estimated_time_to_regain_access: 12 }] };
    server.reset([errorRoute(buc, { headers: { 'x-business-use-case-usage': JSON.stringify(usage) } }), ...routes]);
    const { sources } = await run({}, { retry: { attempts: 3, baseDelayMs: 1 } });
    expect(sources[0]?.error?.code).toBe('RATE_LIMITED');
    expect(sources[0]?.error?.retryAfterMs).toBe(12 * 60_000);
    expect(server.requests.filter((r) => r.path === comments(M1))).toHaveLength(1);
  });

  it('never surfaces a token: not from a next link, not quoted in a Graph message, not in a cursor', async () => {
    const otherToken = 'IGAAKOtherInstagramLoginToken0123456789abcdef';
    const page1 = z.looseObject({ paging: z.looseObject({ next: z.string() }) }).parse(fixture('comments-m1-page1'));
    const withOther = { ...page1, paging: { ...page1.paging, next: page1.paging.next.replace(TOKEN, otherToken) } };
    const quoting = { error: { message: `Invalid OAuth access token ${TOKEN} (or ${otherToken}).`, type: 'OAuthException', code: 190, fbtrace_id: 'AbCdIgLeak' } };
    server.reset([account, media1, { ...m1Page1, body: withOther }, { ...m1Page2, status: 400, body: quoting }]);
    const events: ProgressEvent[] = [];
    const result = await run({}, { onProgress: (e) => events.push(e) });
    expect(result.sources[0]).toMatchObject({ status: 'partial', fetched: 1 });
    expect(result.sources[0]?.error?.code).toBe('AUTH');
    expect(positionOf(result.sources[0]?.cursor)).toEqual(['c', null, M1, COMMENTS_AFTER]);
    expect(server.requests.find((r) => r.query.after === COMMENTS_AFTER)?.url).not.toContain(otherToken);
    expectNoSecrets(result.sources[0]?.error, [TOKEN, otherToken]);
    expectNoSecrets(events, [TOKEN, otherToken]);
    expectNoSecrets(result, [TOKEN, otherToken]);
    expect(inspect(result, { depth: 10 }) + JSON.stringify(result)).not.toMatch(/(EAA|IGA)[A-Za-z0-9]{16,}/);
  });

  it('uses the polarity option for comments and captions alike', async () => {
    server.reset(routes);
    const seen: string[] = [];
    const polarity = (text: string) => {
      seen.push(text);
      return text.includes('?') ? ('neutral' as const) : ('positive' as const);
    };
    const { reviews } = await run({ polarity });
    const all = byId(reviews);
    expect(all['17950000000000003']).toMatchObject({ polarity: 'positive', extra: { polaritySource: 'custom', sentimentScore: null } });
    expect(all['17950000000000007']?.polarity).toBe('neutral');
    expect(all['17910000000000001']).toMatchObject({ polarity: 'positive', extra: { kind: 'tag', polaritySource: 'custom' } });
    // Never asked about missing text.
    expect(seen).toHaveLength(5);
  });

  it('validates options', () => {
    expect(() => instagram({ accessToken: TOKEN, userId: 'acmebakery' })).toThrow(/userId/);
    expect(() => instagram({ accessToken: TOKEN, userId: USER, login: 'threads' as never })).toThrow(/login/);
    expect(() => instagram({ accessToken: TOKEN, userId: USER, apiVersion: '24.0' })).toThrow(/apiVersion/);
    expect(() => instagram({ accessToken: TOKEN, userId: USER, limit: 0 })).toThrow(/limit/);
    expect(() => instagram({ accessToken: TOKEN, userId: USER, polarity: 'auto' as never })).toThrow(/polarity/);
    expect(instagram({ accessToken: TOKEN, userId: USER }).subjectId).toBe(USER);
  });
});
