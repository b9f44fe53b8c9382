/**
 * Facebook Page recommendations (Graph API `GET /{page-id}/ratings`).
 * Facts followed:
 * - Edge and auth: developers.facebook.com/docs/graph-api/reference/page/ratings (Page access token;
 *   parent-Page tokens cannot read child Pages).
 * - Fields: developers.facebook.com/docs/graph-api/reference/recommendation and the official SDK
 *   (facebook-nodejs-business-sdk `src/objects/recommendation.js`): no `id` field, so
 *   `open_graph_story.id` is the review id. "Deprecated for v22.0 and future versions … will return
 *   error code 12", hence the `v21.0` default.
 * - `recommendation_type` replaced the 1–5 `rating` on 17 Aug 2018
 *   (developers.facebook.com/docs/graph-api/changelog/non-versioned-changes/aug-17-2018); older
 *   ratings keep `rating` and often have no `open_graph_story` (facebookarchive/php-graph-sdk#1189).
 * - Paging: developers.facebook.com/docs/graph-api/results ("next … If not included, this is the
 *   last page of data"; a page may be empty and still have `next`).
 * - Errors, throttling and paging links: shared with the Instagram adapter (`meta/graph.ts`, which
 *   names its sources).
 * The order of the ratings edge is not documented, so the adapter declares `unordered`.
 *
 * Replies (apis.md §12.2):
 * - The Page answers a recommendation with a comment on its `open_graph_story`:
 *   `POST /{ver}/{story-id}/comments` with `message` → `{"id"}` (developers.facebook.com/docs/graph-api/reference/object/comments:
 *   the `/comments` edge shared by many nodes; the story as the object to comment on is third-party
 *   practice, apis.md §12.2 [3p]). Graph reads a POST's parameters from the body as from the query:
 *   the text goes in a JSON body, so it never sits in a URL.
 * - Commenting as the Page needs a Page token with `pages_manage_engagement`, `pages_read_engagement`
 *   and `pages_read_user_engagement`, and the MODERATE and CREATE_CONTENT tasks
 *   (developers.facebook.com/documentation/pages-api/comments-mentions, "The author of the comment
 *   will be the Page"). A permission refusal (#10, #200–#299) resolves `unsupported` with that list.
 * - A comment is appended: the write is sent once and, when its answer is lost or a 5xx comes
 *   back, the story's comments are read back (`filter=toplevel`, `order=reverse_chronological`:
 *   the edge's documented modifiers, used so by third-party code) before it is sent again.
 * - The Page's comments are read back on each fetch with the field expansion
 *   `open_graph_story{id,comments.limit(100){…}}` and become `replies` (oldest first); expansions
 *   are standard Graph, but this one on a recommendation's story is unverified against live Graph
 *   [mem]: the `includeReplies: false` option reads the story id alone, as before.
 * - Comment length: 8,000 characters [mem: apis.md §12.0; Meta documents no figure].
 * - Delete: `DELETE /{ver}/{comment-id}` → `{"success":true}`, for each of the Page's comments on the story.
 * - Recommendations cannot be reached from v22.0 (error 12): with such an `apiVersion`, or when a
 *   write answers error 12, replies resolve `unsupported`; so does a rating without a story (an
 *   old star rating, whose id is synthetic).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cleanText, dateSchema, defineAdapter, type Reply, type ReplyContext, type ReplyResult, type Review, ReviewkitError } from '../src/index.js';
import { graphErrorDetector, graphNext, graphPaging } from './meta/graph.js';
import { appendOnce, isSameText } from './replies/append-once.js';

const SOURCE = 'facebook';
const DEFAULT_API_VERSION = 'v21.0';
/** Recommendations answer error 12 from the next version on. */
const LAST_VERSION_WITH_RECOMMENDATIONS = 21;
const BASE_RATING_FIELDS = 'created_time,recommendation_type,review_text,reviewer,rating,has_rating,has_review';
const COMMENT_FIELDS = 'id,message,created_time,from';
/** The Page's replies are looked for among this many comments per story on each fetch. */
const COMMENTS_PER_STORY = 100;
/** A read-back or a delete pages through at most this many pages of a story's comments. */
const COMMENT_PAGES = 20;
const COMMENT_PAGE_SIZE = 50;
const MAX_COMMENT_CHARS = 8000;
const PAGE_FIELDS = 'name,overall_star_rating,rating_count';
/** What commenting as the Page takes (developers.facebook.com/documentation/pages-api/comments-mentions). */
const ANSWER_PERMISSIONS =
  'a Page access token with pages_manage_engagement, pages_read_engagement and pages_read_user_engagement, ' +
  'of a person who can do the MODERATE and CREATE_CONTENT tasks on the Page';

