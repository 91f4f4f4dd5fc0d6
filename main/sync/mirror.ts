/**
 * The local mirrors of the tenant's devices (`tenant_devices`) and accounts (`tenant_users`),
 * filled by pull and updated optimistically by local changes. Each row keeps the whole tenant
 * record (`record_json`), its `revision` (see revisionOf) and the sweep that last saw it;
 * `deleted_at` is set when a complete sweep no longer finds it.
 */
import type { Db } from '../store';
import { revisionOf, type TenantAccount, type TenantDevice } from '../tenant';
import type { SyncEntity } from './types';

/** A mirrored device as listed to the UI/CLI. */
export interface MirrorDevice {
  id: string;
  partitionId: string;
  serialNumber: string | null;
  udid: string | null;
  model: string | null;
  platform: string | null;
  osVersion: string | null;
  registrationState: string | null;
  emailAddress: string | null;
  displayName: string | null;
  revision: string | null;
  syncedAt: string;
  deletedAt: string | null;
  record: TenantDevice;
}

/** A mirrored user account. */
export interface MirrorUser {
  id: string;
  uid: string | null;
  emailAddress: string | null;
  firstName: string | null;
  lastName: string | null;
  accountSource: string | null;
  inviteState: string | null;
  enabled: boolean | null;
  revision: string | null;
  syncedAt: string;
  deletedAt: string | null;
  record: TenantAccount;
}

/** Mirror table of each entity. */
export const MIRROR_TABLE: Record<SyncEntity, 'tenant_devices' | 'tenant_users'> = { device: 'tenant_devices', user: 'tenant_users' };

const str = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

/** Prepared upserts for one db; reuse across a pull for speed. */
export class MirrorWriter {
  private readonly device;
  private readonly user;
  private readonly touchStmt: Record<SyncEntity, { run(...args: unknown[]): unknown }>;

  constructor(private readonly db: Db) {
    this.device = db.prepare(`INSERT INTO tenant_devices (id, partition_id, guid, serial_number, udid, model, platform, os_version, registration_state,
        email_address, display_name, revision, record_json, last_seen_sweep, synced_at, deleted_at)
      VALUES (@id, @partitionId, @guid, @serial, @udid, @model, @platform, @os, @state, @email, @name, @revision, @json, @sweep, @now, NULL)
      ON CONFLICT(id) DO UPDATE SET partition_id = excluded.partition_id, guid = excluded.guid, serial_number = excluded.serial_number,
        udid = excluded.udid, model = excluded.model, platform = excluded.platform, os_version = excluded.os_version,
        registration_state = excluded.registration_state, email_address = excluded.email_address, display_name = excluded.display_name,
        revision = excluded.revision, record_json = excluded.record_json,
        last_seen_sweep = COALESCE(excluded.last_seen_sweep, tenant_devices.last_seen_sweep), synced_at = excluded.synced_at, deleted_at = NULL`);
    this.user = db.prepare(`INSERT INTO tenant_users (id, uid, email_address, first_name, last_name, account_source, invite_state, enabled,
        revision, record_json, last_seen_sweep, synced_at, deleted_at)
      VALUES (@id, @uid, @email, @first, @last, @source, @invite, @enabled, @revision, @json, @sweep, @now, NULL)
      ON CONFLICT(id) DO UPDATE SET uid = excluded.uid, email_address = excluded.email_address, first_name = excluded.first_name,
        last_name = excluded.last_name, account_source = excluded.account_source, invite_state = excluded.invite_state,
        enabled = excluded.enabled, revision = excluded.revision, record_json = excluded.record_json,
        last_seen_sweep = COALESCE(excluded.last_seen_sweep, tenant_users.last_seen_sweep), synced_at = excluded.synced_at, deleted_at = NULL`);
    this.touchStmt = {
      device: db.prepare('UPDATE tenant_devices SET last_seen_sweep = ? WHERE id = ?'),
      user: db.prepare('UPDATE tenant_users SET last_seen_sweep = ? WHERE id = ?'),
    };
  }

  /** Upserts a tenant device seen in `partitionId` (sweep null = not from a sweep: keeps the old mark). */
  upsertDevice(d: TenantDevice, partitionId: string, sweep: string | null, now: string): void {
    this.device.run({
      id: String(d.id), partitionId, guid: str(d.guid), serial: str(d.serialNumber), udid: str(d.udid), model: str(d.deviceModel),
      platform: str(d.platformType), os: str(d.osVersion), state: str(d.registrationState), email: str(d.emailAddress),
      name: str(d.displayName), revision: revisionOf(d), json: JSON.stringify(d), sweep, now,
    });
  }

  /** Upserts a tenant account. */
  upsertUser(a: TenantAccount, sweep: string | null, now: string): void {
    this.user.run({
      id: String(a.id), uid: str(a.uid), email: str(a.emailAddress), first: str(a.firstName), last: str(a.lastName),
      source: str(a.accountSource), invite: str(a.inviteState), enabled: a.enabled === undefined ? null : a.enabled ? 1 : 0,
      revision: revisionOf(a), json: JSON.stringify(a), sweep, now,
    });
  }

  /** Marks a record seen by `sweep` without changing it (it has local changes pending). */
  touch(entity: SyncEntity, id: string, sweep: string): void {
    this.touchStmt[entity].run(sweep, id);
  }
}

/** The mirror revision of a record, or null when it is not mirrored (or deleted). */
export function mirrorRevision(db: Db, entity: SyncEntity, id: string): string | null {
  const r = db.prepare(`SELECT revision FROM ${MIRROR_TABLE[entity]} WHERE id = ? AND deleted_at IS NULL`).get(id) as { revision: string | null } | undefined;
  return r?.revision ?? null;
}

