import type { z } from 'zod';
import { ReviewkitError, redact, withoutQuotedValues } from './errors.js';
import { createReview, type Review, type ReviewInput, ReviewSchema } from './review.js';
import { isValidReview } from './review-check.js';

/**
 * A review item left out of a run: its raw form failed the adapter's `item` schema, its
 * `normalize` threw, or what `normalize` returned is not a valid review. Never holds the raw
 * payload or a secret.
 */
export interface SkippedItem {
  /** Page of the run it was on (1 = the first page read). */
  page: number;
  /** Position on that page (0-based). */
  index: number;
  /** The review's id on the source, when it could be read. */
  externalId: string | null;
  /** Which step refused it: the raw `item` schema, `normalize` (threw), or the returned `review`. */
  stage: 'item' | 'normalize' | 'review';
  /** Dotted path of the offending field (raw item fields for `item`, `Review` fields for `review`); empty when unknown. */
  path: string;
  /** What was wrong, secret-free and short. */
  reason: string;
}

/** What turning one page's items into reviews gave. */
export interface NormalizedItems {
  reviews: Review[];
  skipped: SkippedItem[];
}

/** How a page's items become reviews (all fixed per adapter). */
export interface ItemPipeline<Item, Ctx> {
  source: string;
  secrets: readonly string[];
  /** Validates one raw item; absent when the page schema already validated the items. */
  item?: z.ZodType<Item> | undefined;
  /** Reads the source's review id off a raw item, for skip reports. */
  itemId: (raw: unknown) => string | null;
  normalize: (item: Item, ctx: Ctx) => ReviewInput;
}

const MAX_REASON = 200;

/**
 * Validates and normalizes each item of a page on its own, so one bad review never costs the
 * others. Throws only when the page had items and not one of them was usable: that is a broken
 * page (or a broken adapter), not a bad review.
 */
export function normalizeItems<Item, Ctx>(pipeline: ItemPipeline<Item, Ctx>, items: readonly unknown[], page: number, ctx: Ctx): NormalizedItems {
  const reviews: Review[] = [];
  const skipped: SkippedItem[] = [];
  for (let index = 0; index < items.length; index++) {
    const raw = items[index];
    const outcome = normalizeOne(pipeline, raw, ctx);
    if ('review' in outcome) reviews.push(outcome.review);
    else skipped.push({ page, index, externalId: safeId(pipeline, raw, outcome.externalId), ...outcome.failure });
  }
  const first = skipped[0];
  if (first && reviews.length === 0) {
    throw new ReviewkitError({
      code: 'BAD_RESPONSE',
      source: pipeline.source,
      message: `${pipeline.source}: none of the ${items.length} reviews on page ${page} could be used; review #${first.index}: ${describeSkip(first)}. ${
        first.stage === 'item' ? 'The API may have changed; please report it.' : 'Fix the adapter’s normalize.'
      }`,
    });
  }
  return { reviews, skipped };
}

/** "subject.id is required (in what normalize returned)", "rating: Invalid input: expected number, received string". */
export function describeSkip(item: Pick<SkippedItem, 'stage' | 'path' | 'reason'>): string {
  const what = item.path === '' ? item.reason : item.reason === 'is required' ? `${item.path} is required` : `${item.path}: ${item.reason}`;
  const where = { item: 'in the raw review', normalize: 'thrown by normalize', review: 'in what normalize returned' }[item.stage];
  return `${what} (${where})`;
}

type Failure = Pick<SkippedItem, 'stage' | 'path' | 'reason'>;
type Outcome = { review: Review } | { failure: Failure; externalId?: string | null };

function normalizeOne<Item, Ctx>(pipeline: ItemPipeline<Item, Ctx>, raw: unknown, ctx: Ctx): Outcome {
  let item = raw as Item;
  if (pipeline.item) {
    const parsed = pipeline.item.safeParse(raw);
    if (!parsed.success) return { failure: fromZod('item', parsed.error, raw, pipeline.secrets) };
    item = parsed.data;
  }
  let input: ReviewInput;
  try {
    input = pipeline.normalize(item, ctx);
  } catch (error) {
    if (ReviewkitError.is(error) && error.code === 'ABORTED') throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { failure: { stage: 'normalize', path: '', reason: shorten(redact(withoutQuotedValues(message) || 'normalize threw', pipeline.secrets)) } };
  }
  if (typeof input !== 'object' || input === null) {
    return { failure: { stage: 'review', path: '', reason: `normalize must return an object, got ${input === null ? 'null' : typeof input}` } };
  }
  const review = createReview(pipeline.source, input);
  // The fast check accepts almost every review; the schema judges (and explains) the rest.
  if (isValidReview(review)) return { review: detached(review) };
  const checked = ReviewSchema.safeParse(review);
  if (!checked.success) {
    const externalId = typeof input.externalId === 'string' && input.externalId !== '' ? input.externalId : null;
    return { failure: fromZod('review', checked.error, review, pipeline.secrets), externalId };
  }
  return { review: checked.data };
}

/**
 * The review with its own rating and replies, as a schema parse would have returned it: no part of
 * a review is shared with the adapter's objects or another review. (`extra` is the adapter's, as with the schema.)
 */
function detached(review: Review): Review {
  if (review.rating) review.rating = { value: review.rating.value, min: review.rating.min, max: review.rating.max };
  if (review.replies.length > 0) review.replies = review.replies.map((reply) => ({ text: reply.text, createdAt: reply.createdAt, author: reply.author }));
  return review;
}

function fromZod(stage: 'item' | 'review', error: z.ZodError, value: unknown, secrets: readonly string[]): Failure {
  const issue = error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  const isMissing = issue?.code === 'invalid_type' && valueAt(value, issue.path) === undefined;
  const reason = isMissing ? 'is required' : (issue?.message ?? 'invalid');
  return { stage, path, reason: shorten(redact(reason, secrets)) };
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function safeId<Item, Ctx>(pipeline: ItemPipeline<Item, Ctx>, raw: unknown, fromReview: string | null | undefined): string | null {
  try {
    const id = fromReview ?? pipeline.itemId(raw);
    return typeof id === 'string' && id !== '' ? shorten(redact(id, pipeline.secrets)) : null;
  } catch {
    return null;
  }
}

/** The common case: an `id` field holding a string or a number. */
export function defaultItemId(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? String(id) : null;
}

function shorten(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text;
}
