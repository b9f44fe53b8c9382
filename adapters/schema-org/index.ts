/**
 * `reviewkit/adapters/schema-org`: reviews marked up with schema.org `Review` / `AggregateRating`
 * on any web page — the adapter for sites without an API (directories such as Angi, pages found
 * through a search engine, shops with their own review widgets).
 *
 * Facts followed:
 * - Vocabulary: schema.org/Review, /Rating, /AggregateRating (`bestRating` default 5, `worstRating`
 *   default 1; `ratingCount`/`reviewCount`), /Comment, and schema.org's example eg-0010 (the same
 *   product reviews in microdata, RDFa and JSON-LD: schemaorg/schemaorg `data/examples.txt`).
 * - What search engines read and require: developers.google.com/search/docs/appearance/structured-data/review-snippet
 *   (ratings as numbers or text, `author` as Person/Organization, ISO 8601 dates, `positiveNotes`/`negativeNotes`).
 * - Syntaxes: JSON-LD 1.1 (w3.org/TR/json-ld11), WHATWG microdata
 *   (html.spec.whatwg.org/multipage/microdata.html), RDFa Lite 1.1 (w3.org/TR/rdfa-lite).
 * - Real pages: Trustpilot's `@graph` with `LocalBusiness.review = [{"@id": …}]`, Review nodes
 *   apart, ratings and counts as strings, `datePublished` like `2022-10-14T17:12:38.000Z`
 *   [3p: a captured page in airbytehq/airbyte source-trustpilot `unit_tests/test_data/data.py`].
 *
 * Ratings keep the page's scale (`rating`), `stars` maps it to 1–5. `ratingValue` may be "a number,
 * fraction, or percentage (for example, 4, 60%, or 6 / 10)"; "the scale is implied in the fraction
 * itself or the percentage" (Google's review-snippet guide): "60%" is read on 0–100, "6 / 10" on
 * 0–10. A decimal comma ("4,4", which Google asks pages not to use) is read as a decimal; microdata
 * and RDFa `content` wins over the shown text. The page's AggregateRating becomes the report's
 * `summary` (its average mapped to 1–5 like `stars`; `ratingCount`, else `reviewCount`) and
 * `reviewCount` (else `ratingCount`) its `reportedTotal`.
 *
 * Ids: a review's `@id` (microdata `itemid`, RDFa `resource`), else its own `url`, else a hash of
 * its author, date, title, text and rating — read the same way in every syntax, so a review
 * marked up twice on a page (JSON-LD and microdata) counts once.
 *
 * Dates: pages state no time zone for date-only and offset-less values. They are read in the
 * `timeZone` option (default UTC): a date-only `2024-03-01` is 2024-03-01T00:00Z with
 * `datePrecision: 'day'`. A date that cannot be read gives `createdAt: null` (kept in
 * `extra.datePublished`), never a guess and never a failure.
 *
 * Owner replies: schema.org has no reply property for reviews; its general `comment` (a
 * `Comment`) is read as a reply when its author is the item reviewed (same `@id` or name) or an
 * organisation. No wider real-world convention was found; other comments are ignored.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { cleanText, type DetectedError, defineAdapter, type HttpResponseInfo, type Reply, ReviewkitError } from '../../src/index.js';
import type { DomNode } from './dom.js';
import { absoluteUrl, isNode, type SchemaNode, type SchemaValue, schemaTermOfIri, valuesOf } from './nodes.js';
import { readPage } from './page.js';
import { firstText, parseCount, readAuthors, readDate, readLanguage, readRating, type TextOptions } from './values.js';

const schemaOrgOptions = z.object({
  /**
   * The page to read, e.g. `https://www.example.com/reviews/acme`. Also the subject id in reports
   * and the base of the page's relative links. With `html` it is not fetched.
   */
  url: z.url({ protocol: /^https?$/ }).optional(),
  /** HTML to read instead of fetching `url` (a page saved earlier, a rendered page). */
  html: z.string().min(1).optional(),
  /** IANA zone for dates the page gives without an offset (date-only values included). Default `UTC`. */
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
}).refine((o) => o.url !== undefined || o.html !== undefined, { path: ['url'], message: 'give the page as `url` (or its HTML as `html`)' });

