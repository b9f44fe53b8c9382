// `reviewkit sandbox`, run as a child process: it serves every built-in source until Ctrl-C and
// prints a config that `fetch` uses as is.
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, parseReviews } from '../../src/index.js';
import { createSandbox, SANDBOX_SOURCES } from '../../testing/index.js';
import { builtPackage, runBin, startBin } from './helpers.js';
import { removeScratch, scratchDir } from './sample-config.js';

beforeAll(async () => {
  await builtPackage();
});
afterAll(removeScratch);

/** Whether anything still answers at `url`. */
function isListening(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET' }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

describe('reviewkit sandbox', () => {
  it('prints a config pointing every source at it; fetch reads it as is; Ctrl-C stops it cleanly with exit 0', async () => {
    const dir = scratchDir();
    const sandbox = await startBin(['sandbox', '--seed', '3'], { cwd: dir });
    const [, url] = await sandbox.waitFor('stderr', /Sandbox ready on (http:\/\/127\.0\.0\.1:\d+): 13 sources, seed 3\.\n/);
    await sandbox.waitFor('stderr', /Press Ctrl-C to stop\.\n/);
    const config = JSON.parse(sandbox.stdout) as { sources: { adapter: string; options: Record<string, unknown> }[]; retry?: unknown };
    expect(config.sources.map((source) => source.adapter)).toEqual([
      'yelp',
      'google-places',
      'google-places',
      'google-business-profile',
      'facebook',
      'trustpilot',
      'tripadvisor',
      'app-store',
      'app-store-connect',
      'google-play',
      'schema-org',
      'x',
      'instagram',
    ]);
    expect(config.sources.every((source) => source.options.baseUrl === url)).toBe(true);
    expect(config.retry).toBeUndefined();
    expect(sandbox.stderr).toContain('Save it as sandbox.json, then: reviewkit fetch --config sandbox.json\n');

    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'sandbox.json'), sandbox.stdout);
    const fetched = await runBin(['fetch', '--config', 'sandbox.json', '--quiet'], { cwd: dir });
    expect(fetched.stderr).toBe('');
    expect(fetched.code).toBe(0);
    // The same seed in this process serves the same reviews.
    const reference = await createSandbox({ seed: 3 });
    try {
      const expected = await aggregate(reference.adapters(SANDBOX_SOURCES));
      const reviews = parseReviews(fetched.stdout, { format: 'ndjson' });
      expect(reviews.length).toBeGreaterThan(300);
      expect(reviews).toEqual(expected.reviews);
    } finally {
      await reference.close();
    }

    const stopped = await sandbox.stop('SIGINT');
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(/\nSandbox stopped after \d+ requests\.\n$/);
    expect(Number(/after (\d+) requests/.exec(stopped.stderr)?.[1])).toBeGreaterThanOrEqual(13);
    expect(await isListening(url as string)).toBe(false);
  }, 60_000);

  it('--write-config writes the file (with retries when failures are injected); SIGTERM stops it too', async () => {
    const dir = scratchDir();
    const sandbox = await startBin(['sandbox', '--write-config', 'sb.json', '--latency', '5', '--fail-rate', '0.1'], { cwd: dir });
    const [, url] = await sandbox.waitFor('stderr', /Sandbox ready on (http:\/\/127\.0\.0\.1:\d+): 13 sources, seed 1, 5 ms latency, 10% of requests failing\.\n/);
    await sandbox.waitFor('stderr', /Press Ctrl-C to stop\.\n/);
    expect(sandbox.stdout).toBe('');
    expect(sandbox.stderr).toContain('Config written to sb.json. Try: reviewkit fetch --config sb.json\n');
    const config = JSON.parse(readFileSync(join(dir, 'sb.json'), 'utf8')) as { sources: { options: { baseUrl: string } }[]; retry: unknown };
    expect(config.retry).toEqual({ attempts: 5 });
    expect(config.sources).toHaveLength(13);
    expect(config.sources[0]?.options.baseUrl).toBe(url);
    const stopped = await sandbox.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(/Sandbox stopped after 0 requests\.\n$/);
  });

  it('refuses bad flags and a busy port with exit 1, without a stack', async () => {
    const rate = await runBin(['sandbox', '--fail-rate', '2']);
    expect(rate).toEqual({ code: 1, stdout: '', stderr: 'error: --fail-rate must be a number from 0 to 1; got "2"\n' });
    const port = await runBin(['sandbox', '--port', '80.5']);
    expect(port).toEqual({ code: 1, stdout: '', stderr: 'error: --port must be a whole number from 0 to 65535; got "80.5"\n' });
    const latency = await runBin(['sandbox', '--latency', 'fast']);
    expect(latency.stderr).toBe('error: --latency must be a number from 0 to 60000; got "fast"\n');

    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const taken = (busy.address() as AddressInfo).port;
      const run = await runBin(['sandbox', '--port', String(taken)]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`error: sandbox: cannot listen on 127.0.0.1:${taken} (EADDRINUSE); choose another --port, or 0 for any free one.\n`);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
