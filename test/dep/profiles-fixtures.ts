/**
 * Fixtures for the DEP profile tests: a fresh SQLite cache (all migrations) in a temp dir, ABM
 * server rows and synced device rows written as migration 2 defines them, a secret box.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AesGcmSecretBox } from '../../main/secrets';
import { openDatabase, type Db } from '../../main/store';

/** A temp cache directory and its open database. */
export function tempCache(): { dir: string; db: Db; box: AesGcmSecretBox } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-dep-profiles-'));
  return { dir, db: openDatabase(dir), box: new AesGcmSecretBox(crypto.randomBytes(32)) };
}

/** Inserts an ABM server row (no token); returns its id. */
export function addServer(db: Db, name: string, baseUrl = 'https://mdmenrollment.apple.com'): string {
  const id = crypto.randomUUID();
  db.prepare(`INSERT INTO dep_servers (id, name, base_url, certificate_pem, cert_fingerprint, cert_not_after, private_key_sealed, created_at)
    VALUES (?, ?, ?, 'PEM', 'FP', '2030-01-01T00:00:00Z', x'00', ?)`).run(id, name, baseUrl, new Date().toISOString());
  return id;
}

/** Inserts synced devices of a server with Apple's `profile_status` (default `empty`). */
export function addDevices(db: Db, serverId: string, serials: string[], profileStatus = 'empty', profileUuid: string | null = null): void {
  const at = new Date().toISOString();
  const stmt = db.prepare(`INSERT INTO dep_devices (server_id, serial_number, model, os, device_family, profile_status, profile_uuid, first_seen_at, updated_at)
    VALUES (?, ?, 'iPhone 15', 'iOS', 'iPhone', ?, ?, ?, ?)`);
  for (const s of serials) stmt.run(serverId, s, profileStatus, profileUuid, at, at);
}

/** Row counts of the profile tables and the audit trail, to prove a refused write changed nothing. */
export function snapshot(db: Db): Record<string, unknown> {
  const q = (sql: string) => db.prepare(sql).all();
  return {
    profiles: q('SELECT id, name, is_default, sync_state, apple_json, form_json FROM dep_profiles ORDER BY id'),
    assignments: q('SELECT * FROM dep_profile_assignments ORDER BY server_id, serial_number'),
    outbox: q('SELECT id, kind, profile_id, serials_json, state FROM dep_profile_outbox ORDER BY id'),
    audit: (db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n,
  };
}
