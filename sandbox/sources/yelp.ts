/**
 * Yelp Fusion v3 (`GET /v3/businesses/{id}` and `/v3/businesses/{id}/reviews`), as the adapter
 * and apis.md §1 know it: `Authorization: Bearer <key>` (401 `TOKEN_MISSING` / `TOKEN_INVALID`),
 * offset/limit paging, the base plan's 3 excerpts (cut near 160 characters with "..."),
 * `time_created` in Pacific local time without an offset, `{"error":{"code","description"}}`
 * bodies, 429 `TOO_MANY_REQUESTS_PER_SECOND`, and the `RateLimit-*` headers on every answer.
 * The sandbox's `yelp_sort` is newest first, and a `locale` keeps the reviews in its language.
 *
 * Also the partner Respond-to-Reviews API (apis.md §12.7; docs.developer.yelp.com/reference/create-review-response):
 * `POST /reviews/v1/{review_id}` with a business user's bearer token and the JSON body
 * `{ response_text, response_type: 'public_comment' }`, answered 200 with no body; errors as
 * `{"error":{"id","description","http_code"}}` (401 `INVALID_TOKEN`; 400 `INVALID_REQUEST`,
 * `R2R_INVALID_RESPONSE_TYPE`, `R2R_REVIEW_DOES_NOT_EXIST`, `R2R_INVALID_RESPONSE_TEXT` — empty,
 * over 5,000 characters or the same as a comment the business already posted —,
 * `R2R_PERMISSION_DENIED`, `R2R_COMMENT_QUOTA_EXCEEDED` past 20 comments a day per business user
 * on the sandbox clock's UTC day); emoji get Yelp's 500 "Internal Error". A review holds one public
 * comment: the same business user's next response replaces it, another business user's is refused
 * ("Review already has a comment by a different business user"; the id for that refusal is not
 * documented: `R2R_PERMISSION_DENIED` here). Foul-language checks are not imitated. Fusion never
 * shows the comments: only `reviews('yelp')` does.
 */
import type { YelpOptions } from '../../adapters/yelp.js';
import { generateFacts, shortName } from '../data.js';
import { localDateTime, nextUtcMidnight, SANDBOX_ZONE } from '../dates.js';
import {
  bearerOf,
  type FaultContext,
  intParam,
  json,
  type ModuleContext,
  type ModuleRequest,
  type ModuleResponse,
  newestFirst,
  ReviewStore,
  type SourceModule,
  type StoredReview,
} from '../module.js';
import type { SandboxFault } from '../types.js';
import { averageStars, countOf, firstIds, storeMethods, toHalf } from './common.js';

/** The sandbox's Yelp API key. */
export const YELP_API_KEY = 'sandbox-yelp-key-J7x2Qm9Lr4Tv8Wz1Ks6Nd3Hb5Pf0Yc';
/** The business owner's Respond-to-Reviews access token (128 characters, as Yelp issues them). */
export const YELP_BUSINESS_USER_TOKEN = `ybuSandboxOwner${'Q7vLm2xK9pR4tW8zN3hJ6dF1sC5bY0aE'.repeat(4)}`.slice(0, 128);
/** A second business user of the same business (a manager): their comment makes the owner's refused. */
export const YELP_OTHER_BUSINESS_USER_TOKEN = `ybuSandboxManager${'Zr8Kp3Lw6Tq1Xv9Nc4Hm7Jd2Fs5Gb0Ya'.repeat(4)}`.slice(0, 128);
const BUSINESS_USERS: Readonly<Record<string, { id: string; name: string }>> = {
  [YELP_BUSINESS_USER_TOKEN]: { id: 'sBxOwnerJordanS0000001', name: 'Jordan S.' },
  [YELP_OTHER_BUSINESS_USER_TOKEN]: { id: 'sBxManagerCaseyM000002', name: 'Casey M.' },
};
/** "There is a maximum of 20 comments for each location per biz owner per day." */
const DAILY_COMMENTS = 20;
const MAX_RESPONSE_CHARS = 5000;
const PARTNER_PATH = /^\/reviews\/v1\/([^/]+)$/;
const EMOJI = /\p{Extended_Pictographic}/u;
const BUSINESS = { id: 'sBx4Bistr0SanFranc1sc', alias: 'sandbox-bistro-san-francisco', name: 'Sandbox Bistro' };
/** Options of the adapter reading this sandboxed API (add `baseUrl`). */
export const YELP_OPTIONS = { apiKey: YELP_API_KEY, businessId: BUSINESS.alias, businessUserToken: YELP_BUSINESS_USER_TOKEN } satisfies YelpOptions;
/** Reviews the base plan lets a client read. */
const PLAN_CAP = 3;
const MAX_LIMIT = 50;
const DEFAULT_LIMIT = 20;
const EXCERPT_LENGTH = 160;
const DAILY_LIMIT = 5000;
const LOCALES = new Set(['en_US', 'en_GB', 'en_CA', 'de_DE', 'de_AT', 'de_CH', 'fr_FR', 'fr_CA', 'es_ES', 'es_MX']);
const PATH = /^\/v3\/businesses\/([^/]+)(\/reviews)?$/;

