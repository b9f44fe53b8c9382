import type { StarOptions } from './average.js';
import { addDecayed, decayAccumulator, decayedMean } from './decay.js';
import {
  checkPositive,
  checkRange,
  checkRecommendationStars,
  DAY_MS,
  type DateInput,
  floatBuffer,
  HOUR_MS,
  medianOf,
  NO_RECOMMENDATION,
  pushFloat,
  recommendationOf,
  requiredTime,
  type ScoreInput,
  starsOf,
  timeOf,
} from './inputs.js';
import { firstReplyDelay, isRespondableSource, type RespondableSources, respondableSet } from './response.js';

/** Names of the {@link reputationScore} components, in result order. */
export type ReputationComponentName = 'quality' | 'volume' | 'recency' | 'responseRate' | 'responseTime' | 'diversity';

/** Relative weight per component (any non-negative numbers; they are normalized to sum 1). */
export type ReputationWeights = Record<ReputationComponentName, number>;

/**
 * Default weights. Rating quality dominates (it is what customers read); volume and response
 * rate next (both are signals a business controls and every vendor lists); recency, response
 * time and source diversity refine. Starting point: scores.md §11, in line with Localyser's
 * published split (rating 25, volume 20, response rate 20, recency 15, spread 10, time 10) but
 * with more weight on quality, because the other components are easier to game.
 */
export const DEFAULT_REPUTATION_WEIGHTS: Readonly<ReputationWeights> = Object.freeze({
  quality: 0.4,
  volume: 0.15,
  recency: 0.1,
  responseRate: 0.15,
  responseTime: 0.1,
  diversity: 0.1,
});

/** Curves turning a raw measure into a 0..1 component value (outputs are clamped to [0, 1]). */
export interface ReputationCurves {
  /** Reviews (rated or not) in the window → value. Default `n / (n + 25)`: 25 reviews a year is half-way. */
  volume: (reviewsInWindow: number) => number;
  /** Days since the newest dated review → value. Default `0.5^(days / 30)`: a month of silence halves it. */
  recency: (daysSinceNewest: number) => number;
  /** Median hours to first reply → value. Default `0.5^(hours / 48)`: answering within two days keeps half. */
  responseTime: (medianHours: number) => number;
}

/** Default curves of {@link reputationScore}. */
export const DEFAULT_REPUTATION_CURVES: Readonly<ReputationCurves> = Object.freeze({
  volume: (n: number) => n / (n + 25),
  recency: (days: number) => 0.5 ** (days / 30),
  responseTime: (hours: number) => 0.5 ** (hours / 48),
});

/** Options of {@link reputationScore}. */
export interface ReputationScoreOptions extends StarOptions {
  /** The instant the score is computed for. Required: scores never read the clock. */
  asOf: DateInput;
  /** Overrides of {@link DEFAULT_REPUTATION_WEIGHTS}; `0` disables a component. */
  weights?: Partial<ReputationWeights>;
  /** Overrides of {@link DEFAULT_REPUTATION_CURVES}. */
  curves?: Partial<ReputationCurves>;
  /** Trailing window `(asOf − windowDays, asOf]` for volume, response and diversity. Default `365`. */
  windowDays?: number;
  /** The quality prior and decay. */
  quality?: {
    /**
     * Prior mean in stars. Default `4`: roughly the typical average on the big platforms, so
     * a business with few reviews starts "ordinary" rather than punished or flattered.
     */
    priorMean?: number;
    /** Prior strength in decayed-review units. Default `5`. */
    priorWeight?: number;
    /** Review half-life in days. Default `180`. */
    halfLifeDays?: number;
  };
  /** Default: `DEFAULT_RESPONDABLE_SOURCES`; reviews with a reply always count. */
  respondableSources?: RespondableSources;
  /** Unreplied reviews younger than this are not yet counted against the response rate. Default `48`. */
  responseGraceHours?: number;
  /**
   * Sources the business is connected to (e.g. `result.sources.map((s) => s.source)`), the
   * denominator of `diversity`. Default: every source seen in the input, any date.
   */
  sources?: Iterable<string>;
}

