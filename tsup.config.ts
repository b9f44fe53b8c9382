import { defineConfig } from 'tsup';

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

export default defineConfig({
  entry: entries,
  format: ['esm', 'cjs'],
  dts: true,
  // Shared chunks keep one copy of the core, so `instanceof ReviewkitError` holds across subpaths.
  splitting: true,
  clean: true,
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
});
