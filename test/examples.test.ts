import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { acme } from '../examples/custom-adapter.js';
import { aggregate, readReviews } from '../src/index.js';
import { type FixtureRoute, startFixtureServer, testAdapter } from '../src/testing/index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/acme/${name}.json`, import.meta.url), 'utf8'));
const TOKEN = 'acme-token-s3cr3t-value';
const path = '/shops/s1/reviews';
const routes: FixtureRoute[] = [
  { path, query: { after: null }, body: fixture('page1') },
  { path, query: { after: 'c2' }, body: fixture('page2') },
];

// The README's custom adapter passes the same contract suite as the built-in ones.
testAdapter(acme, {
  options: { token: TOKEN, shopId: 's1' },
  requiredOptions: ['token', 'shopId'],
  secrets: [TOKEN],
  routes,
  expectedReviews: 3,
  expectedPages: 2,
  errors: [
    { name: '401', routes: [{ path, status: 401, body: { message: 'bad token' } }], code: 'AUTH' },
    { name: '404', routes: [{ path, status: 404, body: { message: 'no such shop' } }], code: 'NOT_FOUND' },
  ],
});

describe('README custom adapter example', () => {
  it('normalizes 0–10 scores, Paris wall time across the DST gap, HTML text and replies', async () => {
    const server = await startFixtureServer(routes);
    try {
      const { reviews } = await aggregate([acme({ token: TOKEN, shopId: 's1', baseUrl: server.url })]);
      expect(reviews.map((r) => r.id)).toEqual(['acme:a-3', 'acme:a-2', 'acme:a-1']);
      const [first, second, third] = reviews;
      expect(first?.rating).toEqual({ value: 9, min: 0, max: 10 });
      expect(first?.stars).toBeCloseTo(4.6, 10);
      expect(first?.text).toBe('Lovely crêpes & quick service');
      // 02:30 on 2025-03-30 does not exist in Paris (clocks jump 02:00 → 03:00).
      expect(first?.createdAt?.toISOString()).toBe('2025-03-30T01:30:00.000Z');
      expect(first?.replies).toEqual([{ text: 'Merci !', createdAt: new Date('2025-03-31T07:00:00.000Z'), author: null }]);
      expect(second?.polarity).toBe('negative');
      expect(third?.text).toBeNull();
      expect(third?.createdAt?.toISOString()).toBe('2024-12-31T22:30:00.000Z');
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    } finally {
      await server.close();
    }
  });
});

describe('README', () => {
  it('shows the custom adapter exactly as examples/custom-adapter.ts has it', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Writing your own adapter'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const example = readFileSync(new URL('../examples/custom-adapter.ts', import.meta.url), 'utf8');
    const code = example.replace(/^(\/\/.*\n)+/, '');
    expect(block).toBe(code);
  });
});

describe('npm run demo', () => {
  it('is `reviewkit demo` run from the sources (no build): offline, every source listed, both files written and valid', async () => {
    const { execFile } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const root = new URL('..', import.meta.url).pathname;
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts.demo).toBe('tsx cli/index.ts demo');
    // The same command from another folder: tsx needs to be told where the project's tsconfig is
    // (its paths map `reviewkit` to the sources); npm runs the script from the project itself.
    const cwd = mkdtempSync(join(tmpdir(), 'reviewkit-demo-'));
    try {
      const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve, reject) => {
        const child = execFile(
          join(root, 'node_modules', '.bin', 'tsx'),
          ['--tsconfig', join(root, 'tsconfig.json'), join(root, 'cli', 'index.ts'), 'demo'],
          { cwd, encoding: 'utf8', env: { ...process.env, HTTP_PROXY: '', HTTPS_PROXY: '', NO_COLOR: '1' } },
          (error, out) => (error && typeof error.code !== 'number' ? reject(error) : resolve({ stdout: out, code: child.exitCode })),
        );
      });
      expect(code).toBe(0);
      const table = stdout.split('\n\n')[0] ?? '';
      for (const source of ['yelp', 'google-places', 'google-business-profile', 'facebook', 'trustpilot', 'tripadvisor', 'app-store', 'app-store-connect', 'google-play', 'schema-org', 'x', 'instagram']) {
        expect(table).toMatch(new RegExp(`^ ?\\d+  ${source} +\\S.* ok `, 'm'));
      }
      expect(stdout).toMatch(/\nReputation score {2}\d+\.\d \/ 100 /);
      const reviews = await readReviews(join(cwd, 'reviewkit-demo.ndjson'));
      expect(reviews.length).toBeGreaterThan(300);
      expect(new Set(reviews.map((review) => review.source)).size).toBe(11);
      expect(stdout).toContain(`Wrote reviewkit-demo.ndjson (${reviews.length} reviews) and reviewkit-demo.html (the report).`);
      const html = readFileSync(join(cwd, 'reviewkit-demo.html'), 'utf8');
      for (const chart of ['score', 'breakdown', 'distribution', 'trend', 'sources', 'responses']) expect(html).toContain(`data-chart="${chart}"`);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
