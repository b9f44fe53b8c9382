/**
 * Instagram mentions of a professional account (Instagram Graph API): comments on the account's
 * own media and media in which other accounts tag it, as unrated reviews whose polarity is
 * estimated from the text.
 * Facts followed:
 * - Two login flavours (developers.facebook.com/docs/instagram-platform/overview): Facebook Login on
 *   graph.facebook.com (`instagram_basic`, `instagram_manage_comments`, `pages_read_engagement`;
 *   the account linked to a Facebook Page) and Instagram Login on graph.instagram.com
 *   (`instagram_business_basic`, `instagram_business_manage_comments`; the older `business_*` scope
 *   names were retired on 2025-01-27). Same comment endpoints on both.
 * - Media: …/instagram-platform/instagram-graph-api/reference/ig-user/media; fields from the official
 *   SDK (facebook/facebook-python-business-sdk `adobjects/igmedia.py`).
 * - Comments: …/reference/ig-media/comments (top-level comments only; replies through the `replies`
 *   field) and the IG Comment fields (`adobjects/igcomment.py`: `from {id, username}` and
 *   `parent_id` since 2021-10-20, `hidden`, `like_count`); `timestamp` is `2017-08-31T18:10:30+0000`.
 * - Tags: …/reference/ig-user/tags ("media in which your app user's Instagram professional account has
 *   been tagged by another Instagram user"; private media are not returned). Documented only with
 *   Facebook-Login permissions: whether graph.instagram.com serves it is unverified, so the adapter
 *   reads it by default only with Facebook Login.
 * - Paging: developers.facebook.com/docs/graph-api/results (cursor paging, `paging.next` absent on the
 *   last page, short or empty pages with `next`). Errors and throttling: `meta/graph.ts`.
 * Neither edge documents an order ("Ordering results is not supported"), so the adapter is `unordered`.
 *
 * Replies (apis.md §11.5, §12.3):
 * - A comment on the account's media is answered with `POST /{ig-comment-id}/replies` and `message`
 *   → `{"id"}` (developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies;
 *   the reference names `message` a query parameter, and Graph reads a POST's parameters from the
 *   body alike: the text goes in a JSON body, so it never sits in a URL). "You can only reply to
 *   top-level comments; replies to a reply will be added to the top-level comment" (every review
 *   here is a top-level comment); "You cannot reply to hidden comments" (resolves `unsupported`).
 * - Permissions (same page): `instagram_basic`, `instagram_manage_comments`, `pages_show_list`,
 *   `pages_read_engagement` with Facebook Login; `instagram_business_basic` and
 *   `instagram_business_manage_comments` with Instagram Login (…/instagram-platform/comment-moderation).
 *   A permission refusal resolves `unsupported` with that list.
 * - A media that tags the account cannot be answered: "Commenting on photos in which you were
 *   tagged is not supported" (…/reference/ig-user/mentions): `unsupported`, nothing sent.
 * - Replies append: the write is sent once and, when its answer is lost or a 5xx comes back,
 *   `GET /{ig-comment-id}/replies` is read before it is sent again.
 * - Length: Graph documents none for comments; 2,200 characters is Instagram's caption limit
 *   (apis.md §11.5 [3p]), applied here as the safe bound.
 * - Delete: `DELETE /{ig-comment-id}` (…/comment-moderation), for each of the account's replies.
 */
import { z } from 'zod';
import { type AdapterPage, cleanText, dateSchema, defineAdapter, type Reply, type ReplyContext, type ReplyResult, type Review, ReviewkitError } from '../src/index.js';
import { loadMentionScorer, type MentionScorer, polarityOption } from './mentions/sentiment.js';
import { graphErrorDetector, graphNext, graphPaging } from './meta/graph.js';
import { appendOnce, isSameText } from './replies/append-once.js';

export type { PolarityContext, PolarityEstimator } from './mentions/sentiment.js';

