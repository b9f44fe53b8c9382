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
import type { Adapter } from '../src/index.js';
import { type AdapterFactories, adapterOptionsAt, loadAdapterFactories, type SandboxAdapterOptions } from './adapters.js';
import {
  checkedDate,
  checkedLatency,
  checkedRate,
  checkedSource,
  checkedStars,
  checkedText,
  checkedWhole,
  configError,
  resolveNewReview,
} from './inputs.js';
import type { ModuleContext, SourceModule } from './module.js';
import { createRandom, type Random } from './random.js';
import { startServer } from './server.js';
import { appStoreConnectModule } from './sources/app-store-connect.js';
import { appStoreFeedModule } from './sources/app-store-feed.js';
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
  type InjectedFault,
  type NewReply,
  type NewReview,
  type ReviewEdit,
  SANDBOX_SOURCES,
  type SandboxRequest,
  type SandboxReview,
  type SandboxSource,
} from './types.js';
import { checkedInjectedFault, type PendingFault } from './injected.js';

export type { SandboxAdapterOptions } from './adapters.js';
export {
  type InjectedFault,
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
  /**
   * Replies a day each source's reply API accepts before it answers with its quota error (Google
   * Play: 2,000 per app, its real quota, by default). A small number lets a test run into it.
   */
  replyQuota?: Partial<Record<SandboxSource, number>>;
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
  /**
   * Arranges a failure for the next request(s) matching `fault.method` and `fault.path`: a server
   * error or rate limiting before the API sees it, or an answer that comes late or never after
   * the API handled it (so a client can be tested on a write whose answer went missing).
   */
  injectFault(fault: InjectedFault): void;
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
  const injected: PendingFault[] = [];
  const settings = {
    seed,
    latencyMs: checkedLatency(options.latencyMs ?? 0),
    failRate: checkedRate(options.failRate ?? 0),
    retryAfterSeconds: checkedWhole(options.retryAfterSeconds ?? 1, 'retryAfterSeconds', 0, 86_400),
    injected,
  };
  const port = checkedWhole(options.port ?? 0, 'port', 0, 65_535);
  const counts = options.counts ?? {};
  for (const [source, count] of Object.entries(counts)) {
    checkedSource(source);
    checkedWhole(count, `counts.${source}`, 0, 100_000);
  }
  const replyQuota = options.replyQuota ?? {};
  for (const [source, quota] of Object.entries(replyQuota)) {
    checkedSource(source);
    checkedWhole(quota, `replyQuota.${source}`, 0, 1_000_000);
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
      module: MODULES[source]({
        random: root.fork(`source:${source}`),
        anchor,
        now,
        count: counts[source],
        ...(replyQuota[source] !== undefined && { replyQuota: replyQuota[source] }),
      }),
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
      const added = module.add(resolveNewReview(source, review, entryOf(source).additions, tick));
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
    injectFault(fault) {
      injected.push(checkedInjectedFault(fault));
    },
    close: () => server.close(),
  };
}
