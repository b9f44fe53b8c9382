import { z } from 'zod';

/** A business's public response to a review. */
export const ReplySchema = z.strictObject({
  text: z.string(),
  createdAt: z.date().nullable(),
  author: z.string().nullable(),
});

/** A rating as the source gives it, on the source's own scale. */
export const RatingSchema = z
  .strictObject({ value: z.number().finite(), min: z.number().finite(), max: z.number().finite() })
  .refine((r) => r.max > r.min && r.value >= r.min && r.value <= r.max, {
    message: 'rating.value must lie within [min, max] and max must exceed min',
  });

/**
 * One normalized review, validated by every adapter before it reaches you.
 * See the README's "Review model" table for the meaning of each field.
 */
export const ReviewSchema = z.strictObject({
  id: z.string().min(1),
  source: z.string().min(1),
  externalId: z.string().min(1),
  subject: z.strictObject({ id: z.string(), name: z.string().nullable() }),
  url: z.string().nullable(),
  author: z.strictObject({
    name: z.string().nullable(),
    id: z.string().nullable(),
    url: z.string().nullable(),
    avatarUrl: z.string().nullable(),
  }),
  rating: RatingSchema.nullable(),
  stars: z.number().min(1).max(5).nullable(),
  recommendation: z.enum(['positive', 'negative']).nullable(),
  polarity: z.enum(['positive', 'neutral', 'negative']).nullable(),
  title: z.string().nullable(),
  text: z.string().nullable(),
  language: z.string().nullable(),
  createdAt: z.date().nullable(),
  updatedAt: z.date().nullable(),
  datePrecision: z.enum(['instant', 'day', 'month', 'relative']).nullable(),
  replies: z.array(ReplySchema),
  helpfulVotes: z.number().int().nonnegative().nullable(),
  // A plain-object check rather than z.record: same guarantee, half the cost per review.
  extra: z.custom<Record<string, unknown>>(isPlainObject, 'extra must be a plain object'),
});

function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** One normalized review. */
export type Review = z.infer<typeof ReviewSchema>;
/** A business's public response to a review. */
export type Reply = z.infer<typeof ReplySchema>;
/** A rating on the source's own scale. */
export type Rating = z.infer<typeof RatingSchema>;
/** How exact `createdAt` is. */
export type DatePrecision = NonNullable<Review['datePrecision']>;
/** Yes/no verdict from recommendation-style sources. */
export type Recommendation = NonNullable<Review['recommendation']>;
/** Positive / neutral / negative. */
export type Polarity = NonNullable<Review['polarity']>;

/**
 * What an adapter's `normalize` returns: the source-specific facts. `id`, `source`,
 * `stars` and `polarity` are derived by reviewkit; everything optional defaults to null
 * (or `[]` / `{}`), and `datePrecision` defaults to `'instant'` when `createdAt` is set.
 */
export interface ReviewInput {
  externalId: string;
  subject: { id: string; name?: string | null };
  url?: string | null;
  author?: Partial<Review['author']> | null;
  rating?: Rating | null;
  recommendation?: Recommendation | null;
  /** Set only when a sentiment step (not a rating) decided it; otherwise derived. */
  polarity?: Polarity | null;
  title?: string | null;
  text?: string | null;
  language?: string | null;
  createdAt: Date | null;
  updatedAt?: Date | null;
  datePrecision?: DatePrecision | null;
  replies?: Reply[];
  helpfulVotes?: number | null;
  extra?: Record<string, unknown>;
}

/**
 * Maps a rating on any scale onto 1–5 stars: `1 + 4 * (value - min) / (max - min)`.
 * @example toStars({ value: 8, min: 1, max: 10 }) // 4.111…
 */
export function toStars(rating: Rating | null | undefined): number | null {
  if (!rating) return null;
  return 1 + (4 * (rating.value - rating.min)) / (rating.max - rating.min);
}

/**
 * Polarity from stars (≥ 4 positive, ≤ 2 negative, anything between neutral), else from
 * a recommendation, else null.
 */
export function polarityOf(stars: number | null, recommendation: Recommendation | null): Polarity | null {
  if (stars !== null) {
    if (stars >= 4) return 'positive';
    if (stars <= 2) return 'negative';
    return 'neutral';
  }
  return recommendation;
}

/**
 * Builds a full {@link Review} from an adapter's {@link ReviewInput} (not yet validated). Missing
 * nested objects are tolerated here so that validation, not a `TypeError`, names the field.
 */
export function createReview(source: string, input: ReviewInput): Review {
  const rating = input.rating ?? null;
  const stars = toStars(rating);
  const recommendation = input.recommendation ?? null;
  const createdAt = input.createdAt;
  return {
    id: `${source}:${input.externalId}`,
    source,
    externalId: input.externalId,
    subject: { id: input.subject?.id, name: input.subject?.name ?? null },
    url: input.url ?? null,
    author: {
      name: input.author?.name ?? null,
      id: input.author?.id ?? null,
      url: input.author?.url ?? null,
      avatarUrl: input.author?.avatarUrl ?? null,
    },
    rating,
    stars,
    recommendation,
    polarity: stars === null && recommendation === null ? (input.polarity ?? null) : polarityOf(stars, recommendation),
    title: input.title ?? null,
    text: input.text ?? null,
    language: input.language ?? null,
    createdAt,
    updatedAt: input.updatedAt ?? null,
    datePrecision: createdAt === null ? null : (input.datePrecision ?? 'instant'),
    replies: input.replies ?? [],
    helpfulVotes: input.helpfulVotes ?? null,
    extra: input.extra ?? {},
  };
}
