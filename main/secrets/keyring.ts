/**
 * The data-key keyring of a data directory: `<dataDir>/keyring.json` holds a random 32-byte data
 * key wrapped by one or more KeyWrappers (never the key itself). Any one wrapper that is present
 * opens the keyring, so the headless CLI (passphrase) and the desktop app (safeStorage, plus the
 * passphrase when the operator gives one) share the same sealed cache.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AesGcmSecretBox, SecretBoxError, type SecretBox } from './secret-box';

/** A wrapped data key as stored: `kind` names the wrapper; other fields are wrapper-specific. */
export interface WrappedKey {
  kind: string;
  [field: string]: string | number;
}

/** Protects the data key. `unwrap` throws (e.g. WrongPassphraseError) when it cannot. */
export interface KeyWrapper {
  kind: string;
  wrap(dataKey: Buffer): WrappedKey;
  unwrap(wrapped: WrappedKey): Buffer;
}

interface KeyringFile {
  version: 1;
  wrapped: WrappedKey[];
}

/** File name of the keyring inside the data directory. */
export const KEYRING_FILE = 'keyring.json';

/**
 * Opens the keyring with the first wrapper that has an entry, or creates one (new random data key
 * wrapped by every given wrapper) when none exists. Wrappers given but not yet in the file are
 * added. Throws SecretBoxError when the file exists but none of `wrappers` has an entry there
 * (the message says which kinds would open it).
 */
export function openKeyring(dataDir: string, wrappers: KeyWrapper[]): SecretBox {
  if (wrappers.length === 0) throw new SecretBoxError('no key wrapper available to protect secrets');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, KEYRING_FILE);
  let ring: KeyringFile | null = null;
  if (fs.existsSync(file)) {
    try {
      ring = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyringFile;
    } catch {
      throw new SecretBoxError(`${file} is not valid JSON; restore it from a backup (without it sealed secrets cannot be opened)`);
    }
  }
  let dataKey: Buffer;
  if (!ring) {
    dataKey = crypto.randomBytes(32);
    ring = { version: 1, wrapped: wrappers.map((w) => w.wrap(dataKey)) };
    writeAtomic(file, ring);
    return new AesGcmSecretBox(dataKey);
  }
  const usable = wrappers.find((w) => ring!.wrapped.some((e) => e.kind === w.kind));
  if (!usable) {
    const kinds = ring.wrapped.map((e) => e.kind).join(', ');
    throw new SecretBoxError(`the secrets in ${dataDir} are protected by: ${kinds}; provide one of those (headless: set STAGEBENCH_PASSPHRASE)`);
  }
  dataKey = usable.unwrap(ring.wrapped.find((e) => e.kind === usable.kind)!);
  const missing = wrappers.filter((w) => !ring!.wrapped.some((e) => e.kind === w.kind));
  if (missing.length) {
    ring.wrapped.push(...missing.map((w) => w.wrap(dataKey)));
    writeAtomic(file, ring);
  }
  return new AesGcmSecretBox(dataKey);
}

function writeAtomic(file: string, ring: KeyringFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(ring, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
