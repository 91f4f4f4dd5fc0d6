/**
 * Migration 5: the device inventory of the Ivanti tenant (Neurons for MDM / EPMM "Devices" page):
 * one row per registration entry, with status Active / Retired / Wiped / Reset, the registration
 * method, owner and the time the device was last staged at this bench.
 *
 * - `id` is AUTOINCREMENT so a deleted entry's id is never reused (audit rows name it).
 * - Identifiers (serial, UDID, IMEI) and the owner compare case-insensitively (COLLATE NOCASE),
 *   so their indexes serve `=` lookups and sorts.
 * - `inventory_search` is an FTS5 external-content table with the trigram tokenizer over serial,
 *   UDID and IMEI: case-insensitive substring search of 3+ characters without a table scan.
 *   Triggers keep it in step with `inventory_devices`. Owner and model are not in it: they repeat
 *   across entries, so a search matches the term against their distinct values (far fewer) and
 *   looks the matches up through their indexes.
 * - `owner_user_id` holds a `registration_users.id` when known; no foreign key, because migration 4
 *   (registration) may land after this one on an existing cache.
 */
import type { Migration } from './types';

export const migration005: Migration = {
  version: 5,
  name: 'device inventory',
  sql: `
      CREATE TABLE inventory_devices (
        id                  INTEGER PRIMARY KEY AUTOINCREMENT,
        platform            TEXT NOT NULL CHECK (platform IN ('iOS', 'iPadOS', 'macOS', 'tvOS', 'visionOS', 'Android')),
        model               TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
        os_version          TEXT NOT NULL,
        serial_number       TEXT COLLATE NOCASE,
        udid                TEXT COLLATE NOCASE,
        imei                TEXT COLLATE NOCASE,
        owner_email         TEXT COLLATE NOCASE,
        owner_user_id       TEXT,
        registration_method TEXT NOT NULL CHECK (registration_method IN ('invitation', 'in-app', 'ABM', 'Configurator/bench')),
        status              TEXT NOT NULL CHECK (status IN ('Active', 'Retired', 'Wiped', 'Reset')),
        registered_at       TEXT NOT NULL,
        status_changed_at   TEXT NOT NULL,
        last_check_in       TEXT,
        last_staged_at      TEXT,
        CHECK (serial_number IS NOT NULL OR udid IS NOT NULL OR imei IS NOT NULL)
      );
      -- Filter indexes (and their counts, answered from the index alone).
      CREATE INDEX inventory_by_status     ON inventory_devices(status, platform, model);
      CREATE INDEX inventory_by_platform   ON inventory_devices(platform, status, model);
      CREATE INDEX inventory_by_owner_user ON inventory_devices(owner_user_id);
      -- Sort indexes: (column, id) is the window order (id breaks ties), followed by the filter
      -- columns so a window walks one index in order and tests the filters without reading the
      -- table. The model and owner ones also serve model / owner lookups.
      CREATE INDEX inventory_sort_id         ON inventory_devices(id, status, platform, model);
      CREATE INDEX inventory_sort_status     ON inventory_devices(status, id, platform, model);
      CREATE INDEX inventory_sort_platform   ON inventory_devices(platform, id, status, model);
      CREATE INDEX inventory_sort_model      ON inventory_devices(model, id, status, platform);
      CREATE INDEX inventory_sort_owner      ON inventory_devices(owner_email, id, status, platform, model);
      CREATE INDEX inventory_sort_serial     ON inventory_devices(serial_number, id, status, platform, model);
      CREATE INDEX inventory_sort_udid       ON inventory_devices(udid, id, status, platform, model);
      CREATE INDEX inventory_sort_imei       ON inventory_devices(imei, id, status, platform, model);
      CREATE INDEX inventory_sort_os         ON inventory_devices(os_version, id, status, platform, model);
      CREATE INDEX inventory_sort_method     ON inventory_devices(registration_method, id, status, platform, model);
      CREATE INDEX inventory_sort_check_in   ON inventory_devices(last_check_in, id, status, platform, model);
      CREATE INDEX inventory_sort_staged     ON inventory_devices(last_staged_at, id, status, platform, model);
      CREATE INDEX inventory_sort_registered ON inventory_devices(registered_at, id, status, platform, model);

      CREATE VIRTUAL TABLE inventory_search USING fts5(
        serial_number, udid, imei,
        content = 'inventory_devices', content_rowid = 'id', tokenize = 'trigram'
      );
      CREATE TRIGGER inventory_search_ai AFTER INSERT ON inventory_devices BEGIN
        INSERT INTO inventory_search (rowid, serial_number, udid, imei)
        VALUES (new.id, new.serial_number, new.udid, new.imei);
      END;
      CREATE TRIGGER inventory_search_ad AFTER DELETE ON inventory_devices BEGIN
        INSERT INTO inventory_search (inventory_search, rowid, serial_number, udid, imei)
        VALUES ('delete', old.id, old.serial_number, old.udid, old.imei);
      END;
      CREATE TRIGGER inventory_search_au AFTER UPDATE OF serial_number, udid, imei ON inventory_devices BEGIN
        INSERT INTO inventory_search (inventory_search, rowid, serial_number, udid, imei)
        VALUES ('delete', old.id, old.serial_number, old.udid, old.imei);
        INSERT INTO inventory_search (rowid, serial_number, udid, imei)
        VALUES (new.id, new.serial_number, new.udid, new.imei);
      END;
    `,
};
