/**
 * The `organizations` table (migration 7): rows with the DER certificate in clear and the PKCS#8
 * private key sealed by the SecretBox before it reaches SQLite.
 */
import type { SecretBox } from '../secrets';
import type { Db } from '../store';
import { DuplicateOrganizationError, OrganizationNotFoundError } from './errors';
import type { OrganizationRow } from './types';

const COLS = `id, name, department, email, phone, address, magic, source, key_type AS keyType, subject,
  fingerprint_sha256 AS fingerprintSha256, not_before AS notBefore, not_after AS notAfter, created_at AS createdAt`;

/** Inserts `row` with its certificate and sealed key. Throws DuplicateOrganizationError for a used name or certificate. */
export function insertOrganization(db: Db, box: SecretBox, row: OrganizationRow, certificateDer: Buffer, privateKeyPkcs8Der: Buffer): void {
  const byName = db.prepare('SELECT id FROM organizations WHERE name = ?').get(row.name) as { id: string } | undefined;
  if (byName) throw new DuplicateOrganizationError(`an organization named "${row.name}" exists (${byName.id}); choose another name`);
  const byCert = db.prepare('SELECT id, name FROM organizations WHERE fingerprint_sha256 = ?').get(row.fingerprintSha256) as { id: string; name: string } | undefined;
  if (byCert) throw new DuplicateOrganizationError(`this supervision certificate is already imported as "${byCert.name}" (${byCert.id})`);
  db.prepare(
    `INSERT INTO organizations (id, name, department, email, phone, address, magic, source, key_type, certificate_der, private_key_sealed,
       subject, fingerprint_sha256, not_before, not_after, created_at)
     VALUES (@id, @name, @department, @email, @phone, @address, @magic, @source, @keyType, @certificateDer, @sealed,
       @subject, @fingerprintSha256, @notBefore, @notAfter, @createdAt)`,
  ).run({ ...row, certificateDer, sealed: box.seal(privateKeyPkcs8Der) });
}

/** All organizations by name. */
export function listOrganizations(db: Db): OrganizationRow[] {
  return db.prepare(`SELECT ${COLS} FROM organizations ORDER BY name`).all() as OrganizationRow[];
}

/** The organization with id `ref`, or else with name `ref` (case-insensitive). Throws OrganizationNotFoundError. */
export function getOrganization(db: Db, ref: string): OrganizationRow {
  const row = (db.prepare(`SELECT ${COLS} FROM organizations WHERE id = ?`).get(ref) ?? db.prepare(`SELECT ${COLS} FROM organizations WHERE name = ?`).get(ref)) as OrganizationRow | undefined;
  if (!row) throw new OrganizationNotFoundError(ref);
  return row;
}

/** The DER certificate of organization `id`. Throws OrganizationNotFoundError. */
export function organizationCertificate(db: Db, id: string): Buffer {
  const r = db.prepare('SELECT certificate_der FROM organizations WHERE id = ?').get(id) as { certificate_der: Buffer } | undefined;
  if (!r) throw new OrganizationNotFoundError(id);
  return r.certificate_der;
}

/** Certificate and opened private key (PKCS#8 DER — a secret: never log it). Throws OrganizationNotFoundError, SecretBoxError. */
export function openOrganizationKey(db: Db, box: SecretBox, id: string): { certificateDer: Buffer; privateKeyPkcs8Der: Buffer } {
  const r = db.prepare('SELECT certificate_der, private_key_sealed FROM organizations WHERE id = ?').get(id) as { certificate_der: Buffer; private_key_sealed: Buffer } | undefined;
  if (!r) throw new OrganizationNotFoundError(id);
  return { certificateDer: r.certificate_der, privateKeyPkcs8Der: box.open(r.private_key_sealed) };
}
