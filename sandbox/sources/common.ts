/**
 * What the source modules share: their reviews as the public view, and edits and replies applied
 * to the store the same way everywhere. Each module says what its format carries (stars, an edit
 * time, owner replies); a change its format cannot show is refused rather than silently dropped.
 */
import {
  type ModuleContext,
  type ResolvedEdit,
  type ResolvedNewReview,
  type ReviewStore,
  type StoredReview,
  type SourceModule,
  unsupported,
  viewOf,
} from '../module.js';
import type { Random } from '../random.js';
import type { SandboxReview, SandboxSource } from '../types.js';

/**
 * The facts every source stores for a review a caller adds, read from the resolved input: the
 * source adds its ids and own fields around them. `helpfulVotes` is 0 where the source counts
 * votes, null where it has none; `title` null where its format has none.
 */
export function addedFields(
  input: ResolvedNewReview,
  format: { helpfulVotes: 0 | null; hasTitle?: boolean; hasRecommendation?: boolean },
): Omit<StoredReview, 'externalId'> {
  return {
    author: input.authorName,
    stars: input.stars,
    recommendation: format.hasRecommendation ? input.recommendation : null,
    title: format.hasTitle === false ? null : input.title,
    text: input.text,
    language: input.language,
    createdAt: input.createdAt,
    updatedAt: null,
    replies: [],
    helpfulVotes: format.helpfulVotes,
  };
}

/** What a module tells {@link storeMethods} about its format. */
export interface StoreParts<R extends StoredReview> {
  key: SandboxSource;
  store: ReviewStore<R>;
  random: Random;
  /** Reviews in the API's own order. */
  order(): readonly R[];
  /** Ids the API lists now (the rest lie beyond a cap or a time window). */
  listed(): ReadonlySet<string>;
  /** A stored review from a new one (ids and the source's own fields decided here). */
  create(input: ResolvedNewReview): R;
  /** Whether the format shows stars (else `stars` edits are ignored). */
  hasStars: boolean;
  /** Whether the format carries an edit time (else an edit changes the content only). */
  hasEditTime: boolean;
  /** Owner replies as the source shows them (who signs them), or false when it shows none (`setReply` is refused). */
  replies: false | { author: string | null };
  /** Whether this review can be answered (Instagram tags cannot). Default: yes. */
  canReply?(review: R): boolean;
  /** A new reply's id in the source's format (Graph comments: `{object-id}_{digits}`). Default: nine digits. */
  replyId?(review: R): string;
  /** Called after an edit was applied (a source that gives an edited review a new id, say). */
  afterEdit?(review: R, edit: ResolvedEdit): void;
}

/** The review-store half of a {@link SourceModule}: listing, adding, editing and replying. */
export function storeMethods<R extends StoredReview>(parts: StoreParts<R>): Pick<SourceModule, 'reviews' | 'add' | 'edit' | 'setReply'> {
  const { key, store } = parts;
  const view = (review: R) => viewOf(key, review, parts.listed().has(review.externalId));
  return {
    reviews: () => {
      const listed = parts.listed();
      return parts.order().map((review) => viewOf(key, review, listed.has(review.externalId)));
    },
    add(input) {
      const review = parts.create(input);
      store.add(review);
      return view(review);
    },
    edit(externalId, edit) {
      const review = store.require(externalId);
      if (edit.text !== undefined) review.text = edit.text;
      if (edit.title !== undefined) review.title = edit.title;
      if (edit.stars !== undefined && parts.hasStars) review.stars = edit.stars;
      if (parts.hasEditTime) review.updatedAt = edit.updatedAt;
      parts.afterEdit?.(review, edit);
      store.changed();
      return view(review);
    },
    setReply(externalId, reply) {
      const review = store.require(externalId);
      if (parts.replies === false) throw unsupported(key, 'shows no owner replies');
      if (parts.canReply?.(review) === false) throw unsupported(key, `review ${JSON.stringify(externalId)} cannot be answered`);
      review.replies = reply === null ? [] : [{ id: parts.replyId?.(review) ?? parts.random.digits(9), text: reply.text, createdAt: reply.createdAt, author: parts.replies.author }];
      store.changed();
      return view(review);
    },
  };
}

/** The module's review count: the caller's, else its default. */
export const countOf = (context: ModuleContext, fallback: number): number => context.count ?? fallback;

/** The mean of the stars held, or null without any. */
export function averageStars(reviews: readonly StoredReview[]): number | null {
  const rated = reviews.filter((r) => r.stars !== null);
  if (rated.length === 0) return null;
  return rated.reduce((sum, r) => sum + (r.stars ?? 0), 0) / rated.length;
}

/** Rounded to one decimal (Google, Facebook, Trustpilot figures). */
export const oneDecimal = (value: number): number => Math.round(value * 10) / 10;
/** Rounded to the nearest half (Yelp, Tripadvisor figures). */
export const toHalf = (value: number): number => Math.round(value * 2) / 2;

/** `[n1, n2, n3, n4, n5]`: how many reviews gave each star. */
export function starCounts(reviews: readonly StoredReview[]): [number, number, number, number, number] {
  const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  for (const review of reviews) if (review.stars !== null) counts[review.stars - 1] = (counts[review.stars - 1] ?? 0) + 1;
  return counts;
}

/** The first name of a display name (`Olivia C.` → `Olivia`), for replies that address the reviewer. */
export const firstNameOf = (name: string | null): string => name?.split(/\s+/)[0] ?? 'there';

/** The ids of the first `count` reviews of an order. */
export const firstIds = (reviews: readonly StoredReview[], count: number): Set<string> => new Set(reviews.slice(0, count).map((r) => r.externalId));

/** Escapes `&`, `<` and `>` as HTML entities (X's texts, HTML-bearing fields). */
export const escapeHtml = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
