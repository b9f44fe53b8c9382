/**
 * App Store customer reviews from Apple's public customer-reviews feed (JSON flavour), no auth:
 * `GET https://itunes.apple.com/{cc}/rss/customerreviews/page={1..10}/id={appId}/sortby={mostrecent|mosthelpful}/json`.
 * Apple documents neither the feed nor its errors; facts followed (apis.md §7a, checked against captures):
 * - Shape: DayBySay/Reviewer `Tests/ReviewerTests/Fixture.swift` (a 2020 capture: every value a
 *   string inside `{label}`, no per-entry `updated`, `first/last/previous/next` links pointing at
 *   `…/xml?urlDesc=…` whose query repeats `page=1`); tema4p/AppStoreReview (2017 capture: an
 *   app-metadata entry with `im:name`, `im:image`, `im:price` and no `im:rating` before the reviews);
 *   later feeds carry `updated` per entry (`2026-09-10T11:02:00-07:00`).
 * - At most 10 pages of 50 per storefront (~500 reviews): zeyaddeeb/itunes `R/get-reviews.R`
 *   ("the most recent 500 will be retrieved … a limitation of rss feeds").
 * - A lone entry may arrive as an object instead of a one-element array (XML→JSON artefact) [mem].
 */
import { z } from 'zod';
import { type AdapterPage, cleanText, dateSchema, defineAdapter, parseDate, ReviewkitError } from '../../src/index.js';

const SOURCE = 'app-store';
/** The feed serves pages 1–10 and no further. */
const MAX_PAGES = 10;
/** Reviews per feed page. */
const PAGE_SIZE = 50;

const storefront = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be a two-letter storefront code like us or gb')
  .transform((cc) => cc.toLowerCase());

const feedOptions = z.object({
  /** Numeric App Store id, the digits after `id` in the app's URL (`284882215`, or `id284882215`). */
  appId: z
    .string()
    .regex(/^(id)?\d+$/, 'must be the numeric App Store id, e.g. 284882215')
    .transform((id) => id.replace(/^id/, '')),
  /** Storefront (two-letter country code) to read. Default `us`. Leave it out when giving `countries`. */
  country: storefront.optional(),
  /**
   * Several storefronts to read one after another, e.g. `['us', 'gb', 'de']`; a review listed in
   * two storefronts is kept once (from the first). Replaces `country`.
   */
  countries: z.array(storefront).min(1).optional(),
  /** `mostrecent` (default; newest first, so `since` stops paging) or `mosthelpful`. */
  sort: z.enum(['mostrecent', 'mosthelpful']).default('mostrecent'),
}).refine((o) => o.country === undefined || o.countries === undefined, {
  path: ['countries'],
  message: 'give either `country` or `countries`, not both',
});

/** Options of {@link appStore}. */
export type AppStoreOptions = z.input<typeof feedOptions>;
type FeedOptions = z.output<typeof feedOptions>;

const label = z.object({ label: z.string() });
// A count of hundreds of digits is Infinity: refused, like any other count no number can hold.
const count = z.object({ label: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.int()) });

const feedEntry = z.object({
  id: z.object({ label: z.string().min(1) }),
  author: z.object({ name: label.optional(), uri: label.optional() }).optional(),
  // Missing in older JSON feeds: such reviews keep `createdAt: null`.
  updated: z.object({ label: dateSchema() }).optional(),
  'im:rating': z.object({ label: z.string().regex(/^[1-5]$/, 'must be 1 to 5').transform(Number) }),
  'im:version': label.optional(),
  title: label.optional(),
  content: z.object({ label: z.string(), attributes: z.object({ type: z.string().optional() }).optional() }).optional(),
  'im:voteSum': count.optional(),
  'im:voteCount': count.optional(),
});

const feedLink = z.object({ attributes: z.object({ rel: z.string().optional(), href: z.string().optional() }).optional() });

// The envelope: what paging needs. Entries are checked one by one (`item`), after the metadata entry is set aside.
const feedPage = z.object({
  feed: z.object({
    entry: z.union([z.array(z.unknown()), z.looseObject({})]).optional(),
    link: z.union([z.array(feedLink), feedLink]).optional(),
  }),
});

