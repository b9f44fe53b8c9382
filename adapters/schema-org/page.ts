/**
 * One page's schema.org data: its reviews (with the item each is about) and the aggregate rating
 * of what they review, read from JSON-LD, microdata and RDFa alike.
 *
 * Each syntax is its own graph: nodes with the same `@id` (or `itemid`, or RDFa `resource`) are
 * one node, which is how `@graph` pages work (Trustpilot lists `{"@id": …}` references under the
 * business's `review` and describes each Review as a separate node). A review's item is its
 * `itemReviewed`, else the node whose `review` (or older `reviews`) holds it.
 */
import { createHash } from 'node:crypto';
import { cleanText } from '../../src/index.js';
import { type DomNode, indexDocument } from './dom.js';
import { jsonLdNodes, parseJsonLdBlock } from './json-ld.js';
import { microdataNodes } from './microdata.js';
import { absoluteUrl, isBlankId, isNode, newNode, type SchemaNode, type SchemaValue, type Syntax, valuesOf } from './nodes.js';
import { rdfaNodes } from './rdfa.js';
import { firstNode, firstText, parseCount, readAuthors, readDate, readRating } from './values.js';

/** One review found on the page, as `pages` hands it to the item schema. */
export interface RawReviewItem {
  syntax: Syntax;
  /** The review's identity: its `@id`, else its own `url`, else a hash of its content. */
  externalId: string;
  /** The Review node, references resolved, `itemReviewed` filled in from its holder. */
  review: SchemaNode;
}

/** The page's own aggregate figures, from the AggregateRating of what its reviews are about. */
export interface PageSummary {
  /** On the 1–5 scale, converted like `Review.stars`; null when unreadable. */
  average: number | null;
  /** `ratingCount`, else `reviewCount`. */
  count: number | null;
  /** `reviewCount`, else `ratingCount`: how many reviews the page says exist. */
  reportedTotal: number | null;
}

/** What reading a page gave. */
export interface PageReading {
  items: RawReviewItem[];
  summary: PageSummary | null;
  /** The URL relative links on the page resolve against (`<base href>`, else the page's URL). */
  base: string | null;
  /** JSON-LD blocks that could not be read even after repair (they are skipped). */
  unreadableBlocks: number;
}

/** Review types read as reviews. ClaimReview and MediaReview are fact checks, not customer reviews. */
const REVIEW_TYPES = new Set(['Review', 'UserReview', 'CriticReview', 'EmployerReview']);
const AGGREGATE_TYPES = new Set(['AggregateRating', 'EmployerAggregateRating']);
const REVIEW_LISTS = ['review', 'reviews'] as const;
// Deep enough for review → comment → author → image; deeper nodes keep their types and id only.
const MAX_DEPTH = 4;

/** Reads every review and the aggregate rating a parsed page holds. */
export function readPage(root: DomNode, url: string | null): PageReading {
  const pageUrl = absoluteUrl(url, null);
  const index = indexDocument(root);
  const base = (index.baseHref !== null ? absoluteUrl(index.baseHref, pageUrl) : null) ?? pageUrl;
  let unreadableBlocks = 0;
  const jsonLd = index.jsonLd.flatMap((block) => {
    const values = parseJsonLdBlock(block);
    if (values === null) unreadableBlocks++;
    return values === null ? [] : jsonLdNodes(values, base);
  });
  const graphs: [Syntax, Graph][] = [
    ['json-ld', new Graph(jsonLd)],
    ['microdata', new Graph(microdataNodes(root, index.byId, base))],
    ['rdfa', new Graph(rdfaNodes(root, base))],
  ];

  const items: RawReviewItem[] = [];
  const ids = new Set<string>();
  let subjectAggregate: SchemaNode | null = null;
  let firstAggregate: SchemaNode | null = null;
  for (const [syntax, graph] of graphs) {
    const found = graph.reviews();
    const aggregates = graph.aggregates();
    firstAggregate ??= aggregates[0]?.rating ?? null;
    const subject = found[0]?.subject;
    if (subjectAggregate === null && subject) subjectAggregate = aggregates.find((a) => a.subject === subject)?.rating ?? null;
    const reviews = found.map((f) => f.review);
    const urlCounts = countBy(reviews.map((review) => reviewUrl(review, base)));
    for (const review of reviews) {
      const externalId = explicitId(review, pageUrl, base, urlCounts) ?? contentId(review, syntax, base);
      // The same review marked up twice (JSON-LD and microdata, or two blocks): the first copy counts.
      if (ids.has(externalId)) continue;
      ids.add(externalId);
      items.push({ syntax, externalId, review });
    }
  }
  const aggregate = subjectAggregate ?? firstAggregate;
  return { items, summary: aggregate === null ? null : summaryOf(aggregate), base, unreadableBlocks };
}

