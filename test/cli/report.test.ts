// `reviewkit report`: the page's content and safety, checked on the HTML (the browser test
// checks how it renders), and the command run as a child process.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../cli/context.js';
import { runCli } from '../../cli/program.js';
import { escapeHtml, html, raw, safeHref } from '../../cli/report/html.js';
import { buildReportModel, responseBuckets } from '../../cli/report/model.js';
import { renderReport } from '../../cli/report/page.js';
import { type InputReview, loadReviewFiles } from '../../cli/review-files.js';
import { aggregate, type Review, responseRate, responseTime } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { sampleRoutes } from '../fixtures/sample-sources.js';
import { builtPackage, runBin } from './helpers.js';
import { HOSTILE, hostileReview, removeScratch, sampleAdapters, scratchDir } from './sample-config.js';

const AS_OF = new Date('2027-01-03T00:00:00Z');
let server: FixtureServer;
let dir: string;
let reviews: Review[];
let inputs: InputReview[];

beforeAll(async () => {
  [server] = await Promise.all([startFixtureServer(sampleRoutes), builtPackage()]);
  const fetched = (await aggregate(sampleAdapters(server.url), { retry: { attempts: 1 } })).reviews;
  const base = fetched.find((r) => r.source === 'google-business-profile') as Review;
  reviews = [hostileReview(base, new Date('2027-01-02T23:59:59Z')), ...fetched];
  dir = scratchDir();
  writeFileSync(join(dir, 'reviews.ndjson'), reviews.map((r) => `${JSON.stringify(r)}\n`).join(''));
  inputs = (await loadReviewFiles(['reviews.ndjson'], { cwd: dir, stdin: Readable.from([]), signal: new AbortController().signal, skipInvalid: false, onSkip: () => {} })).reviews;
});
afterAll(async () => {
  removeScratch();
  await server.close();
});

