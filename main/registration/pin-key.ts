/**
 * The PIN key: a random 32-byte HMAC key used when hashing registration PINs (pin.ts). Stored in
 * `registration_pin_key` only sealed by the SecretBox (AES-256-GCM under the data key), created on
 * first use.
 */
import crypto from 'node:crypto';
import type { SecretBox } from '../secrets';
import type { Db } from '../store';

/**
 * Returns the PIN key, creating and storing it (sealed) when absent. Throws what the box throws
 * when it cannot open (e.g. STAGEBENCH_PASSPHRASE not set headless, or a wrong passphrase).
 */
export function pinKey(db: Db, box: SecretBox, now: Date): Buffer {
  const row = db.prepare('SELECT key_sealed FROM registration_pin_key WHERE id = 1').get() as { key_sealed: Buffer } | undefined;
  if (row) return box.open(row.key_sealed);
  const key = crypto.randomBytes(32);
  const sealed = box.seal(key);
  db.prepare('INSERT INTO registration_pin_key (id, key_sealed, created_at) VALUES (1, ?, ?)').run(sealed, now.toISOString());
  return key;
}
