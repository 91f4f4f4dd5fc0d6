/**
 * The inventory table's windowed queries (Devices page, `stagebench devices-db list`, CSV export):
 * filters on status, platform and owner, a search over serial, UDID, IMEI, owner and model, a sort
 * on a whitelisted column with the entry id as tie-breaker, offset or keyset windows, and the total.
 *
 * Search is case-insensitive and literal (`%`, `_`, `"` and FTS operators match themselves):
 * - 3+ characters: substring anywhere in serial, UDID or IMEI through the FTS5 trigram index
 *   `inventory_search` (the term is one quoted phrase), or in the owner or model — those repeat,
 *   so the term is matched against their distinct values (distinct.ts), looked up by index;
 * - 1-2 characters: the start of serial, UDID, IMEI, owner or model (`LIKE 'x%' ESCAPE '\'` on
 *   NOCASE columns, so indexed) — a 1-2 character substring would match most of the inventory.
 */
import type { Db } from '../store/db';
import {
  defineWindowTable, eq, escapeLike, inList, iterateWindow, queryWindow,
  type Condition, type WindowCursor, type WindowRequest, type WindowResult,
} from '../store/window';
import { distinctValues } from './distinct';
import { DEVICE_COLUMNS } from './repository';
import type { InventoryDevice, InventoryQuery, InventorySort } from './types';
import { validateQuery, type ValidQuery } from './validate';

/** The inventory as a window table: each sort name maps to its covering index (migration 5). */
export const INVENTORY_TABLE = defineWindowTable<InventorySort>({
  table: 'inventory_devices',
  alias: 'd',
  select: DEVICE_COLUMNS,
  key: 'd.id',
  defaultSort: 'id',
  sorts: {
    id: { expr: 'd.id', index: 'inventory_sort_id' },
    platform: { expr: 'd.platform', index: 'inventory_sort_platform' },
    model: { expr: 'd.model', index: 'inventory_sort_model' },
    osVersion: { expr: 'd.os_version', index: 'inventory_sort_os' },
    serialNumber: { expr: 'd.serial_number', nullable: true, index: 'inventory_sort_serial' },
    udid: { expr: 'd.udid', nullable: true, index: 'inventory_sort_udid' },
    imei: { expr: 'd.imei', nullable: true, index: 'inventory_sort_imei' },
    owner: { expr: 'd.owner_email', nullable: true, index: 'inventory_sort_owner' },
    method: { expr: 'd.registration_method', index: 'inventory_sort_method' },
    status: { expr: 'd.status', index: 'inventory_sort_status' },
    registeredAt: { expr: 'd.registered_at', index: 'inventory_sort_registered' },
    lastCheckIn: { expr: 'd.last_check_in', nullable: true, index: 'inventory_sort_check_in' },
    lastStagedAt: { expr: 'd.last_staged_at', nullable: true, index: 'inventory_sort_staged' },
  },
});

const IDENTIFIER_COLUMNS = ['serial_number', 'udid', 'imei'];

/**
 * The ids of entries matching `term` (rules in the module comment) and `narrow`, as one SELECT
 * (duplicates possible): the UNION ALL of the FTS matches, the entries of matching owners and of
 * matching models (or, for 1-2 characters, the prefix matches). Each branch is an indexed lookup.
 * `narrow` (status / platform, written with unqualified columns) is applied inside every branch —
 * the owner, model and identifier sort indexes cover those columns; FTS matches are joined to
 * `inventory_sort_id` — so a filtered search never reads rows it will drop.
 */
export function searchMatch(db: Db, term: string, narrow?: Condition): { sql: string; args: unknown[] } {
  const t = term.toLowerCase();
  const short = [...term].length < 3;
  const matches = (v: string): boolean => (short ? v.toLowerCase().startsWith(t) : v.toLowerCase().includes(t));
  const and = narrow ? ` AND ${narrow.sql}` : '';
  const narrowArgs = narrow?.args ?? [];
  const branches: Condition[] = [];
  if (short) {
    for (const col of IDENTIFIER_COLUMNS) {
      branches.push({ sql: `SELECT id FROM inventory_devices WHERE ${col} LIKE ? ESCAPE '\\'${and}`, args: [`${escapeLike(term)}%`, ...narrowArgs] });
    }
  } else {
    const phrase = `"${term.replace(/"/g, '""')}"`;
    branches.push(narrow
      ? { sql: `SELECT id FROM inventory_search CROSS JOIN inventory_devices INDEXED BY inventory_sort_id ON id = inventory_search.rowid WHERE inventory_search MATCH ?${and}`, args: [phrase, ...narrowArgs] }
      : { sql: 'SELECT rowid FROM inventory_search WHERE inventory_search MATCH ?', args: [phrase] });
  }
  const owners = distinctValues(db, 'owner_email').filter(matches);
  if (owners.length) {
    branches.push({
      sql: `SELECT id FROM inventory_devices INDEXED BY inventory_sort_owner WHERE owner_email IN (SELECT value FROM json_each(?))${and}`,
      args: [JSON.stringify(owners), ...narrowArgs],
    });
  }
  const models = distinctValues(db, 'model').filter(matches);
  if (models.length) {
    branches.push({
      sql: `SELECT id FROM inventory_devices INDEXED BY inventory_sort_model WHERE model IN (SELECT value FROM json_each(?))${and}`,
      args: [JSON.stringify(models), ...narrowArgs],
    });
  }
  return { sql: branches.map((b) => b.sql).join(' UNION ALL '), args: branches.flatMap((b) => b.args) };
}

