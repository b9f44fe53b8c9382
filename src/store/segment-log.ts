import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ReviewkitError } from '../errors.js';

/**
 * A crash-safe key–value log in a directory: NDJSON segment files plus a small index.
 *
 * - A segment (`data-000042.ndjson`) holds one line per key written by one commit:
 *   `{"key":"…","value":…}` (`value: null` deletes the key). Later segments win.
 * - The index (`index.json`) lists the committed segments in order, with a small JSON `meta`.
 * - Every file is written to a temporary name, fsynced, renamed into place, and the directory
 *   fsynced. A commit is the rename of the index: a crash before it leaves the previous index,
 *   naming only complete, fsynced segments; the new segment (or a torn temporary file) is
 *   unreferenced and removed on the next open. Existing files are never rewritten in place.
 * - Segments are merged in size tiers (four of a tier become one of the next), so the number of
 *   files stays logarithmic in the data and each line is rewritten a few times at most.
 */
export class SegmentLog {
  private segments: number[];
  private next: number;
  private meta: unknown;
  /** The segment holding each key's latest line. */
  private readonly keySegment = new Map<string, number>();
  /** The live keys of each segment (keys whose latest line it holds). */
  private readonly segmentKeys = new Map<number, Set<string>>();
  /** Keys whose latest line deletes them (kept until a merge that includes the oldest segment). */
  private readonly deleted = new Set<string>();
  /** Lines in each segment, superseded ones included (the garbage estimate). */
  private readonly segmentLines = new Map<number, number>();

  private constructor(
    private readonly dir: string,
    index: Index,
  ) {
    this.segments = index.segments.map(numberOf);
    this.next = index.next;
    this.meta = index.meta;
  }

  /**
   * Opens (or creates) the log in `dir`: removes what an interrupted commit left behind, then
   * hands every live key's latest value (JSON text) to `onValue`, oldest segment first.
   */
  static async open(dir: string, onValue: (key: string, value: string) => void): Promise<{ log: SegmentLog; meta: unknown }> {
    await mkdir(dir, { recursive: true });
    const index = await readIndex(dir);
    const log = new SegmentLog(dir, index);
    await log.removeLeftovers();
    const latest = new Map<string, string | null>();
    for (const segment of log.segments) {
      const keys = new Set<string>();
      log.segmentKeys.set(segment, keys);
      const name = fileName(segment);
      let lineNumber = 0;
      let lines = 0;
      for await (const line of linesOf(join(dir, name), () => damaged(dir, `the index names ${name}, which cannot be read`))) {
        lineNumber++;
        if (line === '') continue;
        lines++;
        const parsed = splitLine(line);
        if (!parsed) throw damaged(dir, `${name} line ${lineNumber} is not a log record`);
        const previous = log.keySegment.get(parsed.key);
        if (previous !== undefined) log.segmentKeys.get(previous)?.delete(parsed.key);
        log.keySegment.set(parsed.key, segment);
        keys.add(parsed.key);
        latest.set(parsed.key, parsed.value);
      }
      log.segmentLines.set(segment, lines);
    }
    for (const [key, value] of latest) {
      if (value === null) log.deleted.add(key);
      else onValue(key, value);
    }
    return { log, meta: log.meta };
  }

  /**
   * Makes `writes` (key → JSON text, or null to delete) and `meta` durable as one atomic step.
   * A key may appear once. With no writes, only the index (meta) is rewritten.
   */
  async commit(writes: ReadonlyMap<string, string | null>, meta: unknown): Promise<void> {
    let segment: number | null = null;
    if (writes.size > 0) {
      segment = this.next;
      const lines: string[] = [];
      for (const [key, value] of writes) lines.push(recordLine(key, value));
      await writeDurably(this.dir, fileName(segment), lines);
    }
    const segments = segment === null ? this.segments : [...this.segments, segment];
    await this.writeIndex({ segments, next: segment === null ? this.next : segment + 1, meta });
    this.meta = meta;
    if (segment === null) return;
    this.segments = segments;
    this.next = segment + 1;
    const keys = new Set<string>();
    this.segmentKeys.set(segment, keys);
    this.segmentLines.set(segment, writes.size);
    for (const [key, value] of writes) {
      this.moveKey(key, segment);
      keys.add(key);
      if (value === null) this.deleted.add(key);
      else this.deleted.delete(key);
    }
    await this.mergeTiers();
  }

  /** How many segment files the log has (for tests and diagnostics). */
  get segmentCount(): number {
    return this.segments.length;
  }

