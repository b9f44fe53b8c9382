import assert from 'node:assert/strict';
import * as nodeTest from 'node:test';
import { inspect } from 'node:util';
import type { z } from 'zod';
import { type Adapter, type AdapterFactory, type CommonAdapterOptions, defineAdapter, type NormalizeContext } from '../define-adapter.js';
import { aggregate, type AggregateOptions, type ProgressEvent } from '../engine.js';
import { type ErrorCode, ReviewkitError } from '../errors.js';
import { type ReviewInput, ReviewSchema } from '../review.js';
import { type FixtureRoute, type FixtureServer, htmlErrorPage, startFixtureServer } from './fixture-server.js';

/** An error case of the contract suite: these routes make the adapter fail with `code`. */
export interface ContractErrorCase {
  name: string;
  routes: FixtureRoute[];
  code: ErrorCode;
}

/** What {@link testAdapter} needs to know about an adapter. */
export interface AdapterContractSpec<Options> {
  /** Valid options, without `baseUrl` (the suite points it at its fixture server). */
  options: Options;
  /** Options that must be present: leaving any out must throw `CONFIG` naming it. */
  requiredOptions: readonly (keyof Options & string)[];
  /** Option values that must never appear in errors (API keys, tokens). */
  secrets: readonly string[];
  /** Routes serving the full data set, every page of it, and any summary endpoint. */
  routes: FixtureRoute[];
  /** Reviews the full run must yield. */
  expectedReviews: number;
  /** Pages the full run must read (the suite checks no request follows the last one). */
  expectedPages: number;
  /** Routes carrying the first page (faults are injected there). Default: `routes[0]`. */
  firstPage?: FixtureRoute;
  /** Error bodies of the source mapped to codes (at least auth and not-found). */
  errors: readonly ContractErrorCase[];
  /** `false` for sources that serve HTML instead of JSON (skips the malformed-JSON case). */
  isJson?: boolean;
}

type AnyFactory<Options> = (options: Options & CommonAdapterOptions) => Adapter;

const FAST: AggregateOptions = { retry: { attempts: 1 }, timeoutMs: 2000, now: new Date('2026-11-25T00:00:00Z') };

/** One check of the adapter contract, runnable under any test runner. */
export interface AdapterCheck {
  name: string;
  /** Why the check does not apply to this adapter (then do not run it), or undefined. */
  skip?: string;
  /** Resolves when the check holds; rejects with an `AssertionError` saying what does not. */
  run(): Promise<void>;
}

/** The adapter contract as plain checks plus the fixture server they share. */
export interface AdapterContract {
  /** `adapter contract: <source>` */
  name: string;
  /** Starts the fixture server. Run once before the checks. */
  setup(): Promise<void>;
  /** Stops it. Run once after the checks. */
  teardown(): Promise<void>;
  checks: AdapterCheck[];
}

/**
 * The reviewkit adapter contract — the suite every built-in adapter passes — as plain async checks
 * that any test runner can run (`node:test`, vitest, jest, mocha, or a script). Uses `node:assert`,
 * no test framework. {@link testAdapter} registers the same checks as tests.
 *
 * @example
 * import { after, before, describe, it } from 'node:test';
 * const contract = adapterContract(acme, spec);
 * describe(contract.name, () => {
 *   before(contract.setup);
 *   after(contract.teardown);
 *   for (const check of contract.checks) it(check.name, { skip: check.skip }, check.run);
 * });
 */