/** The search condition for `term`: `d.id IN (searchMatch)`; the walk form tests membership while another index is walked. */
export function searchCondition(db: Db, term: string, narrow?: Condition): Condition {
  const m = searchMatch(db, term, narrow);
  return { sql: `d.id IN (${m.sql})`, walkSql: `+d.id IN (${m.sql})`, args: m.args };
}

/**
 * WHERE conditions of a validated query, and which one should find the rows (owner, search, status,
 * platform). A search without an owner filter also gives `match`: its id lookups with every other
 * filter inside, so the window helper evaluates the match set once (store/window-cache.ts).
 */
export function inventoryConditions(db: Db, q: ValidQuery): Pick<WindowRequest<InventorySort>, 'where' | 'driver' | 'filterIndex' | 'match'> {
  const where: Condition[] = [];
  let driver: number | undefined;
  let filterIndex: string | undefined;
  const add = (c: Condition, index?: string, drives = false): void => {
    where.push(c);
    if (drives && driver === undefined) {
      driver = where.length - 1;
      filterIndex = index;
    }
  };
  const statusOf = (alias: string): Condition | null => (q.statuses.length === 1 ? eq(`${alias}status`, q.statuses[0]) : q.statuses.length > 1 ? inList(`${alias}status`, q.statuses) : null);
  const platformOf = (alias: string): Condition | null => (q.platforms.length === 1 ? eq(`${alias}platform`, q.platforms[0]) : q.platforms.length > 1 ? inList(`${alias}platform`, q.platforms) : null);
  const status = statusOf('d.');
  const platform = platformOf('d.');
  const narrow = [statusOf(''), platformOf('')].filter((c): c is Condition => c !== null);
  if (q.owner) {
    if (q.owner.includes('@')) add(eq('d.owner_email', q.owner), 'inventory_sort_owner', true);
    else add(eq('d.owner_user_id', q.owner), 'inventory_by_owner_user', true);
  }
  let match: { sql: string; args: unknown[] } | undefined;
  if (q.search) {
    const m = searchMatch(db, q.search, narrow.length ? { sql: narrow.map((c) => c.sql).join(' AND '), args: narrow.flatMap((c) => c.args) } : undefined);
    add({ sql: `d.id IN (${m.sql})`, walkSql: `+d.id IN (${m.sql})`, args: m.args }, undefined, true);
    if (!q.owner) match = m;
  }
  if (status && platform) {
    // One condition, so both columns of inventory_by_status narrow the index range.
    add({ sql: `${status.sql} AND ${platform.sql}`, walkSql: `${status.walkSql} AND ${platform.walkSql}`, args: [...status.args, ...platform.args] }, 'inventory_by_status', true);
  } else if (status) add(status, 'inventory_by_status', true);
  else if (platform) add(platform, 'inventory_by_platform', true);
  return { where, driver, filterIndex, match };
}

/**
 * One window of the inventory: `{ rows, total, offset, limit, nextCursor }`. Throws
 * InventoryInputError for unknown statuses / platforms / sort names, WindowQueryError for a bad
 * offset, limit or cursor.
 */
export function queryInventory(db: Db, query: InventoryQuery = {}, after?: WindowCursor): WindowResult<InventoryDevice> {
  const q = validateQuery(query);
  return queryWindow<InventorySort, InventoryDevice>(db, INVENTORY_TABLE, {
    ...inventoryConditions(db, q), sort: q.sort, desc: q.desc, offset: q.offset, limit: q.limit, after,
  });
}

/** Every entry matching the query's filters, in its sort order, 500 at a time (offset/limit ignored). */
export function iterateInventory(db: Db, query: InventoryQuery = {}): Generator<InventoryDevice> {
  const q = validateQuery({ ...query, offset: undefined, limit: undefined });
  return iterateWindow<InventorySort, InventoryDevice>(db, INVENTORY_TABLE, { ...inventoryConditions(db, q), sort: q.sort, desc: q.desc });
}
