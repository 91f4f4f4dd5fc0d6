/**
 * ADE device listing for the Enrollment pages: a server's devices (main/dep servers.devices, Apple's
 * fields) joined with their local profile assignment (main/dep profiles.devices) and profile name,
 * scoped to one profile or to unassigned devices, searched, sorted, windowed and exported as CSV.
 * Read-only; the services own every rule.
 */
import type { AppServices } from '../app/services';
import type { DepDeviceOut, DepDeviceSort } from './contract-dep';
import { csvBuffer } from './tables/csv-buffer';
import { fileDate } from './tables/source';

/** Scope, search and sort of a listing. */
export interface DepDeviceCriteria {
  serverId: string;
  profileId?: string;
  unassigned?: boolean;
  search?: string;
  sort?: DepDeviceSort;
  desc?: boolean;
}

/** Every device matching `c`, sorted (default serial number). Throws the services' input errors for an unknown server or profile. */
export function listDepDevices(s: AppServices, c: DepDeviceCriteria): DepDeviceOut[] {
  const names = new Map(s.dep.profiles.list({ serverId: c.serverId }).map((p) => [p.id, p.name]));
  const apple = new Map(s.dep.servers.devices({ serverId: c.serverId }).map((d) => [d.serial_number, d]));
  const term = c.search?.trim().toLowerCase();
  const rows: DepDeviceOut[] = [];
  for (const a of s.dep.profiles.devices(c.serverId, c.profileId)) {
    if (c.unassigned && a.profileId) continue;
    const d = apple.get(a.serialNumber);
    const row: DepDeviceOut = {
      serialNumber: a.serialNumber,
      model: a.model,
      description: d?.description ?? null,
      color: d?.color ?? null,
      assetTag: d?.asset_tag ?? null,
      os: a.os,
      deviceFamily: a.deviceFamily,
      profileStatus: a.profileStatus,
      profileId: a.profileId,
      profileName: a.profileId ? names.get(a.profileId) ?? null : null,
      assignmentState: a.assignmentState,
      lastStatus: a.lastStatus,
      lastError: a.lastError,
      enrolled: a.enrolled,
      assignedDate: d?.device_assigned_date ?? null,
    };
    if (term && ![row.serialNumber, row.model, row.description, row.assetTag, row.color, row.os, row.profileName].some((v) => v?.toLowerCase().includes(term))) continue;
    rows.push(row);
  }
  const key = c.sort ?? 'serialNumber';
  const dir = c.desc ? -1 : 1;
  return rows.sort((x, y) => {
    const a = x[key];
    const b = y[key];
    if (a === b) return x.serialNumber.localeCompare(y.serialNumber);
    if (a === null) return 1;
    if (b === null) return -1;
    return (String(a).localeCompare(String(b), 'en', { sensitivity: 'base' }) || x.serialNumber.localeCompare(y.serialNumber)) * dir;
  });
}

const COLUMNS: { header: string; cell: (d: DepDeviceOut) => string | boolean | null }[] = [
  { header: 'Serial Number', cell: (d) => d.serialNumber },
  { header: 'Model', cell: (d) => d.model },
  { header: 'Description', cell: (d) => d.description },
  { header: 'Color', cell: (d) => d.color },
  { header: 'Asset Tag', cell: (d) => d.assetTag },
  { header: 'OS', cell: (d) => d.os },
  { header: 'Device Family', cell: (d) => d.deviceFamily },
  { header: 'Enrollment Profile', cell: (d) => d.profileName },
  { header: 'Assignment', cell: (d) => d.assignmentState },
  { header: 'Apple Profile Status', cell: (d) => d.profileStatus },
  { header: 'Last Apple Status', cell: (d) => d.lastStatus },
  { header: 'Enrolled', cell: (d) => d.enrolled },
  { header: 'Assigned to Server', cell: (d) => d.assignedDate },
];

/** The devices matching `c` (or only `serials`) as CSV (UTF-8, header line first). */
export async function exportDepDevices(s: AppServices, c: DepDeviceCriteria, serials?: readonly string[]): Promise<{ filename: string; csv: Buffer; rows: number }> {
  const only = serials ? new Set(serials) : null;
  const rows = listDepDevices(s, only ? { serverId: c.serverId, profileId: c.profileId, sort: c.sort, desc: c.desc } : c).filter((d) => !only || only.has(d.serialNumber));
  const server = s.dep.servers.get(c.serverId).name.replace(/[^A-Za-z0-9._-]+/g, '-');
  const out = await csvBuffer(rows, COLUMNS);
  return { filename: `ade-devices-${server}-${fileDate()}.csv`, ...out };
}
