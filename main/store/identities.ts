/**
 * Signing identities (certificate + chain + private key) imported from PKCS#12. The private key
 * (PKCS#8 DER) is stored only sealed by the SecretBox; the p12 password is never stored.
 */
import type { SecretBox } from '../secrets';
import type { Db } from './db';

/** Metadata of a stored identity. Dates ISO-8601 UTC. */
export interface IdentityMeta {
  id: string;
  label: string;
  subject: string;
  issuer: string;
  keyType: 'rsa' | 'ec';
  notBefore: string;
  notAfter: string;
  fingerprintSha256: string;
  importedAt: string;
}

/** Key material of an identity, opened from the cache. */
export interface IdentityMaterial {
  certificateDer: Buffer;
  chainDer: Buffer[];
  privateKeyPkcs8Der: Buffer;
}

const META = `id, label, subject, issuer, key_type AS keyType, not_before AS notBefore, not_after AS notAfter,
  fingerprint_sha256 AS fingerprintSha256, imported_at AS importedAt`;

/** Thrown when an identity with the same certificate is already stored. */
export class DuplicateIdentityError extends Error {
  constructor(readonly existingId: string, label: string) {
    super(`this certificate is already imported as "${label}" (${existingId}); delete it first to re-import`);
    this.name = 'DuplicateIdentityError';
  }
}

/** Stores an identity in one statement; the key is sealed before it reaches SQLite. */
export function insertIdentity(db: Db, box: SecretBox, meta: IdentityMeta, material: IdentityMaterial): void {
  const existing = db.prepare('SELECT id, label FROM signing_identities WHERE fingerprint_sha256 = ?').get(meta.fingerprintSha256) as
    | { id: string; label: string }
    | undefined;
  if (existing) throw new DuplicateIdentityError(existing.id, existing.label);
  db.prepare(
    `INSERT INTO signing_identities (id, label, subject, issuer, key_type, certificate_der, chain_der_json, private_key_sealed,
       fingerprint_sha256, not_before, not_after, imported_at)
     VALUES (@id, @label, @subject, @issuer, @keyType, @certificateDer, @chain, @sealed, @fingerprintSha256, @notBefore, @notAfter, @importedAt)`,
  ).run({
    ...meta,
    certificateDer: material.certificateDer,
    chain: JSON.stringify(material.chainDer.map((d) => d.toString('base64'))),
    sealed: box.seal(material.privateKeyPkcs8Der),
  });
}

/** All identities' metadata, newest first. */
export function listIdentities(db: Db): IdentityMeta[] {
  return db.prepare(`SELECT ${META} FROM signing_identities ORDER BY imported_at DESC`).all() as IdentityMeta[];
}

/** One identity's metadata, or null. */
export function getIdentityMeta(db: Db, id: string): IdentityMeta | null {
  return (db.prepare(`SELECT ${META} FROM signing_identities WHERE id = ?`).get(id) as IdentityMeta | undefined) ?? null;
}

/** Opens an identity's key material; throws when the id is unknown or the seal does not open. */
export function openIdentityMaterial(db: Db, box: SecretBox, id: string): IdentityMaterial {
  const row = db.prepare('SELECT certificate_der, chain_der_json, private_key_sealed FROM signing_identities WHERE id = ?').get(id) as
    | { certificate_der: Buffer; chain_der_json: string; private_key_sealed: Buffer }
    | undefined;
  if (!row) throw new Error(`no signing identity with id ${id}; list them with \`stagebench identity list\``);
  return {
    certificateDer: row.certificate_der,
    chainDer: (JSON.parse(row.chain_der_json) as string[]).map((b) => Buffer.from(b, 'base64')),
    privateKeyPkcs8Der: box.open(row.private_key_sealed),
  };
}

/** Deletes an identity; returns whether it existed. */
export function deleteIdentity(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM signing_identities WHERE id = ?').run(id).changes > 0;
}
