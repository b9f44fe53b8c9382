/**
 * Google Business Profile reviews (My Business API v4), every review of a verified location with the
 * owner's replies, read with the owner's OAuth token.
 * Facts followed: https://developers.google.com/my-business/reference/rest/v4/accounts.locations.reviews/list
 * (`pageSize` ≤ 50, `pageToken`, `orderBy`, ListReviewsResponse) and the generated v4 client docs
 * (paragonsean/openapi-directory `APIs/googleapis.com/my-business/v4/*-client/docs/Review.md`, `Reviewer.md`,
 * `ReviewReply.md`: `starRating` enum, `reviewer.isAnonymous`, `reviewReply.updateTime`). The
 * "(Translated by Google) … (Original) …" comment convention is not in the reference; it is what the API
 * returns for reviews written in another language than the account's (seen in third-party code).
 */
import { z } from 'zod';
import { cleanText, dateSchema, defineAdapter, type Reply, type ReviewInput } from '../../src/index.js';
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
  reviewReply: z.object({ comment: z.string(), updateTime: dateSchema().optional() }).optional(),
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
      replies: toReplies(review.reviewReply),
      extra: {
        resourceName: review.name,
        ...(comment.original !== null && { translated: true, originalText: comment.original }),
      },
    };
  },
});

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