/** Options of {@link schemaOrg}: `{ url }` to fetch a page, or `{ html, url? }` to read given HTML. */
export type SchemaOrgOptions = z.input<typeof schemaOrgOptions>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const schemaValue: z.ZodType<SchemaValue> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), schemaNode]));
const schemaNode: z.ZodType<SchemaNode> = z.object({
  types: z.array(z.string()),
  id: z.string().nullable(),
  props: z.record(z.string(), z.array(schemaValue)),
});

const TEXT_PROPERTIES = ['reviewBody', 'description', 'name', 'headline'];

// One review as the page reader found it. Its rating is read here, so a review whose rating
// cannot be read (or lies outside its scale) is skipped with the reason, the rest of the page kept.
const schemaOrgReview = z
  .object({
    syntax: z.enum(['json-ld', 'microdata', 'rdfa']),
    externalId: z.string().min(1),
    review: schemaNode,
  })
  .transform((item, ctx) => {
    const reading = readRating(valuesOf(item.review, 'reviewRating')[0]);
    if (!reading.ok) {
      ctx.issues.push({ code: 'custom', input: item, message: reading.problem, path: ['review', 'props', 'reviewRating'] });
      return z.NEVER;
    }
    if (reading.rating === null && TEXT_PROPERTIES.every((p) => firstText(valuesOf(item.review, p)) === null)) {
      ctx.issues.push({ code: 'custom', input: item, message: 'has neither a rating nor any text', path: ['review'] });
      return z.NEVER;
    }
    return { ...item, rating: reading.rating };
  });

interface SchemaOrgShared {
  subjectId: string;
  /** What the page's relative links resolve against. */
  base: string | null;
}

// Only the HTML is wanted: a site that varies on Accept must not answer with its JSON API.
const ACCEPT_HTML = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1';
// With `html` nothing is fetched; the HTTP client still needs an origin (RFC 2606: never resolves).
const NO_ORIGIN = 'https://html.invalid';

function subjectIdOf(options: { url?: string | undefined; html?: string | undefined }): string {
  // The options schema guarantees one of the two.
  return options.url ?? `html:${createHash('sha256').update(options.html ?? '').digest('hex').slice(0, 16)}`;
}

/**
 * Reviews and the aggregate rating marked up with schema.org on one web page (JSON-LD, microdata
 * or RDFa Lite), for sites without an API. Fetches `url` (or reads `html`) once: reviews the page
 * does not show are out of reach, and the report says so (`coverage.reason: 'platform-limit'`)
 * when the page's AggregateRating counts more reviews than it marks up. A page without reviews
 * gives none, and is no error. `subject.id` is the page (`url`, or `html:` and a hash of the HTML);
 * `subject.name` the reviewed item's name.
 *
 * Respect each site's terms of service and robots.txt: fetch only pages you may fetch, as rarely
 * as you need them.
 *
 * @example
 * const source = schemaOrg({ url: 'https://www.example.com/reviews/acme-bistro' });
 * const saved = schemaOrg({ html: await readFile('page.html', 'utf8'), url: 'https://www.example.com/reviews/acme-bistro' });
 */
