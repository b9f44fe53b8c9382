/**
 * The sandbox's only source of chance: a small seeded generator (sfc32, seeded through cyrb128),
 * so the same seed gives the same data and the same faults on every machine. `Math.random` is
 * never used.
 */

/** cyrb128: four 32-bit hashes of a string (a seed for sfc32, or a stateless draw). */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A number in [0, 1) that depends only on its parts: a draw that needs no stream (fault decisions). */
export function hashUnit(...parts: readonly (string | number)[]): number {
  return cyrb128(parts.join('\u0000'))[0] / 4294967296;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URL_SAFE = `${BASE62}-_`;
const HEX = '0123456789abcdef';

/** A seeded stream of numbers with the helpers the generators need. */
export interface Random {
  /** The next number in [0, 1). */
  next(): number;
  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One value by weight: `[[value, weight], …]`. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
  /** `count` distinct elements of a list, in random order. */
  sample<T>(items: readonly T[], count: number): T[];
  /** `length` decimal digits, the first not 0. */
  digits(length: number): string;
  /** `length` characters of [A-Za-z0-9], or of the URL-safe base64 alphabet with `urlSafe`. */
  chars(length: number, alphabet?: 'base62' | 'url-safe' | 'hex'): string;
  /** A random (version 4 shaped) UUID. */
  uuid(): string;
  /** An independent stream named `label`: draws from it never shift this one. */
  fork(label: string): Random;
}

/** A seeded stream: the same seed and label give the same numbers everywhere. */
export function createRandom(seed: string): Random {
  let [a, b, c, d] = cyrb128(seed);
  // sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), 32-bit state words.
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The first draws of sfc32 still echo the seed: warm it up.
  for (let i = 0; i < 12; i++) next();

  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError('pick() needs at least one item');
    return items[int(0, items.length - 1)] as T;
  };
  const chars = (length: number, alphabet: 'base62' | 'url-safe' | 'hex' = 'base62'): string => {
    const set = alphabet === 'hex' ? HEX : alphabet === 'url-safe' ? URL_SAFE : BASE62;
    let out = '';
    for (let i = 0; i < length; i++) out += set[int(0, set.length - 1)];
    return out;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick,
    weighted(choices) {
      const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
      let at = next() * total;
      for (const [value, weight] of choices) {
        at -= weight;
        if (at < 0) return value;
      }
      return (choices[choices.length - 1] as readonly [never, number])[0];
    },
    sample(items, count) {
      const pool = [...items];
      const out: (typeof pool)[number][] = [];
      while (out.length < count && pool.length > 0) out.push(pool.splice(int(0, pool.length - 1), 1)[0] as (typeof pool)[number]);
      return out;
    },
    digits(length) {
      let out = String(int(1, 9));
      for (let i = 1; i < length; i++) out += String(int(0, 9));
      return out;
    },
    chars,
    uuid() {
      const hex = chars(32, 'hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[int(0, 3)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
    fork: (label) => createRandom(`${seed}/${label}`),
  };
}
