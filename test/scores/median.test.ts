import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floatBuffer, medianOf, pushFloat } from '../../src/scores/inputs.js';

const sortedMedian = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

describe('medianOf (quickselect)', () => {
  it('equals the sort-based median for any input, duplicates included', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 3000 }), (values) => {
        const buffer = floatBuffer();
        for (const v of values) pushFloat(buffer, v);
        expect(medianOf(buffer)).toBe(sortedMedian(values));
      }),
      { numRuns: 500 },
    );
  });

  it('is null when empty and exact for the scores.md reference', () => {
    expect(medianOf(floatBuffer())).toBeNull();
    const buffer = floatBuffer();
    for (const v of [2, 5, 30, 200]) pushFloat(buffer, v);
    expect(medianOf(buffer)).toBe(17.5);
  });
});
