import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createReview,
  memoryStore,
  type Review,
  ReviewkitError,
  reviewFingerprint,
  slackMessage,
  toSlack,
  toWebhook,
  verifyWebhookSignature,
  type WatchEvent,
  watch,
} from '../../src/index.js';
import { isSignedByReviewkit } from '../../examples/webhook-receiver.js';
import { eventOf } from '../../src/store/records.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { reviewsFor, ShopSite, shop } from './helpers.js';

/** A webhook receiver on 127.0.0.1: records every request's raw body and headers, answers from a script. */
interface Receiver {
  url: string;
  requests: Array<{ path: string; headers: IncomingHttpHeaders; body: string; status: number }>;
  /** Statuses to answer with, in order; 200 once exhausted. */
  script: number[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', requests: [], script: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = receiver.script.shift() ?? 200;
      receiver.requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : 'receiver is down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

const SECRET = 'whsec-3f9a1c7e55b24d08a6e1';
const HOOK_PATH = '/hooks/reviews/T0KEN-IN-PATH-9931';
const oneStar: Review = createReview('yelp', {
  externalId: 'r-1',
  subject: { id: 'acme-bistro', name: 'Acme Bistro' },
  url: 'https://www.yelp.com/biz/acme-bistro?hrid=r-1',
  author: { name: 'Jo B.' },
  rating: { value: 1, min: 1, max: 5 },
  title: null,
  text: 'Cold soup & a 40-minute wait. <Never again>.',
  createdAt: new Date('2026-03-01T18:30:00Z'),
});
const event = (type: WatchEvent['type'], review = oneStar): WatchEvent => eventOf(type, review, reviewFingerprint(review));

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.requests.length = 0;
  receiver.script = [];
});

describe('toWebhook', () => {
  it('POSTs the event as JSON with a signature the documented recipe verifies', async () => {
    const sink = toWebhook(`${receiver.url}${HOOK_PATH}`, { secret: SECRET });
    const sent = event('needs-reply');
    await sink(sent);
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests as [Receiver['requests'][0]];
    expect(request.path).toBe(HOOK_PATH);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-reviewkit-event-id']).toBe(sent.id);
    expect(JSON.parse(request.body)).toEqual({ id: sent.id, type: 'needs-reply', review: JSON.parse(JSON.stringify(oneStar)) });

    // The receiver-side recipe from the README, verbatim in substance.
    const timestamp = request.headers['x-reviewkit-timestamp'] as string;
    const signature = request.headers['x-reviewkit-signature'] as string;
    const expected = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex')}`;
    const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
    expect(fresh && signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);

    // The standalone receiver of examples/webhook-receiver.ts (shown in the docs) agrees.
    expect(isSignedByReviewkit(request.body, request.headers, SECRET)).toBe(true);
    expect(isSignedByReviewkit(request.body.replace('Cold', 'Hot'), request.headers, SECRET)).toBe(false);
    expect(isSignedByReviewkit(request.body, request.headers, SECRET, Number(timestamp) * 1000 + 301_000)).toBe(false);
    expect(verifyWebhookSignature({ secret: SECRET, body: request.body, timestamp, signature })).toBe(true);
    expect(verifyWebhookSignature({ secret: SECRET, body: Buffer.from(request.body), timestamp, signature })).toBe(true);
    expect(verifyWebhookSignature({ secret: SECRET, body: request.body.replace('Cold', 'Hot'), timestamp, signature })).toBe(false);
    expect(verifyWebhookSignature({ secret: 'another-secret-of-16+', body: request.body, timestamp, signature })).toBe(false);
    // A replay ten minutes later is refused, even with the right signature.
    expect(verifyWebhookSignature({ secret: SECRET, body: request.body, timestamp, signature, now: Number(timestamp) * 1000 + 600_000 })).toBe(false);
    expect(verifyWebhookSignature({ secret: SECRET, body: request.body, timestamp: undefined, signature })).toBe(false);
  });

  it('retries a failing receiver with backoff, with the same event id', async () => {
    receiver.script = [500, 503];
    const sink = toWebhook(`${receiver.url}${HOOK_PATH}`, { secret: SECRET, retry: { attempts: 3, baseDelayMs: 1 } });
    await sink(event('new'));
    expect(receiver.requests.map((r) => r.status)).toEqual([500, 503, 200]);
    expect(new Set(receiver.requests.map((r) => r.headers['x-reviewkit-event-id'])).size).toBe(1);
  });

  it('fails with an error that names the receiver’s origin only, never the secret or the path', async () => {
    receiver.script = [500];
    const sink = toWebhook(`${receiver.url}${HOOK_PATH}?token=QUERY-SECRET-77`, { secret: SECRET, retry: { attempts: 1 } });
    const error = await sink(event('new')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviewkitError);
    expect(error).toMatchObject({ code: 'HTTP', status: 500, source: 'webhook', message: `webhook: POST ${receiver.url}/… failed with HTTP 500: "receiver is down".` });
    const down = toWebhook(`http://127.0.0.1:9${HOOK_PATH}`, { secret: SECRET, retry: { attempts: 1 } });
    const network = await down(event('new')).catch((e: unknown) => e);
    expect(network).toMatchObject({ code: 'NETWORK' });
    for (const text of [String(error), JSON.stringify(error), inspect(error), inspect(network), JSON.stringify(network)]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('T0KEN-IN-PATH');
      expect(text).not.toContain('QUERY-SECRET');
    }
    expect(() => toWebhook(receiver.url, { secret: 'short' })).toThrow(/at least 16 characters/);
    expect(() => toWebhook('ftp://x', { secret: SECRET })).toThrow(/http\(s\) URL/);
  });
});

