import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Consumer/package tests build and pack the library; they get more time than unit tests.
    testTimeout: 20_000,
    hookTimeout: 120_000,
    env: { TZ: 'UTC' },
  },
});
