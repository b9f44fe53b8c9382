/**
 * Warm-up: what the first `aggregate` in a process pays that later ones don't. Each fresh
 * process serves 16 custom-adapter sources × 3 pages at 25 ms latency from a local server, runs
 * `aggregate` once (first) and then 5 times (warm), and reports first / median(warm). The figure
 * is the median over fresh processes. Uses the built package. Run: npx tsx bench/first-call.ts [processes]
 */
import { execFileSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const processes = Number(process.argv[2] ?? 7);

const child = `
import { createServer } from 'node:http';
import { z } from 'zod';
import { aggregate, dateSchema, defineAdapter } from 'reviewkit';
import { yelp } from 'reviewkit/adapters/yelp';
const SOURCES = 16, PAGES = 3, LATENCY = 25;
const page = (shop, n) => JSON.stringify({
  items: Array.from({ length: 20 }, (_, i) => ({ id: shop + '-' + n + '-' + i, stars: 1 + (i % 5), at: '2025-0' + (1 + (i % 9)) + '-1' + (i % 9) + 'T10:00:00Z', text: 'Good food, friendly staff.' })),
  next: n + 1 < PAGES ? String(n + 1) : null,
});
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const body = page(url.pathname.slice(3), Number(url.searchParams.get('after') ?? 0));
  setTimeout(() => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); }, LATENCY);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = 'http://127.0.0.1:' + server.address().port;
const shop = defineAdapter({
  name: 'shop', baseUrl: 'https://shop.example', options: z.object({ id: z.string() }), subjectId: (o) => o.id,
  page: z.object({ items: z.array(z.unknown()), next: z.string().nullable() }),
  item: z.object({ id: z.string(), stars: z.number(), at: dateSchema(), text: z.string() }),
  async *pages(ctx) {
    let cursor = ctx.cursor;
    for (;;) {
      const p = await ctx.fetchPage('/s/' + ctx.options.id, { query: { after: cursor ?? undefined } });
      yield { items: p.items, cursor, nextCursor: p.next };
      if (p.next === null) return;
      cursor = p.next;
    }
  },
  normalize: (item, ctx) => ({ externalId: item.id, subject: { id: ctx.options.id }, rating: { value: item.stars, min: 1, max: 5 }, text: item.text, createdAt: item.at }),
});
const run = async () => {
  const t = performance.now();
  const { reviews } = await aggregate(Array.from({ length: SOURCES }, (_, i) => shop({ id: 'shop' + i, baseUrl })), { concurrency: SOURCES });
  if (reviews.length !== SOURCES * PAGES * 20) throw new Error('lost reviews');
  return performance.now() - t;
};
const first = await run();
const warm = [];
for (let i = 0; i < 5; i++) warm.push(await run());
server.close();
console.log(JSON.stringify({ first, warm: warm.sort((a, b) => a - b)[2] }));
`;

const results = Array.from({ length: processes }, () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', child], { cwd: root, encoding: 'utf8' })) as { first: number; warm: number });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
const ideal = 3 * 25;
console.log(`16 sources × 3 pages at 25 ms latency (ideal ${ideal} ms), fresh process each, median of ${processes}`);
console.log(`  first aggregate   ${median(results.map((r) => r.first)).toFixed(0)} ms`);
console.log(`  warm aggregate    ${median(results.map((r) => r.warm)).toFixed(0)} ms`);
console.log(`  first / warm      ${median(results.map((r) => r.first / r.warm)).toFixed(2)}×  (goal ≤ 1.3×)`);
