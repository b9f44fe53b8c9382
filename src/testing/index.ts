export {
  type AdapterCheck,
  type AdapterContract,
  type AdapterContractSpec,
  adapterContract,
  type ContractErrorCase,
  expectNoSecrets,
  type TestApi,
  testAdapter,
} from './contract.js';
export {
  type FixtureRoute,
  type FixtureServer,
  htmlErrorPage,
  type RecordedRequest,
  startFixtureServer,
} from './fixture-server.js';
