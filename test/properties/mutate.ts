/**
 * Well-shaped hostile payloads: a real page with a few of its values, at any depth, replaced,
 * dropped, duplicated or retyped. A plan is independent of the page it is applied to, so that
 * fast-check can shrink it (fewer edits, simpler values, earlier paths) whatever the page.
 */
import fc from 'fast-check';
import { HugeString, hostileValue, RawJson, RepeatedJson } from './hostile.js';

type Key = string | number;
type Path = readonly Key[];

/** One edit of a page. `pick` chooses the path (modulo the paths there are), `shallow` limits it to the envelope. */
export type Edit =
  | { op: 'replace'; pick: number; shallow: boolean; value: unknown }
  | { op: 'drop'; pick: number; shallow: boolean }
  | { op: 'duplicate'; pick: number; shallow: boolean; times: number }
  | { op: 'lengthen'; pick: number; shallow: boolean; length: number }
  | { op: 'retype'; pick: number; shallow: boolean; as: 'string' | 'number' | 'array' | 'object' | 'wrapped' }
  | { op: 'extreme'; pick: number; shallow: boolean; how: Extreme };

/** The value pushed to an edge of its own kind: a timestamp of 400 digits, a negative count, a rating of 4.5. */
type Extreme = 'huge' | 'negative' | 'zero' | 'fraction' | 'padded';

/** A few edits of one page. */
export function editPlan(secrets: readonly string[]): fc.Arbitrary<Edit[]> {
  const pick = fc.nat();
  const shallow = fc.boolean();
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    { weight: 8, arbitrary: fc.record({ op: fc.constant('replace' as const), pick, shallow, value: hostileValue(secrets) }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('drop' as const), pick, shallow }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate' as const), pick, shallow, times: fc.integer({ min: 1, max: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('lengthen' as const), pick, shallow, length: fc.constantFrom(0, 60, 500, 2000) }) },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant('retype' as const), pick, shallow, as: fc.constantFrom('string', 'number', 'array', 'object', 'wrapped') }),
    },
  );
  const extreme: fc.Arbitrary<Edit> = fc.record({
    op: fc.constant('extreme' as const),
    pick,
    shallow,
    how: fc.constantFrom<Extreme>('huge', 'negative', 'zero', 'fraction', 'padded'),
  });
  return fc.array(fc.oneof({ weight: 5, arbitrary: edit }, { weight: 1, arbitrary: extreme }), { minLength: 1, maxLength: 4 });
}

/** Applies the plan to a copy of `page`; the page itself is left as it was. */
export function applyEdits(page: unknown, edits: readonly Edit[]): unknown {
  let root = clone(page);
  for (const edit of edits) root = applyEdit(root, edit);
  return root;
}

function applyEdit(root: unknown, edit: Edit): unknown {
  const all = pathsOf(root);
  const reachable = edit.shallow ? all.filter((p) => p.length <= 2) : all;
  // Only a number or a string has an edge to push to.
  const leaves = edit.op === 'extreme' ? reachable.filter((p) => ['number', 'string'].includes(typeof valueAt(root, p))) : reachable;
  const candidates = leaves.length > 0 ? leaves : reachable;
  const path = candidates[edit.pick % candidates.length] ?? [];
  const current = valueAt(root, path);
  switch (edit.op) {
    case 'replace':
      // A copy: the hostile values are shared constants, and later edits write into what they replace.
      return setAt(root, path, clone(edit.value));
    case 'drop':
      return path.length === 0 ? new RawJson('') : dropAt(root, path);
    case 'duplicate': {
      // The nearest array at or above the path: duplicate the element the path runs through.
      const at = nearestArray(root, path);
      if (at === null) return root;
      const list = valueAt(root, at.path) as unknown[];
      const element = list[at.index];
      const copies = Array.from({ length: edit.times }, () => clone(element));
      return setAt(root, at.path, [...list.slice(0, at.index + 1), ...copies, ...list.slice(at.index + 1)]);
    }
    case 'lengthen': {
      // The nearest array at or above the path, made of `length` copies of the element the path runs through.
      const at = nearestArray(root, path);
      if (at === null) return root;
      const list = valueAt(root, at.path) as unknown[];
      return setAt(root, at.path, new RepeatedJson(list[at.index], edit.length));
    }
    case 'retype':
      return setAt(root, path, retype(current, edit.as));
    case 'extreme':
      return setAt(root, path, extremeOf(current, edit.how));
  }
}

