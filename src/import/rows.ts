import type { z } from 'zod';
import { ReviewkitError } from '../errors.js';
import type { Review } from '../review.js';
import { ReviewJsonSchema } from './wire.js';

/** The file formats reviewkit reads and writes reviews in. */
export type ReviewFileFormat = 'ndjson' | 'json' | 'csv';

/** The formats, in a stable order. */
export const REVIEW_FILE_FORMATS: readonly ReviewFileFormat[] = ['ndjson', 'json', 'csv'];

/**
 * A row left out by `onInvalid: 'skip'`: what the same row would have thrown with
 * `onInvalid: 'throw'`, as data.
 */
export interface SkippedRow {
  /**
   * 1-based line of the row: the file's physical line for NDJSON, the line where the array
   * element starts for JSON, the line where the record starts for CSV (a quoted field may span
   * several lines).
   */
  line: number;
  /** The row's `id`, when it has a readable one. */
  id: string | null;
  /** Dotted path of the offending field (`rating.value`, `replies.0.createdAt`); empty when the row as a whole is unreadable. */
  path: string;
  /** What was wrong (`expected number, received string`, `not valid JSON`). */
  reason: string;
  /** The full message, as the error thrown with `onInvalid: 'throw'` would carry it. */
  message: string;
}

/** Options of `parseReviews`. */
export interface ParseReviewsOptions {
  /** How the text is written: `ndjson` (one review per line), `json` (an array of reviews) or `csv` (the layout `toCsv` writes). */
  format: ReviewFileFormat;
  /**
   * What an invalid row does: `throw` (default) a `BAD_RESPONSE` error naming its line and field,
   * or `skip` it and go on. Skipped rows are reported to `onSkip`; without `onSkip`, one process
   * warning (`REVIEWKIT_SKIPPED_ROWS`) says how many were left out, so none vanishes unseen.
   * Text that cannot be split into rows at all (broken CSV quoting, a JSON array that is not
   * closed, a CSV header that is not the `toCsv` layout) always throws.
   */
  onInvalid?: 'throw' | 'skip';
  /** Receives each row `onInvalid: 'skip'` leaves out, in file order. */
  onSkip?: (row: SkippedRow) => void;
}

/** Options of `readReviews` and `streamReviewFile`. */
export interface ReadReviewsOptions extends Omit<ParseReviewsOptions, 'format'> {
  /** Overrides the format the file's extension implies (`.ndjson`/`.jsonl`, `.json`, `.csv`). */
  format?: ReviewFileFormat;
  /** Aborting stops reading with an `ABORTED` error. */
  signal?: AbortSignal;
}

/** Options of `parseReviewStream`. */
export interface ParseReviewStreamOptions extends ParseReviewsOptions {
  /** Aborting stops reading with an `ABORTED` error. */
  signal?: AbortSignal;
}

const MAX_REASON = 200;

/**
 * Where rows go: validated into reviews, or refused (thrown, or skipped and reported). One per
 * parse; `where` prefixes messages with the file name.
 */
export class RowSink {
  private skipped = 0;
  private firstSkip: SkippedRow | null = null;
  private readonly isSkipping: boolean;
  private readonly onSkip: ((row: SkippedRow) => void) | undefined;

  constructor(
    options: { onInvalid?: 'throw' | 'skip' | undefined; onSkip?: ((row: SkippedRow) => void) | undefined },
    private readonly where: string,
  ) {
    this.isSkipping = options.onInvalid === 'skip';
    this.onSkip = options.onSkip;
  }

  /** The review the row holds, or undefined when it was invalid and skipped. */
  accept(line: number, raw: unknown): Review | undefined {
    const parsed = ReviewJsonSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const { path, reason } = describeIssue(parsed.error, raw);
    return this.reject(line, path, reason, idOf(raw));
  }

  /** Refuses a row: throws, or reports and skips it. */
  reject(line: number, path: string, reason: string, id: string | null): undefined {
    const short = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
    const message = `${this.where}line ${line}: ${path === '' ? '' : `${path}: `}${short}`;
    if (!this.isSkipping) {
      throw new ReviewkitError({ code: 'BAD_RESPONSE', message: `${message}. Fix the row, or pass { onInvalid: 'skip' } to leave invalid rows out.` });
    }
    const row: SkippedRow = { line, id, path, reason: short, message };
    this.skipped++;
    this.firstSkip ??= row;
    this.onSkip?.(row);
    return undefined;
  }

  /** Text that cannot be split into rows: always thrown, whatever `onInvalid` says. */
  broken(line: number, reason: string): never {
    throw new ReviewkitError({ code: 'BAD_RESPONSE', message: `${this.where}line ${line}: ${reason}` });
  }

  /** Makes skips visible when nobody listens to `onSkip`. */
  finish(): void {
    if (this.skipped === 0 || this.onSkip || !this.firstSkip) return;
    const rows = this.skipped === 1 ? '1 invalid row' : `${this.skipped} invalid rows`;
    process.emitWarning(`reviewkit left out ${rows} (first: ${this.firstSkip.message}); pass onSkip to receive each one`, {
      type: 'ReviewkitWarning',
      code: 'REVIEWKIT_SKIPPED_ROWS',
    });
  }
}

/** Checks the options every import function shares; a bad one is a `CONFIG` error naming it. */
export function checkOptions(fn: string, options: Partial<ParseReviewsOptions> & { signal?: unknown }, isFormatRequired: boolean): void {
  if (typeof options !== 'object' || options === null) {
    throw new ReviewkitError({ code: 'CONFIG', message: `${fn}: options must be an object` });
  }
  const { format, onInvalid, onSkip, signal } = options;
  if ((format !== undefined || isFormatRequired) && !REVIEW_FILE_FORMATS.includes(format as ReviewFileFormat)) {
    throw new ReviewkitError({ code: 'CONFIG', message: `${fn}: options.format must be 'ndjson', 'json' or 'csv'${format === undefined ? '' : `, got ${describe(format)}`}` });
  }
  if (onInvalid !== undefined && onInvalid !== 'throw' && onInvalid !== 'skip') {
    throw new ReviewkitError({ code: 'CONFIG', message: `${fn}: options.onInvalid must be 'throw' or 'skip', got ${describe(onInvalid)}` });
  }
  if (onSkip !== undefined && typeof onSkip !== 'function') {
    throw new ReviewkitError({ code: 'CONFIG', message: `${fn}: options.onSkip must be a function` });
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ReviewkitError({ code: 'CONFIG', message: `${fn}: options.signal must be an AbortSignal` });
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value.slice(0, 40)}'` : typeof value;
}

/** The first issue as a field path and a short reason (`rating.value`, `expected number, received string`). */
function describeIssue(error: z.ZodError, raw: unknown): { path: string; reason: string } {
  const issue = error.issues[0];
  if (!issue) return { path: '', reason: 'invalid' };
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const [key = ''] = issue.keys;
    return { path: path === '' ? key : `${path}.${key}`, reason: 'not a Review field' };
  }
  if (issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(raw, issue.path) === undefined) return { path, reason: 'missing' };
  return { path, reason: issue.message.replace(/^Invalid input: /, '') };
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function idOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' ? id.slice(0, MAX_REASON) : null;
}
