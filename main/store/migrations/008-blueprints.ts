/**
 * Migration 8: blueprints and per-device logs.
 *
 * - `blueprints`: a named, ordered list of actions (`actions_json`, validated by
 *   main/blueprints/schema.ts) applied to every device dropped on it. Secrets are not in
 *   `actions_json`: a Wi-Fi password or SCEP challenge is a reference (`passwordRef`,
 *   `challengeRef`) into `blueprint_secrets`, sealed by the SecretBox. `name_counter` counts the
 *   `{counter}` values handed out by the device-name action; at most one blueprint has
 *   `auto_apply = 1` (the one run on every newly attached device).
 * - `device_logs`: per-device log lines of staging, blueprint and restore runs (no secrets).
 */
import type { Migration } from './types';

export const migration008: Migration = {
  version: 8,
  name: 'blueprints, device logs',
  sql: `
      CREATE TABLE blueprints (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description  TEXT NOT NULL DEFAULT '',
        actions_json TEXT NOT NULL,                    -- no secrets: references into blueprint_secrets
        name_counter INTEGER NOT NULL DEFAULT 0 CHECK (name_counter >= 0),
        auto_apply   INTEGER NOT NULL DEFAULT 0 CHECK (auto_apply IN (0, 1)),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      );
      CREATE UNIQUE INDEX blueprints_one_auto_apply ON blueprints(auto_apply) WHERE auto_apply = 1;

      CREATE TABLE blueprint_secrets (
        blueprint_id TEXT NOT NULL REFERENCES blueprints(id) ON DELETE CASCADE,
        ref          TEXT NOT NULL,
        sealed       BLOB NOT NULL,                    -- sealed by the SecretBox; never plaintext
        PRIMARY KEY (blueprint_id, ref)
      );

      CREATE TABLE device_logs (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id  TEXT NOT NULL REFERENCES staging_runs(id) ON DELETE CASCADE,
        udid    TEXT NOT NULL,
        at      TEXT NOT NULL,
        level   TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')),
        step    TEXT,
        message TEXT NOT NULL
      );
      CREATE INDEX device_logs_by_run ON device_logs(run_id, udid, id);
      CREATE INDEX device_logs_by_udid ON device_logs(udid, id);
    `,
};
