/**
 * Microdata (`itemscope`, `itemtype`, `itemprop`, `itemid`, `itemref`) into schema.org nodes,
 * following the WHATWG algorithm (html.spec.whatwg.org/multipage/microdata.html): an item's
 * properties are the `itemprop` elements under it and under the elements its `itemref` names,
 * never descending into a nested item, which is itself the value of its `itemprop`.
 *
 * Values: a `content` attribute wins wherever it is (the spec reads it on `<meta>`; Google and the
 * schema.org examples use it on any element to give the machine value beside the shown one, such
 * as `content="4.4"` shown as "4,4"); then `<time datetime>`, URL attributes (`href`, `src`,
 * `data`, made absolute), `value` of `<data>`/`<meter>`, and finally the visible text
 * (`<br>` a line break, source whitespace collapsed).
 */
import { attr, type DomNode, isElement, visibleText } from './dom.js';
import { absoluteUrl, addValue, asTerm, newNode, resolveId, type SchemaNode, type SchemaValue, schemaTermOfIri } from './nodes.js';

const MAX_NESTING = 32;

const URL_ATTRIBUTE: Readonly<Record<string, string>> = {
  a: 'href',
  area: 'href',
  link: 'href',
  audio: 'src',
  embed: 'src',
  iframe: 'src',
  img: 'src',
  source: 'src',
  track: 'src',
  video: 'src',
  object: 'data',
};

/** Every top-level microdata item of the document (an `itemscope` without `itemprop`). */
export function microdataNodes(root: DomNode, byId: ReadonlyMap<string, DomNode>, base: string | null): SchemaNode[] {
  const tops: DomNode[] = [];
  const stack: DomNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as DomNode;
    if (isElement(node) && attr(node, 'itemscope') !== undefined && attr(node, 'itemprop') === undefined) tops.push(node);
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as DomNode);
  }
  return tops.map((element) => itemOf(element, { byId, base, open: new Set() }));
}

interface Reading {
  byId: ReadonlyMap<string, DomNode>;
  base: string | null;
  /** Items being read on the current path: an `itemref` loop must not recurse forever. */
  open: Set<DomNode>;
}

function itemOf(element: DomNode, reading: Reading): SchemaNode {
  const types = splitTokens(attr(element, 'itemtype'))
    .map(schemaTermOfIri)
    .filter((t): t is string => t !== null);
  const itemid = attr(element, 'itemid');
  const node = newNode([...new Set(types)], itemid !== undefined && itemid.trim() !== '' ? resolveId(itemid, reading.base) : null);
  reading.open.add(element);
  for (const property of propertiesOf(element, reading.byId)) {
    const names = splitTokens(attr(property, 'itemprop')).map(propertyName).filter((n): n is string => n !== null);
    if (names.length === 0) continue;
    const value = valueOf(property, reading);
    if (value === null) continue;
    for (const name of names) addValue(node, name, value);
  }
  reading.open.delete(element);
  return node;
}

/** The elements that give `root`'s item its properties, in tree order of discovery. */
function propertiesOf(root: DomNode, byId: ReadonlyMap<string, DomNode>): DomNode[] {
  const results: DomNode[] = [];
  const seen = new Set<DomNode>([root]);
  const start = (root.children ?? []).filter(isElement);
  for (const id of splitTokens(attr(root, 'itemref'))) {
    const referenced = byId.get(id);
    if (referenced) start.push(referenced);
  }
  // Depth first, first child first: the item's own subtree in document order, then what it references.
  const pending = start.reverse();
  while (pending.length > 0) {
    const current = pending.pop() as DomNode;
    if (seen.has(current)) continue;
    seen.add(current);
    if (attr(current, 'itemprop') !== undefined) results.push(current);
    if (attr(current, 'itemscope') === undefined) {
      const children = (current.children ?? []).filter(isElement);
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i] as DomNode);
    }
  }
  return results;
}

function valueOf(element: DomNode, reading: Reading): SchemaValue | null {
  if (attr(element, 'itemscope') !== undefined) {
    // An item that (through itemref) contains itself: no loop. Nesting past any real page's is cut.
    if (reading.open.has(element) || reading.open.size >= MAX_NESTING) return null;
    return itemOf(element, reading);
  }
  const content = attr(element, 'content');
  if (content !== undefined) return content;
  const name = element.name ?? '';
  if (name === 'time') return attr(element, 'datetime') ?? visibleText(element);
  // Own keys only: an element named `constructor` is no URL element.
  const urlAttribute = Object.hasOwn(URL_ATTRIBUTE, name) ? URL_ATTRIBUTE[name] : undefined;
  if (urlAttribute !== undefined) {
    const raw = attr(element, urlAttribute);
    if (raw === undefined) return '';
    return absoluteUrl(raw, reading.base) ?? raw.trim();
  }
  if (name === 'data' || name === 'meter') return attr(element, 'value') ?? '';
  if (name === 'meta') return '';
  return visibleText(element);
}

/** An `itemprop` token as a schema.org property: a bare name, or a full schema.org IRI. */
function propertyName(token: string): string | null {
  if (token.includes(':') || token.includes('/')) return schemaTermOfIri(token);
  return asTerm(token);
}

function splitTokens(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(/[ \t\n\f\r]+/).filter((t) => t !== '');
}
