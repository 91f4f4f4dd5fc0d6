/**
 * Device sync of one ABM server into SQLite, following AppleDocs fetch-devices / sync-devices and
 * NanoDEP `sync/syncer.go`:
 * 1. phase `fetch`: `POST /server/devices` with the stored cursor and `limit`, repeated while
 *    `more_to_follow`; 400 EXHAUSTED_CURSOR → the listing is complete, switch to `sync`;
 * 2. phase `sync`: `POST /devices/sync` with the cursor, repeated while `more_to_follow`;
 * 3. EXPIRED_CURSOR / INVALID_CURSOR / CURSOR_REQUIRED → clear the cursor and restart the full
 *    listing (at most twice a run).
 * Each page and its cursor are written in one transaction, so the stored cursor never runs
 * ahead of the stored devices. After a complete full listing, devices it did not return are
 * removed. The run holds the server's sync lock (./lock).
 */
import type { Db } from '../../store';
import type { DepClient } from '../api/client';
import { DepApiError } from '../api/errors';
import { DEP_MAX_LIMIT, type FetchDeviceResponse } from '../api/types';
import { deviceWriter, type PageCounts } from './apply';
import { acquireSyncLock, type SyncLockOptions } from './lock';
import { getSyncState, saveCursor, startFullListing, type SyncPhase } from './state';

/** Progress of a running sync (stderr in the CLI, a progress bar in the app). */
export interface SyncProgress {
  phase: SyncPhase;
  page: number;
  /** Devices received so far in this run. */
  received: number;
  added: number;
  modified: number;
  deleted: number;
  message: string;
}

/** Options of runDeviceSync. */
export interface SyncOptions {
  /** Restart with a full listing even when a cursor is stored ("Device Enrollment Full Sync"). */
  full?: boolean;
  /** Page size (1..1000, default 1000). */
  limit?: number;
  onProgress?: (p: SyncProgress) => void;
  lock?: SyncLockOptions;
  /** Clock (ms since epoch). */
  now?: () => number;
  /** Safety stop: pages a run may fetch (default 100000). */
  maxPages?: number;
}

/** Outcome of a run. */
export interface SyncResult {
  /** `full` when this run (re)started the listing from no cursor. */
  mode: 'full' | 'incremental';
  pages: number;
  received: number;
  added: number;
  modified: number;
  deleted: number;
  superseded: number;
  /** Devices removed because the completed full listing no longer contained them. */
  pruned: number;
  /** Times a cursor error forced a restart of the listing. */
  cursorResets: number;
  /** True when EXHAUSTED_CURSOR switched the run from fetch to sync. */
  exhaustedSwitch: boolean;
  /** True when a crashed sync's stale lock was taken over. */
  tookOverStaleLock: boolean;
  cursor: string | null;
  durationMs: number;
}

/**
 * Runs one sync of `serverId` with `client`. Throws SyncInProgressError when another sync holds
 * the lock, DepApiError for Apple errors other than the cursor ones handled above, RangeError for
 * a bad limit. Whatever pages were committed before a failure stay committed, with their cursor.
 */
