/**
 * Sealing of secrets at rest (private keys, p12-derived key material, profile bytes that carry a
 * SCEP Challenge or Wi-Fi Password). A SecretBox seals with AES-256-GCM under a random 32-byte
 * data key; the data key itself is wrapped by one or more KeyWrappers (a passphrase via scrypt for
 * headless benches, Electron's safeStorage in the app) — see keyring.ts.
 */
import crypto from 'node:crypto';

/** Seals and opens secret bytes. Implementations never log or persist the plaintext. */
export interface SecretBox {
  /** Returns an opaque sealed blob for `plaintext`. */
  seal(plaintext: Buffer): Buffer;
  /** Returns the plaintext; throws SecretBoxError when the blob was not sealed by this box or was altered. */
  open(sealed: Buffer): Buffer;
}

/** A sealed blob could not be opened (wrong key, corrupted or foreign data). */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const MAGIC = Buffer.from('SBX1', 'latin1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM SecretBox. Blob layout: "SBX1" | 12-byte IV | 16-byte tag | ciphertext.
 * `aad` binds blobs to a purpose (e.g. "stagebench") so they cannot be swapped with other data.
 */
export class AesGcmSecretBox implements SecretBox {
  private readonly key: Buffer;

  /** `key` must be 32 bytes; it is copied. */
  constructor(key: Buffer, private readonly aad = Buffer.from('stagebench', 'utf8')) {
    if (key.length !== 32) throw new SecretBoxError(`data key must be 32 bytes, got ${key.length}`);
    this.key = Buffer.from(key);
  }

  seal(plaintext: Buffer): Buffer {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(this.aad);
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), ct]);
  }

  open(sealed: Buffer): Buffer {
    if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new SecretBoxError('sealed secret is not in StageBench format (corrupted cache entry?)');
    }
    const iv = sealed.subarray(4, 4 + IV_BYTES);
    const tag = sealed.subarray(4 + IV_BYTES, 4 + IV_BYTES + TAG_BYTES);
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(this.aad);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(sealed.subarray(4 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new SecretBoxError('sealed secret failed authentication: it was altered or sealed under another key');
    }
  }
}
