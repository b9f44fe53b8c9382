/**
 * Facebook Page recommendations (Graph API `GET /{page-id}/ratings`).
 * Facts followed:
 * - Edge and auth: developers.facebook.com/docs/graph-api/reference/page/ratings (Page access token;
 *   parent-Page tokens cannot read child Pages).
 * - Fields: developers.facebook.com/docs/graph-api/reference/recommendation and the official SDK
 *   (facebook-nodejs-business-sdk `src/objects/recommendation.js`): no `id` field, so
 *   `open_graph_story.id` is the review id. "Deprecated for v22.0 and future versions … will return
 *   error code 12", hence the `v21.0` default.
 * - `recommendation_type` replaced the 1–5 `rating` on 17 Aug 2018
 *   (developers.facebook.com/docs/graph-api/changelog/non-versioned-changes/aug-17-2018); older
 *   ratings keep `rating` and often have no `open_graph_story` (facebookarchive/php-graph-sdk#1189).
 * - Paging: developers.facebook.com/docs/graph-api/results ("next … If not included, this is the
 *   last page of data"; a page may be empty and still have `next`).
 * - Errors and throttling: developers.facebook.com/docs/graph-api/guides/error-handling and
 *   developers.facebook.com/docs/graph-api/overview/rate-limiting (`X-Business-Use-Case-Usage`
 *   carries `estimated_time_to_regain_access` in minutes).
 * The order of the ratings edge is not documented, so the adapter declares `unordered`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cleanText, type DetectedError, defineAdapter, type HttpResponseInfo, parseDate, ReviewkitError, redact } from '../src/index.js';

const DEFAULT_API_VERSION = 'v21.0';
const RATING_FIELDS = 'created_time,recommendation_type,review_text,reviewer,rating,has_rating,has_review,open_graph_story';
const PAGE_FIELDS = 'name,overall_star_rating,rating_count';

const facebookOptions = z.object({
  /** Page access token of the Page itself, with `pages_read_user_content` (+ `pages_show_list`). Sent as `Authorization: Bearer …`. */
  accessToken: z.string().min(1),
  /** Numeric Page id, e.g. `1234567890`. */
  pageId: z.string().min(1),
  /**
   * Graph API version. Default `v21.0`: recommendations are deprecated from v22.0, where Graph
   * answers with error 12 (reported as `CONFIG`). Later versions are accepted in case Meta relents.
   */
  apiVersion: z.string().regex(/^v\d+\.\d+$/, 'must look like v21.0').default(DEFAULT_API_VERSION),
  /** Page size (Graph's default is 25). Graph may return fewer; paging follows `paging.next` regardless. */
  limit: z.number().int().min(1).max(100).optional(),
});

/** Options of {@link facebook}. */
export type FacebookOptions = z.input<typeof facebookOptions>;

const facebookRating = z.object({
  // Kept as sent: the synthetic id of a story-less rating hashes this exact text.
  created_time: z.string().nullish(),
  recommendation_type: z.string().nullish(),
  review_text: z.string().nullish(),
  reviewer: z.object({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
  rating: z.number().nullish(),
  has_rating: z.boolean().nullish(),
  has_review: z.boolean().nullish(),
  open_graph_story: z.object({ id: z.string().nullish() }).nullish(),
});

const facebookPage = z.object({
  data: z.array(z.unknown()),
  paging: z
    .object({
      cursors: z.object({ before: z.string().nullish(), after: z.string().nullish() }).nullish(),
      next: z.string().nullish(),
      previous: z.string().nullish(),
    })
    .nullish(),
});

const facebookPageObject = z.object({
  id: z.string(),
  name: z.string().nullish(),
  overall_star_rating: z.number().nullish(),
  rating_count: z.number().int().nullish(),
});

type FacebookRating = z.output<typeof facebookRating>;

function facebookRatingId(raw: unknown): string | null {
  const story = (raw as { open_graph_story?: { id?: unknown } } | null)?.open_graph_story;
  return typeof story?.id === 'string' ? story.id : null;
}

const graphErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number(),
    error_subcode: z.number().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

// Throttling: 4 app, 17 user, 32 Page, 613 custom, 80001 Pages business use case.
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001]);
// Graph access tokens (`EAA…`) a message might quote; declared secrets are redacted by the core too.
const TOKEN_LIKE = /\bEAA[A-Za-z0-9]{16,}/g;

function graphCode(code: number, subcode: number | undefined): DetectedError['code'] {
  if (RATE_LIMIT_CODES.has(code)) return 'RATE_LIMITED';
  if (code === 190 || code === 102) return 'AUTH';
  if (code === 10 || (code >= 200 && code <= 299)) return 'FORBIDDEN';
  if ((code === 100 && subcode === 33) || code === 803) return 'NOT_FOUND';
  if (code === 12) return 'CONFIG';
  return undefined;
}

