/**
 * Google Business Profile reviews (My Business API v4), every review of a verified location with the
 * owner's replies, read with the owner's OAuth token.
 * Facts followed: https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews/list
 * (`pageSize` ≤ 50, `pageToken`, `orderBy`, ListReviewsResponse) and the generated v4 client docs
 * (paragonsean/openapi-directory `APIs/googleapis.com/my-business/v4/*-client/docs/Review.md`, `Reviewer.md`,
 * `ReviewReply.md`: `starRating` enum, `reviewer.isAnonymous`, `reviewReply.updateTime`). The
 * "(Translated by Google) … (Original) …" comment convention is not in the reference; it is what the API
 * returns for reviews written in another language than the account's (seen in third-party code).
 *
 * Replies (apis.md §12.1):
 * - `PUT /v4/{review name}/reply` with `{"comment"}` creates or replaces the reply ("A reply is created
 *   if one does not exist") and answers the `ReviewReply`; `DELETE` the same path answers `{}`
 *   (developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews/updateReply, /deleteReply).
 *   Both are safe to retry. `comment`: "The maximum length is 4096 bytes".
 * - Moderation (latest-updates 2026-04-01 `ReviewReplyState`, 2026-07-01 `PolicyViolation`): the shape
 *   followed is the v4 RPC reference (`google.mybusiness.v4.ReviewReply`: `review_reply_state` of enum
 *   `State` = REVIEW_REPLY_STATE_UNSPECIFIED | PENDING | REJECTED | APPROVED, and `policy_violation`,
 *   "Only populated if review_reply_state is REJECTED"), i.e. `reviewReply.reviewReplyState` and
 *   `reviewReply.policyViolation` in JSON. Some third-party code reads `reviewReplyState` on the review
 *   itself; that place is read too. Whether `updateReply` answers with the state is not documented: when
 *   its answer has none, the review is read back (`GET /v4/{review name}`); when that has none either
 *   (an API without moderation reporting), the reply counts as published, as it did before 2026.
 * - A reply that is PENDING or REJECTED (or in a state this code does not know) is not public: it is
 *   kept out of `replies` and described in `extra.reply`.
 */
import { z } from 'zod';
import {
  cleanText,
  dateSchema,
  defineAdapter,
  type Reply,
  type ReplyContext,
  type ReplyResult,
  type Review,
  type ReviewInput,
} from '../../src/index.js';
import { detectGoogleError } from './errors.js';
import { absoluteUrl } from './urls.js';

/** Accepts `123` as well as the resource name `accounts/123` Google's own listings show. */
const resourceId = (collection: string) =>
  z
    .string()
    .regex(new RegExp(`^(${collection}/)?[^/]+$`), `must be an id like 123 or ${collection}/123`)
    .transform((value) => value.replace(`${collection}/`, ''));

const businessProfileOptions = z.object({
  /** OAuth 2.0 access token of a user who manages the location (scope `https://www.googleapis.com/auth/business.manage`). */
  accessToken: z.string().min(1),
  /** Account id (`123` or `accounts/123`). */
  accountId: resourceId('accounts'),
  /** Location id (`456` or `locations/456`); the location must be verified. */
  locationId: resourceId('locations'),
  /** Reviews per request, at most 50 (the API's maximum and default). */
  pageSize: z.number().int().min(1).max(50).default(50),
});

/** Options of {@link googleBusinessProfile}. */
export type GoogleBusinessProfileOptions = z.input<typeof businessProfileOptions>;

const STARS = { ONE: 1, TWO: 2, THREE: 3, FOUR: 4, FIVE: 5, STAR_RATING_UNSPECIFIED: null } as const;

/** "The maximum length is 4096 bytes" (`ReviewReply.comment`). */
const MAX_REPLY_BYTES = 4096;

/** The moderation fields of a `ReviewReply`; strings, so that a state Google adds later still parses. */
const moderationShape = {
  reviewReplyState: z.string().optional(),
  policyViolation: z.string().optional(),
};

/** A `ReviewReply` as `updateReply` answers it. */
const replyAnswer = z.object({ comment: z.string().optional(), updateTime: dateSchema().optional(), ...moderationShape });

/** One review as `reviews.get` answers it: only its reply is read. */
const reviewAnswer = z.object({ reviewReply: replyAnswer.optional(), reviewReplyState: z.string().optional() });