interface FeedShared {
  subject: { id: string; name: string | null };
  country: string;
}

/** The entry's review id (`id.label`), for skip reports and cross-storefront dedupe. */
function entryId(raw: unknown): string | null {
  const id = (raw as { id?: { label?: unknown } } | null)?.id?.label;
  return typeof id === 'string' && id !== '' ? id : null;
}

/** Older feeds open page 1 with the app itself: it has `im:name` and no rating. */
function appNameOf(raw: unknown): string | null | undefined {
  if (typeof raw !== 'object' || raw === null || !('im:name' in raw) || 'im:rating' in raw) return undefined;
  const name = (raw as { 'im:name'?: { label?: unknown } })['im:name']?.label;
  return typeof name === 'string' ? cleanText(name, { html: false }) : null;
}

/**
 * The page count from the `rel=last` link: `…/customerreviews/page=8/id=…/xml?urlDesc=…/page=1/json`.
 * Only the path counts (the query repeats `page=1`); the link itself (XML) is never followed.
 */
function lastPageOf(links: z.output<typeof feedPage>['feed']['link']): number | null {
  const list = links === undefined ? [] : Array.isArray(links) ? links : [links];
  const href = list.find((link) => link.attributes?.rel === 'last')?.attributes?.href;
  if (href === undefined) return null;
  let path: string;
  try {
    path = new URL(href).pathname;
  } catch {
    return null;
  }
  const match = /\/page=(\d+)\//.exec(path);
  return match ? Number(match[1]) : null;
}

/** The entry's date, when it has a readable one (for the per-storefront `since` stop). */
function entryTime(raw: unknown): number | null {
  const value = (raw as { updated?: { label?: unknown } } | null)?.updated?.label;
  if (typeof value !== 'string') return null;
  try {
    return parseDate(value).getTime();
  } catch {
    return null;
  }
}

/** Storefronts to read, in order, without repeats. */
function storefrontsOf(options: FeedOptions): string[] {
  return [...new Set(options.countries ?? [options.country ?? 'us'])];
}

/** `us:3`: the storefront and the page that fetches this page again. */
function parseCursor(cursor: string, storefronts: readonly string[]): { index: number; page: number } {
  const match = /^([a-z]{2}):(\d+)$/.exec(cursor);
  const index = match ? storefronts.indexOf(match[1] as string) : -1;
  const page = match ? Number(match[2]) : 0;
  if (index < 0 || page < 1 || page > MAX_PAGES) {
    throw new ReviewkitError({
      code: 'CONFIG',
      source: SOURCE,
      message: `${SOURCE}: option \`cursor\` must be a cursor from an app-store SourceReport of the same storefronts (like us:2).`,
    });
  }
  return { index, page };
}

/**
 * Reviews of one app from the App Store's public customer-reviews feed: no credentials, any app,
 * any storefront. Apple serves at most 10 pages of 50 reviews per storefront: when the tenth page
 * is full, the report says `coverage: { complete: false, reason: 'platform-limit' }`. For every
 * review of your own app, with your responses, use {@link appStoreConnect}.
 *
 * With `sort: 'mostrecent'` (default) reviews come newest first and `since` stops paging at the
 * first page reaching past it. `countries` reads several storefronts and keeps each review once.
 *
 * @example
 * const source = appStore({ appId: '284882215', country: 'gb' });
 */
