/**
 * The Devices table before the tenant inventory is wired: every device seen at this bench (the
 * `devices` table of the cache, main/store/devices.ts), windowed with ./sql-window.ts.
 * Search matches UDID, serial number, device name and model identifier (substring, `%`/`_`
 * literal); filters: device class and whether the device was ever staged. Read-only: no bulk
 * action changes these rows (export of the selection is offered by the UI for every table).
 */
import type { Db } from '../../store';
import { inList, likeAny, sqlAll, sqlWindow, type Condition, type SqlTable } from './sql-window';
import { csvBuffer } from './csv-buffer';
import { checkFilters, fileDate, TableRequestError, type TableSource } from './source';
import { type TableColumn, type TableCriteria, type TableDescription, type TableRow } from './types';

const SORTS = ['udid', 'serialNumber', 'deviceName', 'productType', 'productVersion', 'deviceClass', 'firstSeen', 'lastSeen', 'lastStagedAt'] as const;
type Sort = (typeof SORTS)[number];

const TABLE: SqlTable = {
  from: 'devices d',
  select: `d.udid AS udid, d.serial_number AS serialNumber, d.device_name AS deviceName, d.product_type AS productType,
    d.product_version AS productVersion, d.device_class AS deviceClass, d.unique_chip_id AS uniqueChipId,
    d.first_seen AS firstSeen, d.last_seen AS lastSeen, d.last_staged_at AS lastStagedAt`,
  key: 'd.udid',
  sorts: {
    udid: 'd.udid',
    serialNumber: 'd.serial_number',
    deviceName: 'd.device_name',
    productType: 'd.product_type',
    productVersion: 'd.product_version',
    deviceClass: 'd.device_class',
    firstSeen: 'd.first_seen',
    lastSeen: 'd.last_seen',
    lastStagedAt: 'd.last_staged_at',
  } satisfies Record<Sort, string>,
};

const COLUMNS: TableColumn[] = [
  { id: 'deviceName', label: 'Name', kind: 'text', sortable: true, width: 190 },
  { id: 'serialNumber', label: 'Serial number', kind: 'mono', sortable: true, width: 150 },
  { id: 'udid', label: 'UDID', kind: 'mono', sortable: true, width: 300 },
  { id: 'deviceClass', label: 'Class', kind: 'chip', sortable: true, width: 110 },
  { id: 'productType', label: 'Model', kind: 'text', sortable: true, width: 130 },
  { id: 'productVersion', label: 'OS', kind: 'text', sortable: true, width: 90 },
  { id: 'staged', label: 'Staged', kind: 'boolean', sortable: false, width: 90 },
  { id: 'lastStagedAt', label: 'Last staged', kind: 'datetime', sortable: true, width: 170 },
  { id: 'lastSeen', label: 'Last seen', kind: 'datetime', sortable: true, width: 170 },
  { id: 'firstSeen', label: 'First seen', kind: 'datetime', sortable: true, width: 170, hidden: true },
  { id: 'uniqueChipId', label: 'ECID', kind: 'mono', sortable: false, width: 170, hidden: true },
];

/** Filter ids (options of the class filter are read from the cache when describing). */
const FILTER_IDS = [
  { id: 'deviceClass', label: 'Class', options: [] },
  { id: 'staged', label: 'Staging', options: [] },
];

const STAGED_OPTIONS = [
  { value: 'staged', label: 'Staged' },
  { value: 'never', label: 'Never staged' },
];

interface Raw {
  udid: string;
  serialNumber: string | null;
  deviceName: string | null;
  productType: string | null;
  productVersion: string | null;
  deviceClass: string | null;
  uniqueChipId: string | null;
  firstSeen: string;
  lastSeen: string;
  lastStagedAt: string | null;
}

const toRow = (r: Raw): TableRow => ({ ...r, staged: r.lastStagedAt !== null });

function isSort(s: string): s is Sort {
  return (SORTS as readonly string[]).includes(s);
}

/** The bench-cache device table over `db`. */
export function benchDevicesTable(db: Db): TableSource {
  const classes = (): string[] =>
    (db.prepare('SELECT DISTINCT device_class AS c FROM devices WHERE device_class IS NOT NULL ORDER BY 1').all() as { c: string }[]).map((r) => r.c);
  const describe = (): TableDescription => ({
    table: 'devices',
    source: 'bench-cache',
    sourceLabel: 'Devices seen at this bench (local cache)',
    rowKey: 'udid',
    columns: COLUMNS,
    filters: [
      { id: 'deviceClass', label: 'Class', options: classes().map((c) => ({ value: c, label: c })) },
      { id: 'staged', label: 'Staging', options: STAGED_OPTIONS },
    ],
    actions: [],
    searchPlaceholder: 'Serial, UDID, name or model',
    defaultSort: { id: 'lastSeen', desc: true },
    selectable: true,
  });
  const conditions = (c: TableCriteria): Condition[] => {
    const where: Condition[] = [];
    const filters = checkFilters(c.filters, FILTER_IDS);
    const cls = filters.get('deviceClass');
    if (cls) where.push(inList('d.device_class', cls));
    const staged = filters.get('staged');
    if (staged && staged.length === 1) where.push({ sql: staged[0] === 'staged' ? 'd.last_staged_at IS NOT NULL' : 'd.last_staged_at IS NULL', args: [] });
    const term = c.search?.trim();
    if (term) where.push(likeAny(['d.udid', 'd.serial_number', 'd.device_name', 'd.product_type'], term));
    return where;
  };
  const sortOf = (c: TableCriteria): Sort => {
    const s = c.sort ?? 'lastSeen';
    if (!isSort(s)) throw new TableRequestError(`cannot sort devices by "${s}"`);
    return s;
  };
  return {
    describe,
    query(req) {
      const res = sqlWindow<Raw>(db, TABLE, conditions(req), sortOf(req), req.desc ?? !req.sort, req.offset, req.limit);
      return { rows: res.rows.map(toRow), total: res.total, offset: req.offset };
    },
    async exportCsv(criteria, keys) {
      const where = conditions(criteria);
      if (keys) where.push(inList('d.udid', keys));
      const rows = sqlAll<Raw>(db, TABLE, where, sortOf(criteria), criteria.desc ?? !criteria.sort).map(toRow);
      const out = await csvBuffer(rows, [
        ...COLUMNS.filter((c) => c.id !== 'staged').map((c) => ({ header: c.id, cell: (r: TableRow) => r[c.id] })),
      ]);
      return { filename: `bench-devices-${fileDate()}.csv`, ...out };
    },
    act(action) {
      throw new TableRequestError(`devices seen at the bench have no "${action}" action; lifecycle actions arrive with the tenant inventory`);
    },
  };
}