const gbpReview = z.object({
  // `accounts/…/locations/…/reviews/{review}`: the last segment is the review's id.
  name: z.string().regex(/[^/]$/, 'must end in a review id'),
  reviewId: z.string().optional(),
  reviewer: z
    .object({ displayName: z.string().optional(), profilePhotoUrl: z.string().optional(), isAnonymous: z.boolean().optional() })
    .optional(),
  starRating: z.enum(['STAR_RATING_UNSPECIFIED', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE']).optional(),
  comment: z.string().optional(),
  createTime: dateSchema().optional(),
  updateTime: dateSchema().optional(),
  reviewReply: z.object({ comment: z.string(), updateTime: dateSchema().optional(), ...moderationShape }).optional(),
  // Where some third-party code reads it (see the header); the reply's own field comes first.
  reviewReplyState: z.string().optional(),
});

// proto3 JSON leaves out empty fields: a location without reviews answers `{}`.
const gbpPage = z.object({
  reviews: z.array(z.unknown()).default([]),
  averageRating: z.number().optional(),
  totalReviewCount: z.number().int().nonnegative().optional(),
  nextPageToken: z.string().optional(),
});

type GbpReview = z.output<typeof gbpReview>;

/** `reviewId`, or the last segment of the resource name. */
function gbpReviewId(raw: unknown): string | null {
  const review = raw as { reviewId?: unknown; name?: unknown } | null;
  if (typeof review?.reviewId === 'string') return review.reviewId;
  return typeof review?.name === 'string' ? review.name.slice(review.name.lastIndexOf('/') + 1) : null;
}

/**
 * Every review of one Google Business Profile location, with the owner's replies, newest update
 * first. Needs an OAuth access token of a user who manages the location. `summary` is Google's
 * `averageRating` and `totalReviewCount`.
 *
 * Answers reviews with `reply()` (at most 4,096 UTF-8 bytes; `pending` or `rejected` while Google's
 * moderation holds or refuses it) and `deleteReply()`. A reply moderation holds is not in `replies`
 * but in `extra.reply`.
 *
 * @example
 * const source = googleBusinessProfile({ accessToken, accountId: '123', locationId: '456' });
 */
export const googleBusinessProfile = defineAdapter({
  name: 'google-business-profile',
  options: businessProfileOptions,
  baseUrl: 'https://mybusiness.googleapis.com',
  subjectId: (o) => o.locationId,
  secrets: (o) => [o.accessToken],
  // `updateTime desc`: max(createdAt, updatedAt) falls page after page, so `since` can stop paging.
  order: 'newest-first',
  // Business Profile APIs allow 300 requests per minute per project by default.
  requestsPerSecond: 5,
  detectError: detectGoogleError,
  page: gbpPage,
  item: gbpReview,
  itemId: gbpReviewId,
  async *pages(ctx) {
    const { accessToken, accountId, locationId, pageSize } = ctx.options;
    const path = `/v4/accounts/${encodeURIComponent(accountId)}/locations/${encodeURIComponent(locationId)}/reviews`;
    const headers = { Authorization: `Bearer ${accessToken}` };
    let pageToken = ctx.cursor;
    for (;;) {
      const page = await ctx.fetchPage(path, {
        headers,
        query: { pageSize, pageToken: pageToken ?? undefined, orderBy: 'updateTime desc' },
      });
      const nextPageToken = page.nextPageToken || null;
      // An absent count is proto3's zero, and the average of no reviews is no average.
      const count = page.totalReviewCount ?? 0;
      yield {
        items: page.reviews,
        shared: { locationId },
        cursor: pageToken,
        nextCursor: nextPageToken,
        reportedTotal: count,
        summary: { average: count === 0 ? null : (page.averageRating ?? null), count },
      };
      if (nextPageToken === null) return;
      pageToken = nextPageToken;
    }
  },
  normalize(review, { shared: { locationId } }): ReviewInput {
    const value = STARS[review.starRating ?? 'STAR_RATING_UNSPECIFIED'];
    const comment = splitTranslation(review.comment);
    const createdAt = review.createTime ?? null;
    const updatedAt = review.updateTime ?? null;
    const isAnonymous = review.reviewer?.isAnonymous === true;
    return {
      // An empty `reviewId` is proto3's absent one.
      externalId: review.reviewId || review.name.slice(review.name.lastIndexOf('/') + 1),
      subject: { id: locationId, name: null },
      author: isAnonymous
        ? null
        : { name: review.reviewer?.displayName ?? null, avatarUrl: absoluteUrl(review.reviewer?.profilePhotoUrl) },
      rating: value === null ? null : { value, min: 1, max: 5 },
      text: comment.text,
      // Google sends no language for the review or its translation.
      language: null,
      createdAt,
      // An edit moves `updateTime` past `createTime`; an unedited review has both equal.
      updatedAt: updatedAt !== null && updatedAt.getTime() !== createdAt?.getTime() ? updatedAt : null,
      datePrecision: 'instant',
      replies: isPublic(review) ? toReplies(review.reviewReply) : [],
      extra: {
        resourceName: review.name,
        ...(comment.original !== null && { translated: true, originalText: comment.original }),
        ...(!isPublic(review) && review.reviewReply !== undefined && { reply: heldReply(review) }),
      },
    };
  },
  reply: {
    rules: { maxBytes: MAX_REPLY_BYTES },
    async post(ctx, review, text) {
      const answer = await ctx.http.request('PUT', `${reviewPath(ctx, review)}/reply`, {
        headers: authOf(ctx),
        body: { comment: text },
        schema: replyAnswer,
      });
      const reply: Reply = { text: answer.comment ?? text, createdAt: answer.updateTime ?? ctx.now, author: null };
      const state = knownState(answer.reviewReplyState);
      if (state !== null) return resultOf(state, answer.policyViolation, reply);
      // No state in the answer: the review, read back, says whether moderation holds the reply.
      const read = await ctx.http.get(reviewPath(ctx, review), { headers: authOf(ctx), schema: reviewAnswer });
      const readState = knownState(read.reviewReply?.reviewReplyState ?? read.reviewReplyState);
      if (readState !== null) return resultOf(readState, read.reviewReply?.policyViolation, reply);
      return { status: 'published', reply, reason: 'Google reported no moderation state for the reply; it is taken as published.' };
    },
    async delete(ctx, review) {
      await ctx.http.request('DELETE', `${reviewPath(ctx, review)}/reply`, { headers: authOf(ctx) });
      return { status: 'published', reply: null };
    },
  },
});

type Options = z.output<typeof businessProfileOptions>;

const authOf = (ctx: ReplyContext<Options>) => ({ Authorization: `Bearer ${ctx.options.accessToken}` });

/** `/v4/accounts/{a}/locations/{l}/reviews/{r}`: the review's resource name, from the options that own it. */
function reviewPath(ctx: ReplyContext<Options>, review: Review): string {
  const { accountId, locationId } = ctx.options;
  return `/v4/accounts/${encodeURIComponent(accountId)}/locations/${encodeURIComponent(locationId)}/reviews/${encodeURIComponent(review.externalId)}`;
}

/** A reported state, or null when there is none to go by (absent or `REVIEW_REPLY_STATE_UNSPECIFIED`). */
function knownState(state: string | undefined): string | null {
  return state === undefined || state === 'REVIEW_REPLY_STATE_UNSPECIFIED' ? null : state;
}

function resultOf(state: string, policyViolation: string | undefined, reply: Reply): ReplyResult {
  if (state === 'APPROVED') return { status: 'published', reply };
  if (state === 'REJECTED') {
    const violation = policyViolation !== undefined && policyViolation !== 'POLICY_VIOLATION_UNSPECIFIED' ? policyViolation : null;
    return {
      status: 'rejected',
      reply: null,
      reason: `Google rejected the reply${violation === null ? '' : ` for a policy violation: ${violation}`}; change the text and post it again.`,
    };
  }
  // PENDING, or a state added after this code was written: not public until Google approves it.
  return { status: 'pending', reply, reason: `Google is moderating the reply (state ${state}); it is public once approved.` };
}

/** The moderation state of a review's reply, wherever Google put it. */
function replyStateOf(review: GbpReview): string | null {
  return knownState(review.reviewReply?.reviewReplyState ?? review.reviewReplyState);
}

/** Public unless moderation holds it: approved, or no state reported (as before 2026). */
function isPublic(review: GbpReview): boolean {
  const state = replyStateOf(review);
  return state === null || state === 'APPROVED';
}

/** A reply moderation has not let through, for `extra.reply`. */
function heldReply(review: GbpReview): Record<string, unknown> {
  const reply = review.reviewReply;
  return {
    state: replyStateOf(review),
    text: cleanText(reply?.comment, { html: false }),
    updatedAt: reply?.updateTime?.toISOString() ?? null,
    ...(reply?.policyViolation !== undefined && { policyViolation: reply.policyViolation }),
  };
}

function toReplies(reply: GbpReview['reviewReply']): Reply[] {
  const text = cleanText(reply?.comment, { html: false });
  if (reply === undefined || text === null) return [];
  // A reply carries only `updateTime`: the time of its latest edit stands in for its creation.
  return [{ text, createdAt: reply.updateTime ?? null, author: null }];
}

const TRANSLATION_FIRST = /^\(Translated by Google\)\s*([\s\S]*?)\s*\(Original\)\s*([\s\S]*)$/;
const ORIGINAL_FIRST = /^([\s\S]+?)\n\s*\(Translated by Google\)\s*([\s\S]+)$/;

/**
 * Splits Google's machine translation from the reviewer's own words. Google writes
 * "(Translated by Google) <translation>\n\n(Original)\n<original>"; the reverse order,
 * "<original>\n\n(Translated by Google)\n<translation>", is read the same way.
 */
function splitTranslation(comment: string | undefined): { text: string | null; original: string | null } {
  const plain = { text: cleanText(comment, { html: false }), original: null };
  if (comment === undefined) return plain;
  const translationFirst = TRANSLATION_FIRST.exec(comment.trim());
  const originalFirst = translationFirst ? null : ORIGINAL_FIRST.exec(comment.trim());
  const translation = translationFirst?.[1] ?? originalFirst?.[2];
  const original = translationFirst?.[2] ?? originalFirst?.[1];
  const text = cleanText(translation, { html: false });
  const originalText = cleanText(original, { html: false });
  if (text === null || originalText === null) return plain;
  return { text, original: originalText };
}
