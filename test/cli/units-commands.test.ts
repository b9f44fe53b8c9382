// Building blocks of sandbox, demo, sync, watch and reply, in process: number and duration
// flags, store specs, the sandbox's config, and the progress wrapper keeping what sync and
// reply need from an adapter.
import { describe, expect, it } from 'vitest';
import { buildConfig } from '../../cli/config.js';
import { CliError } from '../../cli/errors.js';
import { formatDurationFlag, parseDurationFlag, parseNumberFlag } from '../../cli/flags.js';
import { SANDBOX_CONFIG_ADAPTERS, sandboxConfig } from '../../cli/sandbox-config.js';
import { describeStore, parseStoreSpec, storeLocation } from '../../cli/store.js';
import { RunTracker } from '../../cli/tracker.js';
import { aggregate, resumeKeyOf, sync, memoryStore } from '../../src/index.js';
import { createSandbox, SANDBOX_SOURCES } from '../../testing/index.js';

const errorOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as CliError).message;
  }
  throw new Error('no error');
};

describe('number and duration flags', () => {
  it('reads numbers within their limits, and nothing else', () => {
    expect(parseNumberFlag('0.25', '--fail-rate', { min: 0, max: 1 })).toBe(0.25);
    expect(parseNumberFlag(' 8080 ', '--port', { min: 0, max: 65_535, isInteger: true })).toBe(8080);
    for (const value of ['', 'abc', '1e3', '0x10', '1.5.2', 'Infinity', '-1', '2']) {
      expect(errorOf(() => parseNumberFlag(value, '--fail-rate', { min: 0, max: 1 }))).toBe(`--fail-rate must be a number from 0 to 1; got ${JSON.stringify(value)}`);
    }
    expect(errorOf(() => parseNumberFlag('80.5', '--port', { min: 0, max: 65_535, isInteger: true }))).toBe('--port must be a whole number from 0 to 65535; got "80.5"');
  });

  it('reads durations with a unit, in milliseconds, and writes them back short', () => {
    const cases: [string, number, string][] = [
      ['500ms', 500, '500ms'],
      ['30s', 30_000, '30s'],
      ['15m', 900_000, '15m'],
      ['1.5h', 5_400_000, '1.5h'],
      ['24h', 86_400_000, '1d'],
      ['2d', 172_800_000, '2d'],
    ];
    for (const [text, ms, shown] of cases) {
      expect(parseDurationFlag(text, '--interval')).toBe(ms);
      expect(formatDurationFlag(ms)).toBe(shown);
    }
    expect(formatDurationFlag(90_000)).toBe('1.5m');
    expect(formatDurationFlag(0)).toBe('0ms');
    for (const value of ['15', 'm', '15 minutes', '-1h', '1w']) expect(() => parseDurationFlag(value, '--interval')).toThrow(CliError);
    expect(errorOf(() => parseDurationFlag('500ms', '--interval', { minMs: 1000, maxMs: 3_600_000 }))).toBe(
      '--interval must be a duration from 1s to 1h with a unit, like 30s, 15m, 24h or 2d; got "500ms"',
    );
  });
});