const SOURCE = 'instagram';
const DEFAULT_API_VERSION = 'v24.0';
const ACCOUNT_FIELDS = 'id,username,name';
const MEDIA_FIELDS = 'id,caption,timestamp,permalink,comments_count,media_product_type,media_type';
const REPLY_FIELDS = 'id,text,timestamp,from,username,parent_id';
const COMMENT_FIELDS = `id,text,timestamp,from,username,like_count,hidden,replies{${REPLY_FIELDS}}`;
const TAG_FIELDS = 'id,caption,timestamp,permalink,username,media_type,comments_count,like_count';
const HOSTS = { facebook: 'https://graph.facebook.com', instagram: 'https://graph.instagram.com' } as const;
const CAPTION_EXCERPT = 100;
/** Replies are held to Instagram's caption limit: Graph documents none for comments. */
const MAX_REPLY_CHARS = 2200;

const instagramOptions = z.object({
  /**
   * Access token sent as `Authorization: Bearer …`. Facebook Login: a User or Page token with
   * `instagram_basic`, `instagram_manage_comments`, `pages_read_engagement` (+ `pages_show_list`).
   * Instagram Login: an Instagram User token with `instagram_business_basic` and
   * `instagram_business_manage_comments`.
   */
  accessToken: z.string().min(1),
  /** Instagram professional account id (the IG User id, e.g. `17841400000000000`), not the username. */
  userId: z.string().regex(/^\d+$/, 'must be the numeric Instagram account id'),
  /** Which login issued the token, which decides the host: `facebook` (graph.facebook.com, default) or `instagram` (graph.instagram.com). */
  login: z.enum(['facebook', 'instagram']).default('facebook'),
  /** Graph API version in every path. Default `v24.0`. */
  apiVersion: z.string().regex(/^v\d+\.\d+$/, 'must look like v24.0').default(DEFAULT_API_VERSION),
  /** Page size of every edge (Graph's default is 25). Graph may return fewer; paging follows `paging.next` regardless. */
  limit: z.number().int().min(1).max(100).optional(),
  /**
   * Also read media that tag the account (`/{ig-user-id}/tags`). Default: true with Facebook
   * Login, false with Instagram Login (the edge is documented for Facebook Login only).
   */
  tags: z.boolean().optional(),
  /** Your own polarity estimate (synchronous); default: wink-sentiment (English). */
  polarity: polarityOption,
});

/** Options of {@link instagram}. */
export type InstagramOptions = z.input<typeof instagramOptions>;

const igAuthor = z.object({ id: z.string().nullish(), username: z.string().nullish() });

const igReply = z.object({
  id: z.string(),
  text: z.string().nullish(),
  timestamp: dateSchema(),
  from: igAuthor.nullish(),
  username: z.string().nullish(),
});

/** One review item: a comment (comments pages) or a media tagging the account (tags pages). */
const igItem = z.object({
  id: z.string().min(1),
  timestamp: dateSchema(),
  // comments
  text: z.string().nullish(),
  from: igAuthor.nullish(),
  like_count: z.number().int().nonnegative().nullish(),
  hidden: z.boolean().nullish(),
  replies: z.object({ data: z.array(igReply), paging: graphPaging }).nullish(),
  // tagging media
  caption: z.string().nullish(),
  permalink: z.string().nullish(),
  media_type: z.string().nullish(),
  comments_count: z.number().int().nonnegative().nullish(),
  // both: the commenter's, or the tagging media owner's, username
  username: z.string().nullish(),
});

type IgItem = z.output<typeof igItem>;

// Comments and tags pages: the envelope only (each item is validated on its own).
const igPage = z.object({ data: z.array(z.unknown()), paging: graphPaging });

const igMedia = z.object({
  // It goes into the comments path: a lone surrogate there makes encodeURIComponent throw.
  id: z
    .string()
    .min(1)
    .refine((id) => !/\p{Cs}/u.test(id), 'is not well-formed text'),
  caption: z.string().nullish(),
  permalink: z.string().nullish(),
  comments_count: z.number().int().nonnegative().nullish(),
  media_product_type: z.string().nullish(),
});

type IgMedia = z.output<typeof igMedia>;

// The account's media listing drives the comment requests: a malformed media fails its page.
const igMediaPage = z.object({ data: z.array(igMedia), paging: graphPaging });

