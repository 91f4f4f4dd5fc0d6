/**
 * Distinct owners and models of the inventory, for search: they repeat across entries (about 5
 * entries per owner, a few dozen models per 100,000 entries), so matching a term against the
 * distinct values and looking the matches up by index beats scanning or trigram-searching every
 * entry. Read once per connection by a loose scan of the column's index (one seek per distinct
 * value, ~20,000 seeks at 100,000 entries), then kept current without reading it again:
 * - this connection's writes: TEMP triggers (AFTER INSERT, AFTER UPDATE OF owner_email, model)
 *   hand each new value to the cache; a value whose last entry went away stays listed — its index
 *   lookup then finds nothing, so search results are unchanged;
 * - other connections' commits (`PRAGMA data_version` changed): read again.
 * Values equal under NOCASE (ASCII case folding) are listed once.
 */
import type { Db } from '../store/db';
import { cachedStatement } from '../store/window';

/** Columns with a distinct-value cache. */
export type DistinctColumn = 'owner_email' | 'model';

interface CacheEntry {
  dataVersion: number;
  values: string[];
  /** NOCASE keys (ASCII lower case) of `values`. */
  seen: Set<string>;
}

const caches = new WeakMap<Db, Map<DistinctColumn, CacheEntry>>();

const nocase = (v: string): string => v.replace(/[A-Z]/g, (c) => c.toLowerCase());

function add(entry: CacheEntry | undefined, value: unknown): void {
  if (!entry || typeof value !== 'string') return;
  const key = nocase(value);
  if (entry.seen.has(key)) return;
  entry.seen.add(key);
  entry.values.push(value);
}

/** The per-connection cache, with the triggers that feed it installed on first use. */
function cacheOf(db: Db): Map<DistinctColumn, CacheEntry> {
  const cached = caches.get(db);
  if (cached) return cached;
  const own = new Map<DistinctColumn, CacheEntry>();
  caches.set(db, own);
  db.function('stagebench_inventory_distinct', (owner: unknown, model: unknown) => {
    add(own.get('owner_email'), owner);
    add(own.get('model'), model);
    return null;
  });
  db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS stagebench_inventory_distinct_ai AFTER INSERT ON main.inventory_devices
      BEGIN SELECT stagebench_inventory_distinct(new.owner_email, new.model); END;
    CREATE TEMP TRIGGER IF NOT EXISTS stagebench_inventory_distinct_au AFTER UPDATE OF owner_email, model ON main.inventory_devices
      BEGIN SELECT stagebench_inventory_distinct(new.owner_email, new.model); END;`);
  return own;
}

/**
 * The distinct non-NULL values of `column` (one per NOCASE-equal group); may also hold values no
 * entry has any longer (see the module comment). Do not modify the returned array.
 */
export function distinctValues(db: Db, column: DistinctColumn): string[] {
  const cache = cacheOf(db);
  const dataVersion = db.pragma('data_version', { simple: true }) as number;
  const hit = cache.get(column);
  if (hit && hit.dataVersion === dataVersion) return hit.values;
  const values = cachedStatement(db, `WITH RECURSIVE v(x) AS (
      SELECT (SELECT ${column} FROM inventory_devices WHERE ${column} IS NOT NULL ORDER BY ${column} LIMIT 1)
      UNION ALL
      SELECT (SELECT ${column} FROM inventory_devices WHERE ${column} > v.x ORDER BY ${column} LIMIT 1) FROM v WHERE v.x IS NOT NULL)
    SELECT x FROM v WHERE x IS NOT NULL`).pluck(true).all() as string[];
  // Read inside a transaction, the list may lack values of rows it deleted and could roll back: not kept.
  if (!db.inTransaction) cache.set(column, { dataVersion, values, seen: new Set(values.map(nocase)) });
  return values;
}
