/**
 * Normalize throughput for every built-in adapter: its sample page (the recorded-shape fixture the
 * all-sources test serves, its review list grown to 50 items) from JSON text to validated
 * Reviews — JSON.parse, the page schema, the adapter's own `pages` code, each item's schema,
 * `normalize` and the review check — against a bare `JSON.parse` + object copy of the same bytes,
 * interleaved in the same run (median of per-round ratios). No HTTP: the adapter's requests are
 * answered from memory, so this times the client-side work per review.
 * Run: npx tsx bench/normalize-all.ts [rounds]
 */
import { appStore, appStoreConnect } from '../adapters/app-store/index.js';
import { facebook } from '../adapters/facebook.js';
import { googleBusinessProfile, googlePlaces } from '../adapters/google/index.js';
import { googlePlay } from '../adapters/google-play.js';
import { instagram } from '../adapters/instagram.js';
import { schemaOrg } from '../adapters/schema-org/index.js';
import { tripadvisor } from '../adapters/tripadvisor.js';
import { trustpilot } from '../adapters/trustpilot.js';
import { x } from '../adapters/x.js';
import { yelp } from '../adapters/yelp.js';
import type { AdapterContext, AnyAdapterDefinition } from '../src/index.js';
import { normalizeItems } from '../src/items.js';
import type { FixtureRoute } from '../src/testing/index.js';
import { load as loadHtml } from 'cheerio/slim';
import { sampleOptions, sampleRoutes } from '../test/fixtures/sample-sources.js';

const ROUNDS = Number(process.argv[2] ?? 9);
const ITEMS = 50;
const REPEAT = 40; // pages per timed run
const options = sampleOptions('http://127.0.0.1:1');

interface Case {
  name: string;
  definition: AnyAdapterDefinition;
  options: Record<string, unknown>;
}
const factories = [
  ['yelp', yelp, options.yelp],
  ['google-places', googlePlaces, options.googlePlaces],
  ['google-business-profile', googleBusinessProfile, options.googleBusinessProfile],
  ['facebook', facebook, options.facebook],
  ['trustpilot', trustpilot, options.trustpilot],
  ['tripadvisor', tripadvisor, options.tripadvisor],
  ['app-store', appStore, options.appStore],
  ['app-store-connect', appStoreConnect, options.appStoreConnect],
  ['google-play', googlePlay, options.googlePlay],
  ['schema-org', schemaOrg, options.schemaOrg],
  ['x', x, options.x],
  ['instagram', instagram, options.instagram],
] as const;
const cases: Case[] = factories.map(([name, factory, opts]) => ({
  name,
  definition: factory.definition as unknown as AnyAdapterDefinition,
  options: factory.definition.options.parse(withoutCommon(opts)) as Record<string, unknown>,
}));
// The mention adapters estimate polarity from text; a user-supplied estimator shows what that costs.
const ownPolarity = () => 'neutral' as const;
cases.push(
  { name: 'x (polarity: own function)', definition: x.definition as unknown as AnyAdapterDefinition, options: x.definition.options.parse({ ...withoutCommon(options.x), polarity: ownPolarity }) as Record<string, unknown> },
  {
    name: 'instagram (polarity: own function)',
    definition: instagram.definition as unknown as AnyAdapterDefinition,
    options: instagram.definition.options.parse({ ...withoutCommon(options.instagram), polarity: ownPolarity }) as Record<string, unknown>,
  },
);

function withoutCommon(opts: object): Record<string, unknown> {
  const { baseUrl: _b, ...rest } = opts as Record<string, unknown>;
  return rest;
}

/** The sample routes' bodies as text, with each body's longest list of objects grown to ITEMS entries. */
const bodies = sampleRoutes.map((route) => ({ route, text: grownText(route.body) }));

function grownText(body: unknown): string {
  if (typeof body === 'string') return body;
  const copy = structuredClone(body);
  const list = longestObjectList(copy);
  if (list && list.length > 0 && list.length < ITEMS) {
    const seed = [...list];
    while (list.length < ITEMS) list.push(structuredClone(seed[list.length % seed.length]));
  }
  return JSON.stringify(copy);
}

/** The list of objects holding the most data: the review list (not paging links, not a list of languages). */
function longestObjectList(value: unknown): unknown[] | null {
  let best: unknown[] | null = null;
  let bestSize = 0;
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      const size = JSON.stringify(node).length;
      if (node.length > 0 && node.every((e) => typeof e === 'object' && e !== null) && size > bestSize) {
        best = node;
        bestSize = size;
      }
      node.forEach(visit);
    } else if (typeof node === 'object' && node !== null) Object.values(node).forEach(visit);
  };
  visit(value);
  return best;
}

function matching(path: string, query: Record<string, string>): { route: FixtureRoute; text: string } | undefined {
  return bodies.find(({ route }) => {
    const pathOk = typeof route.path === 'string' ? route.path === path : route.path.test(path);
    return pathOk && Object.entries(route.query ?? {}).every(([k, v]) => (v === null ? !(k in query) : query[k] === v));
  });
}