interface FoundReview {
  review: SchemaNode;
  /** The item reviewed as a graph node (for matching its AggregateRating), if any. */
  subject: SchemaNode | null;
}

class Graph {
  /** Every node once, in document order. */
  private readonly nodes: SchemaNode[] = [];
  private readonly descriptions = new Map<string, SchemaNode[]>();
  private readonly mergedById = new Map<string, SchemaNode>();

  constructor(tops: readonly SchemaNode[]) {
    const seen = new Set<SchemaNode>();
    const stack = [...tops].reverse();
    while (stack.length > 0) {
      const node = stack.pop() as SchemaNode;
      if (seen.has(node)) continue;
      seen.add(node);
      this.nodes.push(node);
      if (node.id !== null) {
        const list = this.descriptions.get(node.id);
        if (list) list.push(node);
        else this.descriptions.set(node.id, [node]);
      }
      const children = Object.values(node.props).flat().filter(isNode);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as SchemaNode);
    }
  }

  /** The node an id names, every description of it merged (a reference alone adds nothing). */
  canonical(node: SchemaNode): SchemaNode {
    if (node.id === null) return node;
    const cached = this.mergedById.get(node.id);
    if (cached) return cached;
    const parts = this.descriptions.get(node.id) ?? [node];
    const merged = parts.length === 1 ? (parts[0] as SchemaNode) : mergeNodes(node.id, parts);
    this.mergedById.set(node.id, merged);
    return merged;
  }

  reviews(): { review: SchemaNode; subject: SchemaNode | null }[] {
    const holders = new Map<SchemaNode, SchemaNode>();
    for (const node of this.nodes) {
      const holder = this.canonical(node);
      for (const list of REVIEW_LISTS) {
        for (const value of valuesOf(holder, list)) {
          if (!isNode(value)) continue;
          const review = this.canonical(value);
          if (!holders.has(review)) holders.set(review, holder);
        }
      }
    }
    const found: FoundReview[] = [];
    const seen = new Set<SchemaNode>();
    for (const node of this.nodes) {
      const review = this.canonical(node);
      if (seen.has(review) || !review.types.some((t) => REVIEW_TYPES.has(t))) continue;
      seen.add(review);
      const reviewed = firstNode(valuesOf(review, 'itemReviewed'));
      const subject = reviewed ? this.canonical(reviewed) : (holders.get(review) ?? null);
      found.push({ review: this.reviewWithItem(review, subject), subject });
    }
    return found;
  }

  aggregates(): { rating: SchemaNode; subject: SchemaNode | null }[] {
    const out: { rating: SchemaNode; subject: SchemaNode | null }[] = [];
    const seen = new Set<SchemaNode>();
    for (const node of this.nodes) {
      const item = this.canonical(node);
      for (const value of valuesOf(item, 'aggregateRating')) {
        if (!isNode(value)) continue;
        const rating = this.canonical(value);
        if (seen.has(rating)) continue;
        seen.add(rating);
        out.push({ rating: this.resolve(rating, 1, new Set()), subject: item });
      }
    }
    for (const node of this.nodes) {
      const rating = this.canonical(node);
      if (seen.has(rating) || !rating.types.some((t) => AGGREGATE_TYPES.has(t))) continue;
      seen.add(rating);
      const reviewed = firstNode(valuesOf(rating, 'itemReviewed'));
      out.push({ rating: this.resolve(rating, 1, new Set()), subject: reviewed ? this.canonical(reviewed) : null });
    }
    return out;
  }

  private reviewWithItem(review: SchemaNode, subject: SchemaNode | null): SchemaNode {
    const resolved = this.resolve(review, 0, new Set());
    const hasItem = valuesOf(resolved, 'itemReviewed').some((v) => isNode(v) || (typeof v === 'string' && v.trim() !== ''));
    if (!hasItem && subject !== null) resolved.props.itemReviewed = [this.resolve(subject, 1, new Set([review]))];
    return resolved;
  }

  /**
   * A copy of `node` with references replaced by the nodes they name, bounded: a node already on
   * the path (a cycle) or past `MAX_DEPTH` keeps only its types and id, and nested nodes leave out
   * their own review lists (an item's other reviews are not this review's business).
   */
  private resolve(node: SchemaNode, depth: number, path: Set<SchemaNode>): SchemaNode {
    const full = this.canonical(node);
    const copy = newNode([...full.types], full.id);
    if (depth > MAX_DEPTH || path.has(full)) return copy;
    path.add(full);
    for (const [property, values] of Object.entries(full.props)) {
      if (depth > 0 && (REVIEW_LISTS as readonly string[]).includes(property)) continue;
      copy.props[property] = values.map((value): SchemaValue => (isNode(value) ? this.resolve(value, depth + 1, path) : value));
    }
    path.delete(full);
    return copy;
  }
}

