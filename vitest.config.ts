import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples import 'reviewkit' exactly as users do; in the repo that is the source.
    alias: [
      { find: /^reviewkit\/adapters\/(.*)$/, replacement: here('./adapters/$1.ts') },
      { find: /^reviewkit\/testing$/, replacement: here('./src/testing/index.ts') },
      { find: /^reviewkit\/scores$/, replacement: here('./src/scores/index.ts') },
      { find: /^reviewkit$/, replacement: here('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Package tests build and pack the library; they get more time than unit tests.
    testTimeout: 20_000,
    hookTimeout: 180_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
