/**
 * Tripadvisor Content API reviews: the (at most 5) most recent reviews of one location.
 * Facts followed (the official reference at tripadvisor-content-api.readme.io could only be read in
 * part; what it did not show comes from third-party captures, tagged as such):
 * - Endpoints, `key` query parameter, "up to 5 reviews … per location", "up to 50 calls per second":
 *   https://tripadvisor-content-api.readme.io/ (overview); the Location Reviews and Location Details
 *   response models as transcribed from that reference in kShayanR/pcr `other/response_structure/README.md`
 *   (`data[]`, `owner_response`, `subratings` keyed "0", "1", …, `user.avatar` a map of sizes,
 *   `num_reviews` a string, an `{"error":{"message","type","code"}}` object).
 * - Numbers the older partner API sent as strings (`id`, `location_id`, `helpful_votes`, subrating
 *   values, `rating` "4.5") and its dates with a colon-less offset (`2018-10-30T14:15:46-0400` on the
 *   `published_date` of photos): captures in caiolopes/izzytrip `src/data/trip.js` and
 *   Group1-p2/mau-kemana `client/main.js`; a third-party TypeScript model of the Content API types
 *   `helpful_votes` and ids as strings. Both forms are accepted.
 * - `is_machine_translated`: the texts were translated into the requested `language`; whether `lang`
 *   then names the original or the target language is not documented, so a translated review takes the
 *   requested language and keeps `lang` as `extra.originalLanguage` when it differs.
 * - Not this API: Tripadvisor's newer "Terra" platform (docs.terra.tripadvisor.com) has other paths,
 *   an `X-API-KEY` header and RFC 7807 error bodies.
 * - Allow-listing: "we require that you restrict the access to [your key] using specified IP addresses or
 *   domain names … If you chose to restrict your API by domain name all API requests must include the
 *   HTTP Referer Header" (https://tripadvisor-content-api.readme.io/reference/api-security). A request
 *   from elsewhere answers 403 `{"Message":"User is not authorized to access this resource with an
 *   explicit deny"}` with `x-amzn-ErrorType: AccessDeniedException` (captured response in
 *   kShayanR/pcr; the allow-list as its cause: skillmds.dev travel-hacking-toolkit Tripadvisor notes).
 * - The API runs behind Amazon API Gateway (its `x-amzn-*` headers), whose own errors are
 *   `{"message"}` bodies: 401 "Unauthorized" from an authorizer, 429 "Too Many Requests" when
 *   throttled and 429 "Limit Exceeded" when a quota is used up
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html,
 *   https://repost.aws/knowledge-center/api-gateway-429-limit). That Tripadvisor uses API Gateway
 *   quotas for its daily limit is an inference, not documented.
 * - The `{"error":{"message","type","code"}}` body is the reference's response model; real values of
 *   `type` and `code` were not seen, so errors are classified by HTTP status.
 */
import { z } from 'zod';
import { cleanText, type DetectedError, dateSchema, defineAdapter, type HttpResponseInfo, type Reply } from '../src/index.js';

/** The Content API's cap on reviews per location (and per request). */
const MAX_REVIEWS = 5;

const tripadvisorOptions = z.object({
  /**
   * Content API key, sent as the `key` query parameter (reviewkit removes it from every error and
   * log). Tripadvisor only answers requests from the IP addresses or domains on the key's allow-list.
   */
  apiKey: z.string().min(1),
  /** Numeric Tripadvisor location id (the number after `-d` in a listing URL), e.g. `89575`. */
  locationId: z.string().regex(/^\d+$/, 'must be a numeric Tripadvisor location id like 89575'),
  /** Tripadvisor language code of the returned texts, e.g. `en`, `fr` or `pt_PT`. Default `en`. */
  language: z
    .string()
    .regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'must be a Tripadvisor language code like en or pt_PT')
    .default('en'),
});

/** Options of {@link tripadvisor}. */
export type TripadvisorOptions = z.input<typeof tripadvisorOptions>;

/**
 * An id the current API sends as a number and the older partner API as a string; kept as a string.
 * A number past 2^53 has already lost digits in `JSON.parse`: it fails here rather than becoming a wrong id.
 */
const idSchema = z.union([z.string().min(1), z.int().nonnegative().transform(String)]);
/** A count or score, as a number or (older partner API) a numeric string such as "12" or "4.5". */
const numberLike = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'must be a number').transform(Number)]);

const avatarImage = z.union([z.string(), z.object({ url: z.string() })]);
// Sizes in order of preference: big enough to show, small enough to load.
const AVATAR_SIZES = ['large', 'medium', 'original', 'small', 'thumbnail'] as const;

