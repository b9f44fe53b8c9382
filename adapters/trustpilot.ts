/**
 * Trustpilot service reviews of one business unit (Business Units API).
 * Facts followed:
 * - Endpoints, parameters and auth: https://developers.trustpilot.com/business-units-api and
 *   https://developers.trustpilot.com/business-units-api-(public): public
 *   `GET /v1/business-units/{id}/reviews` and `GET /v1/business-units/{id}` ("Authentication: API Key",
 *   header `apikey`); private `GET /v1/private/business-units/{id}/reviews` ("Authentication: Business
 *   user OAuth Token"). `page` beyond the last "returns an empty array"; `perPage` 1–100;
 *   `orderBy` `createdat.desc` (the default) sorts by creation time only.
 * - The private endpoint needs only the bearer token (https://developers.trustpilot.com/authentication:
 *   "You can access public APIs with only your API key… private APIs… OAuth 2.0"); the adapter sends the
 *   `apikey` header with it as well, as Trustpilot's own client does (trustpilot/node-trustpilot
 *   `src/request-helper.ts`, `buildAuthenticatedRequest`), so one request shape works for both. The API key
 *   stays required: the business-unit summary is a public, API-key endpoint either way.
 * - Access tokens expire after 100 hours (authentication page above).
 * - Dates: "All date/time responses are returned using ISO 8601 format using UTC"
 *   (https://developers.trustpilot.com/schema-data-cache); the reference's own examples leave the `Z`
 *   off (`2013-09-07T13:37:00`), so offset-less values are read as UTC.
 * - Review fields: dbt-labs/tap-trustpilot `schemas/reviews.json`, `schemas/private_reviews.json` and the
 *   Airbyte `source-trustpilot` manifest (`experiencedAt`, `reviewVerificationLevel`, `location`, `tags`,
 *   and the private-only personal data this adapter drops: `referralEmail`, `referenceId`, `findReviewer`).
 *   Web links `https://www.trustpilot.com/reviews/{id}` and `/users/{consumerId}` as seen in third-party code.
 * - TrustScore: on a 1–5 scale since September 2019, 0 until the first review; the star rating is it rounded
 *   to the nearest half star (press.trustpilot.com "Trustpilot introduces half-stars and moves to a
 *   five-point TrustScore"; support.trustpilot.com article 201748946).
 * - Errors: https://developers.trustpilot.com/common-error-messages documents statuses only (400, 401, 403,
 *   404, 415, 429, 500, 501), no body: errors are classified by status.
 * - Rate limits: https://developers.trustpilot.com/rate-limiting recommends at most 833 calls per
 *   5 minutes and 10,000 per hour (both about 2.78 per second).
 * - Replies: https://developers.trustpilot.com/service-reviews-api "Reply to a review" (`POST
 *   /v1/private/reviews/{reviewId}/reply`, business user OAuth token, body `{authorBusinessUserId, message}`),
 *   "Delete a reply to a review" (`DELETE` the same path) and "Get a review" (`GET /v1/reviews/{reviewId}`,
 *   API key, with `companyReply`). The answer is 201 and "may be empty" (PipedreamHQ/pipedream
 *   `components/trustpilot/actions/reply-to-service-review`). No maximum length is documented, so none is
 *   checked. Whether a second post replaces the reply or is refused is not documented either (apis.md §12.4
 *   [mem]): the write is treated as append-style, never sent twice blindly (see `reply.post`).
 */
import { z } from 'zod';
import {
  cleanText,
  type DetectedError,
  dateSchema,
  defineAdapter,
  type ErrorCode,
  type HttpResponseInfo,
  type Reply,
  type ReplyContext,
  type Review,
  type ReviewInput,
  ReviewkitError,
} from '../src/index.js';

