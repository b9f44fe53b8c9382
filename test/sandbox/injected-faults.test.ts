// `injectFault`: one-off failures for the next matching requests, and write endpoints that name
// the methods of each path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../sandbox/index.js';
import { get, rawRequests } from './support.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ seed: 45, retryAfterSeconds: 7 });
});
afterAll(() => sandbox.close());

describe('injectFault', () => {
  it('fails the next matching request in the source’s own format, `times` times, then answers again', async () => {
    const { path, headers } = rawRequests(sandbox).trustpilot;
    const pathname = path.split('?')[0] ?? '';
    sandbox.injectFault({ method: 'get', path: pathname, kind: 'rate-limit', times: 2 });
    sandbox.clearRequests();
    const statuses: number[] = [];
    const retryAfter: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await get(sandbox, path, headers);
      statuses.push(answer.status);
      retryAfter.push(answer.headers.get('retry-after'));
    }
    expect(statuses).toEqual([429, 429, 200]);
    expect(retryAfter).toEqual(['7', '7', null]);
    expect(sandbox.requests.map((r) => r.fault)).toEqual(['rate-limit', 'rate-limit', null]);
  });

  it('matches by method and by a RegExp on the path, and leaves other requests alone', async () => {
    const requests = rawRequests(sandbox);
    sandbox.injectFault({ path: /\/customerReviews$/, kind: 'server-error' });
    sandbox.injectFault({ method: 'DELETE', kind: 'server-error' });
    const other = await get(sandbox, requests['google-play'].path, requests['google-play'].headers);
    const hit = await get(sandbox, requests['app-store-connect'].path, requests['app-store-connect'].headers);
    expect([other.status, hit.status]).toEqual([200, 500]);
    expect(JSON.parse(hit.text)).toMatchObject({ errors: [{ status: '500', code: 'UNEXPECTED_ERROR' }] });
    // The DELETE-only fault is still waiting; a GET did not use it up.
    expect((await get(sandbox, requests['google-play'].path, requests['google-play'].headers)).status).toBe(200);
  });

  it('answers a slow answer late, after the API handled it; a lost answer never', async () => {
    const { path, headers } = rawRequests(sandbox)['google-play'];
    sandbox.injectFault({ path: path.split('?')[0] ?? '', kind: 'slow-answer', delayMs: 150 });
    sandbox.injectFault({ path: path.split('?')[0] ?? '', kind: 'lost-answer' });
    sandbox.clearRequests();
    expect((await get(sandbox, path, headers)).status).toBe(200);
    await expect(get(sandbox, path, headers)).rejects.toThrow();
    expect(sandbox.requests.map((r) => [r.status, r.fault])).toEqual([
      [200, null],
      [0, null],
    ]);
  });

  it('checks what it is given', () => {
    expect(() => sandbox.injectFault({ kind: 'explode' as never })).toThrow(/`injectFault` needs a `kind`: one of server-error, rate-limit, slow-answer, lost-answer/);
    expect(() => sandbox.injectFault({ kind: 'slow-answer', delayMs: -1 })).toThrow('sandbox: `delayMs` must be a non-negative number of milliseconds.');
    expect(() => sandbox.injectFault({ kind: 'server-error', times: 0 })).toThrow('sandbox: option `times` must be a whole number from 1 to 1000000.');
    expect(() => sandbox.injectFault({ kind: 'server-error', path: 42 as never })).toThrow('sandbox: `path` must be a path or a RegExp.');
  });
});
