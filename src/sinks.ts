import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { type ErrorCode, ReviewkitError, redact } from './errors.js';
import { backoff, DEFAULT_RETRY, type HttpOverrides, parseRetryAfter, type RetryOptions } from './http.js';
import type { Review } from './review.js';
import type { WatchEvent } from './store/types.js';
import { VERSION } from './version.js';

/** What `watch` hands a sink besides the event. */
export interface SinkContext {
  /** Aborts when the watch stops: a delivery in flight should give up (it stays pending). */
  signal: AbortSignal;
}

/**
 * Where `watch` delivers events: any async function of the event. A delivery that rejects stays
 * pending in the store and is tried again on the next poll, so a sink sees each event once it
 * succeeds (twice only if the process dies between its success and the store's record of it —
 * receivers can drop repeats by `event.id`).
 *
 * `sinkId` names the sink in the store's pending deliveries; `toWebhook` and `toSlack` set one
 * from their URL. A plain function is `sink-<index>` (its position in `sinks`): give it a
 * `sinkId` if you reorder sinks between runs.
 */
export type Sink = ((event: WatchEvent, context?: SinkContext) => Promise<void>) & { readonly sinkId?: string };

/** Options shared by {@link toWebhook} and {@link toSlack}. */
export interface SinkHttpOptions {
  /** Tries per delivery (the first included) and backoff; `Retry-After` is honoured. Default 3 tries from 500 ms. */
  retry?: Partial<RetryOptions>;
  /** Per-request timeout in ms. Default 10 000. */
  timeoutMs?: number;
  /** axios overrides (`proxy`, agents, extra headers). Loopback URLs never use a proxy. */
  http?: HttpOverrides;
}

/** Options of {@link toWebhook}. */
export interface WebhookOptions extends SinkHttpOptions {
  /** The shared secret the signature is made with (at least 16 characters; 32 random bytes is good). */
  secret: string;
}

/** Header carrying the signature: `sha256=` and the hex HMAC-SHA256 of the signed string. */
export const WEBHOOK_SIGNATURE_HEADER = 'x-reviewkit-signature';
/** Header carrying the Unix time (seconds) the request was signed at; part of the signed string. */
export const WEBHOOK_TIMESTAMP_HEADER = 'x-reviewkit-timestamp';
/** Header carrying the event id (also in the body): the same event always has the same id. */
export const WEBHOOK_EVENT_ID_HEADER = 'x-reviewkit-event-id';
/** Default {@link verifyWebhookSignature} tolerance: requests signed more than 5 minutes away from now are refused. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

const DEFAULT_SINK_TIMEOUT_MS = 10_000;
const USER_AGENT = `reviewkit/${VERSION} (+https://www.npmjs.com/package/reviewkit)`;
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;

/** The JSON body {@link toWebhook} posts. */
export interface WebhookBody {
  /** The event id (see `WatchEvent.id`). */
  id: string;
  type: WatchEvent['type'];
  /** The review; dates as ISO 8601 strings. */
  review: Review;
}

/**
 * A sink that POSTs each event as JSON (`{ id, type, review }`) to `url`, signed with
 * HMAC-SHA256 so the receiver can check it came from you and was not replayed:
 *
 * - `X-Reviewkit-Timestamp`: Unix time in seconds when the request was signed;
 * - `X-Reviewkit-Signature`: `sha256=` + hex HMAC-SHA256(secret, `` `${timestamp}.${rawBody}` ``);
 * - `X-Reviewkit-Event-Id`: the event id (the same on every retry).
 *
 * The receiver recomputes the HMAC over the raw body it received, compares in constant time, and
 * refuses timestamps more than a few minutes old ({@link verifyWebhookSignature} does all three).
 * A 2xx answer is success; anything else is retried with backoff (`retry`), then left pending for
 * the next poll. Errors name the receiver's origin only: never the secret, the path or the query.
 *
 * @example
 * watch(adapters, { store, intervalMs: 60_000, sinks: [toWebhook('https://example.com/hooks/reviews', { secret: process.env.HOOK_SECRET! })] });
 */
