/**
 * What callers give the sandbox, checked and completed: options and new reviews are validated
 * (a bad value is a `CONFIG` error naming it), and what a new review leaves out is generated
 * from the source's own seeded stream, in the source's style of author names.
 */
import { ReviewkitError } from '../src/errors.js';
import { type Language, moodOf } from './corpus.js';
import { drawStars, fullName, person, reviewText, reviewTitle, shortName } from './data.js';
import type { ResolvedNewReview } from './module.js';
import type { Random } from './random.js';
import { nickname } from './sources/app-store-feed.js';
import { type NewReview, SANDBOX_SOURCES, type SandboxSource, type ScheduledFailure } from './types.js';

/** What each source's texts are about. */
const TOPIC: Readonly<Record<SandboxSource, 'venue' | 'app' | 'mention'>> = {
  yelp: 'venue',
  'google-places': 'venue',
  'google-places-legacy': 'venue',
  'google-business-profile': 'venue',
  facebook: 'venue',
  trustpilot: 'venue',
  tripadvisor: 'venue',
  'app-store': 'app',
  'app-store-connect': 'app',
  'google-play': 'app',
  'schema-org': 'venue',
  x: 'mention',
  instagram: 'mention',
};

const LANGUAGES: readonly string[] = ['en', 'de', 'fr', 'es'] satisfies Language[];
const isLanguage = (value: string): value is Language => LANGUAGES.includes(value);
const isSandboxSource = (value: string): value is SandboxSource => (SANDBOX_SOURCES as readonly string[]).includes(value);

/**
 * A new review with every field decided: the caller's values, checked, and for the rest values
 * drawn from `random` (the source's stream for additions). `tick` dates it on the sandbox clock.
 */
export function resolveNewReview(source: SandboxSource, input: NewReview, random: Random, tick: (given: Date | undefined, name: string) => Date): ResolvedNewReview {
  const language = input.language === undefined ? 'en' : checkedText(input.language, 'language');
  // Texts are generated in the sandbox's four languages; another tag gets English words.
  const corpusLanguage: Language = isLanguage(language) ? language : 'en';
  const stars = input.stars === undefined ? drawStars(random) : checkedStars(input.stars);
  const mood = moodOf(stars);
  const who = person(random, corpusLanguage);
  const generatedName = { short: shortName(who), full: fullName(who), nickname: nickname(random, who) };
  // Each source's way of naming reviewers: `Olivia C.`, an App Store nickname, or the full name.
  const style = source === 'yelp' || source === 'schema-org' ? 'short' : source === 'app-store' || source === 'app-store-connect' ? 'nickname' : 'full';
  const topic = TOPIC[source];
  return {
    stars,
    text: input.text === undefined ? reviewText(random, topic, corpusLanguage, mood) : checkedText(input.text, 'text'),
    title: input.title === undefined ? (input.text === undefined ? reviewTitle(random, topic, corpusLanguage, mood) : null) : checkedText(input.title, 'title'),
    createdAt: tick(input.createdAt, 'createdAt'),
    authorName: input.authorName === undefined ? generatedName[style] : checkedText(input.authorName, 'authorName'),
    language,
    recommendation: input.recommendation === undefined ? null : checkedRecommendation(input.recommendation),
  };
}

/** A `CONFIG` error from the sandbox. */
export function configError(message: string): ReviewkitError {
  return new ReviewkitError({ code: 'CONFIG', source: 'sandbox', message: `sandbox: ${message}` });
}

/** `source` if it is a {@link SandboxSource}, else a `CONFIG` error listing them. */
export function checkedSource(source: string): SandboxSource {
  if (!isSandboxSource(source)) throw configError(`unknown source ${JSON.stringify(source)}; one of ${SANDBOX_SOURCES.join(', ')}.`);
  return source;
}

/** A share from 0 to 1 (`failRate`). */
export function checkedRate(rate: number): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw configError('option `failRate` must be a number from 0 to 1.');
  return rate;
}

/** A non-negative, finite number of milliseconds (`latencyMs`). */
export function checkedLatency(ms: number): number {
  if (typeof ms !== 'number' || !(ms >= 0 && Number.isFinite(ms))) throw configError('option `latencyMs` must be a non-negative number of milliseconds.');
  return ms;
}

/** A whole number from `min` to `max` (ports, counts, seconds). */
export function checkedWhole(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw configError(`option \`${name}\` must be a whole number from ${min} to ${max}.`);
  return value;
}

/** A valid `Date`. */
export function checkedDate(value: Date, name: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw configError(`\`${name}\` must be a valid Date.`);
  return value;
}

/** Stars: a whole number from 1 to 5. */
export function checkedStars(stars: number): number {
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) throw configError('`stars` must be a whole number from 1 to 5.');
  return stars;
}

/** A string with something in it. */
export function checkedText(text: string, name: string): string {
  if (typeof text !== 'string' || text.trim() === '') throw configError(`\`${name}\` must be a non-empty string.`);
  return text;
}

/** `positive` or `negative`. */
function checkedRecommendation(value: string): 'positive' | 'negative' {
  if (value !== 'positive' && value !== 'negative') throw configError("`recommendation` must be 'positive' or 'negative'.");
  return value;
}

const SCHEDULED_FAULTS: readonly string[] = ['server-error', 'rate-limit', 'timeout'];

/** A scheduled failure, checked, with its `times` decided and its pattern made stateless. */
export function checkedFailure(failure: ScheduledFailure): ScheduledFailure {
  if (typeof failure !== 'object' || failure === null || !SCHEDULED_FAULTS.includes(failure.fault)) {
    throw configError(`\`fault\` must be one of ${SCHEDULED_FAULTS.join(', ')}.`);
  }
  if (failure.source !== undefined) checkedSource(failure.source);
  if (failure.method !== undefined) checkedText(failure.method, 'method');
  if (failure.path !== undefined && typeof failure.path !== 'string' && !(failure.path instanceof RegExp)) {
    throw configError('`path` must be a string or a RegExp.');
  }
  const times = checkedWhole(failure.times ?? 1, 'times', 1, 1_000_000);
  // A global or sticky pattern remembers where it stopped: each test would start elsewhere.
  const path = failure.path instanceof RegExp ? new RegExp(failure.path.source, failure.path.flags.replace(/[gy]/g, '')) : failure.path;
  return { ...failure, ...(path !== undefined && { path }), times };
}
