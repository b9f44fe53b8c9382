import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatReport, scoreFile } from '../../examples/score-file.js';
import { averageRating, reputationScore } from '../../src/scores/index.js';
import sample from '../../examples/sample-reviews.json' with { type: 'json' };

const SAMPLE = fileURLToPath(new URL('../../examples/sample-reviews.json', import.meta.url));
const AS_OF = new Date('2026-07-01T00:00:00Z');

describe('examples/score-file.ts', () => {
  it('scores the sample file, consistently with calling the helpers directly', async () => {
    const report = await scoreFile(SAMPLE, AS_OF);
    expect(report.reviews).toBe(20);
    expect(report.distribution).toEqual([1, 1, 2, 5, 6]);
    expect(report.average).toBe(averageRating(sample.map((r) => ({ stars: r.stars }))));
    expect(report.recommendations).toMatchObject({ positive: 2, total: 3 });
    const direct = reputationScore(
      sample.map((r) => ({ ...r, recommendation: r.recommendation === null ? null : r.recommendation === 'positive' ? 'positive' : 'negative' })),
      { asOf: AS_OF },
    );
    expect(report.reputation).toEqual(direct);
    expect(report.reputation.score).toBeGreaterThan(0);
    // Q2 2026: (5+4+2+5+3+4+1+5+4.5)/9 = 3.7222; Q1: (5+5+3)/3 = 4.3333
    expect(report.trend.change?.delta).toBeCloseTo(33.5 / 9 - 13 / 3, 12);
  });

  it('prints a readable report', async () => {
    const text = formatReport(await scoreFile(SAMPLE, AS_OF));
    expect(text).toContain('20 reviews');
    expect(text).toMatch(/Reputation score: \d+\.\d \/ 100/);
    for (const name of ['quality', 'volume', 'recency', 'responseRate', 'responseTime', 'diversity']) expect(text).toContain(name);
  });

  it('rejects a malformed file at the edge', async () => {
    await expect(scoreFile(fileURLToPath(new URL('./reference.py', import.meta.url)), AS_OF)).rejects.toThrow();
  });
});