/** One component of a {@link ReputationScore}. */
export interface ReputationComponent {
  name: ReputationComponentName;
  /** 0..1, or `null` when there is no data for it. */
  value: number | null;
  /**
   * The measure behind `value`: quality → decayed Bayesian mean in stars; volume → reviews in
   * window; recency → days since newest review; responseRate → fraction; responseTime →
   * median hours; diversity → active sources. `null` with `value`.
   */
  raw: number | null;
  /** Configured weight, normalized so all six sum to 1. */
  weight: number;
  /** Weight actually used: `weight / coverage` when `value` is defined, else 0. */
  effectiveWeight: number;
  /** `100 · effectiveWeight · value` (0 when `value` is null). */
  points: number;
}

/** Result of {@link reputationScore}. */
export interface ReputationScore {
  /** `Σ points`, 0..100; `null` when the input has no dated rating (or no component has data). */
  score: number | null;
  /** All six components, in a fixed order, with their share of the score. */
  components: ReputationComponent[];
  /** Sum of the normalized weights of components that had data (0..1): how much of the design the score rests on. */
  coverage: number;
}

const COMPONENTS: readonly ReputationComponentName[] = [
  'quality',
  'volume',
  'recency',
  'responseRate',
  'responseTime',
  'diversity',
];

/**
 * Transparent 0..100 reputation score: `score = Σ points`, `points_j = 100 · w_j · c_j / Σ_{defined} w_k`,
 * every `c_j ∈ [0, 1]` reported with its weight and points — no black box.
 *
 * Components (defaults):
 * - `quality` (0.40): decayed Bayesian mean of stars on 0..1, `(Σwᵢxᵢ + m·C)/(Σwᵢ + m)`,
 *   `xᵢ = (stars − 1)/4`, `wᵢ = 0.5^(age/180 d)`, m = 5, C = 4★. Recommendations enter only
 *   with `recommendationStars`; undated ratings cannot be aged and are skipped.
 * - `volume` (0.15): reviews of any kind (rated, recommendation, unrated mention) dated in the
 *   window → `n/(n+25)`. 0 (not null) when there are none: silence is data.
 * - `recency` (0.10): days since the newest dated review → `0.5^(days/30)`; future dates count as now.
 * - `responseRate` (0.15): replied / respondable in the window, unreplied reviews younger than
 *   48 h not yet counted; `null` when nothing is respondable.
 * - `responseTime` (0.10): median hours to first reply in the window → `0.5^(h/48)`; `null` when
 *   no reply is measurable.
 * - `diversity` (0.10): sources with at least one rating or recommendation in the window / sources
 *   connected; `null` when no review names a source.
 *
 * Components without data are dropped and their weight spread over the rest in proportion
 * (`effectiveWeight`), and `coverage` says how much weight had data. The score is `null` when
 * `quality` is null while weighted — a reputation without a single dated rating is not a figure.
 * One pass over the input; allocations are per call, never per review.
 *
 * @throws RangeError for a missing/invalid `asOf`, negative or all-zero weights, a curve
 *   returning a non-finite number, or invalid review fields.
 */
