import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReview, type Review, ReviewkitError, sqliteStore } from '../../src/index.js';
import { tempDir } from './helpers.js';

const root = new URL('../..', import.meta.url).pathname;
const review = (n: number): Review =>
  createReview('trustpilot', {
    externalId: `t${n}`,
    subject: { id: 'acme', name: 'Acme' },
    rating: { value: 1 + (n % 5), min: 1, max: 5 },
    text: `Review ${n}`,
    createdAt: new Date(Date.UTC(2026, 1, 1) + n * 3600_000),
  });

let dir: { dir: string; remove: () => void };
let file: string;
beforeEach(() => {
  dir = tempDir('sqlite');
  file = join(dir.dir, 'reviews.db');
});
afterEach(() => dir.remove());

describe('sqliteStore', () => {
  it('keeps reviews in a real SQLite file in WAL mode, readable by any SQLite client', async () => {
    const store = sqliteStore(file);
    await store.upsert([review(1), review(2), review(3)], { resumePoint: { key: 'trustpilot:k', value: { newest: '2026-02-01T03:00:00.000Z', savedAt: 's' } } });
    expect(existsSync(`${file}-wal`)).toBe(true);
    // Another connection reads while the store is open (WAL: readers never block the writer).
    const other = new Database(file, { readonly: true });
    try {
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(other.prepare('SELECT id, source, fingerprint IS NOT NULL AS hasFingerprint FROM reviews ORDER BY id').all()).toEqual([
        { id: 'trustpilot:t1', source: 'trustpilot', hasFingerprint: 1 },
        { id: 'trustpilot:t2', source: 'trustpilot', hasFingerprint: 1 },
        { id: 'trustpilot:t3', source: 'trustpilot', hasFingerprint: 1 },
      ]);
      expect(JSON.parse((other.prepare('SELECT value FROM resume_points').get() as { value: string }).value)).toEqual({ newest: '2026-02-01T03:00:00.000Z', savedAt: 's' });
      expect(JSON.parse((other.prepare("SELECT json FROM reviews WHERE id = 'trustpilot:t2'").get() as { json: string }).json)).toEqual(JSON.parse(JSON.stringify(review(2))));
    } finally {
      other.close();
    }
    await store.close();
    const reopened = sqliteStore(file);
    expect(await reopened.get('trustpilot:t3')).toEqual(review(3));
    await reopened.close();
  });

  it('writes one transaction per upsert: a failing review leaves nothing of its call behind', async () => {
    const store = sqliteStore(file);
    await store.upsert([review(1)]);
    const broken = { ...review(3), rating: { value: 9, min: 1, max: 5 } } as Review;
    await expect(store.upsert([review(2), broken], { resumePoint: { key: 'k', value: { newest: null, savedAt: 'x' } } })).rejects.toMatchObject({ code: 'CONFIG' });
    expect(await store.count()).toBe(1);
    expect(await store.resumePoint('k')).toBeUndefined();
    await store.close();
  });

  it('says what to install when better-sqlite3 is missing', async () => {
    // A real failed resolution of a package that is not installed.
    const store = sqliteStore(file, { loadDriver: () => import('better-sqlite3-not-installed' as string) });
    const error = await store.count().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviewkitError);
    expect(error).toMatchObject({
      code: 'CONFIG',
      message:
        'reviewkit sqliteStore: needs the optional peer dependency better-sqlite3, which is not installed. Run `npm install better-sqlite3@12` (or use fileStore, which needs nothing).',
    });
    expect(existsSync(file)).toBe(false);
    await store.close();
  });

  it('says how to repair a driver that is installed but cannot load', async () => {
    const store = sqliteStore(file, {
      loadDriver: async () => {
        throw new Error('Could not locate the bindings file. Tried: build/Release/better_sqlite3.node');
      },
    });
    await expect(store.get('x')).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('`npm rebuild better-sqlite3`') });
    const wrong = sqliteStore(file, { loadDriver: async () => ({ default: 42 }) });
    await expect(wrong.get('x')).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('not better-sqlite3') });
  });

  it('refuses a database written by a newer schema', async () => {
    const db = new Database(file);
    db.pragma('user_version = 7');
    db.close();
    const store = sqliteStore(file);
    await expect(store.count()).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringContaining('schema version 7') });
  });

  it('is not loaded by importing reviewkit, only by using the store', () => {
    const script = `
      const { createRequire } = await import('node:module');
      const require = createRequire(import.meta.url);
      const loaded = () => Object.keys(require.cache).some((path) => path.includes('/better-sqlite3/'));
      const kit = await import('./src/index.ts');
      const afterImport = loaded();
      const store = kit.sqliteStore(process.argv[1]);
      const afterCreate = loaded();
      await store.count();
      const afterUse = loaded();
      await store.close();
      console.log(JSON.stringify({ afterImport, afterCreate, afterUse }));
    `;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, file], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ afterImport: false, afterCreate: false, afterUse: true });
  });
});
