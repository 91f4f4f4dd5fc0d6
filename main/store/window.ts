/**
 * Windowed table queries over the SQLite cache, reusable for any table the UI pages through:
 * filters (SQL fragments with bound arguments), a sort on a whitelisted column with a stable,
 * unique tie-breaker, then either an offset window (`offset`/`limit`, for jumping to a page) or a
 * keyset window (`after` a cursor, for scrolling and exports at constant cost per page). Every
 * result carries the total number of rows that match the filters.
 *
 *   const table = defineWindowTable({ from: 'items i', select: 'i.id, i.name', key: 'i.id',
 *     sorts: { name: { expr: 'i.name' }, seen: { expr: 'i.seen_at', nullable: true } }, defaultSort: 'name' });
 *   queryWindow(db, table, { where: [eq('i.kind', 'x'), likeAny(['i.name'], 'ab%')], sort: 'seen', desc: true, offset: 200, limit: 100 })
 *     → { rows, total, offset, limit, nextCursor }
 *
 * Ordering follows SQLite: NULLs sort before every value ascending and after every value
 * descending; ties on the sort column are broken by the key in the same direction, so a row
 * never appears on two pages. Search terms go through `escapeLike`, so `%` and `_` match literally.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from './db';

/** A sortable column: the SQL expression and whether it may be NULL (keyset windows need to know). */
export interface SortColumn {
  expr: string;
  nullable?: boolean;
}

/** A table (or join) that can be windowed. SQL fragments are trusted code, never user input. */
export interface WindowTable<S extends string> {
  /** FROM clause body, e.g. `inventory_devices d`. */
  from: string;
  /** SELECT list. */
  select: string;
  /** Unique, non-NULL tie-breaker expression (usually the integer primary key). */
  key: string;
  /** Whitelisted sort names → column. Only these names are accepted from callers. */
  sorts: Readonly<Record<S, SortColumn>>;
  /** Sort used when the request names none. */
  defaultSort: S;
  /** Largest `limit` accepted (default 1000). */
  maxLimit?: number;
}

/** A WHERE fragment with its bound arguments (`?` placeholders). */
export interface Condition {
  sql: string;
  args: unknown[];
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
  return { sql: `${expr} = ?`, args: [value] };
}

/** `expr IN (?, ...)`; an empty list matches nothing. */
export function inList(expr: string, values: readonly unknown[]): Condition {
  if (values.length === 0) return { sql: '0', args: [] };
  return { sql: `${expr} IN (${values.map(() => '?').join(', ')})`, args: [...values] };
}

/** Substring match of `term` (case-insensitive for ASCII, `%`/`_` literal) in any of `exprs`. */
export function likeAny(exprs: readonly string[], term: string): Condition {
  const pattern = `%${escapeLike(term)}%`;
  return { sql: `(${exprs.map((e) => `${e} LIKE ? ESCAPE '\\'`).join(' OR ')})`, args: exprs.map(() => pattern) };
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

/**
 * Runs one window over `table`. Rows come back as SELECTed (map them with `map`). Throws
 * WindowQueryError for an unknown sort name, a limit outside 1..maxLimit, a negative or
 * fractional offset, or `offset` together with `after`.
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
  if (req.after && req.offset) throw new WindowQueryError('offset', 'give either an offset or a cursor (after), not both');
  const sort = table.sorts[sortName];
  const desc = req.desc === true;
  const dir = desc ? 'DESC' : 'ASC';

  const conds = [...(req.where ?? [])];
  const filterSql = conds.length ? `WHERE ${conds.map((c) => `(${c.sql})`).join(' AND ')}` : '';
  const filterArgs = conds.flatMap((c) => c.args);

  const windowConds = [...conds];
  if (req.after) windowConds.push(keysetCondition(sort, table.key, desc, req.after));
  const windowSql = windowConds.length ? `WHERE ${windowConds.map((c) => `(${c.sql})`).join(' AND ')}` : '';
  const windowArgs = windowConds.flatMap((c) => c.args);

  const select = `SELECT ${table.select}, ${sort.expr} AS __sort, ${table.key} AS __key FROM ${table.from} ${windowSql}
    ORDER BY ${sort.expr} ${dir}, ${table.key} ${dir} LIMIT ? OFFSET ?`;
  const raw = cachedStatement(db, select).all(...windowArgs, limit, offset) as (R & { __sort: string | number | null; __key: string | number })[];
  const total = req.skipTotal
    ? -1
    : (cachedStatement(db, `SELECT COUNT(*) AS n FROM ${table.from} ${filterSql}`).get(...filterArgs) as { n: number }).n;
  const last = raw[raw.length - 1];
  const nextCursor = raw.length === limit && last ? { value: last.__sort, key: last.__key } : null;
  const rows = raw.map((r) => {
    const { __sort: _s, __key: _k, ...rest } = r;
    return map(rest as unknown as R);
  });
  return { rows, total, offset, limit, nextCursor };
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

/** The rows strictly after `c` in the order (sort dir, key dir), NULLs first ascending / last descending. */
function keysetCondition(sort: SortColumn, key: string, desc: boolean, c: WindowCursor): Condition {
  if (typeof c !== 'object' || c === null || (typeof c.key !== 'number' && typeof c.key !== 'string')) {
    throw new WindowQueryError('after', 'cursor must be { value, key } as returned in nextCursor');
  }
  const cmp = desc ? '<' : '>';
  const col = sort.expr;
  if (c.value === null) {
    if (!sort.nullable) throw new WindowQueryError('after', 'cursor value is null but the sort column never is');
    // Ascending: NULLs come first, so after a NULL: the remaining NULLs, then every non-NULL.
    return desc
      ? { sql: `${col} IS NULL AND ${key} < ?`, args: [c.key] }
      : { sql: `(${col} IS NULL AND ${key} > ?) OR ${col} IS NOT NULL`, args: [c.key] };
  }
  const base = `${col} ${cmp} ? OR (${col} = ? AND ${key} ${cmp} ?)`;
  return desc && sort.nullable
    ? { sql: `${base} OR ${col} IS NULL`, args: [c.value, c.value, c.key] }
    : { sql: base, args: [c.value, c.value, c.key] };
}
