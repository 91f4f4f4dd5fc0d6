/**
 * Wraps the data key under a key derived from an operator passphrase with scrypt
 * (RFC 7914; N=2^15, r=8, p=1, 32-byte key) and AES-256-GCM. Used headless, with the passphrase
 * from `STAGEBENCH_PASSPHRASE`.
 */
import crypto from 'node:crypto';
import { AesGcmSecretBox, SecretBoxError } from './secret-box';
import type { KeyWrapper, WrappedKey } from './keyring';

/** scrypt parameters recorded beside the wrapped key. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

const DEFAULT_PARAMS: ScryptParams = { N: 1 << 15, r: 8, p: 1 };

/** The passphrase given does not unwrap the data key. */
export class WrongPassphraseError extends SecretBoxError {
  constructor() {
    super('the passphrase does not match the one this data directory was set up with; check STAGEBENCH_PASSPHRASE');
    this.name = 'WrongPassphraseError';
  }
}

/** A KeyWrapper keyed by a passphrase. Throws when the passphrase is empty. */
export function passphraseWrapper(passphrase: string, params: ScryptParams = DEFAULT_PARAMS): KeyWrapper {
  if (!passphrase) throw new SecretBoxError('an empty passphrase cannot protect secrets; set STAGEBENCH_PASSPHRASE');
  const derive = (salt: Buffer, p: ScryptParams): Buffer =>
    crypto.scryptSync(passphrase.normalize('NFC'), salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r });
  return {
    kind: 'passphrase',
    wrap(dataKey: Buffer): WrappedKey {
      const salt = crypto.randomBytes(16);
      const box = new AesGcmSecretBox(derive(salt, params), Buffer.from('stagebench-data-key', 'utf8'));
      return { kind: 'passphrase', kdf: 'scrypt', ...params, salt: salt.toString('base64'), sealed: box.seal(dataKey).toString('base64') };
    },
    unwrap(w: WrappedKey): Buffer {
      const p = { N: Number(w.N), r: Number(w.r), p: Number(w.p) };
      const box = new AesGcmSecretBox(derive(Buffer.from(String(w.salt), 'base64'), p), Buffer.from('stagebench-data-key', 'utf8'));
      try {
        return box.open(Buffer.from(String(w.sealed), 'base64'));
      } catch {
        throw new WrongPassphraseError();
      }
    },
  };
}
