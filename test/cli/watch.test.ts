// `reviewkit watch`, run as a child process against a sandbox served from this process: events
// as NDJSON on stdout, a restart that repeats nothing, a clean exit on Ctrl-C, and signed
// deliveries to a webhook receiver.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, ReviewJsonSchema, type Review, verifyWebhookSignature } from '../../src/index.js';
import { createSandbox, type Sandbox, type SandboxSource } from '../../testing/index.js';
import { builtPackage, runBin, startBin } from './helpers.js';
import { removeScratch } from './sample-config.js';
import { sandboxSecrets, writeSandboxConfig } from './sandbox-helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  [sandbox] = await Promise.all([createSandbox({ seed: 1 }), builtPackage()]);
});
afterAll(async () => {
  removeScratch();
  await sandbox.close();
});

interface PrintedEvent {
  type: 'new' | 'updated' | 'needs-reply';
  id: string;
  review: Review;
}

/** The NDJSON lines of stdout, each checked to be `{ type, id, review }` with a valid review. */
function eventsOf(stdout: string): PrintedEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const event = JSON.parse(line) as { type: PrintedEvent['type']; id: string; review: unknown };
      expect(Object.keys(event)).toEqual(['type', 'id', 'review']);
      return { ...event, review: ReviewJsonSchema.parse(event.review) };
    });
}

const DAY_MS = 86_400_000;
const isOverdue = (review: Review) =>
  (review.polarity === 'negative' || (review.stars !== null && review.stars <= 2)) && review.replies.length === 0 && review.createdAt !== null && review.createdAt.getTime() < Date.now() - DAY_MS;

