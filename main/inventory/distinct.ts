/**
 * Distinct owners and models of the inventory, for search: they repeat across entries (about 5
 * entries per owner, a few dozen models per 100,000 entries), so matching a term against the
 * distinct values and looking the matches up by index beats scanning or trigram-searching every
 * entry. Read by a loose scan of the column's index (one seek per distinct value) and cached per
 * connection until the database changes — `PRAGMA data_version` (commits by other connections)
 * together with `total_changes()` (this connection's writes).
 */
import type { Db } from '../store/db';
import { cachedStatement } from '../store/window';

/** Columns with a distinct-value cache. */
export type DistinctColumn = 'owner_email' | 'model';

interface CacheEntry {
  version: string;
  values: string[];
}

const caches = new WeakMap<Db, Map<DistinctColumn, CacheEntry>>();

/** A token that changes whenever any connection commits a change to the database. */
export function changeToken(db: Db): string {
  const dataVersion = db.pragma('data_version', { simple: true }) as number;
  const own = (cachedStatement(db, 'SELECT total_changes() AS n').get() as { n: number }).n;
  return `${dataVersion}:${own}`;
}

/** The distinct non-NULL values of `column`, in index (NOCASE) order. */
export function distinctValues(db: Db, column: DistinctColumn): string[] {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const version = changeToken(db);
  const hit = cache.get(column);
  if (hit && hit.version === version) return hit.values;
  const rows = cachedStatement(db, `WITH RECURSIVE v(x) AS (
      SELECT (SELECT ${column} FROM inventory_devices WHERE ${column} IS NOT NULL ORDER BY ${column} LIMIT 1)
      UNION ALL
      SELECT (SELECT ${column} FROM inventory_devices WHERE ${column} > v.x ORDER BY ${column} LIMIT 1) FROM v WHERE v.x IS NOT NULL)
    SELECT x FROM v WHERE x IS NOT NULL`).all() as { x: string }[];
  const values = rows.map((r) => r.x);
  cache.set(column, { version, values });
  return values;
}