export const schemaOrg = defineAdapter({
  name: 'schema-org',
  options: schemaOrgOptions,
  baseUrl: (o) => (o.url === undefined ? NO_ORIGIN : new URL(o.url).origin),
  subjectId: subjectIdOf,
  detectError: detectPageError,
  reply: {
    unsupported: 'schema.org markup on a web page can only be read: answer on the site that publishes the reviews.',
  },
  page: z.string(),
  item: schemaOrgReview,
  itemId: (raw) => {
    const id = (raw as { externalId?: unknown } | null)?.externalId;
    return typeof id === 'string' ? id : null;
  },
  async *pages(ctx) {
    const { url, html } = ctx.options;
    if (ctx.cursor !== null) {
      throw new ReviewkitError({ code: 'CONFIG', source: 'schema-org', message: 'schema-org: option `cursor` does not apply: the adapter reads one page.' });
    }
    let markup = html;
    if (markup === undefined) {
      const page = new URL(subjectIdOf(ctx.options));
      // The page's own path and query, on `baseUrl` when one is set (a proxy or a fixture server).
      markup = await ctx.fetchPage(page.pathname + page.search, { responseType: 'text', headers: { Accept: ACCEPT_HTML } });
    }
    // Loaded on first use: importing the adapter costs nothing until a page is read. The slim
    // entry parses with htmlparser2 and leaves out parse5 and undici (about 0.5 s of loading).
    const { load } = await import('cheerio/slim');
    const root: DomNode = load(markup).root()[0] ?? { type: 'root', children: [] };
    const reading = readPage(root, url ?? null);
    const shared: SchemaOrgShared = { subjectId: subjectIdOf(ctx.options), base: reading.base };
    const total = reading.summary?.reportedTotal ?? null;
    const note = pageNote(reading.items.length, reading.unreadableBlocks, total);
    yield {
      items: reading.items,
      ...(note !== null && { note }),
      shared,
      cursor: null,
      nextCursor: null,
      reportedTotal: total,
      // The page marks up fewer reviews than its AggregateRating counts (a first page, a widget's excerpt).
      isPlatformLimited: total !== null && total > reading.items.length,
      summary: reading.summary && { average: reading.summary.average, count: reading.summary.count },
    };
  },
  normalize(item, ctx) {
    const { review, syntax } = item;
    const { timeZone } = ctx.options;
    const { subjectId, base } = ctx.shared;
    const text: TextOptions = { html: syntax === 'json-ld' };
    const values = (property: string) => valuesOf(review, property);
    const reviewed = values('itemReviewed')[0];
    const subjectName = reviewed === undefined ? null : cleanText(isNode(reviewed) ? firstText(valuesOf(reviewed, 'name')) : firstText([reviewed]), text);
    const authors = readAuthors(values('author'), base, text);
    const author = authors[0];
    const publishedText = firstText(values('datePublished')) ?? firstText(values('dateCreated'));
    const published = readDate(publishedText, timeZone);
    const title = cleanText(firstText(values('name')) ?? firstText(values('headline')), text);
    const reviewType = review.types.find((t) => t !== 'Review');
    const pros = notes(values('positiveNotes'), text);
    const cons = notes(values('negativeNotes'), text);
    return {
      externalId: item.externalId,
      subject: { id: subjectId, name: subjectName },
      url: absoluteUrl(firstText(values('url')), base),
      author: author ? { name: author.name, id: author.id, url: author.url, avatarUrl: author.avatarUrl } : null,
      rating: item.rating,
      // Some widgets repeat the product's name as every review's name: that is no title.
      title: title !== null && title === subjectName ? null : title,
      text: cleanText(firstText(values('reviewBody')) ?? firstText(values('description')), text),
      language: readLanguage(values('inLanguage')),
      createdAt: published?.date ?? null,
      updatedAt: readDate(firstText(values('dateModified')), timeZone)?.date ?? null,
      datePrecision: published?.precision ?? null,
      replies: ownerReplies(values('comment'), reviewed, subjectName, base, text, timeZone),
      helpfulVotes: helpfulVotes(values('interactionStatistic')),
      extra: {
        ...(reviewed !== undefined && isNode(reviewed) && reviewed.types[0] !== undefined && { itemType: reviewed.types[0] }),
        ...(reviewType !== undefined && { reviewType }),
        // A review by a company or publication rather than a person.
        ...(author?.type && author.type !== 'Person' && { authorType: author.type }),
        ...(authors.length > 1 && { authors: authors.map((a) => a.name ?? a.url) }),
        ...(published === null && publishedText !== null && { datePublished: publishedText.trim() }),
        ...(pros.length > 0 && { pros }),
        ...(cons.length > 0 && { cons }),
      },
    };
  },
});

