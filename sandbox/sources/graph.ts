/**
 * What the Meta Graph API modules (Facebook, Instagram) share, as the adapters' `meta/graph.ts` and
 * apis.md §4, §11 describe Graph: the token in `Authorization: Bearer` or `access_token=`; the
 * error envelope `{"error":{"message","type","code","error_subcode","is_transient","fbtrace_id"}}`
 * (104 no token, 190 bad token, 100/33 unknown object); `fields` selection; cursor paging with
 * `paging.cursors` and a `paging.next` link only when more follows (echoing `access_token` only
 * when the request carried it in the query); throttling codes with their usage headers.
 */
import { createHash } from 'node:crypto';
import { type FaultContext, json, type ModuleRequest, type ModuleResponse } from '../module.js';
import type { SandboxFault } from '../types.js';
import { parseGraphFields, type Selection, select } from './fields.js';

/** `/v21.0/{id}` or `/v21.0/{id}/{edge}`; ids are digits, comment ids `{object-id}_{comment-id}`. */
export const GRAPH_PATH = /^\/v(\d+)\.(\d+)\/(\d+(?:_\d+)?)(?:\/([a-z_]+))?$/;

/** A Graph request's parts. */
export interface GraphPath {
  major: number;
  version: string;
  id: string;
  edge: string | null;
}

/** The version, object id and edge of a Graph path, or null for another path. */
export function graphPath(path: string): GraphPath | null {
  const match = GRAPH_PATH.exec(path);
  if (!match) return null;
  return { major: Number(match[1]), version: `v${match[1]}.${match[2]}`, id: match[3] as string, edge: match[4] ?? null };
}

/** The access token a Graph request carries (header or query). */
export function graphToken(request: ModuleRequest): string | undefined {
  const header = request.headers.authorization;
  const bearer = typeof header === 'string' ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim())?.[1] : undefined;
  return bearer ?? request.query.get('access_token') ?? undefined;
}

/**
 * A write's parameters as Graph reads them: from the query string, a form body or a JSON body
 * alike (a body value wins over the query's).
 */
export function graphParams(request: ModuleRequest): Map<string, string> {
  const params = new Map<string, string>(request.query);
  const type = String(request.headers['content-type'] ?? '');
  if (request.body.trim() === '') return params;
  if (type.includes('application/json')) {
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      return params;
    }
    if (typeof body === 'object' && body !== null) {
      for (const [key, value] of Object.entries(body)) if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params.set(key, String(value));
    }
    return params;
  }
  for (const [key, value] of new URLSearchParams(request.body)) params.set(key, value);
  return params;
}

/** Graph's error envelope. */
export function graphError(
  status: number,
  code: number,
  message: string,
  extra: { type?: string; subcode?: number; isTransient?: boolean; headers?: Record<string, string> } = {},
): ModuleResponse {
  return json(
    status,
    {
      error: {
        message,
        type: extra.type ?? 'OAuthException',
        code,
        ...(extra.subcode !== undefined && { error_subcode: extra.subcode }),
        ...(extra.isTransient !== undefined && { is_transient: extra.isTransient }),
        // Real trace ids differ per request; a digest of the error keeps answers reproducible.
        fbtrace_id: createHash('sha1').update(`${status}:${code}:${message}`).digest('base64url').slice(0, 11),
      },
    },
    extra.headers,
  );
}

/** The answer to a missing or wrong token, or undefined when the token is `expected`. */
export function graphAuth(request: ModuleRequest, expected: string): ModuleResponse | undefined {
  const token = graphToken(request);
  if (token === undefined) return graphError(400, 104, 'An access token is required to request this resource.');
  if (token !== expected) return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
  return undefined;
}

