/**
 * The built-in adapters pointed at the sandbox. The adapter modules are imported when a sandbox
 * starts, not when this file loads, so importing the sandbox stays cheap (no adapter, no zod
 * schema built, no cheerio) until one is created.
 */
import type { AppStoreConnectOptions, AppStoreOptions } from '../adapters/app-store/index.js';
import type { FacebookOptions } from '../adapters/facebook.js';
import type { GoogleBusinessProfileOptions, GooglePlacesOptions } from '../adapters/google/index.js';
import type { GooglePlayOptions } from '../adapters/google-play.js';
import type { InstagramOptions } from '../adapters/instagram.js';
import type { SchemaOrgOptions } from '../adapters/schema-org/index.js';
import type { TripadvisorOptions } from '../adapters/tripadvisor.js';
import type { TrustpilotOptions } from '../adapters/trustpilot.js';
import type { XOptions } from '../adapters/x.js';
import type { YelpOptions } from '../adapters/yelp.js';
import type { Adapter, CommonAdapterOptions } from '../src/index.js';
import { APP_STORE_CONNECT_OPTIONS } from './sources/app-store-connect.js';
import { APP_STORE_OPTIONS } from './sources/app-store-feed.js';
import { FACEBOOK_OPTIONS } from './sources/facebook.js';
import { GBP_OPTIONS } from './sources/google-business-profile.js';
import { PLACES_LEGACY_OPTIONS, PLACES_OPTIONS } from './sources/google-places.js';
import { GOOGLE_PLAY_OPTIONS } from './sources/google-play.js';
import { INSTAGRAM_OPTIONS } from './sources/instagram.js';
import { SCHEMA_ORG_OPTIONS } from './sources/schema-org.js';
import { TRIPADVISOR_OPTIONS } from './sources/tripadvisor.js';
import { TRUSTPILOT_OPTIONS } from './sources/trustpilot.js';
import { X_OPTIONS } from './sources/x.js';
import { YELP_OPTIONS } from './sources/yelp.js';
import type { SandboxSource } from './types.js';

type At<Options> = Options & CommonAdapterOptions & { baseUrl: string };

/** The options of each sandboxed source's adapter factory: its sandbox credentials, ids and `baseUrl`. */
export interface SandboxAdapterOptions {
  yelp: At<YelpOptions>;
  'google-places': At<GooglePlacesOptions>;
  'google-places-legacy': At<GooglePlacesOptions>;
  'google-business-profile': At<GoogleBusinessProfileOptions>;
  facebook: At<FacebookOptions>;
  trustpilot: At<TrustpilotOptions>;
  tripadvisor: At<TripadvisorOptions>;
  'app-store': At<AppStoreOptions>;
  'app-store-connect': At<AppStoreConnectOptions>;
  'google-play': At<GooglePlayOptions>;
  'schema-org': At<SchemaOrgOptions>;
  x: At<XOptions>;
  instagram: At<InstagramOptions>;
}

/** Every source's adapter options at `baseUrl`. */
export function adapterOptionsAt(baseUrl: string): SandboxAdapterOptions {
  return {
    yelp: { ...YELP_OPTIONS, baseUrl },
    'google-places': { ...PLACES_OPTIONS, baseUrl },
    'google-places-legacy': { ...PLACES_LEGACY_OPTIONS, baseUrl },
    'google-business-profile': { ...GBP_OPTIONS, baseUrl },
    facebook: { ...FACEBOOK_OPTIONS, baseUrl },
    trustpilot: { ...TRUSTPILOT_OPTIONS, baseUrl },
    tripadvisor: { ...TRIPADVISOR_OPTIONS, baseUrl },
    'app-store': { ...APP_STORE_OPTIONS, baseUrl },
    'app-store-connect': { ...APP_STORE_CONNECT_OPTIONS, baseUrl },
    'google-play': { ...GOOGLE_PLAY_OPTIONS, baseUrl },
    'schema-org': { ...SCHEMA_ORG_OPTIONS, baseUrl },
    x: { ...X_OPTIONS, baseUrl },
    instagram: { ...INSTAGRAM_OPTIONS, baseUrl },
  };
}

/** The factory of each source's adapter. */
export type AdapterFactories = { readonly [S in SandboxSource]: (options: SandboxAdapterOptions[S]) => Adapter };

/** Loads the built-in adapters (once per process; later calls reuse the modules). */
export async function loadAdapterFactories(): Promise<AdapterFactories> {
  const [{ yelp }, { googlePlaces, googleBusinessProfile }, { facebook }, { trustpilot }, { tripadvisor }, { appStore, appStoreConnect }, { googlePlay }, { schemaOrg }, { x }, { instagram }] =
    await Promise.all([
      import('../adapters/yelp.js'),
      import('../adapters/google/index.js'),
      import('../adapters/facebook.js'),
      import('../adapters/trustpilot.js'),
      import('../adapters/tripadvisor.js'),
      import('../adapters/app-store/index.js'),
      import('../adapters/google-play.js'),
      import('../adapters/schema-org/index.js'),
      import('../adapters/x.js'),
      import('../adapters/instagram.js'),
    ]);
  return {
    yelp,
    'google-places': googlePlaces,
    'google-places-legacy': googlePlaces,
    'google-business-profile': googleBusinessProfile,
    facebook,
    trustpilot,
    tripadvisor,
    'app-store': appStore,
    'app-store-connect': appStoreConnect,
    'google-play': googlePlay,
    'schema-org': schemaOrg,
    x,
    instagram,
  };
}