/** The mirrored record (JSON) of `id`, or null. */
export function mirrorRecord(db: Db, entity: SyncEntity, id: string): Record<string, unknown> | null {
  const r = db.prepare(`SELECT record_json FROM ${MIRROR_TABLE[entity]} WHERE id = ? AND deleted_at IS NULL`).get(id) as { record_json: string } | undefined;
  return r ? (JSON.parse(r.record_json) as Record<string, unknown>) : null;
}

/**
 * Applies `patch` to the mirrored record's JSON and columns (optimistic local change), keeping
 * its revision. No-op when the record is not mirrored.
 */
export function patchMirror(db: Db, entity: SyncEntity, id: string, patch: Record<string, unknown>, now = new Date().toISOString()): void {
  const cur = mirrorRecord(db, entity, id);
  if (!cur) return;
  const next = { ...cur, ...patch };
  const w = new MirrorWriter(db);
  if (entity === 'device') {
    const p = (db.prepare('SELECT partition_id, last_seen_sweep FROM tenant_devices WHERE id = ?').get(id) as { partition_id: string; last_seen_sweep: string | null });
    w.upsertDevice(next as TenantDevice, p.partition_id, null, now);
  } else {
    w.upsertUser(next as TenantAccount, null, now);
  }
}

/** Sets the revision of a mirrored record (after an acknowledged push). */
export function setMirrorRevision(db: Db, entity: SyncEntity, id: string, revision: string): void {
  const cur = mirrorRecord(db, entity, id);
  if (!cur) return;
  const rec = { ...cur, revision: /^\d+$/.test(revision) && typeof cur.revision === 'number' ? Number(revision) : revision };
  db.prepare(`UPDATE ${MIRROR_TABLE[entity]} SET revision = ?, record_json = ? WHERE id = ?`).run(revision, JSON.stringify(rec), id);
}

/** Marks a mirrored record deleted on the tenant (tombstone). */
export function markMirrorDeleted(db: Db, entity: SyncEntity, id: string, now = new Date().toISOString()): void {
  db.prepare(`UPDATE ${MIRROR_TABLE[entity]} SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`).run(now, id);
}

interface DeviceRow {
  id: string; partition_id: string; serial_number: string | null; udid: string | null; model: string | null; platform: string | null;
  os_version: string | null; registration_state: string | null; email_address: string | null; display_name: string | null;
  revision: string | null; synced_at: string; deleted_at: string | null; record_json: string;
}
interface UserRow {
  id: string; uid: string | null; email_address: string | null; first_name: string | null; last_name: string | null; account_source: string | null;
  invite_state: string | null; enabled: number | null; revision: string | null; synced_at: string; deleted_at: string | null; record_json: string;
}

/** Mirrored devices, by id (numeric order); `includeDeleted` adds tombstones. `limit` default 1000, `offset` 0. */
export function listMirrorDevices(db: Db, q: { includeDeleted?: boolean; limit?: number; offset?: number } = {}): MirrorDevice[] {
  const rows = db.prepare(`SELECT * FROM tenant_devices ${q.includeDeleted ? '' : 'WHERE deleted_at IS NULL'} ORDER BY CAST(id AS INTEGER), id LIMIT ? OFFSET ?`)
    .all(q.limit ?? 1000, q.offset ?? 0) as DeviceRow[];
  return rows.map((r) => ({
    id: r.id, partitionId: r.partition_id, serialNumber: r.serial_number, udid: r.udid, model: r.model, platform: r.platform, osVersion: r.os_version,
    registrationState: r.registration_state, emailAddress: r.email_address, displayName: r.display_name, revision: r.revision,
    syncedAt: r.synced_at, deletedAt: r.deleted_at, record: JSON.parse(r.record_json) as TenantDevice,
  }));
}

/** Mirrored users, by id. */
export function listMirrorUsers(db: Db, q: { includeDeleted?: boolean; limit?: number; offset?: number } = {}): MirrorUser[] {
  const rows = db.prepare(`SELECT * FROM tenant_users ${q.includeDeleted ? '' : 'WHERE deleted_at IS NULL'} ORDER BY CAST(id AS INTEGER), id LIMIT ? OFFSET ?`)
    .all(q.limit ?? 1000, q.offset ?? 0) as UserRow[];
  return rows.map((r) => ({
    id: r.id, uid: r.uid, emailAddress: r.email_address, firstName: r.first_name, lastName: r.last_name, accountSource: r.account_source,
    inviteState: r.invite_state, enabled: r.enabled === null ? null : r.enabled === 1, revision: r.revision, syncedAt: r.synced_at,
    deletedAt: r.deleted_at, record: JSON.parse(r.record_json) as TenantAccount,
  }));
}

/** Looks up a mirrored device id by serial number or UDID (case-insensitive); null when none. */
export function findMirrorDeviceId(db: Db, key: { serialNumber?: string; udid?: string }): string | null {
  if (key.serialNumber) {
    const r = db.prepare('SELECT id FROM tenant_devices WHERE serial_number = ? AND deleted_at IS NULL').get(key.serialNumber) as { id: string } | undefined;
    if (r) return r.id;
  }
  if (key.udid) {
    const r = db.prepare('SELECT id FROM tenant_devices WHERE udid = ? AND deleted_at IS NULL').get(key.udid) as { id: string } | undefined;
    if (r) return r.id;
  }
  return null;
}
