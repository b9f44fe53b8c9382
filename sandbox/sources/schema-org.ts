/**
 * A review site's page with schema.org markup (apis.md §9; the adapter's fixtures): an HTML page
 * at `/biz/sandbox-bistro` carrying one JSON-LD block, a `Restaurant` with its `AggregateRating`
 * (counts and value as strings, as real pages write them) and the `Review`s of the page, each with
 * its `@id`, `author`, `datePublished` (and `dateModified` when edited), `reviewRating`, likes as
 * an `InteractionCounter`, and the owner's answer as a `Comment` by the `Organization`. The page
 * shows the newest 20 reviews; `?page=2` the next ones. No credentials; failures are HTML pages
 * (429 and 503 with `Retry-After`).
 */
import type { SchemaOrgOptions } from '../../adapters/schema-org/index.js';
import { generateFacts, shortName } from '../data.js';
import {
  type FaultContext,
  html,
  lastChange,
  type ModuleContext,
  type ModuleRequest,
  type ModuleResponse,
  newestFirst,
  ReviewStore,
  type SourceModule,
  type StoredReview,
} from '../module.js';
import type { SandboxFault } from '../types.js';
import { addedFields, averageStars, countOf, escapeHtml, firstIds, oneDecimal, storeMethods } from './common.js';

/** The page's address on the (fictional) review site; the adapter fetches its path on `baseUrl`. */
export const SCHEMA_ORG_PAGE = 'https://reviews.sandbox.example/biz/sandbox-bistro';
/** Options of the adapter reading this sandboxed API (add `baseUrl`). */
export const SCHEMA_ORG_OPTIONS = { url: SCHEMA_ORG_PAGE } satisfies SchemaOrgOptions;
const PATH = '/biz/sandbox-bistro';
const BUSINESS = 'Sandbox Bistro';
const PER_PAGE = 20;

interface PageReview extends StoredReview {
  slug: string;
}

const page = (title: string, body: string, head = '') =>
  `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n${head}</head>\n<body>\n${body}\n</body>\n</html>\n`;

