/**
 * Hostile values for property tests: what a broken, hacked or simply surprising API might put
 * where an adapter expects a review field. Values that JSON cannot carry as JS values (`NaN`,
 * `1e400`, 5,000 levels of nesting) are {@link RawJson} tokens written verbatim into the body
 * text; megabyte strings are {@link HugeString} markers expanded only when the body is written,
 * so that fast-check's counterexample stays readable.
 */
import fc from 'fast-check';

/** A JSON fragment written into the body text as is (it may be invalid JSON on purpose). */
export class RawJson {
  constructor(
    readonly text: string,
    /** Short form for counterexamples (the text itself may be huge). */
    readonly label = text.length > 80 ? `${text.slice(0, 40)}…(${text.length} chars)` : text,
  ) {}
  [fc.toStringMethod](): string {
    return `raw(${this.label})`;
  }
}

/** A string of `length` characters made of `unit` repeated, expanded when the body is written. */
export class HugeString {
  constructor(
    readonly unit: string,
    readonly length: number,
  ) {}
  get value(): string {
    return this.unit.repeat(Math.ceil(this.length / this.unit.length)).slice(0, this.length);
  }
  [fc.toStringMethod](): string {
    return `huge(${JSON.stringify(this.unit)} × ${this.length})`;
  }
}

/**
 * An array of `count` copies of `element`, written by serializing the element once: a page
 * lengthened to thousands of items costs one item's work to build. Edits after the lengthening
 * do not reach inside it.
 */
export class RepeatedJson {
  constructor(
    readonly element: unknown,
    readonly count: number,
  ) {}
  [fc.toStringMethod](): string {
    return `repeat(${this.count} ×)`;
  }
}

/** A string no payload holds by chance: reports must never repeat it (it stands for raw payload). */
export const PAYLOAD_MARKER = 'PAYLOAD-MARKER-7f3a9c-raw-review-content';

const MB = 1024 * 1024;

/** Dates that are wrong in every way a source could get them wrong. */
export const ODD_DATES: readonly unknown[] = [
  '0000-00-00',
  '0000-00-00T00:00:00Z',
  '2024-02-30T25:61:61Z',
  '2024-02-30',
  '2023-02-29',
  '2024-13-01T00:00:00Z',
  '2024-00-10',
  'yesterday',
  '3 days ago',
  'Mon, 01 Jan 2024 00:00:00 GMT',
  '2024-01-01T24:00:00Z',
  '2024-01-01T24:59:60Z',
  '2024-01-01T00:00:00+99:99',
  '2024-01-01T00:00:00-25:00',
  '2024-03-10 02:30:00',
  '2024-03-10T02:30:00',
  '2024-11-03 01:30:00',
  '9999-12-31T23:59:59.999999999Z',
  '0001-01-01T00:00:00Z',
  '0099-06-15',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '275760-09-14',
  '1969-12-31T23:59:59.999Z',
  '20240101',
  '2024-W01-1',
  '2024-001',
  '2024-06',
  '2024',
  '2024-01-01T00:00:00.5Z',
  '2024-01-01T00:00:00,123456789Z',
  ' 2024-01-01T00:00:00Z ',
  '2024-01-01T00:00:00Z\u0000',
  '１９９９-０１-０１',
  '1700000000',
  '-62135596800',
  '9'.repeat(400),
  '-9223372036854775808',
  '8.64e15',
  0,
  -1,
  1_700_000_000,
  1_700_000_000_000,
  8.64e15 + 1,
  1e308,
  -1e308,
  new RawJson('1e400'),
  new RawJson('-1e400'),
  new RawJson('NaN'),
  { seconds: '1700000000' },
  { seconds: '9'.repeat(30), nanos: 2_000_000_000 },
  { seconds: '-9'.repeat(20) },
  { year: 2024, month: 2, day: 30 },
  ['2024-01-01'],
];

/** Numbers at and past every edge, and number-like strings. */
const ODD_NUMBERS: readonly unknown[] = [
  0,
  -0,
  -1,
  1,
  5,
  6,
  0.5,
  4.999999999,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  new RawJson('NaN'),
  new RawJson('Infinity'),
  new RawJson('-Infinity'),
  new RawJson('1e400'),
  new RawJson('-1e400'),
  new RawJson('1e-400'),
  new RawJson('-0.0'),
  new RawJson('123456789012345678901234567890'),
  new RawJson('0x10'),
  new RawJson('.5'),
  new RawJson('01'),
  '5',
  '4.5',
  '4,5',
  '1e3',
  '0x1F',
  'NaN',
  'Infinity',
  '-0',
  '',
  ' 5 ',
  '99999999999999999999',
  '12'.repeat(200),
];

/** Strings that break naive text handling. */
const ODD_STRINGS: readonly unknown[] = [
  '',
  ' ',
  '\n\t \r\n',
  '\u0000',
  '\u0000\u0001\u001f\u007f',
  '\uD800',
  'lone \uDFFF surrogate \uD83D',
  '\u202Eevil\u202C reversed',
  'שלום עולם مرحبا',
  '👍🏽👨‍👩‍👧‍👦🏳️‍🌈',
  '\u200B\u200C\u200D\uFEFF',
  'e\u0301\u0301\u0301\u0301\u0301',
  '<b>bold</b> &amp; &lt;script&gt;alert(1)&lt;/script&gt;',
  '</script><script>alert(1)</script>',
  '<![CDATA[ ]]>',
  '&#xD800;&#0;&#x110000;&bogus;',
  '"quoted" \\ backslash \\u0000',
  'javascript:alert(1)',
  '//evil.example/path',
  'http://[::1',
  'https://',
  'mailto:someone@example.com',
  '__proto__',
  'constructor',
  'toString',
  '%00%ZZ%',
  '{"json":"in a string"}',
  '(Translated by Google) (Original)',
  '\t\t',
  'a\tb\tc',
  PAYLOAD_MARKER,
  new HugeString('a', MB),
  new HugeString('é🙂 ', MB),
  new HugeString('<p>', 200_000),
  new HugeString('x', 100_000),
];

