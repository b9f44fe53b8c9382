/**
 * `reviewkit/testing`: what reviewkit's own adapters are tested with, for yours: the fixture
 * server and the adapter contract (from the core's testing kit), and the offline sandbox of every
 * built-in source (`createSandbox`).
 */
export {
  type AdapterCheck,
  type AdapterContract,
  type AdapterContractSpec,
  adapterContract,
  type ContractErrorCase,
  expectNoSecrets,
  type FixtureRoute,
  type FixtureServer,
  htmlErrorPage,
  type RecordedRequest,
  startFixtureServer,
  type TestApi,
  testAdapter,
} from '../src/testing/index.js';
export {
  createSandbox,
  DEFAULT_SANDBOX_ANCHOR,
  DEFAULT_SANDBOX_SEED,
  type InjectedFault,
  type NewReply,
  type NewReview,
  type ReviewEdit,
  SANDBOX_SOURCES,
  type Sandbox,
  type SandboxAdapterOptions,
  type SandboxFault,
  type SandboxOptions,
  type SandboxReply,
  type SandboxRequest,
  type SandboxReview,
  type SandboxSource,
} from '../sandbox/index.js';
