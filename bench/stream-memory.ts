/**
 * Flat memory when streaming: `streamReviews` over 1,000,000 reviews of one in-memory custom
 * adapter, default options, in a child process whose old space is capped at 64 MB. Prints the
 * peak heap and RSS it reached (a run keeping every review or every id would die on the way).
 * Run: npx tsx bench/stream-memory.ts [count]
 */
import { execFileSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const count = Number(process.argv[2] ?? 1_000_000);
const started = performance.now();
const out = execFileSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', 'test/scripts/stream-many.ts', String(count)], {
  cwd: root,
  encoding: 'utf8',
});
const seconds = (performance.now() - started) / 1000;
const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { seen: number; peakHeapMB: number; maxRssMB: number };
if (result.seen !== count) throw new Error(`lost reviews: ${result.seen} of ${count}`);
console.log(`streamReviews of ${count.toLocaleString('en-US')} reviews under --max-old-space-size=64: peak heap ${result.peakHeapMB} MB, peak RSS ${result.maxRssMB} MB, ${Math.round(count / seconds).toLocaleString('en-US')} reviews/s`);
