/**
 * The offline sandbox: every built-in source's real API, served from 127.0.0.1 with seeded data.
 *
 * `createSandbox()` starts one HTTP server that answers the paths, parameters, paging, auth checks,
 * error bodies and rate-limit answers of each source's API, from a seeded set of reviews per source
 * (same seed, same bytes). `adapters()` gives one ready adapter per source pointed at it. Reviews
 * can be added, edited and answered while it runs; `failRate` and `latencyMs` inject failures and
 * delays. Nothing here needs vitest, reads the wall clock for data, or loads an adapter before a
 * sandbox is created.
 */
import { ReviewkitError } from '../src/errors.js';
import type { Adapter } from '../src/index.js';
import { type AdapterFactories, adapterOptionsAt, loadAdapterFactories, type SandboxAdapterOptions } from './adapters.js';
import { type Language, moodOf } from './corpus.js';
import { drawStars, fullName, person, reviewText, reviewTitle, shortName } from './data.js';
import type { ModuleContext, ResolvedNewReview, SourceModule } from './module.js';
import { createRandom, type Random } from './random.js';
import { startServer } from './server.js';
import { appStoreConnectModule } from './sources/app-store-connect.js';
import { appStoreFeedModule, nickname } from './sources/app-store-feed.js';
import { facebookModule } from './sources/facebook.js';
import { businessProfileModule } from './sources/google-business-profile.js';
import { placesLegacyModule, placesModule } from './sources/google-places.js';
import { googlePlayModule } from './sources/google-play.js';
import { instagramModule } from './sources/instagram.js';
import { schemaOrgModule } from './sources/schema-org.js';
import { tripadvisorModule } from './sources/tripadvisor.js';
import { trustpilotModule } from './sources/trustpilot.js';
import { xModule } from './sources/x.js';
import { yelpModule } from './sources/yelp.js';
import {
  type NewReply,
  type NewReview,
  type ReviewEdit,
  SANDBOX_SOURCES,
  type SandboxRequest,
  type SandboxReview,
  type SandboxSource,
} from './types.js';

export type { SandboxAdapterOptions } from './adapters.js';
export {
  type NewReply,
  type NewReview,
  type ReviewEdit,
  SANDBOX_SOURCES,
  type SandboxFault,
  type SandboxReply,
  type SandboxRequest,
  type SandboxReview,
  type SandboxSource,
} from './types.js';

/** The default anchor: a fixed instant, so that a seed alone decides the data. */
export const DEFAULT_SANDBOX_ANCHOR = new Date('2026-06-01T12:00:00.000Z');
/** The default seed. */
export const DEFAULT_SANDBOX_SEED = 1;

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /**
   * Seed of every generated review, id and injected failure: the same seed gives byte-identical
   * answers (bodies) on every machine, a different seed different data. Default `1`.
   */
  seed?: number | string;
  /** Delay before every answer, in milliseconds (a lower bound: answers never come sooner). Default 0. */
  latencyMs?: number;
  /**
   * Share of requests, 0 to 1, that fail as the source fails: half rate limiting (the source's 429,
   * or its own throttling answer, with its `Retry-After`, `x-rate-limit-reset` or usage headers),
   * half server errors (500/503 in the source's format). Which requests fail is seeded. Default 0.
   */
  failRate?: number;
  /** Port on 127.0.0.1; 0 (default) takes a free one. */
  port?: number;
  /**
   * The instant the data is relative to: reviews are spread over about two years before it, and
   * the time windows of Play (a week) and X (seven days) end at the sandbox clock, which starts
   * here. Default {@link DEFAULT_SANDBOX_ANCHOR}, never the wall clock.
   */
  anchor?: Date;
  /**
   * The wait, in seconds, that injected rate-limit answers ask for (`Retry-After`, X's
   * `x-rate-limit-reset`, Google's `RetryInfo`; Graph's usage headers in whole minutes, so under
   * 60 s it is 0). Default 1. Tests that retry quickly set 0.
   */
  retryAfterSeconds?: number;
  /**
   * How many reviews each source holds (defaults: tens each, so a full fetch of every source takes
   * well under a second). Larger counts make benchmark data; platform caps still apply.
   */
  counts?: Partial<Record<SandboxSource, number>>;
}

