/**
 * Per-device results of profile assignment / removal / definition (`dep_assignment_results`),
 * and the matching update of `dep_devices` (AppleDocs assign-profile: a SUCCESS means the
 * profile is assigned; the device's profile_status becomes `assigned`).
 */
import type { Db } from '../../store';

/** One recorded result. */
export interface AssignmentResultRow {
  id: number;
  server_id: string;
  batch_id: string;
  action: 'assign' | 'remove' | 'define';
  profile_uuid: string | null;
  serial_number: string;
  status: string;
  at: string;
  actor: string;
}

/**
 * Records `devices` (serial → status) of one batch and, for SUCCESS, updates the stored device:
 * assign/define → profile_uuid, profile_status `assigned`, profile_assign_time `at`; remove →
 * profile_uuid NULL, profile_status `removed`. One transaction.
 */
export function recordAssignmentResults(
  db: Db,
  r: { serverId: string; batchId: string; action: 'assign' | 'remove' | 'define'; profileUuid?: string | null; devices: Record<string, string>; at: string; actor: string },
): void {
  const ins = db.prepare('INSERT INTO dep_assignment_results (server_id, batch_id, action, profile_uuid, serial_number, status, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const assigned = db.prepare("UPDATE dep_devices SET profile_uuid = ?, profile_status = 'assigned', profile_assign_time = ?, updated_at = ? WHERE server_id = ? AND serial_number = ?");
  const removed = db.prepare("UPDATE dep_devices SET profile_uuid = NULL, profile_status = 'removed', updated_at = ? WHERE server_id = ? AND serial_number = ?");
  db.transaction(() => {
    for (const [serial, status] of Object.entries(r.devices)) {
      ins.run(r.serverId, r.batchId, r.action, r.profileUuid ?? null, serial, status, r.at, r.actor);
      if (status !== 'SUCCESS') continue;
      if (r.action === 'remove') removed.run(r.at, r.serverId, serial);
      else if (r.profileUuid) assigned.run(r.profileUuid, r.at, r.at, r.serverId, serial);
    }
  })();
}

/** Results of a server, newest first; filter by serial or batch. `limit` default 1000. */
export function listAssignmentResults(db: Db, serverId: string, f: { serial?: string; batchId?: string; limit?: number } = {}): AssignmentResultRow[] {
  const where = ['server_id = ?'];
  const args: unknown[] = [serverId];
  if (f.serial) {
    where.push('serial_number = ?');
    args.push(f.serial);
  }
  if (f.batchId) {
    where.push('batch_id = ?');
    args.push(f.batchId);
  }
  return db.prepare(`SELECT id, server_id, batch_id, action, profile_uuid, serial_number, status, at, actor FROM dep_assignment_results WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...args, f.limit ?? 1000) as AssignmentResultRow[];
}