const SOURCE = 'trustpilot';
// 2.5 requests a second: 750 per 5 minutes and 9,000 per hour, under both recommended ceilings.
const DEFAULT_REQUESTS_PER_SECOND = 2.5;
const MAX_PAGE = 2_147_483_647;
const WEB = 'https://www.trustpilot.com';
const ID = /^[A-Za-z0-9]+$/;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const trustpilotOptions = z.object({
  /** API key (the application's Client ID), sent as the `apikey` header. Needed for the summary even with `accessToken`. */
  apiKey: z.string().min(1),
  /** Business unit id, e.g. `507f191e810c19729de860ea` (look it up with `GET /v1/business-units/find?name=<domain>`). */
  businessUnitId: z.string().regex(ID, 'must be a business unit id like 507f191e810c19729de860ea, not a domain or URL'),
  /** A business user's OAuth access token: reads the private endpoint (sent as `Authorization: Bearer …`). */
  accessToken: z.string().min(1).optional(),
  /** Business user id, for replying to reviews (with `accessToken`); not used to read. */
  businessUserId: z.string().regex(/^\S+$/, 'must be a business user id without spaces').optional(),
  /** Reviews per request, 1–100. Default 100 (Trustpilot's maximum): fewest requests against the rate limit. */
  perPage: z.number().int().min(1).max(100).default(100),
}).refine((o) => o.businessUserId === undefined || o.accessToken !== undefined, {
  path: ['businessUserId'],
  message: 'needs `accessToken` (that business user’s OAuth token): replies are posted with both',
});

/** Options of {@link trustpilot}. */
export type TrustpilotOptions = z.input<typeof trustpilotOptions>;

type Options = z.output<typeof trustpilotOptions>;

// Dates without an offset (the reference's examples) are UTC, as every Trustpilot date is.
const utcDate = () => dateSchema({ timeZone: 'UTC' });

// A lone surrogate cannot go into a URL (encodeURIComponent throws): no Trustpilot id holds one.
const LONE_SURROGATE = /\p{Cs}/u;

const trustpilotReview = z.object({
  id: z.string().min(1).refine((id) => !LONE_SURROGATE.test(id), 'is not well-formed text'),
  consumer: z.object({ id: z.string().nullish(), displayName: z.string().nullish() }).nullish(),
  stars: z.number().int().min(1).max(5),
  title: z.string().nullish(),
  text: z.string().nullish(),
  language: z.string().nullish(),
  createdAt: utcDate(),
  updatedAt: utcDate().nullish(),
  experiencedAt: utcDate().nullish(),
  companyReply: z.object({ text: z.string().nullish(), createdAt: utcDate().nullish(), updatedAt: utcDate().nullish() }).nullish(),
  isVerified: z.boolean().nullish(),
  reviewVerificationLevel: z.string().nullish(),
  numberOfLikes: z.number().int().nonnegative().nullish(),
  countsTowardsTrustScore: z.boolean().nullish(),
  source: z.string().nullish(),
  // Private endpoint only: the business's own location and tags.
  location: z.object({ id: z.string().nullish(), name: z.string().nullish(), externalId: z.string().nullish() }).nullish(),
  tags: z.array(z.object({ group: z.string().nullish(), value: z.string().nullish() })).nullish(),
});

type TrustpilotReview = z.output<typeof trustpilotReview>;

/** One review as `GET /v1/reviews/{id}` answers it: only the company's reply is read. */
const oneReview = z.object({
  companyReply: z.object({ text: z.string().nullish(), createdAt: utcDate().nullish(), updatedAt: utcDate().nullish() }).nullish(),
});

/** Posts of one reply at most: the first, and one more only when reading back showed it did not arrive. */
const MAX_REPLY_SENDS = 2;

// The envelope: what paging needs. Each review is validated on its own (`item`).
const trustpilotPage = z.object({ reviews: z.array(z.unknown()) });

const businessUnit = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  score: z.object({ trustScore: z.number().nullish(), stars: z.number().nullish() }).nullish(),
  numberOfReviews: z.object({ total: z.number().int().nonnegative().nullish() }).nullish(),
});

interface TrustpilotShared {
  businessUnit: { id: string; name: string | null };
}

/**
 * `summary.average` is the TrustScore, the figure Trustpilot shows as the business's rating: 1–5 with one
 * decimal. `score.stars` is only that number rounded to the nearest half star, so it adds nothing. A
 * TrustScore outside 1–5 (0 before the first review) is no average.
 */
function summaryOf(details: z.output<typeof businessUnit>): { average: number | null; count: number | null } {
  const count = details.numberOfReviews?.total ?? null;
  const trustScore = details.score?.trustScore ?? null;
  const average = count !== 0 && trustScore !== null && trustScore >= 1 && trustScore <= 5 ? trustScore : null;
  return { average, count };
}

