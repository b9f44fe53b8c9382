/**
 * Property-based robustness harness for adapters: feeds an adapter hostile pages (its real pages
 * with hostile values, random JSON, non-JSON text, error statuses with hostile bodies and
 * headers; for HTML sources hostile markup) through a real local HTTP server and checks that
 * the run ends well: valid reviews, or a `ReviewkitError` with a known code in that source's
 * report — never a rejection, an escaped `TypeError`, an unhandled rejection, a leaked secret or
 * a raw payload in a skip report.
 *
 * Runs: `REVIEWKIT_PROPERTY_RUNS` (default 500 per adapter). A failure prints fast-check's seed
 * and path; replay it with `REVIEWKIT_PROPERTY_SEED=<seed> REVIEWKIT_PROPERTY_PATH=<path>`. A
 * run that kills the worker prints nothing: `REVIEWKIT_PROPERTY_TRACE=<file>` writes each run's
 * plan to that file before the run starts, so the last one written is the one that crashed.
 */
import { writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Adapter, type AggregateResult, aggregate, ERROR_CODES, ReviewkitError, ReviewSchema, type SourceReport } from '../../src/index.js';
import { type FixtureRoute, type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { applyPageVariant, type PageVariant, pageVariant } from './html.js';
import { containsSecret, hostileValue, PAYLOAD_MARKER, toJsonText } from './hostile.js';
import { applyEdits, type Edit, editPlan } from './mutate.js';

/** One adapter under test, with the real-format pages of its fixtures. */
export interface PropertySource {
  /** Test label, e.g. `trustpilot (private)`. */
  label: string;
  /** The adapter's name (`Review.source`). */
  source: string;
  /** The adapter, pointed at the fixture server. */
  make(baseUrl: string): Adapter;
  /** Credentials in its options: none may appear in a report, an error or (unless a page echoed it) a review. */
  secrets: readonly string[];
  /** Every page a full run reads, in the source's real format (JSON bodies as values, HTML as text). */
  routes: readonly FixtureRoute[];
  /** The source's error bodies, made hostile for error-status variants. */
  errorBodies?: readonly unknown[];
  /** `html` sources get hostile markup; other pages are other real pages of the same kind to start from. */
  html?: { pages: readonly string[] };
}

/** fast-check parameters from the environment: runs per adapter, and a seed and path to replay a failure. */
export function propertyParameters(): fc.Parameters<unknown> {
  const numRuns = Number(process.env.REVIEWKIT_PROPERTY_RUNS ?? 500);
  const seed = process.env.REVIEWKIT_PROPERTY_SEED;
  const path = process.env.REVIEWKIT_PROPERTY_PATH;
  return {
    numRuns: Number.isInteger(numRuns) && numRuns > 0 ? numRuns : 500,
    // A run that hangs fails with its seed instead of timing the whole test out.
    timeout: 30_000,
    ...(seed !== undefined && { seed: Number(seed) }),
    ...(path !== undefined && { path, endOnFailure: true }),
  };
}

const RUN = { retry: { attempts: 1 }, timeoutMs: 10_000, now: new Date('2026-11-25T00:00:00Z') } as const;
/** `SkippedItem` strings are cut to 200 characters plus an ellipsis. */
const MAX_SKIP_TEXT = 201;
const KNOWN_CODES = new Set<string>(ERROR_CODES.filter((code) => code !== 'ABORTED'));

/** How one route answers in a run. */
type RouteVariant =
  | { kind: 'edits'; edits: Edit[]; contentType: string | null; isCut: boolean }
  | { kind: 'page'; base: number; variant: PageVariant; contentType: string | null; isCut: boolean }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string; contentType: string | null }
  | { kind: 'bytes'; bytes: Uint8Array; contentType: string | null }
  /** Another status, with one of the source's error bodies (or the page itself when `errorBody` is null) and hostile headers. */
  | { kind: 'status'; status: number; errorBody: number | null; edits: Edit[] | null; headers: Record<string, string> };

/** Which routes answer differently in a run (the others serve their real page). */
type Plan = { route: number; variant: RouteVariant }[];

