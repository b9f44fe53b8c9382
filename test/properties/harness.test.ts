// The property harness must catch what it is there to catch: each fragile adapter below has one
// bug, and the property has to find it (with a fixed seed, so this test is deterministic).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dateSchema, defineAdapter, type ReviewInput } from '../../src/index.js';
import { type FixtureServer, startFixtureServer } from '../../src/testing/index.js';
import { adapterProperty, type PropertySource, watchProcess } from './harness.js';

const SECRET = 'fragile-SECRET-key-0123456789abcdef';

type Bug = 'none' | 'type-error-in-pages' | 'type-error-in-normalize' | 'secret-in-review' | 'unhandled-rejection' | 'raw-payload-in-skip';

const page = {
  items: [
    { id: 'r1', stars: 4, text: 'Lovely soup, rich broth.', at: '2026-11-01T10:00:00Z' },
    { id: 'r2', stars: 2, text: 'Cold fries and a long wait.', at: '2026-10-30T18:30:00Z' },
    { id: 'r3', stars: 5, text: 'Best ramen in town.', at: '2026-10-28T12:00:00Z' },
  ],
  next: null,
};

function fragile(bug: Bug) {
  return defineAdapter({
    name: 'fragile',
    options: z.object({ apiKey: z.string() }),
    baseUrl: 'https://fragile.example',
    subjectId: () => 'shop-1',
    secrets: (o) => [o.apiKey],
    page: z.object({ items: z.array(z.unknown()) }),
    item: z
      .object({ id: z.string().min(1), stars: z.number().int().min(1).max(5), text: z.string().nullish(), at: dateSchema() })
      .superRefine((item, ctx) => {
        // Quotes the review it refuses: a raw payload in the skip report.
        if (bug === 'raw-payload-in-skip' && item.stars < 3) ctx.addIssue({ code: 'custom', path: ['stars'], message: `low rating on "${item.text}"` });
      }),
    async *pages(ctx) {
      const raw = await ctx.fetchPage('/reviews', { headers: { Authorization: `Bearer ${ctx.options.apiKey}` } });
      if (bug === 'type-error-in-pages') {
        // Trusts the first item's shape before any validation.
        const first = raw.items[0] as { text: string };
        first.text.trim();
      }
      if (bug === 'unhandled-rejection' && raw.items.length !== 3) void Promise.reject(new Error('forgotten promise'));
      yield { items: raw.items };
    },
    normalize(item, ctx): ReviewInput {
      return {
        externalId: item.id,
        subject: { id: 'shop-1' },
        rating: { value: item.stars, min: 1, max: 5 },
        text: bug === 'type-error-in-normalize' ? (item.text as string).trim() : (item.text ?? null),
        createdAt: item.at,
        extra: bug === 'secret-in-review' ? { requestedWith: ctx.options.apiKey } : {},
      };
    },
  });
}

const sourceWith = (bug: Bug): PropertySource => ({
  label: `fragile (${bug})`,
  source: 'fragile',
  make: (url) => fragile(bug)({ apiKey: SECRET, baseUrl: url }),
  secrets: [SECRET],
  routes: [{ path: '/reviews', body: page }],
});

let server: FixtureServer;
let unwatch: () => void;
beforeAll(async () => {
  server = await startFixtureServer();
  unwatch = watchProcess();
});
afterAll(async () => {
  unwatch();
  await server.close();
});

const run = (bug: Bug) => fc.check(adapterProperty(sourceWith(bug), () => server), { numRuns: 300, seed: 20261125 });

describe('the property harness', () => {
  it('passes a robust adapter', async () => {
    const details = await run('none');
    expect(details.failed, String(details.errorInstance)).toBe(false);
    expect(details.numRuns).toBe(300);
  });

  it.each([
    ['type-error-in-pages', /an exception escaped the adapter and was wrapped by the core: .*adapter failed/],
    ['type-error-in-normalize', /was skipped at stage normalize/],
    ['secret-in-review', /a secret leaked into JSON\.stringify\(result\)/],
    ['unhandled-rejection', /unhandledRejection: Error: forgotten promise/],
    ['raw-payload-in-skip', /skipped\.reason (holds \d+ characters|repeats the payload)/],
  ] as const)('finds %s', async (bug, message) => {
    const details = await run(bug);
    expect(details.failed).toBe(true);
    expect(String((details.errorInstance as Error).message)).toMatch(message);
  });
});
