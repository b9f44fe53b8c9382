// The report as a browser shows it: Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) at desktop and phone widths. Screenshots land in test-artifacts/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, type Review } from '../../src/index.js';
import { startFixtureServer } from '../../src/testing/index.js';
import { sampleRoutes } from '../fixtures/sample-sources.js';
import { root, runBin } from './helpers.js';
import { HOSTILE, hostileReview, removeScratch, sampleAdapters, scratchDir } from './sample-config.js';

const CHROMIUM = '/usr/bin/chromium';
/** Flags for a quiet, offline, container-friendly headless Chromium. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const CHARTS = ['score', 'breakdown', 'distribution', 'trend', 'sources', 'responses'];
const ARTIFACTS = join(root, 'test-artifacts');

// Skipped only on a developer machine without Chromium; in CI a missing browser fails the test.
const isSkipped = !existsSync(CHROMIUM) && !process.env.CI;
if (isSkipped) {
  console.warn(`Skipping the report browser test: ${CHROMIUM} is missing (install it with: apt-get install -y chromium). It never skips in CI.`);
}

describe.skipIf(isSkipped)('report.html in Chromium', () => {
  let browser: Browser;
  let reportUrl: string;

  beforeAll(async () => {
    const server = await startFixtureServer(sampleRoutes);
    let reviews: Review[];
    try {
      reviews = (await aggregate(sampleAdapters(server.url), { retry: { attempts: 1 } })).reviews;
    } finally {
      await server.close();
    }
    const base = reviews.find((r) => r.source === 'google-business-profile') as Review;
    const dir = scratchDir();
    writeFileSync(join(dir, 'reviews.ndjson'), [hostileReview(base, new Date('2027-01-02T23:59:59Z')), ...reviews].map((r) => `${JSON.stringify(r)}\n`).join(''));
    mkdirSync(ARTIFACTS, { recursive: true });
    const out = join(ARTIFACTS, 'report.html');
    const run = await runBin(['report', join(dir, 'reviews.ndjson'), '--out', out, '--as-of', '2027-01-03', '--title', 'Acme group'], { cwd: dir });
    expect(run.code).toBe(0);
    reportUrl = pathToFileURL(out).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    removeScratch();
    await browser?.close();
  });

  it.each([
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ])('renders every chart at %s width, requests nothing, runs no injected script', async (name, width, height) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url === reportUrl ? route.continue() : route.abort();
    });
    await page.goto(reportUrl);

    for (const chart of CHARTS) {
      const figure = page.locator(`figure[data-chart="${chart}"]`);
      const box = await figure.boundingBox();
      expect(box?.width, chart).toBeGreaterThan(0);
      expect(box?.height, chart).toBeGreaterThan(0);
      const svgs = await figure.locator('svg').all();
      expect(svgs.length, chart).toBeGreaterThan(0);
      for (const svg of svgs) {
        const svgBox = await svg.boundingBox();
        expect(svgBox?.width, `${chart} svg`).toBeGreaterThan(0);
        expect(svgBox?.height, `${chart} svg`).toBeGreaterThan(0);
      }
    }
    // Nothing but the file itself: no font, image, script or stylesheet from anywhere.
    expect(requests).toEqual([reportUrl]);
    // The hostile review is text on the page, and nothing in it became an element or ran.
    await expect(page.getByText(HOSTILE.text).isVisible()).resolves.toBe(true);
    await expect(page.getByText(HOSTILE.title).isVisible()).resolves.toBe(true);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('script, img, [onerror], [onload]').count()).toBe(0);
    expect(await page.locator(`a[href^="javascript:"]`).count()).toBe(0);
    // Fits the screen: nothing scrolls sideways.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    await page.screenshot({ path: join(ARTIFACTS, `report-${name}.png`), fullPage: true });
    await context.close();
  }, 60_000);

  it('follows dark mode and prints on white', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(reportUrl);
    // Browser-side expressions as text: the test is type-checked without the DOM library.
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(await background()).toBe('rgb(14, 16, 22)');
    await page.screenshot({ path: join(ARTIFACTS, 'report-dark.png') });
    await page.emulateMedia({ media: 'print' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    expect(await page.evaluate<string>("getComputedStyle(document.querySelector('.card')).boxShadow")).toBe('none');
    const pdf = await page.pdf({ path: join(ARTIFACTS, 'report.pdf'), format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();
  }, 60_000);
});
