/**
 * Registration PINs: one-time numeric codes (Ivanti "Registration PIN", EPMM `$PASSCODE$`).
 * Generated with `crypto.randomInt` (a CSPRNG, uniform per digit), shown once, and stored only as
 * a salted, keyed hash: scrypt (RFC 7914) over HMAC-SHA256(pinKey, PIN) with a random 16-byte salt.
 * The PIN key is a random 32-byte key kept sealed by the secret box (pin-key.ts), so a copied
 * cache file alone cannot be brute-forced over the small PIN space. Comparison is constant-time.
 */
import crypto from 'node:crypto';

/** scrypt cost parameters; recorded inside each hash so they can change later. */
export interface PinHashParams {
  N: number;
  r: number;
  p: number;
}

/** Default cost: N=2^14, r=8, p=1 (≈16 MiB, tens of ms per hash). */
export const DEFAULT_PIN_HASH_PARAMS: PinHashParams = { N: 1 << 14, r: 8, p: 1 };

const PREFIX = 'scrypt-hmac-v1';

/**
 * A PIN of `length` decimal digits (leading zeros allowed), each digit from `crypto.randomInt(0, 10)`.
 * Throws RangeError when `length` is not a whole number 1–64.
 */
export function generatePin(length: number, randomDigit: () => number = () => crypto.randomInt(0, 10)): string {
  if (!Number.isInteger(length) || length < 1 || length > 64) throw new RangeError(`PIN length must be 1–64 digits, not ${length}`);
  let pin = '';
  for (let i = 0; i < length; i++) pin += String(randomDigit());
  return pin;
}

/**
 * Hashes `pin` under `key` (the 32-byte PIN key): returns
 * `scrypt-hmac-v1$N$r$p$<salt b64>$<hash b64>`. The PIN itself is not recoverable from it.
 */
export function hashPin(pin: string, key: Buffer, params: PinHashParams = DEFAULT_PIN_HASH_PARAMS): string {
  const salt = crypto.randomBytes(16);
  const hash = derive(pin, key, salt, params);
  return [PREFIX, params.N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/**
 * Whether `pin` matches `stored` (from hashPin) under `key`, compared in constant time. Returns
 * false for a malformed stored value rather than throwing.
 */
export function pinMatches(pin: string, stored: string, key: Buffer): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== PREFIX) return false;
  const params = { N: Number(parts[1]), r: Number(parts[2]), p: Number(parts[3]) };
  if (![params.N, params.r, params.p].every((n) => Number.isInteger(n) && n > 0)) return false;
  const expected = Buffer.from(parts[5], 'base64');
  const actual = derive(pin, key, Buffer.from(parts[4], 'base64'), params);
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
}

function derive(pin: string, key: Buffer, salt: Buffer, p: PinHashParams): Buffer {
  const keyed = crypto.createHmac('sha256', key).update(pin, 'utf8').digest();
  return crypto.scryptSync(keyed, salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r });
}
