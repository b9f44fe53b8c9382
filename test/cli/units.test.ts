// The CLI's building blocks, in process: config secrets and the adapter table against the
// adapters themselves, date flags, colors, progress attribution and lines, the summary table.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADAPTER_NAMES, ADAPTERS, type AdapterName } from '../../cli/adapters.js';
import { secretsIn } from '../../cli/config.js';
import { parseDateFlag } from '../../cli/dates.js';
import { hasColors, type Styles, stylesFor } from '../../cli/output.js';
import { liveLine, plainProgress } from '../../cli/progress.js';
import { arrayElements } from '../../cli/review-files.js';
import { chooseFormat } from '../../cli/review-output.js';
import { formatSummary } from '../../cli/summary.js';
import { type ProgressChange, RunTracker, type SourceProgress } from '../../cli/tracker.js';
import { appStore, appStoreConnect } from '../../adapters/app-store/index.js';
import { facebook } from '../../adapters/facebook.js';
import { googleBusinessProfile, googlePlaces } from '../../adapters/google/index.js';
import { googlePlay } from '../../adapters/google-play.js';
import { instagram } from '../../adapters/instagram.js';
import { schemaOrg } from '../../adapters/schema-org/index.js';
import { tripadvisor } from '../../adapters/tripadvisor.js';
import { trustpilot } from '../../adapters/trustpilot.js';
import { x } from '../../adapters/x.js';
import { yelp } from '../../adapters/yelp.js';
import { type Adapter, aggregate, createReview, type ReviewPage, ReviewkitError } from '../../src/index.js';
import { SAMPLE_SECRETS, sampleOptions } from '../fixtures/sample-sources.js';

interface Definition {
  options: { shape: Record<string, { safeParse(value: unknown): { success: boolean } }>; parse(value: unknown): unknown };
  secrets?: (options: never) => readonly string[];
}
const FACTORIES: Record<AdapterName, { definition: unknown }> = {
  yelp,
  'google-places': googlePlaces,
  'google-business-profile': googleBusinessProfile,
  facebook,
  trustpilot,
  tripadvisor,
  'app-store': appStore,
  'app-store-connect': appStoreConnect,
  'google-play': googlePlay,
  'schema-org': schemaOrg,
  x,
  instagram,
};
const definitionOf = (name: AdapterName) => FACTORIES[name].definition as Definition;
const plainStyles: Styles = stylesFor({ write: () => true }, {});

describe('the adapter table', () => {
  it.each(ADAPTER_NAMES)('%s: the help names every required option, and only real ones', (name) => {
    const shape = definitionOf(name).options.shape;
    const required = Object.keys(shape).filter((key) => !shape[key]?.safeParse(undefined).success);
    const named = ADAPTERS[name].required.split(/[^A-Za-z]+/).filter((word) => word !== '' && word !== 'and' && word !== 'or');
    // app-store-connect also takes the key the CLI signs a token with.
    const known = [...Object.keys(shape), ...(name === 'app-store-connect' ? ['issuerId', 'keyId', 'privateKey'] : [])];
    for (const key of required) expect(named).toContain(key);
    for (const word of named) expect(known).toContain(word);
  });

  it('loads each factory lazily, and it builds the adapter the config names', async () => {
    const options = sampleOptions('http://127.0.0.1:9');
    const byName: Record<AdapterName, Record<string, unknown>> = {
      yelp: options.yelp,
      'google-places': options.googlePlaces,
      'google-business-profile': options.googleBusinessProfile,
      facebook: options.facebook,
      trustpilot: options.trustpilot,
      tripadvisor: options.tripadvisor,
      'app-store': options.appStore,
      'app-store-connect': options.appStoreConnect,
      'google-play': options.googlePlay,
      'schema-org': options.schemaOrg,
      x: options.x,
      instagram: options.instagram,
    };
    for (const name of ADAPTER_NAMES) {
      const adapter = (await ADAPTERS[name].load())(byName[name]);
      expect(adapter.name).toBe(name === 'app-store-connect' ? 'app-store' : name);
    }
  });
});