const DIGITS = /^-?\d+(\.\d+)?$/;

function extremeOf(value: unknown, how: Extreme): unknown {
  if (typeof value === 'number') {
    switch (how) {
      case 'huge':
        return value === 0 ? 1e300 : value * 1e300;
      case 'negative':
        return value === 0 ? -1 : -value;
      case 'zero':
        return 0;
      case 'fraction':
        return value + 0.5;
      case 'padded':
        return ` ${value} `;
    }
  }
  if (typeof value === 'string') {
    const isNumeric = DIGITS.test(value);
    switch (how) {
      case 'huge':
        return isNumeric ? value.replace('-', '').repeat(Math.ceil(400 / Math.max(1, value.length))) : new HugeString(value || 'x', 100_000);
      case 'negative':
        return `-${value}`;
      case 'zero':
        return isNumeric ? '0' : '';
      case 'fraction':
        return isNumeric ? `${value}.5` : `${value}½`;
      case 'padded':
        return ` \t${value}\n `;
    }
  }
  return value;
}

/** The same information under another JSON type: `4` → `"4"`, `"4"` → `4`, `x` → `[x]`, `[a, b]` → `{"0": a, "1": b}`. */
function retype(value: unknown, as: 'string' | 'number' | 'array' | 'object' | 'wrapped'): unknown {
  switch (as) {
    case 'string':
      return typeof value === 'string' || value instanceof RawJson || value instanceof HugeString || value instanceof RepeatedJson ? value : (JSON.stringify(value) ?? 'undefined');
    case 'number':
      return typeof value === 'number' ? String(value) : typeof value === 'string' ? (value.trim() === '' ? 0 : Number(value)) : typeof value === 'boolean' ? Number(value) : 1;
    case 'array':
      return Array.isArray(value) ? (value.length === 1 ? value[0] : {}) : [value];
    case 'object':
      return Array.isArray(value) ? Object.fromEntries(value.map((v, i) => [String(i), v])) : { value };
    case 'wrapped':
      return { label: value, '@value': clone(value), value: clone(value) };
  }
}

function nearestArray(root: unknown, path: Path): { path: Path; index: number } | null {
  for (let end = path.length - 1; end >= 0; end--) {
    const parent = valueAt(root, path.slice(0, end));
    if (Array.isArray(parent) && parent.length > 0) return { path: path.slice(0, end), index: Number(path[end]) };
  }
  return Array.isArray(root) && root.length > 0 ? { path: [], index: 0 } : null;
}

const MAX_PATHS = 20_000;

/** Every path of the value, root first, depth first (capped: a lengthened page has many). */
function pathsOf(root: unknown): Path[] {
  const out: Path[] = [];
  const stack: Path[] = [[]];
  while (stack.length > 0 && out.length < MAX_PATHS) {
    const path = stack.pop() as Path;
    out.push(path);
    const value = valueAt(root, path);
    const keys: Key[] = Array.isArray(value) ? value.map((_, i) => i) : isPlainObject(value) ? Object.keys(value) : [];
    for (let i = keys.length - 1; i >= 0; i--) stack.push([...path, keys[i] as Key]);
  }
  return out;
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const key of path) {
    if (Array.isArray(current)) current = current[key as number];
    else if (isPlainObject(current)) current = Object.hasOwn(current, key) ? current[key as string] : undefined;
    else return undefined;
  }
  return current;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = valueAt(root, path.slice(0, -1));
  const key = path[path.length - 1] as Key;
  if (Array.isArray(parent)) parent[key as number] = value;
  else if (isPlainObject(parent)) Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  return root;
}

function dropAt(root: unknown, path: Path): unknown {
  const parent = valueAt(root, path.slice(0, -1));
  const key = path[path.length - 1] as Key;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else if (isPlainObject(parent)) delete parent[key as string];
  return root;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RawJson) && !(value instanceof HugeString) && !(value instanceof RepeatedJson);
}

/** A deep copy that keeps `RawJson` and `HugeString` leaves as they are. */
export function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(copy, k, { value: clone(v), enumerable: true, writable: true, configurable: true });
    return copy as T;
  }
  return value;
}
