/** Migration 1: signing identities, profiles, devices seen, staging runs and steps, the audit trail. */
import type { Migration } from './types';

export const migration001: Migration = {
  version: 1,
  name: 'identities, profiles, devices, staging runs, audit trail',
  sql: `
      CREATE TABLE signing_identities (
        id                 TEXT PRIMARY KEY,
        label              TEXT NOT NULL,
        subject            TEXT NOT NULL,
        issuer             TEXT NOT NULL,
        key_type           TEXT NOT NULL CHECK (key_type IN ('rsa', 'ec')),
        certificate_der    BLOB NOT NULL,
        chain_der_json     TEXT NOT NULL,               -- JSON array of base64 DER intermediates
        private_key_sealed BLOB NOT NULL,               -- PKCS#8 DER, sealed by the secret box
        fingerprint_sha256 TEXT NOT NULL UNIQUE,
        not_before         TEXT NOT NULL,
        not_after          TEXT NOT NULL,
        imported_at        TEXT NOT NULL
      );

      CREATE TABLE profiles (
        id                  TEXT PRIMARY KEY,
        name                TEXT NOT NULL,
        kind                TEXT NOT NULL CHECK (kind IN ('enrollment', 'wifi', 'imported')),
        payload_identifier  TEXT NOT NULL,
        payload_uuid        TEXT NOT NULL,
        target              TEXT NOT NULL CHECK (target IN ('ios', 'macos', 'tvos')),
        payload_types_json  TEXT NOT NULL,
        signed              INTEGER NOT NULL CHECK (signed IN (0, 1)),
        signer_identity_id  TEXT REFERENCES signing_identities(id) ON DELETE SET NULL,
        signer_subject      TEXT,
        source_profile_id   TEXT REFERENCES profiles(id) ON DELETE SET NULL,
        content_sealed      BLOB NOT NULL,              -- profile bytes may hold a SCEP Challenge or Wi-Fi Password
        size_bytes          INTEGER NOT NULL,
        created_at          TEXT NOT NULL
      );
      CREATE INDEX profiles_by_identifier ON profiles(payload_identifier);

      CREATE TABLE devices (
        udid            TEXT PRIMARY KEY,
        serial_number   TEXT,
        unique_chip_id  TEXT,                           -- ECID, decimal string
        product_type    TEXT,
        product_version TEXT,
        device_class    TEXT,
        device_name     TEXT,
        first_seen      TEXT NOT NULL,
        last_seen       TEXT NOT NULL,
        last_staged_at  TEXT
      );

      CREATE TABLE staging_runs (
        id           TEXT PRIMARY KEY,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        status       TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
        actor        TEXT NOT NULL,
        options_json TEXT NOT NULL,                     -- no secrets: Wi-Fi password and challenges are never recorded
        succeeded    INTEGER NOT NULL DEFAULT 0,
        failed       INTEGER NOT NULL DEFAULT 0
      );

      CREATE TABLE staging_steps (
        run_id      TEXT NOT NULL REFERENCES staging_runs(id) ON DELETE CASCADE,
        udid        TEXT NOT NULL,
        seq         INTEGER NOT NULL,
        step        TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed', 'skipped')),
        message     TEXT NOT NULL DEFAULT '',
        started_at  TEXT,
        finished_at TEXT,
        PRIMARY KEY (run_id, udid, step)
      );

      CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        target  TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
        detail  TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX audit_by_time ON audit_log(at);
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    `,
};
