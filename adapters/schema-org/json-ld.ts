/**
 * JSON-LD blocks (`<script type="application/ld+json">`) into schema.org nodes.
 *
 * Reading follows JSON-LD 1.1 (w3.org/TR/json-ld11) as far as schema.org markup needs it: `@graph`,
 * top-level arrays, `@type` arrays, `@id` references, `@value` objects, `@list`/`@set`, `@base`,
 * and contexts that are schema.org's (`http://` or `https://`, `schema.org` without a scheme, the
 * `docs/jsonldcontext.json` URL, `{"@vocab": …}`) or that declare a prefix for it (`schema:`,
 * which schema.org's own context also defines). schema.org's context maps `id` and `type` to
 * `@id` and `@type`, so those spellings are read too. No remote context is ever fetched: terms of
 * another vocabulary are skipped.
 *
 * Blocks as published are often not valid JSON. Search engines read many of them anyway, so the
 * parser repairs what it safely can (CDATA and HTML-comment wrappers, raw control characters and
 * invalid escapes inside strings, unescaped quotes inside strings, trailing commas, comments,
 * stray or missing closing braces, several values in one block, an entity-encoded block) and skips
 * a block that still cannot be read; the rest of the page is read regardless.
 */
import { addValue, asTerm, isSchemaBase, newNode, resolveId, type SchemaNode, type SchemaValue, schemaTermOfIri } from './nodes.js';

/** The JSON values one block holds (several when a block concatenates them), or null when unreadable. */
export function parseJsonLdBlock(text: string): unknown[] | null {
  const unwrapped = unwrap(text);
  if (unwrapped === '') return null;
  const direct = tryParse(unwrapped);
  if (direct.ok) return [direct.value];
  const repaired = repairedValues(unwrapped);
  if (repaired.length > 0) return repaired;
  // Some templates entity-encode the whole block: `{&quot;@context&quot;: …}`.
  if (/&quot;|&#0*34;/.test(unwrapped)) {
    const decoded = unwrapped.replace(/&quot;|&#0*34;/g, '"').replace(/&#0*39;|&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const again = tryParse(decoded);
    if (again.ok) return [again.value];
    const values = repairedValues(decoded);
    if (values.length > 0) return values;
  }
  return null;
}

const WRAPPERS: ReadonlyArray<[RegExp, RegExp]> = [
  [/^(?:\/\/|\/\*)?\s*<!\[CDATA\[\s*(?:\*\/)?/, /(?:\/\/|\/\*)?\s*\]\]>\s*(?:\*\/)?$/],
  [/^<!--/, /-->$/],
];

function unwrap(text: string): string {
  let current = text.replace(/^\uFEFF/, '').trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [open, close] of WRAPPERS) {
      if (open.test(current)) {
        current = current.replace(open, '').replace(close, '').trim();
        changed = true;
      }
    }
  }
  return current;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const VALID_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/**
 * Rewrites the text into well-formed JSON values where the damage is local and its repair
 * unambiguous, and parses each top-level value on its own. A value that still fails is dropped.
 */
