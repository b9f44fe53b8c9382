// The sandbox's failures: each source's real auth errors, injected rate limits and server errors
// in each source's format (and how each adapter maps them), retries that get through, latency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appStoreConnect } from '../../adapters/app-store/index.js';
import { facebook } from '../../adapters/facebook.js';
import { googleBusinessProfile, googlePlaces } from '../../adapters/google/index.js';
import { googlePlay } from '../../adapters/google-play.js';
import { instagram } from '../../adapters/instagram.js';
import { tripadvisor } from '../../adapters/tripadvisor.js';
import { trustpilot } from '../../adapters/trustpilot.js';
import { x } from '../../adapters/x.js';
import { yelp } from '../../adapters/yelp.js';
import { createSandbox, SANDBOX_SOURCES, type Sandbox, type SandboxRequest, type SandboxSource } from '../../sandbox/index.js';
import { type Adapter, aggregate, ReviewkitError } from '../../src/index.js';
import { expectNoSecrets } from '../../src/testing/index.js';
import { EXPECTED_FETCHED, get, rawRequests, WITH_CREDENTIALS } from './support.js';

const NO_RETRY = { retry: { attempts: 1 } };
const WRONG = 'wrong-credential-0123456789abcdef';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await createSandbox({ seed: 5, retryAfterSeconds: 0 });
});
afterAll(() => sandbox.close());

/** Each source's adapter with its credential replaced by a wrong one. */
function withWrongCredential(source: SandboxSource): Adapter {
  switch (source) {
    case 'yelp':
      return yelp({ ...sandbox.adapterOptions('yelp'), apiKey: WRONG });
    case 'google-places':
      return googlePlaces({ ...sandbox.adapterOptions('google-places'), apiKey: WRONG });
    case 'google-places-legacy':
      return googlePlaces({ ...sandbox.adapterOptions('google-places-legacy'), apiKey: WRONG });
    case 'google-business-profile':
      return googleBusinessProfile({ ...sandbox.adapterOptions('google-business-profile'), accessToken: WRONG });
    case 'facebook':
      return facebook({ ...sandbox.adapterOptions('facebook'), accessToken: WRONG });
    case 'trustpilot':
      return trustpilot({ ...sandbox.adapterOptions('trustpilot'), accessToken: WRONG });
    case 'tripadvisor':
      return tripadvisor({ ...sandbox.adapterOptions('tripadvisor'), apiKey: WRONG });
    case 'app-store-connect':
      return appStoreConnect({ ...sandbox.adapterOptions('app-store-connect'), token: WRONG });
    case 'google-play':
      return googlePlay({ ...sandbox.adapterOptions('google-play'), accessToken: WRONG });
    case 'x':
      return x({ ...sandbox.adapterOptions('x'), bearerToken: WRONG });
    case 'instagram':
      return instagram({ ...sandbox.adapterOptions('instagram'), accessToken: WRONG });
    default:
      throw new Error(`${source} takes no credential`);
  }
}

