/**
 * Regenerates docs/report.png, the README's picture of `reviewkit report`: fetches every built-in
 * source from the sandbox (seeded data, no network), writes the report with the CLI, and
 * photographs it in headless Chromium.
 *
 *   npx tsx scripts/report-screenshot.ts [out.png]
 *
 * Needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium) or CHROMIUM=path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runCli } from '../cli/program.js';
import { aggregate } from '../src/index.js';
import { createSandbox } from '../testing/index.js';

const out = resolve(process.argv[2] ?? new URL('../docs/report.png', import.meta.url).pathname);
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'reviewkit-screenshot-'));

try {
  const sandbox = await createSandbox();
  let reviews;
  try {
    reviews = (await aggregate(sandbox.adapters())).reviews;
  } finally {
    await sandbox.close();
  }
  writeFileSync(join(dir, 'reviews.ndjson'), reviews.map((review) => `${JSON.stringify(review)}\n`).join(''));

  // The sandbox's data is dated around its fixed clock: the report is seen from there.
  const asOf = sandbox.anchor;
  const html = join(dir, 'report.html');
  const stderr: string[] = [];
  const code = await runCli(['node', 'reviewkit', 'report', 'reviews.ndjson', '--out', html, '--as-of', asOf.toISOString(), '--title', 'Sandbox Bistro: reviews'], {
    stdout: process.stdout,
    stderr: { write: (text: string) => stderr.push(text) > 0 },
    stdin: Readable.from([]),
    env: {},
    cwd: dir,
    secrets: new Set(),
    signal: new AbortController().signal,
  });
  if (code !== 0) throw new Error(`reviewkit report failed: ${stderr.join('')}`);

  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, colorScheme: 'light' });
    await page.goto(pathToFileURL(html).href);
    // From the top to the end of the charts: the part a README reader needs to see.
    const bottom = await page.evaluate<number>("document.querySelector('section.grid').getBoundingClientRect().bottom + window.scrollY + 24");
    await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) }, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
