// Sandbox.injectFault by source, and faults that never answer: one request fails as asked, the rest answer normally.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../sandbox/index.js';
import { ReviewkitError } from '../../src/index.js';
import { get, rawRequests } from './support.js';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox({ seed: 4, retryAfterSeconds: 0 });
});
afterEach(() => sandbox.close());

describe('injectFault by source', () => {
  it('fails the next matching request in the source’s own format, then answers normally', async () => {
    const { path, headers } = rawRequests(sandbox).yelp;
    sandbox.injectFault({ source: 'yelp', kind: 'rate-limit' });
    const throttled = await get(sandbox, path, headers);
    expect([throttled.status, JSON.parse(throttled.text)]).toMatchObject([429, { error: { code: 'TOO_MANY_REQUESTS_PER_SECOND' } }]);
    expect((await get(sandbox, path, headers)).status).toBe(200);
    expect(sandbox.requests.map((r) => [r.status, r.fault])).toEqual([
      [429, 'rate-limit'],
      [200, null],
    ]);
  });

  it('matches on source, method and path (text or pattern), in the order set, `times` times', async () => {
    const yelp = rawRequests(sandbox).yelp;
    const x = rawRequests(sandbox).x;
    sandbox.injectFault({ source: 'yelp', method: 'POST', kind: 'server-error' });
    sandbox.injectFault({ path: /\/tweets\/search\/recent$/, kind: 'server-error', times: 2 });
    sandbox.injectFault({ source: 'x', kind: 'rate-limit' });
    expect((await get(sandbox, yelp.path, yelp.headers)).status).toBe(200);
    const statuses: number[] = [];
    for (let n = 0; n < 4; n++) statuses.push((await get(sandbox, x.path, x.headers)).status);
    expect(statuses.map((s) => (s >= 500 ? '5xx' : s))).toEqual(['5xx', '5xx', 429, 200]);
    expect(sandbox.requests.slice(1).map((r) => r.fault)).toEqual(['server-error', 'server-error', 'rate-limit', null]);
    // The POST rule is still waiting.
    const posted = await fetch(`${sandbox.url}/reviews/v1/unknown`, { method: 'POST', body: '{}' });
    expect([posted.status, sandbox.requests.at(-1)?.fault]).toEqual([500, 'server-error']);
  });

  it('a no-answer fault holds the answer until the client gives up, and close() still ends everything', async () => {
    const { path, headers } = rawRequests(sandbox)['app-store'];
    sandbox.injectFault({ source: 'app-store', kind: 'no-answer' });
    const outcome = await fetch(`${sandbox.url}${path}`, { headers, signal: AbortSignal.timeout(1000) }).then(
      () => 'answered',
      () => 'gave up',
    );
    expect(outcome).toBe('gave up');
    expect(sandbox.requests.map((r) => [r.status, r.fault])).toEqual([[0, 'no-answer']]);
    expect((await get(sandbox, path, headers)).status).toBe(200);
    sandbox.injectFault({ source: 'app-store', kind: 'no-answer' });
    const pending = fetch(`${sandbox.url}${path}`, { headers }).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sandbox.close();
    expect(await pending).toBe('cut');
  });

  it('refuses what it cannot do with a CONFIG error', () => {
    const refused = (failure: unknown) => {
      try {
        sandbox.injectFault(failure as never);
        return null;
      } catch (error) {
        return ReviewkitError.is(error) ? error.code : 'other';
      }
    };
    expect(refused({ kind: 'slow' })).toBe('CONFIG');
    expect(refused({ kind: 'no-answer', times: 0 })).toBe('CONFIG');
    expect(refused({ kind: 'no-answer', source: 'myspace' })).toBe('CONFIG');
    expect(refused({ kind: 'no-answer', path: 42 })).toBe('CONFIG');
    expect(refused({ kind: 'no-answer', method: '' })).toBe('CONFIG');
    expect(refused(null)).toBe('CONFIG');
    expect(refused({ kind: 'no-answer', path: /x/g })).toBeNull();
  });
});
