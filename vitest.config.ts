import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { entries } from './tsup.config.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples import 'reviewkit' exactly as users do; in the repo that is the source.
    alias: Object.entries(entries).map(([name, source]) => ({
      find: new RegExp(`^reviewkit${name === 'index' ? '' : `/${name}`}$`),
      replacement: here(`./${source}`),
    })),
  },
  test: {
    include: ['test/**/*.test.ts'],
    // A zone far from UTC with odd offsets and DST: local-time slips fail loudly here
    // (test/core/dates.test.ts also runs its cases under UTC and three other zones).
    env: { TZ: 'Pacific/Chatham' },
    // Package tests build and pack the library; they get more time than unit tests.
    testTimeout: 20_000,
    // vitest runs CPUs − 1 files at once, one on a 2-core CI machine, which then sits half idle
    // while the CLI and package tests wait on their child processes.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    hookTimeout: 180_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});