/** A running sandbox. */
export interface Sandbox {
  /** Origin of the sandbox (`http://127.0.0.1:41234`): every adapter's `baseUrl`. */
  readonly url: string;
  /** The seed in use (as text). */
  readonly seed: string;
  /** The instant the data is relative to (see {@link SandboxOptions.anchor}). */
  readonly anchor: Date;
  /** Every request received, in arrival order, credentials redacted (see {@link SandboxRequest}). */
  readonly requests: readonly SandboxRequest[];
  /**
   * One ready adapter per sandboxed source (13: both Places APIs, both App Store adapters), with
   * the sandbox's credentials and `baseUrl: url`, in {@link SANDBOX_SOURCES} order; or the adapters
   * of the sources named. `aggregate(sandbox.adapters())` fetches everything at `failRate` 0.
   */
  adapters(sources?: readonly SandboxSource[]): Adapter[];
  /** The options `adapters()` builds a source's adapter from, to build one with more options (a page size, say). */
  adapterOptions<S extends SandboxSource>(source: S): SandboxAdapterOptions[S];
  /**
   * Adds a review (in `Review` terms; unset fields are generated from the seed) that the next fetch
   * shows, written in the source's own format at its place in the source's order (first on
   * newest-first sources, with the default `createdAt`). Resolves to its `externalId` as the
   * adapter reports it, and the review as held. The mention sources (X, Instagram) ignore `stars`.
   */
  addReview(source: SandboxSource, review?: NewReview): Promise<{ externalId: string; review: SandboxReview }>;
  /**
   * Edits a review. Sources whose format carries an edit time (Business Profile, Trustpilot,
   * schema.org, X, Play's `lastModified`, the App Store feed's `updated`) show `updatedAt`; the others
   * show the new content only. On X an edit is a new post id (the review keeps its `externalId`).
   */
  editReview(source: SandboxSource, externalId: string, edit: ReviewEdit): Promise<SandboxReview>;
  /**
   * Sets (or with null removes) the owner's reply to a review, as the source shows it. Sources
   * without owner replies (Yelp, Places, Facebook, the App Store feed, X) and Instagram tags refuse
   * with a `CONFIG` error.
   */
  setReply(source: SandboxSource, externalId: string, reply: NewReply | null): Promise<SandboxReview>;
  /** What the source holds, in its API's order, with whether the API lists each one now. */
  reviews(source: SandboxSource): SandboxReview[];
  /** The sandbox clock: the anchor, moved on by a minute by each change made without a date. */
  now(): Date;
  /** Changes the share of failing requests (0 to 1) from the next request on. */
  setFailRate(rate: number): void;
  /** Changes the delay before every answer, in milliseconds, from the next request on. */
  setLatency(ms: number): void;
  /** Forgets the logged requests (the failure draws go on where they were). */
  clearRequests(): void;
  /** Stops the server: every connection is destroyed, no timer stays pending. Safe to call twice. */
  close(): Promise<void>;
}

const MODULES: Readonly<Record<SandboxSource, (context: ModuleContext) => SourceModule>> = {
  yelp: yelpModule,
  'google-places': placesModule,
  'google-places-legacy': placesLegacyModule,
  'google-business-profile': businessProfileModule,
  facebook: facebookModule,
  trustpilot: trustpilotModule,
  tripadvisor: tripadvisorModule,
  'app-store': appStoreFeedModule,
  'app-store-connect': appStoreConnectModule,
  'google-play': googlePlayModule,
  'schema-org': schemaOrgModule,
  x: xModule,
  instagram: instagramModule,
};

/** Modules consulted in this order: Instagram claims its own Graph objects before Facebook answers every other one. */
const ROUTING_ORDER: readonly SandboxSource[] = [...SANDBOX_SOURCES.filter((s) => s !== 'facebook'), 'facebook'];

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

const SAND_LANGUAGES: readonly Language[] = ['en', 'de', 'fr', 'es'];
const MINUTE = 60_000;

