import { z } from 'zod';
import { parseDate } from '../dates.js';
import { ReplySchema, type Review, ReviewSchema } from '../review.js';

// What `Date.prototype.toISOString` (so `JSON.stringify`) writes, years outside 0000–9999 included
// (`+275760-09-13T00:00:00.000Z`). `parseDate` reads other ISO forms (offsets, no fraction) but
// only four-digit years from 0100 on.
const CANONICAL = /^(?:\d{4}|[+-]\d{6})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?$/;

/**
 * An instant as JSON carries it: an ISO 8601 string with `Z` or an offset (what
 * `JSON.stringify(date)` writes), parsed into a `Date`. A local time without an offset is refused
 * rather than read in the machine's zone.
 */
const instantSchema = z.string().transform((value, ctx) => {
  const date = readInstant(value);
  if (typeof date === 'string') {
    ctx.issues.push({ code: 'custom', input: value, message: date });
    return z.NEVER;
  }
  return date;
});

/** The Date, or why the value is not one. */
function readInstant(value: string): Date | string {
  const text = value.trim();
  if (CANONICAL.test(text)) {
    const date = new Date(Date.parse(text));
    // Date.parse rolls "2024-02-30" (and "T24:00") over into the next day: the day must match.
    const dayAt = text.length - 16;
    if (date.getUTCDate() === Number(text.slice(dayAt, dayAt + 2))) return date;
  }
  if (LOCAL_TIME.test(text)) return 'has no UTC offset: write an instant (2024-05-01T10:00:00Z or …+02:00)';
  try {
    return parseDate(text);
  } catch (error) {
    return error instanceof RangeError && error.message.startsWith('Not a real date') ? 'not a real date' : 'not an ISO 8601 date';
  }
}

/**
 * zod schema of a {@link Review} as JSON carries it — `createdAt`, `updatedAt` and each reply's
 * `createdAt` as ISO 8601 strings — parsing to exactly a `Review`. It is {@link ReviewSchema}
 * with those three date fields read from ISO strings (`ReviewSchema.extend`), so every other rule
 * is `ReviewSchema`'s own. Use it to read reviews you stored as JSON yourself;
 * `parseReviews`, `readReviews` and `streamReviewFile` use it for NDJSON, JSON and CSV.
 *
 * @example
 * const review = ReviewJsonSchema.parse(JSON.parse(line)); // a Review, dates as Date
 */
export const ReviewJsonSchema: z.ZodType<Review, unknown> = ReviewSchema.extend({
  createdAt: instantSchema.nullable(),
  updatedAt: instantSchema.nullable(),
  replies: z.array(ReplySchema.extend({ createdAt: instantSchema.nullable() })),
});
