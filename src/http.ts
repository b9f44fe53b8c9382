import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { TextDecoder } from 'node:util';
import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import { type ErrorCode, ReviewkitError, redact } from './errors.js';
import { VERSION } from './version.js';

/**
 * Overrides for the underlying axios requests: proxy, agents, extra headers, limits.
 * Everything else (timeouts, retries, base URL) is reviewkit's.
 */
export type HttpOverrides = Pick<
  AxiosRequestConfig,
  'proxy' | 'httpAgent' | 'httpsAgent' | 'headers' | 'maxContentLength' | 'maxRedirects' | 'decompress' | 'lookup'
>;

/** Retry policy. `attempts` counts the first try (1 = never retry). */
export interface RetryOptions {
  /** Total tries per request, the first included. Default 3. */
  attempts: number;
  /** Backoff base: the n-th retry waits about `baseDelayMs * 2^(n-1)`, with jitter. Default 500. */
  baseDelayMs: number;
  /** No wait, `Retry-After` included, exceeds this. Default 30 000. */
  maxDelayMs: number;
}

/** Defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 };
/** Default per-request timeout in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default cap on a response body, in bytes. */
export const DEFAULT_MAX_CONTENT_LENGTH = 20 * 1024 * 1024;

/** A response as an adapter's error detector sees it. */
export interface HttpResponseInfo {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the body was JSON, else the raw text. */
  body: unknown;
}

/** What an adapter says about an error response (any field may be omitted). */
export interface DetectedError {
  code?: ErrorCode;
  message?: string;
  vendorCode?: string;
  retryAfterMs?: number;
  /** What the user should do, replacing the default advice for the code (written for JSON APIs). */
  advice?: string;
  /**
   * `false` when retrying cannot help (a daily quota, say), even for a retryable code; `true`
   * when the source says a retry may succeed although the status does not (an error in a
   * 200 body, like Google's `UNKNOWN_ERROR`). Default: decided by code and status.
   */
  retry?: boolean;
}

/** Tells whether a response is an error, and which. Called for every response, 2xx too. */
export type ErrorDetector = (response: HttpResponseInfo) => DetectedError | undefined;

/** One request made through the context's HTTP client. */
export interface RequestOptions<S extends z.ZodType = z.ZodType> {
  /** Query parameters; `undefined` values are left out. */
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  /** Extra headers (auth headers go here; their values are redacted from every error). */
  headers?: Record<string, string>;
  /** zod schema the body must match; a mismatch is a `BAD_RESPONSE` error naming the field. */
  schema?: S;
  /** `json` (default) parses the body; `text` returns it as a string (for HTML pages). */
  responseType?: 'json' | 'text';
  /** A request body, sent as JSON (writes). */
  body?: unknown;
  /**
   * Another origin of the same source for this request (Yelp's partner API beside its public one:
   * `https://partner-api.yelp.com`). Ignored when the user set `baseUrl` (a proxy, the sandbox):
   * then every request goes there. Only for origins the adapter names itself, never ones read
   * from a response: credentials travel with the request.
   */
  origin?: string;
  /**
   * Tries for this request, overriding the run's `retry.attempts`. `1` for writes that must not be
   * repeated blindly (a comment posted twice): read back first, then decide.
   */
  attempts?: number;
}

/** HTTP methods the client sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The HTTP client an adapter gets in its context. */
export interface HttpClient {
  /**
   * GET a path on the source's origin (`/v3/businesses/x/reviews`) — or an absolute URL, which
   * is rebased onto the configured origin so `baseUrl` proxies and fixture servers keep working.
   * Retries, rate limits, timeouts and error mapping happen here.
   */
  get<S extends z.ZodType>(path: string, options: RequestOptions<S> & { schema: S }): Promise<z.output<S>>;
  get(path: string, options?: RequestOptions): Promise<unknown>;
  /**
   * Any method, as {@link HttpClient.get} (writes: a reply posted, replaced or deleted). A success
   * with an empty body (201, 204) gives `null`.
   */
  request<S extends z.ZodType>(method: HttpMethod, path: string, options: RequestOptions<S> & { schema: S }): Promise<z.output<S>>;
  request(method: HttpMethod, path: string, options?: RequestOptions): Promise<unknown>;
}

