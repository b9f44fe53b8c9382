/**
 * Google's JSON error envelope, shared by Places (New), Business Profile and Play:
 * `{"error":{"code","message","status","details":[ErrorInfo, RetryInfo…]}}` (google.aip.dev/193),
 * with the bodies the adapters' fixtures recorded: invalid key (400 `API_KEY_INVALID`), missing
 * or bad OAuth credentials (401 `UNAUTHENTICATED`), quota (429 `RESOURCE_EXHAUSTED`, with a
 * `RetryInfo`), and 500 `INTERNAL` / 503 `UNAVAILABLE`.
 */
import type { FaultContext, ModuleResponse } from '../module.js';
import { json } from '../module.js';
import type { SandboxFault } from '../types.js';

/** One entry of `error.details`. */
export type GoogleDetail = Record<string, unknown>;

/** An `ErrorInfo` detail. */
export function errorInfo(reason: string, service: string, metadata: Record<string, string> = {}): GoogleDetail {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service, ...metadata } };
}

/** Google's error envelope with HTTP status `code`. */
export function googleError(code: number, status: string, message: string, extra: { details?: GoogleDetail[]; errors?: Record<string, string>[] } = {}): ModuleResponse {
  return json(code, {
    error: { code, message, ...(extra.errors && { errors: extra.errors }), status, ...(extra.details && { details: extra.details }) },
  });
}

/** 401 for a request without an OAuth token. */
export function credentialsMissing(service: string, method: string): ModuleResponse {
  return googleError(
    401,
    'UNAUTHENTICATED',
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    { details: [errorInfo('CREDENTIALS_MISSING', service, { method })] },
  );
}

/** 401 for a token Google does not know. */
export function credentialsInvalid(service: string, method: string, legacyErrors = false): ModuleResponse {
  return googleError(
    401,
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    {
      ...(legacyErrors && { errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }] }),
      details: [errorInfo('ACCESS_TOKEN_TYPE_UNSUPPORTED', service, { method })],
    },
  );
}

/** 404 `NOT_FOUND`. */
export const notFound = (message = 'Requested entity was not found.'): ModuleResponse => googleError(404, 'NOT_FOUND', message);

/** 400 `INVALID_ARGUMENT`. */
export const invalidArgument = (message: string): ModuleResponse => googleError(400, 'INVALID_ARGUMENT', message);

/**
 * A failure in Google's format: a per-minute quota (429 `RESOURCE_EXHAUSTED` with a `RetryInfo`
 * naming the wait, and for Play the legacy `errors[].reason`), or a server error.
 */
export function googleFault(kind: SandboxFault, service: string, metric: string, context: FaultContext, legacyErrors = false): ModuleResponse {
  if (kind === 'rate-limit') {
    const message = `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute' of service '${service}' for consumer 'project_number:100000000042'.`;
    return googleError(429, 'RESOURCE_EXHAUSTED', message, {
      ...(legacyErrors && { errors: [{ message, domain: 'global', reason: 'rateLimitExceeded' }] }),
      details: [
        errorInfo('RATE_LIMIT_EXCEEDED', service, { consumer: 'projects/100000000042', quota_metric: `${service}/${metric.toLowerCase()}` }),
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${context.retryAfterSeconds}s` },
      ],
    });
  }
  return context.random.chance(0.5)
    ? googleError(500, 'INTERNAL', 'Internal error encountered.', legacyErrors ? { errors: [{ message: 'Internal error encountered.', domain: 'global', reason: 'backendError' }] } : {})
    : googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.');
}