// Types whose author speaks for a business (schema.org Organization and its common subtypes).
const ORGANIZATION_TYPES = new Set([
  'Organization',
  'Corporation',
  'LocalBusiness',
  'OnlineBusiness',
  'OnlineStore',
  'Store',
  'Restaurant',
  'FoodEstablishment',
  'LodgingBusiness',
  'Hotel',
  'ProfessionalService',
  'HomeAndConstructionBusiness',
  'AutomotiveBusiness',
  'HealthAndBeautyBusiness',
  'MedicalBusiness',
  'FinancialService',
  'TravelAgency',
  'Airline',
  'NGO',
]);

/**
 * The business's answers among a review's `comment`s (oldest first): comments written by the item
 * reviewed itself (same `@id` or same name) or by an organisation. Comments by anyone else are not
 * replies and are left out.
 */
function ownerReplies(
  comments: readonly SchemaValue[],
  reviewed: SchemaValue | undefined,
  subjectName: string | null,
  base: string | null,
  text: TextOptions,
  timeZone: string,
): Reply[] {
  const subjectId = reviewed !== undefined && isNode(reviewed) ? reviewed.id : null;
  const replies: Reply[] = [];
  for (const comment of comments) {
    if (!isNode(comment)) continue;
    const authorValue = valuesOf(comment, 'author')[0];
    const [author] = readAuthors(authorValue === undefined ? [] : [authorValue], base, text);
    if (author === undefined) continue;
    const authorTypes = authorValue !== undefined && isNode(authorValue) ? authorValue.types : [];
    const isOwner =
      authorTypes.some((t) => ORGANIZATION_TYPES.has(t)) ||
      (subjectId !== null && author.id === subjectId) ||
      (subjectName !== null && author.name !== null && author.name.toLowerCase() === subjectName.toLowerCase());
    const body = cleanText(firstText(valuesOf(comment, 'text')) ?? firstText(valuesOf(comment, 'description')), text);
    if (!isOwner || body === null) continue;
    const date = readDate(firstText(valuesOf(comment, 'dateCreated')) ?? firstText(valuesOf(comment, 'datePublished')), timeZone);
    replies.push({ text: body, createdAt: date?.date ?? null, author: author.name });
  }
  // Oldest first; undated replies keep their page order, after the dated ones.
  return replies
    .map((reply, index) => ({ reply, index }))
    .sort((a, b) => (a.reply.createdAt?.getTime() ?? Number.POSITIVE_INFINITY) - (b.reply.createdAt?.getTime() ?? Number.POSITIVE_INFINITY) || a.index - b.index)
    .map(({ reply }) => reply);
}

const HELPFUL_ACTIONS = new Set(['LikeAction', 'AgreeAction']);

/** "Helpful" votes as schema.org counts them: an `InteractionCounter` of `LikeAction`s (or `AgreeAction`s). */
function helpfulVotes(statistics: readonly SchemaValue[]): number | null {
  for (const statistic of statistics) {
    if (!isNode(statistic)) continue;
    const type = valuesOf(statistic, 'interactionType')[0];
    const action = type === undefined ? null : isNode(type) ? (type.types[0] ?? null) : typeof type === 'string' ? (schemaTermOfIri(type) ?? type.trim()) : null;
    if (action === null || !HELPFUL_ACTIONS.has(action)) continue;
    const count = parseCount(valuesOf(statistic, 'userInteractionCount')[0]);
    if (count !== null) return count;
  }
  return null;
}

