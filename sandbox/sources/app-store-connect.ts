/**
 * App Store Connect customer reviews (apis.md §7b, §12.5; the adapter and its fixtures):
 * `GET /v1/apps/{id}/customerReviews`, JSON:API with `include=response` (responses in `included`,
 * linked from `relationships.response.data`), `sort` (`-createdDate`, `createdDate`, `rating`,
 * `-rating`), `limit` (at most 200), `filter[rating]`, `filter[territory]`,
 * `exists[publishedResponse]`, cursor paging through an absolute `links.next` that keeps the
 * request's parameters, `meta.paging`, `X-Rate-Limit` on every answer, and
 * `{"errors":[{id,status,code,title,detail}]}` bodies (401 `NOT_AUTHORIZED`, 404 `NOT_FOUND`,
 * 400 `PARAMETER_ERROR.INVALID`, 429 `RATE_LIMIT_EXCEEDED`). Its app is not the feed's app.
 *
 * Responses (apis.md §12.5, Apple's OpenAPI 4.3.1): `POST /v1/customerReviewResponses` with a
 * JSON:API document creates the review's response or overwrites it in place (same id) and answers
 * 201 with the resource; `GET /v1/customerReviewResponses/{id}`, `GET
 * /v1/customerReviews/{id}/response` (`{"data": null}` without one) and `DELETE
 * /v1/customerReviewResponses/{id}` (204; 404 when absent). Entity errors are 409s as Apple
 * sends them (`ENTITY_ERROR.ATTRIBUTE.REQUIRED`, `ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG` over
 * 5,970 characters, `ENTITY_ERROR.RELATIONSHIP.INVALID` for an unknown review); a body that is
 * not JSON is a 422 `ENTITY_UNPROCESSABLE`. Moderation is deterministic: a response with a link
 * stays `PENDING_PUBLISH` (and out of `Sandbox.reviews()`); any other is `PUBLISHED` at once.
 */
import type { AppStoreConnectOptions } from '../../adapters/app-store/index.js';
import { generateFacts } from '../data.js';
import { SANDBOX_ZONE, withOffset } from '../dates.js';
import {
  bearerOf,
  type FaultContext,
  intParam,
  json,
  type ModuleContext,
  type ModuleRequest,
  type ModuleResponse,
  newestFirst,
  offsetToken,
  readOffsetToken,
  ReviewStore,
  type SourceModule,
  type StoredReply,
  type StoredReview,
} from '../module.js';
import type { Random } from '../random.js';
import type { SandboxFault } from '../types.js';
import { nickname } from './app-store-feed.js';
import { addedFields, countOf, storeMethods } from './common.js';
import { field, isHeldForReview, jsonBody, publicRepliesOnly } from './replies.js';

/** The sandbox's App Store Connect API token (a JWT in shape; the sandbox compares it as a string). */
export const APP_STORE_CONNECT_TOKEN =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6IlNBTkRCT1gwMDEiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJzYW5kYm94LWlzc3VlciIsImF1ZCI6ImFwcHN0b3JlY29ubmVjdC12MSJ9.c2FuZGJveC1zaWduYXR1cmUtMDEyMzQ1Njc4OWFiY2RlZg';
const APP = { id: '1600000002' };
/** Options of the adapter reading this sandboxed API (add `baseUrl`). */
export const APP_STORE_CONNECT_OPTIONS = { token: APP_STORE_CONNECT_TOKEN, appId: APP.id } satisfies AppStoreConnectOptions;
const API = 'https://api.appstoreconnect.apple.com';
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
const HOUR_LIMIT = 3500;
const PATH = /^\/v1\/apps\/([^/]+)\/customerReviews$/;
const RESPONSES_PATH = '/v1/customerReviewResponses';
const RESPONSE_PATH = /^\/v1\/customerReviewResponses\/([^/]+)$/;
const REVIEW_RESPONSE_PATH = /^\/v1\/customerReviews\/([^/]+)\/response$/;
/** "max 5970 chars" (apis.md §12.5, a third-party tool schema), counted in code points. */
const MAX_RESPONSE_CHARS = 5970;
const SORTS = ['-createdDate', 'createdDate', 'rating', '-rating'] as const;
const TERRITORIES: Readonly<Record<string, readonly string[]>> = { en: ['USA', 'GBR', 'CAN', 'AUS'], de: ['DEU', 'AUT', 'CHE'], fr: ['FRA', 'CAN', 'BEL'], es: ['ESP', 'MEX'] };

