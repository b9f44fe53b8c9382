// The review files `score` and `report` read: reviews exported by reviewkit (NDJSON, JSON, CSV,
// validated by the library's readers), or JSON/NDJSON files of plain score inputs such as
// examples/sample-reviews.json. Several files are merged and deduplicated by id.
import { open, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type Polarity,
  parseReviewStream,
  polarityOf,
  type Review,
  type ReviewFileFormat,
  ReviewkitError,
  reviewFileFormatOf,
  type SkippedRow,
  streamReviewFile,
} from 'reviewkit';
import { z } from 'zod';
import { describeJsonError, linesAt } from './config.js';
import { CliError } from './errors.js';

/**
 * A review as `score` and `report` use it: what the score helpers read (a `ScoreInput`), plus
 * what the report shows. Built from a full `Review` or from a plain score input.
 */
export interface InputReview {
  /** `null` for a plain input without an id (never deduplicated). */
  id: string | null;
  source: string | null;
  subjectName: string | null;
  stars: number | null;
  recommendation: 'positive' | 'negative' | null;
  polarity: Polarity | null;
  createdAt: Date | null;
  replies: { createdAt: Date | null; text: string | null }[];
  title: string | null;
  text: string | null;
  authorName: string | null;
  url: string | null;
}

/** What was read from one file. */
export interface FileSummary {
  /** The path as given (`-` for stdin). */
  path: string;
  /** `reviews`: full exported reviews; `plain`: plain score inputs. */
  kind: 'reviews' | 'plain';
  format: ReviewFileFormat;
  /** Rows read (before deduplication). */
  rows: number;
  /** Invalid rows left out (`--skip-invalid`). */
  skipped: number;
}

/** Every review of the files, merged. */
export interface LoadedReviews {
  reviews: InputReview[];
  files: FileSummary[];
  /** Rows whose id an earlier row already had (the last file's copy is kept). */
  duplicates: number;
}

/** Options of {@link loadReviewFiles}. */
export interface LoadOptions {
  cwd: string;
  stdin: NodeJS.ReadableStream;
  signal: AbortSignal;
  /** Leave invalid rows out (reported to `onSkip`) instead of failing. */
  skipInvalid: boolean;
  onSkip: (message: string) => void;
}

const isoInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant with Z or an offset, like 2026-06-24T18:12:00Z' });

/** A plain score input row: the fields the score helpers read, plus a few the report shows. Other fields are ignored. */
const PlainInputSchema = z.looseObject({
  id: z.string().min(1).nullish(),
  source: z.string().nullish(),
  stars: z.number().min(1).max(5).nullish(),
  recommendation: z.enum(['positive', 'negative']).nullish(),
  createdAt: isoInstant.nullish(),
  replies: z.array(z.looseObject({ createdAt: isoInstant.nullish(), text: z.string().nullish() })).nullish(),
  title: z.string().nullish(),
  text: z.string().nullish(),
  author: z.union([z.string(), z.looseObject({ name: z.string().nullish() })]).nullish(),
  url: z.string().nullish(),
});

/**
 * Reads review files (`-` is NDJSON on stdin), merges them and drops repeated ids, keeping the
 * copy from the last file that has it (a newer export carries newer replies). Reviews come back
 * newest first (undated last, then by id).
 *
 * @throws CliError naming the file (and line) for a missing, unreadable or invalid file.
 */
export async function loadReviewFiles(paths: readonly string[], options: LoadOptions): Promise<LoadedReviews> {
  const byId = new Map<string, InputReview>();
  const anonymous: InputReview[] = [];
  const files: FileSummary[] = [];
  let duplicates = 0;
  for (const path of paths) {
    let rows = 0;
    const add = (review: InputReview) => {
      rows++;
      if (review.id === null) anonymous.push(review);
      else {
        if (byId.has(review.id)) duplicates++;
        byId.set(review.id, review);
      }
    };
    const file = await readOneFile(path, options, add);
    files.push({ ...file, path, rows });
  }
  // One order whatever the order of the files, so the figures (float sums) are too: newest
  // first, undated last, then by id, as `aggregate` returns them.
  const reviews = [...byId.values(), ...anonymous].sort(newestFirst);
  return { reviews, files, duplicates };
}

