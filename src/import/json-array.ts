import type { Review } from '../review.js';
import { jsonProblem, type ReviewTextDecoder } from './ndjson.js';
import type { RowSink } from './rows.js';

// Scanner states. Before the opening `[`:
const START = 0;
// After `[` or `,`: an element (or, right after `[`, the closing `]`) comes next.
const BEFORE_ELEMENT = 1;
const IN_ELEMENT = 2;
// After the closing `]`: only whitespace may follow.
const DONE = 3;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09 || code === 0xfeff;
}

/**
 * A JSON array of reviews, read element by element: a small scanner finds where each top-level
 * element starts and ends (tracking strings and nesting only), and each element is handed to
 * `JSON.parse` on its own. So a JSON file streams in flat memory like NDJSON (one element held
 * at a time), an invalid element is one bad row with the line it starts on, and the array
 * around it is still read. What cannot be split into elements (no `[`, an array not closed,
 * `[1,,2]`, text after `]`) is broken text and always throws.
 */
export class JsonArrayDecoder implements ReviewTextDecoder {
  private state: number = START;
  private line = 1;
  private depth = 0;
  private isInString = false;
  private isEscaped = false;
  private elementLine = 0;
  /** The current element's text from earlier chunks. */
  private carry = '';
  private elements = 0;

  constructor(private readonly rows: RowSink) {}

  push(chunk: string, out: Review[]): void {
    let start = this.state === IN_ELEMENT ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (this.state === IN_ELEMENT) {
        if (this.isInString) {
          if (this.isEscaped) this.isEscaped = false;
          else if (code === BACKSLASH) this.isEscaped = true;
          else if (code === QUOTE) this.isInString = false;
          else if (code === NEWLINE) this.line++;
          continue;
        }
        if (code === QUOTE) this.isInString = true;
        else if (code === OPEN_BRACE || code === OPEN_BRACKET) this.depth++;
        else if (code === NEWLINE) this.line++;
        else if (this.depth > 0) {
          if (code === CLOSE_BRACE || code === CLOSE_BRACKET) this.depth--;
        } else if (code === COMMA || code === CLOSE_BRACKET) {
          this.element(this.carry + chunk.slice(start, i), out);
          this.carry = '';
          this.state = code === COMMA ? BEFORE_ELEMENT : DONE;
        }
        continue;
      }
      if (code === NEWLINE) {
        this.line++;
        continue;
      }
      if (isWhitespace(code)) continue;
      if (this.state === START) {
        if (code !== OPEN_BRACKET) this.rows.broken(this.line, code === OPEN_BRACE ? 'expected a JSON array of reviews, found an object' : 'expected a JSON array of reviews');
        this.state = BEFORE_ELEMENT;
      } else if (this.state === BEFORE_ELEMENT) {
        if (code === CLOSE_BRACKET && this.elements === 0) this.state = DONE;
        else if (code === COMMA || code === CLOSE_BRACKET) this.rows.broken(this.line, code === COMMA ? 'empty element in the JSON array' : 'trailing comma in the JSON array');
        else {
          this.state = IN_ELEMENT;
          this.elementLine = this.line;
          this.depth = 0;
          start = i;
          i--; // scan the element's first character as part of it
        }
      } else {
        this.rows.broken(this.line, 'unexpected text after the JSON array');
      }
    }
    if (this.state === IN_ELEMENT) this.carry += chunk.slice(start);
  }

  end(): void {
    if (this.state === DONE) return;
    if (this.state === START) this.rows.broken(this.line, 'expected a JSON array of reviews, found no text');
    this.rows.broken(this.state === IN_ELEMENT ? this.elementLine : this.line, 'the JSON array is not closed (is the file cut short?)');
  }

  private element(text: string, out: Review[]): void {
    this.elements++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.rows.reject(this.elementLine, '', jsonProblem(error), null);
      return;
    }
    const review = this.rows.accept(this.elementLine, value);
    if (review) out.push(review);
  }
}