/** Pros or cons (`positiveNotes`/`negativeNotes`): an `ItemList` of `ListItem` names, or plain text. */
function notes(values: readonly SchemaValue[], text: TextOptions): string[] {
  const out: string[] = [];
  for (const value of values) {
    const entries = isNode(value) ? valuesOf(value, 'itemListElement') : [value];
    for (const entry of entries) {
      const note = cleanText(isNode(entry) ? firstText(valuesOf(entry, 'name')) : firstText([entry]), text);
      if (note !== null) out.push(note);
    }
  }
  return out;
}

const NON_HTML: ReadonlyArray<[RegExp, string]> = [
  [/json/i, 'JSON'],
  [/^\s*(image|audio|video|font)\//i, 'a media file'],
  [/^\s*application\/(pdf|zip|gzip|octet-stream|x-[\w.+-]+)/i, 'a binary file'],
  [/^\s*text\/(csv|css|javascript|calendar)/i, 'not an HTML page'],
];

/**
 * A page answers with HTML. A 2xx response that is JSON, a media or binary file, or another
 * non-HTML text is `BAD_RESPONSE` (the URL points at an API or a file, not a page). Error
 * statuses keep the core's mapping (404/410 → `NOT_FOUND`, 403 → `FORBIDDEN`, 429 → `RATE_LIMITED`)
 * with the error page's `<title>` as the detail instead of a slice of its markup.
 */
/** What the user should know about a page that gave fewer reviews than they may expect. */
function pageNote(reviews: number, unreadableBlocks: number, aggregateCount: number | null): string | null {
  const unreadable = unreadableBlocks === 0 ? '' : ` ${unreadableBlocks} JSON-LD block${unreadableBlocks === 1 ? '' : 's'} could not be read and ${unreadableBlocks === 1 ? 'was' : 'were'} skipped.`;
  if (reviews === 0) {
    const counted = aggregateCount === null ? '' : ` Its AggregateRating counts ${aggregateCount}, but none is marked up here.`;
    return `The page carries no schema.org reviews (JSON-LD, microdata or RDFa): check that the URL is the page showing them, and that they are not loaded by script.${counted}${unreadable}`;
  }
  return unreadable === '' ? null : unreadable.trim();
}

// A web page is not an API: what to do differs from the core's advice for JSON sources.
const PAGE_ADVICE = {
  missing: 'Check the page address.',
  refused: 'The site refuses this client; respect its terms and robots.txt, and do not work around it.',
  failing: 'The site is failing; try again later.',
} as const;

function detectPageError(response: HttpResponseInfo): DetectedError | undefined {
  const body = typeof response.body === 'string' ? response.body : '';
  if (response.status >= 200 && response.status < 300) {
    const kind = nonHtmlKind(response.headers['content-type'], body);
    if (kind === null) return undefined;
    return { code: 'BAD_RESPONSE', message: `expected an HTML page but got ${kind}`, advice: '`url` must be a web page that shows reviews.', retry: false };
  }
  if (response.status < 400) return undefined;
  const title = titleOf(body);
  const advice = response.status === 404 || response.status === 410 ? PAGE_ADVICE.missing : response.status === 401 || response.status === 403 ? PAGE_ADVICE.refused : PAGE_ADVICE.failing;
  return { advice, ...(title !== null && { message: title }) };
}

function nonHtmlKind(contentType: string | undefined, body: string): string | null {
  if (body.trim() === '') return 'an empty body';
  if (contentType !== undefined && /html|xml/i.test(contentType)) return null;
  for (const [pattern, kind] of NON_HTML) if (contentType !== undefined && pattern.test(contentType)) return `${kind} (${contentType.split(';')[0]?.trim()})`;
  // No (or a generic) content type: judge by the body.
  if (body.includes('\u0000') || body.includes('\ufffd\ufffd')) return 'binary data';
  if (/^\s*[[{]/.test(body)) {
    try {
      JSON.parse(body);
      return 'JSON';
    } catch {
      // markup that merely starts with a brace
    }
  }
  return null;
}

function titleOf(html: string): string | null {
  const match = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(html);
  return match ? cleanText(match[1]) : null;
}
