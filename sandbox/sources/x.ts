/**
 * X API v2 recent search (apis.md §10; the adapter and its fixtures): `GET /2/tweets/search/recent`
 * with an app-only bearer token, `query`, `max_results` (10–100, default 10), `next_token` (or
 * `pagination_token`), `start_time`/`end_time`, `since_id`/`until_id`, `sort_order`, and field
 * selection (`tweet.fields`, `expansions=author_id` → `includes.users`, `user.fields`; by default
 * a post is `id`, `text`, `edit_history_tweet_ids`). Posts of the last seven days (of the sandbox
 * clock) only; ids are 64-bit snowflakes encoding their time; an edit is a new post id whose
 * `edit_history_tweet_ids` starts with the original; `&`, `<`, `>` arrive escaped; no match is
 * `{"meta":{"result_count":0}}`. Errors are problem JSON; `x-rate-limit-*` headers on every answer.
 */
import type { XOptions } from '../../adapters/x.js';
import { fullName, generateFacts, handle as handleOf, handleOfName, later, type ReviewFacts } from '../data.js';
import { days } from '../dates.js';
import {
  bearerOf,
  type FaultContext,
  json,
  lastChange,
  type ModuleContext,
  type ModuleRequest,
  type ModuleResponse,
  ReviewStore,
  type SourceModule,
  type StoredReview,
} from '../module.js';
import type { Random } from '../random.js';
import type { SandboxFault } from '../types.js';
import { countOf, escapeHtml, storeMethods } from './common.js';

/** The sandbox's app-only bearer token. */
export const X_BEARER_TOKEN = 'AAAAAAAAAAAAAAAAAAAAASandboxBearer0123%2FTestTokenXyZ9876543210abcdef';
/** What the sandbox's adapter searches for. */
export const X_QUERY = '@sandboxbistro -is:retweet';
/** Options of the adapter reading this sandboxed API (add `baseUrl`). */
export const X_OPTIONS = { bearerToken: X_BEARER_TOKEN, query: X_QUERY } satisfies XOptions;
const PATH = '/2/tweets/search/recent';
const WINDOW_MS = days(7);
const SNOWFLAKE_EPOCH = 1288834974657n;
const RATE_LIMIT = 450;
const TOKEN = /^b26v89c1([0-9a-z]{6})qjwcq4oa5p$/;
const DEFAULT_TWEET_FIELDS = ['id', 'text', 'edit_history_tweet_ids'];
const DEFAULT_USER_FIELDS = ['id', 'name', 'username'];

interface XPost extends StoredReview {
  authorId: string;
  username: string;
  /** Every version's post id, the original first (`edit_history_tweet_ids`). */
  versions: string[];
  metrics: { retweet_count: number; reply_count: number; quote_count: number; bookmark_count: number; impression_count: number };
}

/** A snowflake id for a post made at `at`: its top bits are the milliseconds since X's epoch. */
export function snowflake(random: Random, at: Date): string {
  return String(((BigInt(at.getTime()) - SNOWFLAKE_EPOCH) << 22n) | BigInt(random.int(0, 4_194_303)));
}

const problem = (status: number, title: string, extra: Record<string, unknown> = {}): ModuleResponse =>
  json(status, { title, detail: title, type: 'about:blank', status, ...extra });