describe('toSlack', () => {
  it('formats a 1★ review as Slack text and blocks', () => {
    expect(slackMessage(event('needs-reply'))).toEqual({
      text: 'Review awaiting a reply: ★☆☆☆☆ 1/5 on yelp by Jo B. — “Cold soup &amp; a 40-minute wait. &lt;Never again&gt;.”',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Review awaiting a reply* · ★☆☆☆☆ 1/5 · yelp' } },
        { type: 'section', text: { type: 'mrkdwn', text: '>Cold soup &amp; a 40-minute wait. &lt;Never again&gt;.' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Jo B. · Acme Bistro · 2026-03-01 · <https://www.yelp.com/biz/acme-bistro?hrid=r-1|Open on yelp>' }] },
      ],
    });
  });

  it('shows recommendations, titles, long text and anonymous authors readably', () => {
    const review = createReview('facebook', {
      externalId: 'f-1',
      subject: { id: '123', name: null },
      recommendation: 'negative',
      title: 'Not great',
      text: `${'Long text. '.repeat(60)}\nSecond line`,
      createdAt: null,
    });
    const message = slackMessage(event('new', review));
    expect(message.text).toBe(`New review: Does not recommend on facebook by Anonymous — “Not great — ${'Long text. '.repeat(11)}Long t…”`);
    const quoted = (message.blocks[1] as { text: { text: string } }).text.text;
    expect(quoted.startsWith('>*Not great*\n>Long text. Long text.')).toBe(true);
    expect(quoted.endsWith('…')).toBe(true);
    expect(message.blocks[2]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Anonymous · 123' }] });
  });

  it('posts the message to the webhook URL and keeps the URL’s secret path out of errors', async () => {
    const url = `${receiver.url}/services/T00000000/B00000000/XXXXSLACKSECRETXXXX`;
    await toSlack(url)(event('needs-reply'));
    expect(JSON.parse(receiver.requests[0]?.body ?? '')).toEqual(slackMessage(event('needs-reply')));
    receiver.script = [404];
    const error = await toSlack(url, { retry: { attempts: 1 } })(event('new')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND', source: 'slack' });
    for (const text of [String(error), JSON.stringify(error), inspect(error)]) expect(text).not.toContain('XXXXSLACKSECRETXXXX');
  });
});

describe('sinks under watch', () => {
  let sources: FixtureServer;
  beforeAll(async () => {
    sources = await startFixtureServer();
  });
  afterAll(() => sources.close());

  it('keeps a failed event pending and delivers it exactly once after the receiver recovers', async () => {
    const site = new ShopSite();
    site.add('a', ...reviewsFor('a', 2).map((r) => ({ ...r, stars: 5 })));
    sources.reset([site.route()]);
    const store = memoryStore();
    // The receiver fails twice: the first poll's delivery and the second poll's retry.
    receiver.script = [500, 500];
    const sink = toWebhook(`${receiver.url}${HOOK_PATH}`, { secret: SECRET, retry: { attempts: 1 } });
    const controller = new AbortController();
    const failedPerPoll: number[] = [];
    for await (const _ of watch([shop({ shop: 'a', baseUrl: sources.url })], {
      store,
      intervalMs: 1,
      sinks: [sink],
      retry: { attempts: 1 },
      signal: controller.signal,
      onPoll: (report) => {
        failedPerPoll.push(report.failed.length);
        if (report.poll === 5) setImmediate(() => controller.abort());
      },
    })) {
      // events are also yielded; this test is about the sink
    }
    // Poll 1: the first event fails (the sink keeps order, so the second waits); poll 2: again; poll 3: both delivered.
    expect(failedPerPoll).toEqual([1, 1, 0, 0, 0]);
    const delivered = receiver.requests.filter((r) => r.status === 200).map((r) => JSON.parse(r.body) as { id: string; review: { externalId: string } });
    expect(delivered.map((d) => d.review.externalId)).toEqual(['a1', 'a2']);
    expect(new Set(delivered.map((d) => d.id)).size).toBe(2);
    expect(receiver.requests.map((r) => r.status)).toEqual([500, 500, 200, 200]);
    expect(await store.pendingDeliveries()).toEqual([]);
  });
});

describe('docs/keeping-up-to-date.md', () => {
  const docs = readFileSync(new URL('../../docs/keeping-up-to-date.md', import.meta.url), 'utf8');
  const blocks = (language: string) => [...docs.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

  it('shows the tested receiver and the cron example verbatim', () => {
    expect(blocks('ts')).toContain(readFileSync(new URL('../../examples/webhook-receiver.ts', import.meta.url), 'utf8'));
    expect(blocks('ts')).toContain(readFileSync(new URL('../../examples/keep-up-to-date.ts', import.meta.url), 'utf8'));
  });

  it('shows the Slack message slackMessage really builds', () => {
    expect(JSON.parse(blocks('json')[0] as string)).toEqual(slackMessage(event('needs-reply')));
  });
});
