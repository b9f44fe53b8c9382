// `reviewkit score`, run as a child process: the same figures as the library, from every file
// format, and clear errors for bad files.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../cli/context.js';
import { runCli } from '../../cli/program.js';
import {
  aggregate,
  averageRating,
  csat,
  netPromoterScore,
  type Review,
  type ScoreInput,
  ratingDistribution,
  ratingTrend,
  reputationScore,
  responseRate,
  responseTime,
  toCsv,
} from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { sampleRoutes } from '../fixtures/sample-sources.js';
import { builtPackage, root, runBin } from './helpers.js';
import { removeScratch, SAMPLE_ENV, sampleAdapters, sampleSources, scratchDir, writeConfig } from './sample-config.js';

let server: FixtureServer;
let dir: string;
let reviews: Review[];
beforeAll(async () => {
  [server] = await Promise.all([startFixtureServer(sampleRoutes), builtPackage()]);
  reviews = (await aggregate(sampleAdapters(server.url), { retry: { attempts: 1 } })).reviews;
  dir = scratchDir();
  writeFileSync(join(dir, 'reviews.ndjson'), reviews.map((r) => `${JSON.stringify(r)}\n`).join(''));
});
afterAll(async () => {
  removeScratch();
  await server.close();
});

const AS_OF = '2026-12-01T00:00:00.000Z';

/** What `score --json` must print: the library's own figures, through JSON. */
function libraryFigures(input: readonly ScoreInput[], files: unknown[], duplicates = 0): unknown {
  const asOf = new Date(AS_OF);
  return JSON.parse(
    JSON.stringify({
      asOf,
      reviews: input.length,
      rated: input.filter((r) => r.stars != null).length,
      duplicates,
      files,
      reputation: reputationScore(input, { asOf }),
      averageRating: averageRating(input),
      ratingDistribution: ratingDistribution(input),
      csat: csat(input),
      netPromoterScore: netPromoterScore(input),
      responseRate: responseRate(input, { asOf, windowDays: 365, graceHours: 48 }),
      responseTime: responseTime(input, { asOf, windowDays: 365 }),
      trend: ratingTrend(input, { interval: 'month', asOf, periods: 12 }),
    }),
  );
}