const JSON_TYPES = ['application/json; charset=utf-8', 'application/json', 'text/html; charset=utf-8', 'text/plain', 'application/problem+json', 'application/json; charset=utf-16le', null];
const HTML_TYPES = ['text/html; charset=utf-8', 'text/html', 'text/html; charset=iso-8859-1', 'text/html; charset=utf-16le', 'text/html; charset=no-such-charset', 'application/xhtml+xml', 'text/plain', 'application/json', 'application/octet-stream', null];
const STATUSES = [200, 201, 204, 301, 304, 400, 401, 402, 403, 404, 408, 410, 418, 429, 500, 501, 502, 503];
const TIME_VALUES = ['0', '-1', '1', '1.5', '86400', '99999999999', '9'.repeat(400), '1e400', 'NaN', 'Infinity', '', ' ', 'Wed, 21 Oct 2015 07:28:00 GMT', 'Fri, 31 Dec 9999 23:59:59 GMT', 'soon'];
const USAGE_VALUES = ['{}', '[]', 'not json', '{"x":[{"estimated_time_to_regain_access":1e400}]}', '{"123":[{"type":"pages","estimated_time_to_regain_access":-5}]}', '{"estimated_time_to_regain_access":"5"}', '{"estimated_time_to_regain_access":1e300}', '{"a":null}'];
/** Response headers sources send, with hostile values; `location` and `content-encoding` make the transport hostile too. */
const HEADERS: readonly [string, string][] = [
  ...['retry-after', 'x-rate-limit-reset', 'ratelimit-resettime'].flatMap((name) => TIME_VALUES.map((value): [string, string] => [name, value])),
  ...['x-business-use-case-usage', 'x-app-usage', 'x-page-usage'].flatMap((name) => USAGE_VALUES.map((value): [string, string] => [name, value])),
  ...['AccessDeniedException', 'UnauthorizedException:http://internal.amazon.com/coral/', ':', ''].map((value): [string, string] => ['x-amzn-errortype', value]),
  ...['text/html', 'application/json; charset=utf-16le', 'application/octet-stream', ''].map((value): [string, string] => ['content-type', value]),
  // Redirects: to itself, nowhere, a closed port.
  ...['/', '?page=2', '/nowhere', 'http://127.0.0.1:1/closed', '//127.0.0.1:1/x', 'http://%zz'].map((value): [string, string] => ['location', value]),
  ...['gzip', 'deflate', 'br', 'identity, gzip', 'bogus'].map((value): [string, string] => ['content-encoding', value]),
];

const NON_JSON_TEXTS = [
  '',
  ' ',
  'null',
  'undefined',
  '{',
  '{"a":',
  '[1,2',
  '\uFEFF{}',
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>upstream</body></html>',
  '<html><body><h1>Captive portal</h1><form action="/login"></form></body></html>',
  '<?xml version="1.0"?><feed><entry/></feed>',
  'OK',
  'Too Many Requests',
  '\u0000\u0001\u0002',
  ")]}'\n{}",
];

function routeVariant(source: PropertySource): fc.Arbitrary<RouteVariant> {
  const { secrets } = source;
  const errorCount = source.errorBodies?.length ?? 0;
  const status = fc.record({
    kind: fc.constant('status' as const),
    status: fc.constantFrom(...STATUSES),
    errorBody: fc.option(fc.nat(), { nil: null, freq: 3 }),
    edits: fc.option(editPlan(secrets), { nil: null }),
    headers: fc.array(fc.constantFrom(...HEADERS), { maxLength: 3 }).map((pairs) => Object.fromEntries(pairs)),
  });
  const json = fc.record({ kind: fc.constant('json' as const), value: fc.oneof(fc.jsonValue(), hostileValue(secrets)) });
  const text = fc.record({
    kind: fc.constant('text' as const),
    text: fc.oneof(fc.constantFrom(...NON_JSON_TEXTS), fc.string({ maxLength: 200 }), fc.json()),
    contentType: fc.constantFrom(...(source.html ? HTML_TYPES : JSON_TYPES)),
  });
  const bytes = fc.record({
    kind: fc.constant('bytes' as const),
    bytes: fc.uint8Array({ maxLength: 300 }),
    contentType: fc.constantFrom(...(source.html ? HTML_TYPES : JSON_TYPES)),
  });
  // Now and then the connection drops halfway through the body.
  const cut = fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  const shaped = source.html
    ? fc.record({
        kind: fc.constant('page' as const),
        base: fc.nat(),
        variant: pageVariant(secrets),
        // Mostly served as the HTML it is.
        contentType: fc.oneof({ weight: 4, arbitrary: fc.constant(HTML_TYPES[0] as string) }, { weight: 1, arbitrary: fc.constantFrom(...HTML_TYPES) }),
        isCut: cut,
      })
    : fc.record({
        kind: fc.constant('edits' as const),
        edits: editPlan(secrets),
        contentType: fc.oneof({ weight: 6, arbitrary: fc.constant(JSON_TYPES[0] as string) }, { weight: 1, arbitrary: fc.constantFrom(...JSON_TYPES) }),
        isCut: cut,
      });
  return fc.oneof(
    { weight: 12, arbitrary: shaped as fc.Arbitrary<RouteVariant> },
    { weight: 2, arbitrary: json },
    { weight: 2, arbitrary: text },
    { weight: 1, arbitrary: bytes },
    { weight: errorCount > 0 ? 3 : 2, arbitrary: status },
  );
}