export function adapterContract<Options extends object>(factory: AnyFactory<Options>, spec: AdapterContractSpec<Options>): AdapterContract {
  const sourceName = 'adapterName' in factory ? String((factory as { adapterName: unknown }).adapterName) : 'adapter';
  const first = spec.firstPage ?? spec.routes[0];
  if (!first) throw new TypeError('adapterContract: spec.routes must serve at least one page');
  const firstPage: FixtureRoute = first;
  let server: FixtureServer | undefined;
  const running = (): FixtureServer => {
    if (!server) throw new Error('adapterContract: run setup() before the checks');
    return server;
  };
  const make = (extra: Partial<Options & CommonAdapterOptions> = {}) =>
    factory({ ...spec.options, baseUrl: running().url, ...extra } as Options & CommonAdapterOptions);
  const reset = (...front: FixtureRoute[]) => running().reset([...front, ...spec.routes]);
  const check = (name: string, run: () => void | Promise<void>, skip?: string): AdapterCheck => ({
    name,
    ...(skip !== undefined && { skip }),
    run: async () => {
      await run();
    },
  });

  const checks: AdapterCheck[] = [
    check('rejects each missing required option with CONFIG naming it', () => {
      for (const option of spec.requiredOptions) {
        const options = { ...spec.options } as Record<string, unknown>;
        delete options[option];
        const error = catchError(() => factory(options as Options));
        assert.ok(ReviewkitError.is(error), `leaving out ${option} must throw a ReviewkitError`);
        assert.equal(error.code, 'CONFIG');
        assert.match(error.message, new RegExp(escapeRegExp(option)));
      }
    }),
    check('rejects an unknown option and a bad baseUrl with CONFIG', () => {
      const typo = catchError(() => factory({ ...spec.options, notAnOption: 1 } as Options));
      assert.ok(ReviewkitError.is(typo) && typo.code === 'CONFIG', 'an unknown option must throw CONFIG');
      assert.match(typo.message, /notAnOption/);
      const url = catchError(() => factory({ ...spec.options, baseUrl: 'not a url' } as Options));
      assert.ok(ReviewkitError.is(url) && url.code === 'CONFIG', 'a bad baseUrl must throw CONFIG');
    }),
    check('keeps secrets out of the adapter object', () => {
      reset();
      const printed = inspect(make(), { depth: 5 }) + JSON.stringify(make());
      for (const secret of spec.secrets) assert.ok(!printed.includes(secret), 'a secret is visible on the adapter object');
    }),
    check('fetches every page to the end, valid reviews only, and no request after the last page', async () => {
      reset();
      const result = await aggregate([make()], FAST);
      const [report] = result.sources;
      assert.equal(report?.error, undefined, report?.error?.message);
      assert.equal(report?.status, 'ok');
      assert.equal(result.reviews.length, spec.expectedReviews, 'reviews');
      assert.equal(report?.fetched, spec.expectedReviews, 'fetched');
      assert.equal(report?.pages, spec.expectedPages, 'pages');
      for (const review of result.reviews) {
        ReviewSchema.parse(review);
        assert.equal(review.source, sourceName);
        assert.equal(review.id, `${sourceName}:${review.externalId}`);
      }
      assert.equal(new Set(result.reviews.map((r) => r.id)).size, result.reviews.length, 'duplicate review ids');
      assert.deepEqual(
        running().requests.filter((r) => !r.matched).map((r) => r.url),
        [],
        'requests the fixture routes do not serve (a request after the last page?)',
      );
    }),
    check('normalizes purely: same review twice from the same item, never writing to the item', async () => {
      reset();
      const plain = await aggregate([make()], FAST);
      const definition = (factory as Partial<Pick<AdapterFactory<z.ZodRawShape>, 'definition'>>).definition;
      assert.ok(definition, 'pass the factory defineAdapter returned');
      const normalize = definition.normalize as (item: unknown, ctx: NormalizeContext<Record<string, unknown>, unknown>) => ReviewInput;
      const problems: string[] = [];
      // An instrumented copy of the adapter: normalize gets a deep-frozen item (a write throws in
      // strict mode) and runs twice on it. Problems are collected here, since a throw inside
      // normalize would only skip the item.
      const probe = defineAdapter({
        ...definition,
        normalize: (item: unknown, ctx: NormalizeContext<Record<string, unknown>, unknown>) => {
          const frozen = deepFreeze(structuredClone(item));
          try {
            const once = normalize(frozen, ctx);
            assert.deepStrictEqual(normalize(frozen, ctx), once);
            return once;
          } catch (error) {
            problems.push(error instanceof Error ? error.message : String(error));
            throw error;
          }
        },
      });
      reset();
      const probed = await aggregate([probe({ ...spec.options, baseUrl: running().url } as never)], FAST);
      assert.deepEqual(problems, [], 'normalize wrote to its item or gave two different reviews for one item');
      assert.equal(probed.sources[0]?.error, undefined);
      assert.deepStrictEqual(probed.reviews, plain.reviews);
    }),
    check(
      'resumes from the cursor a stopped run reports',
      async () => {
        reset();
        const pageSizes: number[] = [];
        const all = await aggregate([make()], { ...FAST, onProgress: (e) => e.type === 'source:page' && pageSizes.push(e.reviews) });
        reset();
        // Stop exactly at the end of the first page: the report must say where page two starts.
        const firstRun = await aggregate([make()], { ...FAST, maxPerSource: pageSizes[0] ?? 1 });
        const cursor = firstRun.sources[0]?.cursor;
        assert.equal(firstRun.sources[0]?.coverage.reason, 'max-per-source');
        assert.equal(typeof cursor, 'string', 'a stopped run must report a cursor');
        const rest = await aggregate([make({ cursor } as Partial<Options & CommonAdapterOptions>)], FAST);
        assert.equal(rest.sources[0]?.pages, spec.expectedPages - 1);
        const ids = [...firstRun.reviews, ...rest.reviews].map((r) => r.id);
        assert.deepEqual(ids.sort(), all.reviews.map((r) => r.id).sort());
      },
      spec.expectedPages < 2 ? 'the adapter reads a single page' : undefined,
    ),
    check('stops on abort with ABORTED', async () => {
      reset();
      const controller = new AbortController();
      const onProgress = (e: ProgressEvent) => {
        if (e.type === 'source:start') controller.abort();
      };
      const error = await aggregate([make()], { ...FAST, signal: controller.signal, onProgress }).catch((e: unknown) => e);
      assert.ok(ReviewkitError.is(error) && error.code === 'ABORTED', 'an abort must reject with ABORTED');
    }),
    check('honours Retry-After on a 429 and then succeeds', async () => {
      reset({ ...firstPage, status: 429, headers: { 'retry-after': '1' }, body: {}, times: 1 });
      const retries: number[] = [];
      const result = await aggregate([make()], {
        ...FAST,
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5000 },
        onProgress: (e) => e.type === 'source:retry' && retries.push(e.delayMs),
      });
      assert.deepEqual(retries, [1000]);
      assert.equal(result.sources[0]?.status, 'ok');
      assert.equal(result.reviews.length, spec.expectedReviews);
    }),
    check('retries a 500 and then succeeds', async () => {
      reset({ ...firstPage, status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain' }, times: 1 });
      const result = await aggregate([make()], { ...FAST, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 10 } });
      assert.equal(result.sources[0]?.status, 'ok', result.sources[0]?.error?.message);
    }),
    check('reports a timeout as TIMEOUT', async () => {
      reset({ ...firstPage, delayMs: 400 });
      const result = await aggregate([make()], { ...FAST, timeoutMs: 100 });
      assert.equal(result.sources[0]?.error?.code, 'TIMEOUT');
    }),
    check(
      'reports malformed JSON and an HTML error page as clear errors',
      async () => {
        reset({ ...firstPage, body: '{"reviews": [', headers: { 'content-type': 'application/json' } });
        const malformed = (await aggregate([make()], FAST)).sources[0]?.error;
        assert.equal(malformed?.code, 'BAD_RESPONSE');
        assert.match(malformed?.message ?? '', /malformed JSON/);
        reset({ ...htmlErrorPage(firstPage.path, 200), ...(firstPage.query && { query: firstPage.query }) });
        const html = (await aggregate([make()], FAST)).sources[0]?.error;
        assert.equal(html?.code, 'BAD_RESPONSE');
        assert.match(html?.message ?? '', /HTML/);
      },
      spec.isJson === false ? 'the source serves HTML, not JSON' : undefined,
    ),
    check(
      'reports schema drift as BAD_RESPONSE',
      async () => {
        reset({ ...firstPage, body: [{ unexpected: true }] });
        const error = (await aggregate([make()], FAST)).sources[0]?.error;
        assert.equal(error?.code, 'BAD_RESPONSE');
      },
      spec.isJson === false ? 'the source serves HTML, not JSON' : undefined,
    ),
    ...spec.errors.map((errorCase) =>
      check(`maps ${errorCase.name} to ${errorCase.code} without leaking secrets`, async () => {
        reset(...errorCase.routes);
        const events: ProgressEvent[] = [];
        const result = await aggregate([make()], { ...FAST, onProgress: (e) => events.push(e) });
        const error = result.sources[0]?.error;
        assert.equal(result.sources[0]?.status, 'failed');
        assert.ok(ReviewkitError.is(error), 'the failure must be a ReviewkitError');
        assert.equal(error.code, errorCase.code, error.message);
        assert.equal(error.source, sourceName);
        expectNoSecrets(error, spec.secrets);
        expectNoSecrets(events, spec.secrets);
      }),
    ),
    check('keeps secrets out of network errors', async () => {
      const dead = await startFixtureServer();
      const url = dead.url;
      await dead.close();
      const adapter = factory({ ...spec.options, baseUrl: url } as Options & CommonAdapterOptions);
      const error = (await aggregate([adapter], FAST)).sources[0]?.error;
      assert.equal(error?.code, 'NETWORK');
      expectNoSecrets(error, spec.secrets);
    }),
  ];

  return {
    name: `adapter contract: ${sourceName}`,
    async setup() {
      server = await startFixtureServer(spec.routes);
    },
    async teardown() {
      await server?.close();
      server = undefined;
    },
    checks,
  };
}

