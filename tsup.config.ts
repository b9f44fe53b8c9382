import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/** Public entry points: one per subpath export in package.json. */
export const entries = {
  index: 'src/index.ts',
  testing: 'testing/index.ts',
  'adapters/yelp': 'adapters/yelp.ts',
  'adapters/facebook': 'adapters/facebook.ts',
  'adapters/google': 'adapters/google/index.ts',
  'adapters/trustpilot': 'adapters/trustpilot.ts',
  'adapters/tripadvisor': 'adapters/tripadvisor.ts',
  'adapters/app-store': 'adapters/app-store/index.ts',
  'adapters/google-play': 'adapters/google-play.ts',
  'adapters/schema-org': 'adapters/schema-org/index.ts',
  'adapters/x': 'adapters/x.ts',
  'adapters/instagram': 'adapters/instagram.ts',
  'scores': 'src/scores/index.ts',
};

/** The library: every public entry, ESM and CJS, with declarations. */
export const libraryConfig: Options = {
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  // Shared chunks keep one copy of the core, so `instanceof ReviewkitError` holds across subpaths.
  splitting: true,
  // Everything but the CLI, which the other build writes into the same folder at the same time.
  clean: ['!cli.js', '!cli/**'],
  target: 'node20',
  platform: 'node',
  external: ['vitest', 'zod'],
  // Inlined rather than imported: each is a tree of small ES modules whose one-by-one loading
  // cost more cold-start time than the code it runs (date-fns/parse alone ~90 ms). Only the
  // functions used are kept; licences in THIRD_PARTY_NOTICES.md.
  noExternal: ['date-fns', '@date-fns/tz', 'htmlparser2', 'entities', 'csv-parse', 'csv-stringify'],
  treeshake: true,
  // Keep `node:` specifiers: some built-ins (node:test) exist only under that name.
  removeNodeProtocol: false,
};

/**
 * The `reviewkit` executable (package.json `bin`, not an export): `dist/cli.js`, ESM, with each
 * command's work in a chunk under `dist/cli/` loaded when that command runs, so `--help` and
 * `--version` load commander and nothing else. It uses the library as any consumer does,
 * through `reviewkit` and `reviewkit/adapters/*`, which Node resolves to this package's own dist
 * (a package may import itself by name through its "exports"). So the core is not bundled a
 * second time, and `import('reviewkit')` never loads the CLI or its dependencies.
 */
export const cliConfig: Options = {
  entry: { cli: 'cli/index.ts' },
  format: ['esm'],
  dts: false,
  splitting: true,
  // The library build cleans the folder but spares the CLI's files (the two builds run at the
  // same time); the CLI's own stale chunks go here, before each build writes new ones.
  clean: false,
  esbuildPlugins: [
    {
      name: 'clean-cli-chunks',
      setup(build) {
        build.onStart(() => {
          const outDir = build.initialOptions.outdir;
          if (outDir) rmSync(join(outDir, 'cli'), { recursive: true, force: true });
        });
      },
    },
  ],
  esbuildOptions(options) {
    options.chunkNames = 'cli/[name]-[hash]';
  },
  target: 'node20',
  platform: 'node',
  external: [/^reviewkit(\/.*)?$/, 'zod'],
  treeshake: true,
  removeNodeProtocol: false,
};

export default defineConfig([libraryConfig, cliConfig]);
