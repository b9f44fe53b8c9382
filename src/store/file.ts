import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ReviewkitError } from '../errors.js';
import { checkQuery, checkResumePoint, closedError, metaOf, type OutboxRecord, reviewFromJson } from './records.js';
import { SegmentLog } from './segment-log.js';
import { type Change, type Entry, isEmptyChange, reviewsOf, StoreState } from './state.js';
import type { ResumePoint, ReviewStore } from './types.js';

/**
 * The embedded default {@link ReviewStore}: a directory of NDJSON files, with no dependency.
 *
 * Layout: `data-000001.ndjson`… (one JSON record per line: a review with its fingerprint, or a
 * queued delivery), `index.json` (the committed data files, and the resume points), `LOCK`.
 * Every write goes to a temporary file that is fsynced, renamed into place, and the directory
 * fsynced; the rename of `index.json` commits it. A write interrupted at any moment — a killed
 * process, a full disk, a power cut — leaves the store as it was before that write: never
 * corrupted, never losing what was stored. What an interrupted write left behind is removed the
 * next time the store opens. Files are merged in the background of later writes, so a directory
 * holds a few dozen files at most.
 *
 * The whole store is loaded into memory when it opens (about the size of the reviews as JSON);
 * for millions of reviews prefer `sqliteStore`. One process at a time: a second `fileStore` on the
 * same directory, in this process or another, fails with `CONFIG` while the first is open (a
 * lock left by a killed process is taken over).
 *
 * The directory is opened on first use, so creating the store never throws; an unreadable or
 * damaged directory rejects that first call (`BAD_RESPONSE`).
 *
 * @example
 * const store = fileStore('./reviews');
 * const { added } = await sync(adapters, { store });
 * await store.close();
 */
export function fileStore(dir: string): ReviewStore {
  if (typeof dir !== 'string' || dir === '') {
    throw new ReviewkitError({ code: 'CONFIG', message: 'reviewkit fileStore: takes the path of a directory, e.g. fileStore("./reviews").' });
  }
  const path = resolve(dir);
  let opening: Promise<Opened> | null = null;
  let isClosed = false;
  let queue: Promise<unknown> = Promise.resolve();

  const opened = (): Promise<Opened> => {
    if (isClosed) return Promise.reject(closedError('fileStore'));
    opening ??= openStore(path);
    return opening;
  };
  /** Runs writes one at a time, in call order; a failed write does not block the next. */
  const serial = <T>(task: (store: Opened) => Promise<T>): Promise<T> => {
    const run = queue.then(async () => task(await opened()));
    queue = run.catch(() => {});
    return run;
  };

  return {
    async get(id) {
      return (await opened()).state.get(id);
    },
    list(query) {
      const checked = checkQuery(query);
      return {
        async *[Symbol.asyncIterator]() {
          const { state } = await opened();
          yield* reviewsOf(state.select(checked), path);
        },
      };
    },
    async count(query) {
      return (await opened()).state.count(query);
    },
    upsert(reviews, options = {}) {
      return serial(async (store) => {
        const { change, result } = store.state.planUpsert(reviews, options, new Date());
        await store.commit(change);
        return result;
      });
    },
    async resumePoint(key) {
      const point = (await opened()).state.resume.get(key);
      return point && { ...point };
    },
    setResumePoint(key, value) {
      return serial((store) => store.commit(store.state.planResume(key, value)));
    },
    async needsReply({ createdBefore }) {
      return (await opened()).state.needsReply(createdBefore);
    },
    markNeedsReply(ids, options = {}) {
      return serial(async (store) => {
        const { change, marked } = store.state.planMarks(ids, options.notify ?? [], new Date());
        await store.commit(change);
        return marked;
      });
    },
    async pendingDeliveries(sinks) {
      return (await opened()).state.pending(sinks);
    },
    settleDelivery(id, outcome) {
      return serial((store) => store.commit(store.state.planSettle(id, outcome)));
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      await queue;
      const store = await opening?.catch(() => null);
      if (store) await store.release();
    },
  };
}

interface Opened {
  state: StoreState;
  commit(change: Change): Promise<void>;
  release(): Promise<void>;
}

/** Directories this process has open (the lock file alone cannot tell two stores of one process apart). */
const openHere = new Set<string>();

async function openStore(dir: string): Promise<Opened> {
  await mkdir(dir, { recursive: true });
  await lock(dir);
  try {
    const state = new StoreState(`fileStore ${dir}`);
    const { log, meta } = await SegmentLog.open(dir, (key, value) => load(state, dir, key, value));
    for (const [key, point] of Object.entries(resumeOf(meta))) state.resume.set(key, checkResumePoint(key, point));
    return {
      state,
      async commit(change) {
        if (isEmptyChange(change)) return;
        const writes = new Map<string, string | null>();
        for (const entry of change.entries) writes.set(`r:${entry.id}`, entryValue(entry));
        for (const record of change.outboxPut) writes.set(`o:${record.id}`, JSON.stringify(record));
        for (const id of change.outboxDelete) writes.set(`o:${id}`, null);
        const resume = Object.fromEntries(state.resume);
        for (const [key, value] of change.resume) resume[key] = value;
        await log.commit(writes, { resume });
        state.apply(change);
      },
      release: () => unlock(dir),
    };
  } catch (error) {
    await unlock(dir);
    throw error;
  }
}

/** A review's record: its fingerprint and alert mark, then the review (last, so it can be sliced off unparsed). */
function entryValue(entry: Entry): string {
  return `{"fingerprint":${JSON.stringify(entry.fingerprint)},"alertedAt":${JSON.stringify(entry.alertedAt)},"review":${entry.json}}`;
}

const REVIEW_FIELD = ',"review":';

function load(state: StoreState, dir: string, key: string, value: string): void {
  if (key.startsWith('o:')) {
    const record = JSON.parse(value) as OutboxRecord;
    state.outbox.set(record.id, record);
    return;
  }
  if (!key.startsWith('r:')) return;
  const { fingerprint, alertedAt } = JSON.parse(value.slice(0, value.indexOf(REVIEW_FIELD)) + '}') as { fingerprint: string; alertedAt: string | null };
  const json = value.slice(value.indexOf(REVIEW_FIELD) + REVIEW_FIELD.length, -1);
  const review = reviewFromJson(json, `fileStore ${dir}`);
  state.apply({ entries: [{ ...metaOf(review, fingerprint, alertedAt), json }], outboxPut: [], outboxDelete: [], resume: [] });
}

function resumeOf(meta: unknown): Record<string, ResumePoint> {
  const resume = (meta as { resume?: unknown } | null)?.resume;
  return resume && typeof resume === 'object' ? (resume as Record<string, ResumePoint>) : {};
}

const LOCK = 'LOCK';

/**
 * Takes the directory's lock: a `LOCK` file holding this process's id. A lock whose process is
 * gone (killed) is taken over.
 */
async function lock(dir: string): Promise<void> {
  if (openHere.has(dir)) throw inUse(dir, 'this process');
  const path = `${dir}/${LOCK}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      openHere.add(dir);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) throw inUse(dir, `process ${holder}`);
    await unlink(path).catch(() => {});
  }
  throw inUse(dir, 'another process');
}

async function unlock(dir: string): Promise<void> {
  if (!openHere.delete(dir)) return;
  await unlink(`${dir}/${LOCK}`).catch(() => {});
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(dir: string, holder: string): ReviewkitError {
  return new ReviewkitError({
    code: 'CONFIG',
    message: `reviewkit fileStore: ${dir} is in use by ${holder}; close that store first (one writer at a time keeps the files consistent).`,
  });
}