export const appStore = defineAdapter({
  name: SOURCE,
  options: feedOptions,
  baseUrl: 'https://itunes.apple.com',
  subjectId: (o) => o.appId,
  // Over several storefronts the listing restarts at each one: the engine's early stop would end the
  // run after the first, so `since` is then handled per storefront below and the whole is unordered.
  order: (o) => (o.sort === 'mostrecent' && storefrontsOf(o).length === 1 ? 'newest-first' : 'unordered'),
  // Connect reviews share the source name and app id: only the feed's own (which carry `country`)
  // are the feed's, so `reply()` finds the Connect adapter for the others.
  owns: (review, o) => review.source === SOURCE && review.subject.id === o.appId && 'country' in review.extra,
  // The feed only reads; responses go through App Store Connect's customerReviewResponses (apis.md §12.5).
  reply: {
    unsupported:
      "the App Store's public reviews feed only reads: responses need the App Store Connect API (the appStoreConnect adapter, with an " +
      'App Store Connect API key allowed to respond to reviews); read the review there and answer that one.',
  },
  page: feedPage,
  item: feedEntry,
  itemId: entryId,
  async *pages(ctx): AsyncGenerator<AdapterPage<unknown, FeedShared>> {
    const { appId, sort } = ctx.options;
    const storefronts = storefrontsOf(ctx.options);
    const start = ctx.cursor === null ? { index: 0, page: 1 } : parseCursor(ctx.cursor, storefronts);
    const sinceMs = sort === 'mostrecent' && ctx.since !== null ? ctx.since.getTime() : null;
    const seen = new Set<string>();
    for (let index = start.index; index < storefronts.length; index++) {
      const country = storefronts[index] as string;
      const nextStorefront = storefronts[index + 1];
      let name: string | null = null;
      for (let page = index === start.index ? start.page : 1; ; page++) {
        const { feed } = await ctx.fetchPage(`/${country}/rss/customerreviews/page=${page}/id=${appId}/sortby=${sort}/json`);
        const entries = feed.entry === undefined ? [] : Array.isArray(feed.entry) ? feed.entry : [feed.entry];
        const listed: unknown[] = [];
        for (const entry of entries) {
          const appName = appNameOf(entry);
          if (appName === undefined) listed.push(entry);
          else name ??= appName;
        }
        const reviews = listed.filter((entry) => {
          const id = entryId(entry);
          if (id === null) return true;
          if (seen.has(id)) return false;
          seen.add(id);
          return true;
        });
        const lastPage = lastPageOf(feed.link);
        // Undated entries (older feeds) can't say they are past `since`.
        const isPastSince = sinceMs !== null && listed.some((entry) => (entryTime(entry) ?? sinceMs) < sinceMs);
        const hasMore = listed.length > 0 && !isPastSince && page < Math.min(lastPage ?? page, MAX_PAGES);
        // Page 10 full, or a `last` link beyond it: Apple holds reviews this storefront's feed never serves.
        const isCapped = page === MAX_PAGES && !isPastSince && (listed.length >= PAGE_SIZE || (lastPage ?? 0) > MAX_PAGES);
        const nextCursor = hasMore ? `${country}:${page + 1}` : nextStorefront === undefined ? null : `${nextStorefront}:1`;
        yield {
          items: reviews,
          shared: { subject: { id: appId, name }, country },
          cursor: index === 0 && page === 1 ? null : `${country}:${page}`,
          nextCursor,
          isPlatformLimited: isCapped,
        };
        if (!hasMore) break;
      }
    }
  },
  normalize(entry, { shared }) {
    const authorUri = entry.author?.uri?.label || null;
    const voteSum = entry['im:voteSum']?.label ?? null;
    const content = entry.content;
    return {
      externalId: entry.id.label,
      subject: shared.subject,
      // The feed links each review to the app's review listing, not to the review itself.
      url: null,
      author: {
        name: cleanText(entry.author?.name?.label, { html: false }),
        id: authorUri === null ? null : (/\/id(\d+)/.exec(authorUri)?.[1] ?? null),
        url: authorUri,
      },
      rating: { value: entry['im:rating'].label, min: 1, max: 5 },
      title: cleanText(entry.title?.label, { html: false }),
      text: cleanText(content?.label, { html: content?.attributes?.type === 'html' }),
      // A storefront is a country, not a language.
      language: null,
      createdAt: entry.updated?.label ?? null,
      helpfulVotes: voteSum,
      extra: {
        country: shared.country,
        appVersion: entry['im:version']?.label || null,
        voteSum,
        voteCount: entry['im:voteCount']?.label ?? null,
      },
    };
  },
});
