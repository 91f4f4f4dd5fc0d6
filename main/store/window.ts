/**
 * Windowed table queries over the SQLite cache, reusable for any table the UI pages through:
 * filters (SQL fragments with bound arguments), a sort on a whitelisted column with a stable,
 * unique tie-breaker, then either an offset window (`offset`/`limit`, for jumping to a page) or a
 * keyset window (`after` a cursor, for scrolling and exports at constant cost per page). Every
 * result carries the total number of rows that match the filters.
 *
 *   const items = defineWindowTable({ table: 'items', alias: 'i', select: 'i.id, i.name', key: 'i.id',
 *     sorts: { name: { expr: 'i.name', index: 'items_by_name' }, seen: { expr: 'i.seen_at', nullable: true } },
 *     defaultSort: 'name' });
 *   queryWindow(db, items, { where: [eq('i.kind', 'x'), likeAny(['i.name'], 'ab%')], sort: 'seen', desc: true, offset: 200, limit: 100 })
 *     → { rows, total, offset, limit, nextCursor }
 *
 * How it stays fast on 100,000 rows: the window is found first as (sort value, key) pairs only,
 * then the full rows of those ≤ limit keys are read. The pairs come from one of two plans:
 * - walk: when the sort column has an index and many rows match, walk that index in order,
 *   testing filters with their `walkSql` form (unary `+`, so no other index drives the plan);
 *   with the filter columns in the sort index, no table row is read until the window is known;
 * - filter first: when few rows match (≤ `walkThreshold`, default 2,000), let SQLite find them
 *   through the filter indexes and sort just those.
 * A window in the back half of the result is read from the other end and reversed. The total is
 * counted once per criteria until the table changes; with a `match` query the match set itself is
 * read once and windows are cut from the sort's cached key order instead (window-cache.ts).
 *
 * Ordering follows SQLite: NULLs sort before every value ascending and after every value
 * descending; ties on the sort column are broken by the key in the same direction, so a row
 * never appears on two pages. Search terms go through `escapeLike`, so `%` and `_` match literally.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from './db';
import { getCriteria, orderedMatches, putCriteria, sliceWindow, sortOrder, tableCache, uniqueKeys, type Criteria } from './window-cache';

/**
 * A sortable column: its SQL expression, whether it may be NULL (keyset windows need to know),
 * and the index whose leading column it is (omit for the integer primary key, walked as the table).
 */
export interface SortColumn {
  expr: string;
  nullable?: boolean;
  index?: string;
}

/** A table that can be windowed. SQL fragments are trusted code, never user input. */
export interface WindowTable<S extends string> {
  /** Table name, e.g. `inventory_devices`. */
  table: string;
  /** Alias used in every expression, e.g. `d`. */
  alias: string;
  /** SELECT list (may use the alias). */
  select: string;
  /** Unique, non-NULL tie-breaker expression (usually the integer primary key). */
  key: string;
  /** Whitelisted sort names → column. Only these names are accepted from callers. */
  sorts: Readonly<Record<S, SortColumn>>;
  /** Sort used when the request names none. */
  defaultSort: S;
  /** Largest `limit` accepted (default 1000). */
  maxLimit?: number;
  /** At most this many matching rows are sorted directly; above it the sort index is walked (default 2000). */
  walkThreshold?: number;
}

/**
 * A WHERE fragment with its bound arguments (`?` placeholders). `walkSql` is the same test written
 * so that it cannot drive the plan (e.g. `+col = ?`), used while walking a sort index; it takes
 * the same arguments and defaults to `sql`.
 */
export interface Condition {
  sql: string;
  args: unknown[];
  walkSql?: string;
}

/** Position after which a keyset window starts: the last row's sort value and key. */
export interface WindowCursor {
  value: string | number | null;
  key: string | number;
}

/** What to fetch. `offset` and `after` are exclusive; `limit` defaults to 100. */
export interface WindowRequest<S extends string> {
  where?: readonly Condition[];
  sort?: S;
  desc?: boolean;
  offset?: number;
  limit?: number;
  after?: WindowCursor;
  /** Skip the COUNT (exports and follow-up keyset pages that already know the total); total is then -1. */
  skipTotal?: boolean;
  /**
   * Position in `where` of the condition that should find the rows in the COUNT and filter-first
   * plan; the others are then tested with their `walkSql` form. Default: SQLite chooses.
   */
  driver?: number;
  /** Index for the COUNT and the filter-first plan (`INDEXED BY`), when the caller knows the best one. */
  filterIndex?: string;
  /**
   * A SELECT returning the key of every row that matches `where` (duplicates allowed), cheaper than
   * testing `where` row by row (e.g. a UNION ALL of index lookups). With it (and no `after`), the
   * match set is read once per criteria until the table changes (window-cache.ts): the total is its
   * size and windows are cut from the sort column's cached key order, so a deep window costs what
   * the first one does. `where` must still describe the same rows (keyset windows use it).
   */
  match?: { sql: string; args: unknown[] };
}