// Trustpilot documents statuses, not bodies: the status decides, whatever the body is.
const STATUS_CODES: Readonly<Record<number, { code: ErrorCode; advice: string }>> = {
  400: { code: 'CONFIG', advice: 'Trustpilot could not read the request: check `businessUnitId`' },
  401: {
    code: 'AUTH',
    advice: 'Trustpilot rejected the credentials: check `apiKey` and, for private reviews, `accessToken`; business-user tokens expire after 100 hours',
  },
  403: {
    code: 'FORBIDDEN',
    advice: 'Trustpilot refused access: the API needs a Trustpilot plan that includes it, and private reviews a business user with admin rights on this business unit',
  },
  404: { code: 'NOT_FOUND', advice: 'Trustpilot has no business unit with this `businessUnitId`; find the id with GET /v1/business-units/find?name=<domain>' },
  429: {
    code: 'RATE_LIMITED',
    advice: 'Trustpilot recommends at most 833 calls per 5 minutes and 10,000 per hour per API key; lower `requestsPerSecond` if other jobs share the key',
  },
};

/** Classifies a Trustpilot error by its status and says what to check; a short JSON or text body is quoted. */
function detectTrustpilotError(response: HttpResponseInfo): DetectedError | undefined {
  const known = STATUS_CODES[response.status];
  if (!known) return undefined;
  const said = bodyDetail(response);
  return { code: known.code, message: said === null ? known.advice : `${known.advice} (Trustpilot said: ${said})` };
}