/** 400, code 100 subcode 33: an object that does not exist (or that the token cannot see). */
export function unknownObject(id: string, method = 'get'): ModuleResponse {
  return graphError(
    400,
    100,
    `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    { type: 'GraphMethodException', subcode: 33 },
  );
}

/** The `fields` of a request, or the default fields of the node type. */
export function graphFields(request: ModuleRequest, defaults: string): Selection {
  return parseGraphFields(request.query.get('fields') ?? defaults);
}

/** Graph's field selection on one node or a list of nodes. */
export const selectFields = select;

/** A Graph cursor naming an item. */
export const cursorOf = (id: string): string => Buffer.from(`AQH${id}`).toString('base64url');
/** The item a cursor names, or null. */
export function idOfCursor(cursor: string): string | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return text.startsWith('AQH') ? text.slice(3) : null;
}

/** One page of an edge: the slice after `after`, and Graph's `paging` object. */
export interface GraphPage<T> {
  items: T[];
  paging: Record<string, unknown> | undefined;
}

/**
 * Pages an edge the way Graph does: `limit` items after the `after` cursor; `paging.cursors` on
 * every non-empty page, `previous` after the first page, `next` only when more follows. The links
 * point at `host` and keep the request's query (`access_token` only if it was sent there).
 */
export function graphPage<T extends { id: string }>(
  request: ModuleRequest,
  host: string,
  items: readonly T[],
  defaultLimit: number,
): GraphPage<T> | ModuleResponse {
  const limitText = request.query.get('limit');
  const limit = limitText === null ? defaultLimit : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1) return graphError(400, 100, `(#100) Param limit must be a positive integer`);
  const after = request.query.get('after');
  let start = 0;
  if (after !== null) {
    const id = idOfCursor(after);
    const at = id === null ? -1 : items.findIndex((item) => item.id === id);
    if (at === -1) return graphError(400, 100, '(#100) The after parameter is not a valid cursor');
    start = at + 1;
  }
  const page = items.slice(start, start + Math.min(limit, 100));
  const link = (name: 'after' | 'before', cursor: string) => {
    const url = new URL(request.path, host);
    for (const [k, v] of request.query) if (k !== 'after' && k !== 'before') url.searchParams.append(k, v);
    if (!url.searchParams.has('limit')) url.searchParams.set('limit', String(limit));
    url.searchParams.set(name, cursor);
    return url.toString();
  };
  const first = page[0];
  const last = page[page.length - 1];
  if (first === undefined || last === undefined) return { items: page, paging: undefined };
  const hasMore = start + page.length < items.length;
  return {
    items: page,
    paging: {
      cursors: { before: cursorOf(first.id), after: cursorOf(last.id) },
      ...(start > 0 && { previous: link('before', cursorOf(first.id)) }),
      ...(hasMore && { next: link('after', cursorOf(last.id)) }),
    },
  };
}

/** Whether a value is an answer (an error) rather than a page. */
export const isResponse = <T>(value: GraphPage<T> | ModuleResponse): value is ModuleResponse => 'status' in value;

/**
 * A Graph failure. Throttling: one of `throttles` (code, HTTP status, message) with Graph's usage
 * headers (`X-App-Usage`, or `X-Business-Use-Case-Usage` whose `estimated_time_to_regain_access`
 * is the wait in whole minutes). Server errors: codes 1 and 2, flagged transient.
 */
export function graphFault(
  kind: SandboxFault,
  context: FaultContext,
  objectId: string,
  useCase: 'pages' | 'instagram',
  throttles: readonly { code: number; status: number; message: string }[],
): ModuleResponse {
  const { random } = context;
  if (kind === 'server-error') {
    return random.chance(0.5)
      ? graphError(500, 1, 'An unknown error has occurred.', { isTransient: true })
      : graphError(500, 2, 'An unexpected error has occurred. Please retry your request later.', { isTransient: true });
  }
  const throttle = random.pick(throttles);
  const isBusinessUseCase = throttle.code >= 80000;
  const headers = isBusinessUseCase
    ? {
        'x-business-use-case-usage': JSON.stringify({
          [objectId]: [
            { type: useCase, call_count: 100, total_cputime: 12, total_time: 30, estimated_time_to_regain_access: Math.floor(context.retryAfterSeconds / 60) },
          ],
        }),
      }
    : { 'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 14, total_time: 22 }) };
  return graphError(throttle.status, throttle.code, throttle.message, { isTransient: true, ...(throttle.code === 17 && { subcode: 2446079 }), headers });
}
