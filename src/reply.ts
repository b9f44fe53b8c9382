import type { Adapter } from './define-adapter.js';
import { ReviewkitError } from './errors.js';
import type { RetryOptions } from './http.js';
import type { AdapterReplies, ReplyResult, ReplyRules, ReplySettings } from './reply-types.js';
import type { Review } from './review.js';

/** Options of {@link reply} and {@link deleteReply}. */
export interface ReplyOptions {
  /** The adapters you read reviews with: the one that owns the review (same source and subject) answers it. */
  adapters: readonly Adapter[];
  /** Aborting rejects with `ABORTED`. */
  signal?: AbortSignal;
  /** Per-request timeout in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Retry policy of requests that may be repeated (upserts, read-backs); append-style writes are never retried blindly. */
  retry?: Partial<RetryOptions>;
  /** Clock reading handed to adapters (tests pin it). Default: now. */
  now?: Date;
}

/**
 * Answers a review in public through its source's API: finds the adapter among `adapters` that
 * owns the review, checks the text against the source's rules before any request (length in the
 * source's unit, emoji, …) and posts it, replacing the business's earlier reply where the source
 * keeps one reply per review. Resolves to what happened (`published`, `pending` moderation,
 * `rejected` with the reason, or `unsupported` with what access would be needed); rejects with a
 * `ReviewkitError` when the request fails (`AUTH`, `RATE_LIMITED` for a write quota, …).
 */
export async function reply(review: Review, text: string, options: ReplyOptions): Promise<ReplyResult> {
  checkArguments(review, options);
  if (typeof text !== 'string') throw configError('reply text must be a string.');
  const found = answering(review, options.adapters);
  if ('result' in found) return found.result;
  const { adapter, replies } = found;
  if (!replies.post) return unsupported(replies.unsupported ?? `${adapter.name}: reviewkit cannot answer these reviews.`);
  const refused = checkReplyText(text, replies.rules);
  if (refused !== null) return { status: 'rejected', reply: null, reason: `${adapter.name}: ${refused}` };
  return run(options, (settings) => (replies.post as NonNullable<AdapterReplies['post']>)(review, text, settings));
}

/**
 * Removes the business's public reply to a review, where the source allows it (Google Business
 * Profile, App Store Connect, Trustpilot, Facebook, Instagram). Resolves to `{ status, reply: null }`;
 * `unsupported` (with the reason) elsewhere.
 */
export async function deleteReply(review: Review, options: ReplyOptions): Promise<ReplyResult> {
  checkArguments(review, options);
  const found = answering(review, options.adapters);
  if ('result' in found) return found.result;
  const { adapter, replies } = found;
  if (!replies.delete) {
    return unsupported(replies.unsupported ?? `${adapter.name}: the source offers no way to delete a reply through its API.`);
  }
  return run(options, (settings) => (replies.delete as NonNullable<AdapterReplies['delete']>)(review, settings));
}

/**
 * Why `text` breaks a source's reply rules (`"is 4,210 bytes in UTF-8; at most 4,096 are allowed"`),
 * or null when it does not. The same check `reply()` runs before any request.
 */
export function checkReplyText(text: string, rules: ReplyRules = {}): string | null {
  if (text.trim() === '') return 'the reply text is empty.';
  if (rules.maxBytes !== undefined) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > rules.maxBytes) return `the reply is ${bytes.toLocaleString('en-US')} bytes in UTF-8; at most ${rules.maxBytes.toLocaleString('en-US')} are allowed.`;
  }
  if (rules.maxChars !== undefined) {
    const counted = rules.stripsHtml ? text.replace(/<[^>]*>/g, '') : text;
    const chars = [...counted].length;
    if (chars > rules.maxChars) {
      const unit = rules.stripsHtml ? 'characters (HTML tags aside)' : 'characters';
      return `the reply is ${chars.toLocaleString('en-US')} ${unit}; at most ${rules.maxChars.toLocaleString('en-US')} are allowed.`;
    }
  }
  if (rules.noEmoji && EMOJI.test(text)) return 'the source refuses replies containing emoji.';
  return null;
}

const EMOJI = /\p{Extended_Pictographic}/u;

type Found = { adapter: Adapter; replies: AdapterReplies } | { result: ReplyResult };

function answering(review: Review, adapters: readonly Adapter[]): Found {
  const adapter = adapters.find((a) => (a.owns ? a.owns(review) : a.name === review.source && a.subjectId === review.subject.id));
  if (!adapter) {
    return unsupportedFound(
      `no adapter given owns this review (source ${review.source}, subject ${review.subject.id}): pass the adapter you read it with in \`adapters\`.`,
    );
  }
  const replies = adapter.replies;
  if (!replies) return unsupportedFound(`${adapter.name}: this adapter cannot answer reviews.`);
  if (replies.unsupported !== null && !replies.post && !replies.delete) return unsupportedFound(`${adapter.name}: ${replies.unsupported}`);
  return { adapter, replies };
}

async function run(options: ReplyOptions, call: (settings: ReplySettings) => Promise<ReplyResult>): Promise<ReplyResult> {
  const controller = new AbortController();
  const forward = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) forward();
  else options.signal?.addEventListener('abort', forward, { once: true });
  try {
    if (controller.signal.aborted) throw new ReviewkitError({ code: 'ABORTED', message: 'reviewkit: the reply was aborted by the caller.' });
    return await call({
      signal: controller.signal,
      now: options.now ?? new Date(),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.retry && { retry: options.retry }),
    });
  } finally {
    options.signal?.removeEventListener('abort', forward);
  }
}

function unsupported(reason: string): ReplyResult {
  return { status: 'unsupported', reply: null, reason };
}

function unsupportedFound(reason: string): Found {
  return { result: unsupported(reason) };
}

function checkArguments(review: Review, options: ReplyOptions): void {
  if (typeof review !== 'object' || review === null || typeof review.source !== 'string' || typeof review.externalId !== 'string') {
    throw configError('reply() and deleteReply() take a Review (as aggregate, a file or a store gives it).');
  }
  if (!options || !Array.isArray(options.adapters)) throw configError('pass the adapters you read reviews with: { adapters: [...] }.');
}

function configError(message: string): ReviewkitError {
  return new ReviewkitError({ code: 'CONFIG', message: `reviewkit: ${message}` });
}