export async function runDeviceSync(db: Db, client: DepClient, serverId: string, opts: SyncOptions = {}): Promise<SyncResult> {
  const limit = opts.limit ?? DEP_MAX_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > DEP_MAX_LIMIT) throw new RangeError(`the page limit must be 1 to ${DEP_MAX_LIMIT}, not ${limit}`);
  const now = opts.now ?? Date.now;
  const iso = (): string => new Date(now()).toISOString();
  const maxPages = opts.maxPages ?? 100_000;
  const started = now();
  const lock = acquireSyncLock(db, serverId, { now, ...opts.lock });
  const writer = deviceWriter(db);
  const result: SyncResult = {
    mode: 'incremental', pages: 0, received: 0, added: 0, modified: 0, deleted: 0, superseded: 0, pruned: 0,
    cursorResets: 0, exhaustedSwitch: false, tookOverStaleLock: lock.tookOverStale, cursor: null, durationMs: 0,
  };
  const progress = (phase: SyncPhase, message: string): void =>
    opts.onProgress?.({ phase, page: result.pages, received: result.received, added: result.added, modified: result.modified, deleted: result.deleted, message });
  try {
    let state = getSyncState(db, serverId);
    if (opts.full || !state.cursor) {
      startFullListing(db, serverId, iso());
      result.mode = 'full';
      state = getSyncState(db, serverId);
    }
    let generation = state.listingGeneration;
    let cursor = state.cursor;
    let phase: SyncPhase = cursor ? state.phase : 'fetch';
    progress(phase, phase === 'fetch' ? (cursor ? 'resuming the full device listing' : 'starting a full device listing') : 'syncing changes since the last sync');

    const restart = (why: string): void => {
      result.cursorResets++;
      if (result.cursorResets > 2) throw new DepApiError(`Apple keeps rejecting the device cursor (${why}); retry the full sync later`, 'POST /server/devices', 400, undefined, '');
      startFullListing(db, serverId, iso());
      generation = getSyncState(db, serverId).listingGeneration;
      result.mode = 'full';
      cursor = null;
      phase = 'fetch';
      progress(phase, `${why}: restarting the full device listing`);
    };

    for (;;) {
      if (result.pages >= maxPages) throw new Error(`stopped after ${maxPages} pages; Apple keeps reporting more_to_follow — retry the sync`);
      let page: FetchDeviceResponse;
      try {
        page = phase === 'fetch' ? await client.fetchDevices({ cursor: cursor ?? undefined, limit }) : await client.syncDevices({ cursor: cursor!, limit });
      } catch (err) {
        if (err instanceof DepApiError && phase === 'fetch' && err.code === 'EXHAUSTED_CURSOR' && cursor) {
          result.exhaustedSwitch = true;
          finishListing(db, serverId, cursor, iso(), result);
          phase = 'sync';
          progress(phase, 'the full listing is complete (EXHAUSTED_CURSOR); syncing changes');
          continue;
        }
        if (err instanceof DepApiError && err.cursorReset) {
          restart(err.code === 'EXPIRED_CURSOR' ? 'the cursor expired (older than 7 days)' : err.code === 'CURSOR_REQUIRED' ? 'Apple asked for a cursor' : 'Apple did not recognise the cursor');
          continue;
        }
        throw err;
      }
      const at = iso();
      let counts: PageCounts | undefined;
      const pagePhase = phase;
      db.transaction(() => {
        counts = writer.apply(serverId, page.devices, at, generation);
        saveCursor(db, serverId, page.cursor, pagePhase, at, page.fetched_until ?? null);
      })();
      cursor = page.cursor;
      result.pages++;
      result.received += counts!.received;
      result.added += counts!.added;
      result.modified += counts!.modified;
      result.deleted += counts!.deleted;
      result.superseded += counts!.superseded;
      lock.heartbeat();
      progress(phase, `${phase === 'fetch' ? 'listed' : 'synced'} page ${result.pages}: ${result.received} devices so far`);
      if (page.more_to_follow) continue;
      if (phase === 'fetch') {
        finishListing(db, serverId, cursor, iso(), result);
        phase = 'sync';
        progress(phase, 'the full listing is complete; syncing changes made meanwhile');
        continue;
      }
      break;
    }
    result.cursor = cursor;
    result.durationMs = now() - started;
    return result;
  } finally {
    lock.release();
  }
}

/** Ends a full listing: prunes devices it did not return, marks it complete, phase `sync`. */
function finishListing(db: Db, serverId: string, cursor: string, at: string, result: SyncResult): void {
  db.transaction(() => {
    const st = getSyncState(db, serverId);
    if (st.fullSyncStartedAt) {
      result.pruned += db.prepare('DELETE FROM dep_devices WHERE server_id = ? AND listing_generation < ?').run(serverId, st.listingGeneration).changes;
    }
    saveCursor(db, serverId, cursor, 'sync', at);
    db.prepare('UPDATE dep_sync_state SET full_sync_completed_at = ?, full_sync_started_at = NULL WHERE server_id = ?').run(at, serverId);
  })();
}
