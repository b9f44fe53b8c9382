import { checkRange } from './inputs.js';

/** Options of {@link wilsonLowerBound}. */
export interface WilsonOptions {
  /**
   * Standard-normal quantile. Default `1.96` (two-sided 95 %, Evan Miller's choice; exact
   * 1.959964). Use `1.644854` for one-sided 95 %, `2.326348` for one-sided 99 %.
   */
  z?: number;
}

/** Default `z` of {@link wilsonLowerBound}. */
export const DEFAULT_WILSON_Z = 1.96;

/**
 * Lower bound of the Wilson score interval for a proportion (Evan Miller, "How Not To Sort By
 * Average Rating", 2009):
 * `(p̂ + z²/2n − z·√((p̂(1−p̂) + z²/4n)/n)) / (1 + z²/n)` with `p̂ = positive/total`.
 *
 * Meant for genuinely binary channels: Facebook recommendations, helpful votes, share of
 * 4–5★. `positive` may be fractional (e.g. `n·(mean−1)/4` for the "fractional up-vote"
 * adaptation to stars).
 *
 * Edge cases: `total = 0` → `0` (Miller's convention: an item with no votes sorts last,
 * tied with 0 of n); the result is clamped to [0, 1] because floating point gives −1e-17
 * at p̂ = 0.
 *
 * @returns 0..1
 * @throws RangeError unless `0 ≤ positive ≤ total`, both finite, and `z ≥ 0`.
 * @example wilsonLowerBound(9, 10) // 0.596
 */
export function wilsonLowerBound(positive: number, total: number, options: WilsonOptions = {}): number {
  const z = checkRange(options.z ?? DEFAULT_WILSON_Z, 0, Number.MAX_VALUE, 'z');
  checkRange(total, 0, Number.MAX_VALUE, 'total');
  checkRange(positive, 0, total, 'positive');
  if (total === 0) return 0;
  const p = positive / total;
  const z2 = z * z;
  const lb = (p + z2 / (2 * total) - z * Math.sqrt((p * (1 - p) + z2 / (4 * total)) / total)) / (1 + z2 / total);
  return Math.min(1, Math.max(0, lb));
}
