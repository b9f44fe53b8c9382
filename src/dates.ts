import { tzOffset, tzScan } from '@date-fns/tz';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import { z } from 'zod';
import { withoutQuotedValues } from './errors.js';

/** Options of {@link parseDate}. */
export interface ParseDateOptions {
  /**
   * IANA zone of values that carry no offset (`America/Los_Angeles` for Yelp). Values with
   * an offset or `Z` ignore it. Without it, offset-less values are rejected rather than
   * silently read in the machine's zone.
   */
  timeZone?: string;
  /**
   * A date-fns pattern for non-ISO values (`'MM/dd/yyyy HH:mm'`); the wall time it yields
   * is read in `timeZone`. Omit for ISO 8601 / RFC 3339 input.
   */
  format?: string;
}

// ISO 8601 / RFC 3339 and the common variants sources send: space instead of "T",
// "+0000" without colon, up to nanosecond fractions.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses a source's date string into a real instant.
 *
 * - `2024-02-11T19:03:52+0000`, `…Z`, `…-07:00`: the offset decides.
 * - `2024-03-10 02:30:00` (no offset): read as wall time in `options.timeZone`, daylight
 *   saving included; a time skipped by a spring-forward gap moves forward, a repeated
 *   fall-back time takes its first occurrence.
 * - Fractions beyond milliseconds are truncated, never rounded (`.9999999` stays in its second).
 * - A date-only value (`2024-05-01`) is midnight in `timeZone` (or UTC with an explicit `Z`).
 *
 * @throws RangeError for a value that is not a real date, or an offset-less value without `timeZone`.
 */
export function parseDate(value: string, options: ParseDateOptions = {}): Date {
  const input = value.trim();
  if (options.format !== undefined) return parseWithFormat(input, options.format, options.timeZone);
  const m = ISO.exec(input);
  if (!m) throw new RangeError(`Not an ISO 8601 date: ${JSON.stringify(value)}`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  const fields = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms] as const;
  assertRealFields(fields, value);
  if (zone !== undefined) return new Date(utcMs(fields) - offsetMinutes(zone) * 60_000);
  if (options.timeZone === undefined) {
    throw new RangeError(`Date ${JSON.stringify(value)} has no offset and no timeZone was given`);
  }
  return wallTimeIn(fields, options.timeZone);
}

/** Epoch seconds (number or numeric string, as Google and X send them) to a Date. */
export function fromEpochSeconds(seconds: number | string, nanos = 0): Date {
  const secs = typeof seconds === 'string' ? Number(seconds) : seconds;
  if (!Number.isFinite(secs)) throw new RangeError(`Not an epoch value: ${JSON.stringify(seconds)}`);
  // Truncate nanos to whole milliseconds so a value never spills into the next second.
  return new Date(secs * 1000 + Math.floor(nanos / 1e6));
}

function parseWithFormat(input: string, format: string, timeZone: string | undefined): Date {
  // date-fns reads the pattern in the machine's zone; take its wall-clock fields only.
  const local = parse(input, format, new Date(0));
  if (!isValid(local)) throw new RangeError(`Date ${JSON.stringify(input)} does not match ${format}`);
  const fields = [
    local.getFullYear(),
    local.getMonth(),
    local.getDate(),
    local.getHours(),
    local.getMinutes(),
    local.getSeconds(),
    local.getMilliseconds(),
  ] as const;
  return timeZone === undefined ? new Date(utcMs(fields)) : wallTimeIn(fields, timeZone);
}

type Fields = readonly [number, number, number, number, number, number, number];

/** `Date.UTC` for every year: it reads years 0–99 as 1900–1999, which no source means. */
function utcMs(f: Fields): number {
  if (f[0] >= 100 || f[0] < 0) return Date.UTC(...f);
  // Field by field: setting only the year afterwards would first read 0000-02-29 in 1900, no leap year.
  const date = new Date(0);
  date.setUTCFullYear(f[0], f[1], f[2]);
  return date.setUTCHours(f[3], f[4], f[5], f[6]);
}

/**
 * The instant a wall-clock time has in `timeZone`, like `new Date(y, m, d, …)` would in that
 * zone: a time skipped by a spring-forward gap moves forward, a repeated time takes its
 * first occurrence.
 */
function wallTimeIn(fields: Fields, timeZone: string): Date {
  const guess = utcMs(fields);
  // The offsets in force a day either side cover any transition near this wall time.
  const before = offsetAt(timeZone, guess - DAY_MS);
  const atBefore = guess - before * 60_000;
  if (offsetAt(timeZone, atBefore) === before) return new Date(atBefore);
  const after = offsetAt(timeZone, guess + DAY_MS);
  const atAfter = guess - after * 60_000;
  if (offsetAt(timeZone, atAfter) === after) return new Date(atAfter);
  return new Date(atBefore); // inside a gap: read with the earlier offset, i.e. moved forward
}