const subrating = z.object({
  name: z.string().nullish(),
  localized_name: z.string().nullish(),
  value: numberLike.nullish(),
});

const tripadvisorReview = z.object({
  id: idSchema,
  lang: z.string().nullish(),
  published_date: dateSchema(),
  rating: numberLike.pipe(z.int().min(1).max(5)),
  helpful_votes: numberLike.pipe(z.int().nonnegative()).nullish(),
  url: z.string().nullish(),
  title: z.string().nullish(),
  text: z.string().nullish(),
  trip_type: z.string().nullish(),
  travel_date: z.string().nullish(),
  is_machine_translated: z.boolean().nullish(),
  owner_response: z
    .object({
      text: z.string().nullish(),
      author: z.string().nullish(),
      published_date: dateSchema().nullish(),
    })
    .nullish(),
  user: z
    .object({
      username: z.string().nullish(),
      // A map of sizes to URLs (the older API: to `{ url, width, height }`); other sizes are ignored.
      avatar: z
        .object({
          large: avatarImage.nullish(),
          medium: avatarImage.nullish(),
          original: avatarImage.nullish(),
          small: avatarImage.nullish(),
          thumbnail: avatarImage.nullish(),
        })
        .nullish(),
    })
    .nullish(),
  // The reference keys subratings "0", "1", …; the older API sent a list.
  subratings: z.union([z.record(z.string(), subrating), z.array(subrating)]).nullish(),
});

type TripadvisorReview = z.output<typeof tripadvisorReview>;

// The envelope only: each review is validated on its own (`item`).
const reviewsPage = z.object({ data: z.array(z.unknown()) });

const locationDetails = z.object({
  name: z.string().nullish(),
  rating: numberLike.nullish(),
  num_reviews: numberLike.pipe(z.int().nonnegative()).nullish(),
});

interface TripadvisorShared {
  location: { id: string; name: string | null };
}

/** The reference's error model (values not verified) and API Gateway's `{"message"}` / `{"Message"}` bodies. */
const contentApiError = z.object({
  error: z.object({ message: z.string().optional(), type: z.string().optional(), code: z.union([z.number(), z.string()]).optional() }),
});
const gatewayError = z.union([z.object({ message: z.string() }), z.object({ Message: z.string() })]);

const ALLOW_LIST_ADVICE =
  'Tripadvisor refuses calls from an IP address or domain that is not on the API key’s allow-list (or with a wrong key): ' +
  'add this machine’s public IP at https://www.tripadvisor.com/developers, or, for a domain restriction, send a Referer ' +
  'of an allowed domain with the `http: { headers: { Referer } }` option';

function detectTripadvisorError(response: HttpResponseInfo): DetectedError | undefined {
  const { status, body } = response;
  const content = contentApiError.safeParse(body);
  // The reference lists `error` next to `data` in its 200 model: an error sent with 200 is still an error.
  if (!content.success && status < 400) return undefined;
  const detected: DetectedError = {};
  if (content.success) {
    const { message, type, code } = content.data.error;
    const vendorCode = code !== undefined ? String(code) : type;
    if (vendorCode !== undefined) detected.vendorCode = vendorCode;
    const text = message && type && vendorCode !== type ? `${message} (${type})` : (message ?? type);
    if (text) detected.message = text;
  } else {
    const gateway = gatewayError.safeParse(body);
    if (gateway.success) detected.message = 'message' in gateway.data ? gateway.data.message : gateway.data.Message;
    // "AccessDeniedException" or "UnauthorizedException:http://internal.amazon.com/…"
    const errorType = response.headers['x-amzn-errortype']?.split(':')[0]?.trim();
    if (errorType) detected.vendorCode = errorType;
  }
  if (status === 400) detected.code = 'CONFIG';
  if (status === 403) {
    detected.code = 'FORBIDDEN';
    detected.message = `${detected.message ?? 'Forbidden'}. ${ALLOW_LIST_ADVICE}`;
  }
  if (status === 429 && /limit exceeded/i.test(detected.message ?? '')) {
    // API Gateway's quota answer: the key's call quota or its daily limit is spent, and seconds of backoff won't refill it.
    detected.retry = false;
    detected.message = `${detected.message}: the API key’s call quota or the daily limit set for it at https://www.tripadvisor.com/developers is used up`;
  }
  return detected;
}

/** `zh_TW` → `zh-TW`. */
function languageTag(code: string | null | undefined): string | null {
  return code ? code.replace('_', '-') : null;
}

function avatarUrl(avatar: NonNullable<TripadvisorReview['user']>['avatar']): string | null {
  for (const size of AVATAR_SIZES) {
    const image = avatar?.[size];
    const url = typeof image === 'string' ? image : image?.url;
    if (url) return url;
  }
  return null;
}

