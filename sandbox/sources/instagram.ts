/**
 * Instagram Graph API, the professional account's mentions (apis.md §11; the adapter and its
 * fixtures): `GET /{ver}/{ig-user-id}` (the account), `/{ig-user-id}/media` (its posts, newest
 * first), `/{ig-media-id}/comments` (top-level comments, newest first, with the `replies` field
 * expansion) and `/{ig-user-id}/tags` (others' media tagging the account), each with Graph's
 * `fields`, cursor paging and `paging.next`. Timestamps as `2017-08-31T18:10:30+0000`. The
 * account's own replies are a comment's owner replies; the account's own top-level comments are
 * served but are no mentions (the adapter leaves them out, and the sandbox does not hold them as
 * reviews). Errors and throttling: Graph's (`graph.ts`), with Instagram's code 80002.
 *
 * The account answers a comment (apis.md §11.5, §12.3): `POST /{ver}/{ig-comment-id}/replies` with
 * `message` (query, form or JSON body) answers `{"id"}`; a reply to a reply lands on its top-level
 * comment, as Instagram documents; `GET /{ig-comment-id}/replies` lists the replies (oldest first),
 * `DELETE /{ver}/{reply-id}` answers `{"success":true}`. A tagging media is no comment: it has no
 * `replies` edge, so answering it gets Graph's unknown-object error.
 */
import type { InstagramOptions } from '../../adapters/instagram.js';
import { MEDIA_CAPTIONS, OWNER_POSTS } from '../corpus.js';
import { generateFacts, handle as handleOf, handleOfName } from '../data.js';
import { days, withOffset } from '../dates.js';
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
import { countOf, storeMethods } from './common.js';
import { type GraphPath, graphAuth, graphError, graphFault, graphFields, graphPage, graphParams, graphPath, isResponse, selectFields, unknownObject } from './graph.js';

/** The sandbox's Instagram access token (Facebook Login). */
export const INSTAGRAM_ACCESS_TOKEN = 'EAAIgSandboxUserTokenForInstagram0123456789abcdefXYZ';
const ACCOUNT = { id: '17841400000000042', username: 'sandboxbistro', name: 'Sandbox Bistro' };
/** Options of the adapter reading this sandboxed API (add `baseUrl`). */
export const INSTAGRAM_OPTIONS = { accessToken: INSTAGRAM_ACCESS_TOKEN, userId: ACCOUNT.id } satisfies InstagramOptions;
const HOSTS = { facebook: 'https://graph.facebook.com', instagram: 'https://graph.instagram.com' };
const DEFAULT_LIMIT = 25;
/** Comment and reply ids: `1795` and thirteen digits. */
const REPLY_ID = /^1795\d{13}$/;
const THROTTLES = [
  { code: 4, status: 403, message: '(#4) Application request limit reached' },
  { code: 80002, status: 400, message: 'There have been too many calls to this Instagram account. Wait a bit and try again.' },
] as const;

interface Media {
  id: string;
  caption: string;
  timestamp: Date;
  shortcode: string;
  productType: 'FEED' | 'REELS';
  likes: number;
}

interface OwnerComment {
  id: string;
  mediaId: string;
  text: string;
  timestamp: Date;
}

interface IgMention extends StoredReview {
  kind: 'comment' | 'tag';
  /** The commented media (comments). */
  mediaId: string | null;
  fromId: string;
  /** The tagging media's link (tags). */
  shortcode: string;
  commentsCount: number;
}