/**
 * The parts of a test framework {@link testAdapter} registers tests with. vitest and jest give
 * `beforeAll`/`afterAll`, node:test and mocha `before`/`after`.
 */
export interface TestApi {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
  beforeAll?: (body: () => Promise<void>) => unknown;
  afterAll?: (body: () => Promise<void>) => unknown;
  before?: (body: () => Promise<void>) => unknown;
  after?: (body: () => Promise<void>) => unknown;
}

/**
 * Registers the reviewkit adapter contract as tests: the same suite every built-in adapter
 * passes. Call it at the top level of a test file. It finds the runner it runs under — vitest,
 * jest or mocha (their `describe`/`it`), or node:test — or takes yours as `api`. Checks that do not
 * apply to the adapter are not registered. For another runner, use {@link adapterContract}.
 *
 * @example
 * testAdapter(acme, { options: { apiKey: 'secret-key-123', shopId: 's1' }, requiredOptions: ['apiKey', 'shopId'],
 *   secrets: ['secret-key-123'], routes, expectedReviews: 3, expectedPages: 2, errors: [...] });
 */
export function testAdapter<Options extends object>(factory: AnyFactory<Options>, spec: AdapterContractSpec<Options>, api: TestApi = currentTestApi()): void {
  const contract = adapterContract(factory, spec);
  const before = api.beforeAll ?? api.before;
  const after = api.afterAll ?? api.after;
  if (!before || !after) throw new TypeError('testAdapter: the test API needs beforeAll/afterAll (or before/after)');
  api.describe(contract.name, () => {
    before(contract.setup);
    after(contract.teardown);
    for (const check of contract.checks) if (check.skip === undefined) api.it(check.name, check.run);
  });
}

/**
 * The test API of the runner this code runs under. vitest's own, when vitest runs it (its worker
 * keeps the module namespace on `globalThis.__vitest_index__`: no import of vitest needed, so this
 * module loads without it); else global `describe`/`it` (jest, mocha, vitest globals); else node:test.
 */
function currentTestApi(): TestApi {
  const scope = globalThis as Record<string, unknown>;
  const vitest = scope.__vitest_index__;
  if (isTestApi(vitest)) return vitest;
  if (isTestApi(scope)) return scope;
  return nodeTest;
}

function isTestApi(value: unknown): value is TestApi {
  const api = value as Partial<Record<keyof TestApi, unknown>> | null | undefined;
  return typeof api?.describe === 'function' && typeof api.it === 'function';
}

/** Asserts that no secret appears in `value`'s message, stack, cause, JSON or `util.inspect` output. */
export function expectNoSecrets(value: unknown, secrets: readonly string[]): void {
  const views = [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) {
    views.push(value.message, value.stack ?? '', inspect(value.cause, { depth: 10, showHidden: true }));
  }
  for (const view of views) {
    for (const secret of secrets) assert.ok(!view.includes(secret), 'a secret leaked');
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