function repairedValues(text: string): unknown[] {
  const values: unknown[] = [];
  let out = '';
  const stack: string[] = [];
  let isInString = false;
  let i = 0;
  const flush = () => {
    if (out.trim() === '') return;
    while (stack.length > 0) out += stack.pop() === '{' ? '}' : ']';
    const parsed = tryParse(out);
    if (parsed.ok) values.push(parsed.value);
    out = '';
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (isInString) {
      if (ch === '\\') {
        const next = text[i + 1] ?? '';
        if (VALID_ESCAPES.has(next)) out += ch + next;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) out += ch + next;
        // An escape JSON does not know (`\'`, `\x`): the character as written.
        else out += next === '"' ? '\\"' : next;
        i += 2;
        continue;
      }
      if (ch === '"') {
        // A quote inside a string that nobody escaped (`"Kenmore 17" Microwave"`): a real closing
        // quote is followed by `,` `:` `}` `]` or the end.
        const after = nextSignificant(text, i + 1, false);
        const isClosing = after === null || ',:}]'.includes(after);
        out += isClosing ? '"' : '\\"';
        if (isClosing) isInString = false;
        i++;
        continue;
      }
      const code = ch.charCodeAt(0);
      out += code < 0x20 ? (CONTROL_ESCAPES[ch] ?? `\\u${code.toString(16).padStart(4, '0')}`) : ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (stack.length === 0) {
        // A bare string at the top level is no JSON-LD node: skip to the next structure.
        i++;
        continue;
      }
      isInString = true;
      out += ch;
      i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
      continue;
    }
    if (ch === '{' || ch === '[') {
      stack.push(ch);
      out += ch;
      i++;
      continue;
    }
    if (ch === '}' || ch === ']') {
      const open = ch === '}' ? '{' : '[';
      // A closer with nothing open (`}}` at the end) is dropped; so is one that does not match.
      if (stack[stack.length - 1] === open) {
        stack.pop();
        out += ch;
        if (stack.length === 0) flush();
      }
      i++;
      continue;
    }
    if (stack.length === 0) {
      // Between top-level values: `;`, stray commas, text.
      i++;
      continue;
    }
    if (ch === ',') {
      const next = nextSignificant(text, i + 1, true);
      // A trailing comma (`[1, 2,]`) or a doubled one.
      if (next === null || next === '}' || next === ']' || next === ',') {
        i++;
        continue;
      }
    }
    const code = ch.charCodeAt(0);
    if (code < 0x20 && !/\s/.test(ch)) {
      i++;
      continue;
    }
    out += ch;
    i++;
  }
  // A block cut short after its last complete string: close what is open.
  if (!isInString) flush();
  return values;
}

/** The next character from `from` that is not whitespace (nor, outside strings, a comment). */
function nextSignificant(text: string, from: number, skipComments: boolean): string | null {
  let i = from;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') i++;
    else if (skipComments && ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (skipComments && ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else return ch;
  }
  return null;
}

interface JsonLdContext {
  /** Unprefixed terms are schema.org terms. */
  isSchemaVocab: boolean;
  /** Prefixes bound to the schema.org namespace (`schema`, or any the page declares). */
  prefixes: ReadonlySet<string>;
  /** Terms the context defines: to a schema.org term (`"title": "https://schema.org/name"`), or to another vocabulary's (null). */
  aliases: ReadonlyMap<string, string | null>;
  base: string | null;
}

/** The top-level nodes of the values of one block, with `@id`s made absolute against `base`. */
export function jsonLdNodes(values: readonly unknown[], base: string | null): SchemaNode[] {
  // Without a context, read terms as schema.org's: the vocabulary these pages use.
  const root: JsonLdContext = { isSchemaVocab: true, prefixes: new Set(['schema']), aliases: new Map(), base };
  const nodes: SchemaNode[] = [];
  for (const value of values) collectTop(value, root, nodes, 0);
  return nodes;
}

const MAX_DEPTH = 64;

function collectTop(value: unknown, parent: JsonLdContext, out: SchemaNode[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const item of value) collectTop(item, parent, out, depth + 1);
    return;
  }
  if (!isObject(value)) return;
  const context = withContext(value['@context'], parent);
  if ('@graph' in value) {
    collectTop(value['@graph'], context, out, depth + 1);
    // A graph object that also describes a node (rare) keeps that node too.
    if (Object.keys(value).some((key) => !key.startsWith('@'))) out.push(toNode(value, context, depth));
    return;
  }
  out.push(toNode(value, context, depth));
}

function toNode(object: Record<string, unknown>, context: JsonLdContext, depth: number): SchemaNode {
  const rawTypes = object['@type'] ?? (context.isSchemaVocab ? object.type : undefined);
  const types = toArray(rawTypes)
    .filter((t): t is string => typeof t === 'string')
    .map((t) => termOf(t, context))
    .filter((t): t is string => t !== null);
  const rawId = object['@id'] ?? (context.isSchemaVocab ? object.id : undefined);
  const id = typeof rawId === 'string' && rawId.trim() !== '' ? resolveId(rawId, context.base) : null;
  const node = newNode([...new Set(types)], id);
  for (const [key, raw] of Object.entries(object)) {
    if (key.startsWith('@') || (context.isSchemaVocab && (key === 'type' || key === 'id'))) continue;
    const property = termOf(key, context);
    if (property === null) continue;
    for (const value of toValues(raw, context, depth + 1)) addValue(node, property, value);
  }
  return node;
}