const MAX_DETAIL = 160;
// Characters no API key or token contains: a body is only ever cut at one of them, so a credential
// it echoes is quoted whole (and redacted) or not at all, never as a telling prefix.
const CUT_AT = /[\s"',;:{}[\]()<>&?]/g;

function bodyDetail({ body, headers }: HttpResponseInfo): string | null {
  let text: string;
  if (typeof body === 'string') {
    // An HTML error page from a proxy or gateway says nothing the status does not.
    if (/html/i.test(headers['content-type'] ?? '') || /^\s*</.test(body)) return null;
    text = body;
  } else {
    try {
      text = JSON.stringify(body) ?? '';
    } catch {
      // Nested too deep to print (a RangeError from the stack): nothing worth quoting.
      return null;
    }
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '' || flat === '{}' || flat === 'null') return null;
  if (flat.length <= MAX_DETAIL) return flat;
  const cut = Math.max(-1, ...[...flat.slice(0, MAX_DETAIL + 1).matchAll(CUT_AT)].map((m) => m.index));
  return cut > 0 ? `${flat.slice(0, cut).trimEnd()}…` : null;
}

function pageFromCursor(cursor: string | null): number {
  if (cursor === null) return 1;
  const page = /^[1-9]\d{0,9}$/.test(cursor) ? Number(cursor) : Number.NaN;
  if (!(page <= MAX_PAGE)) {
    throw new ReviewkitError({ code: 'CONFIG', source: SOURCE, message: 'trustpilot: option `cursor` must be a page number from a trustpilot SourceReport.' });
  }
  return page;
}

/**
 * Reviews of one Trustpilot business unit, newest first, with the company's replies. With `apiKey`
 * alone it reads the public endpoint; with a business user's `accessToken` it reads the private one
 * (same reviews, more facts: location, tags, collection method), keeping the consumer's personal data
 * out. `summary` is the TrustScore (1–5) and the total review count. With `businessUserId` (and
 * `accessToken`) it answers reviews as that business user: `reply()` posts once and reads the review
 * back rather than post twice after a lost answer; `deleteReply()` removes the reply.
 *
 * @example
 * const source = trustpilot({ apiKey: process.env.TRUSTPILOT_KEY!, businessUnitId: '507f191e810c19729de860ea' });
 */
export const trustpilot = defineAdapter({
  name: SOURCE,
  options: trustpilotOptions,
  baseUrl: 'https://api.trustpilot.com',
  subjectId: (o) => o.businessUnitId,
  secrets: (o) => (o.accessToken === undefined ? [o.apiKey] : [o.apiKey, o.accessToken]),
  // `createdat.desc`: newest written first, so `since` stops paging. Trustpilot cannot sort by edit
  // time: a review written before `since` and edited after it is kept only on a page read anyway.
  order: 'newest-first',
  requestsPerSecond: DEFAULT_REQUESTS_PER_SECOND,
  detectError: detectTrustpilotError,
  page: trustpilotPage,
  item: trustpilotReview,
  async *pages(ctx) {
    const { apiKey, accessToken, businessUnitId, perPage } = ctx.options;
    const id = encodeURIComponent(businessUnitId);
    const publicHeaders = { apikey: apiKey };
    const reviewsPath = accessToken === undefined ? `/v1/business-units/${id}/reviews` : `/v1/private/business-units/${id}/reviews`;
    const reviewHeaders = accessToken === undefined ? publicHeaders : { ...publicHeaders, Authorization: `Bearer ${accessToken}` };
    let page = pageFromCursor(ctx.cursor);
    const reviewsPage = () => ctx.fetchPage(reviewsPath, { headers: reviewHeaders, query: { page, perPage, orderBy: 'createdat.desc' } });
    // The business unit (name, TrustScore, count) and the first page are independent: one round trip for both.
    const [details, first] = await ctx.all([ctx.http.get(`/v1/business-units/${id}`, { headers: publicHeaders, schema: businessUnit }), reviewsPage()]);
    const shared: TrustpilotShared = { businessUnit: { id: details.id, name: details.displayName ?? null } };
    const summary = summaryOf(details);
    let raw = first;
    for (;;) {
      // A short page is the last; a full last page is followed by one empty page (the listing carries no total).
      const hasMore = raw.reviews.length >= perPage;
      yield {
        items: raw.reviews,
        shared,
        cursor: page === 1 ? null : String(page),
        nextCursor: hasMore ? String(page + 1) : null,
        reportedTotal: summary.count,
        summary,
      };
      if (!hasMore) return;
      page++;
      raw = await reviewsPage();
    }
  },
  normalize(review, { shared }): ReviewInput {
    const createdAt = review.createdAt;
    const updatedAt = review.updatedAt ?? null;
    const consumerId = review.consumer?.id || null;
    // A consumer id no URL can hold keeps the id and goes without the profile link.
    const consumerPath = consumerId !== null && !LONE_SURROGATE.test(consumerId) ? encodeURIComponent(consumerId) : null;
    return {
      externalId: review.id,
      subject: shared.businessUnit,
      url: `${WEB}/reviews/${encodeURIComponent(review.id)}`,
      author: {
        name: review.consumer?.displayName || null,
        id: consumerId,
        url: consumerPath === null ? null : `${WEB}/users/${consumerPath}`,
      },
      rating: { value: review.stars, min: 1, max: 5 },
      // Plain text as typed: a literal "&amp;" is what the reviewer wrote.
      title: cleanText(review.title, { html: false }),
      text: cleanText(review.text, { html: false }),
      language: review.language && LANGUAGE_TAG.test(review.language) ? review.language : null,
      createdAt,
      // An unedited review may repeat its creation time as `updatedAt`.
      updatedAt: updatedAt !== null && updatedAt.getTime() !== createdAt.getTime() ? updatedAt : null,
      datePrecision: 'instant',
      replies: toReplies(review.companyReply),
      helpfulVotes: review.numberOfLikes ?? null,
      extra: extraOf(review),
    };
  },
  reply: {
    unsupported: (o) =>
      o.accessToken !== undefined && o.businessUserId !== undefined
        ? null
        : 'answering needs a business user of this business unit: their OAuth `accessToken` (the password grant of POST /v1/oauth/oauth-business-users-for-applications/accesstoken, with the API key and secret) and their `businessUserId`.',
    async post(ctx, review, text) {
      for (let send = 1; ; send++) {
        try {
          // Sent once: a retry after a lost answer could post the reply twice.
          await ctx.http.request('POST', replyPath(review), {
            headers: privateHeaders(ctx),
            body: { authorBusinessUserId: ctx.options.businessUserId, message: text },
            attempts: 1,
          });
          return { status: 'published', reply: { text, createdAt: ctx.now, author: null } };
        } catch (error) {
          if (!isAnswerLost(error)) throw forWrite(error);
          // The post may have arrived even so: read the review back before sending it again.
          const found = await companyReplyOf(ctx, review).catch(() => {
            throw error;
          });
          if (found !== null && cleanText(found.text, { html: false }) === cleanText(text, { html: false })) {
            return {
              status: 'published',
              reply: { text: found.text ?? text, createdAt: found.createdAt ?? ctx.now, author: null },
              reason: 'The answer to the post was lost, but reading the review back showed the reply in place.',
            };
          }
          if (send >= MAX_REPLY_SENDS) throw error;
        }
      }
    },
    async delete(ctx, review) {
      await ctx.http.request('DELETE', replyPath(review), { headers: privateHeaders(ctx) }).catch((error: unknown) => {
        throw forWrite(error);
      });
      return { status: 'published', reply: null };
    },
  },
});

const replyPath = (review: Review): string => `/v1/private/reviews/${encodeURIComponent(review.externalId)}/reply`;

const privateHeaders = (ctx: ReplyContext<Options>): Record<string, string> => ({
  apikey: ctx.options.apiKey,
  Authorization: `Bearer ${ctx.options.accessToken ?? ''}`,
});

/** What to check when a reply is refused: the statuses' advice above is written for reading a business unit. */
const WRITE_ADVICE: Readonly<Record<number, string>> = {
  400: 'Trustpilot could not read the reply: check the review id and the text',
  403: 'Trustpilot refused the reply: `businessUserId` must be a business user of this business unit allowed to reply, and `accessToken` that user’s token',
  404: 'Trustpilot has no such review, or (deleting) no reply to it: check the review id',
};

/** A write's error with advice about the write rather than about reading. */
function forWrite(error: unknown): unknown {
  if (!ReviewkitError.is(error) || error.status === undefined) return error;
  const readAdvice = STATUS_CODES[error.status]?.advice;
  const writeAdvice = WRITE_ADVICE[error.status];
  if (readAdvice === undefined || writeAdvice === undefined || !error.message.includes(readAdvice)) return error;
  return new ReviewkitError({
    code: error.code,
    source: error.source,
    message: error.message.replace(readAdvice, writeAdvice),
    status: error.status,
    ...(error.url !== undefined && { url: error.url }),
    ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
    ...(error.vendorCode !== undefined && { vendorCode: error.vendorCode }),
  });
}

/** Whether a write may have been stored although it failed: no answer came (timeout, cut connection) or a server error. */
function isAnswerLost(error: unknown): boolean {
  if (!ReviewkitError.is(error)) return false;
  return error.code === 'TIMEOUT' || error.code === 'NETWORK' || (error.code === 'HTTP' && error.status !== undefined && error.status >= 500);
}

/** The company's reply to the review as Trustpilot holds it now (`GET /v1/reviews/{id}`), or null. */
async function companyReplyOf(ctx: ReplyContext<Options>, review: Review): Promise<{ text: string | null; createdAt: Date | null } | null> {
  const { companyReply } = await ctx.http.get(`/v1/reviews/${encodeURIComponent(review.externalId)}`, {
    headers: { apikey: ctx.options.apiKey },
    schema: oneReview,
  });
  return companyReply ? { text: companyReply.text ?? null, createdAt: companyReply.createdAt ?? companyReply.updatedAt ?? null } : null;
}

function toReplies(reply: TrustpilotReview['companyReply']): Reply[] {
  // cleanText keeps one blank line between paragraphs: replies are often several.
  const text = cleanText(reply?.text, { html: false });
  if (!reply || text === null) return [];
  return [{ text, createdAt: reply.createdAt ?? reply.updatedAt ?? null, author: null }];
}

/**
 * Non-personal facts only. The private endpoint also sends the consumer's e-mail (`referralEmail`), the
 * order id (`referenceId`) and Find Reviewer answers (`findReviewer`: name, e-mail, phone, address): none is
 * read, so none can reach a review.
 */
function extraOf(review: TrustpilotReview): Record<string, unknown> {
  const reply = review.companyReply;
  const replyEdited = reply?.updatedAt && reply.createdAt && reply.updatedAt.getTime() !== reply.createdAt.getTime() ? reply.updatedAt : null;
  const tags = (review.tags ?? []).map((t) => ({ group: t.group ?? null, value: t.value ?? null }));
  return {
    isVerified: review.isVerified ?? null,
    ...(review.reviewVerificationLevel && { verificationLevel: review.reviewVerificationLevel }),
    ...(typeof review.countsTowardsTrustScore === 'boolean' && { countsTowardsTrustScore: review.countsTowardsTrustScore }),
    ...(review.experiencedAt && { experiencedAt: review.experiencedAt.toISOString() }),
    ...(review.source && { reviewSource: review.source }),
    ...(review.location && {
      location: { id: review.location.id ?? null, name: review.location.name ?? null, externalId: review.location.externalId ?? null },
    }),
    ...(tags.length > 0 && { tags }),
    ...(replyEdited && { replyUpdatedAt: replyEdited.toISOString() }),
  };
}


