// The adapters a config file may name, loaded only when named: `reviewkit --help` and a
// one-source config never load the HTML stack of schema-org or the others' schemas.
import type { Adapter } from 'reviewkit';

/** Builds an adapter from options read from a config file (validated by the factory itself). */
export type ConfigurableFactory = (options: Record<string, unknown>) => Adapter;

/** One adapter a config file can name. */
export interface AdapterEntry {
  /** The options a config must give (alternatives after `or`), for help texts. */
  required: string;
  /** Loads the adapter's module and returns its factory. */
  load: () => Promise<ConfigurableFactory>;
}

/**
 * A factory typed for its own options, as one taking whatever a config file holds. The factory
 * validates its options with its zod schema when called (a bad one throws `CONFIG` naming it),
 * which is the check JSON input needs; the cast only drops the compile-time shape JSON never had.
 */
function configurable<Options>(factory: (options: Options) => Adapter): ConfigurableFactory {
  return (options) => factory(options as Options);
}

/** Names a config file may use in `adapter`: the `Review.source` names, plus `app-store-connect`. */
export const ADAPTER_NAMES = [
  'yelp',
  'google-places',
  'google-business-profile',
  'facebook',
  'trustpilot',
  'tripadvisor',
  'app-store',
  'app-store-connect',
  'google-play',
  'schema-org',
  'x',
  'instagram',
] as const;

/** A name in {@link ADAPTER_NAMES}. */
export type AdapterName = (typeof ADAPTER_NAMES)[number];

/** Every adapter a config file can name. */
export const ADAPTERS: Readonly<Record<AdapterName, AdapterEntry>> = {
  yelp: { required: 'apiKey, businessId', load: async () => configurable((await import('reviewkit/adapters/yelp')).yelp) },
  'google-places': { required: 'apiKey, placeId', load: async () => configurable((await import('reviewkit/adapters/google')).googlePlaces) },
  'google-business-profile': {
    required: 'accessToken, accountId, locationId',
    load: async () => configurable((await import('reviewkit/adapters/google')).googleBusinessProfile),
  },
  facebook: { required: 'accessToken, pageId', load: async () => configurable((await import('reviewkit/adapters/facebook')).facebook) },
  trustpilot: { required: 'apiKey, businessUnitId', load: async () => configurable((await import('reviewkit/adapters/trustpilot')).trustpilot) },
  tripadvisor: { required: 'apiKey, locationId', load: async () => configurable((await import('reviewkit/adapters/tripadvisor')).tripadvisor) },
  'app-store': { required: 'appId', load: async () => configurable((await import('reviewkit/adapters/app-store')).appStore) },
  'app-store-connect': {
    required: 'appId, and token or issuerId + keyId + privateKey',
    load: async () => {
      const { appStoreConnect, appStoreConnectToken } = await import('reviewkit/adapters/app-store');
      const factory = configurable(appStoreConnect);
      // A token lives at most 20 minutes, too short for a config file: given the API key
      // instead, the CLI signs a fresh token for each run.
      const { ReviewkitError } = await import('reviewkit');
      return ({ issuerId, keyId, privateKey, ...options }) => {
        if (issuerId === undefined && keyId === undefined && privateKey === undefined) return factory(options);
        if (options.token !== undefined) {
          throw new ReviewkitError({ code: 'CONFIG', source: 'app-store', message: 'app-store: give either `token` or `issuerId`, `keyId` and `privateKey`, not both.' });
        }
        const token = appStoreConnectToken({ issuerId, keyId, privateKey } as Parameters<typeof appStoreConnectToken>[0]);
        return factory({ ...options, token });
      };
    },
  },
  'google-play': { required: 'accessToken, packageName', load: async () => configurable((await import('reviewkit/adapters/google-play')).googlePlay) },
  'schema-org': { required: 'url (or html)', load: async () => configurable((await import('reviewkit/adapters/schema-org')).schemaOrg) },
  x: { required: 'bearerToken, query', load: async () => configurable((await import('reviewkit/adapters/x')).x) },
  instagram: { required: 'accessToken, userId', load: async () => configurable((await import('reviewkit/adapters/instagram')).instagram) },
};
