/**
 * Facebook Page recommendations (apis.md §4; the adapter and its fixtures): `GET /{ver}/{page-id}`
 * (`name,overall_star_rating,rating_count`) and `GET /{ver}/{page-id}/ratings` with `fields`,
 * `limit` (25 by default) and `after`, answered with `data` and `paging` (`next` only when more
 * follows). Recommendations carry no id: `open_graph_story.id` names them. From v22.0 the ratings
 * edge answers error 12, as Graph does. This module also answers Graph paths for objects no other
 * module knows (400, code 100/33), so it is consulted after Instagram.
 *
 * The Page's replies (apis.md §12.2) are comments on a recommendation's story:
 * `POST /{ver}/{story-id}/comments` with `message` (query, form or JSON body) answers `{"id"}` with
 * a comment id `{story-id}_{digits}`; `GET /{ver}/{story-id}/comments` lists them (`order`
 * `chronological` by default or `reverse_chronological`, `filter`, `limit`, `after`), and the ratings
 * edge shows them through the field expansion `open_graph_story{comments{…}}`;
 * `DELETE /{ver}/{comment-id}` answers `{"success":true}`. Assumption (not documented): a story
 * reached through Graph v22.0 or later answers error 12 like the ratings edge.
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
import {
  type GraphPath,
  graphAuth,
  graphError,
  graphFault,
  graphFields,
  graphPage,
  graphParams,
  graphPath,
  isResponse,
  selectFields,
  unknownObject,
} from './graph.js';

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

  /** The Page's comments on a story, in Graph's comment format, oldest first. */
  function commentsOf(rating: FacebookRating) {
    return rating.replies.map((reply) => ({
      id: reply.id,
      message: reply.text,
      created_time: withOffset(reply.createdAt, 'UTC', false),
      from: { name: PAGE.name, id: PAGE.id },
    }));
  }

  /** `withComments`: the request expanded `open_graph_story{comments…}` (Graph sends an edge only when asked, and omits an empty one). */
  function ratingJson(rating: FacebookRating, withComments = false) {
    const text = rating.text === null ? {} : { review_text: rating.text };
    const created = withOffset(rating.createdAt, 'UTC', false);
    const comments = withComments && rating.replies.length > 0 ? { comments: { data: commentsOf(rating) } } : {};
    return {
      id: rating.externalId,
      created_time: created,
      recommendation_type: rating.recommendation,
      ...text,
      reviewer: { name: rating.author, id: rating.reviewerId },
      has_rating: false,
      has_review: rating.text !== null,
      open_graph_story: { id: rating.externalId, start_time: created, type: 'sellers.rates', data: { recommendation_type: rating.recommendation, ...text }, ...comments },
    };
  }

  /** A story's comments edge, and a comment itself: the Page's replies. */
  function handleStory(request: ModuleRequest, path: GraphPath, rating: FacebookRating): ModuleResponse {
    if (path.major > LAST_VERSION_WITH_RATINGS) return graphError(400, 12, `(#12) This endpoint is deprecated for versions v22.0 and higher`);
    if (path.edge !== 'comments') {
      if (path.edge === null && request.method === 'GET') return json(200, selectFields(ratingJson(rating).open_graph_story, withId(graphFields(request, 'id'))));
      return unknownObject(path.id, request.method.toLowerCase());
    }
    if (request.method === 'POST') {
      const message = graphParams(request).get('message') ?? '';
      if (message.trim() === '') return graphError(400, 100, '(#100) Missing message or attachment');
      const reply = { id: `${rating.externalId}_${random.digits(16)}`, text: message, createdAt: context.advance(), author: PAGE.name };
      rating.replies.push(reply);
      store.changed();
      return json(200, { id: reply.id });
    }
    if (request.method !== 'GET') return unknownObject(path.id, request.method.toLowerCase());
    const order = request.query.get('order') ?? 'chronological';
    if (order !== 'chronological' && order !== 'reverse_chronological' && order !== 'ranked') {
      return graphError(400, 100, `(#100) Param order must be one of {chronological, reverse_chronological, ranked}`);
    }
    const filter = request.query.get('filter') ?? 'toplevel';
    if (filter !== 'toplevel' && filter !== 'stream') return graphError(400, 100, '(#100) Param filter must be one of {toplevel, stream}');
    const comments = commentsOf(rating);
    const page = graphPage(request, HOST, order === 'reverse_chronological' ? comments.reverse() : comments, DEFAULT_LIMIT);
    if (isResponse(page)) return page;
    const fields = graphFields(request, 'created_time,from,message,id');
    return json(200, { data: page.items.map((comment) => selectFields(comment, fields)), ...(page.paging && { paging: page.paging }) });
  }

  /** `DELETE` (or `GET`) of one of the Page's comments, by its `{story-id}_{digits}` id. */
  function handleComment(request: ModuleRequest, path: GraphPath, rating: FacebookRating, commentId: string): ModuleResponse {
    if (path.edge !== null) return graphError(400, 100, `(#100) Tried accessing nonexisting field (${path.edge}) on node type (Comment)`);
    const at = rating.replies.findIndex((reply) => reply.id === commentId);
    if (request.method === 'DELETE') {
      rating.replies.splice(at, 1);
      store.changed();
      return json(200, { success: true });
    }
    if (request.method !== 'GET') return unknownObject(commentId, request.method.toLowerCase());
    const comment = commentsOf(rating)[at];
    return json(200, selectFields(comment, withId(graphFields(request, 'created_time,from,message,id'))));
  }

  /** The rating whose story (or one of whose comments) a Graph id names. */
  function ratingOf(id: string): { rating: FacebookRating; commentId: string | null } | null {
    const story = store.get(id);
    if (story !== undefined) return { rating: story, commentId: null };
    const storyId = id.split('_')[0] ?? '';
    const rating = store.get(storyId);
    return rating !== undefined && rating.replies.some((reply) => reply.id === id) ? { rating, commentId: id } : null;
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const denied = graphAuth(request, FACEBOOK_PAGE_TOKEN);
    if (denied) return denied;
    const path = graphPath(request.path);
    if (path !== null && path.id !== PAGE.id) {
      const found = ratingOf(path.id);
      if (found === null) return unknownObject(path.id, request.method.toLowerCase());
      return found.commentId === null ? handleStory(request, path, found.rating) : handleComment(request, path, found.rating, found.commentId);
    }
    if (path === null) return unknownObject(request.path);
    if (request.method !== 'GET') return unknownObject(path.id, request.method.toLowerCase());
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
    const withComments = fields.get('open_graph_story')?.has('comments') ?? false;
    // A recommendation is no node: it has no `id` of its own to return.
    const data = page.items.map(({ rating }) => {
      const { id: _id, ...body } = ratingJson(rating, withComments);
      return selectFields(body, fields);
    });
    return json(200, { data, ...(page.paging && { paging: page.paging }) });
  }

  return {
    key: 'facebook',
    source: 'facebook',
    // Every Graph object no other module knows: unknown ids answer Graph's own error.
    claims: (request) => graphPath(request.path) !== null,
    methods: ['GET', 'POST', 'DELETE'],
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
      // The Page's comment on the story, signed with the Page's name.
      replies: { author: PAGE.name },
      replyId: (rating) => `${rating.externalId}_${random.digits(16)}`,
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
