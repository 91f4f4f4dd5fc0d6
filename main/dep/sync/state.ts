/**
 * Sync cursor and phase of one ABM server (`dep_sync_state`), following NanoDEP `sync/syncer.go`:
 * phase `fetch` pages through `POST /server/devices`, phase `sync` through `POST /devices/sync`;
 * the cursor is Apple's opaque string, stored only together with the page it came with.
 */
import type { Db } from '../../store';

/** Sync phase: full listing or incremental changes. */
export type SyncPhase = 'fetch' | 'sync';

/** The stored state. Dates are ISO-8601. */
export interface SyncState {
  cursor: string | null;
  phase: SyncPhase;
  fetchedUntil: string | null;
  cursorUpdatedAt: string | null;
  fullSyncStartedAt: string | null;
  fullSyncCompletedAt: string | null;
  /** Number of the current full listing; devices it returned carry it (pruning). */
  listingGeneration: number;
}

/** Reads the state of `serverId` (a fresh `fetch` state when none is stored). */
export function getSyncState(db: Db, serverId: string): SyncState {
  const r = db.prepare('SELECT cursor, phase, fetched_until, cursor_updated_at, full_sync_started_at, full_sync_completed_at, listing_generation FROM dep_sync_state WHERE server_id = ?').get(serverId) as
    | { cursor: string | null; phase: SyncPhase; fetched_until: string | null; cursor_updated_at: string | null; full_sync_started_at: string | null; full_sync_completed_at: string | null; listing_generation: number }
    | undefined;
  if (!r) return { cursor: null, phase: 'fetch', fetchedUntil: null, cursorUpdatedAt: null, fullSyncStartedAt: null, fullSyncCompletedAt: null, listingGeneration: 0 };
  return { cursor: r.cursor, phase: r.phase, fetchedUntil: r.fetched_until, cursorUpdatedAt: r.cursor_updated_at, fullSyncStartedAt: r.full_sync_started_at, fullSyncCompletedAt: r.full_sync_completed_at, listingGeneration: r.listing_generation };
}

/** Writes cursor and phase (and optionally fetched_until), keeping lock columns. Call inside the page transaction. */
export function saveCursor(db: Db, serverId: string, cursor: string | null, phase: SyncPhase, at: string, fetchedUntil?: string | null): void {
  db.prepare('INSERT OR IGNORE INTO dep_sync_state (server_id) VALUES (?)').run(serverId);
  db.prepare('UPDATE dep_sync_state SET cursor = ?, phase = ?, cursor_updated_at = ?, fetched_until = COALESCE(?, fetched_until) WHERE server_id = ?').run(cursor, phase, at, fetchedUntil ?? null, serverId);
}

/** Starts a full listing: clears the cursor, phase `fetch`, records the start time and bumps the listing generation (used to prune devices no longer listed). */
export function startFullListing(db: Db, serverId: string, at: string): void {
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO dep_sync_state (server_id) VALUES (?)').run(serverId);
    db.prepare("UPDATE dep_sync_state SET cursor = NULL, phase = 'fetch', cursor_updated_at = ?, full_sync_started_at = ?, full_sync_completed_at = NULL, listing_generation = listing_generation + 1 WHERE server_id = ?").run(at, at, serverId);
  })();
}

/** Forgets the cursor (e.g. after a token for another ABM server was confirmed): the next sync is a full listing. */
export function resetSyncState(db: Db, serverId: string): void {
  db.prepare("UPDATE dep_sync_state SET cursor = NULL, phase = 'fetch', full_sync_started_at = NULL, full_sync_completed_at = NULL WHERE server_id = ?").run(serverId);
}