/** JSON inside `<script>`: no `<` may close the block early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

/** The schema.org page module. */
export function schemaOrgModule(context: ModuleContext): SourceModule {
  const { random } = context;
  const facts = generateFacts(random, { topic: 'venue', count: countOf(context, 24), spanDays: 730, anchor: context.anchor, titleRate: 0.7, replyRate: 0.4, editRate: 0.15 });
  const store = new ReviewStore<PageReview>(
    'schema-org',
    facts.map((f) => {
      const slug = random.chars(10).toLowerCase();
      return {
        externalId: `${SCHEMA_ORG_PAGE}#review-${slug}`,
        slug,
        author: shortName(f.person),
        stars: f.stars,
        recommendation: null,
        title: f.title,
        text: f.text,
        language: f.language,
        createdAt: f.createdAt,
        updatedAt: f.updatedAt,
        replies: f.reply ? [{ id: random.digits(9), text: f.reply.text, createdAt: f.reply.createdAt, author: BUSINESS }] : [],
        helpfulVotes: f.helpfulVotes,
      };
    }),
  );
  const order = () => store.sorted('newest', newestFirst);

  function reviewNode(review: PageReview) {
    return {
      '@type': 'Review',
      '@id': review.externalId,
      author: { '@type': 'Person', name: escapeHtml(review.author ?? '') },
      datePublished: review.createdAt.toISOString(),
      ...(review.updatedAt !== null && { dateModified: review.updatedAt.toISOString() }),
      ...(review.title !== null && { name: escapeHtml(review.title) }),
      ...(review.text !== null && { reviewBody: escapeHtml(review.text) }),
      inLanguage: review.language,
      reviewRating: { '@type': 'Rating', ratingValue: review.stars, bestRating: 5, worstRating: 1 },
      interactionStatistic: { '@type': 'InteractionCounter', interactionType: 'https://schema.org/LikeAction', userInteractionCount: review.helpfulVotes ?? 0 },
      ...(review.replies.length > 0 && {
        comment: review.replies.map((reply) => ({
          '@type': 'Comment',
          author: { '@type': 'Organization', name: BUSINESS },
          text: escapeHtml(reply.text),
          dateCreated: reply.createdAt.toISOString(),
        })),
      }),
    };
  }

  function reviewHtml(review: PageReview): string {
    const reply = review.replies[0];
    return [
      `<li class="review" id="review-${review.slug}" lang="${review.language}">`,
      review.title === null ? '' : `<h3>${escapeHtml(review.title)}</h3>`,
      `<p class="meta">${'★'.repeat(review.stars ?? 0)}${'☆'.repeat(5 - (review.stars ?? 0))} · ${escapeHtml(review.author ?? '')} · ${lastChange(review).toISOString().slice(0, 10)}</p>`,
      review.text === null ? '' : `<p>${escapeHtml(review.text)}</p>`,
      reply ? `<blockquote class="owner-reply"><p>${escapeHtml(reply.text)}</p></blockquote>` : '',
      '</li>',
    ]
      .filter((line) => line !== '')
      .join('\n');
  }

  function handle(request: ModuleRequest): ModuleResponse {
    if (request.path !== PATH) {
      return html(404, page('Page not found – Reviews Sandbox', '<h1>We couldn&#x27;t find that page</h1>\n<p><a href="/search">Search for a business</a>.</p>'));
    }
    const pageText = request.query.get('page') ?? '1';
    const number = /^[1-9]\d*$/.test(pageText) ? Number(pageText) : 1;
    const all = order();
    const shown = all.slice((number - 1) * PER_PAGE, number * PER_PAGE);
    const average = averageStars(all);
    const lastPage = Math.max(1, Math.ceil(all.length / PER_PAGE));
    const jsonLd = {
      '@context': 'https://schema.org',
      '@type': 'Restaurant',
      '@id': `${SCHEMA_ORG_PAGE}#business`,
      name: BUSINESS,
      url: 'https://sandboxbistro.example',
      servesCuisine: 'American',
      address: { '@type': 'PostalAddress', streetAddress: '1 Sandbox Way', addressLocality: 'San Francisco', postalCode: '94109', addressCountry: 'US' },
      ...(average !== null && {
        aggregateRating: {
          '@type': 'AggregateRating',
          ratingValue: oneDecimal(average).toFixed(1),
          bestRating: '5',
          worstRating: '1',
          ratingCount: String(all.length),
          reviewCount: String(all.length),
        },
      }),
      ...(shown.length > 0 && { review: shown.map(reviewNode) }),
    };
    const head = [
      `<link rel="canonical" href="${SCHEMA_ORG_PAGE}${number > 1 ? `?page=${number}` : ''}">`,
      number < lastPage ? `<link rel="next" href="${SCHEMA_ORG_PAGE}?page=${number + 1}">` : '',
      `<script type="application/ld+json">${scriptJson(jsonLd)}</script>`,
    ]
      .filter((line) => line !== '')
      .map((line) => `${line}\n`)
      .join('');
    const summary = average === null ? 'No reviews yet' : `${oneDecimal(average).toFixed(1)} out of 5 from ${all.length} reviews`;
    const body = `<h1>${BUSINESS}</h1>\n<p class="summary">${summary}</p>\n<ol class="reviews">\n${shown.map(reviewHtml).join('\n')}\n</ol>`;
    return html(200, page(`${BUSINESS} – Reviews | Reviews Sandbox`, body, head));
  }

  function fault(kind: SandboxFault, _request: ModuleRequest, { random: draw, retryAfterSeconds }: FaultContext): ModuleResponse {
    const retryAfter = { 'retry-after': String(retryAfterSeconds) };
    if (kind === 'rate-limit') return html(429, page('429 Too Many Requests', '<h1>Too Many Requests</h1>\n<p>Please slow down.</p>'), retryAfter);
    return draw.chance(0.5)
      ? html(503, page('503 Service Unavailable', '<h1>Service Unavailable</h1>\n<p>We are back in a moment.</p>'), retryAfter)
      : html(500, page('500 Internal Server Error', '<h1>Something went wrong</h1>'));
  }

  return {
    key: 'schema-org',
    source: 'schema-org',
    claims: (request) => request.path.startsWith('/biz/'),
    handle,
    fault,
    ...storeMethods({
      key: 'schema-org',
      store,
      random,
      order,
      listed: () => firstIds(order(), PER_PAGE),
      hasStars: true,
      hasEditTime: true,
      replies: { author: BUSINESS },
      create: (input) => {
        const slug = random.chars(10).toLowerCase();
        return {
          externalId: `${SCHEMA_ORG_PAGE}#review-${slug}`,
          slug,
          ...addedFields(input, { helpfulVotes: 0 }),
        };
      },
    }),
  };
}
