/**
 * Migration 7: organizations with a supervision identity (Apple Configurator's "Organization"):
 * the name and contact fields shown on prepared devices (cloud configuration OrganizationName,
 * OrganizationDepartment, OrganizationEmail, OrganizationPhone, OrganizationAddress), the
 * OrganizationMagic UUID, and the supervision identity — DER certificate in clear (it is sent to
 * devices as SupervisorHostCertificates) and the PKCS#8 private key only sealed by the secret box.
 *
 * - One organization per certificate (unique SHA-256 fingerprint), names unique (case-insensitive).
 * - `source` says whether StageBench generated the identity or it was imported (.p12 / DER pair).
 */
import type { Migration } from './types';

/** Migration 7: the `organizations` table. */
export const migration007: Migration = {
  version: 7,
  name: 'organizations and supervision identities',
  sql: `
      CREATE TABLE organizations (
        id                  TEXT PRIMARY KEY,
        name                TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
        department          TEXT,
        email               TEXT,
        phone               TEXT,
        address             TEXT,
        magic               TEXT NOT NULL UNIQUE,
        source              TEXT NOT NULL CHECK (source IN ('created', 'imported-p12', 'imported-der')),
        key_type            TEXT NOT NULL CHECK (key_type IN ('rsa', 'ec')),
        certificate_der     BLOB NOT NULL,
        private_key_sealed  BLOB NOT NULL,
        subject             TEXT NOT NULL,
        fingerprint_sha256  TEXT NOT NULL UNIQUE,
        not_before          TEXT NOT NULL,
        not_after           TEXT NOT NULL,
        created_at          TEXT NOT NULL
      );
    `,
};
