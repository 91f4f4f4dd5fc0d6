/**
 * The command palette's search (Ctrl/Cmd+K): devices by serial number, UDID or name (through the
 * Devices table source, so the inventory once wired) and profiles by name or identifier. Pages are
 * matched in the renderer.
 */
import type { ProfileRow } from '../app/types';
import type { TableSource } from './tables';

/** A device hit: key for the table, a title (name or model) and the identifiers. */
export interface DeviceHit {
  key: string;
  title: string;
  serialNumber: string | null;
  udid: string | null;
}

/** A profile hit. */
export interface ProfileHit {
  id: string;
  name: string;
  payloadIdentifier: string;
  signed: boolean;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** Up to `limit` devices and profiles matching `query` (trimmed; empty → nothing). */
export function globalSearch(devices: TableSource, profiles: () => ProfileRow[], query: string, limit = 8): { devices: DeviceHit[]; profiles: ProfileHit[] } {
  const q = query.trim();
  if (!q) return { devices: [], profiles: [] };
  const d = devices.describe();
  const win = devices.query({ offset: 0, limit, search: q, sort: d.defaultSort.id, desc: d.defaultSort.desc });
  const needle = q.toLowerCase();
  return {
    devices: win.rows.map((r) => ({
      key: String(r[d.rowKey]),
      title: str(r.deviceName) ?? str(r.model) ?? str(r.productType) ?? 'Device',
      serialNumber: str(r.serialNumber),
      udid: str(r.udid),
    })),
    profiles: profiles()
      .filter((p) => p.name.toLowerCase().includes(needle) || p.payloadIdentifier.toLowerCase().includes(needle))
      .slice(0, limit)
      .map((p) => ({ id: p.id, name: p.name, payloadIdentifier: p.payloadIdentifier, signed: p.signed })),
  };
}