describe('credentials', () => {
  it('a wrong credential gets each adapter’s AUTH error, from the source’s own answer', async () => {
    const { sources } = await aggregate(WITH_CREDENTIALS.map(withWrongCredential), NO_RETRY);
    expect(sources.map((s) => [s.status, s.error?.code, s.error?.status])).toEqual([
      ['failed', 'AUTH', 401], // Yelp TOKEN_INVALID
      ['failed', 'AUTH', 400], // Places (New): INVALID_ARGUMENT, reason API_KEY_INVALID
      ['failed', 'AUTH', 200], // legacy Places: REQUEST_DENIED in a 200 body
      ['failed', 'AUTH', 401], // Business Profile UNAUTHENTICATED
      ['failed', 'AUTH', 400], // Graph code 190
      ['failed', 'AUTH', 401], // Trustpilot, private endpoint
      ['failed', 'AUTH', 401], // Tripadvisor
      ['failed', 'AUTH', 401], // App Store Connect NOT_AUTHORIZED
      ['failed', 'AUTH', 401], // Play UNAUTHENTICATED / authError
      ['failed', 'AUTH', 401], // X
      ['failed', 'AUTH', 400], // Graph code 190
    ]);
    expect(sources.map((s) => s.error?.vendorCode ?? null)).toEqual([
      'TOKEN_INVALID',
      'INVALID_ARGUMENT',
      'REQUEST_DENIED',
      'UNAUTHENTICATED',
      '190',
      null,
      '401',
      'NOT_AUTHORIZED',
      'UNAUTHENTICATED',
      'Unauthorized',
      '190',
    ]);
    expectNoSecrets(sources, [WRONG]);
  });

  it('a wrong Trustpilot API key fails the public endpoint too', async () => {
    const { accessToken: _token, businessUserId: _user, ...publicOptions } = sandbox.adapterOptions('trustpilot');
    const { sources } = await aggregate([trustpilot({ ...publicOptions, apiKey: WRONG })], NO_RETRY);
    expect([sources[0]?.error?.code, sources[0]?.error?.status]).toEqual(['AUTH', 401]);
  });

  it('a missing credential gets the source’s real status and body', async () => {
    const requests = rawRequests(sandbox);
    const strip = (path: string) => path.replace(/([?&])key=[^&]*&?/, '$1').replace(/[?&]$/, '');
    const answers = await Promise.all(WITH_CREDENTIALS.map((source) => get(sandbox, strip(requests[source].path))));
    const bodies = answers.map((a) => JSON.parse(a.text) as Record<string, unknown>);
    expect(answers.map((a) => a.status)).toEqual([401, 403, 200, 401, 400, 401, 401, 401, 401, 401, 400]);
    expect(bodies[0]).toEqual({ error: { code: 'TOKEN_MISSING', description: 'An access token must be supplied in order to use this endpoint.' } });
    expect(bodies[1]).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
    expect(bodies[2]).toMatchObject({ status: 'REQUEST_DENIED', html_attributions: [] });
    expect(bodies[3]).toMatchObject({ error: { status: 'UNAUTHENTICATED', details: [{ reason: 'CREDENTIALS_MISSING' }] } });
    expect(bodies[4]).toMatchObject({ error: { code: 104, type: 'OAuthException' } });
    expect(bodies[5]).toEqual({ message: 'Unauthorized', details: 'Missing API key' });
    expect(bodies[6]).toEqual({ message: 'Unauthorized' });
    expect(answers[6]?.headers.get('x-amzn-errortype')).toBe('UnauthorizedException');
    expect(bodies[7]).toMatchObject({ errors: [{ status: '401', code: 'NOT_AUTHORIZED' }] });
    expect(bodies[9]).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    expect(bodies[10]).toMatchObject({ error: { code: 104 } });
  });

  it('never logs a credential', () => {
    const logged = JSON.stringify(sandbox.requests);
    expect(logged).toContain('[REDACTED]');
    const credentials = WITH_CREDENTIALS.flatMap((source) =>
      Object.entries(sandbox.adapterOptions(source)).flatMap(([name, value]) => (/^(apiKey|accessToken|token|bearerToken)$/.test(name) ? [String(value)] : [])),
    );
    expect(credentials).toHaveLength(12);
    for (const credential of [...credentials, WRONG]) expect(logged).not.toContain(credential);
  });
});

/** What an adapter makes of an injected failure of this kind on this status. */
function expectedCode(request: SandboxRequest): string {
  return request.fault === 'rate-limit' ? 'RATE_LIMITED' : 'HTTP';
}

