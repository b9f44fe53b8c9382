// `reviewkit demo`, the built bin in an empty folder: the sandbox started in process, every
// source fetched, the score printed, and the reviews and their report written there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, readReviews, reputationScore } from '../../src/index.js';
import { createSandbox, DEFAULT_SANDBOX_ANCHOR } from '../../testing/index.js';
import { builtPackage, runBin } from './helpers.js';
import { removeScratch, scratchDir } from './sample-config.js';

beforeAll(async () => {
  await builtPackage();
});
afterAll(removeScratch);

/** The report's charts, by their `data-chart` names. */
const REPORT_CHARTS = ['score', 'breakdown', 'distribution', 'trend', 'sources', 'responses'];

describe('reviewkit demo', () => {
  it('fetches every source from the sandbox, prints the table and the score, writes the reviews and the report here', async () => {
    const dir = scratchDir();
    const run = await runBin(['demo'], { cwd: dir });
    expect(run.code).toBe(0);

    const reference = await createSandbox({ seed: 1 });
    let expected;
    try {
      expected = await aggregate(reference.adapters());
    } finally {
      await reference.close();
    }
    const reviews = await readReviews(join(dir, 'reviewkit-demo.ndjson'));
    expect(reviews).toEqual(expected.reviews);

    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('13 sources fetched through their adapters from the sandbox:');
    expect(lines[1]).toMatch(/^ #  adapter {18}subject {27}status  reviews  pages {3}time  coverage$/);
    const adapters = ['yelp', 'google-places', 'google-places', 'google-business-profile', 'facebook', 'trustpilot', 'tripadvisor', 'app-store', 'app-store-connect', 'google-play', 'schema-org', 'x', 'instagram'];
    adapters.forEach((adapter, index) => {
      expect(lines[2 + index]).toMatch(new RegExp(`^ ?${index}  ${adapter} +\\S.* ok +${expected.sources[index]?.fetched} `));
    });
    const score = reputationScore(reviews, { asOf: DEFAULT_SANDBOX_ANCHOR }).score;
    expect(run.stdout).toContain(`\nReputation score  ${score?.toFixed(1)} / 100  `);
    expect(run.stdout).toContain(`\n${reviews.length} reviews from the sandbox · ${reviews.filter((r) => r.stars !== null).length} rated · 11 sources · as of 2026-06-01 (UTC)\n`);
    expect(run.stdout).toMatch(/\n {2}Rating quality +\d\.\d\d +0\.40 +\d+\.\d {2}\d\.\d\d★ weighted average\n/);
    expect(run.stdout).toContain(`\nWrote reviewkit-demo.ndjson (${reviews.length} reviews) and reviewkit-demo.html (the report).\n`);
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start' : 'xdg-open';
    expect(run.stdout).toContain(`\nOpen the report: ${opener} reviewkit-demo.html   or ${pathToFileURL(join(dir, 'reviewkit-demo.html')).href}\n`);
    expect(run.stderr).toMatch(/^Sandbox on http:\/\/127\.0\.0\.1:\d+: offline copies of 13 review APIs, seeded data \(seed 1\)\. Fetching…\n/);

    const html = readFileSync(join(dir, 'reviewkit-demo.html'), 'utf8');
    expect(html).toContain('<title>Sandbox Bistro: demo report</title>');
    for (const chart of REPORT_CHARTS) expect(html).toContain(`data-chart="${chart}"`);
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
