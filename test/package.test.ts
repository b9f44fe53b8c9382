// Packs the library and uses it from a fresh consumer project, the way a user installs it:
// ESM import, CJS require, and a consumer .ts file type-checked under node16 and bundler.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer } from '../src/testing/index.js';

const root = new URL('..', import.meta.url).pathname;
let dir: string;

const run = (cmd: string, args: string[], cwd = dir) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_loglevel: 'error' } });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reviewkit-consumer-'));
  run('npx', ['tsup', '--silent'], root);
  run('npm', ['pack', '--pack-destination', dir, '--silent'], root);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`, 'zod@4', 'typescript@5.9.3', '@types/node@20']);
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every adapter subpath and the factories it exports (the exports map must list each). */
const ADAPTERS: Record<string, string[]> = {
  yelp: ['yelp'],
  facebook: ['facebook'],
  google: ['googlePlaces', 'googleBusinessProfile'],
  trustpilot: ['trustpilot'],
  tripadvisor: ['tripadvisor'],
  'app-store': ['appStore', 'appStoreConnect'],
  'google-play': ['googlePlay'],
  'schema-org': ['schemaOrg'],
  x: ['x'],
  instagram: ['instagram'],
};
const factories = Object.values(ADAPTERS).flat();

const usage = `
  // Port 9 on loopback is closed: the source fails fast with NETWORK and never leaves the machine.
  const adapter = yelp({ apiKey: 'k', businessId: 'acme', baseUrl: 'http://127.0.0.1:9' });
  const result = await aggregate([adapter], { concurrency: 2, retry: { attempts: 1 } });
  if (result.sources[0].error.code !== 'NETWORK') throw new Error('expected NETWORK');
  // An error thrown inside each subpath is an instance of the root's class.
  const bad = [${factories.map((f) => `() => ${f}({})`).join(', ')}];
  const sameClass = bad.map((make) => { try { make(); return false; } catch (e) { return e instanceof ReviewkitError && e.code === 'CONFIG'; } });
  const networkSameClass = result.sources[0].error instanceof ReviewkitError;
  console.log(JSON.stringify({ reviews: result.reviews.length, sources: result.sources.length, sameClass, networkSameClass, name: adapter.name }));
`;
const expected = { reviews: 0, sources: 1, sameClass: factories.map(() => true), networkSameClass: true, name: 'yelp' };

describe('packed package in a consumer project', () => {
  it('works with ESM import', () => {
    const imports = Object.entries(ADAPTERS).map(([path, names]) => `import { ${names.join(', ')} } from 'reviewkit/adapters/${path}';`);
    writeFileSync(join(dir, 'esm.mjs'), [`import { aggregate, ReviewkitError } from 'reviewkit';`, ...imports, usage].join('\n'));
    const out = JSON.parse(run('node', ['esm.mjs']));
    expect(out).toEqual(expected);
  }, 60_000);

  it('works with CJS require', () => {
    const requires = Object.entries(ADAPTERS).map(([path, names]) => `const { ${names.join(', ')} } = require('reviewkit/adapters/${path}');`);
    writeFileSync(join(dir, 'cjs.cjs'), [`const { aggregate, ReviewkitError } = require('reviewkit');`, ...requires, `(async () => {${usage}})();`].join('\n'));
    const out = JSON.parse(run('node', ['cjs.cjs']));
    expect(out).toEqual(expected);
  }, 60_000);

  it('installs the reviewkit command: npx reviewkit runs from the tarball', () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(run('npx', ['reviewkit', '--help'])).toMatch(/^Usage: reviewkit \[options\] \[command\]/);
    expect(run('npx', ['reviewkit', '--version'])).toBe(`${version}\n`);
    // A command that loads the installed library (through the package's own name) and scores.
    writeFileSync(join(dir, 'plain.json'), JSON.stringify([{ stars: 5, createdAt: '2026-01-10T00:00:00Z', source: 'trustpilot' }]));
    expect(run('npx', ['reviewkit', 'score', 'plain.json', '--json', '--as-of', '2026-02-01'])).toContain('"averageRating": 5,');
    // The demo too: the sandbox it fetches from ships in reviewkit/testing.
    expect(run('npx', ['reviewkit', 'demo'])).toMatch(/\nWrote reviewkit-demo\.ndjson \(\d+ reviews\) and reviewkit-demo\.html \(the report\)\.\n/);
    expect(readFileSync(join(dir, 'reviewkit-demo.html'), 'utf8')).toContain('data-chart="trend"');
  }, 60_000);

  it('ships declarations without `any`', () => {
    const dist = join(dir, 'node_modules', 'reviewkit', 'dist');
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => /\.d\.c?ts$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const code = readFileSync(join(dist, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, file).not.toMatch(/\bany\b/);
    }
  });

  it.each(['node16', 'bundler'])('type-checks a consumer file under moduleResolution %s', (resolution) => {
    const mod = resolution === 'node16' ? 'node16' : 'esnext';
    writeFileSync(
      join(dir, 'consumer.mts'),
      `import { aggregate, defineAdapter, ReviewkitError, type Review, type SourceReport } from 'reviewkit';