export function reputationScore(reviews: Iterable<ScoreInput>, options: ReputationScoreOptions): ReputationScore {
  const asOf = requiredTime(options.asOf, 'asOf');
  const weights = normalizeWeights(options.weights);
  const curves = { ...DEFAULT_REPUTATION_CURVES, ...options.curves };
  const windowMs = checkPositive(options.windowDays ?? 365, 'windowDays') * DAY_MS;
  const priorMean = checkRange(options.quality?.priorMean ?? 4, 1, 5, 'quality.priorMean');
  const priorWeight = checkRange(options.quality?.priorWeight ?? 5, 0, Infinity, 'quality.priorWeight');
  const halfLifeDays = checkPositive(options.quality?.halfLifeDays ?? 180, 'quality.halfLifeDays');
  const graceMs = checkRange(options.responseGraceHours ?? 48, 0, Infinity, 'responseGraceHours') * HOUR_MS;
  const mapping = checkRecommendationStars(options.recommendationStars);
  const respondable = respondableSet(options.respondableSources);
  const connected = options.sources === undefined ? undefined : new Set(options.sources);

  const decay = decayAccumulator(halfLifeDays);
  const delays = floatBuffer();
  const seen = new Set<string>();
  const active = new Set<string>();
  let inWindow = 0;
  let newest = -Infinity;
  let respondableCount = 0;
  let repliedCount = 0;
  // Reviews usually arrive grouped by source: remember the last source's lookups.
  let lastSource: string | null | undefined;
  let lastIsRespondable = isRespondableSource(undefined, respondable);
  let lastActive: string | undefined;

  for (const review of reviews) {
    // The common cases read in line: this loop is too big for V8 to inline every helper, and a
    // helper it calls returns its number boxed, one heap number per review (a garbage collection
    // per million-review score; with these two lines, none).
    const createdAt = review.createdAt;
    const created = createdAt instanceof Date ? createdAt.getTime() : timeOf(createdAt);
    // An Invalid Date: timeOf refuses it with a RangeError.
    if (Number.isNaN(created) && createdAt != null) timeOf(createdAt);
    const t = created > asOf ? asOf : created;
    const s = review.stars;
    const stars = typeof s === 'number' && s >= 1 && s <= 5 ? s : starsOf(review, mapping);
    if (!Number.isNaN(stars) && !Number.isNaN(t)) addDecayed(decay, t, (stars - 1) / 4);
    if (t > newest) newest = t;
    const source = review.source;
    if (source !== lastSource) {
      lastSource = source;
      lastIsRespondable = isRespondableSource(source, respondable);
      if (source != null) seen.add(source);
    }
    if (!(asOf - t < windowMs)) continue;
    inWindow++;
    const replies = review.replies;
    if (replies != null && replies.length > 0) {
      respondableCount++;
      repliedCount++;
      const delay = firstReplyDelay(created, replies);
      if (!Number.isNaN(delay)) pushFloat(delays, delay / HOUR_MS);
    } else if (lastIsRespondable && asOf - t >= graceMs) {
      respondableCount++;
    }
    if (source != null && source !== lastActive) {
      if (!Number.isNaN(stars) || recommendationOf(review) !== NO_RECOMMENDATION) {
        active.add(source);
        lastActive = source;
      }
    }
  }

  const median = medianOf(delays);
  let activeConnected = active.size;
  let sourceCount = seen.size;
  if (connected !== undefined) {
    sourceCount = connected.size;
    activeConnected = 0;
    for (const s of active) if (connected.has(s)) activeConnected++;
  }
  const qualityValue = decay.count === 0 ? null : decayedMean(decay, asOf, priorWeight, (priorMean - 1) / 4);
  const days = newest === -Infinity ? null : (asOf - newest) / DAY_MS;
  const rate = respondableCount === 0 ? null : repliedCount / respondableCount;
  const values: Record<ReputationComponentName, [value: number | null, raw: number | null]> = {
    quality: [qualityValue, qualityValue === null ? null : 1 + 4 * qualityValue],
    volume: [applyCurve(curves.volume, inWindow, 'volume'), inWindow],
    recency: [days === null ? null : applyCurve(curves.recency, days, 'recency'), days],
    responseRate: [rate, rate],
    responseTime: [median === null ? null : applyCurve(curves.responseTime, median, 'responseTime'), median],
    diversity: [sourceCount === 0 ? null : activeConnected / sourceCount, sourceCount === 0 ? null : activeConnected],
  };

  let coverage = 0;
  for (const name of COMPONENTS) if (values[name][0] !== null) coverage += weights[name];
  const isScored = coverage > 0 && !(values.quality[0] === null && weights.quality > 0);
  let score = 0;
  const components: ReputationComponent[] = [];
  for (const name of COMPONENTS) {
    const [value, raw] = values[name];
    const effectiveWeight = isScored && value !== null ? weights[name] / coverage : 0;
    const points = value === null ? 0 : 100 * effectiveWeight * value;
    score += points;
    components.push({ name, value, raw, weight: weights[name], effectiveWeight, points });
  }
  return { score: isScored ? score : null, components, coverage };
}

function normalizeWeights(overrides: Partial<ReputationWeights> | undefined): ReputationWeights {
  const merged: ReputationWeights = { ...DEFAULT_REPUTATION_WEIGHTS, ...overrides };
  let total = 0;
  for (const name of COMPONENTS) total += checkRange(merged[name], 0, Number.MAX_VALUE, `weights.${name}`);
  if (!(total > 0)) throw new RangeError('weights must not all be 0');
  for (const name of COMPONENTS) merged[name] /= total;
  return merged;
}

function applyCurve(curve: (x: number) => number, x: number, name: string): number {
  const y = curve(x);
  if (!Number.isFinite(y)) throw new RangeError(`curves.${name}(${x}) returned ${y}; curves must return finite numbers`);
  return Math.min(1, Math.max(0, y));
}