describe('failRate', () => {
  it('at 1, every source fails the way its adapter maps the source’s answer', async () => {
    const failing = await createSandbox({ seed: 5, failRate: 1 });
    try {
      const { sources, reviews } = await aggregate(failing.adapters(), NO_RETRY);
      expect(reviews).toEqual([]);
      expect(failing.requests.every((r) => r.fault !== null)).toBe(true);
      SANDBOX_SOURCES.forEach((source, i) => {
        const report = sources[i];
        const logged = failing.requests.filter((r) => r.source === source);
        expect(report?.status, source).toBe('failed');
        // The error is one of the answers this source got (the first request in the adapter's list when several ran at once).
        const match = logged.find((r) => r.status === report?.error?.status && expectedCode(r) === report?.error?.code);
        expect(match, `${source}: ${report?.error?.code} ${report?.error?.status}`).toBeDefined();
        expect(ReviewkitError.is(report?.error)).toBe(true);
      });
      const kinds = new Set(failing.requests.map((r) => r.fault));
      expect(kinds).toEqual(new Set(['rate-limit', 'server-error']));
    } finally {
      await failing.close();
    }
  });

  it('at 1, rate-limit answers carry each source’s own body and headers', async () => {
    const failing = await createSandbox({ seed: 5, failRate: 1, retryAfterSeconds: 7 });
    try {
      const requests = rawRequests(failing);
      const rateLimited = async (source: SandboxSource) => {
        for (let i = 0; i < 40; i++) {
          const answer = await get(failing, requests[source].path, requests[source].headers);
          if (failing.requests.at(-1)?.fault !== 'rate-limit') continue;
          const isJson = answer.headers.get('content-type')?.includes('json') ?? false;
          return { ...answer, body: isJson ? (JSON.parse(answer.text) as unknown) : null };
        }
        throw new Error(`${source}: no rate-limit answer in 40 tries`);
      };
      const yelpAnswer = await rateLimited('yelp');
      expect([yelpAnswer.status, yelpAnswer.body]).toMatchObject([429, { error: { code: 'TOO_MANY_REQUESTS_PER_SECOND' } }]);
      expect(yelpAnswer.headers.get('ratelimit-dailylimit')).toBe('5000');
      for (const source of ['google-places', 'google-business-profile', 'google-play'] as const) {
        const answer = await rateLimited(source);
        expect([answer.status, answer.body], source).toMatchObject([429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED' } }]);
        expect(JSON.stringify(answer.body), source).toContain('"retryDelay":"7s"');
      }
      expect((await rateLimited('google-play')).body).toMatchObject({ error: { errors: [{ reason: 'rateLimitExceeded' }] } });
      expect((await rateLimited('google-places-legacy')).body).toMatchObject({ status: 'OVER_QUERY_LIMIT' });
      for (const source of ['facebook', 'instagram'] as const) {
        const answer = await rateLimited(source);
        expect([400, 403], source).toContain(answer.status);
        const usage = answer.headers.get('x-app-usage') ?? answer.headers.get('x-business-use-case-usage');
        expect(usage, source).not.toBeNull();
        expect([4, 17, 32, 613, 80001, 80002]).toContain((answer.body as { error: { code: number } }).error.code);
      }
      const tp = await rateLimited('trustpilot');
      expect([tp.status, tp.headers.get('retry-after'), tp.body]).toEqual([429, '7', { message: 'Too many requests' }]);
      const ta = await rateLimited('tripadvisor');
      expect([ta.status, ta.headers.get('x-amzn-errortype'), ta.body]).toEqual([429, 'TooManyRequestsException', { message: 'Too Many Requests' }]);
      const feed = await rateLimited('app-store');
      expect([feed.status, feed.headers.get('retry-after')]).toEqual([429, '7']);
      const connect = await rateLimited('app-store-connect');
      expect([connect.status, connect.headers.get('x-rate-limit')]).toEqual([429, 'user-hour-lim:3500;user-hour-rem:0;']);
      expect(connect.body).toMatchObject({ errors: [{ status: '429', code: 'RATE_LIMIT_EXCEEDED' }] });
      const page = await rateLimited('schema-org');
      expect([page.status, page.headers.get('retry-after'), page.headers.get('content-type')]).toEqual([429, '7', 'text/html; charset=utf-8']);
      const before = Math.floor(Date.now() / 1000);
      const xAnswer = await rateLimited('x');
      expect([xAnswer.status, xAnswer.body]).toEqual([429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }]);
      const reset = Number(xAnswer.headers.get('x-rate-limit-reset'));
      expect(reset).toBeGreaterThanOrEqual(before + 7);
      expect(reset).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 7);
    } finally {
      await failing.close();
    }
  });

  it('at 0.3 with retries, every source gets through, and the same seed fails the same requests', async () => {
    const run = async () => {
      const flaky = await createSandbox({ seed: 5, failRate: 0.3, retryAfterSeconds: 0 });
      try {
        const result = await aggregate(flaky.adapters(), { retry: { attempts: 12, baseDelayMs: 1, maxDelayMs: 20 } });
        const log = flaky.requests.map((r) => `${r.source} ${r.path}?${new URLSearchParams(r.query)} ${r.status} ${r.fault}`).sort();
        return { result, log };
      } finally {
        await flaky.close();
      }
    };
    const [first, second] = [await run(), await run()];
    expect(first.result.sources.map((s) => [s.status, s.fetched])).toEqual(SANDBOX_SOURCES.map((source) => ['ok', EXPECTED_FETCHED[source]]));
    const faults = first.log.filter((line) => !line.endsWith(' null'));
    expect(faults.length).toBeGreaterThan(5);
    expect(second.log).toEqual(first.log);
    expect(second.result.reviews).toEqual(first.result.reviews);
  });

  it('setFailRate changes it while the sandbox runs', async () => {
    sandbox.setFailRate(1);
    const failed = await aggregate(sandbox.adapters(['trustpilot']), NO_RETRY);
    sandbox.setFailRate(0);
    const passed = await aggregate(sandbox.adapters(['trustpilot']), NO_RETRY);
    expect([failed.sources[0]?.status, passed.sources[0]?.status]).toEqual(['failed', 'ok']);
  });
});