/** One window: its rows, how many rows match in all, and the cursor of the next keyset window. */
export interface WindowResult<T> {
  rows: T[];
  /** Rows matching the filters, ignoring offset/limit; -1 when `skipTotal` was asked. */
  total: number;
  offset: number;
  limit: number;
  /** Cursor after the last row, or null when this window is the last. */
  nextCursor: WindowCursor | null;
}

/**
 * Invalid window request (unknown sort column, bad offset/limit, malformed cursor). `field` names
 * the request field; `exitCode` 2 makes the CLI report it as invalid input.
 */
export class WindowQueryError extends Error {
  readonly exitCode = 2;
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'WindowQueryError';
  }
}

/** Identity helper that checks a table definition's shape at compile time. */
export function defineWindowTable<S extends string>(table: WindowTable<S>): WindowTable<S> {
  return table;
}

/** Escapes `\`, `%` and `_` for `LIKE ... ESCAPE '\'`, so user text matches literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `expr = ?` (the column's collation applies, e.g. NOCASE). */
export function eq(expr: string, value: unknown): Condition {
  return { sql: `${expr} = ?`, walkSql: `+${expr} = ?`, args: [value] };
}

/** `expr IN (?, ...)`; an empty list matches nothing. */
export function inList(expr: string, values: readonly unknown[]): Condition {
  if (values.length === 0) return { sql: '0', args: [] };
  const marks = values.map(() => '?').join(', ');
  return { sql: `${expr} IN (${marks})`, walkSql: `+${expr} IN (${marks})`, args: [...values] };
}

/** Substring match of `term` (case-insensitive for ASCII, `%`/`_` literal) in any of `exprs`. */
export function likeAny(exprs: readonly string[], term: string): Condition {
  const pattern = `%${escapeLike(term)}%`;
  return { sql: `(${exprs.map((e) => `${e} LIKE ? ESCAPE '\\'`).join(' OR ')})`, args: exprs.map(() => pattern) };
}

/** Prefix match of `term` (`%`/`_` literal) in any of `exprs`; uses their indexes when the columns are NOCASE. */
export function prefixAny(exprs: readonly string[], term: string): Condition {
  const pattern = `${escapeLike(term)}%`;
  return {
    sql: `(${exprs.map((e) => `${e} LIKE ? ESCAPE '\\'`).join(' OR ')})`,
    walkSql: `(${exprs.map((e) => `+${e} LIKE ? ESCAPE '\\'`).join(' OR ')})`,
    args: exprs.map(() => pattern),
  };
}

/** OR of conditions (all must have been built for the same table). */
export function anyOf(conds: readonly Condition[]): Condition {
  if (conds.length === 0) return { sql: '0', args: [] };
  if (conds.length === 1) return conds[0];
  return {
    sql: conds.map((c) => `(${c.sql})`).join(' OR '),
    walkSql: conds.map((c) => `(${c.walkSql ?? c.sql})`).join(' OR '),
    args: conds.flatMap((c) => c.args),
  };
}

const statementCache = new WeakMap<Db, Map<string, BetterSqlite3.Statement>>();

/** A prepared statement for `sql`, cached per connection (at most 256 kept). */
export function cachedStatement(db: Db, sql: string): BetterSqlite3.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size >= 256) cache.delete(cache.keys().next().value as string);
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** WHERE clause of `conds`: `walkSql` forms when walking, or for every condition but the driver. */
function whereOf(conds: readonly Condition[], walk: boolean, driver?: number): string {
  const form = (c: Condition, i: number): string => (walk || (driver !== undefined && i !== driver) ? c.walkSql ?? c.sql : c.sql);
  return conds.length ? `WHERE ${conds.map((c, i) => `(${form(c, i)})`).join(' AND ')}` : '';
}

/**
 * Runs one window over `table`. Rows come back as SELECTed (map them with `map`). Throws
 * WindowQueryError for an unknown sort name, a limit outside 1..maxLimit, a negative or
 * fractional offset, a malformed cursor, or `offset` together with `after`.
 */