/** The `fields` of the ratings edge: the story's id, and with `includeReplies` its comments. */
function ratingFields(includeReplies: boolean): string {
  const story = includeReplies ? `open_graph_story{id,comments.limit(${COMMENTS_PER_STORY}){${COMMENT_FIELDS}}}` : 'open_graph_story';
  return `${BASE_RATING_FIELDS},${story}`;
}

const facebookOptions = z.object({
  /** Page access token of the Page itself, with `pages_read_user_content` (+ `pages_show_list`). Sent as `Authorization: Bearer …`. */
  accessToken: z.string().min(1),
  /** Numeric Page id, e.g. `1234567890`. */
  pageId: z.string().min(1),
  /**
   * Graph API version. Default `v21.0`: recommendations are deprecated from v22.0, where Graph
   * answers with error 12 (reported as `CONFIG`). Later versions are accepted in case Meta relents.
   */
  apiVersion: z.string().regex(/^v\d+\.\d+$/, 'must look like v21.0').default(DEFAULT_API_VERSION),
  /** Page size (Graph's default is 25). Graph may return fewer; paging follows `paging.next` regardless. */
  limit: z.number().int().min(1).max(100).optional(),
  /**
   * Read the Page's own comments on each recommendation (the latest 100 comments of its story) as
   * the review's `replies`. Default true. Set false for a token that may read ratings
   * (`pages_read_user_content`) but not the Page's comments (`pages_read_engagement`).
   */
  // No zod default: left out, the option keeps the adapter's resume key what it was before it existed.
  includeReplies: z.boolean().optional(),
});

/** Options of {@link facebook}. */
export type FacebookOptions = z.input<typeof facebookOptions>;

const graphDate = dateSchema();

/**
 * `created_time` read here, so that a rating with an unreadable date is skipped naming the field
 * (`normalize` never throws); the text is kept as sent, because the synthetic id of a story-less
 * rating hashes this exact text.
 */
const createdTime = z
  .string()
  .nullish()
  .transform((text, ctx) => {
    if (!text) return { text: text ?? null, date: null };
    const parsed = graphDate.safeParse(text);
    if (parsed.success) return { text, date: parsed.data };
    ctx.issues.push({ code: 'custom', input: text, message: parsed.error.issues[0]?.message ?? 'not a date' });
    return z.NEVER;
  });

