// The sandbox as a whole: every built-in adapter fetches its source through it, gets exactly what
// the sandbox holds (in the adapter's own reading), and the same seed gives the same bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, SANDBOX_SOURCES, type Sandbox, type SandboxSource } from '../../sandbox/index.js';
import { type AggregateResult, aggregate, ReviewSchema, type SourceReport } from '../../src/index.js';
import { compared, EXPECTED_FETCHED, get, rawRequests, reported } from './support.js';

const NO_RETRY = { retry: { attempts: 1 } };
let sandbox: Sandbox;
let result: AggregateResult;

beforeAll(async () => {
  sandbox = await createSandbox({ seed: 11 });
  result = await aggregate(sandbox.adapters(), NO_RETRY);
});
afterAll(() => sandbox.close());

/** A report without its timing, which no run can repeat. */
const stable = ({ durationMs: _d, ...rest }: SourceReport) => rest;

describe('aggregate(sandbox.adapters()) over every built-in source', () => {
  it('gives one ready adapter per source, 13 in all, each ok with the exact count', () => {
    expect(sandbox.adapters()).toHaveLength(13);
    expect(result.sources.map((s) => [s.status, s.fetched, s.error?.message ?? null])).toEqual(
      SANDBOX_SOURCES.map((source) => ['ok', EXPECTED_FETCHED[source], null]),
    );
    expect(result.sources.map((s) => s.source)).toEqual([
      'yelp',
      'google-places',
      'google-places',
      'google-business-profile',
      'facebook',
      'trustpilot',
      'tripadvisor',
      'app-store',
      'app-store',
      'google-play',
      'schema-org',
      'x',
      'instagram',
    ]);
    expect(result.reviews).toHaveLength(Object.values(EXPECTED_FETCHED).reduce((a, b) => a + b, 0));
  });

  it('yields only valid reviews, each once, newest first', () => {
    for (const review of result.reviews) expect(ReviewSchema.safeParse(review).success).toBe(true);
    expect(new Set(result.reviews.map((r) => r.id)).size).toBe(result.reviews.length);
    const times = result.reviews.map((r) => r.createdAt?.getTime() ?? Number.NEGATIVE_INFINITY);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('serves only real routes: no request went unmatched', () => {
    expect(sandbox.requests.filter((r) => !r.isMatched)).toEqual([]);
    expect(sandbox.requests.every((r) => r.status === 200 && r.fault === null)).toBe(true);
  });

  it('reports coverage as each platform caps it', () => {
    const coverage = (i: number) => [result.sources[i]?.coverage.complete, result.sources[i]?.coverage.reason ?? null];
    const capped = ['yelp', 'google-places', 'google-places-legacy', 'tripadvisor', 'google-play', 'schema-org', 'x'];
    SANDBOX_SOURCES.forEach((source, i) => {
      expect(coverage(i)).toEqual(capped.includes(source) ? [false, 'platform-limit'] : [true, null]);
    });
  });

  it('gives each adapter exactly what its source lists, as the adapter reads it', () => {
    SANDBOX_SOURCES.forEach((source, i) => {
      const report = result.sources[i] as SourceReport;
      // Two endpoints share a source name (Places, App Store): their reviews are told apart by id.
      const ids = new Set(sandbox.reviews(source).map((r) => r.externalId));
      const fetched = result.reviews
        .filter((r) => r.source === report.source && ids.has(r.externalId))
        .map(compared)
        .sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
      const held = sandbox
        .reviews(source)
        .filter((r) => r.isListed)
        .map((r) => reported(source, r))
        .sort((a, b) => (a.externalId < b.externalId ? -1 : 1));
      expect(fetched, source).toEqual(held);
    });
  });

  it('holds realistic data: four languages, a J-shaped star mix, replies and edits where the source shows them', () => {
    const all = SANDBOX_SOURCES.flatMap((s) => sandbox.reviews(s));
    expect(new Set(all.map((r) => r.language))).toEqual(new Set(['en', 'de', 'fr', 'es']));
    const stars = [1, 2, 3, 4, 5].map((n) => all.filter((r) => r.stars === n).length);
    expect(stars[4]).toBeGreaterThan(stars[3] as number);
    expect(stars[0]).toBeGreaterThan(stars[1] as number);
    const withReplies: SandboxSource[] = ['google-business-profile', 'trustpilot', 'tripadvisor', 'app-store-connect', 'google-play', 'schema-org', 'instagram'];
    for (const source of SANDBOX_SOURCES) {
      const replied = sandbox.reviews(source).filter((r) => r.replies.length > 0).length;
      if (withReplies.includes(source)) expect(replied, source).toBeGreaterThan(0);
      else expect(replied, source).toBe(0);
    }
    for (const source of ['google-business-profile', 'trustpilot', 'schema-org', 'x'] as const) {
      const edited = sandbox.reviews(source).filter((r) => r.updatedAt !== null);
      expect(edited.length, source).toBeGreaterThan(0);
      for (const r of edited) expect((r.updatedAt as Date).getTime()).toBeGreaterThan(r.createdAt.getTime());
    }
    const span = all.map((r) => sandbox.anchor.getTime() - r.createdAt.getTime());
    expect(Math.min(...span)).toBeGreaterThan(0);
    expect(Math.max(...span) / 86_400_000).toBeGreaterThan(600);
    expect(Math.max(...span) / 86_400_000).toBeLessThanOrEqual(731);
  });

  it('matches the sources’ own summaries to what it holds', () => {
    const summary = (source: SandboxSource) => result.sources[SANDBOX_SOURCES.indexOf(source)]?.summary;
    const mean = (source: SandboxSource) => {
      const stars = sandbox.reviews(source).map((r) => r.stars as number);
      return stars.reduce((a, b) => a + b, 0) / stars.length;
    };
    expect(summary('yelp')).toEqual({ average: Math.round(mean('yelp') * 2) / 2, count: 24 });
    expect(summary('google-places')).toEqual({ average: Math.round(mean('google-places') * 10) / 10, count: 36 });
    expect(summary('google-business-profile')).toEqual({ average: Math.round(mean('google-business-profile') * 10) / 10, count: 60 });
    expect(summary('trustpilot')).toEqual({ average: Math.round(mean('trustpilot') * 10) / 10, count: 48 });
    expect(summary('tripadvisor')).toEqual({ average: Math.round(mean('tripadvisor') * 2) / 2, count: 32 });
    expect(summary('schema-org')?.count).toBe(24);
  });
});

describe('seeds', () => {
  it('same seed: identical results and byte-identical answers; different seed: different data', async () => {
    const [twin, other] = await Promise.all([createSandbox({ seed: 11 }), createSandbox({ seed: 12 })]);
    try {
      const again = await aggregate(twin.adapters(), NO_RETRY);
      expect(again.reviews).toEqual(result.reviews);
      expect(again.sources.map(stable)).toEqual(result.sources.map(stable));

      const requests = rawRequests(sandbox);
      for (const source of SANDBOX_SOURCES) {
        const { path, headers } = requests[source];
        const [a, b, c] = await Promise.all([get(sandbox, path, headers), get(twin, path, headers), get(other, path, headers)]);
        expect(a.status, source).toBe(200);
        expect(b.text, source).toBe(a.text);
        expect(c.text, source).not.toBe(a.text);
      }

      const different = await aggregate(other.adapters(), NO_RETRY);
      expect(different.sources.map((s) => [s.status, s.fetched])).toEqual(result.sources.map((s) => [s.status, s.fetched]));
      const ids = new Set(result.reviews.map((r) => r.id));
      expect(different.reviews.filter((r) => ids.has(r.id))).toEqual([]);
    } finally {
      await Promise.all([twin.close(), other.close()]);
    }
  });

  it('accepts a string seed and an anchor, and dates everything before the anchor', async () => {
    const anchor = new Date('2025-01-15T00:00:00Z');
    const dated = await createSandbox({ seed: 'demo', anchor });
    try {
      expect(dated.seed).toBe('demo');
      expect(dated.anchor).toEqual(anchor);
      expect(dated.now()).toEqual(anchor);
      for (const source of SANDBOX_SOURCES) {
        for (const review of dated.reviews(source)) expect(review.createdAt.getTime()).toBeLessThan(anchor.getTime());
      }
      const { sources } = await aggregate(dated.adapters(['google-play', 'x']), NO_RETRY);
      expect(sources.map((s) => s.fetched)).toEqual([EXPECTED_FETCHED['google-play'], EXPECTED_FETCHED.x]);
    } finally {
      await dated.close();
    }
  });
});
