/**
 * The tenant connection settings kept in `tenant_settings` (migration 6): URL, user, the password
 * sealed by the SecretBox (never stored or returned in plaintext except to build the client), the
 * device space name and its resolved `dmPartitionId`.
 */
import type { SecretBox } from '../secrets';
import type { Db } from '../store';
import { TenantInputError } from './errors';
import { normalizeTenantUrl } from './http';

/** Settings as shown to the operator (no password). */
export interface TenantSettingsView {
  url: string;
  user: string;
  /** Device space name; null = the default partition. */
  partitionName: string | null;
  /** Resolved dmPartitionId, null until the first successful sync. */
  partitionId: string | null;
  updatedAt: string;
  passwordSet: true;
}

/** Settings with the opened password, for the client only. */
export interface TenantConnection {
  url: string;
  user: string;
  password: string;
  partitionName: string | null;
  partitionId: string | null;
}

/** Input of saveTenantSettings. `partitionName` empty/undefined = default device space. */
export interface TenantSettingsInput {
  url: string;
  user: string;
  password: string;
  partitionName?: string | null;
}

interface Row {
  url: string;
  user: string;
  password_sealed: Buffer;
  partition_name: string | null;
  partition_id: string | null;
  updated_at: string;
}

/**
 * Validates and stores the settings (replacing any), sealing the password. Throws
 * TenantInputError for a bad URL (see normalizeTenantUrl) or an empty user/password.
 */
export function saveTenantSettings(db: Db, box: SecretBox, s: TenantSettingsInput, now = new Date()): TenantSettingsView {
  const url = normalizeTenantUrl(s.url);
  const user = s.user.trim();
  if (!user) throw new TenantInputError('the tenant user is empty (--user)');
  if (/[:\r\n]/.test(user)) throw new TenantInputError('the tenant user must not contain ":" or line breaks (HTTP Basic)');
  if (!s.password) throw new TenantInputError('the tenant password is empty');
  const partitionName = s.partitionName?.trim() || null;
  const sealed = box.seal(Buffer.from(s.password, 'utf8'));
  const at = now.toISOString();
  const prev = db.prepare('SELECT url, partition_name, partition_id FROM tenant_settings WHERE id = 1').get() as Pick<Row, 'url' | 'partition_name' | 'partition_id'> | undefined;
  // Keep the resolved partition id only while URL and partition name are unchanged.
  const partitionId = prev && prev.url === url && prev.partition_name === partitionName ? prev.partition_id : null;
  db.prepare(`INSERT INTO tenant_settings (id, url, user, password_sealed, partition_name, partition_id, updated_at)
              VALUES (1, ?, ?, ?, ?, ?, ?)
              ON CONFLICT(id) DO UPDATE SET url = excluded.url, user = excluded.user, password_sealed = excluded.password_sealed,
                partition_name = excluded.partition_name, partition_id = excluded.partition_id, updated_at = excluded.updated_at`)
    .run(url, user, sealed, partitionName, partitionId, at);
  return { url, user, partitionName, partitionId, updatedAt: at, passwordSet: true };
}

/** The stored settings without the password, or null when none are configured. */
export function readTenantSettings(db: Db): TenantSettingsView | null {
  const r = db.prepare('SELECT url, user, partition_name, partition_id, updated_at FROM tenant_settings WHERE id = 1').get() as Omit<Row, 'password_sealed'> | undefined;
  return r ? { url: r.url, user: r.user, partitionName: r.partition_name, partitionId: r.partition_id, updatedAt: r.updated_at, passwordSet: true } : null;
}

/**
 * The stored settings with the password opened by `box`. Throws TenantInputError when nothing is
 * configured, SecretBoxError when the password cannot be opened.
 */
export function openTenantConnection(db: Db, box: SecretBox): TenantConnection {
  const r = db.prepare('SELECT url, user, password_sealed, partition_name, partition_id FROM tenant_settings WHERE id = 1').get() as Row | undefined;
  if (!r) throw new TenantInputError('no tenant is configured; run `stagebench sync configure --url URL --user USER --password-env VAR`');
  return { url: r.url, user: r.user, password: box.open(r.password_sealed).toString('utf8'), partitionName: r.partition_name, partitionId: r.partition_id };
}

/** Records the resolved dmPartitionId. */
export function savePartitionId(db: Db, partitionId: string): void {
  db.prepare('UPDATE tenant_settings SET partition_id = ? WHERE id = 1').run(partitionId);
}