export function queryWindow<S extends string, R = Record<string, unknown>, T = R>(
  db: Db, table: WindowTable<S>, req: WindowRequest<S>, map: (row: R) => T = (r) => r as unknown as T,
): WindowResult<T> {
  const maxLimit = table.maxLimit ?? 1000;
  const sortName = req.sort ?? table.defaultSort;
  if (!Object.prototype.hasOwnProperty.call(table.sorts, sortName)) {
    throw new WindowQueryError('sort', `cannot sort by "${String(sortName)}"; choose one of: ${Object.keys(table.sorts).join(', ')}`);
  }
  const limit = req.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw new WindowQueryError('limit', `limit must be a whole number from 1 to ${maxLimit}, not ${limit}`);
  const offset = req.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) throw new WindowQueryError('offset', `offset must be a whole number ≥ 0, not ${offset}`);
  if (req.after && offset) throw new WindowQueryError('offset', 'give either an offset or a cursor (after), not both');
  const sort = table.sorts[sortName];
  const desc = req.desc === true;
  const dir = desc ? 'DESC' : 'ASC';
  const conds = req.where ?? [];
  const filterFrom = `${table.table} AS ${table.alias}${req.filterIndex ? ` INDEXED BY ${req.filterIndex}` : ''}`;

  const threshold = table.walkThreshold ?? 2000;
  const store = !db.inTransaction; // a caller's transaction may hold uncommitted writes: read, don't cache

  return db.transaction(() => {
    const cache = tableCache(db, table.table);
    const ckey = JSON.stringify([whereOf(conds, false, req.driver), conds.flatMap((c) => c.args), req.filterIndex ?? null, req.match ?? null]);
    let crit = getCriteria(cache, ckey);
    if (!crit && req.match && !req.after) {
      const keys = uniqueKeys(cachedStatement(db, req.match.sql).pluck(true).all(...req.match.args));
      if (keys) crit = putCriteria(cache, ckey, { total: keys.length, keys, ordered: new Map() }, store);
    }
    if (!crit && !req.skipTotal) {
      const count = cachedStatement(db, `SELECT COUNT(*) AS n FROM ${filterFrom} ${whereOf(conds, false, req.driver)}`).get(...conds.flatMap((c) => c.args)) as { n: number };
      crit = putCriteria(cache, ckey, { total: count.n, ordered: new Map() }, store);
    }
    const known = crit ? crit.total : -1;

    let keys: (string | number)[] | null = null;
    if (crit?.keys && !req.after) {
      // Cut the window from the matches in sort order (small match sets without a cached order: sort in SQL).
      const matched = crit as Criteria & { keys: Int32Array };
      const readOrder = (): unknown[] => cachedStatement(db, `SELECT ${table.key} FROM ${table.table} AS ${table.alias}
        ${sort.index ? `INDEXED BY ${sort.index}` : 'NOT INDEXED'} ORDER BY ${sort.expr}, ${table.key}`).pluck(true).all();
      const order = sort.expr === table.key ? matched.keys
        : known > threshold || cache.orders.has(sortName) ? sortOrder(cache, sortName, readOrder, store) : null;
      if (order) keys = sliceWindow(order === matched.keys ? order : orderedMatches(matched, sortName, order), desc, offset, limit);
      else {
        keys = (cachedStatement(db, `WITH m AS MATERIALIZED (SELECT ${table.key} AS wkey, ${sort.expr} AS wsort FROM ${table.table} AS ${table.alias}
            WHERE ${table.key} IN (SELECT value FROM json_each(?)))
          SELECT wkey FROM m ORDER BY wsort ${dir}, wkey ${dir} LIMIT ? OFFSET ?`).pluck(true).all(JSON.stringify(Array.from(matched.keys)), limit, offset)) as number[];
      }
    }
    keys ??= sqlWindow(db, table, sort, req, { desc, offset, limit, known, walk: conds.length === 0 || known < 0 || known > threshold, filterFrom });

    const byKey = new Map<string | number, Record<string, unknown>>();
    if (keys.length) {
      const rowsSql = `SELECT ${table.select}, ${table.key} AS __key, ${sort.expr} AS __wsort FROM ${table.table} AS ${table.alias} WHERE ${table.key} IN (SELECT value FROM json_each(?))`;
      for (const r of cachedStatement(db, rowsSql).all(JSON.stringify(keys)) as Record<string, unknown>[]) byKey.set(r.__key as string | number, r);
    }
    // Every read shares one snapshot (the transaction); the filter only guards against a missing key.
    const present = keys.filter((k) => byKey.has(k));
    const rows = present.map((k) => {
      const { __key: _k, __wsort: _s, ...row } = byKey.get(k)!;
      return map(row as R);
    });
    const lastKey = keys.length === limit ? present[present.length - 1] : undefined;
    const nextCursor = lastKey !== undefined ? { value: byKey.get(lastKey)!.__wsort as WindowCursor['value'], key: lastKey } : null;
    return { rows, total: req.skipTotal ? -1 : known, offset, limit, nextCursor };
  })();
}

