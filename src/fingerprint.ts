import { createHash } from 'node:crypto';
import type { Review } from './review.js';

/**
 * The fields whose change makes a stored review count as edited (`updated` in `sync`, an
 * `updated` event in `watch`): what a reader of the review can see change. Everything else —
 * `helpfulVotes`, `url`, `author`, `extra`, the source's own `updatedAt`, a `polarity` estimated
 * by sentiment — is refreshed in the store without counting as an edit.
 */
export const FINGERPRINT_FIELDS = ['title', 'text', 'rating', 'recommendation', 'replies'] as const;

/**
 * A digest of a review's visible content ({@link FINGERPRINT_FIELDS}): the title, the text, the
 * rating (value and scale), the recommendation, and every reply (text, date, author). Two
 * versions of a review with the same fingerprint read the same; a new reply, an edited text or a
 * changed rating gives a new fingerprint. 22 characters of base64url (132 bits of SHA-256).
 *
 * @example
 * reviewFingerprint(stored) === reviewFingerprint(fetched) // false: it was edited
 */
export function reviewFingerprint(review: Review): string {
  const rating = review.rating === null ? null : [review.rating.value, review.rating.min, review.rating.max];
  const replies = review.replies.map((reply) => [reply.text, reply.createdAt === null ? null : reply.createdAt.getTime(), reply.author]);
  const visible = [review.title, review.text, rating, review.recommendation, replies];
  return createHash('sha256').update(JSON.stringify(visible)).digest('base64url').slice(0, 22);
}
