/**
 * Per-connection caches behind queryWindow (window.ts), valid until the table changes
 * (table-version.ts) and filled only outside a caller's write transaction:
 * - per criteria (the WHERE text, its arguments and plan hints): the total, so paging through one
 *   result counts its rows once; and, when the caller gave a `match` query, the matching keys
 *   (sorted, unique), so the match set is evaluated once for the count and every window;
 * - per sort column: every key of the table in that column's order (the sort index walked once);
 * - per criteria and sort: the matching keys in sort order, so any window of it is a slice.
 * Keys must be integers in 0..2^31-1 for the key caches; other tables only get cached totals.
 */
import type { Db } from './db';
import { tableVersion } from './table-version';

/** What is known about one criteria. */
export interface Criteria {
  total: number;
  /** Matching keys, ascending and unique (match queries only). */
  keys?: Int32Array;
  bits?: Uint8Array;
  ordered: Map<string, Int32Array>;
}

interface TableCache {
  version: string;
  criteria: Map<string, Criteria>;
  /** Every key in a sort's order; null when the keys are not int32. */
  orders: Map<string, Int32Array | null>;
}

const MAX_CRITERIA = 24;
const caches = new WeakMap<Db, Map<string, TableCache>>();

/** The cache of `table`, emptied when the table changed. Call inside the query's read transaction. */
export function tableCache(db: Db, table: string): TableCache {
  let byTable = caches.get(db);
  if (!byTable) caches.set(db, (byTable = new Map()));
  const version = tableVersion(db, table);
  let cache = byTable.get(table);
  if (!cache || cache.version !== version) byTable.set(table, (cache = { version, criteria: new Map(), orders: new Map() }));
  return cache;
}

/** Looks up a criteria (refreshing its LRU position). */
export function getCriteria(cache: TableCache, key: string): Criteria | undefined {
  const hit = cache.criteria.get(key);
  if (hit) {
    cache.criteria.delete(key);
    cache.criteria.set(key, hit);
  }
  return hit;
}

/** Stores a criteria, dropping the least recently used beyond MAX_CRITERIA. */
export function putCriteria(cache: TableCache, key: string, c: Criteria, store: boolean): Criteria {
  if (!store) return c;
  cache.criteria.set(key, c);
  while (cache.criteria.size > MAX_CRITERIA) cache.criteria.delete(cache.criteria.keys().next().value as string);
  return c;
}

/** Sorted unique int32 keys of `raw`, or null when a key is not an integer in 0..2^31-1. */
export function uniqueKeys(raw: unknown[]): Int32Array | null {
  const keys = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const k = raw[i];
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > 0x7fffffff) return null;
    keys[i] = k;
  }
  keys.sort();
  let n = 0;
  for (let i = 0; i < keys.length; i++) if (i === 0 || keys[i] !== keys[i - 1]) keys[n++] = keys[i];
  return keys.subarray(0, n);
}

/** Every key in a sort's order, read by `read` once per table version; null when not int32 keys. */
export function sortOrder(cache: TableCache, sortName: string, read: () => unknown[], store: boolean): Int32Array | null {
  const hit = cache.orders.get(sortName);
  if (hit !== undefined) return hit;
  const raw = read();
  const order = new Int32Array(raw.length);
  let ok = true;
  for (let i = 0; i < raw.length && ok; i++) {
    const k = raw[i];
    ok = typeof k === 'number' && Number.isInteger(k) && k >= 0 && k <= 0x7fffffff;
    order[i] = k as number;
  }
  const result = ok ? order : null;
  if (store) cache.orders.set(sortName, result);
  return result;
}

/** The criteria's keys in `order` (ascending sort order), cached per sort. */
export function orderedMatches(c: Criteria & { keys: Int32Array }, sortName: string, order: Int32Array): Int32Array {
  const hit = c.ordered.get(sortName);
  if (hit) return hit;
  const last = c.keys.length ? c.keys[c.keys.length - 1] : -1;
  if (!c.bits) {
    c.bits = new Uint8Array(last + 1);
    for (const k of c.keys) c.bits[k] = 1;
  }
  const bits = c.bits;
  const out = new Int32Array(c.keys.length);
  let n = 0;
  for (let i = 0; i < order.length && n < out.length; i++) {
    const k = order[i];
    if (k <= last && bits[k]) out[n++] = k;
  }
  const result = out.subarray(0, n);
  c.ordered.set(sortName, result);
  return result;
}

/** Keys of the window at `offset` (at most `limit`) of `ordered`, read backwards when `desc`. */
export function sliceWindow(ordered: Int32Array, desc: boolean, offset: number, limit: number): number[] {
  const n = Math.max(0, Math.min(limit, ordered.length - offset));
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = desc ? ordered[ordered.length - 1 - offset - i] : ordered[offset + i];
  return out;
}
