/**
 * Date formats the sandboxed APIs write, from a `Date`: local wall times in a zone (Yelp), offsets
 * with or without a colon (Apple, Graph), RFC 3339 with sub-millisecond digits (Google), protobuf
 * Timestamps (Play) and Google's relative descriptions. Only `Intl` and millisecond arithmetic:
 * nothing here reads the clock.
 */

/** The zone every sandboxed business and app reports local times in (San Francisco). */
export const SANDBOX_ZONE = 'America/Los_Angeles';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Wall-clock fields of an instant in a zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall time of `date` in `zone`. */
export function wallTime(date: Date, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at `date`, in minutes (−420 for PDT). */
export function offsetMinutes(date: Date, zone: string): number {
  const wall = wallTime(date, zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a wall time in `zone` names (the first of two at a fall-back, the later side of a gap). */
export function fromWallTime(wall: WallTime, zone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const first = asUtc - offsetMinutes(new Date(asUtc), zone) * 60_000;
  return new Date(asUtc - offsetMinutes(new Date(first), zone) * 60_000);
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function wallText(wall: WallTime, separator: string): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}${separator}${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
}

/** `2024-03-10 01:59:59`: wall time in `zone` without an offset (Yelp's `time_created`). */
export function localDateTime(date: Date, zone: string): string {
  return wallText(wallTime(date, zone), ' ');
}

/** `2026-09-10T11:02:00-07:00` (`colon`) or `2024-02-11T19:03:52+0000`: wall time in `zone` with its offset. */
export function withOffset(date: Date, zone: string, colon = true): string {
  const offset = offsetMinutes(date, zone);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${wallText(wallTime(date, zone), 'T')}${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
}

/** `2024-02-18T05:12:44Z`: whole seconds in UTC. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * RFC 3339 in UTC with `digits` fractional digits (0, 3, 6 or 9), as Google's protobuf JSON writes
 * them: the milliseconds of `date`, then `extra` (sub-millisecond digits, padded) beyond them.
 */
export function rfc3339(date: Date, digits: 0 | 3 | 6 | 9, extra = 0): string {
  if (digits === 0) return isoSeconds(date);
  const millis = pad(date.getUTCMilliseconds(), 3);
  const fraction = digits === 3 ? millis : `${millis}${pad(extra, digits - 3)}`.slice(0, digits);
  return `${isoSeconds(date).slice(0, -1)}.${fraction}Z`;
}

/** A protobuf Timestamp in JSON: `{ seconds: "<int64>", nanos }`, `nanos` left out when 0 (proto3). */
export function protoTimestamp(date: Date, subMillisecondNanos = 0): { seconds: string; nanos?: number } {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  const nanos = (ms - seconds * 1000) * 1_000_000 + subMillisecondNanos;
  return nanos === 0 ? { seconds: String(seconds) } : { seconds: String(seconds), nanos };
}

/** Google's relative description of `date` seen at `now` ("2 weeks ago", "a year ago"), in English. */
export function relativeDescription(date: Date, now: Date): string {
  const days = Math.floor((now.getTime() - date.getTime()) / DAY_MS);
  const unit = (count: number, name: string) => (count === 1 ? `a${name === 'hour' ? 'n' : ''} ${name} ago` : `${count} ${name}s ago`);
  if (days < 1) return unit(Math.max(1, Math.floor((now.getTime() - date.getTime()) / 3_600_000)), 'hour');
  if (days < 7) return unit(days, 'day');
  if (days < 30) return unit(Math.floor(days / 7), 'week');
  if (days < 365) return unit(Math.floor(days / 30), 'month');
  return unit(Math.floor(days / 365), 'year');
}

/** Midnight UTC after `date`, as `2026-06-02T00:00:00+00:00` (Yelp's `RateLimit-ResetTime`). */
export function nextUtcMidnight(date: Date): string {
  const next = Math.floor(date.getTime() / DAY_MS + 1) * DAY_MS;
  return new Date(next).toISOString().replace('.000Z', '+00:00');
}

/** Days as milliseconds. */
export const days = (count: number): number => count * DAY_MS;
/** Hours as milliseconds. */
export const hours = (count: number): number => count * 3_600_000;
