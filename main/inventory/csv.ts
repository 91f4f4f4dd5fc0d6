/**
 * CSV export of the inventory (Devices page "Export to CSV", `stagebench devices-db export`):
 * one line per entry in the table's current filter and sort, streamed in keyset batches.
 * Columns: id, platform, model, os_version, serial_number, udid, imei, owner_email, owner_user_id,
 * registration_method, status, registered_at, status_changed_at, last_check_in, last_staged_at.
 */
import type { Writable } from 'node:stream';
import type { Db } from '../store/db';
import { writeCsv, writeCsvFile, type CsvColumn } from '../store/csv-export';
import { iterateInventory } from './table';
import type { InventoryDevice, InventoryQuery } from './types';

/** The export's columns, in order. */
export const INVENTORY_CSV_COLUMNS: readonly CsvColumn<InventoryDevice>[] = [
  { header: 'id', cell: (d) => d.id },
  { header: 'platform', cell: (d) => d.platform },
  { header: 'model', cell: (d) => d.model },
  { header: 'os_version', cell: (d) => d.osVersion },
  { header: 'serial_number', cell: (d) => d.serialNumber },
  { header: 'udid', cell: (d) => d.udid },
  { header: 'imei', cell: (d) => d.imei },
  { header: 'owner_email', cell: (d) => d.ownerEmail },
  { header: 'owner_user_id', cell: (d) => d.ownerUserId },
  { header: 'registration_method', cell: (d) => d.registrationMethod },
  { header: 'status', cell: (d) => d.status },
  { header: 'registered_at', cell: (d) => d.registeredAt },
  { header: 'status_changed_at', cell: (d) => d.statusChangedAt },
  { header: 'last_check_in', cell: (d) => d.lastCheckIn },
  { header: 'last_staged_at', cell: (d) => d.lastStagedAt },
];

/** Streams the entries matching `query` (offset/limit ignored) to `out`; resolves to the row count. */
export function exportInventoryCsv(db: Db, out: Writable, query: InventoryQuery = {}): Promise<number> {
  return writeCsv(iterateInventory(db, query), INVENTORY_CSV_COLUMNS, out);
}

/** Same as exportInventoryCsv, to file `path` (mode 0600); a failed export leaves no partial file. */
export function exportInventoryCsvFile(db: Db, path: string, query: InventoryQuery = {}): Promise<number> {
  return writeCsvFile(iterateInventory(db, query), INVENTORY_CSV_COLUMNS, path);
}
