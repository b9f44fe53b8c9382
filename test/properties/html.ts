/**
 * Hostile web pages for the schema.org adapter: real pages with their JSON-LD edited or broken,
 * their markup cut, spliced and given hostile attribute values, and pages of random schema.org
 * markup (JSON-LD, microdata, RDFa) whose values are hostile.
 */
import fc from 'fast-check';
import { HugeString, hostileValue, ODD_DATES, PAYLOAD_MARKER, RawJson, toJsonText } from './hostile.js';
import { applyEdits, type Edit, editPlan } from './mutate.js';

const JSON_LD_BLOCK = /(<script[^>]*application\/ld\+json[^>]*>)([\s\S]*?)(<\/script>)/gi;

/** One way to make a page hostile. */
export type PageVariant =
  | { kind: 'json-ld-edits'; block: number; edits: Edit[]; escapeSlashes: boolean }
  | { kind: 'json-ld-break'; block: number; at: number; length: number; snippet: string }
  | { kind: 'markup-edits'; ops: MarkupOp[] }
  | { kind: 'generated'; syntax: 'json-ld' | 'microdata' | 'rdfa'; nodes: GenNode[]; isRaw: boolean };

/** A splice of the page text at a position (taken modulo its length). */
export type MarkupOp =
  | { op: 'insert'; at: number; snippet: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number; times: number }
  | { op: 'attribute'; pick: number; value: unknown; isRaw: boolean };

/** A schema.org node to write in some syntax. */
export interface GenNode {
  types: string[];
  id: string | null;
  props: [string, GenValue][];
}
type GenValue = unknown;

const TYPES = ['Review', 'UserReview', 'CriticReview', 'Rating', 'AggregateRating', 'Person', 'Organization', 'LocalBusiness', 'Product', 'Comment', 'Thing', 'InteractionCounter', 'ItemList', 'Language', 'Bogus Type', ''];
const PROPS = [
  'review',
  'reviews',
  'reviewRating',
  'ratingValue',
  'bestRating',
  'worstRating',
  'aggregateRating',
  'ratingCount',
  'reviewCount',
  'author',
  'name',
  'givenName',
  'familyName',
  'headline',
  'reviewBody',
  'description',
  'datePublished',
  'dateCreated',
  'dateModified',
  'itemReviewed',
  'url',
  'image',
  'contentUrl',
  'comment',
  'text',
  'inLanguage',
  'interactionStatistic',
  'interactionType',
  'userInteractionCount',
  'positiveNotes',
  'negativeNotes',
  'itemListElement',
  '__proto__',
  'constructor',
  'og:title',
];
const IDS = ['#r1', '#r1', '_:b0', 'https://www.reviews.example/review/acme-bistro.example', '', ' ', 'javascript:alert(1)', '//x', '#a', PAYLOAD_MARKER];

/** Markup that breaks parsers and readers. */
const HOSTILE_MARKUP = [
  '<div itemscope itemtype="https://schema.org/Review">',
  '<div itemscope itemtype="https://schema.org/Review" itemprop="review" id="loop" itemref="loop">',
  '<span itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating"><meta itemprop="ratingValue" content="1e400"><meta itemprop="bestRating" content="NaN"></span>',
  '<meta itemprop="datePublished" content="0000-00-00">',
  '<div vocab="https://schema.org/" typeof="Review"><span property="reviewRating" typeof="Rating"><span property="ratingValue">6 / 0</span></span>',
  '<div typeof="Review" resource="_:b0" property="review">',
  '<script type="application/ld+json">{"@type":"Review","reviewRating":{"ratingValue":"-0"},"author":{"@id":"#x"}}</script>',
  '<script type="application/ld+json">{"@context":null,"@graph":[{"@graph":[{"@graph":[]}]}]}</script>',
  '<script type="application/ld+json"><!-- {"@type": "Review" --></script>',
  '<script type="application/ld+json">',
  '</script>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<base href="javascript:alert(1)">',
  '<base href="//">',
  '<base href="http://[::1">',
  '&#xD800;&#0;&#x110000;',
  '<template><div itemscope itemtype="https://schema.org/Review"></div></template>',
  '<svg><script type="application/ld+json">{"@type":"Review","reviewBody":"in svg"}</script></svg>',
  `${'<div>'.repeat(3000)}deep${'</div>'.repeat(3000)}`,
  `${'<span itemscope itemprop="author">'.repeat(200)}`,
  '<a itemprop="url" href="http://%zz">x</a>',
  '\u0000\uFFFD\uFFFD',
  '<meta charset="x-user-defined">',
  '<meta http-equiv="Content-Type" content="text/html; charset=utf-16">',
];

