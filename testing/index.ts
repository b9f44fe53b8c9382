/**
 * `reviewkit/testing`: what reviewkit's own adapters are tested with, for yours: the fixture
 * server and the adapter contract (from the core's testing kit).
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
