// Run by import.test.ts in a child process with a small heap: streams a file of reviews and
// prints what it saw. Reading the file whole, or keeping the reviews, would exceed the heap.
import { streamReviewFile } from '../../src/import/read.js';

const file = process.argv[2] as string;
let count = 0;
let votes = 0;
let lastId = '';
let peakHeap = 0;
const started = performance.now();
for await (const review of streamReviewFile(file)) {
  count++;
  votes += review.helpfulVotes ?? 0;
  lastId = review.id;
  if (count % 1000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
process.stdout.write(JSON.stringify({ count, votes, lastId, peakHeapMB: Math.round(peakHeap / 2 ** 20), seconds: (performance.now() - started) / 1000 }));