const igAccount = z.object({ id: z.string(), username: z.string().nullish(), name: z.string().nullish() });

interface Account {
  id: string;
  username: string | null;
}

interface MediaInfo {
  id: string;
  permalink: string | null;
  caption: string | null;
  productType: string | null;
}

type IgShared = { subject: { id: string; name: string | null }; account: Account; polarity: MentionScorer } & ({ kind: 'comment'; media: MediaInfo } | { kind: 'tag' });

/**
 * Where a run stands, two levels deep: a comments page (the media page holding the media, the
 * media, the comments page), or a tags page. The cursor a report gives is this, encoded.
 */
type Position =
  | { stage: 'comments'; mediaAfter: string | null; mediaId: string | null; commentsAfter: string | null }
  | { stage: 'tags'; after: string | null };

const CURSOR_PREFIX = 'ig1.';
const encodedPosition = z.union([
  z.tuple([z.literal('c'), z.string().nullable(), z.string().nullable(), z.string().nullable()]),
  z.tuple([z.literal('t'), z.string().nullable()]),
]);

function encodeCursor(position: Position): string {
  const parts = position.stage === 'comments' ? ['c', position.mediaAfter, position.mediaId, position.commentsAfter] : ['t', position.after];
  return CURSOR_PREFIX + Buffer.from(JSON.stringify(parts)).toString('base64url');
}