/** An adapter context whose requests are answered from the sample bodies, parsed afresh each time. */
function memoryContext(c: Case): AdapterContext<Record<string, unknown>, unknown> {
  const get = async (path: string, opts: { query?: Record<string, unknown>; schema?: { parse(v: unknown): unknown }; responseType?: string } = {}) => {
    const url = new URL(path, 'http://memory');
    const query: Record<string, string> = Object.fromEntries(url.searchParams);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) query[k] = String(v);
    const hit = matching(url.pathname, query);
    if (!hit) throw new Error(`${c.name}: no sample body for ${url.pathname}`);
    const body = opts.responseType === 'text' || typeof hit.route.body === 'string' ? hit.text : JSON.parse(hit.text);
    return opts.schema ? opts.schema.parse(body) : body;
  };
  return {
    options: c.options,
    http: { get } as AdapterContext<Record<string, unknown>, unknown>['http'],
    fetchPage: (path, opts) => get(path, { ...opts, schema: c.definition.page }),
    signal: new AbortController().signal,
    since: null,
    cursor: null,
    now: new Date('2026-11-30T00:00:00Z'),
    all: ((requests: Promise<unknown>[]) => Promise.all(requests)) as AdapterContext<Record<string, unknown>, unknown>['all'],
  };
}

async function validated(c: Case): Promise<number> {
  const pipeline = { source: c.definition.name, secrets: [], item: c.definition.item, itemId: () => null, normalize: c.definition.normalize as never };
  let reviews = 0;
  for (let i = 0; i < REPEAT; i++) {
    const pages = c.definition.pages(memoryContext(c))[Symbol.asyncIterator]();
    const first = await pages.next();
    await pages.return?.();
    if (first.done) throw new Error(`${c.name}: no page`);
    const ctx = { options: c.options, now: new Date('2026-11-30T00:00:00Z'), shared: first.value.shared };
    reviews += normalizeItems(pipeline, first.value.items, 1, ctx as never).reviews.length;
  }
  return reviews;
}

/**
 * JSON.parse and a copy of every object of every body the adapter's first page reads; for an
 * HTML page (schema-org), parsing it into a DOM, the HTML counterpart of JSON.parse.
 */
function baseline(texts: string[]): number {
  let n = 0;
  for (let i = 0; i < REPEAT; i++) {
    for (const text of texts) {
      const copy = text.startsWith('"') ? loadHtml(JSON.parse(text) as string).root().children().length : copyDeep(JSON.parse(text));
      n += copy === undefined ? 0 : 1;
    }
  }
  return n;
}

function copyDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyDeep);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = copyDeep(v);
    return out;
  }
  return value;
}

/** The texts the adapter's first page reads (found by running it once, recording its requests). */
async function textsOf(c: Case): Promise<string[]> {
  const seen: string[] = [];
  const ctx = memoryContext(c);
  const get = ctx.http.get.bind(ctx.http) as (path: string, opts?: object) => Promise<unknown>;
  const recording = async (path: string, opts: { query?: Record<string, unknown>; schema?: unknown } = {}) => {
    const url = new URL(path, 'http://memory');
    const query: Record<string, string> = Object.fromEntries(url.searchParams);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) query[k] = String(v);
    const hit = matching(url.pathname, query);
    if (hit) seen.push(typeof hit.route.body === 'string' ? JSON.stringify(hit.text) : hit.text);
    return get(path, opts);
  };
  const probe = { ...ctx, http: { get: recording } as typeof ctx.http, fetchPage: (path: string, opts?: object) => recording(path, { ...opts, schema: c.definition.page }) };
  const pages = c.definition.pages(probe as never)[Symbol.asyncIterator]();
  await pages.next();
  await pages.return?.();
  return seen;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
const rows: { adapter: string; reviewsPerPage: number; 'ms/page': string; ratio: string }[] = [];
for (const c of cases) {
  const texts = await textsOf(c);
  const perPage = (await validated(c)) / REPEAT;
  for (let w = 0; w < 3; w++) baseline(texts), await validated(c); // warm-up
  const ratios: number[] = [];
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let t = performance.now();
    baseline(texts);
    const base = performance.now() - t;
    t = performance.now();
    await validated(c);
    const full = performance.now() - t;
    ratios.push(full / base);
    times.push(full / REPEAT);
  }
  rows.push({ adapter: c.name, reviewsPerPage: perPage, 'ms/page': median(times).toFixed(3), ratio: `${median(ratios).toFixed(2)}×` });
}
console.log(
  `Validated normalize per adapter against JSON.parse + copy of the same bodies (schema-org: an HTML parse of the page); median of ${ROUNDS} interleaved rounds, ${REPEAT} pages each`,
);
console.table(rows);
