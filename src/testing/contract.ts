import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/**
 * Registers the reviewkit adapter contract as vitest tests: the same suite every built-in
 * adapter passes. Call it at the top level of a test file.
 *
 * @example
 * testAdapter(acme, { options: { apiKey: 'secret-key-123', shopId: 's1' }, requiredOptions: ['apiKey', 'shopId'],
 *   secrets: ['secret-key-123'], routes, expectedReviews: 3, expectedPages: 2, errors: [...] });
 */
export function testAdapter<Options extends object>(factory: AnyFactory<Options>, spec: AdapterContractSpec<Options>): void {
  const sourceName = 'adapterName' in factory ? String((factory as { adapterName: unknown }).adapterName) : 'adapter';
  describe(`adapter contract: ${sourceName}`, () => {
    let server: FixtureServer;
    const make = (extra: Partial<Options & CommonAdapterOptions> = {}) =>
      factory({ ...spec.options, baseUrl: server.url, ...extra } as Options & CommonAdapterOptions);
    const first = spec.firstPage ?? spec.routes[0];
    if (!first) throw new TypeError('testAdapter: spec.routes must serve at least one page');
    const firstPage: FixtureRoute = first;

    beforeAll(async () => {
      server = await startFixtureServer(spec.routes);
    });
    afterAll(async () => {
      await server.close();
    });
    const reset = (...front: FixtureRoute[]) => server.reset([...front, ...spec.routes]);

    it('rejects each missing required option with CONFIG naming it', () => {
      for (const option of spec.requiredOptions) {
        const options = { ...spec.options } as Record<string, unknown>;
        delete options[option];
        const error = catchError(() => factory(options as Options));
        expect(ReviewkitError.is(error), `missing ${option}`).toBe(true);
        expect((error as ReviewkitError).code).toBe('CONFIG');
        expect((error as ReviewkitError).message).toContain(option);
      }
    });

    it('rejects an unknown option and a bad baseUrl with CONFIG', () => {
      const typo = catchError(() => factory({ ...spec.options, notAnOption: 1 } as Options));
      expect((typo as ReviewkitError).code).toBe('CONFIG');
      expect((typo as ReviewkitError).message).toContain('notAnOption');
      const url = catchError(() => factory({ ...spec.options, baseUrl: 'not a url' } as Options));
      expect((url as ReviewkitError).code).toBe('CONFIG');
    });

    it('keeps secrets out of the adapter object', () => {
      reset();
      const printed = inspect(make(), { depth: 5 }) + JSON.stringify(make());
      for (const secret of spec.secrets) expect(printed).not.toContain(secret);
    });

    it('fetches every page to the end, valid reviews only, and no request after the last page', async () => {
      reset();
      const result = await aggregate([make()], FAST);
      const [report] = result.sources;
      expect(report?.error).toBeUndefined();
      expect(report?.status).toBe('ok');
      expect(result.reviews).toHaveLength(spec.expectedReviews);
      expect(report?.fetched).toBe(spec.expectedReviews);
      expect(report?.pages).toBe(spec.expectedPages);
      for (const review of result.reviews) {
        expect(() => ReviewSchema.parse(review)).not.toThrow();
        expect(review.source).toBe(sourceName);
        expect(review.id).toBe(`${sourceName}:${review.externalId}`);
      }
      expect(new Set(result.reviews.map((r) => r.id)).size).toBe(result.reviews.length);
      expect(server.requests.filter((r) => !r.matched)).toEqual([]);
    });

    it('normalizes purely: same review twice from the same item, never writing to the item', async () => {
      reset();
      const first = await aggregate([make()], FAST);
      const definition = (factory as Partial<Pick<AdapterFactory<z.ZodRawShape>, 'definition'>>).definition;
      expect(definition, 'pass the factory defineAdapter returned').toBeDefined();
      if (!definition) return;
      // An instrumented copy of the adapter: normalize gets a deep-frozen item (a write throws
      // in strict mode) and runs twice on it.
      const probe = defineAdapter({
        ...definition,
        normalize: (item: unknown, ctx: NormalizeContext<Record<string, unknown>, unknown>) => {
          const normalize = definition.normalize as (item: unknown, ctx: NormalizeContext<Record<string, unknown>, unknown>) => ReviewInput;
          const frozen = deepFreeze(structuredClone(item));
          const once = normalize(frozen, ctx);
          expect(normalize(frozen, ctx)).toEqual(once);
          return once;
        },
      });
      reset();
      const probed = await aggregate([probe({ ...spec.options, baseUrl: server.url } as never)], FAST);
      expect(probed.sources[0]?.error).toBeUndefined();
      expect(probed.reviews).toEqual(first.reviews);
    });

    it.skipIf(spec.expectedPages < 2)('resumes from the cursor a stopped run reports', async () => {
      reset();
      const pageSizes: number[] = [];
      const all = await aggregate([make()], {
        ...FAST,
        onProgress: (e) => e.type === 'source:page' && pageSizes.push(e.reviews),
      });
      reset();
      // Stop exactly at the end of the first page: the report must say where page two starts.
      const firstRun = await aggregate([make()], { ...FAST, maxPerSource: pageSizes[0] ?? 1 });
      const cursor = firstRun.sources[0]?.cursor;
      expect(firstRun.sources[0]?.coverage.reason).toBe('max-per-source');
      expect(cursor).toEqual(expect.any(String));
      const rest = await aggregate([make({ cursor } as Partial<Options & CommonAdapterOptions>)], FAST);
      expect(rest.sources[0]?.pages).toBe(spec.expectedPages - 1);
      const ids = [...firstRun.reviews, ...rest.reviews].map((r) => r.id);
      expect(ids.sort()).toEqual(all.reviews.map((r) => r.id).sort());
    });

    it('stops on abort with ABORTED', async () => {
      reset();
      const controller = new AbortController();
      const onProgress = (e: ProgressEvent) => {
        if (e.type === 'source:start') controller.abort();
      };
      const error = await aggregate([make()], { ...FAST, signal: controller.signal, onProgress }).catch((e: unknown) => e);
      expect(ReviewkitError.is(error) && error.code).toBe('ABORTED');
    });

    it('honours Retry-After on a 429 and then succeeds', async () => {
      reset({ ...firstPage, status: 429, headers: { 'retry-after': '1' }, body: {}, times: 1 });
      const retries: number[] = [];
      const result = await aggregate([make()], {
        ...FAST,
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5000 },
        onProgress: (e) => e.type === 'source:retry' && retries.push(e.delayMs),
      });
      expect(retries).toEqual([1000]);
      expect(result.sources[0]?.status).toBe('ok');
      expect(result.reviews).toHaveLength(spec.expectedReviews);
    });

    it('retries a 500 and then succeeds', async () => {
      reset({ ...firstPage, status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain' }, times: 1 });
      const result = await aggregate([make()], { ...FAST, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 10 } });
      expect(result.sources[0]?.status).toBe('ok');
    });

    it('reports a timeout as TIMEOUT', async () => {
      reset({ ...firstPage, delayMs: 400 });
      const result = await aggregate([make()], { ...FAST, timeoutMs: 100 });
      expect(result.sources[0]?.error?.code).toBe('TIMEOUT');
    });

    it.skipIf(spec.isJson === false)('reports malformed JSON and an HTML error page as clear errors', async () => {
      reset({ ...firstPage, body: '{"reviews": [', headers: { 'content-type': 'application/json' } });
      const malformed = (await aggregate([make()], FAST)).sources[0]?.error;
      expect(malformed?.code).toBe('BAD_RESPONSE');
      expect(malformed?.message).toMatch(/malformed JSON/);
      reset({ ...htmlErrorPage(firstPage.path, 200), ...(firstPage.query && { query: firstPage.query }) });
      const html = (await aggregate([make()], FAST)).sources[0]?.error;
      expect(html?.code).toBe('BAD_RESPONSE');
      expect(html?.message).toMatch(/HTML/);
    });

    it.skipIf(spec.isJson === false)('reports schema drift as BAD_RESPONSE', async () => {
      reset({ ...firstPage, body: [{ unexpected: true }] });
      const error = (await aggregate([make()], FAST)).sources[0]?.error;
      expect(error?.code).toBe('BAD_RESPONSE');
    });

    for (const errorCase of spec.errors) {
      it(`maps ${errorCase.name} to ${errorCase.code} without leaking secrets`, async () => {
        reset(...errorCase.routes);
        const events: ProgressEvent[] = [];
        const result = await aggregate([make()], { ...FAST, onProgress: (e) => events.push(e) });
        const error = result.sources[0]?.error;
        expect(result.sources[0]?.status).toBe('failed');
        expect(ReviewkitError.is(error)).toBe(true);
        expect(error?.code).toBe(errorCase.code);
        expect(error?.source).toBe(sourceName);
        expectNoSecrets(error, spec.secrets);
        expectNoSecrets(events, spec.secrets);
      });
    }

    it('keeps secrets out of network errors', async () => {
      const dead = await startFixtureServer();
      const url = dead.url;
      await dead.close();
      const adapter = factory({ ...spec.options, baseUrl: url } as Options & CommonAdapterOptions);
      const error = (await aggregate([adapter], FAST)).sources[0]?.error;
      expect(error?.code).toBe('NETWORK');
      expectNoSecrets(error, spec.secrets);
    });
  });
}

/** Asserts that no secret appears in `value`'s message, stack, cause, JSON or `util.inspect` output. */
export function expectNoSecrets(value: unknown, secrets: readonly string[]): void {
  const views = [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) {
    views.push(value.message, value.stack ?? '', inspect(value.cause, { depth: 10, showHidden: true }));
  }
  for (const view of views) {
    for (const secret of secrets) expect(view, 'a secret leaked').not.toContain(secret);
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