describe('store specs', () => {
  it('reads a folder or sqlite:PATH relative to where it was given, and names it back', () => {
    expect(parseStoreSpec('reviews', '/srv/shop', '--store')).toEqual({ kind: 'file', path: '/srv/shop/reviews' });
    expect(parseStoreSpec('sqlite:data/reviews.db', '/srv/shop', '--store')).toEqual({ kind: 'sqlite', path: '/srv/shop/data/reviews.db' });
    expect(parseStoreSpec('sqlite:/var/reviews.db', '/srv/shop', '--store')).toEqual({ kind: 'sqlite', path: '/var/reviews.db' });
    expect(describeStore({ kind: 'sqlite', path: '/srv/shop/data/reviews.db' }, '/srv/shop')).toBe('sqlite:data/reviews.db');
    expect(describeStore({ kind: 'file', path: '/var/reviews' }, '/srv/shop')).toBe('/var/reviews');
    expect(errorOf(() => parseStoreSpec('sqlite:', '/srv', '--store'))).toBe('--store needs a folder (a file store) or sqlite:PATH (an SQLite file); got "sqlite:".');
  });

  it('prefers --store to the config, and asks for one when neither names it', () => {
    const configured = { kind: 'file' as const, path: '/srv/shop/kept' };
    expect(storeLocation('other', configured, '/home/me', { command: 'sync', configFile: 'shop.json' })).toEqual({ kind: 'file', path: '/home/me/other' });
    expect(storeLocation(undefined, configured, '/home/me', { command: 'sync', configFile: 'shop.json' })).toBe(configured);
    expect(errorOf(() => storeLocation(undefined, undefined, '/home/me', { command: 'watch', configFile: 'shop.json' }))).toBe(
      'watch needs a store: pass --store DIR (or --store sqlite:reviews.db), or set "store" in shop.json.',
    );
  });
});

describe('the sandbox as a config file', () => {
  it('names every sandboxed endpoint, and builds through the config loader to the sandbox adapters themselves', async () => {
    expect(Object.keys(SANDBOX_CONFIG_ADAPTERS).sort()).toEqual([...SANDBOX_SOURCES].sort());
    const sandbox = await createSandbox({ seed: 'units' });
    try {
      const file = sandboxConfig(sandbox, SANDBOX_SOURCES);
      expect(file.retry).toBeUndefined();
      expect(sandboxConfig(sandbox, ['yelp'], { failRate: 0.2 }).retry).toEqual({ attempts: 5 });
      // JSON all the way: what `reviewkit sandbox` prints is what a config file holds.
      const config = await buildConfig(JSON.parse(JSON.stringify(file)), '/virtual/sandbox.json', {}, 'sandbox.json');
      expect(config.sources.map((source) => source.adapterName)).toEqual(SANDBOX_SOURCES.map((source) => SANDBOX_CONFIG_ADAPTERS[source]));
      const direct = sandbox.adapters();
      expect(config.sources.map((source) => source.adapter.resumeKey)).toEqual(direct.map((adapter) => adapter.resumeKey));
      const fromConfig = await aggregate(config.sources.map((source) => source.adapter));
      expect(fromConfig.sources.every((report) => report.status === 'ok')).toBe(true);
      expect(fromConfig.reviews).toEqual((await aggregate(direct)).reviews);
      expect(config.secrets.length).toBeGreaterThanOrEqual(12);
    } finally {
      await sandbox.close();
    }
  });
});

describe('progress-wrapped adapters', () => {
  it('keep the resume key, ownership and reply side, so sync and reply treat them as the originals', async () => {
    const sandbox = await createSandbox({ seed: 'units' });
    try {
      // The App Store feed and App Store Connect share `source`; their resume keys differ.
      const adapters = sandbox.adapters(['app-store', 'app-store-connect', 'trustpilot']);
      const tracker = new RunTracker(
        adapters.map((adapter, index) => ({ index, adapterName: adapter.name, adapter })),
        () => {},
      );
      const wrapped = adapters.map((adapter, position) => tracker.wrap(adapter, position));
      expect(wrapped.map((adapter) => resumeKeyOf(adapter))).toEqual(adapters.map((adapter) => resumeKeyOf(adapter)));
      expect(new Set(wrapped.map((adapter) => resumeKeyOf(adapter))).size).toBe(3);
      const store = memoryStore();
      await sync(wrapped, { store });
      for (const adapter of adapters) expect(await store.resumePoint(resumeKeyOf(adapter))).toBeDefined();
      const [review] = (await aggregate([adapters[2] as (typeof adapters)[number]])).reviews;
      expect(review && wrapped[2]?.owns?.(review)).toBe(true);
      expect(review && wrapped[0]?.owns?.(review)).toBe(false);
      expect(wrapped[2]?.replies).toBe(adapters[2]?.replies);
    } finally {
      await sandbox.close();
    }
  });
});
