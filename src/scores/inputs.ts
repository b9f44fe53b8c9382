/**
 * The structural input every score helper accepts, and the few field readers they share.
 * A full `Review` is assignable to {@link ScoreInput}; so is a plain object parsed from JSON
 * that carries only the fields a helper reads.
 */

/** An instant: a `Date`, or an ISO 8601 string (a string without an offset is read as UTC). */
export type DateInput = Date | string;

/** The part of a reply the score helpers read. */
export interface ScoreReply {
  /** When the business replied; `null`/missing makes the response time unmeasurable. */
  readonly createdAt?: DateInput | null;
}

/**
 * The fields score helpers read from a review. Every field is optional so a script can
 * score plain objects; each helper documents which fields it reads.
 */
export interface ScoreInput {
  /** Rating on the 1–5 scale; `null`/missing means unrated. Any other value throws `RangeError`. */
  readonly stars?: number | null;
  /** Yes/no verdict (Facebook recommendations); a separate channel from `stars`. */
  readonly recommendation?: 'positive' | 'negative' | null;
  /** When the review was written; `null`/missing means undated. */
  readonly createdAt?: DateInput | null;
  /** The business's replies, oldest first. */
  readonly replies?: readonly ScoreReply[] | null;
  /** Adapter name (`google-business-profile`, `facebook`, …); `null`/missing means unknown. */
  readonly source?: string | null;
}

/**
 * Opt-in star value for recommendation-only reviews, e.g. `{ positive: 5, negative: 1 }`
 * (what most aggregators do; `1 + 4x` with x ∈ {0, 1}). Without it, recommendations never
 * enter a star average. Both values must lie in 1..5. A review that has `stars` keeps them.
 */
export interface RecommendationStars {
  readonly positive: number;
  readonly negative: number;
}

/** Counts of 1★..5★ ratings, ascending: `[n1, n2, n3, n4, n5]`. */
export type StarCounts = [number, number, number, number, number];

/** Milliseconds per day: ages are exact days (ms / 86 400 000), never calendar-day counts. */
export const DAY_MS = 86_400_000;
/** Milliseconds per hour. */
export const HOUR_MS = 3_600_000;

// Date.parse reads an offset-less date-time in the machine's zone; scores are UTC by convention.
const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/** Epoch ms of a date field, `NaN` when null/missing. Throws `RangeError` on an invalid date. */
export function timeOf(value: DateInput | null | undefined, field = 'createdAt'): number {
  if (value == null) return Number.NaN;
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'string'
        ? Date.parse(ZONELESS_DATE_TIME.test(value) ? `${value}Z` : value)
        : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${field} is not a valid date: ${describe(value)}`);
  return ms;
}

/** Epoch ms of a required instant option such as `asOf`. */
export function requiredTime(value: DateInput | undefined, field: string): number {
  if (value === undefined) throw new RangeError(`${field} is required`);
  return timeOf(value, field);
}

/**
 * The star value of a review for a star average: its `stars`, else the opted-in
 * recommendation mapping, else `NaN` (not a rating).
 */
export function starsOf(item: ScoreInput, recommendationStars: RecommendationStars | undefined): number {
  const s = item.stars;
  if (s != null) {
    if (typeof s === 'number' && s >= 1 && s <= 5) return s;
    throw new RangeError(`stars must be a number in 1..5 or null, got ${describe(s)}`);
  }
  if (recommendationStars !== undefined) {
    const r = recommendationOf(item);
    if (r === POSITIVE) return recommendationStars.positive;
    if (r === NEGATIVE) return recommendationStars.negative;
  }
  return Number.NaN;
}

/** Return values of {@link recommendationOf} (small ints keep the hot loops allocation-free). */
export const NO_RECOMMENDATION = 0;
/** See {@link NO_RECOMMENDATION}. */
export const POSITIVE = 1;
/** See {@link NO_RECOMMENDATION}. */
export const NEGATIVE = 2;

/** `POSITIVE`, `NEGATIVE` or `NO_RECOMMENDATION`; throws on any other value. */
export function recommendationOf(item: ScoreInput): number {
  const r = item.recommendation;
  if (r == null) return NO_RECOMMENDATION;
  if (r === 'positive') return POSITIVE;
  if (r === 'negative') return NEGATIVE;
  throw new RangeError(`recommendation must be 'positive', 'negative' or null, got ${describe(r)}`);
}

/** Bucket of a 1..5 star value: nearest integer, halves round up (4.5 → 5). */
export function starBucket(stars: number): number {
  return Math.round(stars);
}

/** Validates the opt-in mapping once per call. */
export function checkRecommendationStars(value: RecommendationStars | undefined): RecommendationStars | undefined {
  if (value === undefined) return undefined;
  checkRange(value.positive, 1, 5, 'recommendationStars.positive');
  checkRange(value.negative, 1, 5, 'recommendationStars.negative');
  return value;
}

/** Returns `value` when it is a number in `min..max`; throws a `RangeError` naming the option otherwise. */
export function checkRange(value: number, min: number, max: number, name: string): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new RangeError(`${name} must be a number in ${min}..${max}, got ${describe(value)}`);
  }
  return value;
}

/** Returns `value` when it is a number > 0; throws a `RangeError` naming the option otherwise. */
export function checkPositive(value: number, name: string): number {
  if (typeof value !== 'number' || !(value > 0)) {
    throw new RangeError(`${name} must be a positive number, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value instanceof Date) return 'Invalid Date';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * A growable `Float64Array`: collecting response times for a median without one
 * allocation per review (the buffer doubles, so allocations are logarithmic in n).
 */
export interface FloatBuffer {
  data: Float64Array;
  length: number;
}

/** An empty {@link FloatBuffer}. */
export function floatBuffer(): FloatBuffer {
  return { data: new Float64Array(1024), length: 0 };
}

/** Appends a value, doubling the buffer when full. */
export function pushFloat(buffer: FloatBuffer, value: number): void {
  if (buffer.length === buffer.data.length) {
    const bigger = new Float64Array(buffer.data.length * 2);
    bigger.set(buffer.data);
    buffer.data = bigger;
  }
  buffer.data[buffer.length++] = value;
}

/**
 * Median of the buffer's values (reorders the buffer in place; it is ours). `null` when empty.
 * Quickselect rather than a sort: O(n) instead of O(n log n), which is most of the cost of
 * `responseTime` over a million reviews.
 */
export function medianOf(buffer: FloatBuffer): number | null {
  const n = buffer.length;
  if (n === 0) return null;
  const a = buffer.data;
  const mid = n >> 1;
  const upper = selectInPlace(a, n, mid);
  if (n % 2 === 1) return upper;
  // Everything left of `mid` is ≤ the upper median now; the lower median is their maximum.
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < mid; i++) {
    const v = a[i] as number;
    if (v > lower) lower = v;
  }
  return (lower + upper) / 2;
}

/** The k-th smallest of `a[0..n)` (Hoare quickselect, median-of-three pivot); leaves smaller values before k. */
function selectInPlace(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const x = a[lo] as number;
    const y = a[(lo + hi) >> 1] as number;
    const z = a[hi] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
}
