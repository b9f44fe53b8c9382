/**
 * RDFa Lite 1.1 (`vocab`, `typeof`, `property`, `resource`, `prefix`; w3.org/TR/rdfa-lite) into
 * schema.org nodes, plus `about`, which full RDFa pages use in the same role as `resource`.
 *
 * - `typeof` starts a node (its id from `resource`/`about`); with `property` on the same element
 *   the node is that property's value on the enclosing node.
 * - `property` without `typeof` takes `content`, else a `resource` reference, else `href`/`src`
 *   (made absolute), else `<time datetime>`, else the visible text.
 * - Terms are schema.org's when `vocab` is schema.org (http or https), when prefixed with a prefix
 *   bound to it (`prefix="s: https://schema.org/"`, or `schema:`, which RDFa's initial context
 *   binds), or when written as full IRIs. Everything else (Open Graph's `og:`…) is skipped.
 */
import { attr, type DomNode, isElement, visibleText } from './dom.js';
import { absoluteUrl, addValue, asTerm, isSchemaBase, newNode, resolveId, type SchemaNode, type SchemaValue, schemaTermOfIri } from './nodes.js';

interface Scope {
  /** The schema.org vocabulary is in force for bare terms. */
  isSchemaVocab: boolean;
  /** Prefixes bound to schema.org. */
  prefixes: ReadonlySet<string>;
  /** The node properties attach to; null outside any. */
  subject: SchemaNode | null;
}

const URL_ATTRIBUTES = ['href', 'src'] as const;

/** Every top-level RDFa node of the document (not itself a property value). */
export function rdfaNodes(root: DomNode, base: string | null): SchemaNode[] {
  const tops: SchemaNode[] = [];
  // Depth first in document order, iteratively: no nesting depth can overflow the stack.
  const stack: { element: DomNode; scope: Scope }[] = [{ element: root, scope: { isSchemaVocab: false, prefixes: new Set(['schema']), subject: null } }];
  while (stack.length > 0) {
    const { element, scope } = stack.pop() as { element: DomNode; scope: Scope };
    const inner = isElement(element) ? read(element, scope, base, tops) : scope;
    const children = (element.children ?? []).filter(isElement);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ element: children[i] as DomNode, scope: inner });
  }
  return tops;
}

function read(element: DomNode, scope: Scope, base: string | null, tops: SchemaNode[]): Scope {
  let { isSchemaVocab, prefixes } = scope;
  const vocab = attr(element, 'vocab');
  if (vocab !== undefined) isSchemaVocab = isSchemaBase(vocab);
  const prefix = attr(element, 'prefix');
  if (prefix !== undefined) prefixes = withPrefixes(prefixes, prefix);
  const terms = (value: string | undefined) =>
    splitTokens(value)
      .map((token) => termOf(token, isSchemaVocab, prefixes))
      .filter((t): t is string => t !== null);

  const properties = terms(attr(element, 'property'));
  const typeOf = attr(element, 'typeof');
  const identifier = attr(element, 'resource') ?? attr(element, 'about');
  const id = identifier !== undefined && identifier.trim() !== '' ? resolveId(identifier, base) : null;
  let subject = scope.subject;

  if (typeOf !== undefined) {
    const node = newNode([...new Set(terms(typeOf))], id);
    if (properties.length > 0 && scope.subject !== null) for (const name of properties) addValue(scope.subject, name, node);
    else tops.push(node);
    subject = node;
  } else if (properties.length > 0 && scope.subject !== null) {
    const value = valueOf(element, id, base);
    for (const name of properties) addValue(scope.subject, name, value);
  } else if (properties.length === 0 && id !== null) {
    // `resource` alone names the node that nested properties describe.
    const node = newNode([], id);
    tops.push(node);
    subject = node;
  }
  return { isSchemaVocab, prefixes, subject };
}

function valueOf(element: DomNode, id: string | null, base: string | null): SchemaValue {
  const content = attr(element, 'content');
  if (content !== undefined) return content;
  if (id !== null) return newNode([], id);
  for (const name of URL_ATTRIBUTES) {
    const raw = attr(element, name);
    if (raw !== undefined) return absoluteUrl(raw, base) ?? raw.trim();
  }
  const datetime = attr(element, 'datetime');
  if (element.name === 'time' && datetime !== undefined) return datetime;
  return visibleText(element);
}

function termOf(token: string, isSchemaVocab: boolean, prefixes: ReadonlySet<string>): string | null {
  const fromIri = schemaTermOfIri(token);
  if (fromIri !== null) return fromIri;
  const colon = token.indexOf(':');
  if (colon > 0) return prefixes.has(token.slice(0, colon)) ? asTerm(token.slice(colon + 1)) : null;
  return isSchemaVocab ? asTerm(token) : null;
}

/** `prefix="s: https://schema.org/ og: http://ogp.me/ns#"`: adds those bound to schema.org. */
function withPrefixes(current: ReadonlySet<string>, declaration: string): ReadonlySet<string> {
  const next = new Set(current);
  const tokens = splitTokens(declaration);
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const name = tokens[i] as string;
    const iri = tokens[i + 1] as string;
    if (!name.endsWith(':')) continue;
    const prefix = name.slice(0, -1);
    if (isSchemaBase(iri)) next.add(prefix);
    else next.delete(prefix);
  }
  return next;
}

function splitTokens(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(/[ \t\n\f\r]+/).filter((t) => t !== '');
}
