/**
 * Applies a page of Apple devices to `dep_devices` (AppleDocs fetch-devices / sync-devices):
 * listing devices are upserted; sync records carry `op_type` added / modified (upsert) or
 * deleted (row removed); a serial seen several times is resolved by the latest `op_date`, both
 * within the page and against what is stored.
 */
import type { DepDevice } from '../api/types';
import type { Db } from '../../store';

/** Counts of one applied page. */
export interface PageCounts {
  received: number;
  added: number;
  modified: number;
  deleted: number;
  /** Records ignored because a newer op_date for the serial was already applied. */
  superseded: number;
}

/** Prepared statements for applying pages to one database. */
export interface DeviceWriter {
  /**
   * Applies `devices` for `serverId` at time `at` (ISO); upserted rows get listing generation
   * `generation`. Call inside a transaction.
   */
  apply(serverId: string, devices: readonly DepDevice[], at: string, generation: number): PageCounts;
}

const FIELDS = [
  'model', 'description', 'color', 'asset_tag', 'os', 'device_family', 'profile_status', 'profile_uuid', 'profile_assign_time',
  'profile_push_time', 'device_assigned_date', 'device_assigned_by', 'mdm_migration_deadline',
] as const;

function normDate(v: unknown): string | null {
  if (typeof v !== 'string' || !v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? v : new Date(t).toISOString();
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : v === undefined || v === null ? null : String(v);
}

/**
 * Keeps, per serial, the record with the latest `op_date`; records without op_date count as
 * oldest, and among equal dates the later position in the page wins.
 */
export function latestPerSerial(devices: readonly DepDevice[]): DepDevice[] {
  const best = new Map<string, { d: DepDevice; t: number }>();
  for (const d of devices) {
    if (!d || typeof d.serial_number !== 'string' || !d.serial_number) continue;
    const t = d.op_date ? Date.parse(d.op_date) : Number.NEGATIVE_INFINITY;
    const cur = best.get(d.serial_number);
    if (!cur || (Number.isNaN(t) ? 0 : t) >= cur.t) best.set(d.serial_number, { d, t: Number.isNaN(t) ? 0 : t });
  }
  return [...best.values()].map((v) => v.d);
}

/** Prepares the statements of a DeviceWriter over `db`. */
export function deviceWriter(db: Db): DeviceWriter {
  const exists = db.prepare('SELECT op_date FROM dep_devices WHERE server_id = ? AND serial_number = ?');
  const cols = ['server_id', 'serial_number', ...FIELDS, 'op_type', 'op_date', 'listing_generation', 'first_seen_at', 'updated_at'];
  const upsert = db.prepare(`INSERT INTO dep_devices (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
    ON CONFLICT (server_id, serial_number) DO UPDATE SET ${[...FIELDS].map((f) => `${f} = excluded.${f}`).join(', ')},
      op_type = COALESCE(excluded.op_type, dep_devices.op_type), op_date = COALESCE(excluded.op_date, dep_devices.op_date),
      listing_generation = excluded.listing_generation, updated_at = excluded.updated_at`);
  const del = db.prepare('DELETE FROM dep_devices WHERE server_id = ? AND serial_number = ?');
  return {
    apply(serverId, devices, at, generation) {
      const counts: PageCounts = { received: devices.length, added: 0, modified: 0, deleted: 0, superseded: 0 };
      const unique = latestPerSerial(devices);
      counts.superseded = devices.length - unique.length;
      for (const d of unique) {
        const opDate = normDate(d.op_date);
        const stored = exists.get(serverId, d.serial_number) as { op_date: string | null } | undefined;
        if (stored && opDate && stored.op_date && stored.op_date > opDate) {
          counts.superseded++;
          continue;
        }
        if (d.op_type === 'deleted') {
          if (stored) {
            del.run(serverId, d.serial_number);
            counts.deleted++;
          }
          continue;
        }
        const values = FIELDS.map((f) => (f.endsWith('_time') || f.endsWith('_date') || f === 'mdm_migration_deadline' ? normDate(d[f]) ?? str(d[f]) : str(d[f])));
        upsert.run(serverId, d.serial_number, ...values, str(d.op_type), opDate, generation, at, at);
        if (stored) counts.modified++;
        else counts.added++;
      }
      return counts;
    },
  };
}
