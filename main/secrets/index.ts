/** Secret sealing: public face. */
export { AesGcmSecretBox, SecretBoxError, type SecretBox } from './secret-box';
export { openKeyring, KEYRING_FILE, type KeyWrapper, type WrappedKey } from './keyring';
export { passphraseWrapper, WrongPassphraseError } from './passphrase-wrapper';

import { openKeyring } from './keyring';
import { passphraseWrapper } from './passphrase-wrapper';
import { SecretBoxError, type SecretBox } from './secret-box';

/**
 * The headless secret box: keyring of `dataDir` opened with the passphrase in
 * `env.STAGEBENCH_PASSPHRASE`. Throws SecretBoxError telling the operator to set it when absent.
 */
export function openHeadlessSecretBox(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretBox {
  const pass = env.STAGEBENCH_PASSPHRASE;
  if (!pass) {
    throw new SecretBoxError('STAGEBENCH_PASSPHRASE is not set: headless StageBench needs a passphrase to protect private keys and passwords at rest');
  }
  return openKeyring(dataDir, [passphraseWrapper(pass)]);
}