function hostileText(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('5', '4.5', '4,4', '60%', '6 / 10', '7 out of 5', '0', '-1', '1e400', 'NaN', 'Infinity', '', '1,199', '1.199') },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_DATES.filter((d): d is string => typeof d === 'string')) },
    { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: fc.constantFrom(PAYLOAD_MARKER, '<b>x</b>', '</script>', 'https://www.reviews.example/x', new HugeString('a', 1024 * 1024)) },
  );
}

/** Random schema.org nodes; in JSON-LD any hostile JSON value may stand where text would. */
function genNodes(secrets: readonly string[]): fc.Arbitrary<GenNode[]> {
  const { node } = fc.letrec<{ node: GenNode; value: GenValue }>((tie) => ({
    node: fc.record({
      types: fc.array(fc.constantFrom(...TYPES), { maxLength: 2 }),
      id: fc.option(fc.constantFrom(...IDS), { nil: null }),
      props: fc.array(fc.tuple(fc.constantFrom(...PROPS), tie('value')), { maxLength: 6 }),
    }),
    value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, hostileText(), hostileValue(secrets), tie('node')),
  }));
  return fc.array(node, { minLength: 1, maxLength: 4 });
}

/** Every way a page variant can be made. */
export function pageVariant(secrets: readonly string[]): fc.Arbitrary<PageVariant> {
  const markupOp: fc.Arbitrary<MarkupOp> = fc.oneof(
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), snippet: fc.oneof(fc.constantFrom(...HOSTILE_MARKUP), fc.string({ maxLength: 20 })) }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
    fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 2000 }), times: fc.integer({ min: 1, max: 50 }) }),
    fc.record({ op: fc.constant('attribute' as const), pick: fc.nat(), value: fc.oneof(hostileText(), hostileValue(secrets)), isRaw: fc.boolean() }),
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('json-ld-edits' as const), block: fc.nat(), edits: editPlan(secrets), escapeSlashes: fc.boolean() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('json-ld-break' as const),
        block: fc.nat(),
        at: fc.nat(),
        length: fc.nat({ max: 50 }),
        snippet: fc.constantFrom('', '"', '}', ']]', ',', '\\', '/*', '//', '\u0000', '&quot;', '</script>', '{"@type":"Review"', 'NaN'),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('markup-edits' as const), ops: fc.array(markupOp, { minLength: 1, maxLength: 4 }) }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('generated' as const),
        syntax: fc.constantFrom('json-ld' as const, 'microdata' as const, 'rdfa' as const),
        nodes: genNodes(secrets),
        isRaw: fc.boolean(),
      }),
    },
  );
}

/** The page `base` made hostile as the variant says. */
export function applyPageVariant(base: string, variant: PageVariant): string {
  switch (variant.kind) {
    case 'json-ld-edits':
      return withBlock(base, variant.block, (text) => {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return text;
        }
        const written = toJsonText(applyEdits(value, variant.edits));
        return variant.escapeSlashes ? written.replace(/<\//g, '<\\/') : written;
      });
    case 'json-ld-break':
      return withBlock(base, variant.block, (text) => {
        const at = text.length === 0 ? 0 : variant.at % text.length;
        return text.slice(0, at) + variant.snippet + text.slice(at + variant.length);
      });
    case 'markup-edits':
      return variant.ops.reduce(applyMarkupOp, base);
    case 'generated':
      return capped(`<!DOCTYPE html><html><head><title>generated</title>${variant.syntax === 'json-ld' ? variant.nodes.map(jsonLdScript).join('') : ''}</head><body>${
        variant.syntax === 'microdata' ? variant.nodes.map((n) => microdata(n, null, variant.isRaw)).join('') : variant.syntax === 'rdfa' ? `<div vocab="https://schema.org/">${variant.nodes.map((n) => rdfa(n, null, variant.isRaw)).join('')}</div>` : ''
      }</body></html>`);
  }
}

const MAX_PAGE = 8 * 1024 * 1024;

/** A page of many megabyte values cut to a size a run can afford (a cut page is hostile too). */
function capped(page: string): string {
  return page.length > MAX_PAGE ? page.slice(0, MAX_PAGE) : page;
}

