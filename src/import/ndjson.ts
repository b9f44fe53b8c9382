import type { Review } from '../review.js';
import type { RowSink } from './rows.js';

/** Something that turns text, a chunk at a time, into reviews. */
export interface ReviewTextDecoder {
  /** Decodes what `chunk` completes, appending the reviews to `out`. */
  push(chunk: string, out: Review[]): void;
  /** The text ended: decodes what is left, or throws if it was cut short. */
  end(out: Review[]): void;
}

// JSON's own whitespace; any other character makes the line a row (and maybe a bad one).
const NOT_BLANK = /[^ \t\r]/;

/**
 * NDJSON (JSON Lines): one review per line, split on `\n` only (a `\r` before it is JSON
 * whitespace), so line numbers are the file's physical lines. Blank lines are not rows.
 * Only the current line is held, however long the file: memory stays flat.
 */
export class NdjsonDecoder implements ReviewTextDecoder {
  private carry = '';
  private line = 0;

  constructor(private readonly rows: RowSink) {}

  push(chunk: string, out: Review[]): void {
    let newline = chunk.indexOf('\n');
    if (newline === -1) {
      this.carry += chunk;
      return;
    }
    this.row(this.carry + chunk.slice(0, newline), out);
    let start = newline + 1;
    while ((newline = chunk.indexOf('\n', start)) !== -1) {
      this.row(chunk.slice(start, newline), out);
      start = newline + 1;
    }
    this.carry = chunk.slice(start);
  }

  end(out: Review[]): void {
    if (this.carry !== '') this.row(this.carry, out);
    this.carry = '';
  }

  private row(text: string, out: Review[]): void {
    this.line++;
    const body = this.line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (!NOT_BLANK.test(body)) return;
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (error) {
      this.rows.reject(this.line, '', jsonProblem(error), null);
      return;
    }
    const review = this.rows.accept(this.line, value);
    if (review) out.push(review);
  }
}

/** V8's JSON.parse message without the quoted copy of the input it appends. */
export function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const cause = message.replace(/,?\s*(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '').trim();
  return cause === '' ? 'not valid JSON' : `not valid JSON (${cause})`;
}
