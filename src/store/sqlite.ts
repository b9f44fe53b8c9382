import { ReviewkitError } from '../errors.js';
import { reviewFingerprint } from '../fingerprint.js';
import type { Review } from '../review.js';
import {
  checkOutcome,
  checkQuery,
  checkResumePoint,
  checkReviews,
  closedError,
  isAwaitingReply,
  type OutboxRecord,
  outboxRecords,
  pendingOf,
  reviewFromJson,
} from './records.js';
import type { ResumePoint, ReviewQuery, ReviewStore, UpsertResult } from './types.js';

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * Loads the driver module: default `import('better-sqlite3')`. Replace it to use another copy
   * of better-sqlite3 (a bundled one, say). It is called on the store's first use; a failure
   * becomes a `CONFIG` error saying what to install.
   */
  loadDriver?: () => Promise<unknown>;
  /** How long a write waits for another process's write to finish, in ms. Default 5000. */
  busyTimeoutMs?: number;
}

/** The parts of better-sqlite3's API the store uses (kept here so its types are not a dependency). */
interface Database {
  pragma(source: string, options?: { simple?: boolean }): unknown;
  exec(source: string): unknown;
  prepare(source: string): Statement;
  close(): unknown;
}
interface Statement {
  iterate(...params: unknown[]): IterableIterator<unknown>;
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
type DatabaseConstructor = new (path: string) => Database;

/** The driver module's name, in a constant so bundlers do not try to inline the optional peer. */
const DRIVER = 'better-sqlite3';
/** Sort key of undated reviews: after every dated one in `list` order. */
const UNDATED = Number.MIN_SAFE_INTEGER;
const SCHEMA_VERSION = 1;

/**
 * A {@link ReviewStore} in an SQLite database file, through the optional peer dependency
 * `better-sqlite3` 12 (`npm install better-sqlite3@12`), loaded on the store's first use — never
 * by `import('reviewkit')`.
 *
 * The database runs in WAL mode with `synchronous = FULL`: each `upsert` is one transaction
 * (reviews by id, the resume point and queued deliveries together), durable when it resolves,
 * and readers never block the writer. Tables: `reviews` (one row per id: source, created time,
 * fingerprint, reply state, the review as JSON), `resume_points`, `outbox`. Other processes may
 * read the file while a sync runs. A missing driver rejects the first call with a `CONFIG` error
 * naming the package to install.
 *
 * @example
 * const store = sqliteStore('./reviews.db');
 * await sync(adapters, { store });
 * for await (const review of store.list({ source: 'yelp', unanswered: true })) console.log(review.text);
 * await store.close();
 */
export function sqliteStore(path: string, options: SqliteStoreOptions = {}): ReviewStore {
  if (typeof path !== 'string' || path === '') {
    throw new ReviewkitError({ code: 'CONFIG', message: 'reviewkit sqliteStore: takes the path of a database file, e.g. sqliteStore("./reviews.db").' });
  }
  let opening: Promise<Opened> | null = null;
  let isClosed = false;
  const opened = (): Promise<Opened> => {
    if (isClosed) return Promise.reject(closedError('sqliteStore'));
    opening ??= openDatabase(path, options);
    return opening;
  };

  return {
    async get(id) {
      const row = (await opened()).statements.get.get(id) as { json: string } | undefined;
      return row && reviewFromJson(row.json, path);
    },
    list(query) {
      const q = checkQuery(query);
      return {
        async *[Symbol.asyncIterator]() {
          const db = await opened();
          const { sql, params } = whereOf(q);
          const select = `SELECT json FROM reviews ${sql} ORDER BY sort_ms DESC, id ASC`;
          if (isInMemory(path)) {
            // One connection only: read everything at once, a snapshot by construction.
            const rows = db.db.prepare(select).all(...params) as { json: string }[];
            for (const row of rows) yield reviewFromJson(row.json, path);
            return;
          }
          // A reader connection of its own holds one read transaction for the whole iteration: a
          // WAL snapshot, unaffected by writes the caller makes meanwhile, which never wait for it.
          const reader = db.reader();
          try {
            reader.exec('BEGIN');
            for (const row of reader.prepare(select).iterate(...params) as IterableIterator<{ json: string }>) {
              yield reviewFromJson(row.json, path);
            }
          } finally {
            reader.close();
          }
        },
      };
    },
    async count(query) {
      const { sql, params } = whereOf(checkQuery(query));
      const row = (await opened()).db.prepare(`SELECT count(*) AS n FROM reviews ${sql}`).get(...params) as { n: number };
      return row.n;
    },
    async upsert(reviews, upsertOptions = {}) {
      const db = await opened();
      const checked = checkReviews(reviews);
      const resume = upsertOptions.resumePoint && checkResumePoint(upsertOptions.resumePoint.key, upsertOptions.resumePoint.value);
      const notify = upsertOptions.notify ?? [];
      const now = new Date();
      return db.transaction(() => {
        const result: UpsertResult = { added: [], updated: [], unchanged: 0 };
        for (const review of checked) {
          const json = JSON.stringify(review);
          const fingerprint = reviewFingerprint(review);
          const existing = db.statements.meta.get(review.id) as { fingerprint: string; alerted_at: string | null; json: string } | undefined;
          if (existing && existing.fingerprint === fingerprint) {
            result.unchanged++;
            if (existing.json !== json) db.writeReview(review, json, fingerprint, existing.alerted_at);
            continue;
          }
          (existing ? result.updated : result.added).push(review);
          db.writeReview(review, json, fingerprint, existing?.alerted_at ?? null);
          for (const record of outboxRecords(notify, existing ? 'updated' : 'new', review, json, fingerprint, now)) db.enqueue(record);
        }
        if (resume && upsertOptions.resumePoint) db.statements.setResume.run(upsertOptions.resumePoint.key, JSON.stringify(resume));
        return result;
      });
    },
    async resumePoint(key) {
      const row = (await opened()).statements.getResume.get(key) as { value: string } | undefined;
      return row && (JSON.parse(row.value) as ResumePoint);
    },
    async setResumePoint(key, value) {
      const db = await opened();
      const checked = checkResumePoint(key, value);
      db.transaction(() => db.statements.setResume.run(key, JSON.stringify(checked)));
    },
    async needsReply({ createdBefore }) {
      const db = await opened();
      if (!(createdBefore instanceof Date) || Number.isNaN(createdBefore.getTime())) throw badDate();
      const rows = db.statements.due.all(createdBefore.getTime()) as { json: string }[];
      return rows.map((row) => reviewFromJson(row.json, path));
    },
    async markNeedsReply(ids, markOptions = {}) {
      const db = await opened();
      const now = new Date();
      return db.transaction(() => {
        const marked: Review[] = [];
        for (const id of new Set(ids)) {
          const row = db.statements.meta.get(id) as { fingerprint: string; alerted_at: string | null; json: string; awaiting: number } | undefined;
          if (!row || row.awaiting !== 1 || row.alerted_at !== null) continue;
          const review = reviewFromJson(row.json, path);
          marked.push(review);
          db.statements.mark.run(now.toISOString(), id);
          for (const record of outboxRecords(markOptions.notify ?? [], 'needs-reply', review, row.json, row.fingerprint, now)) db.enqueue(record);
        }
        return marked;
      });
    },
    async pendingDeliveries(sinks) {
      const db = await opened();
      const wanted = sinks && new Set(sinks);
      const rows = db.statements.pending.all() as OutboxRow[];
      return rows.filter((row) => !wanted || wanted.has(row.sink)).map((row) => pendingOf(recordOf(row)));
    },
    async settleDelivery(id, outcome) {
      const db = await opened();
      const checked = checkOutcome(outcome);
      db.transaction(() => {
        if (checked.delivered) db.statements.deliver.run(id);
        else db.statements.fail.run(checked.error, id);
      });
    },
    async close() {
      if (isClosed) return;
      isClosed = true;
      const db = await opening?.catch(() => null);
      db?.db.close();
    },
  };
}

interface OutboxRow {
  id: string;
  sink: string;
  event_id: string;
  type: OutboxRecord['type'];
  review: string;
  attempts: number;
  queued_at: string;
  last_error: string | null;
}

interface Opened {
  db: Database;
  /** A new connection to the same file, for one `list` iteration. */
  reader(): Database;
  statements: Record<'get' | 'meta' | 'write' | 'setResume' | 'getResume' | 'due' | 'mark' | 'enqueue' | 'pending' | 'deliver' | 'fail', Statement>;
  transaction<T>(work: () => T): T;
  writeReview(review: Review, json: string, fingerprint: string, alertedAt: string | null): void;
  enqueue(record: OutboxRecord): void;
}

async function openDatabase(path: string, options: SqliteStoreOptions): Promise<Opened> {
  const Driver = await loadDriver(options.loadDriver);
  let db: Database;
  try {
    db = new Driver(path);
  } catch (error) {
    throw new ReviewkitError({
      code: 'CONFIG',
      message: `reviewkit sqliteStore: cannot open ${path}: ${error instanceof Error ? error.message : String(error)}.`,
    });
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const statements = {
    get: db.prepare('SELECT json FROM reviews WHERE id = ?'),
    meta: db.prepare('SELECT fingerprint, alerted_at, json, awaiting FROM reviews WHERE id = ?'),
    write: db.prepare(
      `INSERT INTO reviews (id, source, created_ms, sort_ms, fingerprint, awaiting, alerted_at, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET source = excluded.source, created_ms = excluded.created_ms, sort_ms = excluded.sort_ms,
         fingerprint = excluded.fingerprint, awaiting = excluded.awaiting, alerted_at = excluded.alerted_at, json = excluded.json`,
    ),
    setResume: db.prepare('INSERT INTO resume_points (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    getResume: db.prepare('SELECT value FROM resume_points WHERE key = ?'),
    due: db.prepare(
      'SELECT json FROM reviews WHERE awaiting = 1 AND alerted_at IS NULL AND created_ms IS NOT NULL AND created_ms <= ? ORDER BY created_ms ASC, id ASC',
    ),
    mark: db.prepare('UPDATE reviews SET alerted_at = ? WHERE id = ?'),
    enqueue: db.prepare(
      'INSERT OR IGNORE INTO outbox (id, sink, event_id, type, review, attempts, queued_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    pending: db.prepare('SELECT id, sink, event_id, type, review, attempts, queued_at, last_error FROM outbox ORDER BY seq ASC'),
    deliver: db.prepare('DELETE FROM outbox WHERE id = ?'),
    fail: db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?'),
  };
  return {
    db,
    statements,
    reader() {
      const reader = new Driver(path);
      reader.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 5000))}`);
      return reader;
    },
    transaction(work) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    writeReview(review, json, fingerprint, alertedAt) {
      const created = review.createdAt === null ? null : review.createdAt.getTime();
      statements.write.run(review.id, review.source, created, created ?? UNDATED, fingerprint, isAwaitingReply(review) ? 1 : 0, alertedAt, json);
    },
    enqueue(record) {
      statements.enqueue.run(record.id, record.sink, record.eventId, record.type, record.review, record.attempts, record.queuedAt, record.lastError);
    },
  };
}

function migrate(db: Database): void {
  const version = db.pragma('user_version', { simple: true });
  if (version === SCHEMA_VERSION) return;
  if (version !== 0) {
    throw new ReviewkitError({
      code: 'CONFIG',
      message: `reviewkit sqliteStore: the database has schema version ${String(version)}; this reviewkit reads version ${SCHEMA_VERSION}. Upgrade reviewkit.`,
    });
  }
  db.exec(`BEGIN IMMEDIATE;
    CREATE TABLE IF NOT EXISTS reviews (
      id TEXT PRIMARY KEY,
      source TEXT NOT NULL,
      created_ms INTEGER,
      sort_ms INTEGER NOT NULL,
      fingerprint TEXT NOT NULL,
      awaiting INTEGER NOT NULL,
      alerted_at TEXT,
      json TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS reviews_by_time ON reviews (sort_ms DESC, id);
    CREATE INDEX IF NOT EXISTS reviews_by_source ON reviews (source, sort_ms DESC, id);
    CREATE INDEX IF NOT EXISTS reviews_due ON reviews (created_ms) WHERE awaiting = 1 AND alerted_at IS NULL;
    CREATE TABLE IF NOT EXISTS resume_points (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS outbox (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      sink TEXT NOT NULL,
      event_id TEXT NOT NULL,
      type TEXT NOT NULL,
      review TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      queued_at TEXT NOT NULL,
      last_error TEXT
    );
    PRAGMA user_version = ${SCHEMA_VERSION};
    COMMIT;`);
}

function isInMemory(path: string): boolean {
  return path === ':memory:' || path.startsWith('file::memory:');
}

function whereOf(query: ReviewQuery): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (query.source !== undefined) {
    clauses.push('source = ?');
    params.push(query.source);
  }
  if (query.unanswered) clauses.push('awaiting = 1');
  if (query.from !== undefined || query.to !== undefined) clauses.push('created_ms IS NOT NULL');
  if (query.from !== undefined) {
    clauses.push('created_ms >= ?');
    params.push(query.from.getTime());
  }
  if (query.to !== undefined) {
    clauses.push('created_ms < ?');
    params.push(query.to.getTime());
  }
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function recordOf(row: OutboxRow): OutboxRecord {
  return {
    id: row.id,
    sink: row.sink,
    eventId: row.event_id,
    type: row.type,
    review: row.review,
    attempts: row.attempts,
    queuedAt: row.queued_at,
    lastError: row.last_error,
  };
}

/**
 * Loads better-sqlite3 (or what `load` returns) and checks it is a database constructor. Every
 * failure is a `CONFIG` error that says what to install; the original message is kept as the
 * cause's message (it names paths, never secrets).
 */
async function loadDriver(load: SqliteStoreOptions['loadDriver']): Promise<DatabaseConstructor> {
  let loaded: unknown;
  try {
    loaded = await (load ?? (() => import(DRIVER)))();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const message = error instanceof Error ? error.message : String(error);
    const isMissing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(message);
    const cause = new Error(message);
    throw new ReviewkitError({
      code: 'CONFIG',
      cause,
      message: isMissing
        ? 'reviewkit sqliteStore: needs the optional peer dependency better-sqlite3, which is not installed. Run `npm install better-sqlite3@12` (or use fileStore, which needs nothing).'
        : `reviewkit sqliteStore: better-sqlite3 is installed but could not be loaded (${message}). Reinstall it for this Node version: \`npm rebuild better-sqlite3\` or \`npm install better-sqlite3@12\`.`,
    });
  }
  const candidate = (loaded as { default?: unknown } | null)?.default ?? loaded;
  if (typeof candidate !== 'function') {
    throw new ReviewkitError({
      code: 'CONFIG',
      message: 'reviewkit sqliteStore: the loaded driver is not better-sqlite3 (no Database constructor). Run `npm install better-sqlite3@12`.',
    });
  }
  return candidate as DatabaseConstructor;
}

function badDate(): ReviewkitError {
  return new ReviewkitError({ code: 'CONFIG', message: 'reviewkit store: needsReply: `createdBefore` must be a valid Date.' });
}
