/**
 * Trustpilot Business Units API (apis.md §5; the adapter and its fixtures): the public
 * `GET /v1/business-units/{id}` and `/v1/business-units/{id}/reviews` with the `apikey` header (or
 * `apikey=`), and the private `GET /v1/private/business-units/{id}/reviews` with a business user's
 * bearer token (more facts: location, tags, and personal data the adapter must never read).
 * `page` (a page past the last is an empty list), `perPage` 1–100 (default 20), `orderBy`
 * (`createdat.desc` default, `createdat.asc`, `stars.desc`, `stars.asc`), `stars` and `language`
 * filters; `companyReply`; times as `…Z`. Trustpilot documents statuses, not error bodies: the
 * bodies here are the `{"message"}` ones the adapter's fixtures recorded.
 *
 * Replies (apis.md §12.4; developers.trustpilot.com/service-reviews-api "Reply to a review",
 * "Delete a reply to a review", "Get a review"): `POST /v1/private/reviews/{id}/reply` with a
 * business user's bearer token and `{"authorBusinessUserId", "message"}` sets the review's
 * `companyReply` (one per review: a second post replaces it) and answers 201 with an empty body;
 * `DELETE` the same path removes it (204; 404 when there is none); `GET /v1/reviews/{id}` (API
 * key) and `GET /v1/private/reviews/{id}` (token) read one review. No length limit is documented,
 * so none is enforced.
 */
