/** Server keys and tokens (`*_smime.p7m`): public face of main/dep/token. */
export { ServerTokenError } from './errors';
export { generateServerKeyPair, type ServerKeyPair, type ServerKeyPairOptions } from './keypair';
export { unwrapSmime } from './smime';
export { decryptEnvelopedData, type DecryptedEnvelope, type RecipientKey } from './cms-decrypt';
export { parseTokenPlaintext } from './token-json';
export { tokenExpiryWarning, type TokenExpiryLevel, type TokenExpiryWarning } from './expiry';
export { openServerToken, type OpenedServerToken } from './open-token';