/** A response with its publishing state (`PUBLISHED` when absent: seeded responses and `Sandbox.setReply`). */
interface ConnectReply extends StoredReply {
  state?: 'PUBLISHED' | 'PENDING_PUBLISH';
}

interface ConnectReview extends StoredReview {
  territory: string;
  /** The response resource's id (kept when the response is replaced, as Apple overwrites in place). */
  responseId: string;
  replies: ConnectReply[];
}

const isPublished = (review: ConnectReview): boolean => (review.replies[0]?.state ?? 'PUBLISHED') === 'PUBLISHED';

const territoryOf = (random: Random, language: string): string => random.pick(TERRITORIES[language] ?? ['USA']);

/** The App Store Connect module. */
export function appStoreConnectModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const facts = generateFacts(random, { topic: 'app', count: countOf(context, 40), spanDays: 730, anchor: context.anchor, titleRate: 0.9, replyRate: 0.5 });
  const store = new ReviewStore<ConnectReview>(
    'app-store-connect',
    facts.map((f) => ({
      externalId: random.uuid(),
      territory: territoryOf(random, f.language),
      responseId: random.uuid(),
      author: nickname(random, f.person),
      stars: f.stars,
      recommendation: null,
      title: f.title,
      text: f.text,
      language: f.language,
      createdAt: f.createdAt,
      updatedAt: null,
      replies: f.reply ? [{ id: random.uuid(), text: f.reply.text, createdAt: f.reply.createdAt, author: null }] : [],
      helpfulVotes: null,
    })),
  );
  const compare: Record<(typeof SORTS)[number], (a: ConnectReview, b: ConnectReview) => number> = {
    '-createdDate': newestFirst,
    createdDate: (a, b) => -newestFirst(a, b),
    rating: (a, b) => (a.stars ?? 0) - (b.stars ?? 0) || newestFirst(a, b),
    '-rating': (a, b) => (b.stars ?? 0) - (a.stars ?? 0) || newestFirst(a, b),
  };
  const order = () => store.sorted('-createdDate', compare['-createdDate']);
  let requests = 0;
  // Error ids come from a stream of their own: answering never shifts the ids of reviews added later.
  const errorIds = random.fork('error-ids');

  function answer(status: number, body: unknown): ModuleResponse {
    requests++;
    return json(status, body, { 'x-rate-limit': `user-hour-lim:${HOUR_LIMIT};user-hour-rem:${Math.max(0, HOUR_LIMIT - requests)};` });
  }

  function errors(status: number, code: string, title: string, detail: string, extra: Record<string, unknown> = {}): ModuleResponse {
    return answer(status, { errors: [{ id: errorIds.uuid(), status: String(status), code, title, detail, ...extra }] });
  }

  const parameterError = (parameter: string, detail: string) =>
    errors(400, 'PARAMETER_ERROR.INVALID', 'A parameter has an invalid value', detail, { source: { parameter } });

  function reviewJson(review: ConnectReview, isIncluded: boolean) {
    const self = `${API}/v1/customerReviews/${review.externalId}`;
    const reply = review.replies[0];
    return {
      type: 'customerReviews',
      id: review.externalId,
      attributes: {
        rating: review.stars,
        ...(review.title !== null && { title: review.title }),
        ...(review.text !== null && { body: review.text }),
        reviewerNickname: review.author,
        createdDate: withOffset(review.createdAt, SANDBOX_ZONE),
        territory: review.territory,
      },
      relationships: {
        response: {
          links: { self: `${self}/relationships/response`, related: `${self}/response` },
          ...(isIncluded && { data: reply ? { type: 'customerReviewResponses', id: review.responseId } : null }),
        },
      },
      links: { self },
    };
  }

  function responseJson(review: ConnectReview) {
    const reply = review.replies[0];
    if (!reply) return null;
    const self = `${API}/v1/customerReviewResponses/${review.responseId}`;
    return {
      type: 'customerReviewResponses',
      id: review.responseId,
      attributes: { responseBody: reply.text, lastModifiedDate: withOffset(reply.createdAt, SANDBOX_ZONE), state: reply.state ?? 'PUBLISHED' },
      relationships: {
        review: { data: { type: 'customerReviews', id: review.externalId }, links: { self: `${self}/relationships/review`, related: `${self}/review` } },
      },
      links: { self },
    };
  }

  const entityError = (code: string, detail: string, pointer: string) =>
    errors(409, code, 'There is a problem with the request entity', detail, { source: { pointer } });

  /** `POST /v1/customerReviewResponses`: create the review's response, or overwrite it in place. */
  function createResponse(request: ModuleRequest): ModuleResponse {
    const document = jsonBody(request);
    if (document === undefined) {
      return errors(422, 'ENTITY_UNPROCESSABLE', 'The request entity is not processable', 'The request body is not a valid JSON document.');
    }
    const data = field(document, 'data');
    if (field(data, 'type') !== 'customerReviewResponses') {
      return entityError('ENTITY_ERROR.ATTRIBUTE.INVALID', "The provided entity has an invalid type; expected 'customerReviewResponses'.", '/data/type');
    }
    const body = field(field(data, 'attributes'), 'responseBody');
    if (typeof body !== 'string' || body.trim() === '') {
      return entityError('ENTITY_ERROR.ATTRIBUTE.REQUIRED', "The provided entity is missing a required field 'responseBody'.", '/data/attributes/responseBody');
    }
    if ([...body].length > MAX_RESPONSE_CHARS) {
      return entityError(
        'ENTITY_ERROR.ATTRIBUTE.INVALID.TOO_LONG',
        `The provided entity contains a field 'responseBody' whose value is too long. It cannot exceed ${MAX_RESPONSE_CHARS} characters.`,
        '/data/attributes/responseBody',
      );
    }
    const linked = field(field(field(data, 'relationships'), 'review'), 'data');
    const review = field(linked, 'type') === 'customerReviews' ? store.get(String(field(linked, 'id'))) : undefined;
    if (review === undefined) {
      return entityError('ENTITY_ERROR.RELATIONSHIP.INVALID', "The provided entity includes a relationship 'review' with an invalid value.", '/data/relationships/review');
    }
    review.replies = [{ id: review.responseId, text: body, createdAt: context.now(), author: null, state: isHeldForReview(body) ? 'PENDING_PUBLISH' : 'PUBLISHED' }];
    store.changed();
    return answer(201, { data: responseJson(review), links: { self: `${API}${RESPONSES_PATH}` } });
  }

  const noResponse = (id: string) => errors(404, 'NOT_FOUND', 'The specified resource does not exist', `There is no resource of type 'customerReviewResponses' with id '${id}'`);

  /** The review holding response `id`, if any response has that id now. */
  const withResponse = (id: string) => store.all().find((r) => r.responseId === id && r.replies.length > 0);

  function handleResponses(request: ModuleRequest): ModuleResponse {
    if (request.path === RESPONSES_PATH) return createResponse(request);
    const byReview = REVIEW_RESPONSE_PATH.exec(request.path);
    if (byReview !== null) {
      const id = decodeURIComponent(byReview[1] ?? '');
      const review = store.get(id);
      if (review === undefined) return errors(404, 'NOT_FOUND', 'The specified resource does not exist', `There is no resource of type 'customerReviews' with id '${id}'`);
      return answer(200, { data: responseJson(review), links: { self: `${API}${request.path}` } });
    }
    const id = decodeURIComponent(RESPONSE_PATH.exec(request.path)?.[1] ?? '');
    const review = withResponse(id);
    if (review === undefined) return noResponse(id);
    if (request.method === 'GET') return answer(200, { data: responseJson(review), links: { self: `${API}${request.path}` } });
    review.replies = [];
    store.changed();
    requests++;
    return { status: 204, headers: { 'x-rate-limit': `user-hour-lim:${HOUR_LIMIT};user-hour-rem:${Math.max(0, HOUR_LIMIT - requests)};` } };
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const token = bearerOf(request);
    if (token !== APP_STORE_CONNECT_TOKEN) {
      return answer(401, {
        errors: [
          {
            status: '401',
            code: 'NOT_AUTHORIZED',
            title: 'Authentication credentials are missing or invalid.',
            detail:
              'Provide a properly configured and signed bearer token, and make sure that it has not expired. Learn more about Generating Tokens for API Requests https://developer.apple.com/go/?id=api-generating-tokens',
          },
        ],
      });
    }
    if (!PATH.test(request.path)) return handleResponses(request);
    const [, appId] = PATH.exec(request.path) ?? [];
    if (appId !== APP.id) return errors(404, 'NOT_FOUND', 'The specified resource does not exist', `There is no resource of type 'apps' with id '${appId}'`);
    const { query } = request;
    const limit = intParam(query, 'limit') ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return parameterError('limit', `'${query.get('limit')}' is not a valid value for the parameter 'limit'. The maximum is ${MAX_LIMIT}.`);
    }
    const sort = (query.get('sort') ?? '-createdDate') as (typeof SORTS)[number];
    if (!SORTS.includes(sort)) return parameterError('sort', `'${sort}' is not a valid value for the parameter 'sort'. Allowed values: ${SORTS.join(', ')}.`);
    const include = query.get('include');
    if (include !== null && include !== 'response') return parameterError('include', `'${include}' is not a valid relationship name for the parameter 'include'.`);
    const cursor = query.get('cursor');
    const offset = cursor === null ? 0 : readOffsetToken('AQ.', 'reviews', cursor);
    if (offset === null) return parameterError('cursor', `'${cursor}' is not a valid cursor for this request.`);
    const ratings = query.get('filter[rating]')?.split(',').map(Number);
    const territories = query.get('filter[territory]')?.split(',');
    const published = query.get('exists[publishedResponse]');
    const matching = store
      .sorted(sort, compare[sort])
      .filter(
        (r) =>
          (ratings === undefined || ratings.includes(r.stars ?? 0)) &&
          (territories === undefined || territories.includes(r.territory)) &&
          (published === null || (published === 'true') === (r.replies.length > 0 && isPublished(r))),
      );
    const page = matching.slice(offset, offset + limit);
    const isIncluded = include === 'response';
    const included = isIncluded ? page.map(responseJson).filter((r) => r !== null) : [];
    const url = (withCursor: string | null) => {
      const out = new URL(request.path, API);
      if (withCursor !== null) out.searchParams.set('cursor', withCursor);
      for (const [k, v] of query) if (k !== 'cursor') out.searchParams.append(k, v);
      return out.toString();
    };
    const hasMore = offset + limit < matching.length;
    return answer(200, {
      data: page.map((r) => reviewJson(r, isIncluded)),
      ...(included.length > 0 && { included }),
      links: { self: url(cursor), ...(hasMore && { next: url(offsetToken('AQ.', 'reviews', offset + limit)) }) },
      meta: { paging: { total: matching.length, limit } },
    });
  }

  function fault(kind: SandboxFault, _request: ModuleRequest, { random: draw }: FaultContext): ModuleResponse {
    if (kind === 'rate-limit') {
      return json(
        429,
        {
          errors: [
            {
              id: draw.uuid(),
              status: '429',
              code: 'RATE_LIMIT_EXCEEDED',
              title: 'The request rate limit has been reached.',
              detail: "We've received too many requests for this API. Please wait and try again or slow down your request rate.",
            },
          ],
        },
        { 'x-rate-limit': `user-hour-lim:${HOUR_LIMIT};user-hour-rem:0;` },
      );
    }
    return errors(
      500,
      'UNEXPECTED_ERROR',
      'An unexpected error occurred.',
      'An unexpected error occurred on the server side. If this issue continues, contact us at https://developer.apple.com/contact/.',
    );
  }

  return {
    key: 'app-store-connect',
    source: 'app-store',
    claims: (request) =>
      PATH.test(request.path) || request.path === RESPONSES_PATH || RESPONSE_PATH.test(request.path) || REVIEW_RESPONSE_PATH.test(request.path),
    methods: (request) => (request.path === RESPONSES_PATH ? ['POST'] : RESPONSE_PATH.test(request.path) ? ['GET', 'DELETE'] : ['GET']),
    handle,
    fault,
    ...publicRepliesOnly(storeMethods({
      key: 'app-store-connect',
      store,
      random,
      order,
      listed: () => new Set(store.all().map((r) => r.externalId)),
      hasStars: true,
      hasEditTime: false,
      replies: { author: null },
      replyId: () => random.uuid(),
      create: (input) => ({
        externalId: random.uuid(),
        territory: territoryOf(random, input.language),
        responseId: random.uuid(),
        ...addedFields(input, { helpfulVotes: null }),
      }),
    }), store, isPublished),
  };
}
