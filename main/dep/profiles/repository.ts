/**
 * SQLite access for DEP profiles (migration 3: `dep_profiles`, `dep_profile_assignments`,
 * `dep_profile_outbox`). Plain statements only; callers validate first and wrap writes in one
 * transaction. Dates are ISO-8601 UTC strings.
 */
import type { Db } from '../../store/db';
import type { AppleDepProfile } from './apple-profile';
import type { DepProfileForm } from './form';
import type { DepMdmSettings } from './to-apple';

/** Sync state of a profile: saved locally only (`draft`), queued (`pending`), accepted by Apple (`synced`), or refused (`error`, see `lastError`). */
export type DepProfileSyncState = 'draft' | 'pending' | 'synced' | 'error';

/** A `dep_profiles` row, decoded. `profileUuid` is Apple's once defined. The sealed admin hash is not included. */
export interface DepProfileRecord {
  id: string;
  serverId: string;
  name: string;
  profileUuid: string | null;
  form: DepProfileForm;
  apple: AppleDepProfile;
  mdmSettings: DepMdmSettings;
  hasAdminPassword: boolean;
  adminPasswordIterations: number | null;
  isDefault: boolean;
  syncState: DepProfileSyncState;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  syncedAt: string | null;
}

interface Row {
  id: string;
  server_id: string;
  name: string;
  profile_uuid: string | null;
  form_json: string;
  apple_json: string;
  mdm_settings_json: string;
  has_hash: number;
  admin_password_iterations: number | null;
  is_default: number;
  sync_state: DepProfileSyncState;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  synced_at: string | null;
}

const COLUMNS = `id, server_id, name, profile_uuid, form_json, apple_json, mdm_settings_json,
  admin_password_hash_sealed IS NOT NULL AS has_hash, admin_password_iterations, is_default, sync_state,
  last_error, created_at, updated_at, synced_at`;

function decode(r: Row): DepProfileRecord {
  return {
    id: r.id,
    serverId: r.server_id,
    name: r.name,
    profileUuid: r.profile_uuid,
    form: JSON.parse(r.form_json) as DepProfileForm,
    apple: JSON.parse(r.apple_json) as AppleDepProfile,
    mdmSettings: JSON.parse(r.mdm_settings_json) as DepMdmSettings,
    hasAdminPassword: r.has_hash === 1,
    adminPasswordIterations: r.admin_password_iterations,
    isDefault: r.is_default === 1,
    syncState: r.sync_state,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    syncedAt: r.synced_at,
  };
}

/** One profile by local id, or undefined. */
export function findProfile(db: Db, id: string): DepProfileRecord | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM dep_profiles WHERE id = ?`).get(id) as Row | undefined;
  return r && decode(r);
}

/** Profiles of one server (or every server), default first, then by name. */
export function listProfileRecords(db: Db, serverId?: string): DepProfileRecord[] {
  const rows = serverId
    ? db.prepare(`SELECT ${COLUMNS} FROM dep_profiles WHERE server_id = ? ORDER BY is_default DESC, name COLLATE NOCASE`).all(serverId)
    : db.prepare(`SELECT ${COLUMNS} FROM dep_profiles ORDER BY server_id, is_default DESC, name COLLATE NOCASE`).all();
  return (rows as Row[]).map(decode);
}

/** The default profile of a server, or undefined when the server has none yet. */
export function findDefaultProfile(db: Db, serverId: string): DepProfileRecord | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM dep_profiles WHERE server_id = ? AND is_default = 1`).get(serverId) as Row | undefined;
  return r && decode(r);
}

/** The sealed `passwordHash` plist of a profile's managed admin, or undefined. */
export function sealedAdminHash(db: Db, id: string): Buffer | undefined {
  const r = db.prepare('SELECT admin_password_hash_sealed AS h FROM dep_profiles WHERE id = ?').get(id) as { h: Buffer | null } | undefined;
  return r?.h ?? undefined;
}

/** Values written for a new or edited profile. `adminHash`: undefined = keep, null = clear, Buffer = replace (sealed). */
export interface ProfileWrite {
  name: string;
  form: DepProfileForm;
  apple: AppleDepProfile;
  mdmSettings: DepMdmSettings;
  syncState: DepProfileSyncState;
  adminHash?: { sealed: Buffer; iterations: number } | null;
}

/** Inserts a profile row. Throws on a duplicate name in the server (UNIQUE) or an unknown server (FOREIGN KEY). */
export function insertProfile(db: Db, row: ProfileWrite & { id: string; serverId: string; isDefault: boolean; now: string }): void {
  db.prepare(`INSERT INTO dep_profiles (id, server_id, name, form_json, apple_json, mdm_settings_json, admin_password_hash_sealed,
      admin_password_iterations, is_default, sync_state, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    row.id, row.serverId, row.name, JSON.stringify(row.form), JSON.stringify(row.apple), JSON.stringify(row.mdmSettings),
    row.adminHash?.sealed ?? null, row.adminHash?.iterations ?? null, row.isDefault ? 1 : 0, row.syncState, row.now, row.now,
  );
}

/** Rewrites a profile's content and state (clears last_error). */
export function updateProfileRow(db: Db, id: string, row: ProfileWrite & { now: string }): void {
  db.prepare(`UPDATE dep_profiles SET name = ?, form_json = ?, apple_json = ?, mdm_settings_json = ?, sync_state = ?, last_error = NULL, updated_at = ?
    WHERE id = ?`).run(row.name, JSON.stringify(row.form), JSON.stringify(row.apple), JSON.stringify(row.mdmSettings), row.syncState, row.now, id);
  if (row.adminHash === null) db.prepare('UPDATE dep_profiles SET admin_password_hash_sealed = NULL, admin_password_iterations = NULL WHERE id = ?').run(id);
  else if (row.adminHash) db.prepare('UPDATE dep_profiles SET admin_password_hash_sealed = ?, admin_password_iterations = ? WHERE id = ?').run(row.adminHash.sealed, row.adminHash.iterations, id);
}

/** Sets a profile's sync state (and error text, null to clear). */
export function setProfileSyncState(db: Db, id: string, state: DepProfileSyncState, lastError: string | null, now: string): void {
  db.prepare('UPDATE dep_profiles SET sync_state = ?, last_error = ?, updated_at = ? WHERE id = ?').run(state, lastError, now, id);
}

/** Records Apple's profile_uuid after a successful Define a Profile. */
export function markProfileDefined(db: Db, id: string, profileUuid: string, now: string): void {
  db.prepare("UPDATE dep_profiles SET profile_uuid = ?, sync_state = 'synced', last_error = NULL, synced_at = ?, updated_at = ? WHERE id = ?").run(profileUuid, now, now, id);
}

/** Makes `id` the only default profile of its server. */
export function setDefaultRow(db: Db, serverId: string, id: string, now: string): void {
  db.prepare('UPDATE dep_profiles SET is_default = 0, updated_at = ? WHERE server_id = ? AND is_default = 1 AND id <> ?').run(now, serverId, id);
  db.prepare('UPDATE dep_profiles SET is_default = 1, updated_at = ? WHERE id = ?').run(now, id);
}

/** Deletes a profile row (its assignments and outbox items cascade). */
export function deleteProfileRow(db: Db, id: string): void {
  db.prepare('DELETE FROM dep_profiles WHERE id = ?').run(id);
}
