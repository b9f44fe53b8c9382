import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryStore, type PollReport, type ReviewStore, type WatchEvent, type WatchOptions, watch } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { requestsFor, reviewsFor, ShopSite, shop } from './helpers.js';

const root = new URL('../..', import.meta.url).pathname;
let server: FixtureServer;
let site: ShopSite;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());
beforeEach(() => {
  site = new ShopSite();
  server.reset([site.route()]);
});

const HOUR = 3600_000;
const T = Date.parse('2026-03-01T12:00:00.000Z');

/**
 * Runs `watch` for `polls` polls with a clock that advances `stepMs` per poll, calling `between`
 * after each poll (to change the source's data), and returns every event by poll.
 */
async function watchPolls(
  store: ReviewStore,
  polls: number,
  options: Partial<WatchOptions> & { stepMs?: number; between?: (poll: number) => void; adapters?: ReturnType<typeof shop>[] } = {},
): Promise<{ events: string[][]; reports: PollReport[] }> {
  const { stepMs = HOUR, between, adapters = [shop({ shop: 'a', baseUrl: server.url })], ...rest } = options;
  const controller = new AbortController();
  const events: string[][] = [[]];
  const reports: PollReport[] = [];
  let poll = 0;
  for await (const event of watch(adapters, {
    store,
    intervalMs: 1,
    jitter: 0,
    retry: { attempts: 1 },
    clock: () => new Date(T + poll * stepMs),
    signal: controller.signal,
    ...rest,
    onPoll: (report) => {
      reports.push(report);
      poll++;
      between?.(poll);
      if (poll >= polls) setImmediate(() => controller.abort());
      events.push([]);
    },
  })) {
    (events[events.length - 2] as string[]).push(label(event));
  }
  return { events: events.slice(0, polls), reports };
}

const label = (event: WatchEvent) => `${event.type} ${event.review.externalId}`;

describe('watch', () => {
  it('emits `new` once per review across many polls, and `updated` once per edit', async () => {
    const store = memoryStore();
    site.add('a', ...reviewsFor('a', 4).map((r) => ({ ...r, stars: 5 })));
    const { events } = await watchPolls(store, 6, {
      between: (poll) => {
        if (poll === 2) site.add('a', { id: 'a-new', stars: 4, text: 'Arrived later', at: '2026-03-02T00:00:00.000Z' });
        if (poll === 4) site.edit('a', 'a1', { text: 'Edited text' });
      },
    });
    expect(events).toEqual([['new a1', 'new a2', 'new a3', 'new a4'], [], ['new a-new'], [], ['updated a1'], []]);
  });

  it('emits `needs-reply` for an unanswered 1★ review after the grace period, once, and never after a reply', async () => {
    const store = memoryStore();
    site.add(
      'a',
      { id: 'angry', stars: 1, text: 'Cold soup.', at: new Date(T).toISOString() },
      { id: 'sad', stars: 1, text: 'Slow service.', at: new Date(T).toISOString() },
      { id: 'happy', stars: 5, text: 'Lovely.', at: new Date(T).toISOString() },
    );
    // The clock reads T, T+12h, T+24h …: the 24-hour grace ends at the third poll. The owner
    // answers "sad" before that.
    const { events } = await watchPolls(store, 5, {
      stepMs: 12 * HOUR,
      between: (poll) => {
        if (poll === 1) site.edit('a', 'sad', { reply: 'So sorry, we are on it.' });
      },
    });
    expect(events).toEqual([['new sad', 'new happy', 'new angry'], ['updated sad'], ['needs-reply angry'], [], []]);
    // A restart of the watch over the same store repeats nothing.
    const again = await watchPolls(store, 2, { stepMs: 10 * HOUR });
    expect(again.events).toEqual([[], []]);
    // Once answered, a marked review is an edit, not a new alert.
    site.edit('a', 'angry', { reply: 'Sorry about the soup.' });
    const answered = await watchPolls(store, 1, { stepMs: 100 * HOUR });
    expect(answered.events).toEqual([['updated angry']]);
  });

  it('pauses a failing source with growing backoff while the others carry on', async () => {
    const store = memoryStore();
    site.add('a', ...reviewsFor('a', 2));
    server.prepend({ path: '/shops/broken/reviews', status: 500, body: 'down', headers: { 'content-type': 'text/plain' } });
    const adapters = [shop({ shop: 'a', baseUrl: server.url }), shop({ shop: 'broken', baseUrl: server.url })];
    // The clock moves one interval a poll, and jitter is off: the broken source sits out 1, 2, 4 … polls' worth.
    const { reports } = await watchPolls(store, 9, { adapters, intervalMs: 1, stepMs: 1 });
    expect(requestsFor(server, 'a')).toHaveLength(9);
    expect(requestsFor(server, 'broken')).toHaveLength(4);
    expect(reports.map((r) => r.sources.map((s) => `${s.subjectId}:${s.status}`).join(' '))).toEqual([
      'a:ok broken:failed',
      'a:ok broken:failed',
      'a:ok',
      'a:ok broken:failed',
      'a:ok',
      'a:ok',
      'a:ok',
      'a:ok broken:failed',
      'a:ok',
    ]);
    expect(reports[2]?.paused).toEqual([{ source: 'shop', subjectId: 'broken', key: expect.any(String), failures: 2, until: new Date(T + 3) }]);
  });

  it('delivers to any async function sink, once per event', async () => {
    const store = memoryStore();
    site.add('a', ...reviewsFor('a', 2));
    const received: string[] = [];
    const sink = async (event: WatchEvent) => {
      received.push(label(event));
    };
    await watchPolls(store, 3, { sinks: [sink] });
    expect(received).toEqual(['new a1', 'new a2']);
    expect(await store.pendingDeliveries()).toEqual([]);
  });

  it('rejects bad options before polling', () => {
    const store = memoryStore();
    expect(() => watch([], { store, intervalMs: 0 })).toThrow(/`intervalMs` must be a positive number/);
    expect(() => watch([], { intervalMs: 10 } as never)).toThrow(/`store` is required/);
    const sink = async () => {};
    expect(() => watch([], { store, intervalMs: 10, sinks: [Object.assign(sink, { sinkId: 'x' }), Object.assign(async () => {}, { sinkId: 'x' })] })).toThrow(/share the id "x"/);
  });

  it('shuts down on abort with nothing left open: the process exits by itself', async () => {
    // The second poll's request hangs; the child aborts while it is in flight, and must then exit
    // without process.exit(): any timer or socket left open would keep it alive.
    site.add('a', ...reviewsFor('a', 3).map((r) => ({ ...r, stars: 5 })));
    server.reset([{ ...site.route(), times: 1 }, { path: '/shops/a/reviews', delayMs: 30_000, body: { items: [], next: null } }]);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/sync/scripts/watch-child.ts', server.url], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(['poll 1', 'new a1', 'new a2', 'new a3', 'aborting', 'stopped']);
    expect(requestsFor(server, 'a')).toHaveLength(2);
  }, 30_000);
});
