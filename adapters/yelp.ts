/**
 * Yelp Fusion (Yelp Places API v3) reviews.
 * Facts followed: docs.developer.yelp.com (reviews endpoint, api-errors, places-rate-limiting);
 * `time_created` is documented as Pacific time, read here as America/Los_Angeles with DST.
 *
 * Replies go through Yelp's partner Respond-to-Reviews API, not Fusion
 * (docs.developer.yelp.com/docs/respond-to-reviews-api-v2 and /reference/create-review-response):
 * - "This is a Yelp Partner API. Access is disabled by default": it needs the Yelp Partner APIs
 *   programme, a claimed business with the R2R feature, and the business owner's OAuth consent,
 *   which gives a business-user access token ("valid for the R2R api for 7 days",
 *   /reference/redeem-authorization-code-for-access-token). Without `businessUserToken` replies
 *   resolve `unsupported` saying so; a Fusion API key cannot reply.
 * - `POST https://partner-api.yelp.com/reviews/v1/{review_id}` with the JSON body
 *   `{ response_text, response_type: 'public_comment' }`; success is a 200 whose body is not
 *   specified (read as text and ignored).
 * - Text: UTF-8, no emoji ("Emojis are not currently supported"), at most 5K characters
 *   (`R2R_INVALID_RESPONSE_TEXT`: empty, over 5K, foul language, or too similar to a posted
 *   comment). Length and emoji are checked before any request; a text Yelp refuses anyway resolves
 *   `rejected` with Yelp's reasons, since rewriting the text is the fix.
 * - Errors `{"error":{"id","description","http_code"}}`: 401 `INVALID_TOKEN` → `AUTH`;
 *   `R2R_COMMENT_QUOTA_EXCEEDED` (20 comments per location per business owner per day) is a 400
 *   mapped to `RATE_LIMITED` and never retried; `R2R_REVIEW_DOES_NOT_EXIST` → `NOT_FOUND`; the
 *   access refusals (scope, feature off, business not claimed, owner photo or name, permission)
 *   resolve `unsupported` with Yelp's description.
 * - One public comment per review; another business user's comment makes ours refused ("Review
 *   already has a comment by a different business user", apis.md §12.7 [doc], id not given). Yelp
 *   offers no way to read comments back (Fusion does not return them) and no delete.
 * - The write is never repeated: after a lost answer or a 5xx nothing can be read back, and a second
 *   send of the same text would be refused as too similar, so the error says to look on
 *   biz.yelp.com first.
 */
import { z } from 'zod';
import {
  cleanText,
  type DetectedError,
  dateSchema,
  defineAdapter,
  type HttpResponseInfo,
  type ReplyContext,
  type ReplyResult,
  type Review,
  ReviewkitError,
} from '../src/index.js';
import { mayHaveLanded, withNote } from './replies/append-once.js';

const YELP_ZONE = 'America/Los_Angeles';

const yelpOptions = z.object({
  /** Yelp Fusion API key (sent as `Authorization: Bearer …`). */
  apiKey: z.string().min(1),
  /** Business id or alias, e.g. `gary-danko-san-francisco`. */
  businessId: z.string().min(1),
  /** Yelp locale such as `en_US`; also sets `Review.language`. */
  locale: z.string().regex(/^[a-z]{2}_[A-Z]{2}$/, 'must look like en_US').optional(),
  /** Page size. Yelp's plans cap what it returns anyway (3 excerpts on the base plan). Default 50. */
  limit: z.number().int().min(1).max(50).default(50),
  /** `yelp_sort` (Yelp's default) or `newest`. */
  sortBy: z.enum(['yelp_sort', 'newest']).optional(),
  /**
   * A business user's access token for Yelp's partner Respond-to-Reviews API (a secret): what
   * answering reviews needs. Yelp grants it to members of its Partner APIs programme once the
   * owner of the claimed business authorizes them through Yelp's OAuth flow; it lasts 7 days.
   */
  businessUserToken: z.string().min(1).optional(),
});

/** Options of {@link yelp}. */
export type YelpOptions = z.input<typeof yelpOptions>;