/** Containers: empty, deep, odd keys, prototype traps. */
const ODD_CONTAINERS: readonly unknown[] = [
  [],
  {},
  [null],
  [[]],
  [{}],
  { '': '' },
  [1, 'two', null, { three: 3 }],
  new RawJson('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
  new RawJson('{"hasOwnProperty":1,"toString":"x","valueOf":null,"length":-1}'),
  new RawJson('{"a":1,"a":2}'),
  new RawJson(`${'['.repeat(5000)}${']'.repeat(5000)}`, '[[[…5000 levels…]]]'),
  new RawJson(`${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`, '{"a":{"a":…3000 levels…}}'),
  new RawJson(`[${Array.from({ length: 20_000 }, (_, i) => i).join(',')}]`, '[0,1,…,19999]'),
];

const jsonValue = fc.jsonValue({ maxDepth: 3 });
// Any code point, astral ones included (fast-check's `binary` unit does the same, but builds a
// million-entry lookup table per arbitrary, which cost a sixth of every property run).
const anyCodePoint = fc
  .integer({ min: 0, max: 0x10ffff })
  .filter((c) => c < 0xd800 || c > 0xdfff)
  .map((c) => String.fromCodePoint(c));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Any hostile value: wrong types, odd dates and numbers, hostile strings, odd containers, random JSON. */
export function hostileValue(secrets: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    // A field gone null is the commonest break of all.
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(true, false) },
    { weight: 4, arbitrary: fc.constantFrom(...ODD_NUMBERS) },
    { weight: 4, arbitrary: fc.constantFrom(...ODD_DATES) },
    { weight: 5, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 3, arbitrary: fc.constantFrom(...ODD_CONTAINERS) },
    { weight: 2, arbitrary: fc.string({ unit: anyCodePoint, maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: loneSurrogate, maxLength: 4 }) },
    { weight: 2, arbitrary: fc.double() },
    { weight: 2, arbitrary: fc.integer() },
    { weight: 3, arbitrary: jsonValue },
    { weight: 1, arbitrary: secretEcho(secrets) },
  );
}

/**
 * The forms in which a real API echoes a credential back: a paging link carrying it as a query
 * value, an error message quoting it. Bodies holding one of these must still give secret-free
 * reports and errors.
 */
export function secretEcho(secrets: readonly string[]): fc.Arbitrary<string> {
  const secret = fc.constantFrom(...(secrets.length > 0 ? secrets : ['no-secret']));
  return fc.oneof(
    secret.map((s) => `https://api.example/v1/next?after=QVFI&access_token=${s}`),
    secret.map((s) => `https://api.example/v1/next?key=${encodeURIComponent(s)}&page=2`),
    secret.map((s) => `Invalid OAuth access token: Bearer ${s}`),
    secret.map((s) => `The API key ${s} is not valid for this project.`),
  );
}

/** Whether any secret appears in the text. */
export function containsSecret(text: string, secrets: readonly string[]): boolean {
  return secrets.some((s) => text.includes(s) || text.includes(encodeURIComponent(s)));
}

/**
 * Most characters of huge values (megabyte strings, 20,000-element fragments) written into one
 * body: a page edited to repeat an item 3,000 times must not repeat a megabyte string with it.
 * Past it, a huge value is written cut short.
 */
const HUGE_BUDGET = 4 * MB;
const HUGE = 1000;

/**
 * Writes a value as JSON text: `RawJson` verbatim, `HugeString` expanded, non-finite numbers as
 * the bare `NaN` / `Infinity` tokens a hand-built body would carry.
 */
export function toJsonText(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, { huge: 0 });
  return parts.join('');
}

function write(value: unknown, out: string[], spent: { huge: number }): void {
  if (value instanceof RawJson) {
    const isHuge = value.text.length > HUGE;
    if (isHuge && spent.huge + value.text.length > HUGE_BUDGET) out.push('null');
    else out.push(value.text);
    if (isHuge) spent.huge += value.text.length;
  } else if (value instanceof HugeString) {
    const length = spent.huge + value.length > HUGE_BUDGET ? HUGE : value.length;
    spent.huge += length;
    out.push(JSON.stringify(new HugeString(value.unit, length).value));
  } else if (value instanceof RepeatedJson) {
    const one: string[] = [];
    write(value.element, one, spent);
    const text = one.join('');
    // The copies of a huge element count against the budget too.
    const copies = text.length > HUGE && spent.huge + text.length * value.count > HUGE_BUDGET ? Math.max(1, Math.floor(HUGE_BUDGET / text.length)) : value.count;
    out.push('[', value.count === 0 ? '' : Array.from({ length: copies }, () => text).join(','), ']');
  } else if (typeof value === 'number') {
    out.push(Number.isFinite(value) ? JSON.stringify(value) : String(value));
  } else if (typeof value === 'string' || typeof value === 'boolean' || value === null) {
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item === undefined ? null : item, out, spent);
    });
    out.push(']');
  } else if (typeof value === 'object') {
    out.push('{');
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      write(item, out, spent);
    }
    out.push('}');
  } else {
    out.push('null');
  }
}