/** The Instagram module. */
export function instagramModule(context: ModuleContext): SourceModule {
  const { random, anchor } = context;
  const media: Media[] = MEDIA_CAPTIONS.map((caption, index) => ({
    id: `1790000${random.digits(10)}`,
    caption,
    timestamp: new Date(anchor.getTime() - days(index * 40 + random.int(1, 30))),
    shortcode: random.chars(11, 'url-safe'),
    productType: caption.includes('🎥') ? 'REELS' : 'FEED',
    likes: random.int(20, 400),
  }));
  const total = countOf(context, 28);
  const tagCount = Math.round(total * 0.2);
  const commentFacts = generateFacts(random, { topic: 'mention', count: total - tagCount, spanDays: 330, anchor, replyRate: 0.4 });
  const tagFacts = generateFacts(random, { topic: 'mention', count: tagCount, spanDays: 330, anchor });
  const mentions: IgMention[] = [];
  for (const f of commentFacts) {
    // A comment sits under the latest media posted before it.
    const under = media.find((m) => m.timestamp.getTime() < f.createdAt.getTime()) ?? (media[media.length - 1] as Media);
    const createdAt = f.createdAt.getTime() > under.timestamp.getTime() ? f.createdAt : new Date(under.timestamp.getTime() + days(1));
    const username = handleOf(random, f.person, '.');
    mentions.push({
      externalId: `1795${random.digits(13)}`,
      kind: 'comment',
      mediaId: under.id,
      fromId: `1784${random.digits(13)}`,
      shortcode: '',
      commentsCount: 0,
      author: username,
      stars: null,
      recommendation: null,
      title: null,
      text: f.text,
      language: f.language,
      createdAt,
      updatedAt: null,
      replies:
        f.reply && f.reply.createdAt.getTime() > createdAt.getTime()
          ? [{ id: `1795${random.digits(13)}`, text: f.reply.text, createdAt: f.reply.createdAt, author: ACCOUNT.username }]
          : [],
      helpfulVotes: f.helpfulVotes,
    });
  }
  for (const f of tagFacts) {
    mentions.push({
      externalId: `1791${random.digits(13)}`,
      kind: 'tag',
      mediaId: null,
      fromId: `1784${random.digits(13)}`,
      shortcode: random.chars(11, 'url-safe'),
      commentsCount: random.int(0, 12),
      author: handleOf(random, f.person, '.'),
      stars: null,
      recommendation: null,
      title: null,
      text: f.text,
      language: f.language,
      createdAt: f.createdAt,
      updatedAt: null,
      replies: [],
      helpfulVotes: random.int(5, 300),
    });
  }
  const store = new ReviewStore<IgMention>('instagram', mentions);
  // The account also comments under its own posts: served, but no mention.
  const ownerComments: OwnerComment[] = media.slice(0, 3).map((m, index) => ({
    id: `1795${random.digits(13)}`,
    mediaId: m.id,
    text: OWNER_POSTS[index % OWNER_POSTS.length] as string,
    timestamp: new Date(m.timestamp.getTime() + 60_000),
  }));
  const order = () => store.sorted('newest', newestFirst);
  const stamp = (date: Date) => withOffset(date, 'UTC', false);
  const permalink = (shortcode: string) => `https://www.instagram.com/p/${shortcode}/`;
  const commentsOf = (mediaId: string) => [
    ...order()
      .filter((r) => r.kind === 'comment' && r.mediaId === mediaId)
      .map((r) => ({ id: r.externalId, json: commentJson(r), at: r.createdAt })),
    ...ownerComments.filter((c) => c.mediaId === mediaId).map((c) => ({ id: c.id, json: ownerCommentJson(c), at: c.timestamp })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? -1 : 1));

  function replyJson(comment: IgMention, reply: IgMention['replies'][number]) {
    return {
      id: reply.id,
      text: reply.text,
      timestamp: stamp(reply.createdAt),
      from: { id: ACCOUNT.id, username: ACCOUNT.username },
      username: ACCOUNT.username,
      parent_id: comment.externalId,
      like_count: 0,
      hidden: false,
    };
  }

  function commentJson(comment: IgMention) {
    return {
      id: comment.externalId,
      text: comment.text ?? '',
      timestamp: stamp(comment.createdAt),
      from: { id: comment.fromId, username: comment.author },
      username: comment.author,
      like_count: comment.helpfulVotes ?? 0,
      hidden: false,
      ...(comment.replies.length > 0 && { replies: { data: comment.replies.map((reply) => replyJson(comment, reply)) } }),
    };
  }

  /** The comment a Graph id names, as a top-level comment or as one of the account's replies to it. */
  function commentOf(id: string): { comment: IgMention; replyId: string | null } | null {
    const direct = store.get(id);
    if (direct !== undefined) return direct.kind === 'comment' ? { comment: direct, replyId: null } : null;
    // Every Graph path passes here first (Facebook's too): only ids shaped like the account's replies are looked for.
    if (!REPLY_ID.test(id)) return null;
    const parent = store.all().find((r) => r.kind === 'comment' && r.replies.some((reply) => reply.id === id));
    return parent === undefined ? null : { comment: parent, replyId: id };
  }

  /** A comment's `replies` edge (read and write), a reply itself, and deleting a reply. */
  function handleComment(request: ModuleRequest, path: GraphPath, comment: IgMention, replyId: string | null): ModuleResponse {
    const host = request.headers.host?.startsWith('graph.instagram.com') ? HOSTS.instagram : HOSTS.facebook;
    if (path.edge === 'replies') {
      if (request.method === 'POST') {
        const message = graphParams(request).get('message') ?? '';
        if (message.trim() === '') return graphError(400, 100, '(#100) The parameter message is required');
        // "Replies to a reply will be added to the top-level comment."
        const reply = { id: `1795${random.digits(13)}`, text: message, createdAt: context.advance(), author: ACCOUNT.username };
        comment.replies.push(reply);
        store.changed();
        return json(200, { id: reply.id });
      }
      if (request.method !== 'GET') return unknownObject(path.id, request.method.toLowerCase());
      if (replyId !== null) return json(200, { data: [] });
      const page = graphPage(request, host, comment.replies.map((reply) => replyJson(comment, reply)), DEFAULT_LIMIT);
      if (isResponse(page)) return page;
      const fields = graphFields(request, 'timestamp,text,id');
      return json(200, { data: page.items.map((item) => selectFields(item, fields)), ...(page.paging && { paging: page.paging }) });
    }
    if (path.edge !== null) return graphError(400, 100, `(#100) Tried accessing nonexisting field (${path.edge}) on node type (IGComment)`);
    if (request.method === 'DELETE') {
      // Deleting a comment under the account's media would remove a mention: the sandbox deletes the account's replies only.
      if (replyId === null) return graphError(400, 100, '(#100) The sandbox deletes only the account\'s own replies');
      comment.replies = comment.replies.filter((reply) => reply.id !== replyId);
      store.changed();
      return json(200, { success: true });
    }
    if (request.method !== 'GET') return unknownObject(path.id, request.method.toLowerCase());
    const reply = comment.replies.find((r) => r.id === replyId);
    const body = reply === undefined ? commentJson(comment) : replyJson(comment, reply);
    return json(200, selectFields(body, new Map([...graphFields(request, 'timestamp,text,id'), ['id', null]])));
  }

  function ownerCommentJson(comment: OwnerComment) {
    return {
      id: comment.id,
      text: comment.text,
      timestamp: stamp(comment.timestamp),
      from: { id: ACCOUNT.id, username: ACCOUNT.username },
      username: ACCOUNT.username,
      like_count: 0,
      hidden: false,
    };
  }

  function mediaJson(m: Media) {
    return {
      id: m.id,
      caption: m.caption,
      timestamp: stamp(m.timestamp),
      permalink: m.productType === 'REELS' ? `https://www.instagram.com/reel/${m.shortcode}/` : permalink(m.shortcode),
      comments_count: commentsOf(m.id).length,
      like_count: m.likes,
      media_product_type: m.productType,
      media_type: m.productType === 'REELS' ? 'VIDEO' : 'IMAGE',
      username: ACCOUNT.username,
    };
  }

  function tagJson(tag: IgMention) {
    return {
      id: tag.externalId,
      caption: tag.text ?? '',
      timestamp: stamp(tag.createdAt),
      permalink: permalink(tag.shortcode),
      username: tag.author,
      media_type: 'IMAGE',
      comments_count: tag.commentsCount,
      like_count: tag.helpfulVotes ?? 0,
    };
  }

  function handle(request: ModuleRequest): ModuleResponse {
    const denied = graphAuth(request, INSTAGRAM_ACCESS_TOKEN);
    if (denied) return denied;
    const path = graphPath(request.path);
    if (path === null) return graphError(400, 100, 'Unknown path');
    const answered = commentOf(path.id);
    if (answered !== null) return handleComment(request, path, answered.comment, answered.replyId);
    const tag = store.get(path.id);
    if (tag !== undefined) {
      // Another account's media: readable, but it has no edge to answer on ("Commenting on photos in which you were tagged is not supported").
      if (request.method === 'GET' && path.edge === null) return json(200, selectFields(tagJson(tag), new Map([...graphFields(request, 'id'), ['id', null]])));
      return unknownObject(path.id, request.method.toLowerCase());
    }
    if (request.method !== 'GET') return unknownObject(path.id, request.method.toLowerCase());
    const host = request.headers.host?.startsWith('graph.instagram.com') ? HOSTS.instagram : HOSTS.facebook;
    const respondWithPage = <T extends { id: string }>(items: T[], toJson: (item: T) => unknown, defaults: string) => {
      const page = graphPage(request, host, items, DEFAULT_LIMIT);
      if (isResponse(page)) return page;
      const fields = graphFields(request, defaults);
      return json(200, { data: page.items.map((item) => selectFields(toJson(item), fields)), ...(page.paging && { paging: page.paging }) });
    };
    if (path.id === ACCOUNT.id) {
      if (path.edge === null) return json(200, selectFields({ ...ACCOUNT, media_count: media.length }, new Map([...graphFields(request, 'id'), ['id', null]])));
      if (path.edge === 'media') return respondWithPage(media, mediaJson, 'id');
      if (path.edge === 'tags') return respondWithPage([...order().filter((r) => r.kind === 'tag')].map((t) => ({ id: t.externalId, tag: t })), ({ tag }) => tagJson(tag), 'id');
      return graphError(400, 100, `(#100) Tried accessing nonexisting field (${path.edge}) on node type (IGUser)`);
    }
    const target = media.find((m) => m.id === path.id);
    if (target === undefined) return graphError(400, 100, `Unsupported get request. Object with ID '${path.id}' does not exist`, { type: 'GraphMethodException', subcode: 33 });
    if (path.edge === null) return json(200, selectFields(mediaJson(target), new Map([...graphFields(request, 'id'), ['id', null]])));
    if (path.edge !== 'comments') return graphError(400, 100, `(#100) Tried accessing nonexisting field (${path.edge}) on node type (IGMedia)`);
    return respondWithPage(commentsOf(target.id), (c) => c.json, 'timestamp,text,id');
  }

  return {
    key: 'instagram',
    source: 'instagram',
    claims: (request) => {
      const path = graphPath(request.path);
      return path !== null && (path.id === ACCOUNT.id || media.some((m) => m.id === path.id) || store.get(path.id) !== undefined || commentOf(path.id) !== null);
    },
    methods: ['GET', 'POST', 'DELETE'],
    handle,
    fault: (kind: SandboxFault, _request, faultContext: FaultContext) => graphFault(kind, faultContext, ACCOUNT.id, 'instagram', THROTTLES),
    ...storeMethods({
      key: 'instagram',
      store,
      random,
      order,
      listed: () => new Set(store.all().map((r) => r.externalId)),
      hasStars: false,
      hasEditTime: false,
      replies: { author: ACCOUNT.username },
      replyId: () => `1795${random.digits(13)}`,
      // "Commenting on photos in which you were tagged is not supported."
      canReply: (review) => review.kind === 'comment',
      // A new comment goes under the newest post.
      create: (input): IgMention => ({
        externalId: `1795${random.digits(13)}`,
        kind: 'comment',
        mediaId: (media[0] as Media).id,
        fromId: `1784${random.digits(13)}`,
        shortcode: '',
        commentsCount: 0,
        author: handleOfName(input.authorName, '.'),
        stars: null,
        recommendation: null,
        title: null,
        text: input.text,
        language: input.language,
        createdAt: input.createdAt,
        updatedAt: null,
        replies: [],
        helpfulVotes: 0,
      }),
    }),
  };
}
