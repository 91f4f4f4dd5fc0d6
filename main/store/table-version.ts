/**
 * Change tokens per table, for caches of query results on one connection:
 *
 *   const v = tableVersion(db, 'inventory_devices');   // e.g. "3:17"
 *   ... later: tableVersion(db, 'inventory_devices') !== v → the table may have changed
 *
 * The token is `PRAGMA data_version` (changes when another connection commits) and a counter of
 * this connection's row writes to the table, bumped by TEMP triggers (AFTER INSERT / UPDATE /
 * DELETE, so writes to other tables leave it alone). The counter lives in JS and never goes back,
 * so a rolled-back write also changes the token. Results computed inside a transaction that wrote
 * may see uncommitted rows: cache only what was read outside a transaction (`db.inTransaction`).
 * Table names are trusted code, never user input.
 */
import type { Db } from './db';

const counters = new WeakMap<Db, Map<string, number>>();

/** The change token of `table` on this connection (installs its TEMP triggers on first use). */
export function tableVersion(db: Db, table: string): string {
  let counts = counters.get(db);
  if (!counts) {
    const own = (counts = new Map<string, number>());
    counters.set(db, own);
    db.function('stagebench_table_touch', (name: unknown) => {
      own.set(String(name), (own.get(String(name)) ?? 0) + 1);
      return null;
    });
  }
  if (!counts.has(table)) {
    db.exec(['INSERT', 'UPDATE', 'DELETE'].map((op) => `CREATE TEMP TRIGGER IF NOT EXISTS stagebench_touch_${table}_${op.toLowerCase()}
      AFTER ${op} ON main.${table} BEGIN SELECT stagebench_table_touch('${table}'); END;`).join('\n'));
    counts.set(table, 0);
  }
  return `${db.pragma('data_version', { simple: true }) as number}:${counts.get(table)}`;
}
