/**
 * Yelp Fusion (Yelp Places API v3) reviews.
 * Facts followed: docs.developer.yelp.com (reviews endpoint, api-errors, places-rate-limiting);
 * `time_created` is documented as Pacific time, read here as America/Los_Angeles with DST.
 */
import { z } from 'zod';
import { cleanText, type DetectedError, dateSchema, defineAdapter, type HttpResponseInfo, ReviewkitError } from '../src/index.js';

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
  const parsed = yelpErrorBody.safeParse(response.body);
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
  secrets: (o) => [o.apiKey],
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
