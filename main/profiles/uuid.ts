/**
 * Deterministic PayloadUUIDs. Apple replaces an installed payload in place when both its
 * `PayloadIdentifier` and `PayloadUUID` match (CommonPayloadKeys.yaml, PayloadUUID), so a
 * rebuilt profile must reuse the UUIDs of the previous build. We derive them as RFC 9562 UUIDv5
 * (SHA-1, name-based) from the profile's PayloadIdentifier and the payload's role.
 */
import { createHash } from 'node:crypto';

/** StageBench's UUIDv5 namespace (fixed; changing it would change every derived UUID). */
export const STAGEBENCH_UUID_NAMESPACE = '6f1d3c2e-5b7a-4d1e-9c3f-8a2b4e6d0c11';

/**
 * RFC 9562 §5.5 UUIDv5 of `name` in `namespace`, upper-case like Apple's samples
 * (`XXXXXXXX-XXXX-5XXX-YXXX-XXXXXXXXXXXX`). Throws TypeError for a malformed namespace.
 */
export function uuidV5(name: string, namespace = STAGEBENCH_UUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`UUID namespace "${namespace}" is not a UUID`);
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The PayloadUUID for a payload `role` (e.g. `profile`, `mdm`, `scep`, `anchor.<fingerprint>`)
 * inside the profile whose top-level PayloadIdentifier is `profileIdentifier`. Same inputs →
 * same UUID on every build and machine.
 */
export function stablePayloadUUID(profileIdentifier: string, role: string): string {
  return uuidV5(`${profileIdentifier}\u0000${role}`);
}
