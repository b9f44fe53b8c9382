/**
 * Writing a reply exactly once where the source appends (a Facebook or Instagram comment): a
 * repeated request is a second public comment, so such a write is never retried blindly
 * (apis.md §12.9, pitfall 6). It is sent with `attempts: 1`; when its outcome is unknown (the
 * answer timed out, the connection dropped, the server failed with a 5xx) the written item is
 * looked for first, and the write is sent again only when it is not there.
 */
import { ReviewkitError } from '../../src/index.js';

/** Sends in all, each after the first only once a read-back found nothing. */
export const MAX_SENDS = 3;

/** The steps of {@link appendOnce}. */
export interface AppendOnceSteps<T> {
  /** The adapter name, for errors. */
  source: string;
  /** Sends the write once (`attempts: 1`): what it wrote. */
  send(): Promise<T>;
  /** Looks for what `send` writes (the account's comment with that text): null when it is not there. */
  findWritten(): Promise<T | null>;
}

/**
 * Whether a failed write may still have been carried out: the answer was lost (`TIMEOUT`, a dropped
 * connection) or the server failed midway (a 5xx). A refusal (4xx) was not carried out.
 */
export function mayHaveLanded(error: unknown): boolean {
  if (!ReviewkitError.is(error)) return false;
  return error.code === 'TIMEOUT' || error.code === 'NETWORK' || (error.code === 'HTTP' && error.status !== undefined && error.status >= 500);
}

/**
 * Sends an appending write at most {@link MAX_SENDS} times and never twice for one effect: after
 * each failure that may have landed (the last one too), `findWritten` decides. Resolves to what was
 * written (sent now, or found); rejects with the write's error when it was refused or when every
 * send failed and nothing was found, and with an error saying the outcome is unknown when a
 * read-back failed too.
 */
export async function appendOnce<T>(steps: AppendOnceSteps<T>): Promise<T> {
  for (let sent = 1; ; sent++) {
    let failure: ReviewkitError;
    try {
      return await steps.send();
    } catch (error) {
      if (!ReviewkitError.is(error) || !mayHaveLanded(error)) throw error;
      failure = error;
    }
    let found: T | null;
    try {
      found = await steps.findWritten();
    } catch (readError) {
      if (ReviewkitError.is(readError) && readError.code === 'ABORTED') throw readError;
      const said = ReviewkitError.is(readError) ? readError.message : 'an unexpected error';
      throw withNote(
        failure,
        `Reading back whether it was posted failed too (${said}): look before answering again, or the reply may appear twice.`,
      );
    }
    if (found !== null) return found;
    if (sent >= MAX_SENDS) throw failure;
  }
}

/** The same error with a sentence added to its message (both already free of secrets). */
export function withNote(error: ReviewkitError, note: string): ReviewkitError {
  return new ReviewkitError({
    code: error.code,
    source: error.source,
    message: `${error.message} ${note}`,
    ...(error.status !== undefined && { status: error.status }),
    ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }),
    ...(error.url !== undefined && { url: error.url }),
    ...(error.vendorCode !== undefined && { vendorCode: error.vendorCode }),
    ...(error.cause instanceof Error && { cause: error.cause }),
  });
}

/** Reply texts compared as a source stores them: line ends unified, outer whitespace trimmed. */
export function isSameText(a: string | null | undefined, b: string): boolean {
  if (a === null || a === undefined) return false;
  const tidy = (text: string) => text.replace(/\r\n?/g, '\n').trim();
  return tidy(a) === tidy(b);
}
