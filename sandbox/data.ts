/**
 * The seeded generator: the facts of one review before any source writes it in its own format
 * (who, how many stars, in which language, what they wrote, when, whether it was edited, and the
 * owner's reply). Times are spread over a span before the sandbox's anchor, never the wall clock.
 */
import { FIRST_NAMES, LANGUAGE_MIX, LAST_NAMES, type Language, type Mood, moodOf, phrasesFor, REPLIES, STAR_MIX, type Topic } from './corpus.js';
import { days, fromWallTime, hours, SANDBOX_ZONE, wallTime } from './dates.js';
import type { Random } from './random.js';

/** A person the sandbox invented. */
export interface Person {
  first: string;
  last: string;
  language: Language;
}

/** The facts of one generated review, before a source writes it. */
export interface ReviewFacts {
  person: Person;
  language: Language;
  stars: number;
  mood: Mood;
  title: string | null;
  text: string;
  createdAt: Date;
  updatedAt: Date | null;
  reply: { text: string; createdAt: Date } | null;
  helpfulVotes: number;
}

/** What to generate for one source. */
export interface FactsSpec {
  topic: Topic;
  count: number;
  /** Creation times fall within this many days before `anchor` (and at least an hour before it). */
  spanDays: number;
  anchor: Date;
  /** Share of reviews with a title. */
  titleRate?: number;
  /** Share with an owner reply (leave 0 for sources that show none). */
  replyRate?: number;
  /** Share edited after posting (leave 0 for sources that cannot show an edit time). */
  editRate?: number;
  /** Share in English instead of the usual mix (mentions are mostly English). */
  languages?: readonly (readonly [Language, number])[];
}

/** A person who writes in `language` (or in a language drawn from the mix). */
export function person(random: Random, language: Language = random.weighted(LANGUAGE_MIX)): Person {
  return { first: random.pick(FIRST_NAMES[language]), last: random.pick(LAST_NAMES[language]), language };
}

/** `Olivia Carter`. */
export const fullName = (p: Person): string => `${p.first} ${p.last}`;
/** `Olivia C.` (Yelp's and many review sites' way of showing a reviewer). */
export const shortName = (p: Person): string => `${p.first} ${p.last.charAt(0)}.`;

/** ASCII letters of a name, lower case (`Chloé` → `chloe`). */
const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

/** A handle made of the name: `olivia.carter`, `olivia_carter27` (ASCII only, as handles are). */
export function handle(random: Random, p: Person, separator: '.' | '_'): string {
  const suffix = random.chance(0.5) ? String(random.int(1, 99)) : '';
  return `${ascii(p.first)}${separator}${ascii(p.last)}${suffix}`;
}

/** A handle made of a display name someone gave (`Jane Doe` → `jane_doe`), `user` when nothing is left. */
export function handleOfName(name: string, separator: '.' | '_'): string {
  return name.split(/\s+/).map(ascii).filter((part) => part !== '').join(separator) || 'user';
}

/** A review text of `mood` about `topic`: an opener, one or two details, maybe a closing line. */
export function reviewText(random: Random, topic: Topic, language: Language, mood: Mood): string {
  const phrases = phrasesFor(topic, language, mood);
  const details = random.sample(phrases.details, topic === 'mention' ? random.int(0, 1) : random.int(1, 2));
  const closer = random.pick(phrases.closers);
  return [random.pick(phrases.openers), ...details, closer].filter((part) => part !== '').join(' ');
}

/** A review title of `mood`, or null when the topic has none. */
export function reviewTitle(random: Random, topic: Topic, language: Language, mood: Mood): string | null {
  const titles = phrasesFor(topic, language, mood).titles;
  return titles.length === 0 ? null : random.pick(titles);
}

/** The owner's reply to a review, in its language, addressing the reviewer by first name. */
export function replyText(random: Random, topic: Topic, language: Language, mood: Mood, firstName: string): string {
  return random.pick(REPLIES[topic][language][mood]).replaceAll('{name}', firstName);
}

/** Stars drawn from the usual mix. */
export const drawStars = (random: Random): number => random.weighted(STAR_MIX);

/**
 * A creation time `dayOffset` days before `anchor`, at a daytime hour (8:00–22:59) in the
 * sandbox's zone: real reviews are written by day, and no time falls in the hour a fall-back
 * repeats (so an offset-less local time, as Yelp sends it, names one instant).
 */
export function daytime(random: Random, anchor: Date, dayOffset: number): Date {
  const day = wallTime(new Date(anchor.getTime() - days(dayOffset)), SANDBOX_ZONE);
  const at = fromWallTime({ ...day, hour: random.int(8, 22), minute: random.int(0, 59), second: random.int(0, 59) }, SANDBOX_ZONE);
  // Today's draw may lie after the anchor: the day before is as good.
  return at.getTime() > anchor.getTime() - hours(1) ? daytime(random, anchor, dayOffset + 1) : at;
}

/** A time between `from` + `minMs` and `from` + `maxMs`, kept at least a minute before `anchor` (null when there is no room). */
export function later(random: Random, from: Date, minMs: number, maxMs: number, anchor: Date): Date | null {
  const latest = Math.min(from.getTime() + maxMs, anchor.getTime() - 60_000);
  const earliest = from.getTime() + minMs;
  if (latest <= earliest) return null;
  return new Date(Math.floor((earliest + random.next() * (latest - earliest)) / 1000) * 1000);
}

/** `count` reviews' facts for one source, oldest to newest. */
export function generateFacts(random: Random, spec: FactsSpec): ReviewFacts[] {
  const out: ReviewFacts[] = [];
  for (let i = 0; i < spec.count; i++) {
    const language = random.weighted(spec.languages ?? LANGUAGE_MIX);
    const who = person(random, language);
    const stars = drawStars(random);
    const mood = moodOf(stars);
    const createdAt = daytime(random, spec.anchor, random.int(0, Math.max(0, spec.spanDays - 1)));
    const isEdited = random.chance(spec.editRate ?? 0);
    const updatedAt = isEdited ? later(random, createdAt, hours(2), days(60), spec.anchor) : null;
    const hasReply = random.chance(spec.replyRate ?? 0);
    const replyAt = hasReply ? later(random, createdAt, hours(1), days(6), spec.anchor) : null;
    out.push({
      person: who,
      language,
      stars,
      mood,
      title: random.chance(spec.titleRate ?? 0) ? reviewTitle(random, spec.topic, language, mood) : null,
      text: reviewText(random, spec.topic, language, mood),
      createdAt,
      updatedAt,
      reply: replyAt === null ? null : { text: replyText(random, spec.topic, language, mood, who.first), createdAt: replyAt },
      helpfulVotes: random.weighted([
        [0, 0.55],
        [random.int(1, 3), 0.35],
        [random.int(4, 40), 0.1],
      ]),
    });
  }
  return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}
