/**
 * Which DEP profile each synced device (`dep_devices`, migration 2) gets, kept locally in
 * `dep_profile_assignments` (migration 3) and sent to Apple as "Assign a Profile" through the
 * outbox. Ivanti rules: devices move between profiles only within the same ABM server, and only
 * while not yet enrolled. A device counts as enrolled when Apple reports `profile_status` `pushed`
 * (the device fetched its profile, AppleDocs Device object) or the tenant inventory (migration 5)
 * lists it Active.
 */
import type { Db } from '../../store/db';
import { DepProfileInputError } from './issues';
import type { DepProfileRecord } from './repository';

/** Local assignment state: queued for Apple (`pending`), accepted (`synced`), refused (`error`). */
export type AssignmentState = 'pending' | 'synced' | 'error';

/** A device of a server with its local assignment. */
export interface DepDeviceAssignment {
  serverId: string;
  serialNumber: string;
  model: string | null;
  os: string | null;
  deviceFamily: string | null;
  /** Apple's `profile_status`: empty, assigned, pushed, removed. */
  profileStatus: string | null;
  /** Apple's `profile_uuid` as last synced. */
  appleProfileUuid: string | null;
  profileId: string | null;
  assignmentState: AssignmentState | null;
  lastStatus: string | null;
  lastError: string | null;
  enrolled: boolean;
}

interface DeviceRow {
  server_id: string;
  serial_number: string;
  model: string | null;
  os: string | null;
  device_family: string | null;
  profile_status: string | null;
  profile_uuid: string | null;
  profile_id: string | null;
  sync_state: AssignmentState | null;
  last_status: string | null;
  last_error: string | null;
  active: number;
}

const DEVICE_SELECT = `SELECT d.server_id, d.serial_number, d.model, d.os, d.device_family, d.profile_status, d.profile_uuid,
    a.profile_id, a.sync_state, a.last_status, a.last_error,
    EXISTS (SELECT 1 FROM inventory_devices i WHERE i.serial_number = d.serial_number AND i.status = 'Active') AS active
  FROM dep_devices d LEFT JOIN dep_profile_assignments a ON a.server_id = d.server_id AND a.serial_number = d.serial_number`;

function decode(r: DeviceRow): DepDeviceAssignment {
  return {
    serverId: r.server_id,
    serialNumber: r.serial_number,
    model: r.model,
    os: r.os,
    deviceFamily: r.device_family,
    profileStatus: r.profile_status,
    appleProfileUuid: r.profile_uuid,
    profileId: r.profile_id,
    assignmentState: r.sync_state,
    lastStatus: r.last_status,
    lastError: r.last_error,
    enrolled: r.profile_status === 'pushed' || r.active === 1,
  };
}

/** Devices of a server with their assignment, by serial. `profileId` narrows to one profile's devices. */
export function listDeviceAssignments(db: Db, serverId: string, profileId?: string): DepDeviceAssignment[] {
  const rows = profileId
    ? db.prepare(`${DEVICE_SELECT} WHERE d.server_id = ? AND a.profile_id = ? ORDER BY d.serial_number`).all(serverId, profileId)
    : db.prepare(`${DEVICE_SELECT} WHERE d.server_id = ? ORDER BY d.serial_number`).all(serverId);
  return (rows as DeviceRow[]).map(decode);
}

/** Number of devices assigned to each profile of a server (profiles without devices are absent). */
export function deviceCountsByProfile(db: Db, serverId?: string): Map<string, number> {
  const rows = (serverId
    ? db.prepare('SELECT profile_id, COUNT(*) AS n FROM dep_profile_assignments WHERE server_id = ? GROUP BY profile_id').all(serverId)
    : db.prepare('SELECT profile_id, COUNT(*) AS n FROM dep_profile_assignments GROUP BY profile_id').all()) as { profile_id: string; n: number }[];
  return new Map(rows.map((r) => [r.profile_id, r.n]));
}

/** One refused serial and why. */
export interface AssignmentProblem {
  serial: string;
  reason: string;
}

/**
 * Checks `serials` can be assigned to `profile`: each must be a device synced for the profile's
 * server (not another server's) and not enrolled. Returns the serials to write (deduplicated,
 * those already on the profile dropped) or throws DepProfileInputError listing every refused
 * serial — all or nothing, so bad input changes nothing.
 */
