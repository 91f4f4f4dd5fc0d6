/**
 * Migration 6: offline-first sync with the Ivanti Neurons for MDM / EPMM tenant.
 *
 * - `tenant_settings`: the one tenant connection (URL, user, password sealed by the SecretBox,
 *   device space / partition name and its resolved `dmPartitionId`).
 * - `tenant_devices`, `tenant_users`: mirrors of the tenant's device and account listings
 *   (`GET /api/v1/device`, `GET /api/v1/account`), each row with the record's `revision` and the
 *   sweep that last saw it; `deleted_at` marks a record absent from a complete sweep (tombstone).
 * - `sync_outbox`: local changes waiting to be pushed, in `seq` order; `mutation_id` is the
 *   idempotency key sent with every attempt, `base_revision` the tenant revision the change was
 *   made against. `sync_acks` keeps every acknowledged mutation (written before the outbox row is
 *   deleted, in the same transaction).
 * - `sync_entity_map`: local id → tenant id for records created at the bench.
 * - `sync_conflicts`: conflicts detected at push (tenant changed or deleted the record since the
 *   base revision) with both sides, and how they were resolved.
 * - `sync_checkpoints`: pull position per stream (sweep id + next `start`), advanced only after the
 *   page's transaction commits. `sync_state`: last success, last error, and similar facts.
 */
import type { Migration } from './types';

export const migration006: Migration = {
  version: 6,
  name: 'tenant sync',
  sql: `
      CREATE TABLE tenant_settings (
        id              INTEGER PRIMARY KEY CHECK (id = 1),
        url             TEXT NOT NULL,
        user            TEXT NOT NULL,
        password_sealed BLOB NOT NULL,                 -- sealed by the SecretBox; never plaintext
        partition_name  TEXT,                          -- NULL = the default device space
        partition_id    TEXT,                          -- resolved dmPartitionId
        updated_at      TEXT NOT NULL
      );

      CREATE TABLE tenant_devices (
        id                 TEXT PRIMARY KEY,           -- tenant device id
        partition_id       TEXT NOT NULL,
        guid               TEXT,
        serial_number      TEXT COLLATE NOCASE,
        udid               TEXT COLLATE NOCASE,
        model              TEXT,
        platform           TEXT,
        os_version         TEXT,
        registration_state TEXT,
        email_address      TEXT COLLATE NOCASE,
        display_name       TEXT,
        revision           TEXT,
        record_json        TEXT NOT NULL,
        last_seen_sweep    TEXT,
        synced_at          TEXT NOT NULL,
        deleted_at         TEXT
      );
      CREATE INDEX tenant_devices_by_serial ON tenant_devices(serial_number);
      CREATE INDEX tenant_devices_by_udid ON tenant_devices(udid);
      CREATE INDEX tenant_devices_by_sweep ON tenant_devices(last_seen_sweep);

      CREATE TABLE tenant_users (
        id              TEXT PRIMARY KEY,              -- tenant account id
        uid             TEXT COLLATE NOCASE,
        email_address   TEXT COLLATE NOCASE,
        first_name      TEXT,
        last_name       TEXT,
        account_source  TEXT,
        invite_state    TEXT,
        enabled         INTEGER,
        revision        TEXT,
        record_json     TEXT NOT NULL,
        last_seen_sweep TEXT,
        synced_at       TEXT NOT NULL,
        deleted_at      TEXT
      );
      CREATE INDEX tenant_users_by_uid ON tenant_users(uid);
      CREATE INDEX tenant_users_by_sweep ON tenant_users(last_seen_sweep);

      CREATE TABLE sync_outbox (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        mutation_id   TEXT NOT NULL UNIQUE,            -- idempotency key
        entity        TEXT NOT NULL,
        entity_id     TEXT NOT NULL,
        op            TEXT NOT NULL,
        payload_json  TEXT NOT NULL,
        base_revision TEXT,
        state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'conflict', 'failed')),
        attempts      INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT,
        actor         TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
      CREATE INDEX sync_outbox_by_entity ON sync_outbox(entity, entity_id);

      CREATE TABLE sync_acks (
        mutation_id TEXT PRIMARY KEY,
        seq         INTEGER NOT NULL,
        entity      TEXT NOT NULL,
        entity_id   TEXT NOT NULL,
        tenant_id   TEXT,
        op          TEXT NOT NULL,
        revision    TEXT,
        acked_at    TEXT NOT NULL
      );

      CREATE TABLE sync_entity_map (
        entity    TEXT NOT NULL,
        local_id  TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        PRIMARY KEY (entity, local_id)
      );

      CREATE TABLE sync_conflicts (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        mutation_id    TEXT NOT NULL,
        entity         TEXT NOT NULL,
        entity_id      TEXT NOT NULL,
        tenant_id      TEXT,
        op             TEXT NOT NULL,
        kind           TEXT NOT NULL CHECK (kind IN ('changed', 'deleted')),
        mine_json      TEXT NOT NULL,
        theirs_json    TEXT,                           -- NULL when deleted on the tenant
        base_revision  TEXT,
        their_revision TEXT,
        detected_at    TEXT NOT NULL,
        resolved_at    TEXT,
        resolution     TEXT CHECK (resolution IN ('keep-mine', 'take-theirs'))
      );
      CREATE INDEX sync_conflicts_open ON sync_conflicts(resolved_at);

      CREATE TABLE sync_checkpoints (
        stream           TEXT PRIMARY KEY,
        sweep_id         TEXT,                         -- NULL = no sweep in progress
        next_start       INTEGER NOT NULL DEFAULT 0,
        total_count      INTEGER,
        sweep_started_at TEXT,
        last_complete_at TEXT,
        updated_at       TEXT NOT NULL
      );

      CREATE TABLE sync_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
};
