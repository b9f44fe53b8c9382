/**
 * Reading schema.org values as pages write them: numbers as numbers or text ("4,4" with a decimal
 * comma, "1.199" with a thousands dot), ratings as "6 / 10" or "60%", dates as ISO 8601 or
 * spelled out, authors as text, objects or lists. Every reader returns null (or a stated problem)
 * for what it cannot read; none throws.
 */
import { cleanText, parseDate, type Rating } from '../../src/index.js';
import { absoluteUrl, isBlankId, isNode, type SchemaNode, type SchemaValue, valuesOf } from './nodes.js';

/** The first non-blank text (or number, as text) among a property's values. */
export function firstText(values: readonly SchemaValue[] | undefined): string | null {
  for (const value of values ?? []) {
    if (typeof value === 'string' && value.trim() !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return null;
}

/** The first node among a property's values. */
export function firstNode(values: readonly SchemaValue[] | undefined): SchemaNode | null {
  for (const value of values ?? []) if (isNode(value)) return value;
  return null;
}

/**
 * A decimal as a rating writes it: `4.5`, `4,5` (decimal comma), `.5`. Thousands separators are
 * not read here: no rating scale needs them, and `4,500` must not become 4500 stars.
 */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  const value = /^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(t) ? Number(t) : /^[+-]?\d+,\d+$/.test(t) ? Number(t.replace(',', '.')) : null;
  // Hundreds of digits are Infinity: no scale or rating.
  return value !== null && Number.isFinite(value) ? value : null;
}

/** A count: `1199`, `1,199`, `1.199`, `1 199` (grouped by thousands), never a fraction. */
export function parseCount(value: SchemaValue | string | null | undefined): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const t = value.trim();
  const count = /^\d+$/.test(t) ? Number(t) : /^\d{1,3}([,. '\u00a0\u202f\u2019]\d{3})+$/.test(t) ? Number(t.replace(/\D/g, '')) : null;
  // As for numbers: a count past 2^53 has lost digits (or is Infinity).
  return count !== null && Number.isSafeInteger(count) ? count : null;
}

interface ParsedRatingValue {
  value: number;
  /** How the value states its own scale: a percentage (0–100) or a fraction ("6 / 10"). */
  share?: { kind: 'percent' } | { kind: 'fraction'; max: number };
}

const FRACTION = /^([+-]?\d+(?:[.,]\d+)?)\s*(?:\/|out of|of)\s*(\d+(?:[.,]\d+)?)$/i;
const PERCENT = /^([+-]?\d+(?:[.,]\d+)?)\s*%$/;

function parseRatingValue(text: string): ParsedRatingValue | null {
  const t = text.trim().replace(/[\u00a0\u202f]/g, ' ');
  const percent = PERCENT.exec(t);
  if (percent) {
    const value = parseDecimal(percent[1] as string);
    return value === null ? null : { value, share: { kind: 'percent' } };
  }
  const fraction = FRACTION.exec(t);
  if (fraction) {
    const value = parseDecimal(fraction[1] as string);
    const max = parseDecimal(fraction[2] as string);
    return value === null || max === null ? null : { value, share: { kind: 'fraction', max } };
  }
  const value = parseDecimal(t);
  return value === null ? null : { value };
}

/** A rating read, or why it cannot be. */
export type RatingReading = { ok: true; rating: Rating | null } | { ok: false; problem: string };

/**
 * A `Rating` (or `AggregateRating`) node, or a bare value standing for one, on its own scale.
 * schema.org's defaults apply: `bestRating` 5, `worstRating` 1. A percentage or a fraction states
 * its own scale, as the share it is (Google: "the scale is implied in the fraction itself or the
 * percentage"): "60%" is on 0–100 and "6 / 10" on 0–10 (unless `worstRating` says otherwise), so
 * both are 3.4 stars. A number below 1 without a `worstRating` (a "0" or "0.5" star rating) means
 * the scale starts at 0. A rating without `ratingValue` is no rating (null); one that cannot be
 * read, or lies outside its scale, is a problem.
 */
export function readRating(value: SchemaValue | undefined): RatingReading {
  if (value === undefined || typeof value === 'boolean') return { ok: true, rating: null };
  const node = isNode(value) ? value : null;
  const valueText = node ? firstText(valuesOf(node, 'ratingValue')) : firstText([value]);
  if (valueText === null) return { ok: true, rating: null };
  const parsed = parseRatingValue(valueText);
  if (parsed === null) return { ok: false, problem: 'ratingValue is not a number' };
  let min = 0;
  let max = 100;
  if (parsed.share?.kind !== 'percent') {
    const best = bound(node, 'bestRating');
    const worst = bound(node, 'worstRating');
    if (best === false) return { ok: false, problem: 'bestRating is not a number' };
    if (worst === false) return { ok: false, problem: 'worstRating is not a number' };
    const isFraction = parsed.share?.kind === 'fraction';
    max = parsed.share?.kind === 'fraction' ? parsed.share.max : (best ?? 5);
    min = worst ?? (isFraction || (parsed.value >= 0 && parsed.value < 1) ? 0 : 1);
  }
  if (!(max > min)) return { ok: false, problem: `bestRating ${max} must exceed worstRating ${min}` };
  if (parsed.value < min || parsed.value > max) {
    return { ok: false, problem: `ratingValue ${parsed.value} lies outside worstRating–bestRating (${min}–${max})` };
  }
  return { ok: true, rating: { value: parsed.value, min, max } };
}

/** A bound's value, null when absent, false when unreadable. */
function bound(node: SchemaNode | null, property: string): number | null | false {
  const text = node ? firstText(valuesOf(node, property)) : null;
  if (text === null) return null;
  return parseDecimal(text) ?? false;
}

/** A date read with how exact it is. */
export interface DateReading {
  date: Date;
  precision: 'instant' | 'day' | 'month';
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}(:?\d{2})?)?$/;
const YEAR_MONTH = /^\d{4}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
// Spelled-out English dates some widgets write instead of ISO 8601 ('MMMM' also reads "Apr").
// Numeric day/month orders are ambiguous ("03/04/2024") and left unread.
const DAY_FORMATS = ['MMMM d, yyyy', 'MMMM d yyyy', 'd MMMM yyyy', 'yyyy/MM/dd', 'd.M.yyyy'];

/**
 * A page's date: ISO 8601 date-times are instants (values without an offset read in `timeZone`),
 * date-only values are midnight in `timeZone` with day precision, `2024-03` is the first of the
 * month with month precision. Anything else unreadable gives null: never a guess.
 */
export function readDate(text: string | null, timeZone: string): DateReading | null {
  if (text === null) return null;
  const t = text.trim();
  try {
    if (DATE_ONLY.test(t)) return { date: parseDate(t, { timeZone }), precision: 'day' };
    if (YEAR_MONTH.test(t)) return { date: parseDate(`${t}-01`, { timeZone }), precision: 'month' };
    if (DATE_TIME.test(t)) return { date: parseDate(t, { timeZone }), precision: 'instant' };
  } catch {
    return null;
  }
  for (const format of DAY_FORMATS) {
    try {
      return { date: parseDate(t, { format, timeZone }), precision: 'day' };
    } catch {
      // the next format
    }
  }
  return null;
}

const LANGUAGE_TAG = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/;

/** `inLanguage` as a BCP 47 tag (`en_US` → `en-US`), from text or a `Language` node; null for "English". */
export function readLanguage(values: readonly SchemaValue[] | undefined): string | null {
  for (const value of values ?? []) {
    const candidates = isNode(value) ? [firstText(valuesOf(value, 'alternateName')), firstText(valuesOf(value, 'name'))] : [typeof value === 'string' ? value : null];
    for (const candidate of candidates) {
      const tag = candidate?.trim().replace(/_/g, '-');
      if (tag === undefined || !LANGUAGE_TAG.test(tag)) continue;
      try {
        const [canonical] = Intl.getCanonicalLocales(tag);
        if (canonical !== undefined) return canonical;
      } catch {
        // not a well-formed tag
      }
    }
  }
  return null;
}

/** One author of a review, as far as the page names it. */
export interface AuthorReading {
  name: string | null;
  id: string | null;
  url: string | null;
  avatarUrl: string | null;
  /** Its schema.org type (`Person`, `Organization`), when it is a node. */
  type: string | null;
}

/** How a syntax's text values are cleaned: JSON-LD strings may carry HTML; the DOM readers give plain text. */
export interface TextOptions {
  html: boolean;
}

/**
 * The authors of a review: a name, a URL (a microdata `<a itemprop="author" href>` gives the link,
 * not the name), or a `Person`/`Organization` node (`name`, else `givenName familyName`, else
 * `alternateName`; `url`; `image` as the avatar; a non-blank `@id` as the id).
 */
export function readAuthors(values: readonly SchemaValue[] | undefined, base: string | null, text: TextOptions): AuthorReading[] {
  const authors: AuthorReading[] = [];
  for (const value of values ?? []) {
    let author: AuthorReading;
    if (isNode(value)) {
      const given = cleanText(firstText(valuesOf(value, 'givenName')), text);
      const family = cleanText(firstText(valuesOf(value, 'familyName')), text);
      const fullName = [given, family].filter((part) => part !== null).join(' ');
      author = {
        name: cleanText(firstText(valuesOf(value, 'name')), text) ?? (fullName || cleanText(firstText(valuesOf(value, 'alternateName')), text)),
        id: value.id !== null && !isBlankId(value.id) ? value.id : null,
        url: absoluteUrl(firstText(valuesOf(value, 'url')), base),
        avatarUrl: imageUrl(valuesOf(value, 'image'), base),
        type: value.types[0] ?? null,
      };
    } else if (typeof value === 'string' || typeof value === 'number') {
      const raw = String(value).trim();
      const isLink = /^https?:\/\//i.test(raw);
      author = { name: isLink ? null : cleanText(raw, text), id: null, url: isLink ? absoluteUrl(raw, base) : null, avatarUrl: null, type: null };
    } else {
      continue;
    }
    if (author.name !== null || author.url !== null || author.id !== null) authors.push(author);
  }
  return authors;
}

function imageUrl(values: readonly SchemaValue[], base: string | null): string | null {
  for (const value of values) {
    const url = isNode(value) ? (firstText(valuesOf(value, 'contentUrl')) ?? firstText(valuesOf(value, 'url'))) : typeof value === 'string' ? value : null;
    const absolute = absoluteUrl(url, base);
    if (absolute !== null) return absolute;
  }
  return null;
}
