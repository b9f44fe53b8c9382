import { afterAll, describe, expect, it } from 'vitest';
import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { fromEpochSeconds, parseDate } from '../../src/index.js';

const LA = 'America/Los_Angeles';
const originalTz = process.env.TZ;

// The machine's own zone must never leak into parsing: run every case under several.
describe.each(['UTC', 'Pacific/Chatham', 'America/Sao_Paulo', 'Asia/Kolkata'])('parseDate with TZ=%s', (zone) => {
  afterAll(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('reads offset-less wall time in the given zone, daylight saving included', () => {
    process.env.TZ = zone;
    const cases: Array<[string, string]> = [
      ['2024-03-10 01:59:59', '2024-03-10T09:59:59.000Z'], // last PST second
      ['2024-03-10 03:00:00', '2024-03-10T10:00:00.000Z'], // first PDT second
      ['2024-03-10 02:30:00', '2024-03-10T10:30:00.000Z'], // skipped by the gap: moves forward
      ['2024-11-03 01:30:00', '2024-11-03T08:30:00.000Z'], // repeated: first occurrence (PDT)
      ['2024-11-03 02:00:00', '2024-11-03T10:00:00.000Z'], // back on PST
      ['2023-12-31 23:59:59', '2024-01-01T07:59:59.000Z'], // year rollover in UTC
      ['2024-02-29 12:00:00', '2024-02-29T20:00:00.000Z'], // leap day
    ];
    for (const [input, expected] of cases) expect(parseDate(input, { timeZone: LA }).toISOString(), input).toBe(expected);
  });

  it('honours explicit offsets in every spelling sources use', () => {
    process.env.TZ = zone;
    expect(parseDate('2024-02-11T19:03:52+0000').toISOString()).toBe('2024-02-11T19:03:52.000Z');
    expect(parseDate('2026-09-10T11:02:00-07:00').toISOString()).toBe('2026-09-10T18:02:00.000Z');
    expect(parseDate('2015-02-20T13:14:22-0500').toISOString()).toBe('2015-02-20T18:14:22.000Z');
    expect(parseDate('2024-01-01T08:30:00+09:00').toISOString()).toBe('2023-12-31T23:30:00.000Z');
    expect(parseDate('2024-02-18T05:12:44Z', { timeZone: LA }).toISOString()).toBe('2024-02-18T05:12:44.000Z');
  });

  it('reads the years 0000–0099 as written, not as 1900–1999', () => {
    process.env.TZ = zone;
    expect(parseDate('0050-06-01T00:00:00Z').toISOString()).toBe('0050-06-01T00:00:00.000Z');
    expect(parseDate('0001-01-01T00:00:00.000Z').toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(parseDate('0099-12-31 23:00:00', { timeZone: 'UTC' }).toISOString()).toBe('0099-12-31T23:00:00.000Z');
    expect(() => parseDate('0050-02-30T00:00:00Z')).toThrow(RangeError);
  });

  it('truncates sub-millisecond fractions instead of rounding into the next second, day or year', () => {
    process.env.TZ = zone;
    expect(parseDate('2024-12-31T23:59:59.999999999Z').toISOString()).toBe('2024-12-31T23:59:59.999Z');
    expect(parseDate('2024-05-01T10:00:00.5Z').toISOString()).toBe('2024-05-01T10:00:00.500Z');
    expect(parseDate('2024-05-01T10:00:00.123456Z').toISOString()).toBe('2024-05-01T10:00:00.123Z');
    expect(fromEpochSeconds('1735689599', 999_999_999).toISOString()).toBe('2024-12-31T23:59:59.999Z');
  });

  it('reads date-only values as midnight in the zone, and custom formats through date-fns', () => {
    process.env.TZ = zone;
    expect(parseDate('2024-05-01', { timeZone: LA }).toISOString()).toBe('2024-05-01T07:00:00.000Z');
    expect(parseDate('12/03/2024 14:05', { format: 'MM/dd/yyyy HH:mm', timeZone: LA }).toISOString()).toBe('2024-12-03T22:05:00.000Z');
    expect(parseDate('03.12.2024', { format: 'dd.MM.yyyy', timeZone: 'Europe/Berlin' }).toISOString()).toBe('2024-12-02T23:00:00.000Z');
  });
});

describe('parseDate in zones that change on the half hour', () => {
  it.each([
    ['2009-09-22 00:00:00', 'Asia/Tehran', '2009-09-21T20:30:00.000Z'], // just after Iran's fall-back
    ['2009-09-21 23:30:00', 'Asia/Tehran', '2009-09-21T19:00:00.000Z'], // repeated: first occurrence
    ['2000-08-27 02:59:00', 'Australia/Lord_Howe', '2000-08-26T15:59:00.000Z'], // 30-minute DST
    ['2024-03-10 01:59:00', 'America/St_Johns', '2024-03-10T05:29:00.000Z'],
    ['2024-03-10 02:30:00', 'America/St_Johns', '2024-03-10T06:00:00.000Z'], // gap: moves forward
    ['2024-03-10 03:00:00', 'America/St_Johns', '2024-03-10T05:30:00.000Z'],
    ['2024-11-03 01:30:00', 'America/St_Johns', '2024-11-03T04:00:00.000Z'], // repeated: first occurrence
    ['2024-10-06 02:30:00', 'Australia/Adelaide', '2024-10-05T17:00:00.000Z'], // gap: moves forward
  ])('%s in %s', (input, timeZone, expected) => {
    expect(parseDate(input, { timeZone }).toISOString()).toBe(expected);
  });
});

describe('parseDate rejects what is not a date', () => {
  it.each(['2024-02-30T00:00:00Z', '2024-13-01T00:00:00Z', 'yesterday', '', '2024-05-01T25:00:00Z'])('%j', (input) => {
    expect(() => parseDate(input, { timeZone: LA })).toThrow(RangeError);
  });

  it('accepts exactly the fields Date.UTC keeps within their day, leap years included', () => {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(
        fc.record({
          y: fc.oneof(fc.constantFrom(0, 4, 100, 1900, 2000), fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1896, max: 2404 })),
          mo: fc.integer({ min: 0, max: 13 }),
          d: fc.integer({ min: 0, max: 32 }),
          h: fc.integer({ min: 0, max: 25 }),
          mi: fc.integer({ min: 0, max: 61 }),
          s: fc.integer({ min: 0, max: 61 }),
          ms: fc.integer({ min: 0, max: 999 }),
        }),
        ({ y, mo, d, h, mi, s, ms }) => {
          // The reference: a Date set field by field (setUTCFullYear reads years below 100 as
          // they are, and year 0 as the leap year it is), read back.
          const probe = new Date(0);
          probe.setUTCFullYear(y, mo - 1, d);
          probe.setUTCHours(h, mi, s, ms);
          const isReal = probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d && mi < 60 && s < 61;
          const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}Z`;
          if (isReal) expect(parseDate(text).getTime()).toBe(probe.getTime());
          else expect(() => parseDate(text)).toThrow(/Not a real date/);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('reads 29 February of year 0, a leap year (Date.UTC alone would read it in 1900)', () => {
    expect(parseDate('0000-02-29T00:00:00Z').toISOString()).toBe('0000-02-29T00:00:00.000Z');
    expect(() => parseDate('1900-02-29T00:00:00Z')).toThrow(/Not a real date/);
  });

  it('refuses to guess a zone for offset-less input', () => {
    expect(() => parseDate('2024-05-01 10:00:00')).toThrow(/no offset/);
  });

  it('rejects non-numeric epoch values', () => {
    expect(() => fromEpochSeconds('abc')).toThrow(RangeError);
    expect(fromEpochSeconds(1700000000).toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });
});

describe('parseDate reads arbitrary wall times like a local Date constructor would in that zone', () => {
  const zones = ['America/Los_Angeles', 'Europe/Berlin', 'Australia/Sydney', 'Australia/Adelaide', 'America/St_Johns', 'America/Santiago', 'Asia/Tehran', 'Australia/Lord_Howe', 'UTC'];
  // Oracle independent of the implementation: Intl's wall-clock reading of the result.
  const wallMs = (zone: string, ms: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      }).formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]),
    );
    return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day, parts.hour, parts.minute, parts.second);
  };
  it.each(zones)('%s', (zone) => {
    fc.assert(
      fc.property(
        fc.record({
          y: fc.integer({ min: 1990, max: 2037 }),
          mo: fc.integer({ min: 0, max: 11 }),
          d: fc.integer({ min: 1, max: 28 }),
          h: fc.integer({ min: 0, max: 23 }),
          mi: fc.constantFrom(0, 15, 30, 45, 59),
        }),
        ({ y, mo, d, h, mi }) => {
          const pad = (n: number) => String(n).padStart(2, '0');
          const text = `${y}-${pad(mo + 1)}-${pad(d)} ${pad(h)}:${pad(mi)}:00`;
          const wanted = Date.UTC(y, mo, d, h, mi);
          const t = parseDate(text, { timeZone: zone }).getTime();
          const shown = wallMs(zone, t);
          if (shown === wanted) {
            // A repeated wall time resolves to its first occurrence.
            for (const back of [30, 60]) expect(wallMs(zone, t - back * 60_000), text).not.toBe(wanted);
          } else {
            // Only a time skipped by a gap may differ, and then it moves forward by the gap.
            expect(shown - wanted, text).toBeGreaterThan(0);
            expect(shown - wanted, text).toBeLessThanOrEqual(60 * 60_000);
            expect(new TZDate(y, mo, d, h, mi, 0, zone).getTime(), text).toBe(t);
          }
        },
      ),
      { numRuns: Number(process.env.DATE_PROPERTY_RUNS ?? 2000) },
    );
  });

  it('rejects an unknown zone', () => {
    expect(() => parseDate('2024-01-01 00:00:00', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});
