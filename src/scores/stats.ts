/** Summary of one sample, as {@link welchTTest} needs it. */
export interface SampleSummary {
  /** Number of observations. */
  count: number;
  mean: number;
  /** Unbiased sample variance (divisor n − 1). */
  variance: number;
}

/** Result of {@link welchTTest}. */
export interface WelchTest {
  /** `(meanB − meanA) / √(varA/nA + varB/nB)`: negative when B is lower. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value from Student's t distribution with `df` degrees of freedom. */
  pValue: number;
}

/**
 * Welch's unequal-variance t-test of B against A (B − A), two-sided.
 *
 * @returns `null` when undefined: either sample has fewer than 2 observations, or both
 *   variances are 0 (the standard error is 0).
 * @example welchTTest({ count: 8, mean: 4, variance: 1.142857 }, { count: 5, mean: 3, variance: 2.5 })
 *   // { t: −1.247, df: 6.318, pValue: 0.2566 }
 */
export function welchTTest(a: SampleSummary, b: SampleSummary): WelchTest | null {
  if (!(a.count >= 2 && b.count >= 2)) return null;
  const qa = a.variance / a.count;
  const qb = b.variance / b.count;
  const se2 = qa + qb;
  if (!(se2 > 0)) return null;
  const t = (b.mean - a.mean) / Math.sqrt(se2);
  const df = (se2 * se2) / ((qa * qa) / (a.count - 1) + (qb * qb) / (b.count - 1));
  return { t, df, pValue: studentTTwoSided(t, df) };
}

/**
 * Cumulative distribution function of Student's t with `df` (> 0, may be fractional)
 * degrees of freedom: `P(T ≤ t)`.
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`df must be positive, got ${df}`);
  const tail = studentTTwoSided(t, df) / 2;
  return t < 0 ? tail : 1 - tail;
}

// P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2)
function studentTTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? Number.NaN : 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * Regularized incomplete beta `I_x(a, b)`, by its continued fraction (modified Lentz), using
 * the symmetry `I_x(a,b) = 1 − I_{1−x}(b,a)` where the fraction converges slowly.
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

// Lanczos approximation (g = 7, n = 9): about 15 significant digits for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Natural log of the gamma function for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] ?? 0;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
