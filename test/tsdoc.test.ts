// Every public export carries TSDoc: users read it in their editor, not in our source.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { entries as publicEntries } from '../tsup.config.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// The public entry points (the CLI is a program, not an API).
const entries = Object.values(publicEntries).map((e) => `${root}${e}`);

describe('public API documentation', () => {
  const program = ts.createProgram(entries, { strict: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();

  it.each(entries.map((e) => [e.slice(root.length), e]))('%s: every export has TSDoc', (_name, entry) => {
    const file = program.getSourceFile(entry);
    expect(file).toBeDefined();
    const moduleSymbol = file && checker.getSymbolAtLocation(file);
    const undocumented = (moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [])
      .filter((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === '';
      })
      .map((s) => s.name);
    expect(undocumented).toEqual([]);
  });
});