import { yelp, type YelpOptions } from 'reviewkit/adapters/yelp';
import { z } from 'zod';
const options: YelpOptions = { apiKey: 'k', businessId: 'b' };
const custom = defineAdapter({
  name: 'custom', baseUrl: 'https://x.example', options: z.object({ id: z.string() }), subjectId: (o) => o.id,
  page: z.object({ items: z.array(z.object({ id: z.string(), n: z.number() })) }),
  async *pages(ctx) { const page = await ctx.fetchPage('/p'); yield { items: page.items }; },
  normalize: (item) => ({ externalId: item.id, subject: { id: 'x' }, rating: { value: item.n, min: 1, max: 5 }, createdAt: null }),
});
export async function main(): Promise<number | null> {
  const { reviews, sources }: { reviews: Review[]; sources: SourceReport[] } = await aggregate([yelp(options), custom({ id: 'x' })]);
  const failed = sources.find((s) => s.error instanceof ReviewkitError);
  // @ts-expect-error -- unknown options are type errors too
  yelp({ apiKey: 'k', businessId: 'b', nope: 1 });
  return failed ? null : (reviews[0]?.stars ?? null);
}
`,
    );
    // The README's quick start, verbatim, must type-check as a user's file.
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const quickStart = /## Quick start\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(quickStart).toBeDefined();
    writeFileSync(join(dir, 'quick-start.mts'), `${quickStart}export {};\n`);
    // So must every complete example of the README, each as its own module: not the fragments
    // (relative imports, an abridged file, a block continuing the one before it).
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((m) => m[1] ?? '')
      .filter((code) => /from 'reviewkit/.test(code) && !/from '\.\.?\//.test(code) && !/\(abridged\)|^\/\/ \w+ and its spec as in/.test(code));
    expect(blocks.length).toBeGreaterThanOrEqual(14);
    const exampleFiles = blocks.map((code, i) => {
      writeFileSync(join(dir, `readme-example-${i}.mts`), `${code}export {};\n`);
      return `readme-example-${i}.mts`;
    });
    writeFileSync(
      join(dir, `tsconfig.${resolution}.json`),
      JSON.stringify({
        compilerOptions: { module: mod, moduleResolution: resolution, target: 'es2022', strict: true, noEmit: true, types: ['node'], skipLibCheck: false },
        files: ['consumer.mts', 'quick-start.mts', ...exampleFiles],
      }),
    );
    expect(() => run('npx', ['tsc', '-p', `tsconfig.${resolution}.json`])).not.toThrow();
  }, 180_000);
});

describe('reviewkit/testing without vitest', () => {
  it('runs the adapter contract on a built-in adapter under node:test', () => {
    expect(() => run('node', ['-e', "require.resolve('vitest')"])).toThrow();
    const reviews = (offset: number) =>
      [0, 1].map((i) => ({ id: `r${offset + i}`, rating: 5 - i, text: 'Fine.', time_created: `2025-0${1 + offset + i}-02 10:00:00`, user: { name: 'A. B.' } }));
    writeFileSync(
      join(dir, 'contract.test.mjs'),
      `import { testAdapter } from 'reviewkit/testing';
