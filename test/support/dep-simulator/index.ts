/** DEP simulator for tests and benches: public face. */
export { startDepSimulator, generateTokens, type DepSimulator, type DepSimulatorOptions, type Fault, type LoggedRequest } from './simulator';
export { DeviceStore, makeDevice, type DeviceEvent } from './devices';
export { encryptToken, tokenPlaintext, type IssueTokenOptions } from './token-issuer';
export { checkOAuth } from './oauth-check';
