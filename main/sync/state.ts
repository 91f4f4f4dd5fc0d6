/** Small facts about the sync kept in `sync_state` (key → text): last success, last attempt, last error, online. */
import type { Db } from '../store';

/** Keys used in sync_state. */
export type SyncStateKey = 'last_success_at' | 'last_attempt_at' | 'last_error' | 'online' | 'last_probe_at';

/** Reads a key (null when unset). */
export function getSyncState(db: Db, key: SyncStateKey): string | null {
  return (db.prepare('SELECT value FROM sync_state WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
}

/** Sets (value string) or clears (null) keys, in one transaction. */
export function setSyncState(db: Db, values: Partial<Record<SyncStateKey, string | null>>): void {
  db.transaction(() => {
    for (const [k, v] of Object.entries(values)) {
      if (v === null || v === undefined) db.prepare('DELETE FROM sync_state WHERE key = ?').run(k);
      else db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(k, v);
    }
  })();
}