import { yelp } from 'reviewkit/adapters/yelp';
const path = '/v3/businesses/acme/reviews';
testAdapter(yelp, {
  options: { apiKey: 'node-test-secret-key-42', businessId: 'acme', limit: 2 },
  requiredOptions: ['apiKey', 'businessId'],
  secrets: ['node-test-secret-key-42'],
  routes: [
    { path: '/v3/businesses/acme', body: { id: 'acme', name: 'Acme', rating: 4, review_count: 4 } },
    { path, query: { offset: null }, body: { total: 4, reviews: ${JSON.stringify(reviews(0))} } },
    { path, query: { offset: '2' }, body: { total: 4, reviews: ${JSON.stringify(reviews(2))} } },
  ],
  firstPage: { path, query: { offset: null }, body: { total: 4, reviews: ${JSON.stringify(reviews(0))} } },
  expectedReviews: 4,
  expectedPages: 2,
  errors: [{ name: '401', routes: [{ path: '/v3/businesses/acme', status: 401, body: { error: { code: 'TOKEN_INVALID' } } }], code: 'AUTH' }],
});
`,
    );
    const out = run('node', ['--test', '--test-reporter=tap', 'contract.test.mjs']);
    expect(out).toContain('adapter contract: yelp');
    expect(out).toMatch(/# pass 14\n/);
    expect(out).toMatch(/# fail 0\n/);
  }, 60_000);
});

describe('bundled for a serverless function', () => {
  const HTML_STACK = /node_modules\/(cheerio|cheerio-select|undici|parse5|parse5-[a-z-]+|iconv-lite|encoding-sniffer|css-select|domutils|domhandler)\//;
  // ESM bundles of axios need `require` for its CommonJS dependencies (form-data, follow-redirects):
  // esbuild's documented banner gives it to them. CommonJS bundles need nothing.
  const ESM_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";
  const handler = `import { aggregate } from 'reviewkit';
import { yelp } from 'reviewkit/adapters/yelp';
const { reviews, sources } = await aggregate([yelp({ apiKey: 'k', businessId: 'acme', baseUrl: process.argv[2] })], { retry: { attempts: 1 } });
console.log(JSON.stringify({ reviews: reviews.length, status: sources[0].status, first: reviews[0]?.id, error: sources[0].error?.message }));
`;
  const routes = [
    { path: '/v3/businesses/acme', body: { id: 'acme', name: 'Acme', rating: 4, review_count: 1 } },
    {
      path: '/v3/businesses/acme/reviews',
      body: { total: 1, reviews: [{ id: 'r1', rating: 5, text: 'Great', time_created: '2025-01-02 03:04:05', user: { name: 'A. B.' } }] },
    },
  ];

  it.each([
    ['esm', ESM_BANNER],
    ['cjs', ''],
  ] as const)('aggregate + yelp bundles (%s) without the HTML stack and runs on its own', async (format, banner) => {
    writeFileSync(join(dir, 'handler.mjs'), format === 'esm' ? handler : `(async () => {\n${handler.replace(/^import \{ (\w+) \} from '([^']+)';$/gm, "const { $1 } = require('$2');")}})();\n`);
    const outfile = join(dir, 'out', `handler.${format === 'esm' ? 'mjs' : 'cjs'}`);
    const result = await build({
      entryPoints: [join(dir, 'handler.mjs')],
      absWorkingDir: dir,
      bundle: true,
      platform: 'node',
      format,
      minify: true,
      outfile,
      metafile: true,
      logLevel: 'silent',
      ...(banner && { banner: { js: banner } }),
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((file) => file.includes('node_modules/reviewkit/'))).toBe(true);
    expect(inputs.filter((file) => HTML_STACK.test(file))).toEqual([]);
    // Runs from a folder with no node_modules at all: everything it needs is in the file.
    const alone = mkdtempSync(join(tmpdir(), 'reviewkit-bundle-'));
    const copy = join(alone, outfile.slice(outfile.lastIndexOf('/') + 1));
    writeFileSync(copy, readFileSync(outfile));
    const server = await startFixtureServer(routes);
    try {
      // Asynchronously: the fixture server answers from this process's event loop.
      const { stdout } = await promisify(execFile)('node', [copy, server.url], { encoding: 'utf8' });
      const out = JSON.parse(stdout);
      expect(out).toEqual({ reviews: 1, status: 'ok', first: 'yelp:r1' });
    } finally {
      await server.close();
      rmSync(alone, { recursive: true, force: true });
    }
    // The README states the size of a one-adapter function; this keeps it honest within a margin.
    expect(statSync(outfile).size).toBeLessThan(1_200_000);
  }, 60_000);

  it('keeps reviewkit/scores free of HTTP, HTML and zod', async () => {
    writeFileSync(join(dir, 'score.mjs'), "import { reputationScore } from 'reviewkit/scores';\nconsole.log(reputationScore([{ stars: 5, createdAt: new Date() }], { asOf: new Date() }).score);\n");
    const result = await build({ entryPoints: [join(dir, 'score.mjs')], absWorkingDir: dir, bundle: true, platform: 'node', format: 'esm', minify: true, outfile: join(dir, 'out', 'score.mjs'), metafile: true, logLevel: 'silent' });
    const packages = Object.keys(result.metafile.inputs).filter((file) => file.includes('node_modules/') && !file.includes('node_modules/reviewkit/'));
    expect(packages).toEqual([]);
    expect(statSync(join(dir, 'out', 'score.mjs')).size).toBeLessThan(40_000);
  }, 60_000);
});
