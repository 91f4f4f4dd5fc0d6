/**
 * SQL of the "Admin > Apple > Device Enrollment" listing (Ivanti columns: Name, Apple Account
 * Name, Number of Devices, Enrollment Profile(s), Last Sync, Token Expires — searchable and
 * sortable) and of the ADE device listing. Sorting is a parameterised ORDER BY chosen from a
 * whitelist; search terms are bound LIKE parameters with wildcards escaped.
 */
import type { Db } from '../../store';
import { tokenExpiryWarning, type TokenExpiryWarning } from '../token/expiry';
import { DepInputError } from './errors';

/** A server as listed (no secrets). Dates ISO-8601. */
export interface DepServerRow {
  id: string;
  name: string;
  baseUrl: string;
  /** Apple account that made the token (`admin_id` from /account), once tested. */
  appleAccount: string | null;
  /** Organisation (`org_name`) and Apple's server name (`server_name`) from /account. */
  orgName: string | null;
  appleServerName: string | null;
  deviceCount: number;
  /** Count of DEP profiles of this server (dep_profiles, migration 3; 0 when absent). */
  profileCount: number;
  lastSyncAt: string | null;
  lastSyncStatus: 'succeeded' | 'failed' | null;
  lastSyncError: string | null;
  hasToken: boolean;
  /** "Token Expires": `access_token_expiry`. */
  tokenExpires: string | null;
  tokenWarning: TokenExpiryWarning | null;
  certificateFingerprint: string;
  certificateNotAfter: string;
  createdAt: string;
}

/** Sort columns of the server listing. */
export const SERVER_SORT_COLUMNS = {
  name: 's.name COLLATE NOCASE',
  account: 's.admin_id COLLATE NOCASE',
  org: 's.org_name COLLATE NOCASE',
  devices: 'device_count',
  profiles: 'profile_count',
  'last-sync': 's.last_sync_at',
  'token-expires': 's.access_token_expiry',
  created: 's.created_at',
} as const;

/** A server-listing sort column name. */
export type ServerSortColumn = keyof typeof SERVER_SORT_COLUMNS;

/** Query of the server listing: search (name, Apple account, org), sort, direction. */
export interface ServerListQuery {
  search?: string;
  sort?: ServerSortColumn | string;
  direction?: 'asc' | 'desc';
  /** Clock for token warnings. */
  now?: Date;
}

/** Escapes LIKE wildcards for `ESCAPE '\'`. */
export function likePattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function orderBy<T extends Record<string, string>>(cols: T, sort: string | undefined, dflt: keyof T, direction: string | undefined, tieBreak: string): string {
  const key = (sort ?? dflt) as string;
  if (!Object.hasOwn(cols, key)) throw new DepInputError(`cannot sort by "${key}"; choose one of: ${Object.keys(cols).join(', ')}`);
  if (direction !== undefined && direction !== 'asc' && direction !== 'desc') throw new DepInputError(`sort direction must be asc or desc, not "${direction}"`);
  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  return `ORDER BY ${cols[key]} IS NULL, ${cols[key]} ${dir}, ${tieBreak}`;
}

/** True when migration 3's dep_profiles table exists with a server_id column. */
function hasProfilesTable(db: Db): boolean {
  return (db.prepare("SELECT COUNT(*) AS n FROM pragma_table_info('dep_profiles') WHERE name = 'server_id'").get() as { n: number }).n > 0;
}

interface ServerSqlRow {
  id: string; name: string; base_url: string; admin_id: string | null; org_name: string | null; server_name: string | null;
  device_count: number; profile_count: number; last_sync_at: string | null; last_sync_status: 'succeeded' | 'failed' | null;
  last_sync_error: string | null; has_token: number; access_token_expiry: string | null; cert_fingerprint: string; cert_not_after: string; created_at: string;
}

/**
 * Lists servers (or the one with `id` when given) with device and profile counts. Throws
 * DepInputError for an unknown sort column or direction.
 */