describe('reviewkit watch', () => {
  it('prints every event as one NDJSON line; Ctrl-C ends it at once, mid-wait; a restart repeats nothing', async () => {
    const sources: SandboxSource[] = ['trustpilot', 'facebook', 'tripadvisor'];
    const dir = writeSandboxConfig(sandbox, { sources });
    const expected = await aggregate(sandbox.adapters(sources));

    // A one-hour interval: once the first poll is done, only a clean stop lets the process end.
    const first = await startBin(['watch', '--config', 'sandbox.json', '--store', 'watched', '--interval', '1h'], { cwd: dir });
    const [, count] = await first.waitFor('stderr', /poll 1: 3 sources synced, (\d+) events; next in about 1h\.\n/);
    await first.waitFor('stdout', new RegExp(`^(.*\\n){${count}}$`));
    const stopped = await first.stop('SIGINT');
    expect(stopped.code).toBe(0);
    expect(stopped.stderr.split('\n')[0]).toBe('Watching 3 sources into watched every 1h. Events go to stdout, one JSON object per line. Ctrl-C stops.');
    expect(stopped.stderr.endsWith('Stopped watching.\n')).toBe(true);
    const events = eventsOf(stopped.stdout);
    expect(events).toHaveLength(Number(count));
    const news = events.filter((event) => event.type === 'new');
    expect(news.map((event) => event.review.id).sort()).toEqual(expected.reviews.map((review) => review.id).sort());
    expect(news.map((event) => event.review).sort((a, b) => (a.id < b.id ? -1 : 1))).toEqual([...expected.reviews].sort((a, b) => (a.id < b.id ? -1 : 1)));
    const overdue = expected.reviews.filter(isOverdue).map((review) => review.id);
    expect(overdue.length).toBeGreaterThan(0);
    expect(events.filter((event) => event.type === 'needs-reply').map((event) => event.review.id).sort()).toEqual(overdue.sort());
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);

    const { externalId } = await sandbox.addReview('trustpilot', { stars: 1, text: 'Cold soup, long wait.' });
    const second = await startBin(['watch', '--config', 'sandbox.json', '--store', 'watched', '--interval', '1s'], { cwd: dir });
    await second.waitFor('stderr', /poll 2: 3 sources synced, 0 events; next in about 1s\.\n/, 30_000);
    const again = await second.stop('SIGINT');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/poll 1: 3 sources synced, 2 events; next in about 1s\.\n/);
    expect(eventsOf(again.stdout).map((event) => [event.type, event.review.id, event.review.text])).toEqual([
      ['new', `trustpilot:${externalId}`, 'Cold soup, long wait.'],
      ['needs-reply', `trustpilot:${externalId}`, 'Cold soup, long wait.'],
    ]);
    for (const run of [stopped, again]) for (const secret of sandboxSecrets(sandbox)) expect(run.stdout + run.stderr).not.toContain(secret);
  }, 90_000);

  it('--webhook delivers each event signed with the secret from the environment; a failing Slack sink is named without its secret path', async () => {
    const secret = 'whsec-0123456789abcdef0123456789abcdef';
    const slackSecret = 'XyZsEcReTsLaCkPaTh0123456789';
    const received: { body: string; headers: IncomingMessage['headers']; path: string }[] = [];
    const receiver: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, path: req.url ?? '' });
        // The webhook takes the event; the "Slack" endpoint does not exist.
        res.writeHead(req.url?.startsWith('/hooks/') ? 204 : 404).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    try {
      const dir = writeSandboxConfig(sandbox, { sources: ['tripadvisor'] });
      const watcher = await startBin(
        ['watch', '--config', 'sandbox.json', '--store', 'hooked', '--interval', '1h', '--webhook', `${origin}/hooks/reviews`, '--webhook-secret-env', 'HOOK_SECRET', '--slack-env', 'SLACK_URL'],
        { cwd: dir, env: { HOOK_SECRET: secret, SLACK_URL: `${origin}/services/T0000/B0000/${slackSecret}` } },
      );
      const [, count] = await watcher.waitFor('stderr', /poll 1: 1 source synced, (\d+) events, (\d+) delivered; next in about 1h\.\n/);
      await watcher.waitFor('stdout', new RegExp(`^(.*\\n){${count}}$`));
      const run = await watcher.stop('SIGINT');
      expect(run.code).toBe(0);
      expect(run.stderr.split('\n')[0]).toBe(`Watching 1 source into hooked every 1h; alerts to the webhook at ${origin} and Slack. Events go to stdout, one JSON object per line. Ctrl-C stops.`);
      const printed = eventsOf(run.stdout);
      expect(printed.length).toBe(Number(count));
      expect(printed.length).toBeGreaterThanOrEqual(5);

      const hooks = received.filter((request) => request.path === '/hooks/reviews');
      expect(hooks).toHaveLength(printed.length);
      for (const [index, hook] of hooks.entries()) {
        const { headers, body } = hook;
        expect(verifyWebhookSignature({ secret, body, timestamp: headers['x-reviewkit-timestamp'] as string, signature: headers['x-reviewkit-signature'] as string })).toBe(true);
        expect(verifyWebhookSignature({ secret: `${secret}x`, body, timestamp: headers['x-reviewkit-timestamp'] as string, signature: headers['x-reviewkit-signature'] as string })).toBe(false);
        const event = JSON.parse(body) as { id: string; type: string; review: unknown };
        expect(headers['x-reviewkit-event-id']).toBe(event.id);
        expect(event).toEqual(JSON.parse(JSON.stringify({ id: printed[index]?.id, type: printed[index]?.type, review: printed[index]?.review })));
      }
      // Slack answered 404 once: the sink stops for this poll, its events stay pending.
      const slack = received.filter((request) => request.path.startsWith('/services/'));
      expect(slack).toHaveLength(1);
      expect(run.stderr).toMatch(new RegExp(`\\nslack: delivery of event \\S+ failed \\(slack: POST ${origin}/… failed with HTTP 404\\.\\); it stays pending and is retried next poll\\.\\n`));
      for (const text of [run.stdout, run.stderr]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(slackSecret);
      }
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  }, 60_000);

  it('refuses a missing or short secret, a secret on the command line, bad durations and URLs, with exit 1 and no secret shown', async () => {
    const dir = writeSandboxConfig(sandbox, { sources: ['tripadvisor'] });
    const args = ['watch', '--config', 'sandbox.json', '--store', 'never'];
    const cases: [string[], Record<string, string>, string][] = [
      [['--webhook', 'https://example.com/hook'], {}, 'error: --webhook needs a signing secret in the environment variable REVIEWKIT_WEBHOOK_SECRET (or name another with --webhook-secret-env). Make one with: openssl rand -hex 32\n'],
      [['--webhook', 'https://example.com/hook'], { REVIEWKIT_WEBHOOK_SECRET: 'short-s3cret' }, 'error: the webhook secret in REVIEWKIT_WEBHOOK_SECRET is too short: use at least 16 characters (openssl rand -hex 32 makes a good one).\n'],
      [['--webhook', 'ftp://example.com/hook'], { REVIEWKIT_WEBHOOK_SECRET: 'long-enough-s3cret-value' }, 'error: --webhook: the URL must be an http(s) URL.\n'],
      [['--webhook-secret-env', 'HOOK'], {}, 'error: --webhook-secret-env names the secret of --webhook; pass --webhook URL too.\n'],
      [['--webhook-secret', 'long-enough-s3cret-value'], {}, "error: unknown option '--webhook-secret'\n"],
      [['--slack', 'https://hooks.slack.com/services/T/B/x', '--slack-env', 'SLACK'], {}, 'error: pass --slack URL or --slack-env NAME, not both.\n'],
      [['--slack-env', 'SLACK'], {}, 'error: --slack-env: the environment variable SLACK is not set.\n'],
      [['--interval', '15'], {}, 'error: --interval must be a duration from 1s to 30d with a unit, like 30s, 15m, 24h or 2d; got "15"\n'],
      [['--needs-reply-after', 'soon'], {}, 'error: --needs-reply-after must be a duration from 0ms to 365d with a unit, like 30s, 15m, 24h or 2d; got "soon"\n'],
    ];
    for (const [flags, env, message] of cases) {
      const run = await runBin([...args, ...flags], { cwd: dir, env });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.slice(0, message.length)).toBe(message);
      for (const value of Object.values(env)) expect(run.stderr).not.toContain(value);
      expect(run.stderr).not.toContain('s3cret');
    }
  }, 60_000);
});
