/**
 * Polarity of unrated mentions (tweets, Instagram comments and captions): an estimate read from
 * the text, never a rating. Shared by the `x` and `instagram` adapters.
 *
 * The built-in estimate is wink-sentiment 5 (MIT; AFINN-165 word list, emoji and emoticon scores,
 * negation within two words, some two-word idioms: github.com/winkjs/wink-sentiment), chosen over
 * `sentiment` (AFINN-165 alone) and `vader-sentiment` (a JavaScript port of VADER) because it
 * labelled our 48 hand-written mentions best (41/48 against 39 and 37; the comparison is
 * test/adapters/mention-sentiment.test.ts). It is an English lexicon: other languages get no
 * estimate. Its label is the sign of its `normalizedScore` (its documented reading), not a
 * threshold tuned on our sample.
 *
 * It is loaded when a run first needs it (about 30 ms on a cold start), so importing an adapter,
 * or running one with your own `polarity` function, never loads it.
 */
import { z } from 'zod';
import type { Polarity } from '../../src/index.js';

/** What a {@link PolarityEstimator} knows about the text besides the text. */
export interface PolarityContext {
  /** The mention's language as a BCP 47 tag when the source says it (X does), else null. */
  language: string | null;
}

/**
 * Estimates the polarity of a mention's text: `'positive'`, `'neutral'`, `'negative'`, or null
 * when it cannot tell. Synchronous and pure (it runs inside `normalize`); the text is plain text,
 * never empty. Pass `() => null` to leave polarity unset without loading the built-in estimate.
 *
 * @example
 * x({ bearerToken, query, polarity: (text) => (/\bthank(s| you)\b/i.test(text) ? 'positive' : null) });
 */
export type PolarityEstimator = (text: string, context: PolarityContext) => Polarity | null;

/** What a mention's review gets from the estimate. */
export interface MentionPolarity {
  polarity: Polarity | null;
  /** Which estimate decided, for `extra.polaritySource`: null when none ran (no text, unsupported language). */
  source: 'wink-sentiment' | 'custom' | null;
  /** wink-sentiment's `normalizedScore` (roughly −5…5), for `extra.sentimentScore`; null for a custom estimate. */
  score: number | null;
}

/** Turns a mention's text into its {@link MentionPolarity}. */
export type MentionScorer = (text: string | null, language: string | null) => MentionPolarity;

const NONE: MentionPolarity = { polarity: null, source: null, score: null };

/** English, or a language the source could not name (a tag of `und`, emoji only…): the built-in lexicon applies. */
function isEnglishOrUnknown(language: string | null): boolean {
  return language === null || language === 'en' || language.startsWith('en-');
}

/** Most characters of a mention scored: far beyond a post or a comment, far below what would stall a run. */
const MAX_SCORED_LENGTH = 10_000;
// wink's tokenizer takes quadratic time on a run of characters without a space (100,000 of them:
// about 40 s). No word, emoji or emoticon it scores is that long: such runs (hashes, links, spam)
// carry no sentiment, and are left out of the text it reads.
const LONG_RUN = /\S{80,}/g;

/** The part of a mention's text the built-in estimate reads. */
export function scoredPart(text: string): string {
  return text.slice(0, MAX_SCORED_LENGTH).replace(LONG_RUN, ' ');
}

/** The sign of a score as a polarity. */
export function polarityOfScore(score: number): Polarity {
  return score > 0 ? 'positive' : score < 0 ? 'negative' : 'neutral';
}

/**
 * The scorer a run uses: the user's estimator when given (wink-sentiment is then never loaded),
 * else wink-sentiment, imported on first use.
 */
export async function loadMentionScorer(custom: PolarityEstimator | undefined): Promise<MentionScorer> {
  if (custom) {
    return (text, language) => (text === null ? NONE : { polarity: custom(text, { language }), source: 'custom', score: null });
  }
  const { default: wink } = await import('wink-sentiment');
  return (text, language) => {
    if (text === null || !isEnglishOrUnknown(language)) return NONE;
    const score = wink(scoredPart(text)).normalizedScore;
    return { polarity: polarityOfScore(score), source: 'wink-sentiment', score };
  };
}

/** The `polarity` option both mention adapters accept. */
export const polarityOption = z
  .custom<PolarityEstimator>((value) => typeof value === 'function', 'must be a function (text, { language }) => polarity')
  .optional();