function plan(source: PropertySource): fc.Arbitrary<Plan> {
  // One variant per route: a later one would only replace an earlier one.
  const entry = fc.record({ route: fc.nat({ max: source.routes.length - 1 }), variant: routeVariant(source) });
  return fc.uniqueArray(entry, { minLength: 1, maxLength: 3, selector: (e) => e.route });
}

interface Served {
  routes: FixtureRoute[];
  /** Whether any body served holds one of the secrets (an echo, on purpose). */
  echoesSecret: boolean;
}

function serve(source: PropertySource, runPlan: Plan): Served {
  const routes = source.routes.map((route) => ({ ...route }));
  let echoesSecret = false;
  for (const { route: index, variant } of runPlan) {
    const original = source.routes[index] as FixtureRoute;
    const answer = answerOf(source, original, variant);
    const text = typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body).toString('latin1');
    echoesSecret ||= containsSecret(text, source.secrets);
    routes[index] = { path: original.path, ...(original.query && { query: original.query }), ...answer };
  }
  return { routes, echoesSecret };
}

function answerOf(source: PropertySource, original: FixtureRoute, variant: RouteVariant): Pick<FixtureRoute, 'status' | 'headers' | 'truncate'> & { body: string | Uint8Array } {
  const typed = (contentType: string | null) => (contentType === null ? {} : { headers: { 'content-type': contentType } });
  switch (variant.kind) {
    case 'edits':
      return { body: toJsonText(applyEdits(original.body, variant.edits)), ...typed(variant.contentType), ...(variant.isCut && { truncate: true }) };
    case 'page': {
      const pages = source.html?.pages ?? [];
      const base = pages[variant.base % pages.length] ?? String(original.body);
      return { body: applyPageVariant(base, variant.variant), ...typed(variant.contentType), ...(variant.isCut && { truncate: true }) };
    }
    case 'json':
      return { body: toJsonText(variant.value), ...typed('application/json') };
    case 'text':
      return { body: variant.text, ...typed(variant.contentType) };
    case 'bytes':
      return { body: variant.bytes, ...typed(variant.contentType) };
    case 'status': {
      const bodies = source.errorBodies ?? [];
      const start = bodies.length > 0 && variant.errorBody !== null ? bodies[variant.errorBody % bodies.length] : original.body;
      const body = variant.edits === null ? start : applyEdits(start, variant.edits);
      const isText = typeof body === 'string';
      const contentType = isText ? 'text/html; charset=utf-8' : 'application/json';
      return { status: variant.status, body: isText ? body : toJsonText(body), headers: { 'content-type': contentType, ...variant.headers } };
    }
  }
}

/** Unhandled rejections and uncaught exceptions seen while the properties run. */
const incidents: string[] = [];
const onRejection = (reason: unknown) => incidents.push(`unhandledRejection: ${describeError(reason)}`);
const onException = (error: unknown) => incidents.push(`uncaughtException: ${describeError(error)}`);

/**
 * The property for one adapter, against a fixture server the caller owns (one per test file,
 * reset for every run). Unhandled rejections and uncaught exceptions are watched only while
 * {@link watchProcess} is on.
 */
export function adapterProperty(source: PropertySource, server: () => FixtureServer): fc.IAsyncPropertyWithHooks<[Plan]> {
  const trace = process.env.REVIEWKIT_PROPERTY_TRACE;
  return fc.asyncProperty(plan(source), async (runPlan) => {
    // A run that kills the process leaves no seed behind: the trace file keeps the plan that did.
    if (trace) writeFileSync(trace, `${source.label}\n${fc.stringify(runPlan)}\n`);
    const served = serve(source, runPlan);
    const fixtures = server();
    fixtures.reset(served.routes);
    const seen = incidents.length;
    let result: AggregateResult;
    try {
      result = await aggregate([source.make(fixtures.url)], RUN);
    } catch (error) {
      throw new Error(`aggregate rejected (only caller errors may reject): ${describeError(error)}`);
    }
    // Let a stray rejection of this run surface before judging it.
    await new Promise((resolve) => setImmediate(resolve));
    if (incidents.length > seen) throw new Error(incidents.slice(seen).join('\n'));
    checkResult(result, source, served.echoesSecret);
  });
}