interface YelpReview extends StoredReview {
  userId: string;
  hasPhoto: boolean;
  /** The business user whose public comment the review holds, if any. */
  commentBy: string | null;
}

/** What Yelp serves of a text: up to about 160 characters, cut at a word and ended with "...". */
export function yelpExcerpt(text: string): string {
  if (text.length <= EXCERPT_LENGTH) return text;
  const cut = text.lastIndexOf(' ', EXCERPT_LENGTH - 3);
  return `${text.slice(0, cut > 0 ? cut : EXCERPT_LENGTH - 3).replace(/[\s,.;:!?]+$/, '')}...`;
}

/** The Yelp module. */
export function yelpModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const facts = generateFacts(random, { topic: 'venue', count: countOf(context, 24), spanDays: 730, anchor: context.anchor });
  const store = new ReviewStore<YelpReview>(
    'yelp',
    facts.map((f) => ({
      externalId: random.chars(22, 'url-safe'),
      userId: random.chars(22, 'url-safe'),
      hasPhoto: random.chance(0.6),
      commentBy: null,
      author: shortName(f.person),
      stars: f.stars,
      recommendation: null,
      title: null,
      text: yelpExcerpt(f.text),
      language: f.language,
      createdAt: f.createdAt,
      updatedAt: null,
      replies: [],
      helpfulVotes: null,
    })),
  );
  let requests = 0;
  /** Comments posted per business user and UTC day (`{user id} {YYYY-MM-DD}`). */
  const commentsPerDay = new Map<string, number>();
  const order = () => store.sorted('newest', newestFirst);

  function rateHeaders(): Record<string, string> {
    requests++;
    return {
      'ratelimit-dailylimit': String(DAILY_LIMIT),
      'ratelimit-remaining': String(Math.max(0, DAILY_LIMIT - requests)),
      'ratelimit-resettime': nextUtcMidnight(context.now()),
    };
  }

  function answer(status: number, body: unknown): ModuleResponse {
    return json(status, body, rateHeaders());
  }

  /** Yelp's error body: `{"error":{"code","description"}}`, with `field`/`instance` on validation errors. */
  function fail(status: number, code: string, description: string, extra: Record<string, string> = {}): ModuleResponse {
    return answer(status, { error: { code, description, ...extra } });
  }

  function reviewJson(review: YelpReview) {
    return {
      id: review.externalId,
      url: `https://www.yelp.com/biz/${BUSINESS.alias}?adjust_creative=sandbox&hrid=${review.externalId}&utm_campaign=yelp_api_v3&utm_medium=api_v3_business_reviews&utm_source=sandbox`,
      text: review.text,
      rating: review.stars,
      time_created: localDateTime(review.createdAt, SANDBOX_ZONE),
      user: {
        id: review.userId,
        profile_url: `https://www.yelp.com/user_details?userid=${review.userId}`,
        image_url: review.hasPhoto ? `https://s3-media1.fl.yelpcdn.com/photo/${review.userId}/o.jpg` : null,
        name: review.author,
      },
    };
  }

  /** The partner API's error body: `{"error":{"id","description","http_code"}}`. */
  function partnerError(status: number, id: string, description: string): ModuleResponse {
    return json(status, { error: { id, description, http_code: status } });
  }

  /** `POST /reviews/v1/{review_id}`: a business user's public comment on a review. */
  function respond(request: ModuleRequest, reviewId: string): ModuleResponse {
    const user = BUSINESS_USERS[bearerOf(request) ?? ''];
    if (user === undefined) return partnerError(401, 'INVALID_TOKEN', 'The access token provided is expired, revoked, malformed, or invalid for other reasons.');
    if (request.method !== 'POST') return { ...partnerError(405, 'METHOD_NOT_ALLOWED', 'Use POST to respond to a review.'), headers: { allow: 'POST', 'content-type': 'application/json; charset=utf-8' } };
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      body = undefined;
    }
    const invalid = () => partnerError(400, 'INVALID_REQUEST', 'Missing a required parameter or includes an unsupported parameter.');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return invalid();
    const fields = body as Record<string, unknown>;
    if (Object.keys(fields).some((key) => key !== 'response_text' && key !== 'response_type')) return invalid();
    const { response_text: text, response_type: type } = fields;
    if (typeof text !== 'string' || type === undefined) return invalid();
    if (type !== 'public_comment') return partnerError(400, 'R2R_INVALID_RESPONSE_TYPE', 'Invalid response type.');
    const review = store.get(reviewId);
    if (review === undefined) return partnerError(400, 'R2R_REVIEW_DOES_NOT_EXIST', 'Review does not exist.');
    if (review.commentBy !== null && review.commentBy !== user.id) {
      return partnerError(400, 'R2R_PERMISSION_DENIED', 'Review already has a comment by a different business user.');
    }
    const day = `${user.id} ${context.now().toISOString().slice(0, 10)}`;
    const used = commentsPerDay.get(day) ?? 0;
    if (used >= DAILY_COMMENTS) {
      return partnerError(400, 'R2R_COMMENT_QUOTA_EXCEEDED', 'You have made too many comments recently. (There is a maximum of 20 comments for each location per biz owner per day).');
    }
    // "Emojis are not currently supported": Yelp fails on them rather than refusing them.
    if (EMOJI.test(text)) return partnerError(500, 'INTERNAL_ERROR', 'Internal Error');
    const normalized = text.trim().replace(/\s+/g, ' ').toLowerCase();
    const isRepeat = store.all().some((r) => r.replies.some((reply) => reply.text.trim().replace(/\s+/g, ' ').toLowerCase() === normalized));
    if (normalized === '' || [...text].length > MAX_RESPONSE_CHARS || isRepeat) {
      return partnerError(400, 'R2R_INVALID_RESPONSE_TEXT', 'Invalid response text.');
    }
    commentsPerDay.set(day, used + 1);
    review.replies = [{ id: random.chars(22, 'url-safe'), text, createdAt: context.advance(), author: user.name }];
    review.commentBy = user.id;
    store.changed();
    return { status: 200 };
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const partner = PARTNER_PATH.exec(request.path);
    if (partner !== null) return respond(request, decodeURIComponent(partner[1] as string));
    if (request.method !== 'GET') {
      const refused = fail(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed here.`);
      return { ...refused, headers: { ...refused.headers, allow: 'GET' } };
    }
    const token = bearerOf(request);
    if (token === undefined) {
      return fail(401, 'TOKEN_MISSING', 'An access token must be supplied in order to use this endpoint.');
    }
    if (token !== YELP_API_KEY) {
      return fail(401, 'TOKEN_INVALID', 'Invalid access token or authorization header.');
    }
    const [, id, reviewsPart] = PATH.exec(request.path) ?? [];
    if (id !== BUSINESS.id && id !== BUSINESS.alias) {
      return fail(404, 'BUSINESS_NOT_FOUND', 'The requested business could not be found.');
    }
    const locale = request.query.get('locale');
    if (locale !== null && !/^[a-z]{2,3}_[A-Z]{2}$/.test(locale)) {
      return fail(400, 'VALIDATION_ERROR', `'${locale}' does not match '^[a-z]{2,3}_[A-Z]{2}$'`, { field: 'locale', instance: locale });
    }
    if (locale !== null && !LOCALES.has(locale)) {
      return fail(400, 'LOCALE_NOT_SUPPORTED', `The locale '${locale}' is not supported.`);
    }
    const all = store.all();
    const average = averageStars(all);
    if (reviewsPart === undefined) {
      return answer(200, {
        id: BUSINESS.id,
        alias: BUSINESS.alias,
        name: BUSINESS.name,
        image_url: 'https://s3-media2.fl.yelpcdn.com/bphoto/sandbox-bistro/o.jpg',
        is_closed: false,
        url: `https://www.yelp.com/biz/${BUSINESS.alias}`,
        review_count: all.length,
        categories: [{ alias: 'newamerican', title: 'American (New)' }],
        rating: average === null ? 0 : toHalf(average),
        coordinates: { latitude: 37.80587, longitude: -122.42058 },
        price: '$$$',
        location: { address1: '1 Sandbox Way', city: 'San Francisco', zip_code: '94109', country: 'US', state: 'CA', display_address: ['1 Sandbox Way', 'San Francisco, CA 94109'] },
        phone: '+14155550100',
        display_phone: '(415) 555-0100',
      });
    }
    const limit = intParam(request.query, 'limit') ?? DEFAULT_LIMIT;
    const offset = intParam(request.query, 'offset') ?? 0;
    const sortBy = request.query.get('sort_by') ?? 'yelp_sort';
    for (const [field, value, max] of [['limit', limit, MAX_LIMIT], ['offset', offset, Number.MAX_SAFE_INTEGER]] as const) {
      if (!Number.isInteger(value) || value < (field === 'limit' ? 1 : 0) || value > max) {
        return fail(400, 'VALIDATION_ERROR', `'${request.query.get(field)}' is not a valid value for ${field}`, { field, instance: String(request.query.get(field)) });
      }
    }
    if (sortBy !== 'yelp_sort' && sortBy !== 'newest') {
      return fail(400, 'VALIDATION_ERROR', `'${sortBy}' is not one of ['yelp_sort', 'newest']`, { field: 'sort_by', instance: sortBy });
    }
    const language = locale?.slice(0, 2);
    const matching = order().filter((r) => language === undefined || r.language === language);
    // The plan's cap: only the first excerpts are ever readable, whatever the offset.
    const page = matching.slice(0, PLAN_CAP).slice(offset, offset + limit);
    return answer(200, {
      reviews: page.map(reviewJson),
      total: matching.length,
      possible_languages: [...new Set(all.map((r) => r.language))].sort(),
    });
  }

  function fault(kind: SandboxFault, request: ModuleRequest, { random: draw }: FaultContext): ModuleResponse {
    if (PARTNER_PATH.test(request.path)) {
      // The partner API's own shape; its throttling answer is not documented beyond the daily quota.
      return kind === 'rate-limit'
        ? partnerError(400, 'R2R_COMMENT_QUOTA_EXCEEDED', 'You have made too many comments recently. (There is a maximum of 20 comments for each location per biz owner per day).')
        : partnerError(500, 'INTERNAL_ERROR', 'Internal Error');
    }
    if (kind === 'rate-limit') {
      return fail(429, 'TOO_MANY_REQUESTS_PER_SECOND', 'You have exceeded the queries-per-second limit for this endpoint. Try reducing the rate at which you make queries.');
    }
    return draw.chance(0.5)
      ? fail(500, 'INTERNAL_ERROR', 'Something went wrong internally, please try your request again')
      : fail(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable, please try again later');
  }

  return {
    key: 'yelp',
    source: 'yelp',
    claims: (request) => PATH.test(request.path) || PARTNER_PATH.test(request.path),
    methods: ['GET', 'POST'],
    handle,
    fault,
    ...storeMethods({
      key: 'yelp',
      store,
      random,
      order,
      listed: () => firstIds(order(), PLAN_CAP),
      hasStars: true,
      hasEditTime: false,
      replies: false,
      // Yelp serves its excerpt of an edited text too.
      afterEdit: (review) => {
        if (review.text !== null) review.text = yelpExcerpt(review.text);
      },
      create: (input) => ({
        externalId: random.chars(22, 'url-safe'),
        userId: random.chars(22, 'url-safe'),
        hasPhoto: false,
        commentBy: null,
        author: input.authorName,
        stars: input.stars,
        recommendation: null,
        title: null,
        text: yelpExcerpt(input.text),
        language: input.language,
        createdAt: input.createdAt,
        updatedAt: null,
        replies: [],
        helpfulVotes: null,
      }),
    }),
  };
}