describe('config secrets', () => {
  it('include every value an adapter itself declares secret', () => {
    const options = sampleOptions('http://127.0.0.1:9');
    const pairs: [AdapterName, Record<string, unknown>][] = [
      ['yelp', options.yelp],
      ['google-places', options.googlePlaces],
      ['google-business-profile', options.googleBusinessProfile],
      ['facebook', options.facebook],
      ['trustpilot', { ...options.trustpilot, accessToken: 'tp-business-user-token-0123456789', businessUserId: 'u1' }],
      ['tripadvisor', options.tripadvisor],
      ['app-store-connect', options.appStoreConnect],
      ['google-play', options.googlePlay],
      ['x', options.x],
      ['instagram', options.instagram],
    ];
    for (const [name, given] of pairs) {
      const { baseUrl: _baseUrl, ...own } = given;
      const definition = definitionOf(name);
      const declared = definition.secrets?.(definition.options.parse(own) as never) ?? [];
      expect(declared.length, name).toBeGreaterThan(0);
      expect(secretsIn(given), name).toEqual(expect.arrayContaining([...declared]));
    }
    expect(secretsIn(options.yelp)).toEqual([SAMPLE_SECRETS.yelp]);
  });

  it('include credentials anywhere in the options, headers too, and nothing else', () => {
    expect(
      secretsIn({ businessId: 'acme', http: { headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k1', Accept: 'json' } }, privateKey: 'pem', nested: [{ token: 't1' }] }),
    ).toEqual(['Bearer abc', 'k1', 'pem', 't1']);
    expect(secretsIn({ keyId: 'ABC', issuerId: 'i', appId: '1', query: 'q' })).toEqual([]);
  });
});

describe('date flags', () => {
  const now = new Date('2026-07-01T10:00:00Z');
  it.each([
    ['2026-01-01', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T09:30:00Z', '2026-01-01T09:30:00.000Z'],
    ['2026-01-01T09:30:00+02:00', '2026-01-01T07:30:00.000Z'],
    ['2026-01-01T09:30+0530', '2026-01-01T04:00:00.000Z'],
    ['30d', '2026-06-01T10:00:00.000Z'],
    [' 0d ', '2026-07-01T10:00:00.000Z'],
  ])('%s', (value, iso) => {
    expect(parseDateFlag(value, '--since', now).toISOString()).toBe(iso);
  });
  it.each(['2026-02-30', '2026-01-01T09:30:00', '01/03/2026', 'yesterday', '', '30'])('refuses %j', (value) => {
    expect(() => parseDateFlag(value, '--since', now)).toThrow(`--since must be a date like 2026-01-01 (midnight UTC)`);
  });
});

describe('colors', () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true };
  it.each([
    [tty, {}, true],
    [pipe, {}, false],
    [tty, { NO_COLOR: '1' }, false],
    [tty, { NO_COLOR: '' }, true],
    [tty, { TERM: 'dumb' }, false],
    [pipe, { FORCE_COLOR: '1' }, true],
    [pipe, { FORCE_COLOR: '' }, false],
    [tty, { FORCE_COLOR: '0' }, false],
    [tty, { FORCE_COLOR: 'false' }, false],
    [pipe, { CLICOLOR_FORCE: '1' }, true],
    [pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
  ])('%o with %o: %s', (stream, env, expected) => {
    expect(hasColors(stream, env)).toBe(expected);
  });
});

describe('output choices', () => {
  it('takes the format from --format, else --out, else NDJSON', () => {
    expect(chooseFormat(undefined, undefined)).toBe('ndjson');
    expect(chooseFormat(undefined, 'a.CSV')).toBe('csv');
    expect(chooseFormat(undefined, 'a.jsonl')).toBe('ndjson');
    expect(chooseFormat('json', 'a.json')).toBe('json');
    expect(chooseFormat('csv', 'reviews.out')).toBe('csv');
    expect(chooseFormat(undefined, 'reviews.out')).toBe('ndjson');
    expect(() => chooseFormat('xml', undefined)).toThrow('--format must be one of ndjson, json, csv; got "xml"');
  });
});

describe('JSON array elements', () => {
  it('finds where each top-level element starts and ends, strings and nesting included', () => {
    const text = '[\n  {"a": "],[{"},\n  [1, [2]] ,\n  "x\\"y", 3\n]';
    const parts = arrayElements(text).map(({ start, end }) => text.slice(start, end ?? undefined));
    expect(parts).toEqual(['{"a": "],[{"}', '[1, [2]]', '"x\\"y"', '3']);
    expect(arrayElements('[]')).toEqual([]);
    expect(arrayElements('[ {"a": 1}, {"b"', 5).map((e) => e.end)).toEqual([10, null]);
  });
});

/** A hand-made adapter yielding `pages` pages of one review each, then failing on the next one if asked. */
function fakeAdapter(name: string, subjectId: string, pages: number, options: { fail?: boolean; retry?: boolean } = {}): Adapter {
  return {
    name,
    subjectId,
    key: `${name}:${subjectId}:${pages}:${options.fail ?? false}`,
    order: 'unordered',
    summary: async () => null,
    async *pages(settings) {
      for (let i = 0; i < pages; i++) {
        if (options.retry && i === 0) settings.onRetry?.({ attempt: 1, delayMs: 250, error: new ReviewkitError({ code: 'RATE_LIMITED', source: name, message: `${name}: slow down` }) });
        const review = createReview(name, { externalId: `${subjectId}-${pages}-${i}`, subject: { id: subjectId }, rating: { value: 5, min: 1, max: 5 }, createdAt: new Date(Date.UTC(2026, 0, i + 1)) });
        const page: ReviewPage = {
          reviews: [review],
          skipped: [],
          warnings: [],
          note: null,
          cursor: i === 0 ? null : `c${i}`,
          nextCursor: i === pages - 1 && !options.fail ? null : `c${i + 1}`,
          reportedTotal: null,
          isPlatformLimited: false,
          summary: null,
        };
        yield page;
      }
      if (options.fail) throw new ReviewkitError({ code: 'AUTH', source: name, message: `${name}: token expired` });
    },
  };
}

describe('progress', () => {
  it('attributes pages, retries and failures to the config entry, even when two share source and subject', async () => {
    const entries = [
      { index: 0, adapterName: 'app-store', adapter: fakeAdapter('app-store', '155', 3) },
      { index: 1, adapterName: 'app-store-connect', adapter: fakeAdapter('app-store', '155', 1, { retry: true }) },
      { index: 2, adapterName: 'yelp', adapter: fakeAdapter('yelp', 'acme', 2, { fail: true }) },
    ];
    const changes: string[] = [];
    const tracker = new RunTracker(entries, (change: ProgressChange, source) => changes.push(`${source.index} ${change}`));
    const result = await aggregate(entries.map((entry, i) => tracker.wrap(entry.adapter, i)));
    tracker.settle(result.sources);
    const [feed, connect, failing] = tracker.sources as [SourceProgress, SourceProgress, SourceProgress];
    expect([feed.pages, feed.reviews, feed.retries, feed.state]).toEqual([3, 3, 0, 'finished']);
    expect([connect.pages, connect.reviews, connect.retries, connect.lastRetry, connect.state]).toEqual([1, 1, 1, { attempt: 1, delayMs: 250, code: 'RATE_LIMITED' }, 'finished']);
    expect([failing.pages, failing.state, failing.error?.code, failing.report?.status]).toEqual([2, 'failed', 'AUTH', 'partial']);
    expect(changes.filter((c) => c.startsWith('2 '))).toEqual(['2 start', '2 page', '2 page', '2 fail', '2 report']);
    expect(changes.filter((c) => c.startsWith('1 '))).toEqual(['1 start', '1 retry', '1 page', '1 finish', '1 report']);
  });

  const running: SourceProgress = {
    index: 3,
    adapterName: 'facebook',
    subjectId: '1234567890',
    state: 'running',
    pages: 2,
    reviews: 5,
    retries: 1,
    lastRetry: { attempt: 1, delayMs: 1500, code: 'RATE_LIMITED' },
    error: null,
    startedAt: 1000,
    endedAt: null,
    report: null,
  };

  it('draws one live line per source, cropped to the terminal', () => {
    const layout = { nameWidth: 23, subjectWidth: 12, width: 100, frame: 2, now: 3500 };
    expect(liveLine(running, layout, plainStyles)).toBe('⠹ #3  facebook                1234567890    2 pages · 5 reviews · 1 retry (RATE_LIMITED) · 2.5 s');
    expect(liveLine({ ...running, state: 'waiting', startedAt: null }, layout, plainStyles)).toBe('· #3  facebook                1234567890    waiting');
    expect(liveLine({ ...running, state: 'waiting', subjectId: 'page?key=s3cret' }, layout, plainStyles, [])).toBe('· #3  facebook                page?key=[R…  waiting');
    const narrow = liveLine(running, { ...layout, width: 50 }, plainStyles);
    expect(narrow).toBe('⠹ #3  facebook                1234567890    2 pag…');
    const colored = liveLine(running, { ...layout, width: 50 }, stylesFor({ write: () => true }, { FORCE_COLOR: '1' }));
    expect(colored).toBe('\u001b[36m⠹\u001b[39m #3  facebook                1234567890    2 pag…\u001b[0m');
  });

  it('writes plain lines, secrets removed', () => {
    let out = '';
    const view = plainProgress({ write: (text: string) => ((out += text), true) }, ['1234567890']);
    view.update('start', running);
    view.update('page', running);
    view.update('retry', running);
    view.update('finish', { ...running, state: 'finished' });
    view.update('fail', { ...running, state: 'failed', error: new ReviewkitError({ code: 'AUTH', message: 'x' }) });
    expect(out).toBe(
      [
        '#3 facebook [REDACTED]: started',
        '#3 facebook [REDACTED]: page 2: 5 reviews so far',
        '#3 facebook [REDACTED]: retry 1 in 1.5 s after RATE_LIMITED',
        '#3 facebook [REDACTED]: finished paging: 2 pages, 5 reviews',
        '#3 facebook [REDACTED]: failed: AUTH',
        '',
      ].join('\n'),
    );
  });

  it('sums a run up in a table, then the details', async () => {
    const entries = [
      { index: 0, adapterName: 'yelp', adapter: fakeAdapter('yelp', 'acme', 2) },
      { index: 1, adapterName: 'facebook', adapter: fakeAdapter('facebook', '1234567890', 1, { fail: true }) },
      { index: 2, adapterName: 'yelp', adapter: fakeAdapter('yelp', 'acme', 2) },
    ];
    const tracker = new RunTracker(entries, () => {});
    const result = await aggregate(entries.map((entry, i) => tracker.wrap(entry.adapter, i)));
    tracker.settle(result.sources.map((report) => ({ ...report, durationMs: 1234 })));
    expect(formatSummary(tracker.sources, [], plainStyles)).toBe(
      [
        '#  adapter   subject     status   reviews  pages   time  coverage',
        '0  yelp      acme        ok             2      2  1.2 s  complete',
        '1  facebook  1234567890  partial        1      1  1.2 s  stopped by AUTH',
        '2  yelp      acme        ok             0      0  1.2 s  same source as #0',
        '',
        '#1 facebook: AUTH: facebook: token expired',
      ].join('\n'),
    );
  });
});

describe('the CLI’s imports', () => {
  const root = new URL('../..', import.meta.url).pathname;
  const IMPORT = /^\s*(?:(?:import|export)[^'"]*from\s+|import\s+)['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  const STATIC = /^\s*(?:import|export)(?!\s+type\b)[^'"]*from\s+['"]([^'"]+)['"]/gm;
  const files = readdirSync(join(root, 'cli'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));

  it('reach the library only through its public entries, like any user', () => {
    const offenders: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(join(root, 'cli', file), 'utf8').matchAll(IMPORT)) {
        const spec = (match[1] ?? match[2]) as string;
        const isAllowed =
          spec.startsWith('./') ||
          (spec.startsWith('../') && !spec.includes('src/') && !spec.includes('adapters/')) ||
          /^reviewkit(\/(scores|testing|adapters\/[a-z-]+))?$/.test(spec) ||
          ['commander', 'cli-progress', 'zod'].includes(spec) ||
          spec.startsWith('node:');
        if (!isAllowed) offenders.push(`${file}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('load neither the library nor zod before a command runs (help and --version stay fast)', () => {
    const eager = ['index.ts', 'program.ts', 'context.ts', 'errors.ts', 'output.ts', 'parameters.ts', 'adapters.ts', ...files.filter((f) => f.startsWith('commands/'))];
    const offenders = eager.flatMap((file) =>
      [...readFileSync(join(root, 'cli', file), 'utf8').matchAll(STATIC)].map((m) => m[1] as string).filter((spec) => spec === 'zod' || spec.startsWith('reviewkit') || spec.startsWith('../actions/')).map((spec) => `${file}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