describe('latency', () => {
  it('delays every answer by at least latencyMs', async () => {
    const slow = await createSandbox({ seed: 5, latencyMs: 120 });
    try {
      const { path, headers } = rawRequests(slow)['app-store'];
      let started = performance.now();
      await get(slow, path, headers);
      expect(performance.now() - started).toBeGreaterThanOrEqual(119);

      // Two pages one after the other: two delays.
      started = performance.now();
      const { sources } = await aggregate([googleBusinessProfile({ ...slow.adapterOptions('google-business-profile'), pageSize: 40 })], NO_RETRY);
      expect([sources[0]?.status, sources[0]?.pages]).toEqual(['ok', 2]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(238);

      slow.setLatency(250);
      started = performance.now();
      await get(slow, path, headers);
      expect(performance.now() - started).toBeGreaterThanOrEqual(249);
    } finally {
      await slow.close();
    }
  });
});

describe('options', () => {
  it.each([
    [{ failRate: 1.5 }, 'failRate'],
    [{ failRate: -0.1 }, 'failRate'],
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ port: 70_000 }, 'port'],
    [{ retryAfterSeconds: 0.5 }, 'retryAfterSeconds'],
    [{ anchor: new Date('nope') }, 'anchor'],
    [{ counts: { nope: 3 } }, 'unknown source'],
    [{ counts: { yelp: -1 } }, 'counts.yelp'],
  ])('rejects %o with a CONFIG error naming it', async (options, named) => {
    const error = await createSandbox(options as never).catch((e: unknown) => e);
    expect(ReviewkitError.is(error) && error.code).toBe('CONFIG');
    expect(String((error as Error).message)).toContain(named);
  });

  it('rejects unknown sources and bad changes while running', async () => {
    expect(() => sandbox.adapters(['nope' as SandboxSource])).toThrow(/unknown source "nope"/);
    expect(() => sandbox.setFailRate(2)).toThrow(/failRate/);
    await expect(sandbox.addReview('yelp', { stars: 6 })).rejects.toThrow(/stars/);
    await expect(sandbox.addReview('yelp', { text: '  ' })).rejects.toThrow(/text/);
    await expect(sandbox.editReview('yelp', 'no-such-id', { text: 'x' })).rejects.toThrow(/holds no review "no-such-id"/);
  });
});
