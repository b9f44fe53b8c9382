// `reviewkit fetch`, run as a child process against a local fixture server serving every
// built-in source (sources point at it with `baseUrl` in the config).
import { spawn } from 'node:child_process';
import { generateKeyPairSync, verify } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADAPTER_NAMES } from '../../cli/adapters.js';
import { aggregate, parseReviews, readReviews } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { ASC_REVIEWS_PATH, GBP_REVIEWS_PATH, SAMPLE_SECRETS, sampleRoutes } from '../fixtures/sample-sources.js';
import { builtPackage, runBin } from './helpers.js';
import { removeScratch, SAMPLE_ENV, sampleAdapters, sampleSources, writeConfig } from './sample-config.js';

let server: FixtureServer;
let folder: string;
beforeAll(async () => {
  [server, folder] = await Promise.all([startFixtureServer(sampleRoutes), builtPackage()]);
});
afterAll(async () => {
  removeScratch();
  await server.close();
});
beforeEach(() => server.reset(sampleRoutes));

const SECRETS = Object.values(SAMPLE_SECRETS);
const ANSI_COLOR = /\u001b\[\d+(;\d+)*m/;

/** A config for every sample source with retries off (failures are immediate). */
const sampleConfig = () => ({ sources: sampleSources(server.url), retry: { attempts: 1 } });

function expectNoSecret(...texts: string[]): void {
  for (const text of texts) for (const secret of SECRETS) expect(text, 'a secret was printed').not.toContain(secret);
}

describe('reviewkit fetch', () => {
  it('fetches every source of the config: NDJSON on stdout, the summary on stderr, exit 0', async () => {
    const dir = writeConfig(sampleConfig());
    const run = await runBin(['fetch'], { cwd: dir, env: SAMPLE_ENV });
    expect(run.code).toBe(0);
    const expected = await aggregate(sampleAdapters(server.url), { retry: { attempts: 1 } });
    const reviews = parseReviews(run.stdout, { format: 'ndjson' });
    expect(reviews).toHaveLength(75);
    expect(reviews).toEqual(expected.reviews);
    // Plain lines on a pipe: no colors, no cursor movement.
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stderr).toContain('#0 yelp acme-bistro-san-francisco: started\n');
    expect(run.stderr).toContain('#0 yelp acme-bistro-san-francisco: page 3: 5 reviews so far\n');
    expect(run.stderr).toMatch(/^ #  adapter {18}subject {27}status  reviews  pages {3}time  coverage$/m);
    expect(run.stderr).toMatch(/^ 0  yelp {21}acme-bistro-san-francisco {9}ok {12}5 {6}3 +\d+\.\d s  complete \(source reports 5\)$/m);
    expect(run.stderr).toMatch(/^ 1  google-places .* ok {12}5 {6}1 .* platform limit \(source reports 1287\)$/m);
    expect(run.stderr).toMatch(/^11  instagram .* ok {12}7 {6}6 .* complete$/m);
    expect(run.stderr).toContain('#10 x: warning: ');
    expect(run.stderr.endsWith('75 reviews (ndjson) written to stdout; all sources succeeded.\n')).toBe(true);
    expectNoSecret(run.stdout, run.stderr);
  });

  it('writes --out files in the format their extension names, or --format, read back equal', async () => {
    const dir = writeConfig(sampleConfig(), 'shop.json');
    const ndjson = await runBin(['fetch', '--config', 'shop.json', '--out', 'reviews.ndjson'], { cwd: dir, env: SAMPLE_ENV });
    expect(ndjson.code).toBe(0);
    expect(ndjson.stdout).toBe('');
    expect(ndjson.stderr.endsWith('75 reviews (ndjson) written to reviews.ndjson; all sources succeeded.\n')).toBe(true);
    const json = await runBin(['fetch', '-c', 'shop.json', '-q', '-o', 'reviews.json'], { cwd: dir, env: SAMPLE_ENV });
    const csv = await runBin(['fetch', '-c', 'shop.json', '-q', '--format', 'csv'], { cwd: dir, env: SAMPLE_ENV });
    expect([json.code, json.stdout, json.stderr]).toEqual([0, '', '']);
    expect(csv.code).toBe(0);
    expect(csv.stderr).toBe('');
    const reference = await readReviews(join(dir, 'reviews.ndjson'));
    expect(reference).toHaveLength(75);
    expect(await readReviews(join(dir, 'reviews.json'))).toEqual(reference);
    expect(readFileSync(join(dir, 'reviews.json'), 'utf8')).toMatch(/^\[\n\{"id":/);
    expect(parseReviews(csv.stdout, { format: 'csv' })).toEqual(reference);

    const clash = await runBin(['fetch', '-c', 'shop.json', '--format', 'csv', '--out', 'reviews.json'], { cwd: dir, env: SAMPLE_ENV });
    expect(clash.code).toBe(1);
    expect(clash.stderr).toBe('error: --format csv does not match --out reviews.json, whose extension means json: reading it back would fail. Change one of them.\n');
  });

  it('keeps only reviews since --since', async () => {
    const dir = writeConfig(sampleConfig());
    const run = await runBin(['fetch', '--since', '2025-06-01', '--quiet'], { cwd: dir, env: SAMPLE_ENV });
    expect(run.code).toBe(0);
    const since = new Date('2025-06-01T00:00:00Z');
    const expected = await aggregate(sampleAdapters(server.url), { since, retry: { attempts: 1 } });
    const reviews = parseReviews(run.stdout, { format: 'ndjson' });
    expect(reviews.map((r) => r.id)).toEqual(expected.reviews.map((r) => r.id));
    expect(reviews.length).toBeGreaterThan(0);
    expect(reviews.length).toBeLessThan(75);
  });

  it('exits 2 when a source fails mid-run, and still writes every review fetched', async () => {
    // Business Profile answers its first page, then fails on the second.
    const fault = { path: GBP_REVIEWS_PATH, query: { pageToken: 'AHNvbWVPcGFxdWUrVG9rZW4vcGFnZTI9PQ==' }, status: 500, body: { error: { code: 500, message: 'Backend Error', status: 'INTERNAL' } } };
    server.prepend(fault);
    const dir = writeConfig(sampleConfig());
    const run = await runBin(['fetch', '--out', 'partial.ndjson'], { cwd: dir, env: SAMPLE_ENV });
    expect(run.code).toBe(2);
    const expected = await aggregate(sampleAdapters(server.url), { retry: { attempts: 1 } });
    expect(expected.sources[2]?.status).toBe('partial');
    const written = await readReviews(join(dir, 'partial.ndjson'));
    expect(written).toEqual(expected.reviews);
    expect(written).toHaveLength(70);
    expect(run.stderr).toMatch(/^ 2  google-business-profile  9876543210987654321 {15}partial {8}2 {6}1 .* stopped by HTTP$/m);
    expect(run.stderr).toMatch(/^#2 google-business-profile: HTTP: google-business-profile: .*500/m);
    expect(run.stderr.endsWith('70 reviews (ndjson) written to partial.ndjson; 1 of 12 sources failed.\n')).toBe(true);
  });

  it('exits 2 when a source fails at once; --quiet prints only the failure', async () => {
    server.prepend({ path: ASC_REVIEWS_PATH, status: 401, body: { errors: [{ status: '401', code: 'NOT_AUTHORIZED', title: 'Authentication credentials are missing or invalid.', detail: 'Provide a properly configured and signed bearer token.' }] } });
    const dir = writeConfig(sampleConfig());
    const run = await runBin(['fetch', '--quiet'], { cwd: dir, env: SAMPLE_ENV });
    expect(run.code).toBe(2);
    expect(parseReviews(run.stdout, { format: 'ndjson' })).toHaveLength(70);
    expect(run.stderr).toMatch(/^#7 app-store-connect: AUTH: app-store: [^\n]+\n$/);
    expectNoSecret(run.stdout, run.stderr);
  });

  describe('config errors: exit 1, the file, the source and the field named, nothing fetched', () => {
    const yelpSource = (options: Record<string, unknown>) => ({ sources: [{ adapter: 'yelp', options: { businessId: 'acme-bistro-san-francisco', ...options } }] });
    const cases: [string, () => unknown, string, string[]?][] = [
      ['bad JSON', () => '{\n  "sources": [\n    { "adapter": "yelp" "options": {} }\n  ]\n}', "reviewkit.config.json is not valid JSON at line 3, column 25: Expected ',' or '}' after property value."],
      ['not an object', () => '[]', 'reviewkit.config.json: must be a JSON object like { "sources": [ … ] }'],
      ['no sources', () => ({ sources: [] }), 'reviewkit.config.json: sources is empty: list at least one source'],
      ['a missing adapter', () => ({ sources: [{ options: {} }] }), 'reviewkit.config.json: sources[0]: adapter is required'],
      [
        'an unknown adapter',
        () => ({ sources: [{ adapter: 'yelp', options: { apiKey: 'k', businessId: 'b' } }, { adapter: 'yelpp', options: {} }] }),
        `reviewkit.config.json: sources[1]: adapter is not a known adapter; use one of ${ADAPTER_NAMES.join(', ')}`,
      ],
      ['an unknown field', () => ({ sources: [{ adapter: 'x', options: {} }], concurency: 2 }), 'reviewkit.config.json: concurency is not a config field'],
      ['an unknown source field', () => ({ sources: [{ adapter: 'x', option: {} }] }), 'reviewkit.config.json: sources[0] (x): option is not a config field'],
      ['a bad run option', () => ({ sources: [{ adapter: 'x', options: {} }], retry: { attempts: 0 } }), 'reviewkit.config.json: retry.attempts: Too small: expected number to be >0'],
      ['a missing option', () => ({ sources: [{ adapter: 'yelp', options: { apiKey: 'k' } }] }), 'reviewkit.config.json: sources[0] (yelp): option `businessId` is required.'],
      ['an unknown option', () => yelpSource({ apiKey: 'k', bussinessId: 'typo' }), 'reviewkit.config.json: sources[0] (yelp): option `bussinessId` is not a known option.'],
      ['a wrong option type', () => yelpSource({ apiKey: 'k', limit: '2' }), 'reviewkit.config.json: sources[0] (yelp): option `limit` is invalid: Invalid input: expected number, received string.'],
      ['a missing environment variable', () => yelpSource({ apiKey: { env: 'YELP_API_KEY_MISSING' } }), 'reviewkit.config.json: sources[0] (yelp): options.apiKey: the environment variable YELP_API_KEY_MISSING is not set.'],
      ['a bad env reference', () => yelpSource({ apiKey: { env: 'not a name' } }), 'reviewkit.config.json: sources[0] (yelp): options.apiKey: "env" must name an environment variable, like { "env": "YELP_API_KEY" }.'],
      [
        'a missing referenced file',
        () => yelpSource({ apiKey: { file: 'yelp.key' } }),
        'reviewkit.config.json: sources[0] (yelp): options.apiKey: cannot read DIR/yelp.key (no such file).',
      ],
      [
        'app-store-connect with both a token and a key',
        () => ({ sources: [{ adapter: 'app-store-connect', options: { appId: '1', token: 't', issuerId: 'i', keyId: 'k', privateKey: 'p' } }] }),
        'reviewkit.config.json: sources[0] (app-store-connect): give either `token` or `issuerId`, `keyId` and `privateKey`, not both.',
      ],
    ];
    it.each(cases)('%s', async (_name, config, message) => {
      const dir = writeConfig(config());
      const run = await runBin(['fetch'], { cwd: dir });
      expect(run).toEqual({ code: 1, stdout: '', stderr: `error: ${message.replace('DIR', dir)}\n` });
      expect(server.requests).toEqual([]);
    });

    it('a missing config file', async () => {
      const run = await runBin(['fetch', '--config', 'nope.json']);
      expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: no config file at nope.json. Create one (see `reviewkit fetch --help` for its shape) or pass --config PATH.\n' });
    });

    it('never quotes a value, even next to a syntax error or in a rejected option', async () => {
      const secret = SAMPLE_SECRETS.trustpilot;
      const broken = await runBin(['fetch'], { cwd: writeConfig(`{ "sources": [ { "adapter": "trustpilot", "options": { "apiKey": "${secret}" x } } ] }`) });
      expect(broken.code).toBe(1);
      expect(broken.stderr).toBe("error: reviewkit.config.json is not valid JSON at line 1, column 105: Expected ',' or '}' after property value.\n");
      // V8 quotes the text around some errors; that quote is dropped.
      const quoted = await runBin(['fetch'], { cwd: writeConfig(`{ "sources": [ { "adapter": "trustpilot", "options": { "apiKey": "${secret}", "n": tru } } ] }`) });
      expect(quoted.stderr).toBe("error: reviewkit.config.json is not valid JSON: Unexpected token ' '.\n");
      const rejected = await runBin(['fetch'], { cwd: writeConfig({ sources: [{ adapter: 'yelp', options: { apiKey: 'k', businessId: 'b', locale: secret, baseUrl: server.url } }] }) });
      expect(rejected).toEqual({ code: 1, stdout: '', stderr: 'error: reviewkit.config.json: sources[0] (yelp): option `locale` is invalid: must look like en_US.\n' });
      expectNoSecret(broken.stderr, quoted.stderr, rejected.stderr);
    });
  });

  it('never prints a secret: not in errors echoed by a source, not in URLs, not in progress or the summary', async () => {
    // Sources that echo the credentials back in their error bodies and URLs.
    server.prepend(
      { path: '/v3/businesses/acme-bistro-san-francisco/reviews', status: 401, body: { error: { code: 'TOKEN_INVALID', description: `Invalid token ${SAMPLE_SECRETS.yelp}` } } },
      { path: '/v1/places/ChIJAcmeNoodleBar0000Example', status: 403, body: { error: { code: 403, message: `API key ${SAMPLE_SECRETS.places} not valid`, status: 'PERMISSION_DENIED' } } },
      { path: '/2/tweets/search/recent', status: 500, body: { title: 'Internal', detail: `Bearer ${SAMPLE_SECRETS.x}` } },
    );
    const dir = writeConfig(sampleConfig());
    const plain = await runBin(['fetch'], { cwd: dir, env: SAMPLE_ENV });
    const quiet = await runBin(['fetch', '--quiet', '--format', 'csv'], { cwd: dir, env: SAMPLE_ENV });
    expect(plain.code).toBe(2);
    expect(quiet.code).toBe(2);
    expect(plain.stderr).toContain('#0 yelp: AUTH: ');
    expect(plain.stderr).toContain('#1 google-places: FORBIDDEN: ');
    expect(plain.stderr).toContain('#10 x: HTTP: ');
    expectNoSecret(plain.stdout, plain.stderr, quiet.stdout, quiet.stderr);
  });

  it('signs App Store Connect tokens itself from issuerId, keyId and a private key file', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const dir = writeConfig({
      sources: [{ adapter: 'app-store-connect', options: { issuerId: '57246542-96fe-1a63-e053-0824d011072a', keyId: 'ABC123DEFG', privateKey: { file: 'keys/AuthKey_ABC123DEFG.p8' }, appId: '1555550001', baseUrl: server.url } }],
    });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys', 'AuthKey_ABC123DEFG.p8'), pem);
    const run = await runBin(['fetch'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(parseReviews(run.stdout, { format: 'ndjson' })).toHaveLength(5);
    const authorization = String(server.requests[0]?.headers.authorization);
    const [header, claims, signature] = authorization.replace(/^Bearer /, '').split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'ES256', kid: 'ABC123DEFG', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toMatchObject({ iss: '57246542-96fe-1a63-e053-0824d011072a', aud: 'appstoreconnect-v1' });
    expect(verify('sha256', Buffer.from(`${header}.${claims}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
    for (const text of [run.stdout, run.stderr]) {
      expect(text).not.toContain(signature);
      expect(text).not.toContain(pem.split('\n')[1]);
    }
  });

  it('stops on Ctrl-C with exit code 130 and writes nothing', async () => {
    server.prepend({ path: GBP_REVIEWS_PATH, delayMs: 20_000, body: {} });
    const dir = writeConfig(sampleConfig());
    const child = spawn(process.execPath, [join(folder, 'dist', 'cli.js'), 'fetch', '--out', 'never.ndjson'], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...SAMPLE_ENV } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (chunk.includes('google-business-profile 9876543210987654321: started')) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr.endsWith('error: interrupted; nothing was written.\n')).toBe(true);
    expect(existsSync(join(dir, 'never.ndjson'))).toBe(false);
  });

  describe.skipIf(!existsSync('/usr/bin/script'))('on a terminal (through script(1))', () => {
    const inTerminal = async (args: string[], env: Record<string, string>) => {
      const dir = writeConfig(sampleConfig());
      const command = `stty cols 100; exec ${process.execPath} ${join(folder, 'dist', 'cli.js')} ${args.join(' ')}`;
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: dir, env: { PATH: process.env.PATH ?? '', TERM: 'xterm-256color', ...SAMPLE_ENV, ...env } });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      return { code, output, dir };
    };

    it('draws live progress lines on stderr, then clears them for the summary, while stdout goes to a file', async () => {
      const { code, output, dir } = await inTerminal(['fetch', '>', 'reviews.ndjson'], {});
      expect(code).toBe(0);
      expect(await readReviews(join(dir, 'reviews.ndjson'))).toHaveLength(75);
      // Cursor hidden while drawing, shown again; lines redrawn in place (cursor up 11 lines for 12 sources).
      expect(output).toContain('\u001b[?25l');
      expect(output).toContain('\u001b[?25h');
      expect(output).toContain('\u001b[11A');
      expect(output).toMatch(/✓\u001b\[39m #0  yelp {20}acme-bistro-san-francis…  3 pages/);
      expect(output).toMatch(/\u001b\[32mok\u001b\[39m/);
      expect(output).toContain('75 reviews (ndjson) written to stdout; \u001b[32mall sources succeeded\u001b[39m.');
      expect(output).not.toContain('"id":');
      expect(output).not.toContain(': started');
      expectNoSecret(output);
    });

    it('keeps the live view but drops colors with NO_COLOR', async () => {
      const { code, output } = await inTerminal(['fetch', '--out', 'reviews.ndjson'], { NO_COLOR: '1' });
      expect(code).toBe(0);
      expect(output).toContain('\u001b[11A');
      expect(output).toMatch(/✓ #0  yelp/);
      expect(output).not.toMatch(ANSI_COLOR);
    });
  });
});
