// A config file naming every built-in source, pointed at a fixture server, and the same sources
// built directly (the reference the CLI's output is compared with).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter } from '../../src/index.js';
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

/** Writes `config` (an object, or raw text) as `name` in a new temporary folder; returns the folder. */
export function writeConfig(config: unknown, name = 'reviewkit.config.json', dir = mkdtempSync(join(tmpdir(), 'reviewkit-cli-'))): string {
  writeFileSync(join(dir, name), typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return dir;
}