/**
 * Starts a sandbox of every built-in source on 127.0.0.1.
 *
 * @example
 * const sandbox = await createSandbox({ seed: 7 });
 * const { reviews, sources } = await aggregate(sandbox.adapters());
 * const { externalId } = await sandbox.addReview('yelp', { stars: 2, text: 'Cold soup.' });
 * await sandbox.close();
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = String(options.seed ?? DEFAULT_SANDBOX_SEED);
  const anchor = checkedDate(options.anchor ?? DEFAULT_SANDBOX_ANCHOR, 'anchor');
  const settings = {
    seed,
    latencyMs: checkedLatency(options.latencyMs ?? 0),
    failRate: checkedRate(options.failRate ?? 0),
    retryAfterSeconds: checkedWhole(options.retryAfterSeconds ?? 1, 'retryAfterSeconds', 0, 86_400),
  };
  const port = checkedWhole(options.port ?? 0, 'port', 0, 65_535);
  const counts = options.counts ?? {};
  for (const [source, count] of Object.entries(counts)) {
    checkedSource(source);
    checkedWhole(count, `counts.${source}`, 0, 100_000);
  }

  let clock = anchor.getTime();
  const now = () => new Date(clock);
  /** The next default time: a minute on. A given time moves the clock to it if it is later. */
  const tick = (given: Date | undefined, name: string): Date => {
    const at = given === undefined ? clock + MINUTE : Math.floor(checkedDate(given, name).getTime() / 1000) * 1000;
    clock = Math.max(clock, at);
    return new Date(at);
  };

  const root = createRandom(seed);
  // Each source draws from streams of its own: a change to one never shifts another's data.
  const sources = new Map<SandboxSource, { module: SourceModule; additions: Random }>();
  for (const source of SANDBOX_SOURCES) {
    sources.set(source, {
      module: MODULES[source]({ random: root.fork(`source:${source}`), anchor, now, count: counts[source] }),
      additions: root.fork(`additions:${source}`),
    });
  }
  const factories: AdapterFactories = await loadAdapterFactories();
  const server = await startServer(
    ROUTING_ORDER.map((s) => moduleOf(s)),
    settings,
    port,
  );
  const optionsBySource = adapterOptionsAt(server.url);

  function entryOf(source: SandboxSource): { module: SourceModule; additions: Random } {
    const entry = sources.get(checkedSource(source));
    if (entry === undefined) throw configError(`no module for ${source}.`);
    return entry;
  }

  function moduleOf(source: SandboxSource): SourceModule {
    return entryOf(source).module;
  }

  function adapterFor<S extends SandboxSource>(source: S): Adapter {
    return factories[source](optionsBySource[source]);
  }

  function resolveNew(source: SandboxSource, input: NewReview): ResolvedNewReview {
    const random = entryOf(source).additions;
    const language = input.language === undefined ? 'en' : checkedText(input.language, 'language');
    const corpusLanguage: Language = (SAND_LANGUAGES as readonly string[]).includes(language) ? (language as Language) : 'en';
    const stars = input.stars === undefined ? drawStars(random) : checkedStars(input.stars);
    const mood = moodOf(stars);
    const who = person(random, corpusLanguage);
    const generatedName = { short: shortName(who), full: fullName(who), nickname: nickname(random, who) };
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

  return {
    url: server.url,
    seed,
    anchor: new Date(anchor),
    requests: server.requests,
    adapters: (names = SANDBOX_SOURCES) => names.map((source) => adapterFor(checkedSource(source))),
    adapterOptions(source) {
      checkedSource(source);
      return { ...optionsBySource[source] };
    },
    async addReview(source, review = {}) {
      const module = moduleOf(source);
      const added = module.add(resolveNew(source, review));
      return { externalId: added.externalId, review: added };
    },
    async editReview(source, externalId, edit) {
      const module = moduleOf(source);
      const updatedAt = tick(edit.updatedAt, 'updatedAt');
      return module.edit(externalId, {
        ...(edit.text !== undefined && { text: checkedText(edit.text, 'text') }),
        ...(edit.title !== undefined && { title: checkedText(edit.title, 'title') }),
        ...(edit.stars !== undefined && { stars: checkedStars(edit.stars) }),
        updatedAt,
      });
    },
    async setReply(source, externalId, reply) {
      const module = moduleOf(source);
      if (reply === null) return module.setReply(externalId, null);
      return module.setReply(externalId, { text: checkedText(reply.text, 'text'), createdAt: tick(reply.createdAt, 'createdAt') });
    },
    reviews: (source) => moduleOf(source).reviews(),
    now,
    setFailRate(rate) {
      settings.failRate = checkedRate(rate);
    },
    setLatency(ms) {
      settings.latencyMs = checkedLatency(ms);
    },
    clearRequests() {
      server.requests.length = 0;
    },
    close: () => server.close(),
  };
}

function configError(message: string): ReviewkitError {
  return new ReviewkitError({ code: 'CONFIG', source: 'sandbox', message: `sandbox: ${message}` });
}

function checkedSource(source: string): SandboxSource {
  if (!(SANDBOX_SOURCES as readonly string[]).includes(source)) throw configError(`unknown source ${JSON.stringify(source)}; one of ${SANDBOX_SOURCES.join(', ')}.`);
  return source as SandboxSource;
}

function checkedRate(rate: number): number {
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw configError('option `failRate` must be a number from 0 to 1.');
  return rate;
}

function checkedLatency(ms: number): number {
  if (typeof ms !== 'number' || !(ms >= 0 && Number.isFinite(ms))) throw configError('option `latencyMs` must be a non-negative number of milliseconds.');
  return ms;
}

function checkedWhole(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw configError(`option \`${name}\` must be a whole number from ${min} to ${max}.`);
  return value;
}

function checkedDate(value: Date, name: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw configError(`\`${name}\` must be a valid Date.`);
  return value;
}

function checkedStars(stars: number): number {
  if (!Number.isInteger(stars) || stars < 1 || stars > 5) throw configError('`stars` must be a whole number from 1 to 5.');
  return stars;
}

function checkedText(text: string, name: string): string {
  if (typeof text !== 'string' || text.trim() === '') throw configError(`\`${name}\` must be a non-empty string.`);
  return text;
}

function checkedRecommendation(value: string): 'positive' | 'negative' {
  if (value !== 'positive' && value !== 'negative') throw configError("`recommendation` must be 'positive' or 'negative'.");
  return value;
}
