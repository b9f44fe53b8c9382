// streamReviews keeps memory flat: 300,000 reviews stream through a child process whose old
// space is capped at 24 MB. Keeping every review, or every review id, dies on the way
// (bench/stream-memory.ts prints the 1,000,000-review figure).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;

describe('streamReviews memory', () => {
  it('streams 300,000 reviews under --max-old-space-size=24', () => {
    const out = execFileSync(process.execPath, ['--max-old-space-size=24', '--import', 'tsx', 'test/scripts/stream-many.ts', '300000'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { seen: number; starSum: number };
    // Every review arrived once: 300,000 of them, stars cycling 1..5.
    expect(result).toMatchObject({ seen: 300_000, starSum: 900_000 });
  }, 60_000);
});
