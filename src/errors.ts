import { inspect } from 'node:util';

/** Every failure reviewkit reports is one of these codes. */
export type ErrorCode =
  | 'CONFIG'
  | 'AUTH'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'HTTP'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'BAD_RESPONSE'
  | 'PAGINATION'
  | 'ABORTED';

/** All error codes, in a stable order (handy for exhaustive tables and tests). */
export const ERROR_CODES: readonly ErrorCode[] = [
  'CONFIG',
  'AUTH',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'HTTP',
  'NETWORK',
  'TIMEOUT',
  'BAD_RESPONSE',
  'PAGINATION',
  'ABORTED',
];

/** What a {@link ReviewkitError} is built from. */
export interface ReviewkitErrorInit {
  /** What kind of failure this is. */
  code: ErrorCode;
  /** Human-readable explanation: what went wrong and what to do. Secrets must already be removed. */
  message: string;
  /** The adapter name (`yelp`, `facebook`, …) or `reviewkit` for engine-level errors. */
  source?: string;
  /** HTTP status of the failed response, when there was one. */
  status?: number;
  /** How long the source asked us to wait (from `Retry-After` or a vendor header). */
  retryAfterMs?: number;
  /** Request URL with every secret removed. */
  url?: string;
  /** Vendor error code from the response body (`TOKEN_INVALID`, `190`, `RESOURCE_EXHAUSTED` …). */
  vendorCode?: string;
  /** A sanitized underlying error. Never pass an `AxiosError`: its config holds credentials. */
  cause?: Error;
}

const MARKER = Symbol.for('reviewkit.error');
const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['RATE_LIMITED', 'NETWORK', 'TIMEOUT']);
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * The single error type reviewkit throws or reports.
 *
 * Safe to log: it never holds an API key, token, `Authorization` header or secret query
 * value, in `message`, `stack`, `cause`, `JSON.stringify(err)` or `util.inspect(err)`.
 * Recognisable across duplicate installs of the package with {@link ReviewkitError.is}
 * (and `instanceof`, which uses the same marker).
 */
export class ReviewkitError extends Error {
  /** What kind of failure this is; decide on this, not on the message. */
  readonly code: ErrorCode;
  /** Adapter name, or `reviewkit` for engine-level errors. */
  readonly source: string;
  /** HTTP status, when the failure came with a response. */
  readonly status?: number;
  /** Delay the source asked for before retrying, in milliseconds. */
  readonly retryAfterMs?: number;
  /** Request URL with secrets removed. */
  readonly url?: string;
  /** The source's own error code, when its body carried one. */
  readonly vendorCode?: string;

  constructor(init: ReviewkitErrorInit) {
    super(init.message, init.cause ? { cause: init.cause } : undefined);
    this.name = 'ReviewkitError';
    this.code = init.code;
    this.source = init.source ?? 'reviewkit';
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.url !== undefined) this.url = init.url;
    if (init.vendorCode !== undefined) this.vendorCode = init.vendorCode;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** Whether trying the same request again later may succeed. */
  get isRetryable(): boolean {
    if (RETRYABLE_CODES.has(this.code)) return true;
    return this.code === 'HTTP' && this.status !== undefined && RETRYABLE_STATUS.has(this.status);
  }

  /** True for any reviewkit error, even one created by another copy of the package. */
  static is(value: unknown): value is ReviewkitError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return ReviewkitError.is(value);
  }

  /** A plain, secret-free description (what `JSON.stringify` prints). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      source: this.source,
      message: this.message,
      ...(this.status !== undefined && { status: this.status }),
      ...(this.retryAfterMs !== undefined && { retryAfterMs: this.retryAfterMs }),
      ...(this.url !== undefined && { url: this.url }),
      ...(this.vendorCode !== undefined && { vendorCode: this.vendorCode }),
      isRetryable: this.isRetryable,
      ...(this.cause instanceof Error && { cause: { name: this.cause.name, message: this.cause.message } }),
    };
  }

  [inspect.custom](): string {
    return `${this.stack ?? `${this.name}: ${this.message}`}\n${inspect(this.toJSON(), { depth: 2 })}`;
  }
}

const SECRET_PARAM = /([?&](?:key|api_?key|apikey|access_token|token|client_secret|secret|signature|sig|password|auth)=)[^&#\s"']*/gi;
// A token after "Bearer", but not a plain lowercase word: "a signed bearer token" is prose.
const BEARER = /([Bb][Ee][Aa][Rr][Ee][Rr]\s+)(?![a-z]+(?![A-Za-z0-9._~+/=-]))[A-Za-z0-9._~+/=-]+/g;

/**
 * Removes secrets from a string: every listed secret value, `key=`/`access_token=`-style
 * query values and `Bearer` tokens.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Short values (like "1") would shred ordinary text; real credentials are longer.
    if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && encoded.length >= 4) out = out.split(encoded).join('[REDACTED]');
  }
  return out.replace(SECRET_PARAM, '$1[REDACTED]').replace(BEARER, '$1[REDACTED]');
}

/**
 * Drops the quoted values error messages often carry (`Not an ISO 8601 date: "…"`), so that a
 * report names the problem without repeating the payload. Internal.
 */
export function withoutQuotedValues(message: string): string {
  return message.replace(/:?\s*"(?:[^"\\]|\\.)*"/g, '').trim();
}
