import type { HttpClient, RetryInfo, RetryOptions } from './http.js';
import type { Reply, Review } from './review.js';

/** What answering a review came to. */
export interface ReplyResult {
  /**
   * `published`: public now. `pending`: accepted, not yet public (moderation, publishing delay).
   * `rejected`: refused — by the source's rules, checked before any request, or by the source.
   * `unsupported`: this source (or these credentials) cannot answer through an API; `reason` says why.
   */
  status: 'published' | 'pending' | 'rejected' | 'unsupported';
  /** The reply as it now stands (`null` when none was written, or after a delete). */
  reply: Reply | null;
  /** Why, for `rejected` and `unsupported` (and any remark for the others). */
  reason?: string;
}

/** A source's rules for reply text, checked before any request is made. */
export interface ReplyRules {
  /** Most UTF-8 bytes (Google Business Profile: 4096). */
  maxBytes?: number;
  /** Most characters, counted as Unicode code points (App Store Connect: 5,970; Google Play: about 350). */
  maxChars?: number;
  /** Emoji are refused (Yelp). */
  noEmoji?: boolean;
  /** The source strips HTML tags (Google Play): length is counted on the text without them. */
  stripsHtml?: boolean;
}

/** What an adapter's reply code gets. */
export interface ReplyContext<Options> {
  /** The validated options (credentials included). */
  options: Options;
  /** The adapter's HTTP client (writes with `request`); secrets redacted as for reads. */
  http: HttpClient;
  /** Aborts when the caller aborts. */
  signal: AbortSignal;
  /** The clock reading to use instead of `new Date()`. */
  now: Date;
}

/**
 * Answering reviews through a source's API, as an adapter definition declares it. Leave `post`
 * out (and say why in `unsupported`) for sources without a reply API.
 */
export interface ReplyCapability<Options> {
  /**
   * Why these options cannot answer (Yelp without a partner token: "needs …"), or null when they
   * can. A string: the source has no reply API at all.
   */
  unsupported?: string | ((options: Options) => string | null);
  /** Text rules checked before any request. */
  rules?: ReplyRules;
  /**
   * Writes the reply, replacing one already there where the source allows a single reply. Must
   * never post twice: an append-style write is sent with `attempts: 1` and, after a timeout or a
   * 5xx, read back before it is sent again.
   */
  post?: (ctx: ReplyContext<Options>, review: Review, text: string) => Promise<ReplyResult>;
  /** Removes the business's reply, where the source allows it. */
  delete?: (ctx: ReplyContext<Options>, review: Review) => Promise<ReplyResult>;
}

/** Run-time settings for a reply call. */
export interface ReplySettings {
  signal: AbortSignal;
  now: Date;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  onRetry?: (info: RetryInfo) => void;
}

/** An adapter's answering side, as `reply()` and `deleteReply()` use it. */
export interface AdapterReplies {
  /** Why this adapter cannot answer, or null when it can. */
  readonly unsupported: string | null;
  readonly rules: ReplyRules;
  /** Writes a reply; absent when unsupported. */
  post?(review: Review, text: string, settings: ReplySettings): Promise<ReplyResult>;
  /** Removes a reply; absent where the source cannot. */
  delete?(review: Review, settings: ReplySettings): Promise<ReplyResult>;
}
