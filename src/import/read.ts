import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ReviewkitError } from '../errors.js';
import type { Review } from '../review.js';
import { asCsvError, CsvRecordDecoder, csvParseOptions, parseCsvText } from './csv.js';
import { JsonArrayDecoder } from './json-array.js';
import { NdjsonDecoder, type ReviewTextDecoder } from './ndjson.js';
import {
  checkOptions,
  type ParseReviewStreamOptions,
  type ParseReviewsOptions,
  type ReadReviewsOptions,
  type ReviewFileFormat,
  RowSink,
} from './rows.js';

/** Bytes read from a file at a time: large enough for throughput, small enough to stay flat. */
const CHUNK_BYTES = 256 * 1024;

const EXTENSIONS: Readonly<Record<string, ReviewFileFormat>> = {
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.json': 'json',
  '.csv': 'csv',
};

/**
 * Reads reviews exported as NDJSON (one JSON review per line), a JSON array of reviews, or CSV
 * in the {@link toCsv} layout, back into validated {@link Review}s: ISO 8601 date strings
 * become `Date`s and every review is checked with `ReviewSchema` (via `ReviewJsonSchema`).
 *
 * An invalid row throws a `BAD_RESPONSE` `ReviewkitError` naming its line and field
 * (`line 3: rating.value: expected number, received string`), or with `onInvalid: 'skip'` is
 * left out and reported to `onSkip`. Rows come back in text order.
 *
 * @example
 * const reviews = parseReviews(await readFile('reviews.csv', 'utf8'), { format: 'csv' });
 * @throws ReviewkitError `CONFIG` for bad options; `BAD_RESPONSE` for an invalid row or text
 * that cannot be split into rows.
 */
export function parseReviews(text: string, options: ParseReviewsOptions): Review[] {
  checkOptions('parseReviews', options, true);
  if (typeof text !== 'string') {
    throw new ReviewkitError({ code: 'CONFIG', message: 'parseReviews: text must be a string (the file’s content; readReviews reads a file)' });
  }
  const rows = new RowSink(options, '');
  let reviews: Review[];
  if (options.format === 'csv') {
    reviews = parseCsvText(text, rows);
  } else {
    reviews = [];
    const decoder = textDecoder(options.format, rows);
    decoder.push(text, reviews);
    decoder.end(reviews);
  }
  rows.finish();
  return reviews;
}

/**
 * Reads a file of reviews whole (see {@link parseReviews}); the format comes from the
 * extension: `.ndjson` or `.jsonl`, `.json`, `.csv` (or `options.format`). The file is streamed
 * (see {@link streamReviewFile}), so only the reviews themselves are held, never the file's text.
 *
 * @example
 * const reviews = await readReviews('exports/2026-06.ndjson');
 * @throws ReviewkitError `CONFIG` for an unknown extension or bad options, `NOT_FOUND` for a
 * missing file (`FORBIDDEN` when it cannot be read), `BAD_RESPONSE` for an invalid row (with
 * the file, line and field), `ABORTED` when `signal` aborts.
 */
export async function readReviews(path: string, options: ReadReviewsOptions = {}): Promise<Review[]> {
  const reviews: Review[] = [];
  for await (const review of streamReviewFile(path, options)) reviews.push(review);
  return reviews;
}

/**
 * Streams the reviews of a file one at a time, in flat memory whatever its size: NDJSON line
 * by line, JSON arrays element by element (a scanner splits the array; each element is parsed
 * on its own), CSV through csv-parse's stream parser. Format, validation and errors as
 * {@link readReviews}. Options are checked when called; the file is opened on iteration, and
 * breaking out of the loop closes it.
 *
 * @example
 * for await (const review of streamReviewFile('all-reviews.ndjson', { onInvalid: 'skip', onSkip: (row) => console.warn(row.message) })) {
 *   await store.upsert([review]);
 * }
 */
export function streamReviewFile(path: string, options: ReadReviewsOptions = {}): AsyncIterable<Review> {
  checkOptions('streamReviewFile', options, false);
  if (typeof path !== 'string' || path === '') {
    throw new ReviewkitError({ code: 'CONFIG', message: 'streamReviewFile: path must be a non-empty string' });
  }
  const format = options.format ?? reviewFileFormatOf(path);
  return {
    [Symbol.asyncIterator]: () => streamFile(path, format, options)[Symbol.asyncIterator](),
  };
}

/**
 * The format a file's extension implies: `.ndjson` and `.jsonl` → `ndjson`, `.json` → `json`,
 * `.csv` → `csv` (any case).
 *
 * @throws ReviewkitError `CONFIG` for any other extension.
 */
export function reviewFileFormatOf(path: string): ReviewFileFormat {
  const extension = extname(path).toLowerCase();
  const format = EXTENSIONS[extension];
  if (format === undefined) {
    throw new ReviewkitError({
      code: 'CONFIG',
      message: `Cannot tell the format of ${path} from its extension${extension === '' ? '' : ` ${extension}`}: name it .ndjson, .jsonl, .json or .csv, or pass { format: 'ndjson' | 'json' | 'csv' }`,
    });
  }
  return format;
}

