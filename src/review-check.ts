import type { Review } from './review.js';

/**
 * A fast, allocation-free check that `value` is a valid {@link Review}: what `ReviewSchema`
 * accepts, and possibly less (never more). The engine runs it on every review; only a review it
 * refuses goes through `ReviewSchema.safeParse`, whose verdict and message then decide. So it may
 * be stricter than the schema but must never accept what the schema refuses: a property test
 * holds the two together.
 */
export function isValidReview(value: unknown): value is Review {
  if (!isRecord(value) || !hasExactKeys(value, REVIEW_KEYS)) return false;
  const r = value as Record<string, unknown>;
  return (
    isNonEmptyString(r.id) &&
    isNonEmptyString(r.source) &&
    isNonEmptyString(r.externalId) &&
    isSubject(r.subject) &&
    isNullableString(r.url) &&
    isAuthor(r.author) &&
    isRating(r.rating) &&
    (r.stars === null || (isFiniteNumber(r.stars) && r.stars >= 1 && r.stars <= 5)) &&
    (r.recommendation === null || r.recommendation === 'positive' || r.recommendation === 'negative') &&
    (r.polarity === null || r.polarity === 'positive' || r.polarity === 'neutral' || r.polarity === 'negative') &&
    isNullableString(r.title) &&
    isNullableString(r.text) &&
    isNullableString(r.language) &&
    isNullableDate(r.createdAt) &&
    isNullableDate(r.updatedAt) &&
    (r.datePrecision === null ||
      r.datePrecision === 'instant' ||
      r.datePrecision === 'day' ||
      r.datePrecision === 'month' ||
      r.datePrecision === 'relative') &&
    isReplies(r.replies) &&
    (r.helpfulVotes === null || (Number.isSafeInteger(r.helpfulVotes) && (r.helpfulVotes as number) >= 0)) &&
    isPlainRecord(r.extra)
  );
}

const REVIEW_KEYS = [
  'id',
  'source',
  'externalId',
  'subject',
  'url',
  'author',
  'rating',
  'stars',
  'recommendation',
  'polarity',
  'title',
  'text',
  'language',
  'createdAt',
  'updatedAt',
  'datePrecision',
  'replies',
  'helpfulVotes',
  'extra',
] as const;
const SUBJECT_KEYS = ['id', 'name'] as const;
const AUTHOR_KEYS = ['name', 'id', 'url', 'avatarUrl'] as const;
const RATING_KEYS = ['value', 'min', 'max'] as const;
const REPLY_KEYS = ['text', 'createdAt', 'author'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Plain (or null-prototype) object whose enumerable keys, inherited ones included, are exactly
 * `keys`. `Object.keys` of an object built with the keys in order (as `createReview` builds
 * them) comes from V8's enum cache and compares in a few pointer checks: several times faster
 * than a `for…in` with an own-property test per key, which was the largest item of the check.
 */
function hasExactKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const own = Object.keys(value);
  if (own.length !== keys.length) return false;
  let inOrder = true;
  for (let i = 0; i < own.length; i++) {
    if (own[i] !== keys[i]) {
      inOrder = false;
      break;
    }
  }
  // Another order: the same length and every key an expected one (own keys are distinct).
  if (!inOrder) for (const key of own) if (!keys.includes(key)) return false;
  // An enumerable key added to Object.prototype would be read as one of the object's own.
  if (proto !== null) for (const _ in proto as object) return false;
  return true;
}

function isPlainRecord(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function isNullableString(value: unknown): boolean {
  return value === null || typeof value === 'string';
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isNullableDate(value: unknown): boolean {
  return value === null || (value instanceof Date && Object.getPrototypeOf(value) === Date.prototype && !Number.isNaN(value.getTime()));
}

function isSubject(value: unknown): boolean {
  return isRecord(value) && hasExactKeys(value, SUBJECT_KEYS) && typeof value.id === 'string' && isNullableString(value.name);
}

function isAuthor(value: unknown): boolean {
  return (
    isRecord(value) &&
    hasExactKeys(value, AUTHOR_KEYS) &&
    isNullableString(value.name) &&
    isNullableString(value.id) &&
    isNullableString(value.url) &&
    isNullableString(value.avatarUrl)
  );
}

function isRating(value: unknown): boolean {
  if (value === null) return true;
  if (!isRecord(value) || !hasExactKeys(value, RATING_KEYS)) return false;
  const { value: v, min, max } = value;
  return isFiniteNumber(v) && isFiniteNumber(min) && isFiniteNumber(max) && max > min && v >= min && v <= max;
}

function isReplies(value: unknown): boolean {
  if (!Array.isArray(value) || Object.getPrototypeOf(value) !== Array.prototype) return false;
  for (let i = 0; i < value.length; i++) {
    if (!(i in value)) return false;
    const reply: unknown = value[i];
    if (!isRecord(reply) || !hasExactKeys(reply, REPLY_KEYS)) return false;
    if (typeof reply.text !== 'string' || !isNullableDate(reply.createdAt) || !isNullableString(reply.author)) return false;
  }
  return true;
}
