/**
 * The one shape all three syntaxes (JSON-LD, microdata, RDFa) are read into: a schema.org node
 * with its types, its identifier and its property values, every property multi-valued (as in
 * JSON-LD's expanded form). Reading the page's markup into this shape first is what makes the
 * same markup give the same reviews whatever syntax carries it.
 */

/** A property value: text (or a number/boolean from JSON-LD), or a nested node. */
export type SchemaValue = string | number | boolean | SchemaNode;

/** A schema.org node; `types` and property names are bare schema.org terms (`Review`, `reviewRating`). */
export interface SchemaNode {
  types: string[];
  /** `@id` / `itemid` / RDFa `resource`, made absolute against the page when it can be. */
  id: string | null;
  props: Record<string, SchemaValue[]>;
}

/** The syntax a node was read from. */
export type Syntax = 'json-ld' | 'microdata' | 'rdfa';

const SCHEMA_IRI = /^(?:https?:\/\/)?(?:www\.)?schema\.org\/([A-Za-z][A-Za-z0-9_]*)$/i;
const SCHEMA_BASE = /^(?:https?:\/\/)?(?:www\.)?schema\.org\/?$/i;
const TERM = /^[A-Za-z][A-Za-z0-9_]*$/;

/** True for the schema.org namespace itself, over http or https (`https://schema.org/`). */
export function isSchemaBase(iri: string): boolean {
  return SCHEMA_BASE.test(iri.trim());
}

/** The bare term of a full schema.org IRI (`http://schema.org/Review` → `Review`), or null. */
export function schemaTermOfIri(iri: string): string | null {
  return SCHEMA_IRI.exec(iri.trim())?.[1] ?? null;
}

/** A bare term as a property or type name, or null when it is not one (`__proto__`, `og:title`, `a b`). */
export function asTerm(term: string): string | null {
  return TERM.test(term) ? term : null;
}

/** A node without properties yet. */
export function newNode(types: string[], id: string | null): SchemaNode {
  // No prototype: a property named `constructor` read off a page is never Object's.
  return { types, id, props: Object.create(null) as Record<string, SchemaValue[]> };
}

/** Appends a value to a property (properties are multi-valued). */
export function addValue(node: SchemaNode, property: string, value: SchemaValue): void {
  const values = node.props[property];
  if (values) values.push(value);
  else node.props[property] = [value];
}

/** A property's values; none when the node lacks it. */
export function valuesOf(node: SchemaNode, property: string): SchemaValue[] {
  return Object.hasOwn(node.props, property) ? (node.props[property] as SchemaValue[]) : [];
}

/** Whether a property value is a nested node rather than text. */
export function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && Array.isArray((value as SchemaNode).types) && 'props' in value;
}

/** Blank-node ids (`_:b0`) name a node inside one document only: never an identity across runs. */
export function isBlankId(id: string): boolean {
  return id.startsWith('_:');
}

/** `value` made absolute against `base` (http/https only), else null. */
export function absoluteUrl(value: string | null | undefined, base: string | null): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  try {
    const url = base === null ? new URL(trimmed) : new URL(trimmed, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** An identifier made absolute against the page when it is a relative reference; kept as written otherwise. */
export function resolveId(id: string, base: string | null): string {
  const trimmed = id.trim();
  if (isBlankId(trimmed)) return trimmed;
  return absoluteUrl(trimmed, base) ?? trimmed;
}
