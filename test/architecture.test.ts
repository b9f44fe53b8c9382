// The data flow rules of DESIGN.md, checked on the source: the core never imports an adapter,
// and adapters reach the core only through its public entry (as a user's adapter would).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const filesUnder = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
// Static imports and re-exports, side-effect imports, and dynamic `import('…')` (lazy loads count too).
const IMPORT = /^\s*(?:(?:import|export)[^'"]*from\s+|import\s+)['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
const importsOf = (file: string) => [...readFileSync(join(root, file), 'utf8').matchAll(IMPORT)].map((m) => (m[1] ?? m[2]) as string);

describe('architecture', () => {
  it('the core never imports an adapter', () => {
    const offenders = filesUnder('src').filter((f) => importsOf(f).some((spec) => spec.includes('adapters')));
    expect(offenders).toEqual([]);
  });

  it('adapters import only the public core entry, zod, node built-ins, their own modules and declared libraries', () => {
    // A source may need a library of its own (cheerio for HTML pages), but never a second road to
    // the network (axios) or its own concurrency control (p-limit): those are the core's.
    const { dependencies = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const libraries = Object.keys(dependencies).filter((name) => name !== 'axios' && name !== 'p-limit');
    const offenders: string[] = [];
    for (const file of filesUnder('adapters')) {
      for (const spec of importsOf(file)) {
        const isCoreEntry = /^(\.\.\/)+src\/index\.js$/.test(spec);
        const isOwn = spec.startsWith('./') || (spec.startsWith('../') && !spec.includes('src/') && !spec.includes('test/'));
        const isLibrary = libraries.some((name) => spec === name || spec.startsWith(`${name}/`));
        if (!(isCoreEntry || isOwn || isLibrary || spec === 'zod' || spec.startsWith('node:'))) offenders.push(`${relative(root, join(root, file))}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
