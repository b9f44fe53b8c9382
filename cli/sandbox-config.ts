// A config file whose sources are the sandbox's: what `reviewkit sandbox` prints, and what
// `reviewkit demo` fetches through, so both go the way a user's own config goes.
import type { Sandbox, SandboxSource } from 'reviewkit/testing';
import type { AdapterName } from './adapters.js';

/** The config file adapter that reads each sandboxed endpoint (the legacy Places API is `google-places` with `api: 'legacy'`). */
export const SANDBOX_CONFIG_ADAPTERS: Readonly<Record<SandboxSource, AdapterName>> = {
  yelp: 'yelp',
  'google-places': 'google-places',
  'google-places-legacy': 'google-places',
  'google-business-profile': 'google-business-profile',
  facebook: 'facebook',
  trustpilot: 'trustpilot',
  tripadvisor: 'tripadvisor',
  'app-store': 'app-store',
  'app-store-connect': 'app-store-connect',
  'google-play': 'google-play',
  'schema-org': 'schema-org',
  x: 'x',
  instagram: 'instagram',
};

/** One source of a config file, as JSON holds it. */
export interface ConfigFileSource {
  adapter: AdapterName;
  options: Record<string, unknown>;
}

/** A config file as JSON holds it (the part the sandbox fills in). */
export interface SandboxConfigFile {
  sources: ConfigFileSource[];
  retry?: { attempts: number };
}

/** Tries per request when the sandbox injects failures: enough that a 10 % fail rate almost never fails a source. */
const ATTEMPTS_WITH_FAILURES = 5;

/**
 * A config for every sandboxed endpoint (in `sources` order), each with the sandbox's own
 * credentials (invented ones, valid only there) and `baseUrl: sandbox.url`. With injected failures
 * it asks for retries, as a run against the real APIs would need.
 */
export function sandboxConfig(sandbox: Pick<Sandbox, 'adapterOptions'>, sources: readonly SandboxSource[], options: { failRate?: number } = {}): SandboxConfigFile {
  return {
    sources: sources.map((source) => ({ adapter: SANDBOX_CONFIG_ADAPTERS[source], options: { ...sandbox.adapterOptions(source) } })),
    ...((options.failRate ?? 0) > 0 && { retry: { attempts: ATTEMPTS_WITH_FAILURES } }),
  };
}