function invalid(parameter: string, value: string, message: string): ModuleResponse {
  return json(400, {
    errors: [{ parameters: { [parameter]: [value] }, message }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  });
}

const nextToken = (offset: number) => `b26v89c1${offset.toString(36).padStart(6, '0')}qjwcq4oa5p`;
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** The X module. */
export function xModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const total = countOf(context, 36);
  const recentCount = Math.ceil(total * 0.85);
  const languages = [
    ['en', 0.7],
    ['de', 0.1],
    ['fr', 0.1],
    ['es', 0.1],
  ] as const;
  const recent = generateFacts(random, { topic: 'mention', count: recentCount, spanDays: 7, anchor: context.anchor, languages });
  const older = generateFacts(random, { topic: 'mention', count: total - recentCount, spanDays: 60, anchor: new Date(context.anchor.getTime() - days(8)), languages });

  function post(f: Pick<ReviewFacts, 'text' | 'createdAt' | 'helpfulVotes'> & { language: string }, author: string, username: string): XPost {
    return {
      externalId: snowflake(random, f.createdAt),
      authorId: random.digits(19),
      username,
      versions: [],
      metrics: {
        retweet_count: random.int(0, 5),
        reply_count: random.int(0, 4),
        quote_count: random.int(0, 2),
        bookmark_count: random.int(0, 3),
        impression_count: random.int(40, 2500),
      },
      author,
      stars: null,
      recommendation: null,
      title: null,
      text: f.text,
      language: f.language,
      createdAt: f.createdAt,
      updatedAt: null,
      replies: [],
      helpfulVotes: f.helpfulVotes,
    };
  }

  const store = new ReviewStore<XPost>(
    'x',
    [...older, ...recent].map((f, index) => {
      const created = post(f, fullName(f.person), handleOf(random, f.person, '_'));
      created.versions = [created.externalId];
      // X allows edits within an hour of posting.
      const editedAt = index % 9 === 4 ? later(random, f.createdAt, 120_000, 3_300_000, context.anchor) : null;
      if (editedAt !== null) {
        created.updatedAt = editedAt;
        created.versions.push(snowflake(random, editedAt));
      }
      return created;
    }),
  );
  const latestId = (p: XPost) => p.versions[p.versions.length - 1] ?? p.externalId;
  const byId = (a: XPost, b: XPost) => {
    const x = BigInt(latestId(a));
    const y = BigInt(latestId(b));
    return x > y ? -1 : x < y ? 1 : 0;
  };
  const order = () => store.sorted('recency', byId);
  const listed = () => {
    const since = context.now().getTime() - WINDOW_MS;
    return order().filter((p) => lastChange(p).getTime() >= since);
  };
  let requests = 0;

  function rateHeaders(request: ModuleRequest, remaining?: number): Record<string, string> {
    requests++;
    return {
      'x-rate-limit-limit': String(RATE_LIMIT),
      'x-rate-limit-remaining': String(remaining ?? Math.max(0, RATE_LIMIT - requests)),
      // A real instant, as X sends it: the 15-minute window's end.
      'x-rate-limit-reset': String(Math.floor(request.receivedAt / 1000) + 900),
    };
  }

  function postJson(p: XPost) {
    return {
      id: latestId(p),
      text: escapeHtml(p.text ?? ''),
      created_at: lastChange(p).toISOString(),
      author_id: p.authorId,
      lang: p.language,
      conversation_id: p.externalId,
      edit_history_tweet_ids: [...p.versions],
      public_metrics: { ...p.metrics, like_count: p.helpfulVotes ?? 0 },
    };
  }

  function userJson(p: XPost) {
    return {
      id: p.authorId,
      name: p.author,
      username: p.username,
      profile_image_url: `https://pbs.twimg.com/profile_images/${p.authorId}/${p.username.slice(0, 6)}_normal.jpg`,
      verified: false,
      protected: false,
    };
  }

  const pick = (value: Record<string, unknown>, fields: readonly string[]) => Object.fromEntries(fields.filter((f) => value[f] !== undefined).map((f) => [f, value[f]]));

  function handle(request: ModuleRequest): ModuleResponse {
    const token = bearerOf(request);
    if (token !== X_BEARER_TOKEN) return json(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }, rateHeaders(request));
    const { query } = request;
    const respond = (response: ModuleResponse): ModuleResponse => ({ ...response, headers: { ...response.headers, ...rateHeaders(request) } });
    const text = query.get('query');
    if (text === null || text.trim() === '') return respond(invalid('query', '', 'The `query` query parameter can not be empty'));
    if (text.length > 4096) return respond(invalid('query', text, 'The `query` query parameter value is too long'));
    const maxText = query.get('max_results') ?? '10';
    const maxResults = Number(maxText);
    if (!/^\d+$/.test(maxText) || maxResults < 10 || maxResults > 100) {
      return respond(invalid('max_results', maxText, `The \`max_results\` query parameter value [${maxText}] is not between 10 and 100`));
    }
    for (const name of ['start_time', 'end_time']) {
      const value = query.get(name);
      if (value !== null && !ISO_SECONDS.test(value)) return respond(invalid(name, value, `Invalid '${name}':'${value}'. '${name}' must be a valid RFC 3339 date.`));
    }
    const sortOrder = query.get('sort_order') ?? 'recency';
    if (sortOrder !== 'recency' && sortOrder !== 'relevancy') return respond(invalid('sort_order', sortOrder, `The \`sort_order\` query parameter value [${sortOrder}] is not one of [recency, relevancy]`));
    const tokenText = query.get('next_token') ?? query.get('pagination_token');
    const tokenMatch = tokenText === null ? null : TOKEN.exec(tokenText);
    if (tokenText !== null && tokenMatch === null) return respond(invalid('next_token', tokenText, `The \`next_token\` query parameter value [${tokenText}] is not valid`));
    const offset = tokenMatch ? Number.parseInt(tokenMatch[1] as string, 36) : 0;

    const startMs = query.get('start_time') === null ? null : Date.parse(query.get('start_time') as string);
    const endMs = query.get('end_time') === null ? null : Date.parse(query.get('end_time') as string);
    const sinceId = query.get('since_id');
    const untilId = query.get('until_id');
    let matching = listed().filter((p) => {
      const at = lastChange(p).getTime();
      const id = BigInt(latestId(p));
      return (startMs === null || at >= startMs) && (endMs === null || at < endMs) && (sinceId === null || id > BigInt(sinceId)) && (untilId === null || id < BigInt(untilId));
    });
    if (sortOrder === 'relevancy') matching = [...matching].sort((a, b) => (b.helpfulVotes ?? 0) - (a.helpfulVotes ?? 0) || byId(a, b));
    const page = matching.slice(offset, offset + maxResults);
    if (page.length === 0) return respond(json(200, { meta: { result_count: 0 } }));
    const tweetFields = [...new Set([...DEFAULT_TWEET_FIELDS, ...(query.get('tweet.fields')?.split(',') ?? [])])];
    const userFields = [...new Set([...DEFAULT_USER_FIELDS, ...(query.get('user.fields')?.split(',') ?? [])])];
    const expandsAuthors = (query.get('expansions')?.split(',') ?? []).includes('author_id');
    const users = new Map(page.map((p) => [p.authorId, pick(userJson(p), userFields)]));
    const ids = page.map(latestId);
    const hasMore = offset + maxResults < matching.length;
    return respond(
      json(200, {
        data: page.map((p) => pick(postJson(p), tweetFields)),
        ...(expandsAuthors && { includes: { users: [...users.values()] } }),
        meta: {
          newest_id: ids[0],
          oldest_id: ids[ids.length - 1],
          result_count: page.length,
          ...(hasMore && { next_token: nextToken(offset + maxResults) }),
        },
      }),
    );
  }

  function fault(kind: SandboxFault, request: ModuleRequest, { random: draw, retryAfterSeconds, wallClockMs }: FaultContext): ModuleResponse {
    if (kind === 'rate-limit') {
      return json(
        429,
        { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
        { 'x-rate-limit-limit': String(RATE_LIMIT), 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(wallClockMs / 1000) + retryAfterSeconds) },
      );
    }
    const response = draw.chance(0.5) ? problem(503, 'Service Unavailable') : problem(500, 'Internal Server Error');
    return { ...response, headers: { ...response.headers, ...rateHeaders(request) } };
  }

  return {
    key: 'x',
    source: 'x',
    claims: (request) => request.path === PATH,
    handle,
    fault,
    ...storeMethods({
      key: 'x',
      store,
      random,
      order,
      listed: () => new Set(listed().map((p) => p.externalId)),
      hasStars: false,
      hasEditTime: true,
      replies: false,
      // An edit is a new post, its id made at the edit's time.
      afterEdit: (p, edit) => {
        p.versions.push(snowflake(random, edit.updatedAt));
      },
      create: (input) => {
        const created = post({ text: input.text, language: input.language, createdAt: input.createdAt, helpfulVotes: 0 }, input.authorName, handleOfName(input.authorName, '_'));
        created.versions = [created.externalId];
        return created;
      },
    }),
  };
}