import type { TrustpilotOptions } from '../../adapters/trustpilot.js';
import { fullName, generateFacts } from '../data.js';
import { isoSeconds } from '../dates.js';
import {
  bearerOf,
  type FaultContext,
  headerOf,
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
import { addedFields, averageStars, countOf, oneDecimal, starCounts, storeMethods, toHalf } from './common.js';
import { field, jsonBody } from './replies.js';

/** The sandbox's Trustpilot API key (Client ID). */
export const TRUSTPILOT_API_KEY = 'SandboxTrustpilotKey0123456789abcdEF';
/** The sandbox's business-user OAuth token (private endpoint). */
export const TRUSTPILOT_ACCESS_TOKEN = 'SandboxTrustpilotBusinessUserToken0123456789';
/** The sandbox's business user (who signs replies). */
export const TRUSTPILOT_BUSINESS_USER = '60aa11bb22cc33dd44ee55ff';
const UNIT = { id: '5f0c5a1b2c3d4e5f6a7b8c9d', displayName: 'Sandbox Bistro', identifying: 'sandboxbistro.example' };
/** Options of the adapter reading this sandboxed API (add `baseUrl`). */
export const TRUSTPILOT_OPTIONS = {
  apiKey: TRUSTPILOT_API_KEY,
  businessUnitId: UNIT.id,
  accessToken: TRUSTPILOT_ACCESS_TOKEN,
  businessUserId: TRUSTPILOT_BUSINESS_USER,
} satisfies TrustpilotOptions;
const API = 'https://api.trustpilot.com';
const MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 20;
const MAX_PAGE = 2_147_483_647;
const PATH = /^\/v1\/(private\/)?business-units\/([^/]+)(\/reviews)?$/;
/** One review (`GET`), and its reply (`POST`, `DELETE`, private only). */
const REVIEW_PATH = /^\/v1\/(private\/)?reviews\/([^/]+?)(\/reply)?$/;
const LOCATIONS = [
  { id: '3f1b6e2a-5c4d-4e8f-9a0b-1c2d3e4f5a6b', name: 'Sandbox Bistro Marina', urlFormattedName: 'SandboxBistroMarina', externalId: 'store-marina' },
  { id: '7a2c9d4e-1b3f-4a5c-8d6e-0f1a2b3c4d5e', name: 'Sandbox Bistro Mission', urlFormattedName: 'SandboxBistroMission', externalId: 'store-mission' },
];

type Order = 'createdat.desc' | 'createdat.asc' | 'stars.desc' | 'stars.asc';
const ORDERS: readonly Order[] = ['createdat.desc', 'createdat.asc', 'stars.desc', 'stars.asc'];

interface TrustpilotReview extends StoredReview {
  consumerId: string;
  consumerReviews: number;
  isVerified: boolean;
  source: 'InvitationApi' | 'Organic' | 'BasicLink';
  locationIndex: number | null;
  reference: string;
}

const message = (status: number, text: string, details?: string): ModuleResponse => json(status, { message: text, ...(details !== undefined && { details }) });


/** The Trustpilot module. */
export function trustpilotModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const facts = generateFacts(random, { topic: 'venue', count: countOf(context, 48), spanDays: 730, anchor: context.anchor, titleRate: 1, replyRate: 0.6, editRate: 0.12 });
  const store = new ReviewStore<TrustpilotReview>(
    'trustpilot',
    facts.map((f) => ({
      externalId: random.chars(24, 'hex'),
      consumerId: random.chars(24, 'hex'),
      consumerReviews: random.int(1, 30),
      isVerified: random.chance(0.7),
      source: random.pick(['InvitationApi', 'Organic', 'BasicLink'] as const),
      locationIndex: random.chance(0.5) ? random.int(0, LOCATIONS.length - 1) : null,
      reference: `ORDER-${random.digits(6)}`,
      author: fullName(f.person),
      stars: f.stars,
      recommendation: null,
      title: f.title,
      text: f.text,
      language: f.language,
      createdAt: f.createdAt,
      updatedAt: f.updatedAt,
      replies: f.reply ? [{ id: random.chars(24, 'hex'), text: f.reply.text, createdAt: f.reply.createdAt, author: null }] : [],
      helpfulVotes: f.helpfulVotes,
    })),
  );
  const compare: Record<Order, (a: TrustpilotReview, b: TrustpilotReview) => number> = {
    'createdat.desc': newestFirst,
    'createdat.asc': (a, b) => -newestFirst(a, b),
    'stars.desc': (a, b) => (b.stars ?? 0) - (a.stars ?? 0) || newestFirst(a, b),
    'stars.asc': (a, b) => (a.stars ?? 0) - (b.stars ?? 0) || newestFirst(a, b),
  };
  const order = () => store.sorted('createdat.desc', compare['createdat.desc']);
  // Reply ids come from a stream of their own: answering never shifts the ids of reviews added later.
  const replyIds = random.fork('reply-ids');

  function reviewJson(review: TrustpilotReview, isPrivate: boolean) {
    const reply = review.replies[0];
    const location = review.locationIndex === null ? null : LOCATIONS[review.locationIndex];
    const base = {
      links: [{ href: `${API}/v1/${isPrivate ? 'private/' : ''}reviews/${review.externalId}`, method: 'GET', rel: isPrivate ? 'private-reviews' : 'reviews' }],
      id: review.externalId,
      consumer: {
        links: [{ href: `${API}/v1/consumers/${review.consumerId}`, method: 'GET', rel: 'consumers' }],
        id: review.consumerId,
        displayName: review.author,
        displayLocation: 'San Francisco, US',
        numberOfReviews: review.consumerReviews,
      },
      businessUnit: { id: UNIT.id, identifyingName: UNIT.identifying, displayName: UNIT.displayName },
      stars: review.stars,
      title: review.title,
      text: review.text,
      language: review.language,
      createdAt: isoSeconds(review.createdAt),
      experiencedAt: `${review.createdAt.toISOString().slice(0, 10)}T00:00:00.000Z`,
      updatedAt: review.updatedAt === null ? null : isoSeconds(review.updatedAt),
      companyReply: reply
        ? { text: reply.text, ...(isPrivate && { authorBusinessUserId: TRUSTPILOT_BUSINESS_USER }), createdAt: isoSeconds(reply.createdAt), updatedAt: null }
        : null,
      isVerified: review.isVerified,
      reviewVerificationLevel: review.isVerified ? 'verified' : 'not-verified',
      source: review.source,
      numberOfLikes: review.helpfulVotes ?? 0,
      status: 'active',
      reportData: null,
      complianceLabels: [],
      countsTowardsTrustScore: true,
      countsTowardsLocationTrustScore: null,
      invitation: review.source === 'InvitationApi' ? { businessUnitId: UNIT.id } : null,
      businessUnitHistory: [],
    };
    if (!isPrivate) return base;
    // The private endpoint adds the business's own facts and the consumer's personal data (invented here).
    return {
      ...base,
      ...(location && { location }),
      referralEmail: `${review.consumerId.slice(0, 8)}@mail.example`,
      referenceId: review.reference,
      tags: location ? [{ group: 'Location', value: location.name }] : [],
      findReviewer: { isEligible: false, requests: [] },
    };
  }

  function businessUnitJson() {
    const all = store.all();
    const average = averageStars(all);
    const [one, two, three, four, five] = starCounts(all);
    const trustScore = average === null ? 0 : oneDecimal(average);
    return {
      links: [{ href: `${API}/v1/business-units/${UNIT.id}`, method: 'GET', rel: 'self' }],
      id: UNIT.id,
      displayName: UNIT.displayName,
      name: { identifying: UNIT.identifying, referring: [UNIT.identifying, `www.${UNIT.identifying}`] },
      websiteUrl: `https://www.${UNIT.identifying}`,
      country: 'US',
      status: 'active',
      badFit: false,
      score: { trustScore, stars: toHalf(trustScore) },
      numberOfReviews: { total: all.length, usedForTrustScoreCalculation: all.length, oneStar: one, twoStars: two, threeStars: three, fourStars: four, fiveStars: five },
    };
  }

  /** The auth check of a private (token) or public (API key) endpoint: an answer when it fails. */
  function refused(request: ModuleRequest, isPrivate: boolean): ModuleResponse | null {
    if (isPrivate) {
      const token = bearerOf(request);
      if (token === undefined) return message(401, 'Unauthorized', 'Missing access token');
      if (token !== TRUSTPILOT_ACCESS_TOKEN) return message(401, 'Unauthorized', 'Invalid access token');
      return null;
    }
    const key = headerOf(request, 'apikey') ?? request.query.get('apikey') ?? undefined;
    if (key === undefined) return message(401, 'Unauthorized', 'Missing API key');
    if (key !== TRUSTPILOT_API_KEY) return message(401, 'Unauthorized', 'Invalid API key');
    return null;
  }

  /** `POST …/reply`: sets the company reply (replacing one already there). */
  function postReply(review: TrustpilotReview, request: ModuleRequest): ModuleResponse {
    const body = jsonBody(request);
    const author = field(body, 'authorBusinessUserId');
    const text = field(body, 'message');
    if (typeof author !== 'string' || author === '') return message(400, 'Bad Request', 'authorBusinessUserId is required');
    if (typeof text !== 'string' || text.trim() === '') return message(400, 'Bad Request', 'message is required');
    if (author !== TRUSTPILOT_BUSINESS_USER) return message(403, 'Forbidden', 'The business user cannot reply on behalf of this business unit');
    review.replies = [{ id: replyIds.chars(24, 'hex'), text, createdAt: context.now(), author: null }];
    store.changed();
    return { status: 201 };
  }

  function handleReview(request: ModuleRequest, match: RegExpExecArray): ModuleResponse {
    const [, privatePart, rawId = '', replyPart] = match;
    const isPrivate = privatePart !== undefined;
    const denied = refused(request, isPrivate);
    if (denied !== null) return denied;
    const review = store.get(decodeURIComponent(rawId));
    if (review === undefined) return message(404, 'Not Found', 'Review not found');
    if (replyPart === undefined) return json(200, reviewJson(review, isPrivate));
    if (!isPrivate) return message(404, 'Not Found');
    if (request.method === 'POST') return postReply(review, request);
    if (review.replies.length === 0) return message(404, 'Not Found', 'The review has no reply');
    review.replies = [];
    store.changed();
    return { status: 204 };
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const one = REVIEW_PATH.exec(request.path);
    if (one !== null) return handleReview(request, one);
    const [, privatePart, id, reviewsPart] = PATH.exec(request.path) ?? [];
    const isPrivate = privatePart !== undefined;
    const denied = refused(request, isPrivate);
    if (denied !== null) return denied;
    if (isPrivate && reviewsPart === undefined) return message(404, 'Not Found');
    if (id !== UNIT.id) return message(404, 'Business unit not found');
    if (reviewsPart === undefined) return json(200, businessUnitJson());

    const page = intParam(request.query, 'page') ?? 1;
    const perPage = intParam(request.query, 'perPage') ?? DEFAULT_PER_PAGE;
    const orderBy = (request.query.get('orderBy') ?? 'createdat.desc').toLowerCase() as Order;
    if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) return message(400, 'Bad Request', 'page must be between 1 and 2147483647');
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) return message(400, 'Bad Request', 'perPage must be between 1 and 100');
    if (!ORDERS.includes(orderBy)) return message(400, 'Bad Request', `orderBy must be one of ${ORDERS.join(', ')}`);
    const stars = request.query.getAll('stars').flatMap((s) => s.split(',')).map(Number);
    const languages = request.query.getAll('language').flatMap((s) => s.split(','));
    const matching = store
      .sorted(orderBy, compare[orderBy])
      .filter((r) => (stars.length === 0 || stars.includes(r.stars ?? 0)) && (languages.length === 0 || languages.includes('all') || languages.includes(r.language)));
    const start = (page - 1) * perPage;
    const slice = matching.slice(start, start + perPage);
    const link = (n: number, rel: string) => {
      const url = new URL(request.path, API);
      url.search = new URLSearchParams({ page: String(n), perPage: String(perPage), orderBy }).toString();
      return { href: url.toString(), method: 'GET', rel };
    };
    const links = [
      ...(page > 1 && start - perPage < matching.length ? [link(page - 1, 'prev-page')] : []),
      ...(start + perPage < matching.length ? [link(page + 1, 'next-page')] : []),
    ];
    return json(200, { links, reviews: slice.map((r) => reviewJson(r, isPrivate)) });
  }

  function fault(kind: SandboxFault, _request: ModuleRequest, { random: draw, retryAfterSeconds }: FaultContext): ModuleResponse {
    if (kind === 'rate-limit') return json(429, { message: 'Too many requests' }, { 'retry-after': String(retryAfterSeconds) });
    return draw.chance(0.5) ? message(500, 'Internal Server Error') : message(503, 'Service Unavailable');
  }

  return {
    key: 'trustpilot',
    source: 'trustpilot',
    // Only the private reply path takes writes.
    claims: (request) => PATH.test(request.path) || REVIEW_PATH.test(request.path),
    methods: (request) => {
      const one = REVIEW_PATH.exec(request.path);
      return one?.[1] !== undefined && one[3] !== undefined ? ['POST', 'DELETE'] : ['GET'];
    },
    handle,
    fault,
    ...storeMethods({
      key: 'trustpilot',
      store,
      random,
      order,
      listed: () => new Set(store.all().map((r) => r.externalId)),
      hasStars: true,
      hasEditTime: true,
      replies: { author: null },
      create: (input): TrustpilotReview => ({
        externalId: random.chars(24, 'hex'),
        consumerId: random.chars(24, 'hex'),
        consumerReviews: 1,
        isVerified: false,
        source: 'Organic',
        locationIndex: null,
        reference: `ORDER-${random.digits(6)}`,
        ...addedFields(input, { helpfulVotes: 0 }),
      }),
    }),
  };
}
