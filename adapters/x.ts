/**
 * X (Twitter) mentions through API v2 recent search (`GET /2/tweets/search/recent`): posts of the
 * last seven days matching a query, as unrated reviews whose polarity is estimated from the text.
 * Facts followed:
 * - Endpoint, parameters and response: docs.x.com/x-api/posts/recent-search (`query`, `max_results`
 *   10–100, `next_token`, `sort_order` recency|relevancy, `start_time` `YYYY-MM-DDTHH:mm:ssZ` within
 *   the last 7 days, `tweet.fields`, `expansions=author_id`, `user.fields`; `data`, `includes.users`,
 *   `meta.result_count`/`next_token`; no match answers only `{"meta":{"result_count":0}}`).
 * - `start_time` must also lie at least 10 s before the request (a 400 otherwise:
 *   Significant-Gravitas/AutoGPT#11461, which clamps it the same way).
 * - Partial errors (`errors[]` beside `data`, e.g. `Could not find user with id: [...]`,
 *   `resource_type`/`resource_id`/`parameter`): developer.twitter.com/en/support/twitter-api/error-troubleshooting,
 *   bodies as quoted in sferik/x-ruby#11 and sciety/sciety#1969.
 * - Errors: problem JSON `{"title","detail","type","status"}` (geduldig/TwitterAPI#180); an invalid
 *   query is 400 `invalid-request` with `errors[].message` (turbot/steampipe-plugin-twitter#10); 403
 *   `client-forbidden` / `client-not-enrolled` for an app outside a Project or below the plan the
 *   endpoint needs (xdevplatform/samples#160); the monthly post cap is `usage-capped`.
 * - Rate limits: docs.x.com/fundamentals/rate-limits (`x-rate-limit-reset` is a Unix time in seconds).
 * - Text: `&`, `<` and `>` arrive HTML-escaped (sferik/twitter-ruby#348); nothing else is.
 * - Ids are 64-bit snowflakes (beyond 2^53, so kept as strings); the top 41 bits are milliseconds
 *   since 1288834974657 (developer.twitter.com/en/docs/twitter-ids). An edited post has a new id;
 *   `edit_history_tweet_ids[0]` is the original (docs.x.com/x-api/fundamentals/edit-posts).
 */
import { z } from 'zod';
import { cleanText, type DetectedError, dateSchema, defineAdapter, type ErrorCode, type HttpResponseInfo } from '../src/index.js';
import { loadMentionScorer, type MentionScorer, polarityOption } from './mentions/sentiment.js';

export type { PolarityContext, PolarityEstimator } from './mentions/sentiment.js';

const SEARCH_PATH = '/2/tweets/search/recent';
const TWEET_FIELDS = 'created_at,author_id,lang,public_metrics,conversation_id,referenced_tweets,edit_history_tweet_ids';
const USER_FIELDS = 'name,username,profile_image_url';
const WINDOW_MS = 7 * 86_400_000;
// `start_time` close to the window's start could be past it by the time the request lands.
const WINDOW_MARGIN_MS = 60_000;
const MIN_START_AGE_MS = 10_000;
const SNOWFLAKE_EPOCH = 1288834974657n;

const xOptions = z.object({
  /** App-only Bearer token of an X developer App attached to a Project with recent-search access. Sent as `Authorization: Bearer …`. */
  bearerToken: z.string().min(1),
  /** Search query, e.g. `@AcmeBakery OR "Acme Bakery" -is:retweet` (512 characters on Basic, more on higher plans). */
  query: z.string().min(1).max(4096),
  /** Posts per request, 10–100. Default 100: fewer requests against the 15-minute limit. */
  maxResults: z.number().int().min(10).max(100).default(100),
  /** `recency` (newest first, default: lets `since` stop paging) or `relevancy`. */
  sortOrder: z.enum(['recency', 'relevancy']).default('recency'),
  /** Your own polarity estimate (synchronous); default: wink-sentiment on English and language-less posts. */
  polarity: polarityOption,
});

/** Options of {@link x}. */
export type XOptions = z.input<typeof xOptions>;

// A post id held as a JSON number has already lost digits: only the string form is read.
const snowflake = z.string().regex(/^\d{1,20}$/, 'must be a numeric string');

const xTweet = z.object({
  id: snowflake,
  text: z.string(),
  created_at: dateSchema(),
  author_id: z.string().nullish(),
  lang: z.string().nullish(),
  conversation_id: z.string().nullish(),
  edit_history_tweet_ids: z.array(snowflake).nullish(),
  referenced_tweets: z.array(z.object({ type: z.string(), id: z.string() })).nullish(),
  public_metrics: z
    .object({
      retweet_count: z.number().int().nonnegative().nullish(),
      reply_count: z.number().int().nonnegative().nullish(),
      like_count: z.number().int().nonnegative().nullish(),
      quote_count: z.number().int().nonnegative().nullish(),
      bookmark_count: z.number().int().nonnegative().nullish(),
      impression_count: z.number().int().nonnegative().nullish(),
    })
    .nullish(),
});

