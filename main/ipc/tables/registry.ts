/**
 * Which source answers each table: Devices reads the tenant inventory when that service is wired,
 * else the devices seen at this bench; Audit reads the audit log. Sources are built once per
 * service object.
 */
import { optionalServices } from '../optional-services';
import type { IpcServices } from '../handlers';
import { auditLogTable } from './audit-log';
import { benchDevicesTable } from './bench-devices';
import { inventoryDevicesTable } from './inventory-devices';
import type { TableSource } from './source';
import type { TableId } from './types';

/** The table sources over `s`. */
export function createTableRegistry(s: IpcServices): Record<TableId, TableSource> {
  const inv = optionalServices(s).inventory;
  return {
    devices: inv ? inventoryDevicesTable(inv) : benchDevicesTable(s.db),
    audit: auditLogTable(s.db),
  };
}
