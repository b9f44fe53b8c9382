// A config file naming every built-in source, pointed at a fixture server, and the same sources
// built directly (the reference the CLI's output is compared with).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter, Review } from '../../src/index.js';
import { appStore, appStoreConnect } from '../../adapters/app-store/index.js';
import { facebook } from '../../adapters/facebook.js';
import { googleBusinessProfile, googlePlaces } from '../../adapters/google/index.js';
import { googlePlay } from '../../adapters/google-play.js';
import { instagram } from '../../adapters/instagram.js';
import { schemaOrg } from '../../adapters/schema-org/index.js';
import { tripadvisor } from '../../adapters/tripadvisor.js';
import { trustpilot } from '../../adapters/trustpilot.js';
import { x } from '../../adapters/x.js';
import { yelp } from '../../adapters/yelp.js';
import { SAMPLE_SECRETS, sampleOptions } from '../fixtures/sample-sources.js';

/** The environment the sample config reads its env-referenced secrets from. */
export const SAMPLE_ENV = { YELP_API_KEY: SAMPLE_SECRETS.yelp, GBP_TOKEN: SAMPLE_SECRETS.gbp, X_BEARER: SAMPLE_SECRETS.x };

/** `sources` of a config for every built-in adapter; three secrets come from the environment, the rest are literal. */
export function sampleSources(baseUrl: string): { adapter: string; options: Record<string, unknown> }[] {
  const o = sampleOptions(baseUrl);
  return [
    { adapter: 'yelp', options: { ...o.yelp, apiKey: { env: 'YELP_API_KEY' } } },
    { adapter: 'google-places', options: o.googlePlaces },
    { adapter: 'google-business-profile', options: { ...o.googleBusinessProfile, accessToken: { env: 'GBP_TOKEN' } } },
    { adapter: 'facebook', options: o.facebook },
    { adapter: 'trustpilot', options: o.trustpilot },
    { adapter: 'tripadvisor', options: o.tripadvisor },
    { adapter: 'app-store', options: o.appStore },
    { adapter: 'app-store-connect', options: o.appStoreConnect },
    { adapter: 'google-play', options: o.googlePlay },
    { adapter: 'schema-org', options: o.schemaOrg },
    { adapter: 'x', options: { ...o.x, bearerToken: { env: 'X_BEARER' } } },
    { adapter: 'instagram', options: o.instagram },
  ];
}

/** The same sources as adapters, in the same order. */
export function sampleAdapters(baseUrl: string): Adapter[] {
  const o = sampleOptions(baseUrl);
  return [
    yelp(o.yelp),
    googlePlaces(o.googlePlaces),
    googleBusinessProfile(o.googleBusinessProfile),
    facebook(o.facebook),
    trustpilot(o.trustpilot),
    tripadvisor(o.tripadvisor),
    appStore(o.appStore),
    appStoreConnect(o.appStoreConnect),
    googlePlay(o.googlePlay),
    schemaOrg(o.schemaOrg),
    x(o.x),
    instagram(o.instagram),
  ];
}

let scratch: string | undefined;

/** A new empty folder for one test, inside this test file's scratch folder (see {@link removeScratch}). */
export function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'reviewkit-cli-'));
  return mkdtempSync(join(scratch, 'case-'));
}

/** Removes every folder {@link scratchDir} made. */
export function removeScratch(): void {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

/** Writes `config` (an object, or raw text) as `name` in `dir` (default: a new scratch folder); returns the folder. */
export function writeConfig(config: unknown, name = 'reviewkit.config.json', dir = scratchDir()): string {
  writeFileSync(join(dir, name), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return dir;
}

/** Text a review may carry that must only ever show as text in the report. */
export const HOSTILE = {
  text: '<script>window.__pwned = 1</script>Cold soup & <b>rude</b> staff',
  title: '"><img src=x onerror="window.__pwned = 2">',
  author: '<svg onload="window.__pwned = 3">',
  url: 'javascript:window.__pwned = 4',
};

/** A 1★ review without a reply whose every field is an injection attempt (see {@link HOSTILE}). */
export function hostileReview(base: Review, createdAt: Date): Review {
  return {
    ...base,
    id: `${base.source}:hostile`,
    externalId: 'hostile',
    rating: { value: 1, min: 1, max: 5 },
    stars: 1,
    recommendation: null,
    polarity: 'negative',
    title: HOSTILE.title,
    text: HOSTILE.text,
    author: { ...base.author, name: HOSTILE.author },
    url: HOSTILE.url,
    createdAt,
    updatedAt: null,
    replies: [],
  };
}