export function toWebhook(url: string, options: WebhookOptions): Sink {
  const target = checkUrl(url, 'toWebhook');
  const secret = options?.secret;
  if (typeof secret !== 'string' || secret.length < 16) {
    throw new ReviewkitError({ code: 'CONFIG', source: 'webhook', message: 'webhook: option `secret` is required: a string of at least 16 characters (32 random bytes, hex-encoded, is good).' });
  }
  const post = createPoster(target, 'webhook', options, [secret]);
  const sink = async (event: WatchEvent, context?: SinkContext): Promise<void> => {
    const body = JSON.stringify({ id: event.id, type: event.type, review: event.review } satisfies WebhookBody);
    await post(body, context?.signal, () => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      return {
        [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
        [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(secret, timestamp, body),
        [WEBHOOK_EVENT_ID_HEADER]: event.id,
      };
    });
  };
  return Object.assign(sink, { sinkId: `webhook:${digest(url)}` });
}

/**
 * The signature {@link toWebhook} sends for a body signed at `timestamp` (Unix seconds, as the
 * header carries it): `sha256=` + hex HMAC-SHA256(secret, `` `${timestamp}.${body}` ``).
 */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What {@link verifyWebhookSignature} checks. */
export interface VerifyWebhookOptions {
  secret: string;
  /** The raw request body, exactly as received (before any JSON parsing). */
  body: string | Buffer;
  /** The `X-Reviewkit-Timestamp` header. */
  timestamp: string | undefined;
  /** The `X-Reviewkit-Signature` header. */
  signature: string | undefined;
  /** Largest accepted distance between the timestamp and now. Default 300 s. */
  toleranceSeconds?: number;
  /** Now, in ms (tests pin it). Default `Date.now()`. */
  now?: number;
}

/**
 * For receivers: true when a request carries a valid signature made with `secret` within the
 * tolerance (constant-time comparison). Use the raw body: re-serialized JSON would not match.
 *
 * @example
 * const ok = verifyWebhookSignature({ secret, body: rawBody, timestamp: req.headers['x-reviewkit-timestamp'], signature: req.headers['x-reviewkit-signature'] });
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): boolean {
  const { secret, timestamp, signature } = options;
  if (typeof timestamp !== 'string' || !/^\d+$/.test(timestamp) || typeof signature !== 'string') return false;
  const tolerance = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  if (Math.abs((options.now ?? Date.now()) / 1000 - Number(timestamp)) > tolerance) return false;
  const body = typeof options.body === 'string' ? options.body : options.body.toString('utf8');
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A Slack incoming-webhook message. */
export interface SlackMessage {
  /** Plain text: the notification and the fallback where blocks cannot show. */
  text: string;
  /** Block Kit blocks: what Slack shows. */
  blocks: SlackBlock[];
}

/** The Block Kit blocks {@link slackMessage} uses. */
export type SlackBlock =
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> };

/** Options of {@link toSlack}. */
export interface SlackOptions extends SinkHttpOptions {
  /** Builds the message; default {@link slackMessage}. */
  format?: (event: WatchEvent) => SlackMessage;
}

/**
 * A sink that posts each event to a Slack incoming webhook
 * (`https://hooks.slack.com/services/…`) as a readable message ({@link slackMessage}): the
 * stars, the source, the author, an excerpt and a link. The URL's path is its secret: errors
 * show `https://hooks.slack.com/…` only. Slack's rate limit (429 with `Retry-After`) is honoured.
 *
 * @example
 * sinks: [toSlack(process.env.SLACK_WEBHOOK_URL!)]
 */
export function toSlack(webhookUrl: string, options: SlackOptions = {}): Sink {
  const target = checkUrl(webhookUrl, 'toSlack');
  const format = options.format ?? slackMessage;
  const secretParts = target.pathname.split('/').filter((part) => part.length >= 8);
  const post = createPoster(target, 'slack', options, [webhookUrl, target.pathname, ...secretParts]);
  const sink = async (event: WatchEvent, context?: SinkContext): Promise<void> => {
    await post(JSON.stringify(format(event)), context?.signal, () => ({}));
  };
  return Object.assign(sink, { sinkId: `slack:${digest(webhookUrl)}` });
}

const HEADLINES: Record<WatchEvent['type'], string> = {
  new: 'New review',
  updated: 'Review edited',
  'needs-reply': 'Review awaiting a reply',
};
const EXCERPT_CHARS = 500;
const TEXT_EXCERPT_CHARS = 140;

/**
 * The Slack message for an event: `text` is one line (`New review: ★☆☆☆☆ 1/5 on yelp by Jo B. —
 * “Cold soup.”`), `blocks` show the headline with stars and source, the review quoted (title in
 * bold, at most 500 characters), and a context line with the author, the business, the date and
 * a link to the review. Review text is escaped for Slack (`&`, `<`, `>`), so it cannot ping
 * channels or forge links.
 */