function textDecoder(format: 'ndjson' | 'json', rows: RowSink): ReviewTextDecoder {
  return format === 'ndjson' ? new NdjsonDecoder(rows) : new JsonArrayDecoder(rows);
}

async function* streamFile(path: string, format: ReviewFileFormat, options: ReadReviewsOptions): AsyncGenerator<Review> {
  throwIfAborted(options.signal, path);
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw fileError(error, path);
  });
  // The stream owns the handle from here on and closes it when it ends or is destroyed.
  const stream = handle.createReadStream({ highWaterMark: CHUNK_BYTES });
  try {
    yield* decodeStream(stream, format, new RowSink(options, `${path}: `), options.signal, path);
  } catch (error) {
    throw fileError(error, path);
  } finally {
    stream.destroy();
  }
}

/**
 * Reviews from a stream of text or bytes (UTF-8): a file stream, `process.stdin`, a gunzip
 * stream, an HTTP body. What {@link streamReviewFile} does for a path, for any source: flat
 * memory, the same validation, errors and skip reporting (messages without a file name).
 * `options.format` is required. Breaking out of the loop destroys `input`, as `for await` over a
 * stream does.
 *
 * @example
 * for await (const review of parseReviewStream(process.stdin.pipe(createGunzip()), { format: 'ndjson' })) console.log(review.id);
 */
export function parseReviewStream(input: AsyncIterable<string | Uint8Array>, options: ParseReviewStreamOptions): AsyncIterable<Review> {
  checkOptions('parseReviewStream', options, true);
  if (typeof (input as Partial<AsyncIterable<unknown>>)?.[Symbol.asyncIterator] !== 'function') {
    throw new ReviewkitError({ code: 'CONFIG', message: 'parseReviewStream: input must be a readable stream or another async iterable of text or bytes' });
  }
  return {
    [Symbol.asyncIterator]: () => decodeStream(input, options.format, new RowSink(options, ''), options.signal, 'the input')[Symbol.asyncIterator](),
  };
}

async function* decodeStream(
  input: AsyncIterable<string | Uint8Array>,
  format: ReviewFileFormat,
  rows: RowSink,
  signal: AbortSignal | undefined,
  what: string,
): AsyncGenerator<Review> {
  try {
    if (format === 'csv') {
      yield* decodeCsvStream(input, rows, signal, what);
      return;
    }
    const decoder = textDecoder(format, rows);
    // Bytes to text without splitting a character that straddles two chunks.
    const utf8 = new StringDecoder('utf8');
    const batch: Review[] = [];
    for await (const chunk of input) {
      throwIfAborted(signal, what);
      decoder.push(typeof chunk === 'string' ? chunk : utf8.write(chunk), batch);
      for (let i = 0; i < batch.length; i++) {
        throwIfAborted(signal, what);
        yield batch[i] as Review;
      }
      batch.length = 0;
    }
    decoder.push(utf8.end(), batch);
    decoder.end(batch);
    yield* batch;
  } finally {
    rows.finish();
  }
}

async function* decodeCsvStream(input: AsyncIterable<string | Uint8Array>, rows: RowSink, signal: AbortSignal | undefined, what: string): AsyncGenerator<Review> {
  // csv-parse's stream parser (and node:stream) load only when CSV is streamed.
  const [{ parse }, { pipeline }] = await Promise.all([import('csv-parse'), import('node:stream')]);
  const decoder = new CsvRecordDecoder(rows);
  const parser = parse(csvParseOptions((cells, info) => decoder.decode(cells, info)));
  // A failing input destroys the parser with its error, which the loop below then throws.
  pipeline(input, parser, () => {});
  try {
    for await (const review of parser as AsyncIterable<Review>) {
      throwIfAborted(signal, what);
      yield review;
    }
  } catch (error) {
    throw asCsvError(error, decoder, rows);
  } finally {
    parser.destroy();
  }
  decoder.end();
}

function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new ReviewkitError({ code: 'ABORTED', message: `Reading ${what} was aborted` });
}

/** A file system error as a `ReviewkitError` naming the path; anything else passes through. */
function fileError(error: unknown, path: string): unknown {
  if (ReviewkitError.is(error) || !(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined || !/^E[A-Z]+$/.test(code)) return error;
  const cause = new Error(`${code}: ${error.message}`);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ReviewkitError({ code: 'NOT_FOUND', message: `No file at ${path}: check the path`, cause });
  if (code === 'EACCES' || code === 'EPERM') return new ReviewkitError({ code: 'FORBIDDEN', message: `Cannot read ${path}: permission denied`, cause });
  if (code === 'EISDIR') return new ReviewkitError({ code: 'CONFIG', message: `${path} is a directory, not a file of reviews`, cause });
  return new ReviewkitError({ code: 'CONFIG', message: `Cannot read ${path} (${code})`, cause });
}
