/**
 * Migration 2: Automated Device Enrollment — ABM servers (key pair, sealed server token, Apple
 * account facts), devices synced from Apple's Device Assignment service (Apple's field names,
 * AppleDocs Device object), sync cursor/state with a crash-safe lock, and per-device assignment
 * results.
 */
import type { Migration } from './types';

/** Migration 2 (ADE core): dep_servers, dep_devices, dep_sync_state, dep_assignment_results. */
export const migration002: Migration = {
  version: 2,
  name: 'ADE servers, tokens, devices, sync state, assignment results',
  sql: `
      CREATE TABLE dep_servers (
        id                   TEXT PRIMARY KEY,
        name                 TEXT NOT NULL COLLATE NOCASE UNIQUE,
        base_url             TEXT NOT NULL,
        certificate_pem      TEXT NOT NULL,             -- public: uploaded to ABM
        cert_fingerprint     TEXT NOT NULL,
        cert_not_after       TEXT NOT NULL,
        private_key_sealed   BLOB NOT NULL,             -- PKCS#8 PEM, sealed by the secret box
        consumer_key         TEXT,                      -- from the token; compared on renewal
        tokens_sealed        BLOB,                      -- DepTokens JSON, sealed
        access_token_expiry  TEXT,                      -- "Token Expires"
        token_uploaded_at    TEXT,
        server_name          TEXT,                      -- from GET /account
        server_uuid          TEXT,
        admin_id             TEXT,                      -- Apple account (Managed Apple ID)
        org_name             TEXT,
        org_email            TEXT,
        org_id               TEXT,
        org_type             TEXT,
        account_checked_at   TEXT,
        last_sync_at         TEXT,
        last_sync_status     TEXT CHECK (last_sync_status IN ('succeeded', 'failed')),
        last_sync_error      TEXT,
        created_at           TEXT NOT NULL
      );

      CREATE TABLE dep_devices (
        server_id              TEXT NOT NULL REFERENCES dep_servers(id) ON DELETE CASCADE,
        serial_number          TEXT NOT NULL,
        model                  TEXT,
        description            TEXT,
        color                  TEXT,
        asset_tag              TEXT,
        os                     TEXT,
        device_family          TEXT,
        profile_status         TEXT,
        profile_uuid           TEXT,
        profile_assign_time    TEXT,
        profile_push_time      TEXT,
        device_assigned_date   TEXT,
        device_assigned_by     TEXT,
        mdm_migration_deadline TEXT,
        op_type                TEXT,
        op_date                TEXT,
        listing_generation     INTEGER NOT NULL DEFAULT 0, -- full listing that last saw the device (pruning)
        first_seen_at          TEXT NOT NULL,
        updated_at             TEXT NOT NULL,
        PRIMARY KEY (server_id, serial_number)
      ) WITHOUT ROWID;
      CREATE INDEX dep_devices_by_serial ON dep_devices(serial_number);
      CREATE INDEX dep_devices_by_profile ON dep_devices(server_id, profile_uuid);

      CREATE TABLE dep_sync_state (
        server_id            TEXT PRIMARY KEY REFERENCES dep_servers(id) ON DELETE CASCADE,
        cursor               TEXT,                      -- Apple's opaque cursor, stored after each committed page
        phase                TEXT NOT NULL DEFAULT 'fetch' CHECK (phase IN ('fetch', 'sync')),
        fetched_until        TEXT,
        cursor_updated_at    TEXT,
        listing_generation   INTEGER NOT NULL DEFAULT 0, -- bumped when a full listing starts
        full_sync_started_at TEXT,
        full_sync_completed_at TEXT,
        lock_owner           TEXT,                      -- random id of the running sync
        lock_pid             INTEGER,
        lock_host            TEXT,
        lock_acquired_at     TEXT,
        lock_heartbeat_at    TEXT
      );

      CREATE TABLE dep_assignment_results (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        server_id     TEXT NOT NULL REFERENCES dep_servers(id) ON DELETE CASCADE,
        batch_id      TEXT NOT NULL,
        action        TEXT NOT NULL CHECK (action IN ('assign', 'remove', 'define')),
        profile_uuid  TEXT,
        serial_number TEXT NOT NULL,
        status        TEXT NOT NULL,                    -- SUCCESS, NOT_ACCESSIBLE, FAILED, THROTTLED, ...
        at            TEXT NOT NULL,
        actor         TEXT NOT NULL
      );
      CREATE INDEX dep_assignment_results_by_serial ON dep_assignment_results(server_id, serial_number);
      CREATE INDEX dep_assignment_results_by_batch ON dep_assignment_results(batch_id);
    `,
};
