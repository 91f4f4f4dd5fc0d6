/**
 * Electron safeStorage adapters for main/secrets: a `SecretBox` sealing bytes with the OS
 * credential store (Keychain, DPAPI, libsecret/kwallet), and a `KeyWrapper` that protects the
 * data-key keyring the same way. On Linux without a keyring Electron falls back to a hard-coded
 * key (`basic_text`): that is reported through `warn` once, since secrets are then only obfuscated.
 */
import { safeStorage } from 'electron';
import { SecretBoxError, type KeyWrapper, type SecretBox, type WrappedKey } from '../secrets';

/** Warning text used when safeStorage runs on the `basic_text` backend. */
export const BASIC_TEXT_WARNING =
  'safeStorage is using the basic_text backend (no system keyring such as gnome-libsecret or kwallet): secrets at rest are only obfuscated. Install and unlock a keyring, or set STAGEBENCH_PASSPHRASE.';

/**
 * Throws SecretBoxError when safeStorage cannot encrypt (before `app` is ready, or no backend);
 * calls `warn` when the Linux backend is `basic_text`.
 */
export function checkSafeStorage(warn: (message: string) => void = (m) => console.warn(m)): void {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new SecretBoxError('safeStorage encryption is not available (is the app ready and an OS keyring reachable?)');
  }
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') warn(BASIC_TEXT_WARNING);
}

/** SecretBox over safeStorage. Bytes are carried as base64 inside safeStorage's string API. */
export class SafeStorageSecretBox implements SecretBox {
  /** Checks availability (see `checkSafeStorage`); throws SecretBoxError when unavailable. */
  constructor(warn?: (message: string) => void) {
    checkSafeStorage(warn);
  }

  seal(plaintext: Buffer): Buffer {
    return safeStorage.encryptString(plaintext.toString('base64'));
  }

  open(sealed: Buffer): Buffer {
    try {
      return Buffer.from(safeStorage.decryptString(sealed), 'base64');
    } catch {
      throw new SecretBoxError('sealed secret could not be opened with the OS keyring (different user, machine or keyring?)');
    }
  }
}

/** KeyWrapper kind stored in keyring.json. */
export const SAFE_STORAGE_KIND = 'electron-safeStorage';

/** A KeyWrapper protecting the keyring's data key with safeStorage (via SafeStorageSecretBox). */
export function safeStorageKeyWrapper(warn?: (message: string) => void): KeyWrapper {
  const box = new SafeStorageSecretBox(warn);
  return {
    kind: SAFE_STORAGE_KIND,
    wrap(dataKey: Buffer): WrappedKey {
      return { kind: SAFE_STORAGE_KIND, sealed: box.seal(dataKey).toString('base64') };
    },
    unwrap(wrapped: WrappedKey): Buffer {
      if (typeof wrapped.sealed !== 'string') throw new SecretBoxError('keyring entry for safeStorage is malformed');
      return box.open(Buffer.from(wrapped.sealed, 'base64'));
    },
  };
}
