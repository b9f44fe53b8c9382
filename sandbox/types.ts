/**
 * The sandbox's public types: what `createSandbox` takes, what it holds and what it logs.
 */

/**
 * The thirteen sandboxed endpoints: the eleven `Review.source` names, plus `google-places-legacy`
 * (the legacy Places API, `googlePlaces({ api: 'legacy' })`) and `app-store-connect` (the App
 * Store Connect API, `appStoreConnect`), the second API of two sources. Each is its own subject
 * (its own place or app), so their reviews never overlap.
 */
export type SandboxSource =
  | 'yelp'
  | 'google-places'
  | 'google-places-legacy'
  | 'google-business-profile'
  | 'facebook'
  | 'trustpilot'
  | 'tripadvisor'
  | 'app-store'
  | 'app-store-connect'
  | 'google-play'
  | 'schema-org'
  | 'x'
  | 'instagram';

/** Every {@link SandboxSource}, in the order `adapters()` returns their adapters. */
export const SANDBOX_SOURCES: readonly SandboxSource[] = [
  'yelp',
  'google-places',
  'google-places-legacy',
  'google-business-profile',
  'facebook',
  'trustpilot',
  'tripadvisor',
  'app-store',
  'app-store-connect',
  'google-play',
  'schema-org',
  'x',
  'instagram',
];

/** An owner's public reply as the sandbox holds it. */
export interface SandboxReply {
  text: string;
  createdAt: Date;
  /** Who signed it, when the source names the replier (Tripadvisor, Instagram, schema.org); else null. */
  author: string | null;
}

/**
 * A review the sandbox holds, in `Review` terms: `externalId` is what the adapter reports, and the
 * other fields are the facts the source's format carries. What an adapter makes of them follows
 * the source (Play reports `lastModified` as `createdAt`, Facebook shows recommendations, not
 * stars, Yelp serves its excerpt); the sandbox's own tests check each mapping.
 */
export interface SandboxReview {
  /** Which sandboxed endpoint holds it. */
  source: SandboxSource;
  /** The review's id as the adapter reports it (`review.externalId`). */
  externalId: string;
  /** The reviewer's name as the source shows it; null for anonymous reviews. */
  author: string | null;
  /** 1–5, or null where the source has no stars (Facebook recommendations, X, Instagram). */
  stars: number | null;
  /** Facebook's yes/no verdict; null elsewhere. */
  recommendation: 'positive' | 'negative' | null;
  title: string | null;
  /** The text as the source serves it (Yelp's excerpt); null for a rating without text. */
  text: string | null;
  /** The language it is written in (`en`, `de`, `fr`, `es`). */
  language: string;
  /** When it was written. */
  createdAt: Date;
  /** When it was last edited, or null if never. */
  updatedAt: Date | null;
  /** The owner's replies, oldest first. */
  replies: SandboxReply[];
  /** Likes or helpful votes where the source counts them, else null. */
  helpfulVotes: number | null;
  /**
   * Whether the API lists it now: false for reviews beyond a platform cap (Yelp's 3 excerpts,
   * Google's and Tripadvisor's 5, schema.org's first page) or outside a time window (Play's last
   * week, X's last seven days).
   */
  isListed: boolean;
}

/** A review to add with {@link Sandbox.addReview}: in `Review` terms; unset fields are generated (seeded). */
export interface NewReview {
  /** 1–5. Ignored by the mention sources (X, Instagram); Facebook turns it into a recommendation (3 or more: positive). */
  stars?: number;
  text?: string;
  /** When it was written. Default: the sandbox clock, advanced by a minute ({@link Sandbox.now}). */
  createdAt?: Date;
  authorName?: string;
  /** A title, on sources that show one (Trustpilot, Tripadvisor, App Store, Play, schema.org). */
  title?: string;
  /** `en`, `de`, `fr` or `es` (any BCP 47 tag is kept as given). Default `en`. */
  language?: string;
  /** Facebook only: overrides the recommendation derived from `stars`. */
  recommendation?: 'positive' | 'negative';
}

/** What {@link Sandbox.editReview} changes. */
export interface ReviewEdit {
  text?: string;
  /** Ignored by sources without stars. */
  stars?: number;
  title?: string;
  /** When the edit happened. Default: the sandbox clock, advanced by a minute. */
  updatedAt?: Date;
}

/** An owner reply to set with {@link Sandbox.setReply}. */
export interface NewReply {
  text: string;
  /** Default: the sandbox clock, advanced by a minute. */
  createdAt?: Date;
}

/** The kind of failure the sandbox injected into an answer. */
export type SandboxFault = 'rate-limit' | 'server-error';

/** One request the sandbox received. Credentials are never logged. */
export interface SandboxRequest {
  /** The endpoint that claimed it, or null when no sandboxed route matched. */
  source: SandboxSource | null;
  method: string;
  /** Path as sent, without the query. */
  path: string;
  /** Query parameters, credential values (`key`, `access_token`) replaced by `[REDACTED]`. */
  query: Record<string, string>;
  /** Status answered (0 when the sandbox closed before answering). */
  status: number;
  /** The failure injected by `failRate`, or null for a real answer. */
  fault: SandboxFault | null;
  /** Whether a sandboxed route answered it (false: an unknown path got the sandbox's 404). */
  isMatched: boolean;
  /** `Date.now()` when it arrived (for latency checks; never part of the data). */
  receivedAt: number;
}

/**
 * A one-off failure {@link Sandbox.injectFault} arranges for the next request(s) that match, to
 * test what a client does when a write's answer goes missing.
 */
export interface InjectedFault {
  /** Only requests with this method (`POST`); any method when absent. */
  method?: string;
  /** Only requests on this path: the exact path, or a RegExp tested on it; any path when absent. */
  path?: string | RegExp;
  /**
   * - `server-error`, `rate-limit`: answered with the source's own failure before its API sees the
   *   request (a write is not stored), as `failRate` does.
   * - `slow-answer`: the API handles the request (a write is stored) and answers `delayMs` late.
   * - `lost-answer`: the API handles the request (a write is stored), then the connection is cut
   *   without an answer (the log shows status 0).
   */
  kind: SandboxFault | 'slow-answer' | 'lost-answer';
  /** How late a `slow-answer` comes, in milliseconds. Default 1000. */
  delayMs?: number;
  /** How many matching requests it affects. Default 1. */
  times?: number;
}