/** A retry about to happen (reported through progress events). */
export interface RetryInfo {
  attempt: number;
  delayMs: number;
  error: ReviewkitError;
}

/** Settings of {@link createHttpClient}. */
export interface HttpClientConfig {
  source: string;
  baseUrl: string;
  secrets?: readonly string[];
  detectError?: ErrorDetector;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Most requests started per second for this client (a source's own limit). */
  requestsPerSecond?: number;
  signal?: AbortSignal;
  overrides?: HttpOverrides;
  onRetry?: (info: RetryInfo) => void;
  /** True when `baseUrl` is the user's (a proxy, a sandbox): a request's own `origin` is then ignored. */
  isBaseUrlOverridden?: boolean;
}

// An adapter's retry verdict on an error (kept off the error object to keep it plain).
const RETRY_VERDICT = new WeakMap<ReviewkitError, boolean>();
const USER_AGENT = `reviewkit/${VERSION} (+https://www.npmjs.com/package/reviewkit)`;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;
const SECRET_HEADERS = /^(authorization|apikey|api-key|x-api-key|x-goog-api-key|cookie)$/i;

/**
 * Creates the HTTP client adapters use: one per source run. Never throws an `AxiosError`:
 * every failure becomes a {@link ReviewkitError} with secrets removed.
 */
export function createHttpClient(config: HttpClientConfig): HttpClient {
  const origin = new URL(config.baseUrl);
  const retry = { ...DEFAULT_RETRY, ...config.retry };
  const overrides = config.overrides ?? {};
  const proxy = overrides.proxy ?? (LOOPBACK.test(origin.hostname) ? false : undefined);
  const instance: AxiosInstance = axios.create({
    httpAgent: sharedAgents().http,
    httpsAgent: sharedAgents().https,
    ...overrides,
    baseURL: origin.origin + origin.pathname.replace(/\/$/, ''),
    timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxContentLength: overrides.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH,
    // axios would route loopback traffic through HTTP_PROXY; a local sandbox never wants that.
    ...(proxy !== undefined && { proxy }),
    headers: { 'User-Agent': USER_AGENT, Accept: 'application/json', ...flatHeaders(overrides.headers) },
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
  });
  const throttle = createThrottle(config.requestsPerSecond);
  const baseSecrets = [...(config.secrets ?? []), ...secretHeaderValues(overrides.headers)];

  async function request(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<unknown> {
    const url = relativeTo(path);
    const secrets = options.headers ? [...baseSecrets, ...secretHeaderValues(options.headers)] : baseSecrets;
    const target = options.origin !== undefined && !config.isBaseUrlOverridden ? new URL(options.origin) : origin;
    const context = errorContext(config, method, secrets, () => describeUrl(target, url, options.query));
    const attempts = options.attempts ?? retry.attempts;
    for (let attempt = 1; ; attempt++) {
      let error: ReviewkitError;
      try {
        await throttle(config.signal);
        const response = await send(instance, method, target === origin ? url : new URL(url, target).toString(), options, config.signal);
        return interpret(response, method, options, context);
      } catch (caught) {
        error = toReviewkitError(caught, context);
      }
      const isWorthRetrying = RETRY_VERDICT.get(error) ?? error.isRetryable;
      if (error.code === 'ABORTED' || !isWorthRetrying || attempt >= attempts) throw error;
      // The source named a wait longer than the run may wait: an early retry would only fail again.
      if (error.retryAfterMs !== undefined && error.retryAfterMs > retry.maxDelayMs) throw error;
      const delayMs = backoff(attempt, retry, error.retryAfterMs);
      config.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, config.signal, context);
    }
  }
  return { get: (path: string, options?: RequestOptions) => request('GET', path, options), request } as HttpClient;
}

let agents: { http: HttpAgent; https: HttpsAgent } | undefined;

/**
 * Keep-alive agents shared by every source: connections are reused across requests and runs.
 * axios handed no agent costs about twice the client time per request on loopback (measured with
 * bench/fetch.ts). `http: { httpAgent, httpsAgent }` still replaces them.
 */
function sharedAgents(): { http: HttpAgent; https: HttpsAgent } {
  agents ??= { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  return agents;
}

interface Context {
  config: HttpClientConfig;
  method: HttpMethod;
  secrets: readonly string[];
  /** The request URL with secrets removed: built on first use, since only failures need it. */
  readonly url: string;
}

function errorContext(config: HttpClientConfig, method: HttpMethod, secrets: readonly string[], describe: () => string): Context {
  let url: string | undefined;
  return {
    config,
    method,
    secrets,
    get url() {
      url ??= redact(describe(), secrets);
      return url;
    },
  };
}

function send(
  instance: AxiosInstance,
  method: HttpMethod,
  url: string,
  options: RequestOptions,
  signal: AbortSignal | undefined,
): Promise<AxiosResponse<string | ArrayBuffer>> {
  return instance.request<string | ArrayBuffer>({
    method,
    url,
    ...(options.body !== undefined && { data: JSON.stringify(options.body), headers: { 'Content-Type': 'application/json', ...options.headers } }),
    ...(options.body === undefined && options.headers && { headers: options.headers }),
    ...(options.query && { params: compactQuery(options.query) }),
    ...(signal && { signal }),
    // Pages (HTML) come in any charset; JSON is UTF-8 by definition (RFC 8259).
    ...(options.responseType === 'text' && { responseType: 'arraybuffer' }),
    // Web pages redirect (http → https, www.): follow as a browser does, credentials dropped on a
    // host change. An API that redirects has moved: that is reported, not followed with the
    // user's key, and it spares every API request the redirect machinery (a third of axios's time).
    maxRedirects: options.responseType === 'text' ? 5 : 0,
    paramsSerializer: { indexes: null },
  });
}

function interpret(response: AxiosResponse<string | ArrayBuffer>, method: HttpMethod, options: RequestOptions, ctx: Context): unknown {
  const headers = lowerHeaders(response.headers);
  const text = bodyText(response.data, headers['content-type']);
  const status = response.status;
  const wantsText = options.responseType === 'text';
  // A write answered with no body (201 Created, 204 No Content) succeeded with nothing to say.
  const isEmptyWriteAnswer = method !== 'GET' && text.trim() === '';
  const parsed = wantsText ? { ok: true as const, value: text } : isEmptyWriteAnswer ? { ok: true as const, value: null } : parseJson(text);
  const info: HttpResponseInfo = { status, headers, body: parsed.ok ? parsed.value : text };
  const detected = ctx.config.detectError?.(info);
  const isSuccess = status >= 200 && status < 300;
  if (detected || !isSuccess) throw responseError(info, detected, ctx);
  if (!parsed.ok) {
    const kind = looksLikeHtml(text, headers['content-type']) ? 'an HTML page' : 'malformed JSON';
    throw new ReviewkitError({
      code: 'BAD_RESPONSE',
      source: ctx.config.source,
      status,
      url: ctx.url,
      message: `${ctx.config.source}: expected JSON from ${ctx.method} ${ctx.url} but got ${kind} (${snippet(text, ctx.secrets)}). A proxy, captive portal or API change may be in the way.`,
    });
  }
  if (!options.schema) return parsed.value;
  const result = options.schema.safeParse(parsed.value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  throw new ReviewkitError({
    code: 'BAD_RESPONSE',
    source: ctx.config.source,
    status,
    url: ctx.url,
    message: `${ctx.config.source}: response from ${ctx.method} ${ctx.url} does not match the expected shape at ${where}: ${issue?.message ?? 'invalid'}. The API may have changed; please report it.`,
  });
}

function responseError(info: HttpResponseInfo, detected: DetectedError | undefined, ctx: Context): ReviewkitError {
  const code = detected?.code ?? codeForStatus(info.status);
  const retryAfterMs = detected?.retryAfterMs ?? parseRetryAfter(info.headers['retry-after']);
  // The vendor code is read off the body like the message: a source may echo a credential in it.
  const vendorCode = detected?.vendorCode === undefined ? undefined : redact(detected.vendorCode, ctx.secrets);
  const vendor = vendorCode ? ` ${vendorCode}` : '';
  const detail = detected?.message ?? (typeof info.body === 'string' ? snippet(info.body, ctx.secrets) : '');
  const advice = detected?.advice ?? (isRedirect(info) ? redirectAdvice(info.headers.location) : ADVICE[code]);
  const message = redact(
    `${ctx.config.source}: ${ctx.method} ${ctx.url} failed with HTTP ${info.status}${vendor}${detail ? `: ${detail}` : ''}. ${advice}`,
    ctx.secrets,
  );
  const error = new ReviewkitError({
    code,
    source: ctx.config.source,
    status: info.status,
    url: ctx.url,
    message,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
    ...(vendorCode !== undefined && { vendorCode }),
  });
  if (detected?.retry !== undefined) RETRY_VERDICT.set(error, detected.retry);
  return error;
}

const ADVICE: Record<ErrorCode, string> = {
  CONFIG: 'Check the adapter options.',
  AUTH: 'Check the API key or access token (missing, invalid or expired).',
  FORBIDDEN: 'The credentials lack a permission or plan this endpoint needs.',
  NOT_FOUND: 'Check the business / place / page id.',
  RATE_LIMITED: 'The source is rate limiting; retry later or lower the request rate.',
  HTTP: 'The source reported an error; retry later.',
  NETWORK: 'Check connectivity, DNS and proxy settings.',
  TIMEOUT: 'Raise timeoutMs or retry later.',
  BAD_RESPONSE: 'The API may have changed; please report it.',
  PAGINATION: 'The source kept returning pages; please report it.',
  ABORTED: 'The caller aborted the run.',
};

function isRedirect(info: HttpResponseInfo): boolean {
  return info.status >= 300 && info.status < 400 && info.headers.location !== undefined;
}

function redirectAdvice(location: string | undefined): string {
  let where = 'another address';
  try {
    where = new URL(location ?? '').origin;
  } catch {
    // a relative Location: the same origin, another path
  }
  return `The API answered with a redirect to ${where}: it may have moved. Redirects of API calls are not followed (your credentials would travel with them); set \`baseUrl\` to the new origin if it did.`;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'AUTH';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404 || status === 410) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408) return 'TIMEOUT';
  if (status >= 200 && status < 300) return 'BAD_RESPONSE';
  return 'HTTP';
}

/** Exponential backoff with equal jitter, or the source's own `Retry-After`, capped at `maxDelayMs`. */
export function backoff(attempt: number, retry: RetryOptions, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retry.maxDelayMs, Math.max(0, retryAfterMs));
  const exp = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (Math.random() * exp) / 2);
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    // Hundreds of digits are a number no wait can be: no wait at all rather than Infinity.
    const ms = Math.round(Number(trimmed) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function toReviewkitError(caught: unknown, ctx: Context): ReviewkitError {
  if (ReviewkitError.is(caught)) return caught;
  const source = ctx.config.source;
  const base = { source, url: ctx.url };
  if (ctx.config.signal?.aborted) {
    return new ReviewkitError({ ...base, code: 'ABORTED', message: `${source}: aborted by the caller during ${ctx.method} ${ctx.url}.` });
  }
  // Copy only the code and a redacted message: the AxiosError's config holds credentials.
  const axiosCode = typeof caught === 'object' && caught !== null && 'code' in caught ? String(caught.code) : 'UNKNOWN';
  const rawMessage = caught instanceof Error ? caught.message : String(caught);
  const cause = new Error(redact(rawMessage, ctx.secrets));
  cause.name = axiosCode;
  if (axiosCode === 'ECONNABORTED' || axiosCode === 'ETIMEDOUT') {
    return new ReviewkitError({ ...base, code: 'TIMEOUT', cause, message: `${source}: ${ctx.method} ${ctx.url} timed out. ${ADVICE.TIMEOUT}` });
  }
  if (axiosCode === 'ERR_BAD_RESPONSE' || /maxContentLength/.test(rawMessage)) {
    return new ReviewkitError({
      ...base,
      code: 'BAD_RESPONSE',
      cause,
      message: `${source}: ${ctx.method} ${ctx.url} returned an unreadable or oversized body (${cause.message}).`,
    });
  }
  return new ReviewkitError({
    ...base,
    code: 'NETWORK',
    cause,
    message: `${source}: ${ctx.method} ${ctx.url} failed (${axiosCode}: ${cause.message}). ${ADVICE.NETWORK}`,
  });
}

function sleep(ms: number, signal: AbortSignal | undefined, ctx: Context): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(ctx));
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(abortError(ctx));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(ctx: Context): ReviewkitError {
  return new ReviewkitError({ code: 'ABORTED', source: ctx.config.source, message: `${ctx.config.source}: aborted by the caller.` });
}

