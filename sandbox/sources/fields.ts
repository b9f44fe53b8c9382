/**
 * Field selection as Google's field masks (`id,displayName,reviews.rating`) and Graph's `fields`
 * (`id,text,replies{id,text}`) do it: only what was asked for is returned.
 */

/** A parsed selection: each field, with the selection of its children (null: the whole value). */
export type Selection = Map<string, Selection | null>;

/** Parses Graph's `fields` syntax: `a,b{c,d{e}},f.limit(5)` (modifiers such as `.limit()` are ignored). */
export function parseGraphFields(text: string): Selection {
  let at = 0;
  function list(): Selection {
    const out: Selection = new Map();
    while (at < text.length) {
      let name = '';
      while (at < text.length && !',{}'.includes(text.charAt(at))) name += text.charAt(at++);
      name = name.trim().replace(/\..*$/, '');
      let children: Selection | null = null;
      if (text.charAt(at) === '{') {
        at++;
        children = list();
        at++; // the closing brace
      }
      if (name !== '') out.set(name, children);
      if (text.charAt(at) === ',') at++;
      else break;
    }
    return out;
  }
  return list();
}

/** Parses a Google field mask: `id,displayName,reviews.rating` (paths joined by dots). */
export function parseFieldMask(text: string): Selection {
  const out: Selection = new Map();
  for (const path of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    let level = out;
    const parts = path.split('.');
    parts.forEach((part, index) => {
      const isLast = index === parts.length - 1;
      const existing = level.get(part);
      if (isLast) {
        level.set(part, null);
        return;
      }
      if (existing === null) return;
      const next: Selection = existing ?? new Map();
      level.set(part, next);
      level = next;
    });
  }
  return out;
}

/** Keeps the selected fields of a value (recursing into arrays, objects and Graph's `{data: […]}` edges). */
export function select(value: unknown, selection: Selection | null): unknown {
  if (selection === null || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => select(item, selection));
  const object = value as Record<string, unknown>;
  if (Array.isArray(object.data) && !selection.has('data')) {
    return { ...object, data: object.data.map((item) => select(item, selection)) };
  }
  if (selection.has('*')) return object;
  const out: Record<string, unknown> = {};
  for (const [name, children] of selection) {
    if (object[name] !== undefined) out[name] = select(object[name], children);
  }
  return out;
}

/** Top-level names of a selection that a value does not know (for "invalid field" errors). */
export function unknownFields(selection: Selection, known: readonly string[]): string[] {
  return [...selection.keys()].filter((name) => name !== '*' && !known.includes(name));
}