const yelpReview = z.object({
  id: z.string().min(1),
  url: z.string().nullish(),
  text: z.string().nullish(),
  // Yelp rates 1 to 5; anything else is a broken review, skipped naming the field.
  rating: z.number().min(1).max(5),
  time_created: dateSchema({ timeZone: YELP_ZONE }),
  user: z
    .object({
      id: z.string().nullish(),
      profile_url: z.string().nullish(),
      image_url: z.string().nullish(),
      name: z.string().nullish(),
    })
    .nullish(),
});

// The envelope: what paging needs. Each review is validated on its own (`item`).
const yelpPage = z.object({
  reviews: z.array(z.unknown()),
  total: z.number().int().nonnegative().nullish(),
  possible_languages: z.array(z.string()).nullish(),
});

const yelpBusiness = z.object({
  id: z.string(),
  name: z.string().nullish(),
  rating: z.number().nullish(),
  review_count: z.number().int().nullish(),
});

interface YelpShared {
  business: { id: string; name: string | null };
}

const yelpErrorBody = z.object({ error: z.object({ code: z.string(), description: z.string().optional() }) });
/** The partner API's error body: `id`, not `code`. */
const partnerErrorBody = z.object({
  error: z.object({ id: z.string(), description: z.string().optional(), http_code: z.union([z.number(), z.string()]).optional() }),
});

const PARTNER_ORIGIN = 'https://partner-api.yelp.com';
const MAX_RESPONSE_CHARS = 5000;
const NEEDS_PARTNER_ACCESS =
  "answering Yelp reviews needs Yelp's partner Respond-to-Reviews API: membership of the Yelp Partner APIs programme, " +
  "a claimed business with the Respond-to-Reviews feature, and the business owner's authorization through Yelp's OAuth flow, " +
  'which gives the business-user token to pass as `businessUserToken`. A Fusion API key cannot reply.';
const NO_DELETE = "yelp: Yelp's Respond-to-Reviews API has no way to remove a public comment; remove it on biz.yelp.com.";

/** What each partner error means, and what to do. */
const PARTNER_ERRORS: Readonly<Record<string, { code?: DetectedError['code']; advice: string; retry?: boolean }>> = {
  INVALID_TOKEN: {
    code: 'AUTH',
    advice: 'The business-user token is expired (they last 7 days), revoked or wrong: refresh it through Yelp\'s partner OAuth and pass it as `businessUserToken`.',
  },
  INSUFFICIENT_SCOPE: { code: 'FORBIDDEN', advice: 'The business-user token lacks the scope Respond-to-Reviews needs: ask the owner to authorize it again.' },
  R2R_COMMENTS_NOT_ALLOWED: { code: 'FORBIDDEN', advice: 'This location does not have the Respond-to-Reviews feature: Yelp enables it (Location Subscription API or your Yelp contact).' },
  R2R_PROBLEM_WITH_USER_PHOTO: { code: 'FORBIDDEN', advice: 'The business user needs an accepted photo of themselves on biz.yelp.com.' },
  R2R_UNACCEPTABLE_BIZ_USER_NAME: { code: 'FORBIDDEN', advice: 'Yelp does not accept the business user\'s name: correct it on biz.yelp.com.' },
  R2R_PUBLIC_COMMENTS_DISABLED: { code: 'FORBIDDEN', advice: 'Public comments are disabled for this business.' },
  R2R_BUSINESS_NOT_CLAIMED: { code: 'FORBIDDEN', advice: 'The business must be claimed on biz.yelp.com.' },
  R2R_PERMISSION_DENIED: { code: 'FORBIDDEN', advice: 'This business user may not comment on that review (another business user may have answered it).' },
  R2R_REVIEW_DOES_NOT_EXIST: { code: 'NOT_FOUND', advice: 'Yelp has no review with that id (removed, or not this business\'s).' },
  // A 400, not a 429: a daily quota, which no retry within the run can beat.
  R2R_COMMENT_QUOTA_EXCEEDED: {
    code: 'RATE_LIMITED',
    retry: false,
    advice: 'Yelp allows 20 comments per location per business owner a day: answer the rest tomorrow.',
  },
};