function withBlock(page: string, pick: number, change: (text: string) => string): string {
  const blocks = [...page.matchAll(JSON_LD_BLOCK)];
  if (blocks.length === 0) return page;
  const block = blocks[pick % blocks.length] as RegExpMatchArray;
  const start = (block.index ?? 0) + (block[1] as string).length;
  const text = block[2] as string;
  return page.slice(0, start) + change(text) + page.slice(start + text.length);
}

const ATTRIBUTE = /\s(content|datetime|itemprop|itemtype|itemid|itemref|href|src|resource|about|typeof|property|vocab|prefix|type)="([^"]*)"/g;

function applyMarkupOp(page: string, op: MarkupOp): string {
  if (op.op === 'attribute') {
    const attributes = [...page.matchAll(ATTRIBUTE)];
    if (attributes.length === 0) return page;
    const match = attributes[op.pick % attributes.length] as RegExpMatchArray;
    const valueStart = (match.index ?? 0) + match[0].indexOf('"') + 1;
    const replacement = op.isRaw ? textOf(op.value) : escapeHtml(textOf(op.value));
    return page.slice(0, valueStart) + replacement + page.slice(valueStart + (match[2] as string).length);
  }
  const at = page.length === 0 ? 0 : op.at % (page.length + 1);
  if (op.op === 'insert') return page.slice(0, at) + op.snippet + page.slice(at);
  if (op.op === 'delete') return page.slice(0, at) + page.slice(at + op.length);
  const piece = page.slice(at, at + op.length);
  return page.slice(0, at) + piece.repeat(op.times + 1) + page.slice(at + op.length);
}

function textOf(value: unknown): string {
  if (value instanceof HugeString) return value.value;
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'string') return value;
  return toJsonText(value);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function isGenNode(value: unknown): value is GenNode {
  return typeof value === 'object' && value !== null && Array.isArray((value as GenNode).types) && Array.isArray((value as GenNode).props);
}

function jsonLdScript(node: GenNode): string {
  return `<script type="application/ld+json">${toJsonText({ '@context': 'https://schema.org', ...jsonLd(node) })}</script>`;
}

function jsonLd(node: GenNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (node.types.length > 0) out['@type'] = node.types.length === 1 ? node.types[0] : node.types;
  if (node.id !== null) out['@id'] = node.id;
  for (const [property, value] of node.props) {
    const written = isGenNode(value) ? jsonLd(value) : value;
    const existing = Object.hasOwn(out, property) ? out[property] : undefined;
    const next = existing === undefined ? written : Array.isArray(existing) ? [...existing, written] : [existing, written];
    Object.defineProperty(out, property, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function microdata(node: GenNode, property: string | null, isRaw: boolean): string {
  const text = (value: unknown) => (isRaw ? textOf(value) : escapeHtml(textOf(value)));
  const itemtype = node.types.map((t) => `https://schema.org/${t}`).join(' ');
  const open = `<div${property === null ? '' : ` itemprop="${text(property)}"`} itemscope itemtype="${text(itemtype)}"${node.id === null ? '' : ` itemid="${text(node.id)}"`}>`;
  const inner = node.props
    .map(([name, value], i) => {
      if (isGenNode(value)) return microdata(value, name, isRaw);
      switch (i % 4) {
        case 0:
          return `<meta itemprop="${name}" content="${text(value)}">`;
        case 1:
          return `<span itemprop="${name}">${text(value)}</span>`;
        case 2:
          return `<time itemprop="${name}" datetime="${text(value)}">${text(value)}</time>`;
        default:
          return `<a itemprop="${name}" href="${text(value)}">link</a>`;
      }
    })
    .join('');
  return `${open}${inner}</div>`;
}

function rdfa(node: GenNode, property: string | null, isRaw: boolean): string {
  const text = (value: unknown) => (isRaw ? textOf(value) : escapeHtml(textOf(value)));
  const open = `<div${property === null ? '' : ` property="${text(property)}"`} typeof="${text(node.types.join(' '))}"${node.id === null ? '' : ` resource="${text(node.id)}"`}>`;
  const inner = node.props
    .map(([name, value], i) => {
      if (isGenNode(value)) return rdfa(value, name, isRaw);
      switch (i % 3) {
        case 0:
          return `<meta property="${name}" content="${text(value)}">`;
        case 1:
          return `<span property="${name}">${text(value)}</span>`;
        default:
          return `<a property="${name}" href="${text(value)}">link</a>`;
      }
    })
    .join('');
  return `${open}${inner}</div>`;
}