function toValues(raw: unknown, context: JsonLdContext, depth: number): SchemaValue[] {
  if (depth > MAX_DEPTH || raw === null || raw === undefined) return [];
  if (typeof raw === 'string' || typeof raw === 'boolean') return [raw];
  if (typeof raw === 'number') return Number.isFinite(raw) ? [raw] : [];
  if (Array.isArray(raw)) return raw.flatMap((item) => toValues(item, context, depth + 1));
  if (!isObject(raw)) return [];
  if ('@value' in raw) return toValues(raw['@value'], context, depth + 1).filter((v) => typeof v !== 'object');
  if ('@list' in raw) return toValues(raw['@list'], context, depth + 1);
  if ('@set' in raw) return toValues(raw['@set'], context, depth + 1);
  const inner = withContext(raw['@context'], context);
  if ('@graph' in raw) {
    const nodes: SchemaNode[] = [];
    collectTop(raw, inner, nodes, depth);
    return nodes;
  }
  return [toNode(raw, inner, depth)];
}

/** The schema.org term a key or type names in this context, or null for another vocabulary's. */
function termOf(key: string, context: JsonLdContext): string | null {
  const alias = context.aliases.get(key);
  if (alias !== undefined) return alias;
  const fromIri = schemaTermOfIri(key);
  if (fromIri !== null) return fromIri;
  const colon = key.indexOf(':');
  if (colon > 0) {
    const prefix = key.slice(0, colon);
    return context.prefixes.has(prefix) ? asTerm(key.slice(colon + 1)) : null;
  }
  return context.isSchemaVocab ? asTerm(key) : null;
}

function withContext(raw: unknown, parent: JsonLdContext): JsonLdContext {
  if (raw === undefined) return parent;
  // `null` resets to no context at all: bare terms then mean nothing.
  if (raw === null) return { isSchemaVocab: false, prefixes: new Set(['schema']), aliases: new Map(), base: parent.base };
  // A context array lists definitions; an array inside it is none (and nesting must not recurse without end).
  if (Array.isArray(raw)) return raw.reduce<JsonLdContext>((ctx, item) => (Array.isArray(item) ? ctx : withContext(item, ctx)), parent);
  if (typeof raw === 'string') {
    return { ...parent, isSchemaVocab: isSchemaContextUrl(raw) };
  }
  if (!isObject(raw)) return parent;
  const prefixes = new Set(parent.prefixes);
  const aliases = new Map(parent.aliases);
  let { isSchemaVocab, base } = parent;
  const definitions: [string, string][] = [];
  for (const [key, value] of Object.entries(raw)) {
    const iri = typeof value === 'string' ? value : isObject(value) && typeof value['@id'] === 'string' ? value['@id'] : null;
    if (key === '@vocab') isSchemaVocab = typeof iri === 'string' && isSchemaBase(iri);
    else if (key === '@base') base = typeof iri === 'string' ? (parent.base === null ? iri : resolveId(iri, parent.base)) : base;
    else if (iri !== null && !key.startsWith('@')) {
      if (isSchemaBase(iri)) prefixes.add(key);
      else definitions.push([key, iri]);
    }
  }
  // Term definitions may use any prefix of the same context (`"body": "sdo:reviewBody"`).
  for (const [key, iri] of definitions) {
    const colon = iri.indexOf(':');
    const term = schemaTermOfIri(iri) ?? (colon > 0 && prefixes.has(iri.slice(0, colon)) ? asTerm(iri.slice(colon + 1)) : null);
    // A term defined as another vocabulary's is no longer schema.org's (`"name": "http://xmlns.com/foaf/0.1/name"`).
    aliases.set(key, term);
  }
  return { isSchemaVocab, prefixes, aliases, base };
}

function isSchemaContextUrl(url: string): boolean {
  return /^(?:https?:\/\/)?(?:www\.)?schema\.org(?:\/|\/docs\/jsonldcontext\.json(?:ld)?)?$/i.test(url.trim());
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