describe('reviewkit score', () => {
  it('--json prints exactly what the library returns for the same reviews', async () => {
    const run = await runBin(['score', 'reviews.ndjson', '--json', '--as-of', AS_OF], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const printed = JSON.parse(run.stdout) as { reputation: { score: number } };
    expect(printed).toEqual(libraryFigures(reviews, [{ path: 'reviews.ndjson', kind: 'reviews', format: 'ndjson', rows: 75, skipped: 0 }]));
    expect(printed.reputation.score).toBeGreaterThan(0);
  });

  it('reads back what `fetch --format csv` wrote, with the same figures', async () => {
    const fetched = await runBin(['fetch', '--quiet', '--format', 'csv', '--out', 'fetched.csv'], { cwd: writeConfig({ sources: sampleSources(server.url), retry: { attempts: 1 } }, 'reviewkit.config.json', dir), env: SAMPLE_ENV });
    expect(fetched.code).toBe(0);
    const run = await runBin(['score', 'fetched.csv', '--json', '--as-of', AS_OF], { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(libraryFigures(reviews, [{ path: 'fetched.csv', kind: 'reviews', format: 'csv', rows: 75, skipped: 0 }]));
  });

  it('merges several files and counts a review found in several once', async () => {
    writeFileSync(join(dir, 'older.csv'), toCsv(reviews.slice(20)));
    writeFileSync(join(dir, 'all.json'), JSON.stringify(reviews));
    const run = await runBin(['score', 'older.csv', 'all.json', '--json', '--as-of', AS_OF], { cwd: dir });
    expect(run.code).toBe(0);
    const files = [
      { path: 'older.csv', kind: 'reviews', format: 'csv', rows: 55, skipped: 0 },
      { path: 'all.json', kind: 'reviews', format: 'json', rows: 75, skipped: 0 },
    ];
    // Merged and scored in one order whatever the files' order: newest first, as fetch writes them.
    expect(JSON.parse(run.stdout)).toEqual(libraryFigures(reviews, files, 55));
    const swapped = await runBin(['score', 'all.json', 'older.csv', '--json', '--as-of', AS_OF], { cwd: dir });
    expect(JSON.parse(swapped.stdout)).toEqual(libraryFigures(reviews, [files[1], files[0]], 55));
  });

  it('reads NDJSON from stdin with -', async () => {
    const run = await runBin(['score', '-', '--json', '--as-of', AS_OF], { input: readFileSync(join(dir, 'reviews.ndjson'), 'utf8') });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(libraryFigures(reviews, [{ path: '-', kind: 'reviews', format: 'ndjson', rows: 75, skipped: 0 }]));
  });

  it('scores plain score inputs (examples/sample-reviews.json) like the library does', async () => {
    const sample = join(root, 'examples', 'sample-reviews.json');
    const run = await runBin(['score', sample, '--json', '--as-of', AS_OF]);
    expect(run.code).toBe(0);
    // Scored newest first, whatever the file's order.
    const plain = (JSON.parse(readFileSync(sample, 'utf8')) as (ScoreInput & { createdAt: string })[]).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    expect(JSON.parse(run.stdout)).toEqual(libraryFigures(plain, [{ path: sample, kind: 'plain', format: 'json', rows: 20, skipped: 0 }]));
    // NDJSON of the same objects too.
    writeFileSync(join(dir, 'plain.ndjson'), plain.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const lines = await runBin(['score', 'plain.ndjson', '--json', '--as-of', AS_OF], { cwd: dir });
    expect(JSON.parse(lines.stdout)).toEqual(libraryFigures(plain, [{ path: 'plain.ndjson', kind: 'plain', format: 'ndjson', rows: 20, skipped: 0 }]));
  });

  it('prints the score, its breakdown, ratings, responses and the trend for a person', async () => {
    copyFileSync(join(root, 'examples', 'sample-reviews.json'), join(dir, 'sample-reviews.json'));
    const run = await runBin(['score', 'sample-reviews.json', '--as-of', '2026-07-01'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(
      [
        'Reputation score  68.7 / 100  ██████████████░░░░░░',
        '20 reviews from sample-reviews.json · 15 rated · 7 sources · as of 2026-07-01 (UTC)',
        '',
        'Breakdown           value  weight  points',
        '  Rating quality     0.73    0.40    29.3  3.93★ weighted average',
        '  Review volume      0.43    0.15     6.5  19 reviews in the last 365 days',
        '  Recency            0.93    0.10     9.3  newest review 3 days ago',
        '  Response rate      0.57    0.15     8.6  57% answered',
        '  Response time      0.79    0.10     7.9  16.5 h median to first reply',
        '  Source diversity   0.71    0.10     7.1  5 of 7 sources rated in the last 365 days',
        '',
        'Ratings   average 3.90★ · CSAT 72% · NPS +17',
        '  5★  ████████████████████  6   40%',
        '  4★  █████████████████     5   33%',
        '  3★  ███████               2   13%',
        '  2★  ███                   1    7%',
        '  1★  ███                   1    7%',
        '',
        'Responses (reviews of the last 365 days)',
        '  57% answered · median 16.5 h · mean 22.0 h · 86% within 24 h (7 measured)',
        '',
        'Trend (average rating per month, UTC; · = no rating)',
        '  Jul 2025 ··▆··▆█·▆▃▆▇· Jul 2026 (current month so far)',
        '  Jun 2026 vs May 2026: 3.83★ → 4.50★ (+0.67★), not significant (p = 0.553)',
        '',
      ].join('\n'),
    );
    const colored = await runBin(['score', 'sample-reviews.json', '--as-of', '2026-07-01'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(colored.stdout).toContain('\u001b[1mReputation score\u001b[22m');
  });

  it('says when there is no score', async () => {
    writeFileSync(join(dir, 'mentions.ndjson'), reviews.filter((r) => r.stars === null && r.recommendation === null).map((r) => `${JSON.stringify(r)}\n`).join(''));
    const run = await runBin(['score', 'mentions.ndjson', '--as-of', AS_OF], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Reputation score  no score');
    expect(run.stdout).toContain('No dated star rating: the score needs at least one');
  });

  describe('bad files: exit 1, the file and the line named, no stack trace', () => {
    it.each([
      ['a missing file', () => 'missing.ndjson', 'No file at missing.ndjson: check the path'],
      ['an unknown extension', () => write('reviews.txt', ''), 'cannot tell the format of reviews.txt from its name: review files end in .ndjson, .jsonl, .json or .csv (use - for NDJSON on stdin).'],
      ['a directory', () => '.', 'cannot tell the format of . from its name: review files end in .ndjson, .jsonl, .json or .csv (use - for NDJSON on stdin).'],
      [
        'a line that is not JSON',
        () => write('broken.ndjson', `${JSON.stringify(reviews[0])}\n${JSON.stringify(reviews[1])}\n{"id": oops\n`),
        "broken.ndjson: line 3: not valid JSON (Unexpected token 'o'). Fix the row, or pass --skip-invalid to leave invalid rows out.",
      ],
      [
        'a review with a bad field',
        () => write('bad.ndjson', `${JSON.stringify(reviews[0])}\n${JSON.stringify({ ...reviews[1], stars: 7 })}\n`),
        'bad.ndjson: line 2: stars: Too big: expected number to be <=5. Fix the row, or pass --skip-invalid to leave invalid rows out.',
      ],
      [
        'a plain input with a bad field',
        () => write('plain.json', '[\n  { "stars": 5, "createdAt": "2026-01-01T00:00:00Z" },\n  {\n    "stars": 4,\n    "createdAt": "last tuesday"\n  }\n]\n'),
        'plain.json: line 3: createdAt: must be an ISO 8601 instant with Z or an offset, like 2026-06-24T18:12:00Z. Fix the row, or pass --skip-invalid to leave invalid rows out.',
      ],
      ['a JSON file that is not an array', () => write('object.json', '{ "reviews": [] }'), 'object.json: line 1: expected a JSON array of reviews, found an object'],
      ['plain inputs that are not an array', () => write('object.json', '{ "reviews": [{ "stars": 5 }] }'), 'object.json: expected a JSON array of reviews.'],
      ['plain inputs that are not JSON', () => write('cut.json', '[\n  { "stars": 5 },\n  { "stars":'), 'cut.json is not valid JSON: Unexpected end of JSON input.'],
      ['a CSV file of another layout', () => write('other.csv', 'name,stars\nAda,5\n'), 'other.csv: line 1: '],
    ])('%s', async (_name, file, message) => {
      const run = await runBin(['score', file()], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.startsWith(`error: ${message}`)).toBe(true);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });

    it('--skip-invalid leaves bad rows out, lists them on stderr, and scores the rest', async () => {
      const good = reviews.slice(0, 10);
      write('mixed.ndjson', [...good.slice(0, 5), { ...reviews[5], stars: 0 }, ...good.slice(5)].map((r) => JSON.stringify(r)).join('\n'));
      const run = await runBin(['score', 'mixed.ndjson', '--skip-invalid', '--json', '--as-of', AS_OF], { cwd: dir });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('skipped mixed.ndjson: line 6: stars: Too small: expected number to be >=1\n');
      expect(JSON.parse(run.stdout)).toEqual(libraryFigures(good, [{ path: 'mixed.ndjson', kind: 'reviews', format: 'ndjson', rows: 10, skipped: 1 }]));
    });
  });
});

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

it('- refuses to wait for reviews typed on a terminal', async () => {
  let stderr = '';
  const stdin = Object.assign(Readable.from([]), { isTTY: true });
  const ctx: CliContext = {
    stdout: { write: () => true },
    stderr: { write: (text: string) => ((stderr += text), true) },
    stdin,
    env: {},
    cwd: dir,
    secrets: new Set(),
    signal: new AbortController().signal,
  };
  expect(await runCli(['node', 'reviewkit', 'score', '-'], ctx)).toBe(1);
  expect(stderr).toBe('error: - reads reviews (NDJSON) from stdin, which is a terminal here: pipe them in, e.g. reviewkit fetch | reviewkit score -\n');
});