export function slackMessage(event: WatchEvent): SlackMessage {
  const review = event.review;
  const headline = HEADLINES[event.type];
  const rating = ratingText(review);
  const author = review.author.name ?? 'Anonymous';
  const subject = review.subject.name ?? review.subject.id;
  const body = [review.title, review.text].filter((part): part is string => part !== null && part.trim() !== '').join(' — ');
  const shortBody = body === '' ? '' : ` — “${truncate(body, TEXT_EXCERPT_CHARS)}”`;
  const quoted =
    body === ''
      ? '_(no text)_'
      : [review.title && `*${escapeSlack(review.title)}*`, review.text && escapeSlack(truncate(review.text, EXCERPT_CHARS))]
          .filter((part): part is string => Boolean(part))
          .join('\n')
          .split('\n')
          .map((line) => `>${line}`)
          .join('\n');
  const facts = [escapeSlack(author), escapeSlack(subject)];
  if (review.createdAt) facts.push(review.createdAt.toISOString().slice(0, 10));
  if (review.url && /^https?:\/\//i.test(review.url)) facts.push(`<${review.url.replace(/[|>]/g, encodeURIComponent)}|Open on ${escapeSlack(review.source)}>`);
  return {
    text: escapeSlack(`${headline}: ${rating} on ${review.source} by ${author}${shortBody}`),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${headline}* · ${rating} · ${escapeSlack(review.source)}` } },
      { type: 'section', text: { type: 'mrkdwn', text: quoted } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: facts.join(' · ') }] },
    ],
  };
}

function ratingText(review: Review): string {
  if (review.stars !== null) {
    const full = Math.round(review.stars);
    return `${'★'.repeat(full)}${'☆'.repeat(5 - full)} ${Number(review.stars.toFixed(1))}/5`;
  }
  if (review.recommendation === 'positive') return 'Recommends';
  if (review.recommendation === 'negative') return 'Does not recommend';
  return 'Unrated';
}

function truncate(text: string, max: number): string {
  const flat = text.trim();
  if (flat.length <= max) return flat;
  return `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Slack's three control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 16);
}

function checkUrl(url: string, name: string): URL {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) {
    throw new ReviewkitError({ code: 'CONFIG', source: name === 'toSlack' ? 'slack' : 'webhook', message: `reviewkit ${name}: the URL must be an http(s) URL.` });
  }
  return parsed;
}

/**
 * A POST with retries through axios — the project's one HTTP stack, so `HTTP(S)_PROXY` and
 * custom agents work as for sources, and loopback never goes through a proxy. Every failure is a
 * `ReviewkitError` naming the receiver's origin only (the path of a webhook URL is often its
 * secret); an `AxiosError`, which holds the request, never escapes.
 */
function createPoster(
  target: URL,
  source: 'webhook' | 'slack',
  options: SinkHttpOptions,
  secrets: readonly string[],
): (body: string, signal: AbortSignal | undefined, headersFor: () => Record<string, string>) => Promise<void> {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const overrides = options.http ?? {};
  const proxy = overrides.proxy ?? (LOOPBACK.test(target.hostname) ? false : undefined);
  const where = `${target.origin}/…`;
  const instance: AxiosInstance = axios.create({
    ...overrides,
    timeout: options.timeoutMs ?? DEFAULT_SINK_TIMEOUT_MS,
    ...(proxy !== undefined && { proxy }),
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    // A redirect would re-send the signed body somewhere else.
    maxRedirects: 0,
  });
  const fail = (code: ErrorCode, detail: string, status?: number, retryAfterMs?: number) =>
    new ReviewkitError({
      code,
      source,
      message: redact(`${source}: POST ${where} ${detail}`, secrets),
      ...(status !== undefined && { status }),
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    });

  return async (body, signal, headersFor) => {
    for (let attempt = 1; ; attempt++) {
      let error: ReviewkitError;
      try {
        const response: AxiosResponse<string> = await instance.post(target.href, body, {
          headers: { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, ...headersFor() },
          ...(signal && { signal }),
        });
        if (response.status >= 200 && response.status < 300) return;
        const retryAfterMs = parseRetryAfter(typeof response.headers['retry-after'] === 'string' ? response.headers['retry-after'] : undefined);
        const text = typeof response.data === 'string' ? response.data.replace(/\s+/g, ' ').trim().slice(0, 120) : '';
        const code: ErrorCode = response.status === 429 ? 'RATE_LIMITED' : response.status === 401 ? 'AUTH' : response.status === 403 ? 'FORBIDDEN' : response.status === 404 ? 'NOT_FOUND' : 'HTTP';
        error = fail(code, `failed with HTTP ${response.status}${text ? `: ${JSON.stringify(text)}` : ''}.`, response.status, retryAfterMs);
      } catch (caught) {
        if (signal?.aborted) throw fail('ABORTED', 'was aborted (the event stays pending).');
        const axiosCode = typeof caught === 'object' && caught !== null && 'code' in caught ? String((caught as { code: unknown }).code) : 'UNKNOWN';
        error =
          axiosCode === 'ECONNABORTED' || axiosCode === 'ETIMEDOUT'
            ? fail('TIMEOUT', `timed out after ${options.timeoutMs ?? DEFAULT_SINK_TIMEOUT_MS} ms.`)
            : fail('NETWORK', `failed (${axiosCode}): the receiver is unreachable.`);
      }
      const isWorthRetrying = error.isRetryable || (error.status ?? 0) >= 500;
      if (!isWorthRetrying || attempt >= retry.attempts) throw error;
      await sleep(backoff(attempt, retry, error.retryAfterMs), signal, () => fail('ABORTED', 'was aborted (the event stays pending).'));
    }
  };
}

function sleep(ms: number, signal: AbortSignal | undefined, aborted: () => ReviewkitError): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted());
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
