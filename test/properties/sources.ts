/**
 * The twelve built-in adapters as the property harness sees them: each one's options (with its
 * secrets), the real-format pages of a full run (from test/fixtures/sample-sources.ts, which
 * serves every built-in source) and its recorded error bodies.
 */
import { readdirSync, readFileSync } from 'node:fs';
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
import type { FixtureRoute } from '../../src/testing/index.js';
import { SAMPLE_SECRETS, sampleOptions, sampleRoutes } from '../fixtures/sample-sources.js';
import type { PropertySource } from './harness.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);

const json = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

/** Every `error-*.json` (or `<prefix>error-*.json`) body of a source's fixture folder. */
function errorBodies(folder: string, prefix = ''): unknown[] {
  return readdirSync(new URL(`${folder}/`, FIXTURES))
    .filter((file) => file.startsWith(`${prefix}error`) && file.endsWith('.json'))
    .sort()
    .map((file) => json(`${folder}/${file}`));
}

/** The sample routes whose path starts with `prefix`. */
function routesUnder(prefix: string): FixtureRoute[] {
  const routes = sampleRoutes.filter((route) => typeof route.path === 'string' && route.path.startsWith(prefix));
  if (routes.length === 0) throw new Error(`no sample route under ${prefix}`);
  return routes;
}

const options = (baseUrl: string) => sampleOptions(baseUrl);
// Trustpilot (2.5/s) and Business Profile (5/s) pace their requests by default: 500 runs of
// several pages would take minutes. The pace is not what is under test here.
const UNTHROTTLED = { requestsPerSecond: 10_000 };
const TRUSTPILOT_ACCESS_TOKEN = 'tp-business-user-SECRET-access-token-0123456789abcdef';
const TRUSTPILOT_BU = options('http://127.0.0.1').trustpilot.businessUnitId;

const schemaOrgPages = [
  'trustpilot-graph',
  'json-ld-wild',
  'shop-microdata',
  'rdfa-directory',
  'schema-org-example.json-ld',
  'schema-org-example.microdata',
  'schema-org-example.rdfa',
  'broken-json-ld',
  'aggregate-only',
].map((name) => readFileSync(new URL(`schema-org/${name}.html`, FIXTURES), 'utf8'));

/** Every built-in adapter (the App Store and Google Places twice: both their APIs; Trustpilot public and private). */
export const propertySources: readonly PropertySource[] = [
  {
    label: 'yelp',
    source: 'yelp',
    make: (url) => yelp(options(url).yelp),
    secrets: [SAMPLE_SECRETS.yelp],
    routes: routesUnder('/v3/businesses/'),
    errorBodies: errorBodies('yelp'),
  },
  {
    label: 'google-places (new)',
    source: 'google-places',
    make: (url) => googlePlaces(options(url).googlePlaces),
    secrets: [SAMPLE_SECRETS.places],
    routes: routesUnder('/v1/places/'),
    errorBodies: errorBodies('google', 'places-new-'),
  },
  {
    label: 'google-places (legacy)',
    source: 'google-places',
    make: (url) => googlePlaces({ ...options(url).googlePlaces, api: 'legacy' }),
    secrets: [SAMPLE_SECRETS.places],
    routes: [{ path: '/maps/api/place/details/json', body: json('google/places-legacy-details.json') }],
    // The legacy API answers errors with HTTP 200 and a `status` in the body.
    errorBodies: errorBodies('google', 'places-legacy-'),
  },
  {
    label: 'google-business-profile',
    source: 'google-business-profile',
    make: (url) => googleBusinessProfile({ ...options(url).googleBusinessProfile, ...UNTHROTTLED }),
    secrets: [SAMPLE_SECRETS.gbp],
    routes: routesUnder('/v4/accounts/'),
    errorBodies: errorBodies('google', 'gbp-'),
  },
  {
    label: 'facebook',
    source: 'facebook',
    make: (url) => facebook(options(url).facebook),
    secrets: [SAMPLE_SECRETS.facebook],
    routes: routesUnder('/v21.0/'),
    errorBodies: errorBodies('facebook'),
  },
  {
    label: 'trustpilot (public)',
    source: 'trustpilot',
    make: (url) => trustpilot({ ...options(url).trustpilot, ...UNTHROTTLED }),
    secrets: [SAMPLE_SECRETS.trustpilot],
    routes: routesUnder('/v1/business-units/'),
    errorBodies: errorBodies('trustpilot'),
  },
  {
    label: 'trustpilot (private)',
    source: 'trustpilot',
    make: (url) => trustpilot({ ...options(url).trustpilot, ...UNTHROTTLED, accessToken: TRUSTPILOT_ACCESS_TOKEN, perPage: 100 }),
    secrets: [SAMPLE_SECRETS.trustpilot, TRUSTPILOT_ACCESS_TOKEN],
    routes: [
      ...routesUnder(`/v1/business-units/${TRUSTPILOT_BU}`).filter((route) => route.path === `/v1/business-units/${TRUSTPILOT_BU}`),
      // Page 1 only: a later page must not be this one again (a page lengthened past `perPage` asks for page 2).
      { path: `/v1/private/business-units/${TRUSTPILOT_BU}/reviews`, query: { page: '1' }, body: json('trustpilot/private-reviews.json') },
    ],
    errorBodies: errorBodies('trustpilot'),
  },
  {
    label: 'tripadvisor',
    source: 'tripadvisor',
    make: (url) => tripadvisor(options(url).tripadvisor),
    secrets: [SAMPLE_SECRETS.tripadvisor],
    routes: routesUnder('/api/v1/location/'),
    errorBodies: errorBodies('tripadvisor'),
  },
  {
    label: 'app-store (feed)',
    source: 'app-store',
    make: (url) => appStore(options(url).appStore),
    // The feed needs no credentials; nothing of the others' may appear either.
    secrets: [],
    routes: routesUnder('/us/rss/'),
  },
  {
    label: 'app-store (Connect)',
    source: 'app-store',
    make: (url) => appStoreConnect(options(url).appStoreConnect),
    secrets: [SAMPLE_SECRETS.appStoreConnect],
    routes: routesUnder('/v1/apps/'),
    errorBodies: errorBodies('app-store', 'asc-'),
  },
  {
    label: 'google-play',
    source: 'google-play',
    make: (url) => googlePlay(options(url).googlePlay),
    secrets: [SAMPLE_SECRETS.googlePlay],
    routes: routesUnder('/androidpublisher/'),
    errorBodies: errorBodies('google-play'),
  },
  {
    label: 'schema-org',
    source: 'schema-org',
    make: (url) => schemaOrg(options(url).schemaOrg),
    secrets: [],
    routes: routesUnder('/review/'),
    html: { pages: schemaOrgPages },
  },
  {
    label: 'x',
    source: 'x',
    make: (url) => x(options(url).x),
    secrets: [SAMPLE_SECRETS.x],
    routes: routesUnder('/2/tweets/'),
    errorBodies: errorBodies('x'),
  },
  {
    label: 'instagram',
    source: 'instagram',
    make: (url) => instagram(options(url).instagram),
    secrets: [SAMPLE_SECRETS.instagram],
    routes: routesUnder('/v24.0/'),
    errorBodies: errorBodies('instagram'),
  },
];

/** The source with this label (each property test file takes one). */
export function propertySource(label: string): PropertySource {
  const found = propertySources.find((s) => s.label === label);
  if (!found) throw new Error(`no property source ${label}`);
  return found;
}
