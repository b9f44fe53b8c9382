/**
 * What the Meta Graph API adapters (Facebook Pages, Instagram) share: the error envelope, the
 * throttling codes and usage headers, and `paging.next` links.
 * Facts followed:
 * - Errors: developers.facebook.com/docs/graph-api/guides/error-handling
 *   (`{"error":{"message","type","code","error_subcode","fbtrace_id"}}`; 190 invalid or expired
 *   token, 102 session, 10 and 200–299 permissions, 4/17/32/613 throttling) and
 *   developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes
 *   (Instagram adds `is_transient`).
 * - Throttling: developers.facebook.com/docs/graph-api/overview/rate-limiting (Business Use Case
 *   limits; `X-Business-Use-Case-Usage` carries `estimated_time_to_regain_access` in minutes). The
 *   BUC error codes 80001 (Pages) and 80002 (Instagram) come from third-party rate-limit profiles
 *   (apis.io "instagramThrottled") rather than the reference page, which lists them by example only.
 * - Paging: developers.facebook.com/docs/graph-api/results (no `next` = last page; `next` echoes
 *   the `access_token` when the request sent one in the query).
 */
import { z } from 'zod';
import { type DetectedError, type ErrorCode, type ErrorDetector, type HttpResponseInfo, ReviewkitError, redact } from '../../src/index.js';

const graphErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number(),
    error_subcode: z.number().optional(),
    is_transient: z.boolean().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** Throttling: 4 app, 17 user, 32 Page, 613 custom, 80001 Pages and 80002 Instagram business use cases. */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002]);
// Graph access tokens a message might quote: Facebook (`EAA…`) and Instagram Login (`IGQ…`, `IGA…`).
// Declared secrets are redacted by the core too; these catch a token the user never passed (a Page token from a next link).
const TOKEN_LIKE = /\b(?:EAA|IGQ|IGA)[A-Za-z0-9_-]{16,}/g;

/** A Graph error as the detector read it, for an adapter's own wording. */
export interface GraphError {
  code: number;
  subcode: number | undefined;
  /** The mapped reviewkit code, if the Graph code has one. */
  mapped: ErrorCode | undefined;
  /** Graph's message with tokens removed, and the subcode / fbtrace_id in brackets. */
  said: string;
}

/** Options of {@link graphErrorDetector}. */
export interface GraphErrorOptions {
  /**
   * Replaces the message of some errors with advice specific to the adapter (which permission
   * its endpoint needs, which version). Return undefined to keep Graph's own message.
   */
  explain?: (error: GraphError) => string | undefined;
}

function graphCode(code: number, subcode: number | undefined): ErrorCode | undefined {
  if (RATE_LIMIT_CODES.has(code)) return 'RATE_LIMITED';
  if (code === 190 || code === 102) return 'AUTH';
  if (code === 10 || (code >= 200 && code <= 299)) return 'FORBIDDEN';
  if ((code === 100 && subcode === 33) || code === 803) return 'NOT_FOUND';
  if (code === 12) return 'CONFIG';
  return undefined;
}

/**
 * Reads Graph's error envelope, sent with HTTP 400/403/500 (throttling included): maps the code,
 * keeps the subcode and fbtrace_id in the message, and turns a usage header's regain time into
 * `retryAfterMs`.
 */
export function graphErrorDetector(options: GraphErrorOptions = {}): ErrorDetector {
  return (response: HttpResponseInfo): DetectedError | undefined => {
    const parsed = graphErrorBody.safeParse(response.body);
    if (!parsed.success) return undefined;
    const { message, code, error_subcode: subcode, fbtrace_id: traceId, is_transient: isTransient } = parsed.data.error;
    const mapped = graphCode(code, subcode);
    const ids = [subcode !== undefined && `subcode ${subcode}`, traceId && `fbtrace_id ${traceId}`].filter(Boolean);
    const said = `${redact(message ?? 'Graph API error').replace(TOKEN_LIKE, '[REDACTED]')}${ids.length > 0 ? ` (${ids.join(', ')})` : ''}`;
    const detected: DetectedError = { vendorCode: String(code), message: options.explain?.({ code, subcode, mapped, said }) ?? said };
    if (mapped) detected.code = mapped;
    // Instagram flags errors worth retrying (`is_transient`) whatever their code.
    else if (isTransient === true) detected.retry = true;
    if (mapped === 'RATE_LIMITED') {
      const minutes = regainAccessMinutes(response.headers);
      if (minutes !== undefined && minutes > 0) {
        detected.retryAfterMs = minutes * 60_000;
        // Calls made while throttled still count against the limit (developers.facebook.com/blog/post/2016/06/16/page-level-rate-limits/),
        // and a wait of minutes outlasts any in-run backoff: report it instead of retrying early.
        detected.retry = false;
      }
    }
    return detected;
  };
}

const usageEntry = z.object({ estimated_time_to_regain_access: z.number().optional() });
const usageHeaders = ['x-business-use-case-usage', 'x-page-usage', 'x-app-usage'] as const;

/** Longest `estimated_time_to_regain_access` (minutes) in Graph's usage headers, if any. */
function regainAccessMinutes(headers: Readonly<Record<string, string>>): number | undefined {
  let longest: number | undefined;
  for (const name of usageHeaders) {
    const raw = headers[name];
    if (raw === undefined) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      continue;
    }
    // X-Business-Use-Case-Usage is `{ "<id>": [{ type, call_count, …, estimated_time_to_regain_access }] }`;
    // the app and Page headers are one flat object.
    const entries = z.record(z.string(), z.array(usageEntry)).safeParse(value);
    const list = entries.success ? Object.values(entries.data).flat() : [usageEntry.safeParse(value).data ?? {}];
    for (const entry of list) {
      const minutes = entry.estimated_time_to_regain_access;
      if (minutes !== undefined && Number.isFinite(minutes)) longest = Math.max(longest ?? 0, minutes);
    }
  }
  return longest;
}

/** Graph's paging envelope, as every edge sends it. */
export const graphPaging = z
  .object({
    cursors: z.object({ before: z.string().nullish(), after: z.string().nullish() }).nullish(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
  })
  .nullish();

/** A followed page: where it is (its `after` cursor) and the link that fetches it. */
export interface GraphNext {
  /** `paging.next` without its `access_token` (the core rebases it onto the configured origin). */
  url: URL;
  /** The `after` cursor naming the next page: what a resume cursor stores. */
  after: string;
}

/**
 * The next page of a Graph edge, or null on the last page (only `next` says there is more: the
 * last page carries cursors too). The `access_token` is removed from the link: the token travels
 * in the Authorization header, so it never sits in a URL that could reach a log or an error.
 */
export function graphNext(paging: z.output<typeof graphPaging>, source: string, edge: string): GraphNext | null {
  if (!paging?.next) return null;
  let url: URL;
  try {
    url = new URL(paging.next);
  } catch {
    throw new ReviewkitError({ code: 'BAD_RESPONSE', source, message: `${source}: \`paging.next\` of ${edge} is not a URL; please report it.` });
  }
  url.searchParams.delete('access_token');
  const after = paging.cursors?.after ?? url.searchParams.get('after');
  if (!after) {
    throw new ReviewkitError({
      code: 'PAGINATION',
      source,
      message: `${source}: a page of ${edge} has a \`paging.next\` link without an \`after\` cursor; please report it.`,
    });
  }
  return { url, after };
}
