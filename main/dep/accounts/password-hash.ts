/**
 * The macOS `passwordHash` object of AccountConfiguration / SetAutoAdminPassword (Apple schema
 * `other/passwordhash.yaml`): a property list
 *
 *   { "SALTED-SHA512-PBKDF2": { "entropy": <data>, "iterations": <integer>, "salt": <data, 32 bytes> } }
 *
 * where `entropy` is PBKDF2-HMAC-SHA512(password, salt, iterations) — 128 bytes, as MicroMDM and
 * Fleet produce (reference §7.1). The clear password is used once here and never kept.
 */
import crypto from 'node:crypto';
import { buildTypedPlist, parseTypedPlistDict, isTypedDict } from '../../profiles/plist-xml';

/** Salt length Apple specifies (bytes). */
export const PASSWORD_HASH_SALT_BYTES = 32;
/** Derived-key length (bytes) macOS stores in `entropy`. */
export const PASSWORD_HASH_ENTROPY_BYTES = 128;
/** Iteration range Apple suggests when the calibrated count is unknown. */
export const PASSWORD_HASH_ITERATIONS = { min: 20_000, max: 40_000 } as const;

/** A computed hash: the plist bytes to send (XML) and its parts. Contains no clear password. */
export interface SaltedSha512Pbkdf2 {
  /** XML plist of the `passwordHash` object (what AccountConfiguration's `passwordHash` data holds). */
  plist: Buffer;
  salt: Buffer;
  entropy: Buffer;
  iterations: number;
}

/** Options: fixed `salt` (32 bytes) or `iterations` (20,000–40,000 unless `allowAnyIterations`), for tests and re-hashing. */
export interface PasswordHashOptions {
  salt?: Buffer;
  iterations?: number;
  /** Permits iteration counts outside Apple's 20,000–40,000 suggestion (≥ 1000). */
  allowAnyIterations?: boolean;
}

/**
 * Hashes `password` (UTF-8) into Apple's SALTED-SHA512-PBKDF2 object. Default: 32 random salt
 * bytes and a random iteration count in 20,000–40,000. Throws RangeError for an empty password,
 * a salt that is not 32 bytes, or iterations out of range.
 */
export function saltedSha512Pbkdf2(password: string, opts: PasswordHashOptions = {}): SaltedSha512Pbkdf2 {
  if (password.length === 0) throw new RangeError('the password is empty');
  const salt = opts.salt ?? crypto.randomBytes(PASSWORD_HASH_SALT_BYTES);
  if (salt.length !== PASSWORD_HASH_SALT_BYTES) throw new RangeError(`the salt must be ${PASSWORD_HASH_SALT_BYTES} bytes, got ${salt.length}`);
  const iterations = opts.iterations ?? crypto.randomInt(PASSWORD_HASH_ITERATIONS.min, PASSWORD_HASH_ITERATIONS.max + 1);
  const [min, max] = opts.allowAnyIterations ? [1000, 10_000_000] : [PASSWORD_HASH_ITERATIONS.min, PASSWORD_HASH_ITERATIONS.max];
  if (!Number.isInteger(iterations) || iterations < min || iterations > max) throw new RangeError(`iterations must be a whole number in ${min}–${max}, got ${iterations}`);
  const entropy = crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, PASSWORD_HASH_ENTROPY_BYTES, 'sha512');
  const plist = buildTypedPlist({ 'SALTED-SHA512-PBKDF2': { entropy, iterations, salt } });
  return { plist, salt: Buffer.from(salt), entropy, iterations };
}

/**
 * Reads a `passwordHash` plist back into its parts. Throws Error naming the missing or malformed
 * key when the plist is not a SALTED-SHA512-PBKDF2 object.
 */
export function parsePasswordHash(plist: Uint8Array): Omit<SaltedSha512Pbkdf2, 'plist'> {
  const dict = parseTypedPlistDict(plist);
  const inner = dict['SALTED-SHA512-PBKDF2'];
  if (!isTypedDict(inner)) throw new Error('passwordHash has no SALTED-SHA512-PBKDF2 dictionary');
  const { entropy, iterations, salt } = inner;
  if (!(entropy instanceof Uint8Array)) throw new Error('passwordHash entropy is not data');
  if (!(salt instanceof Uint8Array) || salt.length !== PASSWORD_HASH_SALT_BYTES) throw new Error('passwordHash salt is not 32 bytes of data');
  if (typeof iterations !== 'number') throw new Error('passwordHash iterations is not an integer');
  return { entropy: Buffer.from(entropy), salt: Buffer.from(salt), iterations };
}

/** True when `password` hashes to `stored` (constant-time compare). */
export function passwordMatchesHash(password: string, stored: Omit<SaltedSha512Pbkdf2, 'plist'>): boolean {
  const again = crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), stored.salt, stored.iterations, stored.entropy.length, 'sha512');
  return again.length === stored.entropy.length && crypto.timingSafeEqual(again, stored.entropy);
}