function subratingsOf(raw: TripadvisorReview['subratings']): { name: string | null; localizedName: string | null; value: number }[] {
  if (!raw) return [];
  const list = Array.isArray(raw)
    ? raw
    : Object.entries(raw)
        .sort(([a], [b]) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0))
        .map(([, entry]) => entry);
  return list.flatMap((entry) =>
    entry.value === null || entry.value === undefined
      ? []
      : [{ name: entry.name ?? null, localizedName: entry.localized_name ?? null, value: entry.value }],
  );
}

function ownerReply(response: TripadvisorReview['owner_response']): Reply[] {
  const text = cleanText(response?.text, { html: false });
  if (!response || text === null) return [];
  return [{ text, createdAt: response.published_date ?? null, author: response.author || null }];
}

/**
 * The most recent reviews of one Tripadvisor location (hotel, restaurant or attraction) from the
 * Content API. Tripadvisor returns at most 5 reviews per location: when the location has more, the
 * report shows `coverage: { complete: false, reason: 'platform-limit' }`. `summary` and
 * `subject.name` come from the location details (`rating`, `num_reviews`, `name`), fetched together
 * with the reviews.
 *
 * @example
 * const source = tripadvisor({ apiKey: process.env.TRIPADVISOR_KEY!, locationId: '89575', language: 'en' });
 */
export const tripadvisor = defineAdapter({
  name: 'tripadvisor',
  options: tripadvisorOptions,
  baseUrl: 'https://api.content.tripadvisor.com',
  subjectId: (o) => o.locationId,
  secrets: (o) => [o.apiKey],
  detectError: detectTripadvisorError,
  // No management-response API exists publicly: the Content API reads, the Review Express API only
  // sends review-request emails (developer-tripadvisor.com/connectivity-solutions/review-express-api/get-started),
  // and owners answer in the Management Center, one response per review (apis.md §12.8).
  reply: {
    unsupported:
      'Tripadvisor has no public API for management responses (the Content API only reads; the Review Express API only sends review requests): ' +
      'answer in the Tripadvisor Management Center, one response per review.',
  },
  page: reviewsPage,
  item: tripadvisorReview,
  async *pages(ctx) {
    const { apiKey, locationId, language } = ctx.options;
    const path = `/api/v1/location/${locationId}`;
    // Each call is billed, and the API never serves more than the 5 most recent reviews: one request
    // for reviews, whether the page comes back full or short, and the details alongside it.
    const [details, page] = await ctx.all([
      ctx.http.get(`${path}/details`, { schema: locationDetails, query: { key: apiKey, language } }),
      ctx.fetchPage(`${path}/reviews`, { query: { key: apiKey, language, limit: MAX_REVIEWS } }),
    ]);
    const count = details.num_reviews ?? null;
    const shared: TripadvisorShared = { location: { id: locationId, name: details.name ?? null } };
    yield {
      items: page.data,
      shared,
      cursor: null,
      nextCursor: null,
      reportedTotal: count,
      // Without a count, a full page is the only hint that the cap cut the list.
      isPlatformLimited: count === null ? page.data.length >= MAX_REVIEWS : count > page.data.length,
      summary: { average: count === 0 ? null : (details.rating ?? null), count },
    };
  },
  normalize(review, { options, shared }) {
    const isTranslated = review.is_machine_translated === true;
    const reviewLanguage = languageTag(review.lang);
    const requested = languageTag(options.language);
    const subratings = subratingsOf(review.subratings);
    return {
      externalId: review.id,
      subject: shared.location,
      url: review.url || null,
      author: review.user ? { name: review.user.username || null, avatarUrl: avatarUrl(review.user.avatar) } : null,
      rating: { value: review.rating, min: 1, max: 5 },
      title: cleanText(review.title, { html: false }),
      text: cleanText(review.text, { html: false }),
      // A machine translation is into the requested language; `lang` may still name the original one.
      language: isTranslated ? requested : reviewLanguage,
      createdAt: review.published_date,
      datePrecision: 'instant',
      replies: ownerReply(review.owner_response),
      helpfulVotes: review.helpful_votes ?? null,
      extra: {
        ...(review.trip_type && { tripType: review.trip_type }),
        // Month of the stay or visit, `YYYY-MM`, as the reviewer gave it.
        ...(review.travel_date && { travelDate: review.travel_date }),
        ...(subratings.length > 0 && { subratings }),
        ...(isTranslated && {
          translated: true,
          ...(reviewLanguage !== null && reviewLanguage !== requested && { originalLanguage: reviewLanguage }),
        }),
      },
    };
  },
});
