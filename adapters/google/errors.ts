/**
 * Error detection shared by the Google adapters.
 * Facts followed: the Google API error model, https://google.aip.dev/193 and
 * https://cloud.google.com/apis/design/errors (`{"error":{"code","message","status","details"}}`, `ErrorInfo.reason`,
 * `RetryInfo.retryDelay`); an invalid key answers 400 `INVALID_ARGUMENT` with reason `API_KEY_INVALID` (bodies
 * captured in third-party code for other googleapis.com services, which share the envelope; not verified for Places).
 * Legacy Places statuses: googlemaps/openapi-specification `specification/schemas/PlacesDetailsStatus.yml`.
 */
import { z } from 'zod';
import type { DetectedError, ErrorCode, HttpResponseInfo } from '../../src/index.js';

const googleErrorEnvelope = z.object({
  error: z.object({
    message: z.string().optional(),
    status: z.string().optional(),
    details: z
      .array(z.object({ '@type': z.string().optional(), reason: z.string().optional(), retryDelay: z.string().optional() }))
      .optional(),
  }),
});

// Maps, not records: a body's `constructor` or `__proto__` must find nothing, not Object's own.
/** Google's canonical error statuses (the same in every Google API, Google Play's included). */
export const STATUS_CODES: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries({
    UNAUTHENTICATED: 'AUTH',
    PERMISSION_DENIED: 'FORBIDDEN',
    NOT_FOUND: 'NOT_FOUND',
    RESOURCE_EXHAUSTED: 'RATE_LIMITED',
    // A missing field mask, a malformed id, package name or language: something in the options
    // or the request, not the server.
    INVALID_ARGUMENT: 'CONFIG',
  }),
);

/** `ErrorInfo.reason`s that override the status: Google reports a bad API key as `INVALID_ARGUMENT`. */
const REASON_CODES: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries({
    API_KEY_INVALID: 'AUTH',
  }),
);

/**
 * Reads Google's JSON error envelope (Places API (New), Business Profile): maps `status` (and a few
 * `ErrorInfo` reasons) to error codes, keeps `RetryInfo.retryDelay` as the wait.
 */
export function detectGoogleError(response: HttpResponseInfo): DetectedError | undefined {
  if (response.status < 400) return undefined;
  const parsed = googleErrorEnvelope.safeParse(response.body);
  if (!parsed.success) return undefined;
  const { message, status, details = [] } = parsed.data.error;
  const reason = details.find((d) => d.reason !== undefined)?.reason;
  const retryDelay = details.find((d) => d.retryDelay !== undefined)?.retryDelay;
  const code = (reason !== undefined ? REASON_CODES.get(reason) : undefined) ?? (status !== undefined ? STATUS_CODES.get(status) : undefined);
  const retryAfterMs = retryDelay === undefined ? undefined : durationMs(retryDelay);
  const text = message && reason ? `${message} (${reason})` : (message ?? reason);
  return {
    ...(code && { code }),
    ...(status !== undefined && { vendorCode: status }),
    ...(text !== undefined && { message: text }),
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  };
}

const legacyStatusBody = z.object({ status: z.string(), error_message: z.string().optional() });

const LEGACY_CODES: ReadonlyMap<string, ErrorCode> = new Map(
  Object.entries({
    OVER_QUERY_LIMIT: 'RATE_LIMITED',
    REQUEST_DENIED: 'AUTH',
    NOT_FOUND: 'NOT_FOUND',
    ZERO_RESULTS: 'NOT_FOUND',
    INVALID_REQUEST: 'CONFIG',
    UNKNOWN_ERROR: 'HTTP',
  }),
);

/**
 * Reads the legacy Places API's in-body `status`, which signals errors with HTTP 200
 * (https://developers.google.com/maps/documentation/places/web-service/details#PlacesDetailsStatus).
 */
export function detectLegacyPlacesError(response: HttpResponseInfo): DetectedError | undefined {
  const parsed = legacyStatusBody.safeParse(response.body);
  if (!parsed.success || parsed.data.status === 'OK') return undefined;
  const { status, error_message: message } = parsed.data;
  const trimmed = message?.trim();
  return {
    code: LEGACY_CODES.get(status) ?? 'HTTP',
    vendorCode: status,
    ...(trimmed && { message: trimmed }),
    // OVER_QUERY_LIMIT also covers an exhausted daily quota and a project without billing: waiting seconds won't help.
    ...(status === 'OVER_QUERY_LIMIT' && /daily|billing/i.test(message ?? '') && { retry: false }),
    // "UNKNOWN_ERROR indicates a server-side error; trying again may be successful" (Place Details reference).
    ...(status === 'UNKNOWN_ERROR' && { retry: true }),
  };
}

/** A protobuf `Duration` in JSON ("41s", "0.5s") in milliseconds. */
function durationMs(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  const ms = match ? Math.round(Number(match[1]) * 1000) : Number.NaN;
  // Hundreds of digits are no wait a run can honour (Infinity).
  return Number.isFinite(ms) ? ms : undefined;
}
