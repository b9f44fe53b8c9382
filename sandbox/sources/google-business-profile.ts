/**
 * Google Business Profile reviews, My Business API v4 (apis.md §3; the adapter's fixtures):
 * `GET /v4/accounts/{a}/locations/{l}/reviews` with the owner's OAuth token, `pageSize` (at most
 * 50, default 50), opaque `pageToken` / `nextPageToken`, `orderBy` `updateTime desc` (default),
 * `rating` or `rating desc`, `averageRating` and `totalReviewCount`, `starRating` enums, owner
 * replies (`reviewReply`), anonymous reviewers, proto3 JSON (empty fields left out) and Google's
 * error envelope. An edit moves `updateTime`, and with it the review's place in the default order.
 *
 * Replies (apis.md §12.1): `PUT /v4/{review name}/reply` with `{"comment"}` creates or replaces
 * the reply and answers the `ReviewReply`; `DELETE` the same path removes it and answers `{}`;
 * `GET /v4/{review name}` reads one review. Comments over 4096 UTF-8 bytes are refused (400
 * `INVALID_ARGUMENT`). Replies carry `reviewReplyState` and, when rejected, `policyViolation`
 * inside `reviewReply`, as the v4 RPC reference (`google.mybusiness.v4.ReviewReply`, its `State`
 * and `PolicyViolation` enums) describes them. Moderation is deterministic: a reply with a link
 * stays `PENDING`; one offering a promo, coupon or discount code is `REJECTED` for
 * `ADVERTISING_AND_SOLICITATION`; any other is `APPROVED` at once. A reply that is not approved is
 * left out of `Sandbox.reviews()` (the public view), but the API shows it with its state.
 */
import type { GoogleBusinessProfileOptions } from '../../adapters/google/index.js';
import { fullName, generateFacts } from '../data.js';
import { rfc3339 } from '../dates.js';
import {
  bearerOf,
  type FaultContext,
  intParam,
  json,
  lastChange,
  type ModuleContext,
  type ModuleRequest,
  type ModuleResponse,
  offsetToken,
  readOffsetToken,
  ReviewStore,
  type SourceModule,
  type StoredReply,
  type StoredReview,
} from '../module.js';
import type { SandboxFault } from '../types.js';
import { addedFields, averageStars, countOf, oneDecimal, storeMethods } from './common.js';
import { credentialsInvalid, credentialsMissing, googleError, googleFault, invalidArgument, notFound } from './google-errors.js';
import { field, isHeldForReview, isSolicitation, jsonBody, publicRepliesOnly } from './replies.js';

/** The sandbox's OAuth access token for Business Profile. */
export const GBP_ACCESS_TOKEN = 'ya29.a0SandboxBusinessProfileToken_0123456789abcdef';
const ACCOUNT = '100000000000000000042';
const LOCATION = '4200000000000000001';
/** Options of the adapter reading this sandboxed API (add `baseUrl`). */
export const GBP_OPTIONS = { accessToken: GBP_ACCESS_TOKEN, accountId: ACCOUNT, locationId: LOCATION } satisfies GoogleBusinessProfileOptions;
const MAX_PAGE_SIZE = 50;
const SERVICE = 'mybusiness.googleapis.com';
const METHOD = 'google.mybusiness.v4.ReviewsService.ListReviews';
const GET_METHOD = 'google.mybusiness.v4.ReviewsService.GetReview';
const UPDATE_METHOD = 'google.mybusiness.v4.ReviewsService.UpdateReviewReply';
const DELETE_METHOD = 'google.mybusiness.v4.ReviewsService.DeleteReviewReply';
const PATH = /^\/v4\/accounts\/([^/]+)\/locations\/([^/]+)\/reviews$/;
/** One review (`reviews.get`), and its reply (`updateReply`, `deleteReply`). */
const REVIEW_PATH = /^\/v4\/accounts\/([^/]+)\/locations\/([^/]+)\/reviews\/([^/]+?)(\/reply)?$/;
/** "The maximum length is 4096 bytes" (`ReviewReply.comment`). */
const MAX_REPLY_BYTES = 4096;
const STAR_ENUM = ['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE'] as const;
const ORDERS = ['updateTime desc', 'rating', 'rating desc'] as const;
const TOKEN_PREFIX = 'AHNhbmRib3g';