function mergeNodes(id: string, parts: readonly SchemaNode[]): SchemaNode {
  const merged = newNode([...new Set(parts.flatMap((p) => p.types))], id);
  for (const part of parts) {
    for (const [property, values] of Object.entries(part.props)) {
      merged.props[property] = [...(merged.props[property] ?? []), ...values];
    }
  }
  return merged;
}

function summaryOf(aggregate: SchemaNode): PageSummary {
  const reading = readRating(aggregate);
  const rating = reading.ok ? reading.rating : null;
  const ratingCount = parseCount(firstValue(aggregate, 'ratingCount'));
  const reviewCount = parseCount(firstValue(aggregate, 'reviewCount'));
  return {
    // The same mapping as Review.stars, so a page's 87/100 and its reviews' stars agree.
    average: rating === null ? null : 1 + (4 * (rating.value - rating.min)) / (rating.max - rating.min),
    count: ratingCount ?? reviewCount,
    reportedTotal: reviewCount ?? ratingCount,
  };
}

function firstValue(node: SchemaNode, property: string): SchemaValue | null {
  return valuesOf(node, property).find((v) => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '')) ?? null;
}

function reviewUrl(review: SchemaNode, base: string | null): string | null {
  return absoluteUrl(firstText(valuesOf(review, 'url')), base);
}

/**
 * The review's own identifier when the page gives one that names this review alone: a non-blank
 * `@id`, else a `url` no other review on the page shares. Either is ignored when it is just the
 * page's address (some sites give every review the page URL).
 */
function explicitId(review: SchemaNode, pageUrl: string | null, base: string | null, urlCounts: ReadonlyMap<string | null, number>): string | null {
  const isThePage = (iri: string) => pageUrl !== null && (iri === pageUrl || iri === withoutHash(pageUrl));
  if (review.id !== null && !isBlankId(review.id) && !isThePage(review.id)) return review.id;
  const url = reviewUrl(review, base);
  if (url !== null && !isThePage(url) && urlCounts.get(url) === 1) return url;
  return null;
}

/**
 * A stable id for a review without one: a hash of who wrote it, when, its title, text and rating,
 * each read as `normalize` reads it so that the same review hashes alike in any syntax (and one
 * marked up twice on a page counts once). Editing the review changes the id.
 */
function contentId(review: SchemaNode, syntax: Syntax, base: string | null): string {
  const text = { html: syntax === 'json-ld' };
  const authors = readAuthors(valuesOf(review, 'author'), base, text).map((a) => a.name ?? a.url ?? a.id);
  const dateText = firstText(valuesOf(review, 'datePublished')) ?? firstText(valuesOf(review, 'dateCreated'));
  // Read in UTC whatever the timeZone option says: changing the option must not change ids.
  const date = readDate(dateText, 'UTC')?.date.toISOString() ?? dateText?.trim() ?? null;
  const title = cleanText(firstText(valuesOf(review, 'name')) ?? firstText(valuesOf(review, 'headline')), text);
  const body = cleanText(firstText(valuesOf(review, 'reviewBody')) ?? firstText(valuesOf(review, 'description')), text);
  const reading = readRating(valuesOf(review, 'reviewRating')[0]);
  const rating = reading.ok ? (reading.rating && `${reading.rating.value}/${reading.rating.min}-${reading.rating.max}`) : reading.problem;
  return createHash('sha1').update(JSON.stringify([authors, date, title, body, rating])).digest('hex').slice(0, 16);
}

function withoutHash(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

function countBy<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
