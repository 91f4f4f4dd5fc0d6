/**
 * A small windowed-query helper for the IPC tables over plain cache tables (bench devices, audit
 * log): WHERE fragments with bound arguments, a whitelisted sort (NULLs last either way) with the
 * row key as tie-breaker (so a row never shows on two windows), `LIMIT/OFFSET` windows with the matching total, and the
 * full ordered result for CSV export. SQL fragments here are trusted code; user text only ever
 * travels as bound arguments, and `%`/`_` in search text match literally.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../../store';

/** A WHERE fragment with its `?` arguments. */
export interface Condition {
  sql: string;
  args: unknown[];
}

/** A table definition: FROM body, SELECT list, unique key expression, sortable expressions by name. */
export interface SqlTable {
  from: string;
  select: string;
  key: string;
  sorts: Readonly<Record<string, string>>;
}

/** Escapes `\`, `%`, `_` for `LIKE … ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Case-insensitive (ASCII) substring match of `term` in any of `exprs`. */
export function likeAny(exprs: readonly string[], term: string): Condition {
  const pattern = `%${escapeLike(term)}%`;
  return { sql: `(${exprs.map((e) => `${e} LIKE ? ESCAPE '\\'`).join(' OR ')})`, args: exprs.map(() => pattern) };
}

/** `expr IN (…)`; an empty list matches nothing. */
export function inList(expr: string, values: readonly unknown[]): Condition {
  if (values.length === 0) return { sql: '0', args: [] };
  return { sql: `${expr} IN (${values.map(() => '?').join(', ')})`, args: [...values] };
}

const statements = new WeakMap<Db, Map<string, BetterSqlite3.Statement<unknown[]>>>();

function prepared(db: Db, sql: string): BetterSqlite3.Statement<unknown[]> {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size >= 128) cache.delete(cache.keys().next().value as string);
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

function parts(table: SqlTable, where: readonly Condition[], sort: string, desc: boolean): { whereSql: string; args: unknown[]; order: string } {
  const expr = table.sorts[sort];
  if (expr === undefined) throw new Error(`unknown sort "${sort}"`);
  const dir = desc ? 'DESC' : 'ASC';
  return {
    whereSql: where.length ? `WHERE ${where.map((c) => `(${c.sql})`).join(' AND ')}` : '',
    args: where.flatMap((c) => c.args),
    // Empty values last in both directions (what admins expect when sorting a column).
    order: `ORDER BY (${expr} IS NULL), ${expr} ${dir}, ${table.key} ${dir}`,
  };
}

/** Ordered keys of one (filter, sort) combination, valid while the database has not changed. */
interface Snapshot {
  stamp: string;
  keys: unknown[];
}

const snapshots = new WeakMap<Db, Map<string, Snapshot>>();
const MAX_SNAPSHOTS = 6;

/**
 * A change stamp of the database: `PRAGMA data_version` (commits by other connections, e.g. the
 * CLI) and `total_changes()` (writes through this connection).
 */
function changeStamp(db: Db): string {
  const v = db.pragma('data_version', { simple: true }) as number;
  const n = (prepared(db, 'SELECT total_changes() AS n').get() as { n: number }).n;
  return `${v}:${n}`;
}

/**
 * Rows `offset … offset+limit-1` of the filtered, sorted table and the total that match.
 * The ordered key list of a (filter, sort) combination is computed once and reused until the
 * database changes, so scrolling through 100,000 rows costs one primary-key lookup per window
 * instead of a sort per window.
 */
export function sqlWindow<R>(db: Db, table: SqlTable, where: readonly Condition[], sort: string, desc: boolean, offset: number, limit: number): { rows: R[]; total: number } {
  const p = parts(table, where, sort, desc);
  const id = `${table.from}|${p.whereSql}|${JSON.stringify(p.args)}|${p.order}`;
  const stamp = changeStamp(db);
  let cache = snapshots.get(db);
  if (!cache) snapshots.set(db, (cache = new Map()));
  let snap = cache.get(id);
  if (!snap || snap.stamp !== stamp) {
    const keys = prepared(db, `SELECT ${table.key} AS k FROM ${table.from} ${p.whereSql} ${p.order}`).raw(true).all(...p.args) as unknown[][];
    snap = { stamp, keys: keys.map((k) => k[0]) };
    cache.delete(id);
    if (cache.size >= MAX_SNAPSHOTS) cache.delete(cache.keys().next().value as string);
  } else {
    cache.delete(id); // re-insert below: most recently used last
  }
  cache.set(id, snap);
  const page = snap.keys.slice(offset, offset + limit);
  if (page.length === 0) return { rows: [], total: snap.keys.length };
  const found = prepared(db, `SELECT ${table.select}, ${table.key} AS __k FROM ${table.from} WHERE ${table.key} IN (${page.map(() => '?').join(', ')})`).all(...page) as (R & { __k: unknown })[];
  const byKey = new Map(found.map((r) => [r.__k, r]));
  const rows: R[] = [];
  for (const k of page) {
    const r = byKey.get(k);
    if (!r) continue;
    const { __k: _k, ...rest } = r;
    rows.push(rest as unknown as R);
  }
  return { rows, total: snap.keys.length };
}

/** Every matching row in order (for CSV export; read in one statement so the connection is free afterwards). */
export function sqlAll<R>(db: Db, table: SqlTable, where: readonly Condition[], sort: string, desc: boolean): R[] {
  const p = parts(table, where, sort, desc);
  return prepared(db, `SELECT ${table.select} FROM ${table.from} ${p.whereSql} ${p.order}`).all(...p.args) as R[];
}
