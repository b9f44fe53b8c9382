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
 * - Errors, throttling and paging links: shared with the Instagram adapter (`meta/graph.ts`, which
 *   names its sources).
 * The order of the ratings edge is not documented, so the adapter declares `unordered`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cleanText, dateSchema, defineAdapter } from '../src/index.js';
import { graphErrorDetector, graphNext, graphPaging } from './meta/graph.js';

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

const graphDate = dateSchema();

/**
 * `created_time` read here, so that a rating with an unreadable date is skipped naming the field
 * (`normalize` never throws); the text is kept as sent, because the synthetic id of a story-less
 * rating hashes this exact text.
 */
const createdTime = z
  .string()
  .nullish()
  .transform((text, ctx) => {
    if (!text) return { text: text ?? null, date: null };
    const parsed = graphDate.safeParse(text);
    if (parsed.success) return { text, date: parsed.data };
    ctx.issues.push({ code: 'custom', input: text, message: parsed.error.issues[0]?.message ?? 'not a date' });
    return z.NEVER;
  });

const facebookRating = z.object({
  created_time: createdTime,
  recommendation_type: z.string().nullish(),
  review_text: z.string().nullish(),
  reviewer: z.object({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
  rating: z.number().nullish(),
  has_rating: z.boolean().nullish(),
  has_review: z.boolean().nullish(),
  open_graph_story: z.object({ id: z.string().nullish() }).nullish(),
});

const facebookPage = z.object({ data: z.array(z.unknown()), paging: graphPaging });

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

const detectGraphError = graphErrorDetector({
  explain({ code, mapped, said }) {
    if (code === 12) {
      return (
        `${said}. Page recommendations need Graph API v21.0 or earlier (deprecated from v22.0): ` +
        'set the `apiVersion` option to v21.0 or an earlier version'
      );
    }
    if (mapped === 'FORBIDDEN') {
      return `${said}. Use the Page's own access token with pages_read_user_content (and pages_show_list); a parent Page's token cannot read its child Pages`;
    }
    return undefined;
  },
});

/**
 * A stable id for ratings without `open_graph_story` (mostly pre-2018 star ratings): the same
 * rating hashes to the same id on every run, so dedupe and stored data keep working, and the id
 * does not spell out the reviewer's id or name.
 */
function syntheticId(rating: FacebookRating): string {
  const who = rating.reviewer?.id ?? rating.reviewer?.name ?? '';
  const parts = [who, rating.created_time.text ?? '', rating.recommendation_type ?? '', rating.rating ?? ''];
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
      const next = graphNext(raw.paging, 'facebook', 'the ratings edge');
      yield {
        items: raw.data,
        shared: { page },
        cursor,
        nextCursor: next?.after ?? null,
        reportedTotal: details.rating_count ?? null,
        summary,
      };
      if (next === null) return;
      cursor = next.after;
      raw = await ctx.fetchPage(next.url.toString(), { headers });
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
      createdAt: rating.created_time.date,
      datePrecision: 'instant',
      extra: { hasRating: rating.has_rating ?? null, hasReview: rating.has_review ?? null },
    };
  },
});
