/**
 * Migration 3: ADE (DEP) profiles of each ABM server (migration 2's `dep_servers`), the local
 * profile assignment of each synced device (`dep_devices`), and the outbox of sends to Apple's
 * Device Assignment service (Define a Profile, Assign a Profile) so edits made offline are kept
 * and sent when the server is reachable, with visible state.
 *
 * - `dep_profiles.form_json` is the Ivanti form model (never a password); `apple_json` the profile
 *   JSON generated from it (Apple's keys); `mdm_settings_json` what the MDM applies itself.
 * - `admin_password_hash_sealed` holds only the macOS managed admin's SALTED-SHA512-PBKDF2
 *   `passwordHash` plist, sealed by the secret box; `admin_password_iterations` its PBKDF2 count.
 * - One default profile per server (partial unique index); profile names unique per server.
 * - An assignment's device and profile must belong to the same server (trigger).
 */
import type { Migration } from './types';

export const migration003: Migration = {
  version: 3,
  name: 'ADE profiles, profile assignments, profile outbox',
  sql: `
      CREATE TABLE dep_profiles (
        id                          TEXT PRIMARY KEY,
        server_id                   TEXT NOT NULL REFERENCES dep_servers(id) ON DELETE CASCADE,
        name                        TEXT NOT NULL,
        profile_uuid                TEXT,                     -- Apple's, once defined
        form_json                   TEXT NOT NULL,
        apple_json                  TEXT NOT NULL,
        mdm_settings_json           TEXT NOT NULL,
        admin_password_hash_sealed  BLOB,
        admin_password_iterations   INTEGER,
        is_default                  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
        sync_state                  TEXT NOT NULL CHECK (sync_state IN ('draft', 'pending', 'synced', 'error')),
        last_error                  TEXT,
        created_at                  TEXT NOT NULL,
        updated_at                  TEXT NOT NULL,
        synced_at                   TEXT,
        UNIQUE (server_id, name)
      );
      CREATE UNIQUE INDEX dep_profiles_one_default ON dep_profiles(server_id) WHERE is_default = 1;
      CREATE INDEX dep_profiles_by_uuid ON dep_profiles(profile_uuid);

      CREATE TABLE dep_profile_assignments (
        server_id      TEXT NOT NULL,
        serial_number  TEXT NOT NULL,
        profile_id     TEXT NOT NULL REFERENCES dep_profiles(id) ON DELETE CASCADE,
        sync_state     TEXT NOT NULL CHECK (sync_state IN ('pending', 'synced', 'error')),
        last_status    TEXT,                                  -- Apple's per-device status: SUCCESS, NOT_ACCESSIBLE, FAILED, THROTTLED
        last_error     TEXT,
        assigned_at    TEXT NOT NULL,
        synced_at      TEXT,
        PRIMARY KEY (server_id, serial_number),
        FOREIGN KEY (server_id, serial_number) REFERENCES dep_devices(server_id, serial_number) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE INDEX dep_profile_assignments_by_profile ON dep_profile_assignments(profile_id, sync_state);
      CREATE TRIGGER dep_profile_assignments_same_server_insert BEFORE INSERT ON dep_profile_assignments
        WHEN (SELECT server_id FROM dep_profiles WHERE id = NEW.profile_id) IS NOT NEW.server_id
        BEGIN SELECT RAISE(ABORT, 'a device can only get a DEP profile of its own ABM server'); END;
      CREATE TRIGGER dep_profile_assignments_same_server_update BEFORE UPDATE OF profile_id, server_id ON dep_profile_assignments
        WHEN (SELECT server_id FROM dep_profiles WHERE id = NEW.profile_id) IS NOT NEW.server_id
        BEGIN SELECT RAISE(ABORT, 'a device can only get a DEP profile of its own ABM server'); END;

      CREATE TABLE dep_profile_outbox (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        server_id     TEXT NOT NULL REFERENCES dep_servers(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL CHECK (kind IN ('define', 'assign')),
        profile_id    TEXT NOT NULL REFERENCES dep_profiles(id) ON DELETE CASCADE,
        serials_json  TEXT,                                   -- assign: JSON array of serial numbers
        state         TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'error')),
        attempts      INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        sent_at       TEXT
      );
      CREATE INDEX dep_profile_outbox_by_state ON dep_profile_outbox(server_id, state, id);
    `,
};
