import { expect, it } from 'vitest';

it('runs the suite outside UTC, so a local-time slip cannot hide', () => {
  expect(new Date('2024-01-15T00:00:00Z').getTimezoneOffset()).not.toBe(0);
});