/** A reply with its moderation state (`APPROVED` when absent: seeded replies and `Sandbox.setReply`). */
interface GbpReply extends StoredReply {
  state?: 'PENDING' | 'REJECTED' | 'APPROVED';
  policyViolation?: string;
}

interface GbpReview extends StoredReview {
  isAnonymous: boolean;
  photo: string;
  replies: GbpReply[];
}

const isPublic = (review: GbpReview): boolean => (review.replies[0]?.state ?? 'APPROVED') === 'APPROVED';

/** The Business Profile module. */
export function businessProfileModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const facts = generateFacts(random, { topic: 'venue', count: countOf(context, 60), spanDays: 730, anchor: context.anchor, replyRate: 0.55, editRate: 0.15 });
  const store = new ReviewStore<GbpReview>(
    'google-business-profile',
    facts.map((f) => {
      const isAnonymous = random.chance(0.05);
      return {
        externalId: `AbFvOq${random.chars(36)}`,
        isAnonymous,
        photo: `https://lh3.googleusercontent.com/a/ACg8oc${random.chars(20, 'url-safe')}=s120-c-rp-mo-br100`,
        author: isAnonymous ? null : fullName(f.person),
        stars: f.stars,
        recommendation: null,
        title: null,
        // Some reviews are a rating alone.
        text: random.chance(0.12) ? null : f.text,
        language: f.language,
        createdAt: new Date(f.createdAt.getTime() + random.int(0, 999)),
        updatedAt: f.updatedAt,
        replies: f.reply ? [{ id: random.digits(17), text: f.reply.text, createdAt: f.reply.createdAt, author: null }] : [],
        helpfulVotes: null,
      };
    }),
  );
  const orders: Record<(typeof ORDERS)[number], (a: GbpReview, b: GbpReview) => number> = {
    'updateTime desc': (a, b) => lastChange(b).getTime() - lastChange(a).getTime() || tie(a, b),
    rating: (a, b) => (a.stars ?? 0) - (b.stars ?? 0) || lastChange(b).getTime() - lastChange(a).getTime() || tie(a, b),
    'rating desc': (a, b) => (b.stars ?? 0) - (a.stars ?? 0) || lastChange(b).getTime() - lastChange(a).getTime() || tie(a, b),
  };
  const order = () => store.sorted('updateTime desc', orders['updateTime desc']);
  // Reply ids come from a stream of their own: answering never shifts the ids of reviews added later.
  const replyIds = random.fork('reply-ids');

  function replyJson(reply: GbpReply) {
    const state = reply.state ?? 'APPROVED';
    return {
      comment: reply.text,
      updateTime: rfc3339(reply.createdAt, 3),
      reviewReplyState: state,
      ...(state === 'REJECTED' && reply.policyViolation !== undefined && { policyViolation: reply.policyViolation }),
    };
  }

  function reviewJson(review: GbpReview) {
    const reply = review.replies[0];
    return {
      reviewId: review.externalId,
      reviewer: review.isAnonymous ? { displayName: 'A Google user', isAnonymous: true } : { profilePhotoUrl: review.photo, displayName: review.author },
      starRating: STAR_ENUM[(review.stars ?? 1) - 1],
      ...(review.text !== null && { comment: review.text }),
      createTime: rfc3339(review.createdAt, 3),
      updateTime: rfc3339(lastChange(review), 3),
      ...(reply && { reviewReply: replyJson(reply) }),
      name: `accounts/${ACCOUNT}/locations/${LOCATION}/reviews/${review.externalId}`,
    };
  }

  /** `updateReply`: create or replace the reply, moderated on the spot. */
  function updateReply(review: GbpReview, request: ModuleRequest): ModuleResponse {
    const comment = field(jsonBody(request), 'comment');
    if (typeof comment !== 'string' || comment.trim() === '') {
      return badReply('review_reply.comment', 'The reply comment is required.');
    }
    if (Buffer.byteLength(comment, 'utf8') > MAX_REPLY_BYTES) {
      return badReply('review_reply.comment', `The reply comment is longer than ${MAX_REPLY_BYTES} bytes.`);
    }
    const state = isSolicitation(comment) ? 'REJECTED' : isHeldForReview(comment) ? 'PENDING' : 'APPROVED';
    const reply: GbpReply = {
      id: replyIds.digits(17),
      text: comment,
      createdAt: context.now(),
      author: null,
      state,
      ...(state === 'REJECTED' && { policyViolation: 'ADVERTISING_AND_SOLICITATION' }),
    };
    review.replies = [reply];
    store.changed();
    return json(200, replyJson(reply));
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const token = bearerOf(request);
    const one = REVIEW_PATH.exec(request.path);
    const method = one === null ? METHOD : one[4] === undefined ? GET_METHOD : request.method === 'DELETE' ? DELETE_METHOD : UPDATE_METHOD;
    if (token === undefined) return credentialsMissing(SERVICE, method);
    if (token !== GBP_ACCESS_TOKEN) return credentialsInvalid(SERVICE, method);
    if (one !== null) {
      const [, account, location, reviewId = '', reply] = one;
      const review = account === ACCOUNT && location === LOCATION ? store.get(decodeURIComponent(reviewId)) : undefined;
      if (review === undefined) return notFound();
      if (reply === undefined) return json(200, reviewJson(review));
      if (request.method === 'PUT') return updateReply(review, request);
      // `deleteReply`: "success returns an empty JSON object"; a review without a reply answers the same.
      review.replies = [];
      store.changed();
      return json(200, {});
    }
    const [, account, location] = PATH.exec(request.path) ?? [];
    if (account !== ACCOUNT || location !== LOCATION) return notFound();
    const pageSize = intParam(request.query, 'pageSize') ?? MAX_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 0 || pageSize > MAX_PAGE_SIZE) return invalidArgument('Request contains an invalid argument.');
    const orderBy = (request.query.get('orderBy') ?? 'updateTime desc') as (typeof ORDERS)[number];
    if (!ORDERS.includes(orderBy)) return invalidArgument(`Invalid orderBy: ${orderBy}. Supported values are 'rating', 'rating desc' and 'updateTime desc'.`);
    const pageToken = request.query.get('pageToken');
    const offset = pageToken === null || pageToken === '' ? 0 : readOffsetToken(TOKEN_PREFIX, orderBy, pageToken);
    if (offset === null) return invalidArgument('Invalid page token.');
    const sorted = store.sorted(orderBy, orders[orderBy]);
    // pageSize 0 means the default.
    const size = pageSize === 0 ? MAX_PAGE_SIZE : pageSize;
    const page = sorted.slice(offset, offset + size);
    const average = averageStars(sorted);
    const next = offset + size < sorted.length ? offsetToken(TOKEN_PREFIX, orderBy, offset + size) : undefined;
    // proto3 JSON: a location without reviews answers `{}`.
    return json(200, {
      ...(page.length > 0 && { reviews: page.map(reviewJson) }),
      ...(average !== null && { averageRating: oneDecimal(average) }),
      ...(sorted.length > 0 && { totalReviewCount: sorted.length }),
      ...(next !== undefined && { nextPageToken: next }),
    });
  }

  return {
    key: 'google-business-profile',
    source: 'google-business-profile',
    claims: (request) => PATH.test(request.path) || REVIEW_PATH.test(request.path),
    methods: (request) => (REVIEW_PATH.exec(request.path)?.[4] === undefined ? ['GET'] : ['PUT', 'DELETE']),
    handle,
    fault: (kind: SandboxFault, _request, faultContext: FaultContext) => googleFault(kind, SERVICE, 'Requests', faultContext),
    ...publicRepliesOnly(storeMethods({
      key: 'google-business-profile',
      store,
      random,
      order,
      listed: () => new Set(store.all().map((r) => r.externalId)),
      hasStars: true,
      hasEditTime: true,
      replies: { author: null },
      create: (input) => ({
        externalId: `AbFvOq${random.chars(36)}`,
        isAnonymous: false,
        photo: `https://lh3.googleusercontent.com/a/ACg8oc${random.chars(20, 'url-safe')}=s120-c-rp-mo-br100`,
        ...addedFields(input, { helpfulVotes: null, hasTitle: false }),
      }),
    }), store, isPublic),
  };
}

/** 400 `INVALID_ARGUMENT` with a `BadRequest` naming the field, as Google reports a bad request body. */
function badReply(fieldName: string, description: string): ModuleResponse {
  return googleError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.', {
    details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: fieldName, description }] }],
  });
}

function tie(a: StoredReview, b: StoredReview): number {
  return a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0;
}