/** Parsed JSON of a body read as text (the partner API's answers are read as text). */
function jsonOf(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

// Maps, not records: a body's `constructor` or `__proto__` must find nothing, not Object's own.
const ERROR_CODES: ReadonlyMap<string, DetectedError['code']> = new Map(
  Object.entries({
    TOKEN_MISSING: 'AUTH',
    TOKEN_INVALID: 'AUTH',
    UNAUTHORIZED_ACCESS_TOKEN: 'AUTH',
    AUTHORIZATION_ERROR: 'FORBIDDEN',
    BUSINESS_NOT_FOUND: 'NOT_FOUND',
    NOT_FOUND: 'NOT_FOUND',
    TOO_MANY_REQUESTS_PER_SECOND: 'RATE_LIMITED',
    ACCESS_LIMIT_REACHED: 'RATE_LIMITED',
    VALIDATION_ERROR: 'CONFIG',
    LOCALE_NOT_SUPPORTED: 'CONFIG',
  }),
);

function detectYelpError(response: HttpResponseInfo): DetectedError | undefined {
  if (response.status < 400) return undefined;
  const body = jsonOf(response.body);
  const partner = partnerErrorBody.safeParse(body);
  if (partner.success) {
    const { id, description } = partner.data.error;
    const known = PARTNER_ERRORS[id];
    return {
      vendorCode: id,
      ...(description !== undefined && { message: description }),
      ...(known?.code !== undefined && { code: known.code }),
      ...(known !== undefined && { advice: known.advice }),
      ...(known?.retry !== undefined && { retry: known.retry }),
    };
  }
  const parsed = yelpErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const { code, description } = parsed.data.error;
  const detected: DetectedError = { vendorCode: code, ...(description !== undefined && { message: description }) };
  const mapped = ERROR_CODES.get(code);
  if (mapped) detected.code = mapped;
  // The daily quota resets at midnight UTC: retrying within this run cannot help.
  if (code === 'ACCESS_LIMIT_REACHED') {
    detected.retry = false;
    const reset = Date.parse(response.headers['ratelimit-resettime'] ?? '');
    if (!Number.isNaN(reset)) detected.retryAfterMs = Math.max(0, reset - Date.now());
  }
  return detected;
}

/**
 * Yelp reviews for one business. Yelp returns only a few review excerpts per business
 * (3 on the base plan): the report shows `coverage.complete: false, reason: 'platform-limit'`.
 *
 * @example
 * const source = yelp({ apiKey: process.env.YELP_KEY!, businessId: 'gary-danko-san-francisco' });
 */
export const yelp = defineAdapter({
  name: 'yelp',
  options: yelpOptions,
  baseUrl: 'https://api.yelp.com',
  subjectId: (o) => o.businessId,
  // `businessId` may be the alias (`gary-danko-san-francisco`), reviews carry Yelp's id: the review's link has the alias.
  owns: (review, o) =>
    review.source === 'yelp' && (review.subject.id === o.businessId || (review.url?.startsWith(`https://www.yelp.com/biz/${o.businessId}?`) ?? false)),
  secrets: (o) => [o.apiKey, ...(o.businessUserToken === undefined ? [] : [o.businessUserToken])],
  detectError: detectYelpError,
  page: yelpPage,
  item: yelpReview,
  async *pages(ctx) {
    const { apiKey, businessId, locale, limit, sortBy } = ctx.options;
    const headers = { Authorization: `Bearer ${apiKey}` };
    const id = encodeURIComponent(businessId);
    if (ctx.cursor !== null && !/^\d+$/.test(ctx.cursor)) {
      throw new ReviewkitError({ code: 'CONFIG', source: 'yelp', message: 'yelp: option `cursor` must be an offset from a yelp SourceReport.' });
    }
    let offset = ctx.cursor === null ? 0 : Number(ctx.cursor);
    const reviewsPage = () =>
      ctx.fetchPage(`/v3/businesses/${id}/reviews`, {
        headers,
        query: { locale, limit, offset: offset === 0 ? undefined : offset, sort_by: sortBy },
      });
    // The business details (name, rating, count) and the first page are independent: one round trip for both.
    const [details, first] = await ctx.all([ctx.http.get(`/v3/businesses/${id}`, { headers, schema: yelpBusiness, query: { locale } }), reviewsPage()]);
    const shared: YelpShared = { business: { id: details.id, name: details.name ?? null } };
    const summary = { average: details.rating ?? null, count: details.review_count ?? null };
    let page = first;
    for (;;) {
      const total = page.total ?? null;
      const next = offset + page.reviews.length;
      // A short page ends the listing even when `total` is higher: that gap is Yelp's plan cap.
      const hasMore = page.reviews.length === limit && (total === null || next < total);
      yield {
        items: page.reviews,
        shared,
        cursor: offset === 0 ? null : String(offset),
        nextCursor: hasMore ? String(next) : null,
        reportedTotal: total,
        isPlatformLimited: !hasMore && total !== null && next < total,
        summary,
      };
      if (!hasMore) return;
      offset = next;
      page = await reviewsPage();
    }
  },
  reply: {
    unsupported: (o) => (o.businessUserToken === undefined ? NEEDS_PARTNER_ACCESS : null),
    rules: { maxChars: MAX_RESPONSE_CHARS, noEmoji: true },
    post: (ctx, review, text) => respondToReview(ctx, review, text),
    delete: async () => ({ status: 'unsupported', reply: null, reason: NO_DELETE }),
  },
  normalize(review, ctx) {
    const text = cleanText(review.text, { html: false });
    return {
      externalId: review.id,
      subject: ctx.shared.business,
      url: review.url ?? null,
      author: {
        name: review.user?.name ?? null,
        id: review.user?.id ?? null,
        url: review.user?.profile_url ?? null,
        avatarUrl: review.user?.image_url ?? null,
      },
      rating: { value: review.rating, min: 1, max: 5 },
      text,
      language: ctx.options.locale ? ctx.options.locale.replace('_', '-') : null,
      createdAt: review.time_created,
      datePrecision: 'instant',
      // Fusion serves excerpts, cut at about 160 characters and ending in "...".
      extra: { isExcerpt: text !== null && /\.\.\.$|…$/.test(text) },
    };
  },
});

/** Partner answers that mean these credentials (or this business) cannot answer, not a failure of the call. */
const ACCESS_REFUSALS = new Set([
  'INSUFFICIENT_SCOPE',
  'R2R_COMMENTS_NOT_ALLOWED',
  'R2R_PROBLEM_WITH_USER_PHOTO',
  'R2R_UNACCEPTABLE_BIZ_USER_NAME',
  'R2R_PUBLIC_COMMENTS_DISABLED',
  'R2R_BUSINESS_NOT_CLAIMED',
  'R2R_PERMISSION_DENIED',
]);

async function respondToReview(ctx: ReplyContext<z.output<typeof yelpOptions>>, review: Review, text: string): Promise<ReplyResult> {
  try {
    await ctx.http.request('POST', `/reviews/v1/${encodeURIComponent(review.externalId)}`, {
      origin: PARTNER_ORIGIN,
      headers: { Authorization: `Bearer ${ctx.options.businessUserToken}` },
      body: { response_text: text, response_type: 'public_comment' },
      // Yelp documents a 200 without a body schema: whatever it sends is not needed.
      responseType: 'text',
      attempts: 1,
    });
    return { status: 'published', reply: { text, createdAt: ctx.now, author: null } };
  } catch (error) {
    if (!ReviewkitError.is(error)) throw error;
    if (error.vendorCode === 'R2R_INVALID_RESPONSE_TEXT') {
      return {
        status: 'rejected',
        reply: null,
        reason: 'yelp: Yelp refused the text (R2R_INVALID_RESPONSE_TEXT): it is empty, over 5,000 characters, uses foul language, or is too similar to a comment already posted.',
      };
    }
    if (error.vendorCode !== undefined && ACCESS_REFUSALS.has(error.vendorCode)) {
      return { status: 'unsupported', reply: null, reason: `yelp: Yelp refused to let this business user answer (${error.vendorCode}): ${error.message}` };
    }
    if (mayHaveLanded(error)) {
      throw withNote(
        error,
        'Yelp may have posted the response all the same, and offers no way to read it back: look at the review on biz.yelp.com before answering again (the same text again is refused as too similar).',
      );
    }
    throw error;
  }
}
