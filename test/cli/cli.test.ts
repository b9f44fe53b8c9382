// The `reviewkit` bin as a whole: help texts, version, usage errors, colors, and how it is
// packaged next to the library (the library never loads the CLI's dependencies).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'tsup';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_NAMES, ADAPTERS } from '../../cli/adapters.js';
import { FIGURE_CALLS } from '../../cli/parameters.js';
import { VERSION } from '../../src/index.js';
import { cliConfig } from '../../tsup.config.js';
import { builtPackage, root, runBin } from './helpers.js';

let folder: string;
beforeAll(async () => {
  folder = await builtPackage();
});

const ANSI = /\u001b\[/;

describe('reviewkit bin', () => {
  it('is an executable ES module with a shebang', () => {
    const bin = join(folder, 'dist', 'cli.js');
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; exports: Record<string, unknown> };
    expect(manifest.bin).toEqual({ reviewkit: './dist/cli.js' });
    // A command-line tool, not an API: no export subpath leads to it.
    expect(JSON.stringify(manifest.exports)).not.toMatch(/cli/);
  });

  it('prints its version with --version and -V', async () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await runBin([flag]);
      expect(run).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
    }
    expect(VERSION).toBe(manifest.version);
  });

  it('lists every command with examples in --help', async () => {
    const run = await runBin(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Usage: reviewkit \[options\] \[command\]/);
    for (const command of ['fetch', 'score', 'report', 'sync', 'watch', 'reply', 'sandbox', 'demo']) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(run.stdout).toContain('  $ reviewkit demo                                    see it work, offline, in a few seconds\n');
    expect(run.stdout).toContain('Examples:\n  $ reviewkit demo ');
    expect(run.stdout).toContain('\n  $ reviewkit fetch --config reviewkit.config.json --out reviews.ndjson\n');
    expect(run.stdout).toContain('Exit codes: 0 success, 1 usage, config or input');
  });

  it('documents fetch: config shape, every adapter with its required options, exit codes, examples', async () => {
    const run = await runBin(['fetch', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: reviewkit fetch \[options\]/);
    for (const flag of ['--config <file>', '--since <date>', '--format <format>', '--out <file>', '--quiet']) expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain('(choices: "ndjson", "json", "csv")');
    for (const name of ADAPTER_NAMES) expect(run.stdout).toContain(`  ${name.padEnd(25)}${ADAPTERS[name].required}\n`);
    expect(run.stdout).toContain('{ "env": "NAME" }');
    expect(run.stdout).toContain('2  one or more sources failed; the other sources\' reviews were still written');
    expect(run.stdout).toContain('$ reviewkit fetch --since 30d --quiet | reviewkit score -');
  });

  it('documents score: inputs, the library calls behind --json, examples', async () => {
    const run = await runBin(['score', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: reviewkit score \[options\] <file\.\.\.>/);
    for (const [key, call] of Object.entries(FIGURE_CALLS)) expect(run.stdout).toContain(`  ${key.padEnd(20)}${call}\n`);
    expect(run.stdout).toContain('plain score inputs are accepted too');
    expect(run.stdout).toContain('$ reviewkit score reviews.ndjson --json | jq .reputation.score');
  });

  it('documents report and help <command> prints the same', async () => {
    const run = await runBin(['report', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: reviewkit report \[options\] <file\.\.\.>/);
    expect(run.stdout).toContain('no external resources');
    expect(run.stdout).toContain('$ reviewkit report reviews.ndjson --out report.html');
    expect((await runBin(['help', 'report'])).stdout).toBe(run.stdout);
  });

  it.each([
    ['sandbox', ['--port <port>', '--seed <seed>', '--latency <ms>', '--fail-rate <p>', '--write-config <file>'], ['runs until Ctrl-C (or SIGTERM)', '$ reviewkit sandbox --write-config sandbox.json']],
    ['demo', ['--seed <seed>'], ['reviewkit-demo.ndjson', 'reviewkit-demo.html', '$ npm run demo']],
    ['sync', ['--config <file>', '--store <store>', '--since <date>', '--json', '--quiet'], ['sqlite:PATH', '2  one or more sources failed', '$ reviewkit sync --config reviewkit.config.json --store reviews/']],
    [
      'watch',
      ['--store <store>', '--interval <duration>', '--needs-reply-after <duration>', '--webhook <url>', '--webhook-secret-env <name>', '--slack <url>', '--slack-env <name>'],
      ['{"type":"needs-reply","id":"…","review":{…}}', 'REVIEWKIT_WEBHOOK_SECRET', 'never from the command line', '$ reviewkit watch --store reviews/ --interval 15m'],
    ],
    [
      'reply',
      ['--review <id>', '--text <text>', '--text-file <file>', '--from <file>', '--store <store>', '--dry-run', '--json'],
      ['unsupported (this', '2  the request failed', '$ reviewkit reply --review google-business-profile:AbFvOq --text "Thank you, Jo!" --from reviews.ndjson'],
    ],
  ])('documents %s: its options, what it does, exit codes, examples', async (command, flags, texts) => {
    const run = await runBin([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^Usage: reviewkit ${command} \\[options\\]\n`));
    for (const text of [...flags, ...texts, 'Exit codes', 'Examples:']) expect(run.stdout).toContain(text);
    expect((await runBin(['help', command])).stdout).toBe(run.stdout);
  });

  it('explains usage errors on stderr with exit code 1 and no stack trace', async () => {
    const none = await runBin([]);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^Usage: reviewkit/);

    const typo = await runBin(['fecth']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("error: unknown command 'fecth'\n(Did you mean fetch?)");

    const option = await runBin(['score', 'x.ndjson', '--as-off', '2026-01-01']);
    expect(option.code).toBe(1);
    expect(option.stderr).toContain("error: unknown option '--as-off'\n(Did you mean --as-of?)");

    const missing = await runBin(['score']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error: missing required argument 'file'");

    const format = await runBin(['fetch', '--format', 'xml']);
    expect(format.code).toBe(1);
    expect(format.stderr).toContain("error: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are ndjson, json, csv.");

    const date = await runBin(['score', 'x.ndjson', '--as-of', '03/01/2026']);
    expect(date.code).toBe(1);
    expect(date.stderr).toBe('error: --as-of must be a date like 2026-01-01 (midnight UTC), an instant with a zone like 2026-01-01T09:30:00Z, or a number of days ago like 30d; got "03/01/2026"\n');
    for (const run of [none, typo, option, missing, format, date]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('colors only when allowed: FORCE_COLOR forces, NO_COLOR wins, a pipe gets plain text', async () => {
    const plain = await runBin(['--help']);
    expect(plain.stdout).not.toMatch(ANSI);
    const forced = await runBin(['--help'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[1mUsage:\u001b[22m');
    const off = await runBin(['--help'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(off.stdout).toBe(plain.stdout);
    const error = await runBin(['fecth'], { env: { FORCE_COLOR: '1' } });
    expect(error.stderr).toMatch(/^\u001b\[31merror:\u001b\[39m unknown command/);
  });
});

describe('packaging', () => {
  it('a rebuild of the bin leaves no stale chunk behind (they would ship in the tarball)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'reviewkit-rebuild-'));
    try {
      cpSync(join(folder, 'dist'), join(copy, 'dist'), { recursive: true });
      const before = readdirSync(join(copy, 'dist', 'cli')).sort();
      writeFileSync(join(copy, 'dist', 'cli', 'fetch-STALE000.js'), '');
      await build({ ...cliConfig, config: false, silent: true, outDir: join(copy, 'dist') });
      expect(readdirSync(join(copy, 'dist', 'cli')).sort()).toEqual(before);
      // The library's files are untouched by the bin's build.
      expect(readdirSync(join(copy, 'dist')).sort()).toEqual(readdirSync(join(folder, 'dist')).sort());
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);

  it("import('reviewkit') and every subpath work without the CLI's dependencies installed", async () => {
    // A copy of the built package whose node_modules lacks commander and cli-progress: the
    // library must not notice, and the bin must (so the check can fail).
    const bare = mkdtempSync(join(tmpdir(), 'reviewkit-no-cli-deps-'));
    try {
      cpSync(join(folder, 'package.json'), join(bare, 'package.json'));
      cpSync(join(folder, 'dist'), join(bare, 'dist'), { recursive: true });
      mkdirSync(join(bare, 'node_modules'));
      for (const name of readdirSync(join(root, 'node_modules'))) {
        if (name === 'commander' || name === 'cli-progress' || name === '.bin') continue;
        symlinkSync(join(root, 'node_modules', name), join(bare, 'node_modules', name));
      }
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
      const subpaths = Object.keys(manifest.exports).filter((path) => path !== './package.json' && path !== './testing');
      writeFileSync(
        join(bare, 'probe.mjs'),
        `for (const path of ${JSON.stringify(subpaths)}) await import(path === '.' ? 'reviewkit' : 'reviewkit/' + path.slice(2));\nconsole.log('loaded');\n`,
      );
      const run = promisify(execFile);
      expect((await run(process.execPath, ['probe.mjs'], { cwd: bare })).stdout).toBe('loaded\n');
      await expect(run(process.execPath, ['dist/cli.js', '--version'], { cwd: bare })).rejects.toThrow(/commander/);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