export function checkAssignable(db: Db, profile: DepProfileRecord, serials: readonly string[]): string[] {
  if (serials.length === 0) throw new DepProfileInputError('name at least one device serial number (or use --all-unassigned)', 'serials');
  const problems: AssignmentProblem[] = [];
  const toWrite: string[] = [];
  const own = db.prepare(`${DEVICE_SELECT} WHERE d.server_id = ? AND d.serial_number = ?`);
  const elsewhere = db.prepare('SELECT s.name FROM dep_devices d JOIN dep_servers s ON s.id = d.server_id WHERE d.serial_number = ? AND d.server_id <> ?');
  for (const raw of new Set(serials.map((s) => s.trim()))) {
    if (raw === '') continue;
    const row = own.get(profile.serverId, raw) as DeviceRow | undefined;
    if (!row) {
      const other = elsewhere.get(raw, profile.serverId) as { name: string } | undefined;
      problems.push({ serial: raw, reason: other ? `belongs to ABM server "${other.name}"; devices move between profiles only within the same server` : 'is not a device of this ABM server (run a device sync, or check the serial number)' });
      continue;
    }
    const d = decode(row);
    if (d.profileId === profile.id) continue;
    if (d.enrolled) {
      problems.push({ serial: raw, reason: 'is already enrolled; its profile can change only after it is erased and not yet enrolled again' });
      continue;
    }
    toWrite.push(raw);
  }
  if (problems.length) {
    throw new DepProfileInputError(`cannot assign profile "${profile.name}": ${problems.map((p) => `${p.serial} ${p.reason}`).join('; ')}. Nothing was changed.`, 'serials');
  }
  return toWrite;
}

/** Points `serials` (already checked) at `profileId`, state pending. */
export function upsertAssignments(db: Db, serverId: string, profileId: string, serials: readonly string[], now: string): void {
  const stmt = db.prepare(`INSERT INTO dep_profile_assignments (server_id, serial_number, profile_id, sync_state, assigned_at)
    VALUES (?, ?, ?, 'pending', ?)
    ON CONFLICT (server_id, serial_number) DO UPDATE SET profile_id = excluded.profile_id, sync_state = 'pending',
      last_status = NULL, last_error = NULL, assigned_at = excluded.assigned_at, synced_at = NULL`);
  for (const s of serials) stmt.run(serverId, s, profileId, now);
}

/** Records a device as already on `profileId` at Apple (adopted from a sync), state synced. */
export function adoptAssignment(db: Db, serverId: string, serial: string, profileId: string, now: string): void {
  db.prepare(`INSERT INTO dep_profile_assignments (server_id, serial_number, profile_id, sync_state, last_status, assigned_at, synced_at)
    VALUES (?, ?, ?, 'synced', 'SUCCESS', ?, ?) ON CONFLICT (server_id, serial_number) DO NOTHING`).run(serverId, serial, profileId, now, now);
}

/** Serials of a server with no local assignment that are not enrolled (candidates for the default profile). */
export function unassignedSerials(db: Db, serverId: string): string[] {
  return listDeviceAssignments(db, serverId).filter((d) => d.profileId === null && !d.enrolled).map((d) => d.serialNumber);
}

/** Serials currently assigned to a profile. */
export function serialsOfProfile(db: Db, profileId: string): string[] {
  return (db.prepare('SELECT serial_number FROM dep_profile_assignments WHERE profile_id = ? ORDER BY serial_number').all(profileId) as { serial_number: string }[]).map((r) => r.serial_number);
}

/** Records Apple's per-device answer to an assign: SUCCESS → synced, anything else → error with the status. */
export function recordAssignmentResult(db: Db, serverId: string, profileId: string, serial: string, status: string, now: string): void {
  const ok = status === 'SUCCESS';
  db.prepare(`UPDATE dep_profile_assignments SET sync_state = ?, last_status = ?, last_error = ?, synced_at = CASE WHEN ? THEN ? ELSE synced_at END
    WHERE server_id = ? AND serial_number = ? AND profile_id = ?`).run(
    ok ? 'synced' : 'error', status, ok ? null : assignStatusMessage(status), ok ? 1 : 0, now, serverId, serial, profileId,
  );
}

/** Admin-facing text for Apple's per-device assign statuses (AppleDocs `assign-profile`). */
export function assignStatusMessage(status: string): string {
  switch (status) {
    case 'NOT_ACCESSIBLE': return 'Apple says the device is not accessible to this server (moved to another MDM server in ABM?)';
    case 'FAILED': return 'Apple could not assign the profile to this device; try again later';
    case 'THROTTLED': return 'Apple throttled the request; push again later';
    default: return `Apple answered ${status}`;
  }
}