const facebookRating = z.object({
  created_time: createdTime,
  recommendation_type: z.string().nullish(),
  review_text: z.string().nullish(),
  reviewer: z.object({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
  rating: z.number().nullish(),
  has_rating: z.boolean().nullish(),
  has_review: z.boolean().nullish(),
  open_graph_story: z
    .object({
      id: z.string().nullish(),
      // Each comment is read on its own: a malformed one is left out, never the recommendation.
      comments: z.object({ data: z.array(z.unknown()) }).nullish(),
    })
    .nullish(),
});

const graphComment = z.object({
  id: z.string(),
  message: z.string().nullish(),
  created_time: dateSchema().nullish(),
  from: z.object({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
});

type GraphComment = z.output<typeof graphComment>;

const commentsPage = z.object({ data: z.array(z.unknown()), paging: graphPaging });
const createdComment = z.object({ id: z.string() });

const facebookPage = z.object({ data: z.array(z.unknown()), paging: graphPaging });

const facebookPageObject = z.object({
  id: z.string(),
  name: z.string().nullish(),
  overall_star_rating: z.number().nullish(),
  rating_count: z.number().int().nullish(),
});

type FacebookRating = z.output<typeof facebookRating>;

function facebookRatingId(raw: unknown): string | null {
  const story = (raw as { open_graph_story?: { id?: unknown } } | null)?.open_graph_story;
  return typeof story?.id === 'string' ? story.id : null;
}

const detectGraphError = graphErrorDetector({
  explain({ code, mapped, said }) {
    if (code === 12) {
      return (
        `${said}. Page recommendations need Graph API v21.0 or earlier (deprecated from v22.0): ` +
        'set the `apiVersion` option to v21.0 or an earlier version'
      );
    }
    if (mapped === 'FORBIDDEN') {
      return (
        `${said}. Reading ratings needs the Page's own access token with pages_read_user_content (and pages_show_list); a parent Page's token cannot read its child Pages. ` +
        `Answering needs ${ANSWER_PERMISSIONS}`
      );
    }
    return undefined;
  },
});

/**
 * A stable id for ratings without `open_graph_story` (mostly pre-2018 star ratings): the same
 * rating hashes to the same id on every run, so dedupe and stored data keep working, and the id
 * does not spell out the reviewer's id or name.
 */
function syntheticId(rating: FacebookRating): string {
  const who = rating.reviewer?.id ?? rating.reviewer?.name ?? '';
  const parts = [who, rating.created_time.text ?? '', rating.recommendation_type ?? '', rating.rating ?? ''];
  return createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

function recommendationOf(value: string | null | undefined): 'positive' | 'negative' | null {
  return value === 'positive' || value === 'negative' ? value : null;
}

/**
 * Recommendations (and legacy 1–5 star reviews) of one Facebook Page. Recommendations stay on the
 * yes/no channel (`recommendation`), never turned into stars; only legacy reviews carry a `rating`.
 *
 * @example
 * const source = facebook({ accessToken: process.env.FB_PAGE_TOKEN!, pageId: '1234567890' });
 */
export const facebook = defineAdapter({
  name: 'facebook',
  options: facebookOptions,
  baseUrl: 'https://graph.facebook.com',
  subjectId: (o) => o.pageId,
  secrets: (o) => [o.accessToken],
  detectError: detectGraphError,
  page: facebookPage,
  item: facebookRating,
  itemId: facebookRatingId,
  async *pages(ctx) {
    const { accessToken, pageId, apiVersion, limit, includeReplies } = ctx.options;
    const headers = { Authorization: `Bearer ${accessToken}` };
    const pagePath = `/${apiVersion}/${encodeURIComponent(pageId)}`;
    let cursor = ctx.cursor;
    // The Page object (name, rating, count) and the first ratings page are independent: one round trip for both.
    const [details, first] = await ctx.all([
      ctx.http.get(pagePath, { headers, schema: facebookPageObject, query: { fields: PAGE_FIELDS } }),
      ctx.fetchPage(`${pagePath}/ratings`, { headers, query: { fields: ratingFields(includeReplies ?? true), limit, after: cursor ?? undefined } }),
    ]);
    const page = { id: details.id, name: details.name ?? null };
    const summary = { average: details.overall_star_rating ?? null, count: details.rating_count ?? null };
    let raw = first;
    for (;;) {
      const next = graphNext(raw.paging, 'facebook', 'the ratings edge');
      yield {
        items: raw.data,
        shared: { page },
        cursor,
        nextCursor: next?.after ?? null,
        reportedTotal: details.rating_count ?? null,
        summary,
      };
      if (next === null) return;
      cursor = next.after;
      raw = await ctx.fetchPage(next.url.toString(), { headers });
    }
  },
  reply: {
    unsupported: (o) =>
      versionOf(o.apiVersion) > LAST_VERSION_WITH_RECOMMENDATIONS
        ? `Graph API ${o.apiVersion} cannot reach recommendations (error 12 from v22.0 on), so it cannot answer them: set \`apiVersion\` to v21.0 or earlier.`
        : null,
    rules: { maxChars: MAX_COMMENT_CHARS },
    post: (ctx, review, text) => answerRecommendation(ctx, review, text),
    delete: (ctx, review) => removeAnswers(ctx, review),
  },
  normalize(rating, { shared: { page } }) {
    const stars = rating.rating;
    return {
      externalId: rating.open_graph_story?.id || syntheticId(rating),
      subject: page,
      // Graph documents no permalink for a recommendation.
      url: null,
      author: rating.reviewer ? { name: rating.reviewer.name ?? null, id: rating.reviewer.id ?? null } : null,
      rating: stars !== null && stars !== undefined && stars >= 1 && stars <= 5 ? { value: stars, min: 1, max: 5 } : null,
      recommendation: recommendationOf(rating.recommendation_type),
      text: cleanText(rating.review_text, { html: false }),
      // Graph sends `2024-02-11T19:03:52+0000`: always with an offset.
      createdAt: rating.created_time.date,
      datePrecision: 'instant',
      replies: pageReplies(rating, page),
      extra: { hasRating: rating.has_rating ?? null, hasReview: rating.has_review ?? null, hasStory: Boolean(rating.open_graph_story?.id) },
    };
  },
});

type FacebookReplyContext = ReplyContext<z.output<typeof facebookOptions>>;

const NO_STORY = 'facebook: this rating has no open_graph_story (an old star rating with a synthetic id): Graph offers nothing to comment on.';

function versionOf(apiVersion: string): number {
  return Number(/^v(\d+)/.exec(apiVersion)?.[1] ?? 0);
}

/** The Page's own comments on a story, oldest first: the recommendation's replies. */
function pageReplies(rating: FacebookRating, page: { id: string; name: string | null }): Reply[] {
  const replies: Reply[] = [];
  for (const raw of rating.open_graph_story?.comments?.data ?? []) {
    const comment = graphComment.safeParse(raw);
    if (!comment.success || comment.data.from?.id !== page.id) continue;
    const text = cleanText(comment.data.message, { html: false });
    if (text !== null) replies.push({ text, createdAt: comment.data.created_time ?? null, author: comment.data.from?.name ?? page.name });
  }
  return replies.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}

/**
 * The story a recommendation is answered on: its `externalId`, unless the rating had none. Reviews
 * stored before `extra.hasStory` existed are told apart by their id: Graph ids are digits, the
 * synthetic ones hex.
 */
function storyIdOf(review: Review): string | null {
  if (review.extra.hasStory === false) return null;
  if (review.extra.hasStory === true) return review.externalId;
  return /^\d+(?:_\d+)?$/.test(review.externalId) ? review.externalId : null;
}

/** A write Graph refused for want of permission or version: what these credentials cannot do, as a result. */
function refusal(error: unknown): ReplyResult | null {
  if (!ReviewkitError.is(error)) return null;
  if (error.vendorCode === '12') {
    return { status: 'unsupported', reply: null, reason: `facebook: Graph no longer serves recommendations to this version (error 12): ${error.message}` };
  }
  if (error.code === 'FORBIDDEN') return { status: 'unsupported', reply: null, reason: `facebook: Graph refused to let this token answer as the Page. ${error.message}` };
  return null;
}

/** The Page's comments on a story, newest first, page by page (at most {@link COMMENT_PAGES} pages). */
async function* pageComments(ctx: FacebookReplyContext, storyId: string, pageId: string): AsyncGenerator<GraphComment> {
  const headers = { Authorization: `Bearer ${ctx.options.accessToken}` };
  let page = await ctx.http.get(`/${ctx.options.apiVersion}/${encodeURIComponent(storyId)}/comments`, {
    headers,
    schema: commentsPage,
    query: { fields: COMMENT_FIELDS, filter: 'toplevel', order: 'reverse_chronological', limit: COMMENT_PAGE_SIZE },
  });
  for (let pages = 1; ; pages++) {
    for (const raw of page.data) {
      const comment = graphComment.safeParse(raw);
      if (comment.success && comment.data.from?.id === pageId) yield comment.data;
    }
    const next = graphNext(page.paging, SOURCE, `the comments of story ${storyId}`);
    if (next === null || pages >= COMMENT_PAGES) return;
    page = await ctx.http.get(next.url.toString(), { headers, schema: commentsPage });
  }
}

async function answerRecommendation(ctx: FacebookReplyContext, review: Review, text: string): Promise<ReplyResult> {
  const storyId = storyIdOf(review);
  if (storyId === null) return { status: 'unsupported', reply: null, reason: NO_STORY };
  // The Page as the reviews name it (its canonical id), which is who Graph says wrote the comment.
  const pageId = review.subject.id;
  const author = review.subject.name;
  try {
    const reply = await appendOnce<Reply>({
      source: SOURCE,
      send: async () => {
        await ctx.http.request('POST', `/${ctx.options.apiVersion}/${encodeURIComponent(storyId)}/comments`, {
          headers: { Authorization: `Bearer ${ctx.options.accessToken}` },
          body: { message: text },
          schema: createdComment,
          attempts: 1,
        });
        return { text, createdAt: ctx.now, author };
      },
      findWritten: async () => {
        for await (const comment of pageComments(ctx, storyId, pageId)) {
          if (isSameText(comment.message, text)) return { text, createdAt: comment.created_time ?? ctx.now, author: comment.from?.name ?? author };
        }
        return null;
      },
    });
    return { status: 'published', reply };
  } catch (error) {
    const refused = refusal(error);
    if (refused) return refused;
    throw error;
  }
}

async function removeAnswers(ctx: FacebookReplyContext, review: Review): Promise<ReplyResult> {
  const storyId = storyIdOf(review);
  if (storyId === null) return { status: 'unsupported', reply: null, reason: NO_STORY };
  try {
    const ids: string[] = [];
    for await (const comment of pageComments(ctx, storyId, review.subject.id)) ids.push(comment.id);
    for (const id of ids) {
      try {
        await ctx.http.request('DELETE', `/${ctx.options.apiVersion}/${encodeURIComponent(id)}`, { headers: { Authorization: `Bearer ${ctx.options.accessToken}` } });
      } catch (error) {
        // Already gone (a retried delete that had worked, or removed meanwhile): that is the goal.
        if (!(ReviewkitError.is(error) && error.code === 'NOT_FOUND')) throw error;
      }
    }
    return { status: 'published', reply: null, ...(ids.length === 0 && { reason: 'facebook: the Page had no comment on this recommendation.' }) };
  } catch (error) {
    const refused = refusal(error);
    if (refused) return refused;
    throw error;
  }
}