type XTweet = z.output<typeof xTweet>;

/** The id of a raw post for skip reports: only a string one (a JSON number has lost digits, so naming it would name another post). */
function postId(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

// The envelope: paging and the page-wide lookups. Each post is validated on its own (`item`).
const xPage = z.object({
  data: z.array(z.unknown()).default([]),
  includes: z.object({ users: z.array(z.unknown()).nullish() }).nullish(),
  errors: z.array(z.unknown()).nullish(),
  // No match is `{"meta":{"result_count":0}}` alone: no `data`, no `next_token`.
  meta: z.object({ result_count: z.number().int().nonnegative().nullish(), next_token: z.string().nullish() }),
});

const xUser = z.object({
  id: z.string(),
  name: z.string().nullish(),
  username: z.string().nullish(),
  profile_image_url: z.string().nullish(),
});

type XUser = z.output<typeof xUser>;

const xPartialError = z.object({
  title: z.string().nullish(),
  detail: z.string().nullish(),
  type: z.string().nullish(),
  resource_type: z.string().nullish(),
  resource_id: z.string().nullish(),
  parameter: z.string().nullish(),
});

/** A partial error X sent beside the posts of a page, as kept in `extra.partialErrors`. */
export interface XPartialError {
  title?: string;
  detail?: string;
  type?: string;
  resourceType?: string;
  resourceId?: string;
  parameter?: string;
}

// Just enough of a raw post to tell which partial errors concern it (before its own validation).
const tweetRefs = z.object({
  id: z.string(),
  author_id: z.string().nullish(),
  referenced_tweets: z.array(z.object({ id: z.string() })).nullish(),
});

interface XShared {
  subject: { id: string; name: null };
  users: ReadonlyMap<string, XUser>;
  partialErrors: readonly XPartialError[];
  /** Partial errors that name no post of the page: every post of the page carries them. */
  unmatchedErrors: readonly XPartialError[];
  polarity: MentionScorer;
}

function toPartialError(raw: unknown): XPartialError | null {
  const parsed = xPartialError.safeParse(raw);
  if (!parsed.success) return null;
  const e = parsed.data;
  const out: XPartialError = {};
  if (e.title) out.title = e.title;
  if (e.detail) out.detail = e.detail;
  if (e.type) out.type = e.type;
  if (e.resource_type) out.resourceType = e.resource_type;
  if (e.resource_id) out.resourceId = e.resource_id;
  if (e.parameter) out.parameter = e.parameter;
  return out;
}

/** Whether a partial error is about this post: its author, itself, or a post it references. */
function concerns(error: XPartialError, post: { id: string; author_id?: string | null | undefined; referenced_tweets?: readonly { id: string }[] | null | undefined }): boolean {
  if (error.resourceId === undefined) return false;
  if (error.resourceType === 'user') return error.resourceId === post.author_id;
  if (error.resourceType === 'tweet') return error.resourceId === post.id || (post.referenced_tweets ?? []).some((r) => r.id === error.resourceId);
  return false;
}

const problemBody = z.object({
  title: z.string().nullish(),
  detail: z.string().nullish(),
  type: z.string().nullish(),
  reason: z.string().nullish(),
  errors: z.array(z.object({ message: z.string().nullish() })).nullish(),
});

/**
 * Maps X's problem JSON: 400 (an invalid query or parameter) is CONFIG, 401 AUTH, 402/403
 * FORBIDDEN, 429 RATE_LIMITED with the wait read from `x-rate-limit-reset`; the monthly post cap
 * (`usage-capped`) is not worth retrying within a run.
 */
function detectXError(response: HttpResponseInfo): DetectedError | undefined {
  if (response.status < 400) return detectErrorsWithoutData(response);
  const detected: DetectedError = {};
  const parsed = problemBody.safeParse(response.body);
  if (parsed.success) {
    const { title, detail, type, reason, errors } = parsed.data;
    const kind = type && type !== 'about:blank' ? type.slice(type.lastIndexOf('/') + 1) : undefined;
    const vendorCode = kind ?? title ?? undefined;
    if (vendorCode) detected.vendorCode = vendorCode;
    const specifics = (errors ?? []).map((e) => e.message).filter((m): m is string => !!m);
    const head = [title, detail && detail !== title ? detail : null].filter(Boolean).join(': ');
    const message = [head, ...specifics, reason ? `(${reason})` : null].filter(Boolean).join(' ');
    if (message) detected.message = message;
    if (kind === 'usage-capped') {
      detected.code = 'RATE_LIMITED';
      detected.retry = false;
    }
  }
  const byStatus = STATUS_CODES[response.status];
  if (detected.code === undefined && byStatus !== undefined) detected.code = byStatus;
  if (detected.code === 'RATE_LIMITED' && response.status === 429) {
    const reset = Number(response.headers['x-rate-limit-reset']);
    if (Number.isFinite(reset) && reset > 0) detected.retryAfterMs = Math.max(0, reset * 1000 - Date.now());
  }
  return Object.keys(detected).length > 0 ? detected : undefined;
}

const STATUS_CODES: Readonly<Partial<Record<number, ErrorCode>>> = {
  400: 'CONFIG',
  401: 'AUTH',
  402: 'FORBIDDEN',
  403: 'FORBIDDEN',
  429: 'RATE_LIMITED',
};

const errorsOnly = z.object({ errors: z.array(z.unknown()).min(1), data: z.undefined().optional() });

/**
 * A 200 with `errors[]` and no `data` has no post to attach its errors to: report it rather than
 * read it as an empty page (partial errors beside `data` are kept on the posts instead).
 */
function detectErrorsWithoutData(response: HttpResponseInfo): DetectedError | undefined {
  const parsed = errorsOnly.safeParse(response.body);
  if (!parsed.success) return undefined;
  const details = parsed.data.errors.map(toPartialError).map((e) => e?.detail ?? e?.title).filter((d): d is string => !!d);
  return { code: 'BAD_RESPONSE', message: `X answered with errors and no posts: ${details.join('; ') || 'no detail'}` };
}

const X_ENTITY = /&(amp|lt|gt);/g;
const X_CHARS: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>' };

/** Undoes X's escaping of `&`, `<` and `>` in one pass, so a typed `&lt;` (sent as `&amp;lt;`) stays `&lt;`. */
function decodeXText(text: string): string {
  return text.replace(X_ENTITY, (_, name: string) => X_CHARS[name] ?? '');
}

// X's own `lang` values for posts without a language: undetermined, no linguistic content, emoji
// only ("art"), mentions/cashtags/hashtags/media links only, too short.
const NOT_A_LANGUAGE = new Set(['und', 'zxx', 'art', 'qam', 'qct', 'qht', 'qme', 'qst']);

/** Creation time encoded in a post id. */
function snowflakeTime(id: string): Date {
  return new Date(Number((BigInt(id) >> 22n) + SNOWFLAKE_EPOCH));
}

/**
 * `start_time` for a run's `since`: only when it falls inside the 7-day window recent search
 * covers (an older `since` asks for the whole window, which is what recent search returns
 * anyway), and at least 10 s before now, as X requires. Whole seconds, as X's format has them.
 */
function recentStartTime(since: Date | null, now: Date): string | undefined {
  if (since === null || since.getTime() < now.getTime() - WINDOW_MS + WINDOW_MARGIN_MS) return undefined;
  const at = Math.min(since.getTime(), now.getTime() - MIN_START_AGE_MS);
  return new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * Mentions on X: posts of the last seven days matching a search query (X API v2 recent search),
 * newest first. Posts carry no rating: `rating` and `stars` stay null and `polarity` is an
 * estimate from the text (wink-sentiment, or the `polarity` function you pass), its raw score
 * in `extra.sentimentScore`. Recent search covers only the last seven days, so coverage is
 * reported platform-limited unless `since` lies inside that window.
 *
 * @example
 * const source = x({ bearerToken: process.env.X_BEARER_TOKEN!, query: '@AcmeBakery -is:retweet' });
 */
export const x = defineAdapter({
  name: 'x',
  options: xOptions,
  baseUrl: 'https://api.x.com',
  subjectId: (o) => o.query,
  secrets: (o) => [o.bearerToken],
  order: (o) => (o.sortOrder === 'recency' ? 'newest-first' : 'unordered'),
  detectError: detectXError,
  // Answering a mention would mean publishing a new public post (`POST /2/tweets` with
  // `reply.in_reply_to_tweet_id`): a user-context OAuth token with `tweet.write`, which the app-only
  // bearer token that reads mentions is not; X's automation rules forbid automated replies to posts
  // found by keyword search; and since February 2026 the API refuses replies to posts that do not
  // mention or quote the replier [3p: X developer announcement as reported]. A mention is a post,
  // not a review with an owner-reply channel: reviewkit leaves the conversation to X.
  reply: {
    unsupported:
      'X mentions are posts, not reviews with an owner-reply channel: an answer would be a new public post, which needs a user-context ' +
      'OAuth token with tweet.write (the app-only bearer token that reads mentions cannot post) and falls under X\'s automation rules ' +
      '(no automated replies to posts found by search). Answer in X.',
  },
  page: xPage,
  item: xTweet,
  itemId: postId,
  async *pages(ctx) {
    const { bearerToken, query, maxResults, sortOrder } = ctx.options;
    const headers = { Authorization: `Bearer ${bearerToken}` };
    const startTime = recentStartTime(ctx.since, ctx.now);
    const isPlatformLimited = startTime === undefined;
    const subject = { id: query, name: null };
    const searchPage = (nextToken: string | null) =>
      ctx.fetchPage(SEARCH_PATH, {
        headers,
        query: {
          query,
          max_results: maxResults,
          sort_order: sortOrder,
          start_time: startTime,
          'tweet.fields': TWEET_FIELDS,
          expansions: 'author_id',
          'user.fields': USER_FIELDS,
          next_token: nextToken ?? undefined,
        },
      });
    // The first page and the estimate (a lazy import) are independent.
    const [polarity, first] = await ctx.all([loadMentionScorer(ctx.options.polarity), searchPage(ctx.cursor)]);
    let cursor = ctx.cursor;
    let page = first;
    for (;;) {
      const users = new Map<string, XUser>();
      for (const raw of page.includes?.users ?? []) {
        const user = xUser.safeParse(raw);
        if (user.success) users.set(user.data.id, user.data);
      }
      const partialErrors = (page.errors ?? []).map(toPartialError).filter((e): e is XPartialError => e !== null);
      const posts = page.data.map((raw) => tweetRefs.safeParse(raw).data).filter((p) => p !== undefined);
      const unmatchedErrors = partialErrors.filter((e) => !posts.some((post) => concerns(e, post)));
      const nextToken = page.meta.next_token || null;
      const shared: XShared = { subject, users, partialErrors, unmatchedErrors, polarity };
      // Not failures: the posts are here with less detail. The report lists them; each post keeps its own.
      const warnings = partialErrors.map((e) => ({
        ...(e.type !== undefined && { code: e.type }),
        message: [e.title, e.detail].filter(Boolean).join(': ') || 'partial error',
        itemId: e.resourceType === 'tweet' ? (e.resourceId ?? null) : (posts.find((post) => concerns(e, post))?.id ?? null),
      }));
      yield { items: page.data, shared, cursor, nextCursor: nextToken, isPlatformLimited, warnings };
      if (nextToken === null) return;
      cursor = nextToken;
      page = await searchPage(nextToken);
    }
  },
  normalize(tweet, { shared }) {
    const user = tweet.author_id ? shared.users.get(tweet.author_id) : undefined;
    const username = user?.username ?? null;
    const text = cleanText(decodeXText(tweet.text), { html: false });
    const language = tweet.lang && !NOT_A_LANGUAGE.has(tweet.lang) ? tweet.lang : null;
    const estimate = shared.polarity(text, language);
    const history = tweet.edit_history_tweet_ids ?? [];
    const original = history[0] ?? tweet.id;
    const isEdited = original !== tweet.id;
    const errors = [...shared.partialErrors.filter((e) => concerns(e, tweet)), ...shared.unmatchedErrors];
    const metrics = tweet.public_metrics;
    return {
      // The original id: an edit (a new post id) updates the same review instead of adding one.
      externalId: original,
      subject: shared.subject,
      url: username ? `https://x.com/${username}/status/${tweet.id}` : `https://x.com/i/web/status/${tweet.id}`,
      author: {
        id: tweet.author_id ?? null,
        name: user?.name ?? null,
        url: username ? `https://x.com/${username}` : null,
        avatarUrl: user?.profile_image_url ?? null,
      },
      polarity: estimate.polarity,
      text,
      language,
      createdAt: isEdited ? snowflakeTime(original) : tweet.created_at,
      updatedAt: isEdited ? tweet.created_at : null,
      datePrecision: 'instant',
      helpfulVotes: metrics?.like_count ?? null,
      extra: {
        postId: tweet.id,
        authorUsername: username,
        conversationId: tweet.conversation_id ?? null,
        referencedTweets: (tweet.referenced_tweets ?? []).map((r) => ({ type: r.type, id: r.id })),
        publicMetrics: metricsOf(metrics),
        polaritySource: estimate.source,
        sentimentScore: estimate.score,
        ...(isEdited && { editHistory: [...history] }),
        ...(errors.length > 0 && { partialErrors: errors.map((e) => ({ ...e })) }),
      },
    };
  },
});

function metricsOf(metrics: XTweet['public_metrics']): Record<string, number> | null {
  if (!metrics) return null;
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(metrics)) if (typeof value === 'number') out[key] = value;
  return out;
}
