/**
 * Cold start: `import('reviewkit')` + `import('reviewkit/adapters/yelp')` from the built package,
 * against `import('axios')` alone, each in a fresh Node process (interleaved; median of the
 * per-round ratios). Each child times only its own imports, not Node's start-up.
 * Needs a build (`npm run build`). Run: npx tsx bench/cold-start.ts [rounds]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const rounds = Number(process.argv[2] ?? 15);
if (!existsSync(`${root}dist/index.js`)) throw new Error('build first: npm run build');

// The package imports itself by name (Node resolves a package's own "exports" from inside it).
const probes = {
  axios: "const t = performance.now(); await import('axios'); console.log(performance.now() - t);",
  reviewkit: "const t = performance.now(); await import('reviewkit'); await import('reviewkit/adapters/yelp'); console.log(performance.now() - t);",
  'reviewkit/scores': "const t = performance.now(); await import('reviewkit/scores'); console.log(performance.now() - t);",
} as const;
const time = (code: string) => Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' }).trim());

const samples: Record<keyof typeof probes, number[]> = { axios: [], reviewkit: [], 'reviewkit/scores': [] };
const ratios: number[] = [];
for (let round = 0; round < rounds + 2; round++) {
  const axios = time(probes.axios);
  const kit = time(probes.reviewkit);
  const scores = time(probes['reviewkit/scores']);
  if (round < 2) continue; // the file cache warms up
  samples.axios.push(axios);
  samples.reviewkit.push(kit);
  samples['reviewkit/scores'].push(scores);
  ratios.push(kit / axios);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
console.log(`cold import, fresh process each, median of ${rounds} interleaved rounds`);
console.log(`  import('axios')                                ${median(samples.axios).toFixed(0)} ms   1.00×`);
console.log(`  import('reviewkit') + 'reviewkit/adapters/yelp' ${median(samples.reviewkit).toFixed(0)} ms   ${median(ratios).toFixed(2)}×  (goal ≤ 2×)`);
console.log(`  import('reviewkit/scores')                     ${median(samples['reviewkit/scores']).toFixed(0)} ms`);
