/**
 * Facebook Page recommendations (apis.md §4; the adapter and its fixtures): `GET /{ver}/{page-id}`
 * (`name,overall_star_rating,rating_count`) and `GET /{ver}/{page-id}/ratings` with `fields`,
 * `limit` (25 by default) and `after`, answered with `data` and `paging` (`next` only when more
 * follows). Recommendations carry no id: `open_graph_story.id` names them. From v22.0 the ratings
 * edge answers error 12, as Graph does. This module also answers Graph paths for objects no other
 * module knows (400, code 100/33), so it is consulted after Instagram.
 */
import type { FacebookOptions } from '../../adapters/facebook.js';
import { fullName, generateFacts } from '../data.js';
import { withOffset } from '../dates.js';
import {
  type FaultContext,
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
import { countOf, oneDecimal, storeMethods } from './common.js';
import { graphAuth, graphError, graphFault, graphFields, graphPage, graphPath, isResponse, selectFields, unknownObject } from './graph.js';

/** The sandbox's Page access token. */
export const FACEBOOK_PAGE_TOKEN = 'EAASandboxPageToken0ZCpsBAKx9Zb7QvT2yLrN5wUeHd3fJc8sPq1ZAiO6';
const PAGE = { id: '100000000000042', name: 'Sandbox Bistro' };
/** Options of the adapter reading this sandboxed API (add `baseUrl`). */
export const FACEBOOK_OPTIONS = { accessToken: FACEBOOK_PAGE_TOKEN, pageId: PAGE.id } satisfies FacebookOptions;
const HOST = 'https://graph.facebook.com';
const DEFAULT_LIMIT = 25;
/** Recommendations are gone from this Graph version on. */
const LAST_VERSION_WITH_RATINGS = 21;

const THROTTLES = [
  { code: 4, status: 403, message: '(#4) Application request limit reached' },
  { code: 17, status: 400, message: '(#17) User request limit reached' },
  { code: 32, status: 403, message: '(#32) Page request limit reached' },
  { code: 613, status: 400, message: '(#613) Calls to this api have exceeded the rate limit.' },
  {
    code: 80001,
    status: 400,
    message: '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
  },
] as const;

interface FacebookRating extends StoredReview {
  reviewerId: string;
}

/** Stars as a yes/no recommendation: 3 or more is a recommendation. */
export const recommendationOf = (stars: number): 'positive' | 'negative' => (stars >= 3 ? 'positive' : 'negative');

/** The Facebook module. */
export function facebookModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const facts = generateFacts(random, { topic: 'venue', count: countOf(context, 36), spanDays: 730, anchor: context.anchor });
  const store = new ReviewStore<FacebookRating>(
    'facebook',
    facts.map((f) => ({
      externalId: random.digits(17),
      reviewerId: random.digits(16),
      author: fullName(f.person),
      stars: null,
      recommendation: recommendationOf(f.stars),
      title: null,
      // A recommendation may come without a word.
      text: random.chance(0.2) ? null : f.text,
      language: f.language,
      createdAt: f.createdAt,
      updatedAt: null,
      replies: [],
      helpfulVotes: null,
    })),
  );
  const order = () => store.sorted('newest', newestFirst);

  function ratingJson(rating: FacebookRating) {
    const text = rating.text === null ? {} : { review_text: rating.text };
    const created = withOffset(rating.createdAt, 'UTC', false);
    return {
      id: rating.externalId,
      created_time: created,
      recommendation_type: rating.recommendation,
      ...text,
      reviewer: { name: rating.author, id: rating.reviewerId },
      has_rating: false,
      has_review: rating.text !== null,
      open_graph_story: { id: rating.externalId, start_time: created, type: 'sellers.rates', data: { recommendation_type: rating.recommendation, ...text } },
    };
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const denied = graphAuth(request, FACEBOOK_PAGE_TOKEN);
    if (denied) return denied;
    const path = graphPath(request.path);
    if (path === null || path.id !== PAGE.id) return unknownObject(path?.id ?? request.path);
    if (path.edge === null) {
      const all = store.all();
      const positive = all.filter((r) => r.recommendation === 'positive').length;
      const page = {
        id: PAGE.id,
        name: PAGE.name,
        ...(all.length > 0 && { overall_star_rating: oneDecimal(1 + (4 * positive) / all.length) }),
        rating_count: all.length,
      };
      return json(200, selectFields(page, withId(graphFields(request, 'name'))));
    }
    if (path.edge !== 'ratings') return graphError(400, 100, `(#100) Tried accessing nonexisting field (${path.edge}) on node type (Page)`);
    if (path.major > LAST_VERSION_WITH_RATINGS) return graphError(400, 12, `(#12) ratings field is deprecated for versions v22.0 and higher`);
    const page = graphPage(
      request,
      HOST,
      order().map((rating) => ({ id: rating.externalId, rating })),
      DEFAULT_LIMIT,
    );
    if (isResponse(page)) return page;
    const fields = graphFields(request, 'created_time,recommendation_type,review_text,has_rating,has_review');
    // A recommendation is no node: it has no `id` of its own to return.
    const data = page.items.map(({ rating }) => {
      const { id: _id, ...body } = ratingJson(rating);
      return selectFields(body, fields);
    });
    return json(200, { data, ...(page.paging && { paging: page.paging }) });
  }

  return {
    key: 'facebook',
    source: 'facebook',
    // Every Graph object no other module knows: unknown ids answer Graph's own error.
    claims: (request) => graphPath(request.path) !== null,
    handle,
    fault: (kind: SandboxFault, _request, faultContext: FaultContext) => graphFault(kind, faultContext, PAGE.id, 'pages', THROTTLES),
    ...storeMethods({
      key: 'facebook',
      store,
      random,
      order,
      listed: () => new Set(store.all().map((r) => r.externalId)),
      hasStars: false,
      hasEditTime: false,
      replies: false,
      afterEdit: (rating, edit) => {
        if (edit.stars !== undefined) rating.recommendation = recommendationOf(edit.stars);
      },
      create: (input) => ({
        externalId: random.digits(17),
        reviewerId: random.digits(16),
        author: input.authorName,
        stars: null,
        recommendation: input.recommendation ?? recommendationOf(input.stars),
        title: null,
        text: input.text,
        language: input.language,
        createdAt: input.createdAt,
        updatedAt: null,
        replies: [],
        helpfulVotes: null,
      }),
    }),
  };
}

/** Graph returns a node's `id` whatever fields were asked for. */
function withId(selection: ReturnType<typeof graphFields>): ReturnType<typeof graphFields> {
  return new Map([...selection, ['id', null]]);
}
