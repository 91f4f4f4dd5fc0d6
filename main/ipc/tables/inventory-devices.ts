/**
 * The Devices table over the tenant inventory service (main/inventory) once it is wired into the
 * app services: the Ivanti Devices page columns, status/platform/method filters, and the lifecycle
 * actions (retire, wipe, mark reset, delete) as bulk actions. Export uses the service's CSV.
 */
import type { InventoryDevice, InventoryQuery, InventoryService, LifecycleAction } from '../../inventory';
import { INVENTORY_CSV_COLUMNS, PLATFORMS, REGISTRATION_METHODS, STATUSES } from '../../inventory';
import { csvBuffer, memorySink } from './csv-buffer';
import { checkFilters, fileDate, TableRequestError, type TableSource } from './source';
import { type TableAction, type TableColumn, type TableCriteria, type TableRow } from './types';

const COLUMNS: TableColumn[] = [
  { id: 'serialNumber', label: 'Serial number', kind: 'mono', sortable: true, width: 150 },
  { id: 'model', label: 'Model', kind: 'text', sortable: true, width: 200 },
  { id: 'platform', label: 'Platform', kind: 'chip', sortable: true, width: 100 },
  { id: 'osVersion', label: 'OS', kind: 'text', sortable: true, width: 80 },
  { id: 'status', label: 'Status', kind: 'status', sortable: true, width: 100 },
  { id: 'ownerEmail', label: 'Owner', kind: 'text', sortable: true, width: 230 },
  { id: 'registrationMethod', label: 'Registered via', kind: 'text', sortable: true, width: 150 },
  { id: 'lastCheckIn', label: 'Last check-in', kind: 'datetime', sortable: true, width: 170 },
  { id: 'udid', label: 'UDID', kind: 'mono', sortable: true, width: 280, hidden: true },
  { id: 'imei', label: 'IMEI', kind: 'mono', sortable: true, width: 160, hidden: true },
  { id: 'registeredAt', label: 'Registered', kind: 'datetime', sortable: true, width: 170, hidden: true },
  { id: 'lastStagedAt', label: 'Last staged', kind: 'datetime', sortable: true, width: 170, hidden: true },
  { id: 'id', label: 'ID', kind: 'text', sortable: true, width: 80, hidden: true },
];

/** Column id → inventory sort name (INVENTORY_SORTS). */
const SORT_OF: Record<string, InventoryQuery['sort']> = {
  id: 'id', serialNumber: 'serialNumber', model: 'model', platform: 'platform', osVersion: 'osVersion', status: 'status',
  ownerEmail: 'owner', registrationMethod: 'method', lastCheckIn: 'lastCheckIn', udid: 'udid', imei: 'imei',
  registeredAt: 'registeredAt', lastStagedAt: 'lastStagedAt',
};

const ACTIONS: (TableAction & { id: LifecycleAction })[] = [
  { id: 'retire', label: 'Retire', destructive: true, description: 'Active and Reset entries become Retired; the devices lose their MDM configuration at next check-in.' },
  { id: 'wipe', label: 'Wipe', destructive: true, description: 'Active entries become Wiped: the devices are erased at next check-in.' },
  { id: 'reset', label: 'Mark reset', destructive: false, description: 'Record that the devices were reset outside the tenant (Active → Reset).' },
  { id: 'delete', label: 'Delete', destructive: true, description: 'Retired and Wiped entries are removed from the inventory.' },
];

const FILTERS = [
  { id: 'status', label: 'Status', options: STATUSES.map((s) => ({ value: s, label: s })) },
  { id: 'platform', label: 'Platform', options: PLATFORMS.map((p) => ({ value: p, label: p })) },
  { id: 'method', label: 'Registered via', options: REGISTRATION_METHODS.map((m) => ({ value: m, label: m })) },
];

const toRow = (d: InventoryDevice): TableRow => ({ ...d, key: String(d.id) });

/** The inventory device table over `inv`. */
export function inventoryDevicesTable(inv: InventoryService): TableSource {
  const toQuery = (c: TableCriteria): InventoryQuery => {
    const f = checkFilters(c.filters, FILTERS);
    if (f.has('method')) throw new TableRequestError('filtering by registration method is not offered by the inventory service yet');
    const sort = c.sort ? SORT_OF[c.sort] : 'lastCheckIn';
    if (!sort) throw new TableRequestError(`cannot sort devices by "${c.sort}"`);
    return {
      search: c.search?.trim() || undefined,
      status: f.get('status') as InventoryQuery['status'],
      platform: f.get('platform') as InventoryQuery['platform'],
      sort,
      desc: c.desc ?? !c.sort,
    };
  };
  return {
    describe: () => ({
      table: 'devices',
      source: 'inventory',
      sourceLabel: 'Tenant device inventory',
      rowKey: 'key',
      columns: COLUMNS,
      filters: FILTERS.filter((f) => f.id !== 'method'),
      actions: ACTIONS,
      searchPlaceholder: 'Serial, UDID, IMEI, owner or model',
      defaultSort: { id: 'lastCheckIn', desc: true },
      selectable: true,
    }),
    query(req) {
      const res = inv.list({ ...toQuery(req), offset: req.offset, limit: req.limit });
      return { rows: res.rows.map(toRow), total: res.total, offset: req.offset };
    },
    async exportCsv(criteria, keys) {
      if (keys) {
        const rows = keys.map((k) => inv.get(Number(k))).filter((d): d is InventoryDevice => d !== null);
        return { filename: `devices-selection-${fileDate()}.csv`, ...(await csvBuffer(rows, INVENTORY_CSV_COLUMNS)) };
      }
      const { sink, bytes } = memorySink();
      const n = await inv.exportCsv(sink, toQuery(criteria));
      return { filename: `devices-${fileDate()}.csv`, csv: bytes(), rows: n };
    },
    act(action, keys) {
      const def = ACTIONS.find((a) => a.id === action);
      if (!def) throw new TableRequestError(`unknown device action "${action}"; choose one of: ${ACTIONS.map((a) => a.id).join(', ')}`);
      const r = inv.act(def.id, keys.map(Number));
      return {
        results: r.results.map((x) => ({ key: String(x.id), ok: x.ok, message: x.error })),
        succeeded: r.succeeded,
        failed: r.failed,
      };
    },
  };
}