/**
 * The window's keys by SQL: walk the sort index (`walk`) or sort the filtered matches. A window in
 * the back half of a known total is read from the other end (fewer rows skipped) and reversed.
 */
function sqlWindow<S extends string>(db: Db, table: WindowTable<S>, sort: SortColumn, req: WindowRequest<S>,
  o: { desc: boolean; offset: number; limit: number; known: number; walk: boolean; filterFrom: string }): (string | number)[] {
  const conds = req.where ?? [];
  let { offset, limit } = o;
  const flip = !req.after && o.known >= 0 && offset + limit / 2 > o.known / 2;
  if (flip) {
    limit = Math.min(limit, o.known - offset);
    if (limit <= 0) return [];
    offset = o.known - o.offset - limit;
  }
  const dir = o.desc !== flip ? 'DESC' : 'ASC';
  const windowConds = req.after ? [...conds, keysetCondition(sort, table.key, o.desc, req.after)] : conds;
  // Filter first: the matches are materialized, so SQLite cannot walk the sort index instead.
  const sql = o.walk
    ? `SELECT ${table.key} AS wkey FROM ${table.table} AS ${table.alias} ${sort.index ? `INDEXED BY ${sort.index}` : 'NOT INDEXED'}
      ${whereOf(windowConds, true)} ORDER BY ${sort.expr} ${dir}, ${table.key} ${dir} LIMIT ? OFFSET ?`
    : `WITH m AS MATERIALIZED (SELECT ${table.key} AS wkey, ${sort.expr} AS wsort FROM ${o.filterFrom} ${whereOf(windowConds, false, req.driver)})
      SELECT wkey FROM m ORDER BY wsort ${dir}, wkey ${dir} LIMIT ? OFFSET ?`;
  const keys = cachedStatement(db, sql).pluck(true).all(...windowConds.flatMap((c) => c.args), limit, offset) as (string | number)[];
  return flip ? keys.reverse() : keys;
}

/**
 * Every row matching `req` (offset and limit ignored), fetched `batchSize` rows at a time with
 * keyset windows: memory stays bounded and no statement is left open between batches, so other
 * queries on the same connection may run while a consumer awaits between rows.
 */
export function* iterateWindow<S extends string, R = Record<string, unknown>, T = R>(
  db: Db, table: WindowTable<S>, req: Omit<WindowRequest<S>, 'offset' | 'limit' | 'after' | 'skipTotal'>,
  map: (row: R) => T = (r) => r as unknown as T, batchSize = 500,
): Generator<T> {
  let after: WindowCursor | undefined;
  for (;;) {
    const page = queryWindow(db, table, { ...req, after, limit: Math.min(batchSize, table.maxLimit ?? 1000), skipTotal: true }, map);
    yield* page.rows;
    if (!page.nextCursor) return;
    after = page.nextCursor;
  }
}

/**
 * The rows strictly after cursor `c` in the order (sort dir, key dir), NULLs first ascending and
 * last descending. Written with row values so SQLite seeks the sort index instead of scanning it.
 */
function keysetCondition(sort: SortColumn, key: string, desc: boolean, c: WindowCursor): Condition {
  if (typeof c !== 'object' || c === null || (typeof c.key !== 'number' && typeof c.key !== 'string')
    || (c.value !== null && typeof c.value !== 'number' && typeof c.value !== 'string')) {
    throw new WindowQueryError('after', 'cursor must be { value, key } as returned in nextCursor');
  }
  const col = sort.expr;
  if (c.value === null) {
    if (!sort.nullable) throw new WindowQueryError('after', 'cursor value is null but the sort column never is');
    // Ascending: NULLs come first, so after a NULL come the remaining NULLs, then every non-NULL.
    return desc
      ? { sql: `${col} IS NULL AND ${key} < ?`, args: [c.key] }
      : { sql: `(${col} IS NULL AND ${key} > ?) OR ${col} IS NOT NULL`, args: [c.key] };
  }
  if (col === key) return { sql: `${key} ${desc ? '<' : '>'} ?`, args: [c.key] };
  const base = `(${col}, ${key}) ${desc ? '<' : '>'} (?, ?)`;
  return desc && sort.nullable
    ? { sql: `${base} OR ${col} IS NULL`, args: [c.value, c.key] }
    : { sql: base, args: [c.value, c.key] };
}