function newestFirst(a: InputReview, b: InputReview): number {
  const ta = a.createdAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const tb = b.createdAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  if (ta !== tb) return tb - ta;
  if (a.id === null || b.id === null || a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

async function readOneFile(path: string, options: LoadOptions, add: (review: InputReview) => void): Promise<Omit<FileSummary, 'path' | 'rows'>> {
  let skipped = 0;
  const absolute = resolve(options.cwd, path);
  const onSkip = (row: SkippedRow) => {
    skipped++;
    options.onSkip(path === '-' ? `stdin: ${row.message}` : row.message.split(absolute).join(path));
  };
  const readOptions = { signal: options.signal, ...(options.skipInvalid ? { onInvalid: 'skip' as const, onSkip } : {}) };
  if (path === '-') {
    if ((options.stdin as { isTTY?: boolean }).isTTY) {
      throw new CliError('- reads reviews (NDJSON) from stdin, which is a terminal here: pipe them in, e.g. reviewkit fetch | reviewkit score -');
    }
    await pump(parseReviewStream(options.stdin as AsyncIterable<string | Uint8Array>, { format: 'ndjson', ...readOptions }), add, path, path);
    return { kind: 'reviews', format: 'ndjson', skipped };
  }
  const format = formatOf(path);
  if (format !== 'csv' && (await kindOf(absolute, format)) === 'plain') {
    skipped = await readPlainFile(absolute, path, format, options, add);
    return { kind: 'plain', format, skipped };
  }
  await pump(streamReviewFile(absolute, { format, ...readOptions }), add, absolute, path);
  return { kind: 'reviews', format, skipped };
}

async function pump(reviews: AsyncIterable<Review>, add: (review: InputReview) => void, absolute: string, shown: string): Promise<void> {
  try {
    for await (const review of reviews) add(fromReview(review));
  } catch (error) {
    throw asFileError(error, absolute, shown);
  }
}

/** A reader's error as the CLI says it: the path as typed, the CLI's flag instead of the API's option. */
function asFileError(error: unknown, absolute: string, shown: string): unknown {
  if (!ReviewkitError.is(error) || error.code === 'ABORTED') return error;
  const message = error.message
    .split(absolute)
    .join(shown)
    .replace("pass { onInvalid: 'skip' }", 'pass --skip-invalid');
  return new CliError(message);
}

function formatOf(path: string): ReviewFileFormat {
  try {
    return reviewFileFormatOf(path);
  } catch {
    throw new CliError(`cannot tell the format of ${path} from its name: review files end in .ndjson, .jsonl, .json or .csv (use - for NDJSON on stdin).`);
  }
}

/** A full review as `score` and `report` read it. */
export function fromReview(review: Review): InputReview {
  return {
    id: review.id,
    source: review.source,
    subjectName: review.subject.name,
    stars: review.stars,
    recommendation: review.recommendation,
    polarity: review.polarity,
    createdAt: review.createdAt,
    replies: review.replies.map((reply) => ({ createdAt: reply.createdAt, text: reply.text })),
    title: review.title,
    text: review.text,
    authorName: review.author.name,
    url: review.url,
  };
}

const HEAD_BYTES = 64 * 1024;

/**
 * Whether a JSON/NDJSON file holds exported reviews or plain score inputs, from its first row:
 * a full review always has `externalId`. A first row too big to sit in the file's first 64 KiB
 * is no plain input, so such a file is read as reviews.
 */
async function kindOf(absolute: string, format: 'ndjson' | 'json'): Promise<'reviews' | 'plain'> {
  let head: string;
  try {
    const handle = await open(absolute, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    // The library's reader names the problem (missing file, permission, a directory).
    return 'reviews';
  }
  const first = format === 'ndjson' ? firstLine(head) : firstElement(head);
  if (first === null) return 'reviews';
  try {
    const row: unknown = JSON.parse(first);
    return typeof row === 'object' && row !== null && !('externalId' in row) ? 'plain' : 'reviews';
  } catch {
    return 'reviews';
  }
}

function firstLine(head: string): string | null {
  for (const line of head.split('\n')) {
    if (line.trim() !== '') return head.includes('\n') || head.length < HEAD_BYTES ? line : null;
  }
  return null;
}

function firstElement(head: string): string | null {
  const [first] = arrayElements(head, 1);
  return first === undefined || first.end === null ? null : head.slice(first.start, first.end);
}

/**
 * Where each top-level element of a JSON array text starts and ends (end `null` when the text
 * stops inside it): the line numbers of plain JSON rows, without a second parser.
 */
export function arrayElements(text: string, limit = Number.POSITIVE_INFINITY): { start: number; end: number | null }[] {
  const elements: { start: number; end: number | null }[] = [];
  let i = text.indexOf('[');
  if (i < 0) return elements;
  let depth = 0;
  let isInString = false;
  let current: { start: number; end: number | null } | null = null;
  for (i++; i < text.length; i++) {
    const c = text[i];
    if (isInString) {
      if (c === '\\') i++;
      else if (c === '"') isInString = false;
      continue;
    }
    if (c === '"') isInString = true;
    if (depth === 0) {
      if (c === ']' || c === ',') {
        if (current) {
          current.end = trimEnd(text, i);
          elements.push(current);
          current = null;
          if (elements.length >= limit || c === ']') return elements;
        }
        if (c === ']') return elements;
        continue;
      }
      if (current === null && !/\s/.test(c ?? '')) current = { start: i, end: null };
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  if (current) elements.push(current);
  return elements;
}

function trimEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1] ?? '')) e--;
  return e;
}

async function readPlainFile(
  absolute: string,
  shown: string,
  format: 'ndjson' | 'json',
  options: LoadOptions,
  add: (review: InputReview) => void,
): Promise<number> {
  const text = (await readFile(absolute, 'utf8')).replace(/^\uFEFF/, '');
  let skipped = 0;
  const refuse = (line: number, reason: string) => {
    const message = `${shown}: line ${line}: ${reason}`;
    if (!options.skipInvalid) throw new CliError(`${message}. Fix the row, or pass --skip-invalid to leave invalid rows out.`);
    skipped++;
    options.onSkip(message);
  };
  const accept = (raw: unknown, line: number) => {
    const parsed = PlainInputSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') ?? '';
      refuse(line, `${field === '' ? '' : `${field}: `}${issue?.message.replace(/^Invalid input: /, '') ?? 'invalid'}`);
      return;
    }
    add(fromPlain(parsed.data));
  };
  if (format === 'ndjson') {
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        refuse(i + 1, 'not valid JSON');
        return;
      }
      accept(raw, i + 1);
    });
    return skipped;
  }
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${shown} is not valid JSON${describeJsonError(error, text)}.`);
  }
  if (!Array.isArray(rows)) throw new CliError(`${shown}: expected a JSON array of reviews.`);
  const lines = linesAt(text, arrayElements(text).map((element) => element.start));
  rows.forEach((raw, i) => accept(raw, lines[i] ?? 0));
  return skipped;
}

type PlainInput = z.output<typeof PlainInputSchema>;

function fromPlain(row: PlainInput): InputReview {
  const stars = row.stars ?? null;
  const recommendation = row.recommendation ?? null;
  const author = row.author;
  return {
    id: row.id ?? null,
    source: row.source ?? null,
    subjectName: null,
    stars,
    recommendation,
    polarity: polarityOf(stars, recommendation),
    createdAt: row.createdAt ? new Date(row.createdAt) : null,
    replies: (row.replies ?? []).map((reply) => ({ createdAt: reply.createdAt ? new Date(reply.createdAt) : null, text: reply.text ?? null })),
    title: row.title ?? null,
    text: row.text ?? null,
    authorName: typeof author === 'string' ? author : (author?.name ?? null),
    url: row.url ?? null,
  };
}
