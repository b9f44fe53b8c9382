// Streams `count` reviews of one in-memory custom adapter and prints what it saw and the peak
// heap. Run in a child process with a small --max-old-space-size: a run that keeps every review
// (or every id) dies before the end. Usage: tsx test/scripts/stream-many.ts <count> [pageSize]
import { z } from 'zod';
import { defineAdapter, streamReviews } from '../../src/index.js';

const count = Number(process.argv[2] ?? 100_000);
const pageSize = Number(process.argv[3] ?? 1000);
const BASE = Date.UTC(2020, 0, 1);

const memory = defineAdapter({
  name: 'in-memory',
  baseUrl: 'https://unused.example',
  options: z.object({ count: z.number().int(), pageSize: z.number().int() }),
  subjectId: () => 'memory',
  page: z.unknown(),
  item: z.object({ id: z.string(), stars: z.number(), at: z.number() }),
  async *pages(ctx) {
    const { count: total, pageSize: size } = ctx.options;
    for (let start = 0; start < total; start += size) {
      const items = [];
      for (let i = start; i < Math.min(total, start + size); i++) items.push({ id: `r${i}`, stars: 1 + (i % 5), at: BASE + i * 1000 });
      yield { items, cursor: start === 0 ? null : String(start), nextCursor: start + size < total ? String(start + size) : null };
    }
  },
  normalize: (item) => ({
    externalId: item.id,
    subject: { id: 'memory', name: 'In-memory shop' },
    rating: { value: item.stars, min: 1, max: 5 },
    text: `Review number ${item.id} with a little text so that each one weighs something.`,
    createdAt: new Date(item.at),
  }),
});

let seen = 0;
let starSum = 0;
let peak = 0;
for await (const review of streamReviews([memory({ count, pageSize })], { maxPages: Math.ceil(count / pageSize) + 1 })) {
  seen++;
  starSum += review.stars ?? 0;
  if (seen % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
}
peak = Math.max(peak, process.memoryUsage().heapUsed);
console.log(JSON.stringify({ seen, starSum, peakHeapMB: Math.round(peak / 1048576), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