export function queryServers(db: Db, q: ServerListQuery = {}, id?: string): DepServerRow[] {
  const profileCount = hasProfilesTable(db) ? '(SELECT COUNT(*) FROM dep_profiles p WHERE p.server_id = s.id)' : '0';
  const where: string[] = [];
  const args: unknown[] = [];
  if (id !== undefined) {
    where.push('s.id = ?');
    args.push(id);
  }
  if (q.search?.trim()) {
    where.push("(s.name LIKE ? ESCAPE '\\' OR s.admin_id LIKE ? ESCAPE '\\' OR s.org_name LIKE ? ESCAPE '\\' OR s.server_name LIKE ? ESCAPE '\\')");
    const p = likePattern(q.search.trim());
    args.push(p, p, p, p);
  }
  const sql = `SELECT s.id, s.name, s.base_url, s.admin_id, s.org_name, s.server_name,
      (SELECT COUNT(*) FROM dep_devices d WHERE d.server_id = s.id) AS device_count,
      ${profileCount} AS profile_count,
      s.last_sync_at, s.last_sync_status, s.last_sync_error, s.tokens_sealed IS NOT NULL AS has_token, s.access_token_expiry,
      s.cert_fingerprint, s.cert_not_after, s.created_at
    FROM dep_servers s ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ${orderBy(SERVER_SORT_COLUMNS, q.sort, 'name', q.direction, 's.id')}`;
  const now = q.now ?? new Date();
  return (db.prepare(sql).all(...args) as ServerSqlRow[]).map((r) => ({
    id: r.id,
    name: r.name,
    baseUrl: r.base_url,
    appleAccount: r.admin_id,
    orgName: r.org_name,
    appleServerName: r.server_name,
    deviceCount: r.device_count,
    profileCount: r.profile_count,
    lastSyncAt: r.last_sync_at,
    lastSyncStatus: r.last_sync_status,
    lastSyncError: r.last_sync_error,
    hasToken: r.has_token === 1,
    tokenExpires: r.access_token_expiry,
    tokenWarning: r.access_token_expiry ? tokenExpiryWarning(r.access_token_expiry, now) : null,
    certificateFingerprint: r.cert_fingerprint,
    certificateNotAfter: r.cert_not_after,
    createdAt: r.created_at,
  }));
}

/** An ADE device as stored (Apple's field names) with its server. */
export interface DepDeviceRow {
  server_id: string;
  server_name: string;
  serial_number: string;
  model: string | null;
  description: string | null;
  color: string | null;
  asset_tag: string | null;
  os: string | null;
  device_family: string | null;
  profile_status: string | null;
  profile_uuid: string | null;
  profile_assign_time: string | null;
  profile_push_time: string | null;
  device_assigned_date: string | null;
  device_assigned_by: string | null;
  op_type: string | null;
  op_date: string | null;
  updated_at: string;
}

/** Sort columns of the device listing (Apple's field names). */
export const DEVICE_SORT_COLUMNS = {
  serial_number: 'd.serial_number',
  model: 'd.model COLLATE NOCASE',
  description: 'd.description COLLATE NOCASE',
  color: 'd.color COLLATE NOCASE',
  asset_tag: 'd.asset_tag COLLATE NOCASE',
  os: 'd.os',
  device_family: 'd.device_family',
  profile_status: 'd.profile_status',
  profile_uuid: 'd.profile_uuid',
  profile_assign_time: 'd.profile_assign_time',
  device_assigned_date: 'd.device_assigned_date',
  device_assigned_by: 'd.device_assigned_by COLLATE NOCASE',
  op_date: 'd.op_date',
  updated_at: 'd.updated_at',
  server: 's.name COLLATE NOCASE',
} as const;

/** Query of the device listing. `limit` default unlimited; `offset` default 0. */
export interface DeviceListQuery {
  serverId?: string;
  /** Matches serial_number, model, description, asset_tag, color, profile_uuid (substring). */
  search?: string;
  sort?: keyof typeof DEVICE_SORT_COLUMNS | string;
  direction?: 'asc' | 'desc';
  profileStatus?: string;
  limit?: number;
  offset?: number;
}

/** Lists ADE devices. Throws DepInputError for a bad sort column, direction, limit or offset. */
export function queryDevices(db: Db, q: DeviceListQuery = {}): DepDeviceRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.serverId) {
    where.push('d.server_id = ?');
    args.push(q.serverId);
  }
  if (q.profileStatus) {
    where.push('d.profile_status = ?');
    args.push(q.profileStatus);
  }
  if (q.search?.trim()) {
    const p = likePattern(q.search.trim());
    where.push(`(${['serial_number', 'model', 'description', 'asset_tag', 'color', 'profile_uuid'].map((c) => `d.${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    args.push(p, p, p, p, p, p);
  }
  for (const [k, v] of [['limit', q.limit], ['offset', q.offset]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new DepInputError(`${k} must be a whole number ≥ 0, not ${v}`);
  }
  const sql = `SELECT d.server_id, s.name AS server_name, d.serial_number, d.model, d.description, d.color, d.asset_tag, d.os, d.device_family,
      d.profile_status, d.profile_uuid, d.profile_assign_time, d.profile_push_time, d.device_assigned_date, d.device_assigned_by,
      d.op_type, d.op_date, d.updated_at
    FROM dep_devices d JOIN dep_servers s ON s.id = d.server_id
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ${orderBy(DEVICE_SORT_COLUMNS, q.sort, 'serial_number', q.direction, 'd.server_id, d.serial_number')}
    LIMIT ? OFFSET ?`;
  return db.prepare(sql).all(...args, q.limit ?? -1, q.offset ?? 0) as DepDeviceRow[];
}