describe('html', () => {
  it('escapes every interpolated value, and only trusted markup passes as is', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const text = '<script>alert(1)</script>';
    expect(html`<p title="${text}">${text}${html`<b>${text}</b>`}${[text, 1, null, false]}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>&lt;script&gt;alert(1)&lt;/script&gt;1</p>',
    );
    expect(html`${raw('<style>a{}</style>')}`.text).toBe('<style>a{}</style>');
    // A look-alike object is data, not markup.
    expect(html`${{ text: '<b>' } as unknown as string}`.text).toBe('[object Object]');
  });

  it('links only http(s) URLs', () => {
    expect(safeHref('https://www.yelp.com/biz/x?hrid=1&a=b')).toBe('https://www.yelp.com/biz/x?hrid=1&a=b');
    expect(safeHref('http://example.com/r')).toBe('http://example.com/r');
    for (const url of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<script>x</script>', '/relative', 'vbscript:x', null]) expect(safeHref(url)).toBeNull();
  });
});

describe('the report page', () => {
  let page: string;
  beforeAll(() => {
    page = renderReport(buildReportModel(inputs, { asOf: AS_OF, files: ['reviews.ndjson'] }));
  });

  it('is one self-contained document: no script, no external resource, a CSP that forbids both', () => {
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<(link|iframe|object|embed|img|video|audio|source)\b/i);
    expect(page).not.toMatch(/<[a-z][^>]*\ssrc=/i);
    expect(page).not.toMatch(/url\(|@import/i);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    // Links: in-page anchors and the reviews' own http(s) pages, nothing else.
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.length).toBeGreaterThan(1);
    for (const href of hrefs) expect(href).toMatch(/^(#[a-z-]+|https?:\/\/)/);
  });

  it('shows hostile review text as text', () => {
    expect(page).toContain(escapeHtml(HOSTILE.text));
    expect(page).toContain(escapeHtml(HOSTILE.title));
    expect(page).toContain(escapeHtml(HOSTILE.author));
    expect(page).not.toContain(HOSTILE.url);
    expect(page).not.toContain('onerror="');
    expect(page).not.toContain('onload="');
  });

  it('has every chart', () => {
    for (const chart of ['score', 'breakdown', 'distribution', 'trend', 'sources', 'responses']) {
      expect(page).toContain(`data-chart="${chart}"`);
    }
  });

  it('lists the negative reviews of the last 90 days without a reply, newest first', () => {
    const model = buildReportModel(inputs, { asOf: AS_OF, files: [] });
    const expected = inputs
      .filter((r) => r.polarity === 'negative' && r.replies.length === 0 && r.createdAt !== null && AS_OF.getTime() - r.createdAt.getTime() < 90 * 86_400_000)
      .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    expect(model.needsReplyTotal).toBe(expected.length);
    expect(model.needsReply.map((item) => item.review.id)).toEqual(expected.slice(0, 25).map((r) => r.id));
    expect(model.needsReply[0]?.review.id).toBe('google-business-profile:hostile');
    expect(model.needsReply.length).toBeGreaterThan(2);
    // Sources whose API shows no replies are flagged: "no reply" only means none is visible.
    expect(model.needsReply.filter((item) => !item.areRepliesVisible).map((item) => item.review.source)).not.toContain('google-business-profile');
  });

  it('counts responses exactly as responseRate and responseTime do', () => {
    for (const asOf of [AS_OF, new Date('2026-01-15T00:00:00Z'), new Date('2025-06-01T00:00:00Z')]) {
      const buckets = responseBuckets(inputs, asOf);
      const answered = buckets.fast + buckets.slow + buckets.untimed;
      const total = answered + buckets.unanswered;
      const rate = responseRate(inputs, { asOf, windowDays: 365, graceHours: 48 });
      expect(total === 0 ? null : answered / total).toBeCloseTo(rate ?? Number.NaN, 12);
      const time = responseTime(inputs, { asOf, windowDays: 365 });
      expect(buckets.fast + buckets.slow).toBe(time.measured);
      expect(time.measured === 0 ? null : buckets.fast / time.measured).toBe(time.withinSla);
    }
  });

  it('takes its title from --title, else the one business reviewed', () => {
    expect(buildReportModel(inputs, { asOf: AS_OF, files: [], title: 'Acme <Group>' }).title).toBe('Acme <Group>');
    expect(buildReportModel(inputs, { asOf: AS_OF, files: [] }).title).toBe('Review report');
    const one = inputs.filter((r) => r.subjectName === 'Acme Bistro');
    expect(one.length).toBeGreaterThan(0);
    expect(buildReportModel(one, { asOf: AS_OF, files: [] }).title).toBe('Acme Bistro: reviews');
    expect(renderReport(buildReportModel(inputs, { asOf: AS_OF, files: [], title: 'Acme <Group>' }))).toContain('<title>Acme &lt;Group&gt;</title>');
  });

  it('renders with no reviews at all', () => {
    const empty = renderReport(buildReportModel([], { asOf: AS_OF, files: ['empty.ndjson'] }));
    expect(empty).toContain('No score yet: it needs at least one dated star rating.');
    expect(empty).toContain('No negative review of the last 90 days is waiting for a reply.');
    for (const chart of ['score', 'breakdown', 'distribution', 'trend', 'sources', 'responses']) expect(empty).toContain(`data-chart="${chart}"`);
  });
});

describe('reviewkit report', () => {
  it('writes the page to --out', async () => {
    const run = await runBin(['report', 'reviews.ndjson', '--out', 'report.html', '--as-of', AS_OF.toISOString(), '--title', 'Acme'], { cwd: dir });
    expect(run).toEqual({ code: 0, stdout: '', stderr: 'Report of 76 reviews written to report.html.\n' });
    const written = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(written).toBe(renderReport(buildReportModel(inputs, { asOf: AS_OF, files: ['reviews.ndjson'], title: 'Acme' })));
  });

  it('writes the page to stdout when it is not a terminal', async () => {
    const run = await runBin(['report', 'reviews.ndjson', '--as-of', '2027-01-03'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(renderReport(buildReportModel(inputs, { asOf: AS_OF, files: ['reviews.ndjson'] })));
  });

  it('refuses to print HTML on a terminal', async () => {
    let stderr = '';
    const ctx: CliContext = {
      stdout: { write: () => true, isTTY: true },
      stderr: { write: (text: string) => ((stderr += text), true) },
      stdin: Readable.from([]),
      env: {},
      cwd: dir,
      secrets: new Set(),
      signal: new AbortController().signal,
    };
    expect(await runCli(['node', 'reviewkit', 'report', 'reviews.ndjson'], ctx)).toBe(1);
    expect(stderr).toBe('error: pass --out report.html (or redirect stdout to a file): the report is an HTML page, not terminal text.\n');
  });

  it('fails on a bad file like score does', async () => {
    const run = await runBin(['report', 'missing.ndjson', '--out', 'x.html'], { cwd: dir });
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'error: No file at missing.ndjson: check the path\n' });
  });
});