  private moveKey(key: string, segment: number): void {
    const previous = this.keySegment.get(key);
    if (previous !== undefined) this.segmentKeys.get(previous)?.delete(key);
    this.keySegment.set(key, segment);
  }

  private async writeIndex(index: { segments: readonly number[]; next: number; meta: unknown }): Promise<void> {
    const body = JSON.stringify({ format: FORMAT, version: 1, next: index.next, segments: index.segments.map(fileName), meta: index.meta });
    await writeDurably(this.dir, INDEX, [body]);
  }

  /** Merges the newest segments while four or more of them share a size tier. */
  private async mergeTiers(): Promise<void> {
    for (;;) {
      const run = this.tailRun();
      let live = 0;
      let lines = 0;
      for (const segment of this.segments) {
        live += this.segmentKeys.get(segment)?.size ?? 0;
        lines += this.segmentLines.get(segment) ?? 0;
      }
      // Mostly superseded lines (edits, settled deliveries): rewrite everything once.
      if (this.segments.length > 1 && lines > 2 * live + 1000) {
        await this.merge(this.segments.length);
        continue;
      }
      if (run < TIER_FANOUT) return;
      await this.merge(run);
    }
  }

  /** How many newest segments share the newest one's tier. */
  private tailRun(): number {
    const tierOf = (segment: number) => Math.floor(Math.log(Math.max(1, this.segmentKeys.get(segment)?.size ?? 0)) / Math.log(TIER_FANOUT));
    const last = this.segments[this.segments.length - 1];
    if (last === undefined) return 0;
    const tier = tierOf(last);
    let run = 0;
    for (let i = this.segments.length - 1; i >= 0 && tierOf(this.segments[i] as number) <= tier; i--) run++;
    return run;
  }

  /** Rewrites the newest `count` segments as one, keeping only their live lines (streamed: memory stays flat). */
  private async merge(count: number): Promise<void> {
    const merged = this.segments.slice(-count);
    const isFull = count === this.segments.length;
    const target = this.next;
    const keys = new Set<string>();
    const output = await DurableFile.create(this.dir, fileName(target));
    try {
      for (const segment of merged) {
        const live = this.segmentKeys.get(segment) ?? new Set<string>();
        if (live.size === 0) continue;
        for await (const line of linesOf(join(this.dir, fileName(segment)), () => damaged(this.dir, `${fileName(segment)} cannot be read`))) {
          if (line === '') continue;
          const parsed = splitLine(line);
          if (!parsed || !live.has(parsed.key)) continue;
          // A deletion is dropped once nothing older is left for it to hide.
          if (parsed.value === null && isFull) continue;
          await output.write(line);
          keys.add(parsed.key);
        }
      }
      if (keys.size > 0) await output.commit();
      else await output.discard();
    } catch (error) {
      await output.discard();
      throw error;
    }
    const kept = this.segments.slice(0, this.segments.length - count);
    const segments = keys.size > 0 ? [...kept, target] : kept;
    await this.writeIndex({ segments, next: target + 1, meta: this.meta });
    this.segments = segments;
    this.next = target + 1;
    for (const segment of merged) {
      this.segmentKeys.delete(segment);
      this.segmentLines.delete(segment);
    }
    if (isFull) {
      for (const key of this.deleted) this.keySegment.delete(key);
      this.deleted.clear();
    }
    if (keys.size > 0) {
      this.segmentKeys.set(target, keys);
      this.segmentLines.set(target, keys.size);
      for (const key of keys) this.keySegment.set(key, target);
    }
    for (const segment of merged) await unlink(join(this.dir, fileName(segment))).catch(() => {});
  }

  /** Deletes temporary files and segments no committed index names (an interrupted commit's). */
  private async removeLeftovers(): Promise<void> {
    const live = new Set(this.segments.map(fileName));
    for (const name of await readdir(this.dir)) {
      const isTemporary = name.endsWith(TEMP_SUFFIX);
      const isOrphan = SEGMENT.test(name) && !live.has(name);
      if (isTemporary || isOrphan) await unlink(join(this.dir, name)).catch(() => {});
    }
  }
}

interface Index {
  segments: string[];
  next: number;
  meta: unknown;
}

const FORMAT = 'reviewkit-file-store';
const INDEX = 'index.json';
const SEGMENT = /^data-(\d{6,})\.ndjson$/;
const TEMP_SUFFIX = '.tmp';
const TIER_FANOUT = 4;
const WRITE_CHUNK = 1 << 20;