/** Graph reports every failure as `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`, often with HTTP 400/403 even for throttling. */
function detectGraphError(response: HttpResponseInfo): DetectedError | undefined {
  const parsed = graphErrorBody.safeParse(response.body);
  if (!parsed.success) return undefined;
  const { message, code, error_subcode: subcode, fbtrace_id: traceId } = parsed.data.error;
  const mapped = graphCode(code, subcode);
  const said = redact(message ?? 'Graph API error').replace(TOKEN_LIKE, '[REDACTED]');
  const ids = [subcode !== undefined && `subcode ${subcode}`, traceId && `fbtrace_id ${traceId}`].filter(Boolean);
  const where = ids.length > 0 ? ` (${ids.join(', ')})` : '';
  const detected: DetectedError = { vendorCode: String(code), message: `${said}${where}` };
  if (mapped) detected.code = mapped;
  if (code === 12) {
    detected.message =
      `${said}${where}. Page recommendations need Graph API v21.0 or earlier (deprecated from v22.0): ` +
      'set the `apiVersion` option to v21.0 or an earlier version';
  } else if (mapped === 'FORBIDDEN') {
    detected.message =
      `${said}${where}. Use the Page's own access token with pages_read_user_content (and pages_show_list); ` +
      "a parent Page's token cannot read its child Pages";
  }
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

/**
 * `paging.next` as a URL with its `access_token` removed: the token travels in the Authorization
 * header, so it never sits in a URL that could reach a log or an error. The core rebases the URL
 * onto the configured origin (`baseUrl`).
 */
function nextUrl(next: string): URL {
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    throw new ReviewkitError({ code: 'BAD_RESPONSE', source: 'facebook', message: 'facebook: `paging.next` is not a URL; please report it.' });
  }
  url.searchParams.delete('access_token');
  return url;
}

/**
 * A stable id for ratings without `open_graph_story` (mostly pre-2018 star ratings): the same
 * rating hashes to the same id on every run, so dedupe and stored data keep working, and the id
 * does not spell out the reviewer's id or name.
 */
function syntheticId(rating: FacebookRating): string {
  const who = rating.reviewer?.id ?? rating.reviewer?.name ?? '';
  const parts = [who, rating.created_time ?? '', rating.recommendation_type ?? '', rating.rating ?? ''];
  return createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

function recommendationOf(value: string | null | undefined): 'positive' | 'negative' | null {
  return value === 'positive' || value === 'negative' ? value : null;
}

/**
 * Recommendations (and legacy 1–5 star reviews) of one Facebook Page. Recommendations stay on the
 * yes/no channel (`recommendation`), never turned into stars; only legacy reviews carry a `rating`.
 *
 * @example
 * const source = facebook({ accessToken: process.env.FB_PAGE_TOKEN!, pageId: '1234567890' });
 */
export const facebook = defineAdapter({
  name: 'facebook',
  options: facebookOptions,
  baseUrl: 'https://graph.facebook.com',
  subjectId: (o) => o.pageId,
  secrets: (o) => [o.accessToken],
  detectError: detectGraphError,
  page: facebookPage,
  item: facebookRating,
  itemId: facebookRatingId,
  async *pages(ctx) {
    const { accessToken, pageId, apiVersion, limit } = ctx.options;
    const headers = { Authorization: `Bearer ${accessToken}` };
    const pagePath = `/${apiVersion}/${encodeURIComponent(pageId)}`;
    const details = await ctx.http.get(pagePath, { headers, schema: facebookPageObject, query: { fields: PAGE_FIELDS } });
    const page = { id: details.id, name: details.name ?? null };
    const summary = { average: details.overall_star_rating ?? null, count: details.rating_count ?? null };

    let cursor = ctx.cursor;
    let raw = await ctx.fetchPage(`${pagePath}/ratings`, {
      headers,
      query: { fields: RATING_FIELDS, limit, after: cursor ?? undefined },
    });
    for (;;) {
      // Only `next` says there is more: the last page carries cursors too.
      const next = raw.paging?.next ? nextUrl(raw.paging.next) : null;
      const nextCursor = next === null ? null : (raw.paging?.cursors?.after ?? next.searchParams.get('after'));
      if (next !== null && nextCursor === null) {
        throw new ReviewkitError({
          code: 'PAGINATION',
          source: 'facebook',
          message: 'facebook: a ratings page has a `paging.next` link without an `after` cursor; please report it.',
        });
      }
      yield {
        items: raw.data,
        shared: { page },
        cursor,
        nextCursor,
        reportedTotal: details.rating_count ?? null,
        summary,
      };
      if (next === null) return;
      cursor = nextCursor;
      raw = await ctx.fetchPage(next.toString(), { headers });
    }
  },
  normalize(rating, { shared: { page } }) {
    const stars = rating.rating;
    return {
      externalId: rating.open_graph_story?.id || syntheticId(rating),
      subject: page,
      // Graph documents no permalink for a recommendation.
      url: null,
      author: rating.reviewer ? { name: rating.reviewer.name ?? null, id: rating.reviewer.id ?? null } : null,
      rating: stars !== null && stars !== undefined && stars >= 1 && stars <= 5 ? { value: stars, min: 1, max: 5 } : null,
      recommendation: recommendationOf(rating.recommendation_type),
      text: cleanText(rating.review_text, { html: false }),
      // Graph sends `2024-02-11T19:03:52+0000`: always with an offset.
      createdAt: rating.created_time ? parseDate(rating.created_time) : null,
      datePrecision: 'instant',
      extra: { hasRating: rating.has_rating ?? null, hasReview: rating.has_review ?? null },
    };
  },
});