/** Spaces request starts so that at most `rps` begin in any second. */
function createThrottle(rps: number | undefined): (signal?: AbortSignal) => Promise<void> {
  if (!rps || rps <= 0 || !Number.isFinite(rps)) return async () => {};
  const interval = 1000 / rps;
  let next = 0;
  return async (signal) => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + interval;
    if (at > now) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, at - now);
        // An abort ends the wait early; the request that follows sees the signal and stops.
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  };
}

function relativeTo(path: string): string {
  if (!/^https?:\/\//i.test(path)) return path;
  // Absolute URLs from the source (paging links) are rebased onto the configured origin.
  const url = new URL(path);
  return url.pathname + url.search;
}

function describeUrl(origin: URL, path: string, query: RequestOptions['query']): string {
  const url = new URL(origin.pathname.replace(/\/$/, '') + path, origin.origin);
  for (const [k, v] of Object.entries(compactQuery(query ?? {}))) {
    for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
  }
  return url.toString();
}

function compactQuery(query: NonNullable<RequestOptions['query']>): Record<string, string | number | boolean | readonly string[]> {
  const out: Record<string, string | number | boolean | readonly string[]> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) out[k] = v;
  return out;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * The body as text: strings as they are; bytes decoded by the charset the `Content-Type` header
 * names, else a `<meta charset>` near the start, else UTF-8 (the WHATWG default order, simplified).
 */
function bodyText(data: string | ArrayBuffer | null | undefined, contentType: string | undefined): string {
  if (typeof data === 'string') return data;
  if (data === null || data === undefined) return '';
  const bytes = new Uint8Array(data);
  const declared = /charset="?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ?? sniffMetaCharset(bytes);
  return decoderFor(declared).decode(bytes);
}

function sniffMetaCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
}

function decoderFor(label: string | undefined): TextDecoder {
  try {
    return new TextDecoder(label ?? 'utf-8');
  } catch {
    // An unknown label: UTF-8, as browsers fall back.
    return new TextDecoder('utf-8');
  }
}

function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  return /html/i.test(contentType ?? '') || /^\s*<(!doctype|html|head|body)/i.test(text);
}

function snippet(text: string, secrets: readonly string[]): string {
  // Redact before cutting: a secret cut in half would no longer match and leak its first characters.
  const flat = redact(text, secrets).replace(/\s+/g, ' ').trim();
  const cut = flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
  return cut === '' ? 'empty body' : JSON.stringify(cut);
}

function lowerHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
      if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    }
  }
  return out;
}

function flatHeaders(headers: HttpOverrides['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers && typeof headers === 'object') {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    }
  }
  return out;
}

function secretHeaderValues(headers: unknown): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(flatHeaders(headers as HttpOverrides['headers']))) {
    if (SECRET_HEADERS.test(k)) out.push(v, v.replace(/^bearer\s+/i, ''));
  }
  return out;
}
