export { type AdapterContractSpec, type ContractErrorCase, expectNoSecrets, testAdapter } from './contract.js';
export {
  type FixtureRoute,
  type FixtureServer,
  htmlErrorPage,
  type RecordedRequest,
  startFixtureServer,
} from './fixture-server.js';