function fileName(segment: number): string {
  return `data-${String(segment).padStart(6, '0')}.ndjson`;
}

function numberOf(name: string): number {
  const match = SEGMENT.exec(name);
  if (!match) throw new ReviewkitError({ code: 'BAD_RESPONSE', message: `reviewkit fileStore: the index names ${JSON.stringify(name)}, not a data file.` });
  return Number(match[1]);
}

async function readIndex(dir: string): Promise<Index> {
  let text: string;
  try {
    text = await readFile(join(dir, INDEX), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { segments: [], next: 1, meta: null };
    throw error;
  }
  let index: unknown;
  try {
    index = JSON.parse(text);
  } catch {
    throw damaged(dir, `${INDEX} is not JSON`);
  }
  const value = index as { format?: unknown; version?: unknown; segments?: unknown; next?: unknown; meta?: unknown };
  if (value?.format !== FORMAT || value.version !== 1 || !Array.isArray(value.segments) || !Number.isInteger(value.next)) {
    throw damaged(dir, `${INDEX} is not a reviewkit file store index (format ${FORMAT}, version 1)`);
  }
  return { segments: value.segments.map(String), next: value.next as number, meta: value.meta ?? null };
}

function recordLine(key: string, value: string | null): string {
  return `{"key":${JSON.stringify(key)},"value":${value ?? 'null'}}`;
}

/** The key and value text of a line `recordLine` wrote, without parsing the value. */
function splitLine(line: string): { key: string; value: string | null } | null {
  if (!line.startsWith('{"key":"') || !line.endsWith('}')) return null;
  let end = 8;
  while (end < line.length && line[end] !== '"') end += line[end] === '\\' ? 2 : 1;
  const marker = ',"value":';
  if (line.slice(end + 1, end + 1 + marker.length) !== marker) return null;
  let key: unknown;
  try {
    key = JSON.parse(line.slice(7, end + 1));
  } catch {
    return null;
  }
  const value = line.slice(end + 1 + marker.length, -1);
  return typeof key === 'string' ? { key, value: value === 'null' ? null : value } : null;
}

/**
 * A file written so that after a crash it is either absent (or as it was) or complete: lines go
 * to a temporary file, which `commit` fsyncs, renames into place, and makes durable with an fsync
 * of the directory. Until then a crash leaves only the temporary file, removed on the next open.
 */
class DurableFile {
  private chunk: string[] = [];
  private size = 0;

  private constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly temporary: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(dir: string, name: string): Promise<DurableFile> {
    const temporary = join(dir, `${name}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
    return new DurableFile(dir, name, temporary, await open(temporary, 'w'));
  }

  async write(line: string): Promise<void> {
    this.chunk.push(line);
    this.size += line.length + 1;
    // In chunks: one string of everything could exceed the longest string V8 allows.
    if (this.size >= WRITE_CHUNK) await this.flush();
  }

  async commit(): Promise<void> {
    try {
      await this.flush();
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
    await rename(this.temporary, join(this.dir, this.name));
    await syncDirectory(this.dir);
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => {});
    await unlink(this.temporary).catch(() => {});
  }

  private async flush(): Promise<void> {
    if (this.chunk.length === 0) return;
    const text = `${this.chunk.join('\n')}\n`;
    this.chunk = [];
    this.size = 0;
    await this.handle.write(text);
  }
}

/** Writes `lines` as the file `name` in `dir`, crash-safe (see {@link DurableFile}). */
async function writeDurably(dir: string, name: string, lines: readonly string[]): Promise<void> {
  const file = await DurableFile.create(dir, name);
  try {
    for (const line of lines) await file.write(line);
    await file.commit();
  } catch (error) {
    await file.discard();
    throw error;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems (and Windows) cannot fsync a directory; the rename is then as durable as they make it.
    if (!['EINVAL', 'EPERM', 'EISDIR', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

/** The lines of a file, read as a stream (a segment may be larger than one string can be). */
async function* linesOf(path: string, unreadable: () => ReviewkitError): AsyncGenerator<string, void, undefined> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      yield* parts;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw unreadable();
    throw error;
  } finally {
    stream.destroy();
  }
  if (rest !== '') yield rest;
}

function damaged(dir: string, what: string): ReviewkitError {
  return new ReviewkitError({
    code: 'BAD_RESPONSE',
    message: `reviewkit fileStore: ${dir} is damaged: ${what}. Restore it from a backup, or sync into a new directory.`,
  });
}