/** Records unhandled rejections and uncaught exceptions until the returned function is called. */
export function watchProcess(): () => void {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

/**
 * Registers the property for one adapter as a vitest test: `numRuns` hostile runs (500 unless
 * `REVIEWKIT_PROPERTY_RUNS` says otherwise), one fixture server reused across them.
 */
export function describeAdapterProperty(source: PropertySource): void {
  describe(`property: ${source.label} never crashes on hostile payloads`, () => {
    let server: FixtureServer;
    let unwatch: () => void = () => {};
    beforeAll(async () => {
      server = await startFixtureServer();
      unwatch = watchProcess();
    });
    afterAll(async () => {
      unwatch();
      await server.close();
    });

    const parameters = propertyParameters();
    it('yields valid reviews or reports a ReviewkitError, leaking nothing', async () => {
      const before = incidents.length;
      await fc.assert(adapterProperty(source, () => server), parameters);
      if (incidents.length > before) throw new Error(incidents.slice(before).join('\n'));
      // A run that blocks the event loop (a quadratic parse) outlasts fast-check's own timeout: this one catches it.
    }, Math.max(120_000, (parameters.numRuns ?? 500) * 200));
  });
}

/** The property's verdict on one run; throws a short description of the first problem. */
export function checkResult(result: AggregateResult, source: PropertySource, echoesSecret: boolean): void {
  const { reviews, sources } = result;
  const report = sources[0];
  check(sources.length === 1 && report !== undefined, `expected one report, got ${sources.length}`);
  check(report.source === source.source, `report.source is ${report.source}`);
  check(report.fetched === reviews.length, `report.fetched ${report.fetched} but ${reviews.length} reviews`);

  const ids = new Set<string>();
  for (const review of reviews) {
    const parsed = ReviewSchema.safeParse(review);
    check(parsed.success, () => `invalid review ${review.id}: ${parsed.error?.issues[0]?.path.join('.')} ${parsed.error?.issues[0]?.message}`);
    check(review.source === source.source && review.id === `${source.source}:${review.externalId}`, `review id ${short(review.id)} does not match its source and externalId`);
    check(!ids.has(review.id), `review ${short(review.id)} returned twice`);
    ids.add(review.id);
    check((review.createdAt === null) === (review.datePrecision === null), `review ${short(review.id)}: datePrecision without createdAt (or the reverse)`);
  }

  checkReport(report, proseOf(source));
  checkSecrets(result, report, source.secrets, echoesSecret);
}

/**
 * The prose of a source's real pages (review texts, names: strings with a space, 12 characters
 * or more): a skip report quoting one of them is quoting the payload. Enum values and ids, which
 * error messages may name, have no spaces.
 */
const proseCache = new WeakMap<PropertySource, readonly string[]>();
function proseOf(source: PropertySource): readonly string[] {
  let prose = proseCache.get(source);
  if (prose === undefined) {
    const found = new Set<string>([PAYLOAD_MARKER]);
    const walk = (value: unknown): void => {
      if (typeof value === 'string') {
        if (value.length >= 12 && value.includes(' ')) found.add(value.slice(0, 40));
      } else if (Array.isArray(value)) value.forEach(walk);
      else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk);
    };
    for (const route of source.routes) if (typeof route.body !== 'string') walk(route.body);
    prose = [...found];
    proseCache.set(source, prose);
  }
  return prose;
}

/** Skip reports listed past this many are checked no further (a page of 2,000 copies skips alike). */
const SKIPS_CHECKED = 50;

