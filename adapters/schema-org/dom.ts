/**
 * The little of the parsed document the readers need. cheerio (htmlparser2 underneath) builds
 * the tree; the readers walk it through this structural view, so they depend on no parser type.
 */

/** A node of the parsed document (domhandler's nodes fit this shape). */
export interface DomNode {
  /** `tag`, `script`, `style`, `text`, `comment`, `root`, `directive`, `cdata`. */
  type: string;
  /** Lower-case tag name of elements. */
  name?: string;
  /** Attributes of elements, names in lower case, values with entities decoded. */
  attribs?: Record<string, string>;
  children?: DomNode[];
  /** Text of text and comment nodes. */
  data?: string;
}

/** What one pass over the document collects. */
export interface DocumentIndex {
  /** Text of each `<script type="application/ld+json">`, in document order. */
  jsonLd: string[];
  /** The first `<base href>`, as written. */
  baseHref: string | null;
  /** Elements by `id` (the first one wins, as in `getElementById`), for microdata `itemref`. */
  byId: Map<string, DomNode>;
}

const JSON_LD_TYPE = /^\s*application\/ld\+json\s*(;|$)/i;

/** Elements (`<script>` and `<style>` included), as opposed to text, comments and the document. */
export function isElement(node: DomNode): boolean {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** An attribute's value, or undefined when the element lacks it. */
export function attr(node: DomNode, name: string): string | undefined {
  return node.attribs && Object.hasOwn(node.attribs, name) ? node.attribs[name] : undefined;
}

/** One pass over the document: its JSON-LD blocks, `<base href>` and element ids. */
export function indexDocument(root: DomNode): DocumentIndex {
  const index: DocumentIndex = { jsonLd: [], baseHref: null, byId: new Map() };
  const stack: DomNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as DomNode;
    if (isElement(node)) {
      const id = attr(node, 'id');
      if (id !== undefined && id !== '' && !index.byId.has(id)) index.byId.set(id, node);
      if (node.name === 'script' && JSON_LD_TYPE.test(attr(node, 'type') ?? '')) index.jsonLd.push(rawText(node));
      else if (node.name === 'base' && index.baseHref === null) index.baseHref = attr(node, 'href') ?? null;
    }
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as DomNode);
  }
  return index;
}

function rawText(node: DomNode): string {
  return (node.children ?? []).map((child) => child.data ?? '').join('');
}

// Elements whose end starts a new paragraph, and whose text is never shown.
const BLOCKS = new Set(['p', 'div', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'ul', 'ol', 'dl', 'dd', 'dt', 'section', 'article', 'pre']);
const HIDDEN = new Set(['script', 'style', 'template']);
const PRESERVED = new Set(['pre', 'textarea']);

/**
 * The text an element shows, as a browser lays it out: runs of source whitespace (line breaks
 * in the markup included) are one space, `<br>` is a line break and block ends are blank lines.
 * That is what makes `<span>replace\n   it.</span>` read "replace it.", as JSON-LD would say it.
 */
export function visibleText(element: DomNode): string {
  let out = '';
  // Iterative, so that no depth of nesting can overflow the stack; `close` marks a block's end.
  const stack: { node: DomNode; isPreserved: boolean; close?: boolean }[] = [];
  const pushChildren = (node: DomNode, isPreserved: boolean) => {
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i] as DomNode, isPreserved });
  };
  pushChildren(element, PRESERVED.has(element.name ?? ''));
  while (stack.length > 0) {
    const { node, isPreserved, close } = stack.pop() as { node: DomNode; isPreserved: boolean; close?: boolean };
    if (close) {
      out += '\n\n';
      continue;
    }
    if (node.type === 'text') {
      out += isPreserved ? (node.data ?? '') : (node.data ?? '').replace(/[ \t\n\f\r]+/g, ' ');
      continue;
    }
    if (!isElement(node) || HIDDEN.has(node.name ?? '')) continue;
    if (node.name === 'br') {
      out += '\n';
      continue;
    }
    if (BLOCKS.has(node.name ?? '')) stack.push({ node, isPreserved, close: true });
    pushChildren(node, isPreserved || PRESERVED.has(node.name ?? ''));
  }
  return out;
}
