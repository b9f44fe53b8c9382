// The sandbox's life: it starts on its port, close() leaves nothing open (a process that used it
// exits by itself), and importing it needs neither vitest nor anything heavy.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox/index.js';
import { ReviewkitError } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/** Runs a script under plain Node with tsx, some imports forbidden; it is killed after 30 s. */
function node(script: string, forbidden: readonly string[]) {
  return run(process.execPath, ['--import', 'tsx', '--import', './test/scripts/forbid-imports.mjs', script], {
    cwd: root,
    timeout: 30_000,
    env: { ...process.env, FORBIDDEN_IMPORTS: forbidden.join(',') },
  });
}

describe('close()', () => {
  it('refuses connections afterwards, cuts answers still waiting, and may be called twice', async () => {
    const sandbox = await createSandbox({ latencyMs: 60_000 });
    const waiting = fetch(`${sandbox.url}/us/rss/customerreviews/page=1/id=1600000001/sortby=mostrecent/json`).then(
      (response) => response.status,
      (error: unknown) => (error instanceof Error ? 'cut' : 'other'),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sandbox.requests).toHaveLength(1);
    await Promise.all([sandbox.close(), sandbox.close()]);
    await sandbox.close();
    expect(await waiting).toBe('cut');
    await expect(fetch(sandbox.url)).rejects.toThrow();
  });

  it('leaves nothing open: a process that used every source exits by itself', async () => {
    const { stdout } = await node('test/scripts/sandbox-session.ts', ['vitest']);
    expect(JSON.parse(stdout.trim())).toEqual({ statuses: Array(13).fill('ok'), pending: 'cut', refused: true });
  }, 40_000);
});

describe('loading', () => {
  it('imports in plain Node without vitest, adapters, zod, axios, cheerio or sentiment', async () => {
    const heavy = ['vitest', 'cheerio', 'axios', 'zod', 'wink-sentiment', 'htmlparser2', 'p-limit', 'date-fns', '@date-fns/tz'];
    const { stdout } = await node('test/scripts/sandbox-import.ts', heavy);
    expect(JSON.parse(stdout.trim())).toEqual(['DEFAULT_SANDBOX_ANCHOR', 'DEFAULT_SANDBOX_SEED', 'SANDBOX_SOURCES', 'createSandbox']);
  }, 40_000);

  it('the import guard works: a forbidden import fails the script', async () => {
    const failure = await node('test/scripts/sandbox-session.ts', ['axios']).catch((error: unknown) => error);
    expect(String((failure as { stderr?: string }).stderr)).toContain('forbidden import: axios');
  }, 40_000);
});

describe('port', () => {
  it('listens on the port asked for, and reports a busy one', async () => {
    const first = await createSandbox();
    const port = Number(new URL(first.url).port);
    await first.close();
    const second = await createSandbox({ port });
    try {
      expect(second.url).toBe(`http://127.0.0.1:${port}`);
      const busy = await createSandbox({ port }).catch((error: unknown) => error);
      expect(ReviewkitError.is(busy) && [busy.code, busy.message, busy.cause instanceof Error && busy.cause.name]).toEqual([
        'CONFIG',
        `sandbox: cannot listen on 127.0.0.1:${port} (EADDRINUSE); choose another \`port\`, or 0 for any free one.`,
        'EADDRINUSE',
      ]);
    } finally {
      await second.close();
    }
  });
});