function checkReport(report: SourceReport, prose: readonly string[]): void {
  const { error } = report;
  if (error !== undefined) {
    check(ReviewkitError.is(error), () => `report.error is not a ReviewkitError: ${describeError(error)}`);
    check(KNOWN_CODES.has(error.code), `unexpected error code ${error.code}`);
    check(error.source === report.source, `error.source is ${error.source}`);
    check(typeof error.message === 'string' && error.message.length > 0, 'error without a message');
    check(report.status === (report.fetched === 0 ? 'failed' : 'partial'), `status ${report.status} with an error and ${report.fetched} reviews`);
    const escaped = escapedException(error);
    check(escaped === null, () => `an exception escaped the adapter and was wrapped by the core: ${escaped}`);
    check(error.retryAfterMs === undefined || (Number.isFinite(error.retryAfterMs) && error.retryAfterMs >= 0), `retryAfterMs is ${error.retryAfterMs}`);
  } else {
    check(report.status === ((report.skippedCount ?? 0) > 0 ? 'partial' : 'ok'), `status ${report.status} without an error`);
  }
  const finiteOrNull = (value: number | null | undefined) => value === null || value === undefined || Number.isFinite(value);
  check(finiteOrNull(report.coverage.reportedTotal), `coverage.reportedTotal is ${report.coverage.reportedTotal}`);
  check(report.summary === null || (finiteOrNull(report.summary.average) && finiteOrNull(report.summary.count)), () => `summary is ${JSON.stringify(report.summary)}`);
  check(report.cursor === undefined || typeof report.cursor === 'string', 'cursor is not a string');

  for (const item of (report.skipped ?? []).slice(0, SKIPS_CHECKED)) {
    // Only the raw item schema may refuse an item: normalize throwing, or returning an invalid
    // review, is an adapter bug (the core's own message for it says "fix the adapter's normalize").
    check(item.stage === 'item', () => `item ${item.index} of page ${item.page} was skipped at stage ${item.stage}: ${item.path} ${item.reason}`);
    for (const [field, value] of Object.entries(item)) {
      if (typeof value !== 'string') continue;
      check(value.length <= MAX_SKIP_TEXT, `skipped.${field} holds ${value.length} characters (raw payload?)`);
      if (field === 'externalId') continue;
      const quoted = prose.find((text) => value.includes(text));
      check(quoted === undefined, () => `skipped.${field} repeats the payload (${short(quoted ?? '')}): ${short(value)}`);
    }
  }
  check(report.skippedCount === undefined || report.skippedCount >= (report.skipped?.length ?? 0), 'skippedCount below the skipped list');
}

/**
 * An error that is an adapter bug in disguise: the engine's "adapter failed" wrapper around an
 * exception that was not a `ReviewkitError`, the HTTP layer's wrapper of an exception without an
 * axios code (thrown by an error detector or a page schema), or a page refused because
 * `normalize` threw or returned an invalid review for every item of it.
 */
function escapedException(error: ReviewkitError): string | null {
  if (/: adapter failed: /.test(error.message)) return error.message;
  // A page none of whose items survived: the core names the stage of the first one.
  if (/\((thrown by normalize|in what normalize returned)\)/.test(error.message)) return error.message.replace(/^.*?review #/, 'review #').slice(0, 300);
  const cause = error.cause;
  if (cause instanceof Error && cause.name === 'UNKNOWN') return `${cause.name}: ${cause.message}`;
  return null;
}

function checkSecrets(result: AggregateResult, report: SourceReport, secrets: readonly string[], echoesSecret: boolean): void {
  // When a page echoed a secret on purpose, the reviews may carry what the source sent, and a
  // resume cursor is the source's own token: the report and the error must still be clean.
  const { cursor: _cursor, ...reportWithoutCursor } = report;
  const views: [string, string][] = [
    ['JSON.stringify(report)', JSON.stringify(echoesSecret ? reportWithoutCursor : report)],
    ['util.inspect(report)', inspect(echoesSecret ? reportWithoutCursor : report, { depth: 10, showHidden: true })],
  ];
  const { error } = report;
  if (error !== undefined) {
    views.push(['error.message', error.message], ['error.stack', error.stack ?? ''], ['util.inspect(error.cause)', inspect(error.cause, { depth: 10, showHidden: true })]);
    views.push(['JSON.stringify(error)', JSON.stringify(error)], ['util.inspect(error)', inspect(error, { depth: 10, showHidden: true })]);
  }
  if (!echoesSecret) {
    // util.inspect lists 100 reviews and 10,000 characters of a string at most; JSON shows everything.
    views.push(['JSON.stringify(result)', JSON.stringify(result)], ['util.inspect(result)', inspect(result, { depth: 10 })]);
  }
  for (const [where, text] of views) {
    for (const secret of secrets) {
      const at = text.indexOf(secret);
      check(at === -1, () => `a secret leaked into ${where}: …${text.slice(Math.max(0, at - 80), at + secret.length + 20)}…`);
    }
  }
}

function check(condition: boolean, message: string | (() => string)): asserts condition {
  if (!condition) throw new Error(typeof message === 'string' ? message : message());
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${short(error.message)}\n${error.stack?.split('\n').slice(1, 6).join('\n') ?? ''}`;
  return short(String(error));
}

