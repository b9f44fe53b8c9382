import { getEventListeners, setMaxListeners } from 'node:events';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpClient, parseRetryAfter, backoff, DEFAULT_RETRY } from '../../src/http.js';
import { ReviewkitError, type RetryInfo } from '../../src/index.js';
import { expectNoSecrets, type FixtureServer, htmlErrorPage, startFixtureServer } from '../../src/testing/index.js';

const KEY = 'AIzaSy-super-secret-key-42';
let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const client = (extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
  createHttpClient({ source: 'test', baseUrl: server.url, secrets: [KEY], retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5000 }, ...extra });
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as ReviewkitError);

describe('HTTP layer', () => {
  it('waits the Retry-After seconds on a 429, then succeeds', async () => {
    server.reset([
      { path: '/x', status: 429, headers: { 'retry-after': '1' }, body: { error: 'slow down' }, times: 1 },
      { path: '/x', body: { ok: true } },
    ]);
    const retries: RetryInfo[] = [];
    const body = await client({ onRetry: (r) => retries.push(r) }).get('/x');
    expect(body).toEqual({ ok: true });
    expect(retries.map((r) => [r.attempt, r.delayMs, r.error.code])).toEqual([[1, 1000, 'RATE_LIMITED']]);
  });

  it('reports a Retry-After beyond maxDelayMs at once instead of retrying early', async () => {
    server.reset([
      { path: '/x', status: 503, headers: { 'retry-after': '3600' }, body: 'maintenance', times: 1 },
      { path: '/x', body: { ok: true } },
    ]);
    const retries: number[] = [];
    const error = await fail(client({ retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 20 }, onRetry: (r) => retries.push(r.delayMs) }).get('/x'));
    expect(error.code).toBe('HTTP');
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(retries).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('decodes text bodies by their charset: the Content-Type header, else a <meta charset>', async () => {
    const latin1 = Buffer.from('<p>Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e</p>', 'latin1');
    const sjis = Buffer.concat([Buffer.from('<html><head><meta charset="shift_jis"></head><body>'), Buffer.from([0x93, 0xfa, 0x96, 0x7b]), Buffer.from('</body></html>')]);
    server.reset([
      { path: '/latin', headers: { 'content-type': 'text/html; charset=windows-1252' }, body: latin1 },
      { path: '/sjis', headers: { 'content-type': 'text/html' }, body: sjis },
    ]);
    expect(await client().get('/latin', { responseType: 'text' })).toBe('<p>Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e</p>');
    expect(await client().get('/sjis', { responseType: 'text' })).toContain('<body>\u65e5\u672c</body>');
  });

  it('retries a 500 then succeeds; gives up after `attempts` with the last error', async () => {
    server.reset([{ path: '/x', status: 500, body: 'oops', times: 1 }, { path: '/x', body: { ok: 1 } }]);
    expect(await client().get('/x')).toEqual({ ok: 1 });
    server.reset([{ path: '/x', status: 502, body: 'bad gateway' }]);
    const error = await fail(client().get('/x'));
    expect(error.code).toBe('HTTP');
    expect(error.status).toBe(502);
    expect(error.isRetryable).toBe(true);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry 4xx client errors', async () => {
    server.reset([{ path: '/x', status: 401, body: { error: 'no' } }]);
    const error = await fail(client().get('/x'));
    expect(error.code).toBe('AUTH');
    expect(error.isRetryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('maps a slow response to TIMEOUT', async () => {
    server.reset([{ path: '/x', delayMs: 300, body: {} }]);
    const error = await fail(client({ timeoutMs: 50, retry: { attempts: 1 } }).get('/x'));
    expect(error.code).toBe('TIMEOUT');
  });

  it('maps malformed JSON, an HTML error page and a truncated body to clear errors', async () => {
    server.reset([{ path: '/x', body: '{"reviews": [1, 2', headers: { 'content-type': 'application/json' } }]);
    const malformed = await fail(client().get('/x'));
    expect(malformed.code).toBe('BAD_RESPONSE');
    expect(malformed.message).toContain('malformed JSON');
    server.reset([htmlErrorPage('/x', 200)]);
    const html = await fail(client().get('/x'));
    expect(html.code).toBe('BAD_RESPONSE');
    expect(html.message).toContain('HTML page');
    server.reset([htmlErrorPage('/x', 502)]);
    const gateway = await fail(client({ retry: { attempts: 1 } }).get('/x'));
    expect(gateway.code).toBe('HTTP');
    expect(gateway.message).toContain('502 Bad Gateway');
    server.reset([{ path: '/x', truncate: true, body: { reviews: Array.from({ length: 50 }, (_, i) => ({ id: i })) } }]);
    const cut = await fail(client({ retry: { attempts: 1 } }).get('/x'));
    expect(['NETWORK', 'BAD_RESPONSE']).toContain(cut.code);
  });

  it('names the field when a body does not match its schema', async () => {
    server.reset([{ path: '/x', body: { reviews: [{ id: 1 }] } }]);
    const schema = z.object({ reviews: z.array(z.object({ id: z.string() })) });
    const error = await fail(client().get('/x', { schema }));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('reviews.0.id');
  });

  it('refuses bodies over the size limit', async () => {
    server.reset([{ path: '/x', body: { blob: 'x'.repeat(5000) } }]);
    const error = await fail(client({ overrides: { maxContentLength: 1000 }, retry: { attempts: 1 } }).get('/x'));
    expect(error.code).toBe('BAD_RESPONSE');
  });

  it('keeps keys and tokens out of every view of an error', async () => {
    server.reset([{ path: '/x', status: 403, body: `denied for key=${KEY}` }]);
    const error = await fail(
      client({ overrides: { headers: { 'X-Goog-Api-Key': 'header-secret-9999' } } }).get('/x', {
        query: { key: KEY, access_token: 'tok-abcdef-123456' },
        headers: { Authorization: 'Bearer bearer-secret-777' },
      }),
    );
    expect(error.code).toBe('FORBIDDEN');
    expect(error.url).toContain('key=[REDACTED]');
    expectNoSecrets(error, [KEY, 'tok-abcdef-123456', 'bearer-secret-777', 'header-secret-9999']);
    const dead = await startFixtureServer();
    await dead.close();
    const network = await fail(
      createHttpClient({ source: 't', baseUrl: dead.url, secrets: [KEY], retry: { attempts: 1 } }).get('/y', { query: { key: KEY } }),
    );
    expect(network.code).toBe('NETWORK');
    expect(network.cause).toBeInstanceOf(Error);
    expect(network.cause?.constructor.name).not.toBe('AxiosError');
    expectNoSecrets(network, [KEY]);
    expect(inspect(network)).toContain('NETWORK');
  });

  it('keeps a secret the body echoes out of the vendor code an error detector reads', async () => {
    // Found by the property tests: the vendor code was copied from the body unredacted.
    server.reset([{ path: '/x', status: 429, body: { error: { status: `QUOTA key=${KEY}`, echoed: KEY } } }]);
    const detectError = (r: { body: unknown }) => ({ vendorCode: (r.body as { error: { status: string } }).error.status });
    const error = await fail(client({ retry: { attempts: 1 }, detectError }).get('/x'));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.vendorCode).toBe('QUOTA key=[REDACTED]');
    expectNoSecrets(error, [KEY]);
  });

  it('never leaks the start of a secret that crosses the quoted snippet’s cut', async () => {
    // The snippet keeps 160 characters; the key starts at 150 and would be cut after 10 of its characters.
    const echoed = `${'x'.repeat(150)}${KEY} trailing text`;
    server.reset([{ path: '/x', status: 400, body: echoed, headers: { 'content-type': 'text/plain' } }]);
    const error = await fail(createHttpClient({ source: 't', baseUrl: server.url, secrets: [KEY], retry: { attempts: 1 } }).get('/x'));
    expect(error.message).toContain('[REDACTED]');
    expectNoSecrets(error, [KEY.slice(0, 8)]);
  });

  it('rebases absolute URLs (paging links) onto the configured origin', async () => {
    server.reset([{ path: '/v21.0/1/ratings', query: { after: 'abc' }, body: { ok: true } }]);
    expect(await client().get('https://graph.facebook.com/v21.0/1/ratings?after=abc')).toEqual({ ok: true });
  });

  it('ignores HTTP_PROXY for loopback origins', async () => {
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    try {
      server.reset([{ path: '/x', body: { ok: true } }]);
      expect(await client().get('/x')).toEqual({ ok: true });
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
  });

  it('sends requests through a proxy given in the `http` overrides', async () => {
    server.reset([{ path: '/x', body: { viaProxy: true } }]);
    const port = Number(new URL(server.url).port);
    // The origin is a closed port: only the proxy (our fixture server) can answer.
    const http = createHttpClient({ source: 't', baseUrl: 'http://127.0.0.1:9', overrides: { proxy: { protocol: 'http', host: '127.0.0.1', port } } });
    expect(await http.get('/x')).toEqual({ viaProxy: true });
    expect(server.requests[0]?.url).toBe('http://127.0.0.1:9/x');
  });

  it('spaces requests to the configured rate', async () => {
    server.reset([{ path: '/x', body: {} }]);
    const http = client({ requestsPerSecond: 20 });
    await Promise.all([http.get('/x'), http.get('/x'), http.get('/x')]);
    const times = server.requests.map((r) => r.receivedAt);
    expect(times).toHaveLength(3);
    // 20/s: three starts span at least 100 ms (a lower bound, so a slow machine cannot break it).
    expect((times[2] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(90);
  });
});

describe('retry helpers', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:30 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    // Found by the property tests: hundreds of digits gave Infinity.
    expect(parseRetryAfter('9'.repeat(400), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter inside [half, full] of the step, capped', () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const step = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (attempt - 1));
      const delay = backoff(attempt, DEFAULT_RETRY);
      expect(delay).toBeGreaterThanOrEqual(step / 2);
      expect(delay).toBeLessThanOrEqual(step);
    }
    expect(backoff(1, DEFAULT_RETRY, 2500)).toBe(2500);
  });

  it('classifies retryable errors', () => {
    expect(new ReviewkitError({ code: 'HTTP', status: 503, message: 'x' }).isRetryable).toBe(true);
    expect(new ReviewkitError({ code: 'HTTP', status: 400, message: 'x' }).isRetryable).toBe(false);
    expect(new ReviewkitError({ code: 'TIMEOUT', message: 'x' }).isRetryable).toBe(true);
  });
});

describe('rate limiting over a long run', () => {
  it('leaves no abort listeners behind on the caller’s signal', async () => {
    const server = await startFixtureServer([{ path: '/x', body: {} }]);
    const controller = new AbortController();
    // Twenty requests in flight each listen on the signal at once (the engine's own signal allows that).
    setMaxListeners(0, controller.signal);
    try {
      const http = createHttpClient({ source: 't', baseUrl: server.url, requestsPerSecond: 500, signal: controller.signal });
      // Started together, all but the first wait for their slot.
      await Promise.all(Array.from({ length: 20 }, () => http.get('/x')));
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

describe('writes', () => {
  it('sends a JSON body with the method, and reads an empty success as null', async () => {
    server.reset([
      { method: 'POST', path: '/reply', status: 201, body: '' },
      { method: 'PUT', path: '/reply', body: { comment: 'Thanks!', updateTime: '2026-01-01T00:00:00Z' } },
      { method: 'DELETE', path: '/reply', status: 204 },
    ]);
    const http = client();
    expect(await http.request('POST', '/reply', { body: { message: 'Thanks!' } })).toBeNull();
    expect(await http.request('PUT', '/reply', { body: { comment: 'Thanks!' }, schema: z.object({ comment: z.string() }) })).toEqual({ comment: 'Thanks!' });
    expect(await http.request('DELETE', '/reply')).toBeNull();
    expect(server.requests.map((r) => [r.method, r.body, r.headers['content-type']])).toEqual([
      ['POST', '{"message":"Thanks!"}', 'application/json'],
      ['PUT', '{"comment":"Thanks!"}', 'application/json'],
      ['DELETE', '', undefined],
    ]);
  });

  it('never retries a write given one attempt, and names the method in its errors', async () => {
    server.reset([{ method: 'POST', path: '/comments', status: 503, body: 'busy' }]);
    const error = await fail(client().request('POST', '/comments', { body: { message: 'hi' }, attempts: 1 }));
    expect(error.code).toBe('HTTP');
    expect(error.message).toMatch(/^test: POST http:\/\/127\.0\.0\.1:\d+\/comments failed with HTTP 503/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('a second origin of the same source', () => {
  it('sends a request to the origin the adapter names, unless the user set baseUrl', async () => {
    const partner = await startFixtureServer([{ method: 'POST', path: '/reviews/v1/r1', body: { ok: true } }]);
    try {
      const toPartner = createHttpClient({ source: 't', baseUrl: 'http://127.0.0.1:9', retry: { attempts: 1 } });
      expect(await toPartner.request('POST', '/reviews/v1/r1', { origin: partner.url, body: {} })).toEqual({ ok: true });
      expect(partner.requests).toHaveLength(1);
      // With the user's baseUrl (a sandbox, a proxy) every request goes there.
      server.reset([{ method: 'POST', path: '/reviews/v1/r1', body: { sandbox: true } }]);
      const overridden = createHttpClient({ source: 't', baseUrl: server.url, isBaseUrlOverridden: true, retry: { attempts: 1 } });
      expect(await overridden.request('POST', '/reviews/v1/r1', { origin: partner.url, body: {} })).toEqual({ sandbox: true });
      expect(partner.requests).toHaveLength(1);
    } finally {
      await partner.close();
    }
  });
});

describe('redirects', () => {
  it('reports an API redirect instead of following it with the credentials, and follows a web page’s', async () => {
    server.reset([
      { path: '/api', status: 301, headers: { location: 'https://api.elsewhere.example/v2/api?key=abc' }, body: '' },
      { path: '/page', status: 302, headers: { location: '/page-2' }, body: '' },
      { path: '/page-2', headers: { 'content-type': 'text/html' }, body: '<p>moved here</p>' },
    ]);
    const error = await fail(client().get('/api', { query: { key: KEY } }));
    expect(error.code).toBe('HTTP');
    expect(error.status).toBe(301);
    expect(error.message).toContain('redirect to https://api.elsewhere.example: it may have moved');
    expectNoSecrets(error, [KEY]);
    expect(server.requests.map((r) => r.path)).toEqual(['/api']);
    expect(await client().get('/page', { responseType: 'text' })).toBe('<p>moved here</p>');
  });
});