const DAY_MS = 86_400_000;
const SPAN_MS = 366 * DAY_MS;

interface ZoneSpan {
  initial: number;
  changes: ReadonlyArray<{ at: number; offset: number }>;
}
const zoneSpans = new Map<string, Map<number, ZoneSpan>>();
// The span offsetAt used last: a source's reviews share one zone and mostly one year.
let lastZone: string | undefined;
let lastIndex = Number.NaN;
let lastSpan: ZoneSpan | undefined;

/**
 * UTC offset (minutes) of `timeZone` at `ms`. Asking Intl for every review costs ~10 µs, so
 * each zone's transitions are scanned once per ~year with date-fns's `tzScan` and looked up
 * from then on.
 */
function offsetAt(timeZone: string, ms: number): number {
  const index = Math.floor(ms / SPAN_MS);
  // Reviews of one source come in one zone and mostly in one year: skip both map lookups then.
  const span = timeZone === lastZone && index === lastIndex ? (lastSpan as ZoneSpan) : spanOf(timeZone, index);
  let offset = span.initial;
  for (const change of span.changes) {
    if (ms < change.at) break;
    offset = change.offset;
  }
  return offset;
}

function spanOf(timeZone: string, index: number): ZoneSpan {
  let spans = zoneSpans.get(timeZone);
  if (!spans) {
    if (Number.isNaN(tzOffset(timeZone, new Date(0)))) throw new RangeError(`Unknown time zone: ${JSON.stringify(timeZone)}`);
    spans = new Map();
    zoneSpans.set(timeZone, spans);
  }
  let span = spans.get(index);
  if (!span) {
    const start = new Date(index * SPAN_MS);
    const end = new Date((index + 1) * SPAN_MS);
    span = {
      initial: tzOffset(timeZone, start),
      changes: tzScan(timeZone, { start, end }).map((c) => ({ at: exactChange(timeZone, c.date.getTime(), c.offset), offset: c.offset })),
    };
    spans.set(index, span);
  }
  lastZone = timeZone;
  lastIndex = index;
  lastSpan = span;
  return span;
}

/**
 * `tzScan` reports the first whole UTC hour showing the new offset; zones such as Newfoundland,
 * South Australia, Iran or Lord Howe change on the half hour. Narrow it to the minute.
 */
function exactChange(timeZone: string, hourAt: number, offset: number): number {
  let lo = hourAt - 3_600_000; // still the old offset
  let hi = hourAt; // already the new one
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (tzOffset(timeZone, new Date(mid)) === offset) hi = mid;
    else lo = mid;
  }
  return hi;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A calendar date that exists (no 30 February) and a time that stays within its day, as
 * `Date.UTC` would keep it: "24:00" or "23:59:60" would roll into the next day and are refused.
 * Arithmetic, not a probe `Date`: this runs for every dated review.
 */
function assertRealFields(f: Fields, original: string): void {
  const [year, month, day, hour, minute, second, ms] = f;
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 1 && isLeap ? 29 : DAYS_IN_MONTH[month];
  const ok =
    monthDays !== undefined &&
    day >= 1 &&
    day <= monthDays &&
    minute < 60 &&
    second < 61 &&
    hour * 3_600_000 + minute * 60_000 + second * 1000 + ms < DAY_MS;
  if (!ok) throw new RangeError(`Not a real date: ${JSON.stringify(original)}`);
}

function offsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

/**
 * zod schema of a source's date string, parsed with {@link parseDate} into a `Date`. Use it in
 * an adapter's `item` schema: a review with an unreadable date is then skipped with the field
 * named (`createTime: Not an ISO 8601 date`) instead of failing its page. Encoding gives the ISO
 * 8601 instant (`toISOString`).
 *
 * @example
 * const item = z.object({ id: z.string(), time_created: dateSchema({ timeZone: 'America/Los_Angeles' }) });
 */
export function dateSchema(options: ParseDateOptions = {}): z.ZodCodec<z.ZodString, z.ZodDate> {
  // A codec, not `.transform()`: zod's transform costs about 2 µs a value, the codec a tenth of it.
  return z.codec(z.string(), z.date(), {
    decode: (value, payload) => {
      try {
        return parseDate(value, options);
      } catch (error) {
        // The value itself stays out of the message: reports must not carry raw payloads.
        const message = error instanceof RangeError ? withoutQuotedValues(error.message).replace(/^Date\s+/, '') : '';
        payload.issues.push({ code: 'custom', input: value, message: message || 'not a date' });
        return new Date(Number.NaN);
      }
    },
    encode: (date) => date.toISOString(),
  });
}
