import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReview, fileStore, type Review, ReviewkitError } from '../../src/index.js';
import { allReviews, tempDir } from './helpers.js';

const review = (n: number, text = `Review ${n}`): Review =>
  createReview('yelp', {
    externalId: `r${n}`,
    subject: { id: 'acme', name: 'Acme' },
    rating: { value: 1 + (n % 5), min: 1, max: 5 },
    text,
    createdAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000),
  });

let dir: { dir: string; remove: () => void };
let path: string;
beforeEach(() => {
  dir = tempDir('file-store');
  path = join(dir.dir, 'store');
});
afterEach(() => dir.remove());

describe('fileStore on disk', () => {
  it('writes NDJSON data files and a small index naming them', async () => {
    const store = fileStore(path);
    await store.upsert([review(1), review(2)], { resumePoint: { key: 'yelp:k', value: { newest: '2026-01-01T00:02:00.000Z', savedAt: 's' } } });
    await store.close();
    const files = readdirSync(path).sort();
    expect(files).toEqual(['data-000001.ndjson', 'index.json']);
    const index = JSON.parse(readFileSync(join(path, 'index.json'), 'utf8'));
    expect(index).toEqual({ format: 'reviewkit-file-store', version: 1, next: 2, segments: ['data-000001.ndjson'], meta: { resume: { 'yelp:k': { newest: '2026-01-01T00:02:00.000Z', savedAt: 's' } } } });
    const lines = readFileSync(join(path, 'data-000001.ndjson'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.key, line.value.review.id, typeof line.value.fingerprint])).toEqual([
      ['r:yelp:r1', 'yelp:r1', 'string'],
      ['r:yelp:r2', 'yelp:r2', 'string'],
    ]);
  });

  it('ignores and removes a torn temporary file and an uncommitted data file left by a crash', async () => {
    const store = fileStore(path);
    await store.upsert([review(1), review(2)]);
    await store.upsert([review(1, 'edited')]);
    await store.close();
    const before = readdirSync(path).sort();
    // What a crash in the middle of the next write leaves: a half-written temporary data file, a
    // torn temporary index, and a complete data file whose commit (the index rename) never happened.
    writeFileSync(join(path, 'data-000003.ndjson.1a2b3c.tmp'), '{"key":"r:yelp:r3","value":{"fingerprint":"x","alertedAt":null,"rev');
    writeFileSync(join(path, 'index.json.4d5e6f.tmp'), '{"format":"reviewkit-file-store","version":1,"next":4,"segm');
    writeFileSync(join(path, 'data-000003.ndjson'), `{"key":"r:yelp:r9","value":{"fingerprint":"x","alertedAt":null,"review":${JSON.stringify(review(9))}}}\n`);

    const reopened = fileStore(path);
    expect((await allReviews(reopened)).map((r) => [r.id, r.text])).toEqual([
      ['yelp:r2', 'Review 2'],
      ['yelp:r1', 'edited'],
    ]);
    expect(readdirSync(path).sort()).toEqual([...before.filter((f) => f !== 'LOCK'), 'LOCK'].sort());
    // The store goes on writing normally; the next data file takes the orphan's number.
    await reopened.upsert([review(3)]);
    await reopened.close();
    expect((await allReviews(fileStore(path))).map((r) => r.id)).toEqual(['yelp:r3', 'yelp:r2', 'yelp:r1']);
  });

  it('keeps a few files however many writes, and drops superseded lines when it merges', async () => {
    const store = fileStore(path);
    for (let i = 0; i < 120; i++) await store.upsert([review(i % 30, `version ${i}`)]);
    for (let i = 0; i < 10; i++) await store.setResumePoint(`k${i}`, { newest: null, savedAt: String(i) });
    const dataFiles = () => readdirSync(path).filter((f) => f.endsWith('.ndjson'));
    expect(dataFiles().length).toBeLessThanOrEqual(8);
    const lines = dataFiles().reduce((sum, f) => sum + readFileSync(join(path, f), 'utf8').trimEnd().split('\n').length, 0);
    expect(lines).toBeLessThan(120);
    const expected = await allReviews(store);
    expect(expected).toHaveLength(30);
    expect(expected.find((r) => r.id === 'yelp:r29')?.text).toBe('version 119');
    await store.close();
    const reopened = fileStore(path);
    expect(await allReviews(reopened)).toEqual(expected);
    expect(await reopened.resumePoint('k9')).toEqual({ newest: null, savedAt: '9' });
    await reopened.close();
  });

  it('keeps delivered deliveries deleted across merges and reopens', async () => {
    const store = fileStore(path);
    for (let i = 0; i < 30; i++) await store.upsert([review(i)], { notify: ['hook'] });
    for (const delivery of await store.pendingDeliveries()) {
      if (Number(delivery.event.review.externalId.slice(1)) % 3 !== 0) await store.settleDelivery(delivery.id, { delivered: true });
    }
    const pending = await store.pendingDeliveries();
    expect(pending).toHaveLength(10);
    await store.close();
    const reopened = fileStore(path);
    expect(await reopened.pendingDeliveries()).toEqual(pending);
    await reopened.close();
  });

  it('lets one store at a time use a directory, and takes over the lock of a killed process', async () => {
    const first = fileStore(path);
    await first.count();
    const second = fileStore(path);
    await expect(second.count()).rejects.toMatchObject({ code: 'CONFIG', message: expect.stringMatching(/in use by this process/) });
    await first.close();
    const third = fileStore(path);
    await third.upsert([review(1)]);
    await third.close();

    // A lock whose process is gone (the pid of a child that has exited).
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(path, 'LOCK'), gone.stdout);
    const fourth = fileStore(path);
    expect(await fourth.count()).toBe(1);
    await fourth.close();
  });

  it('reports a damaged directory instead of guessing', async () => {
    const store = fileStore(path);
    await store.upsert([review(1)]);
    await store.close();
    writeFileSync(join(path, 'index.json'), '{"not":"an index"}');
    const damaged = fileStore(path);
    const error = await damaged.count().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReviewkitError);
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringContaining('is damaged: index.json is not a reviewkit file store index') });
    await damaged.close();
  });
});