function decodeCursor(cursor: string | null): Position {
  if (cursor === null) return { stage: 'comments', mediaAfter: null, mediaId: null, commentsAfter: null };
  let parts: unknown;
  try {
    parts = cursor.startsWith(CURSOR_PREFIX) ? JSON.parse(Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8')) : undefined;
  } catch {
    parts = undefined;
  }
  const parsed = encodedPosition.safeParse(parts);
  if (!parsed.success) {
    throw new ReviewkitError({ code: 'CONFIG', source: SOURCE, message: 'instagram: option `cursor` must be a cursor from an instagram SourceReport.' });
  }
  const value = parsed.data;
  return value[0] === 'c' ? { stage: 'comments', mediaAfter: value[1], mediaId: value[2], commentsAfter: value[3] } : { stage: 'tags', after: value[1] };
}

const authorOf = z.object({ from: igAuthor.nullish(), username: z.string().nullish() });

/** Whether a comment or reply was written by the account itself. */
function isByAccount(item: z.output<typeof authorOf>, account: Account): boolean {
  const username = item.from?.username ?? item.username ?? null;
  return item.from?.id === account.id || (username !== null && username === account.username);
}

/** A media with comments, or one whose count Graph did not send: worth a request. */
function mayHaveComments(media: IgMedia): boolean {
  return media.comments_count === null || media.comments_count === undefined || media.comments_count > 0;
}

function excerpt(text: string | null): string | null {
  if (text === null) return null;
  // By code point, so an emoji is never cut in half.
  const chars = Array.from(text);
  return chars.length <= CAPTION_EXCERPT ? text : `${chars.slice(0, CAPTION_EXCERPT).join('').trimEnd()}…`;
}

function profileUrl(username: string | null): string | null {
  return username ? `https://www.instagram.com/${username}/` : null;
}

const detectInstagramError = graphErrorDetector({
  explain({ mapped, said }) {
    if (mapped !== 'FORBIDDEN') return undefined;
    return (
      `${said}. With Facebook Login the token needs instagram_basic, instagram_manage_comments and pages_read_engagement ` +
      '(and pages_show_list to reply, and a task on the linked Facebook Page); with Instagram Login, instagram_business_basic and ' +
      'instagram_business_manage_comments (set the `login` option to match the token)'
    );
  },
});

/**
 * Comments on an Instagram professional account's own media, and media in which other accounts
 * tag it, as unrated mentions. `rating` and `stars` stay null; `polarity` is an estimate from the
 * text (wink-sentiment, or the `polarity` function you pass), its raw score in
 * `extra.sentimentScore`. The account's own replies to a comment are that review's `replies`;
 * comments the account wrote itself are not mentions and are left out.
 *
 * @example
 * const source = instagram({ accessToken: process.env.IG_TOKEN!, userId: '17841400000000000' });
 */
export const instagram = defineAdapter({
  name: SOURCE,
  options: instagramOptions,
  baseUrl: (o) => HOSTS[o.login],
  subjectId: (o) => o.userId,
  secrets: (o) => [o.accessToken],
  detectError: detectInstagramError,
  page: igPage,
  item: igItem,
  async *pages(ctx): AsyncGenerator<AdapterPage<unknown, IgShared>> {
    const { accessToken, userId, apiVersion, limit, login } = ctx.options;
    const includeTags = ctx.options.tags ?? login === 'facebook';
    const headers = { Authorization: `Bearer ${accessToken}` };
    const userPath = `/${apiVersion}/${encodeURIComponent(userId)}`;
    const start = decodeCursor(ctx.cursor);
    const mediaPage = (after: string | null) =>
      ctx.http.get(`${userPath}/media`, { headers, schema: igMediaPage, query: { fields: MEDIA_FIELDS, limit, after: after ?? undefined } });
    const commentsPage = (mediaId: string, after: string | null) =>
      ctx.fetchPage(`/${apiVersion}/${encodeURIComponent(mediaId)}/comments`, { headers, query: { fields: COMMENT_FIELDS, limit, after: after ?? undefined } });
    const tagsPage = (after: string | null) => ctx.fetchPage(`${userPath}/tags`, { headers, query: { fields: TAG_FIELDS, limit, after: after ?? undefined } });

    // The account (the subject), the estimate and where the run starts are independent.
    const [details, polarity, firstMedia, firstTags] = await ctx.all([
      ctx.http.get(userPath, { headers, schema: igAccount, query: { fields: ACCOUNT_FIELDS } }),
      loadMentionScorer(ctx.options.polarity),
      start.stage === 'comments' ? mediaPage(start.mediaAfter) : Promise.resolve(null),
      start.stage === 'tags' && includeTags ? tagsPage(start.after) : Promise.resolve(null),
    ]);
    const account: Account = { id: details.id, username: details.username ?? null };
    const subject = { id: userId, name: details.username ?? details.name ?? null };
    const tagsStart: Position | null = includeTags ? { stage: 'tags', after: null } : null;

    if (start.stage === 'comments' && firstMedia !== null) {
      let mediaAfter = start.mediaAfter;
      let media = firstMedia;
      let resume = { mediaId: start.mediaId, commentsAfter: start.commentsAfter };
      for (;;) {
        const mediaNext = graphNext(media.paging, SOURCE, 'the media edge');
        let list = media.data;
        if (resume.mediaId !== null) {
          const at = list.findIndex((m) => m.id === resume.mediaId);
          // The media is gone since the cursor was given: read its whole media page again.
          if (at === -1) resume = { mediaId: null, commentsAfter: null };
          else list = list.slice(at);
        }
        const queue = list.filter(mayHaveComments);
        for (let k = 0; k < queue.length; k++) {
          const item = queue[k] as IgMedia;
          const info: MediaInfo = {
            id: item.id,
            permalink: item.permalink ?? null,
            caption: excerpt(cleanText(item.caption, { html: false })),
            productType: item.media_product_type ?? null,
          };
          const shared: IgShared = { kind: 'comment', subject, account, polarity, media: info };
          let after = k === 0 && item.id === resume.mediaId ? resume.commentsAfter : null;
          let page = await commentsPage(item.id, after);
          for (;;) {
            const next = graphNext(page.paging, SOURCE, `the comments of media ${item.id}`);
            const following = queue[k + 1];
            const nextPosition: Position | null = next
              ? { stage: 'comments', mediaAfter, mediaId: item.id, commentsAfter: next.after }
              : following
                ? { stage: 'comments', mediaAfter, mediaId: following.id, commentsAfter: null }
                : mediaNext
                  ? { stage: 'comments', mediaAfter: mediaNext.after, mediaId: null, commentsAfter: null }
                  : tagsStart;
            yield {
              items: page.data.filter((raw) => {
                const author = authorOf.safeParse(raw);
                return !(author.success && isByAccount(author.data, account));
              }),
              shared,
              cursor: encodeCursor({ stage: 'comments', mediaAfter, mediaId: item.id, commentsAfter: after }),
              nextCursor: nextPosition && encodeCursor(nextPosition),
            };
            if (next === null) break;
            after = next.after;
            page = await ctx.fetchPage(next.url.toString(), { headers });
          }
        }
        if (mediaNext === null) break;
        resume = { mediaId: null, commentsAfter: null };
        mediaAfter = mediaNext.after;
        media = await ctx.http.get(mediaNext.url.toString(), { headers, schema: igMediaPage });
      }
    }
    if (!includeTags) return;

    const shared: IgShared = { kind: 'tag', subject, account, polarity };
    let after = start.stage === 'tags' ? start.after : null;
    let page = firstTags ?? (await tagsPage(null));
    for (;;) {
      const next = graphNext(page.paging, SOURCE, 'the tags edge');
      yield {
        items: page.data,
        shared,
        cursor: encodeCursor({ stage: 'tags', after }),
        nextCursor: next && encodeCursor({ stage: 'tags', after: next.after }),
      };
      if (next === null) return;
      after = next.after;
      page = await ctx.fetchPage(next.url.toString(), { headers });
    }
  },
  reply: {
    rules: { maxChars: MAX_REPLY_CHARS },
    post: (ctx, review, text) => answerComment(ctx, review, text),
    delete: (ctx, review) => removeAnswers(ctx, review),
  },
  normalize(item, { shared }) {
    const { subject } = shared;
    const username = item.from?.username ?? item.username ?? null;
    const author = { id: item.from?.id ?? username, name: username, url: profileUrl(username) };
    const estimateOf = (text: string | null) => shared.polarity(text, null);
    if (shared.kind === 'tag') {
      const text = cleanText(item.caption, { html: false });
      const estimate = estimateOf(text);
      return {
        externalId: item.id,
        subject,
        url: item.permalink ?? null,
        author,
        polarity: estimate.polarity,
        text,
        createdAt: item.timestamp,
        datePrecision: 'instant',
        helpfulVotes: item.like_count ?? null,
        extra: {
          kind: 'tag',
          mediaId: item.id,
          mediaType: item.media_type ?? null,
          commentsCount: item.comments_count ?? null,
          polaritySource: estimate.source,
          sentimentScore: estimate.score,
        },
      };
    }
    const { media } = shared;
    const text = cleanText(item.text, { html: false });
    const estimate = estimateOf(text);
    const hasMoreReplies = Boolean(item.replies?.paging?.next);
    return {
      externalId: item.id,
      subject,
      // A comment has no permalink of its own: the media's.
      url: media.permalink,
      author,
      polarity: estimate.polarity,
      text,
      createdAt: item.timestamp,
      datePrecision: 'instant',
      helpfulVotes: item.like_count ?? null,
      replies: ownerReplies(item, shared.account),
      extra: {
        kind: 'comment',
        mediaId: media.id,
        mediaCaption: media.caption,
        mediaProductType: media.productType,
        hidden: item.hidden ?? null,
        polaritySource: estimate.source,
        sentimentScore: estimate.score,
        ...(hasMoreReplies && { hasMoreReplies: true }),
      },
    };
  },
});

/** The account's own replies to a comment, oldest first (replies by others are not owner replies). */
function ownerReplies(comment: IgItem, account: Account): Reply[] {
  const replies: Reply[] = [];
  for (const reply of comment.replies?.data ?? []) {
    const text = cleanText(reply.text, { html: false });
    if (text !== null && isByAccount(reply, account)) replies.push({ text, createdAt: reply.timestamp, author: account.username });
  }
  return replies.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}

type InstagramReplyContext = ReplyContext<z.output<typeof instagramOptions>>;

/** A read-back or a delete pages through at most this many pages of a comment's replies. */
const REPLY_PAGES = 20;
const REPLY_PAGE_SIZE = 50;
const TAGGED =
  'instagram: this review is a media in which the account was tagged, and Instagram does not let an account answer those ' +
  '("Commenting on photos in which you were tagged is not supported"); answer in the Instagram app.';
const HIDDEN = 'instagram: the comment is hidden, and Instagram does not allow replies to hidden comments: unhide it first.';

const replyPage = z.object({ data: z.array(z.unknown()), paging: graphPaging });
const createdReply = z.object({ id: z.string() });

/** Why a review cannot be answered at all, or null: tags and hidden comments. */
function unanswerable(review: Review): string | null {
  if (review.extra.kind === 'tag') return TAGGED;
  if (review.extra.hidden === true) return HIDDEN;
  return null;
}

/** A write Graph refused for want of permission: what these credentials cannot do, as a result. */
function refusal(error: unknown): ReplyResult | null {
  if (ReviewkitError.is(error) && error.code === 'FORBIDDEN') return { status: 'unsupported', reply: null, reason: `instagram: Graph refused to let this token reply to comments. ${error.message}` };
  return null;
}

/** The account's replies to a comment, page by page (at most {@link REPLY_PAGES} pages). */
async function* accountReplies(ctx: InstagramReplyContext, review: Review): AsyncGenerator<z.output<typeof igReply>> {
  const headers = { Authorization: `Bearer ${ctx.options.accessToken}` };
  // The account as the reviews name it: its id, and its username as the subject's name.
  const account: Account = { id: ctx.options.userId, username: review.subject.name };
  let page = await ctx.http.get(`/${ctx.options.apiVersion}/${encodeURIComponent(review.externalId)}/replies`, {
    headers,
    schema: replyPage,
    query: { fields: REPLY_FIELDS, limit: REPLY_PAGE_SIZE },
  });
  for (let pages = 1; ; pages++) {
    for (const raw of page.data) {
      const reply = igReply.safeParse(raw);
      if (reply.success && isByAccount(reply.data, account)) yield reply.data;
    }
    const next = graphNext(page.paging, SOURCE, `the replies to comment ${review.externalId}`);
    if (next === null || pages >= REPLY_PAGES) return;
    page = await ctx.http.get(next.url.toString(), { headers, schema: replyPage });
  }
}

async function answerComment(ctx: InstagramReplyContext, review: Review, text: string): Promise<ReplyResult> {
  const refused = unanswerable(review);
  if (refused !== null) return { status: 'unsupported', reply: null, reason: refused };
  const author = review.subject.name;
  try {
    const reply = await appendOnce<Reply>({
      source: SOURCE,
      send: async () => {
        await ctx.http.request('POST', `/${ctx.options.apiVersion}/${encodeURIComponent(review.externalId)}/replies`, {
          headers: { Authorization: `Bearer ${ctx.options.accessToken}` },
          body: { message: text },
          schema: createdReply,
          attempts: 1,
        });
        return { text, createdAt: ctx.now, author };
      },
      findWritten: async () => {
        for await (const reply of accountReplies(ctx, review)) {
          if (isSameText(reply.text, text)) return { text, createdAt: reply.timestamp, author: reply.from?.username ?? reply.username ?? author };
        }
        return null;
      },
    });
    return { status: 'published', reply };
  } catch (error) {
    const result = refusal(error);
    if (result) return result;
    throw error;
  }
}

async function removeAnswers(ctx: InstagramReplyContext, review: Review): Promise<ReplyResult> {
  if (review.extra.kind === 'tag') return { status: 'unsupported', reply: null, reason: TAGGED };
  try {
    const ids: string[] = [];
    for await (const reply of accountReplies(ctx, review)) ids.push(reply.id);
    for (const id of ids) {
      try {
        await ctx.http.request('DELETE', `/${ctx.options.apiVersion}/${encodeURIComponent(id)}`, { headers: { Authorization: `Bearer ${ctx.options.accessToken}` } });
      } catch (error) {
        // Already gone (a retried delete that had worked, or removed meanwhile): that is the goal.
        if (!(ReviewkitError.is(error) && error.code === 'NOT_FOUND')) throw error;
      }
    }
    return { status: 'published', reply: null, ...(ids.length === 0 && { reason: 'instagram: the account had no reply to this comment.' }) };
  } catch (error) {
    const result = refusal(error);
    if (result) return result;
    throw error;
  }
}
