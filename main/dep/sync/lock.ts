/**
 * The per-server sync lock, kept in SQLite (`dep_sync_state.lock_*`) so that two StageBench
 * processes (app and CLI) never sync one ABM server at once ("You cannot initiate the full sync
 * if it is already in progress", Ivanti Device Enrollment). A lock survives a crash: it is
 * stale — and taken over — when its heartbeat is older than `staleAfterMs`, or when it belongs
 * to a process on this host that no longer exists.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from '../../store';

/** Another sync of the server is running. `exitCode` 1 (an operation refused, not bad input). */
export class SyncInProgressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncInProgressError';
  }
}

/** Options of acquireSyncLock. Times in ms. */
export interface SyncLockOptions {
  /** A lock whose heartbeat is older than this is stale (default 10 min). */
  staleAfterMs?: number;
  /** Clock (ms since epoch). */
  now?: () => number;
  /** Identity of this process (defaults: os.hostname(), process.pid). */
  host?: string;
  pid?: number;
  /** Whether a pid on this host is alive (default: `process.kill(pid, 0)`). */
  isPidAlive?: (pid: number) => boolean;
}

/** A held lock: refresh with heartbeat() during long syncs; release() when done. */
export interface SyncLock {
  readonly owner: string;
  /** True when a stale lock of a crashed sync was taken over. */
  readonly tookOverStale: boolean;
  /** Refreshes the heartbeat. Throws SyncInProgressError if another process took the lock. */
  heartbeat(): void;
  /** Releases the lock if still held by this owner (idempotent). */
  release(): void;
}

interface LockRow {
  lock_owner: string | null;
  lock_pid: number | null;
  lock_host: string | null;
  lock_acquired_at: string | null;
  lock_heartbeat_at: string | null;
}

function defaultPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the sync lock of `serverId` in one IMMEDIATE transaction. Throws SyncInProgressError
 * (saying since when and where it runs) when a live lock is held.
 */
export function acquireSyncLock(db: Db, serverId: string, opts: SyncLockOptions = {}): SyncLock {
  const now = opts.now ?? Date.now;
  const staleAfter = opts.staleAfterMs ?? 10 * 60_000;
  const host = opts.host ?? os.hostname();
  const pid = opts.pid ?? process.pid;
  const alive = opts.isPidAlive ?? defaultPidAlive;
  const owner = crypto.randomUUID();
  let tookOverStale = false;
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO dep_sync_state (server_id) VALUES (?)').run(serverId);
    const row = db.prepare('SELECT lock_owner, lock_pid, lock_host, lock_acquired_at, lock_heartbeat_at FROM dep_sync_state WHERE server_id = ?').get(serverId) as LockRow;
    if (row.lock_owner) {
      const beat = Date.parse(row.lock_heartbeat_at ?? row.lock_acquired_at ?? '');
      const expired = Number.isNaN(beat) || now() - beat > staleAfter;
      const deadHere = row.lock_host === host && row.lock_pid !== null && row.lock_pid !== pid && !alive(row.lock_pid);
      if (!expired && !deadHere) {
        throw new SyncInProgressError(`a sync of this ABM server is already in progress (started ${row.lock_acquired_at}, process ${row.lock_pid} on ${row.lock_host}); wait for it to finish — a crashed sync's lock is released after ${Math.round(staleAfter / 60_000)} min without progress`);
      }
      tookOverStale = true;
    }
    const at = new Date(now()).toISOString();
    db.prepare('UPDATE dep_sync_state SET lock_owner = ?, lock_pid = ?, lock_host = ?, lock_acquired_at = ?, lock_heartbeat_at = ? WHERE server_id = ?').run(owner, pid, host, at, at, serverId);
  }).immediate();
  const heartbeatStmt = db.prepare('UPDATE dep_sync_state SET lock_heartbeat_at = ? WHERE server_id = ? AND lock_owner = ?');
  return {
    owner,
    tookOverStale,
    heartbeat() {
      if (heartbeatStmt.run(new Date(now()).toISOString(), serverId, owner).changes === 0) {
        throw new SyncInProgressError('the sync lost its lock (another process took it over as stale); stopping this sync');
      }
    },
    release() {
      db.prepare('UPDATE dep_sync_state SET lock_owner = NULL, lock_pid = NULL, lock_host = NULL, lock_acquired_at = NULL, lock_heartbeat_at = NULL WHERE server_id = ? AND lock_owner = ?').run(serverId, owner);
    },
  };
}

/** The live lock of a server, if any (for "sync running" display and delete refusal). */
export function currentSyncLock(db: Db, serverId: string, opts: SyncLockOptions = {}): { acquiredAt: string; pid: number; host: string } | null {
  const row = db.prepare('SELECT lock_owner, lock_pid, lock_host, lock_acquired_at, lock_heartbeat_at FROM dep_sync_state WHERE server_id = ?').get(serverId) as LockRow | undefined;
  if (!row?.lock_owner) return null;
  const now = (opts.now ?? Date.now)();
  const beat = Date.parse(row.lock_heartbeat_at ?? '');
  if (Number.isNaN(beat) || now - beat > (opts.staleAfterMs ?? 10 * 60_000)) return null;
  const host = opts.host ?? os.hostname();
  if (row.lock_host === host && row.lock_pid !== null && !(opts.isPidAlive ?? defaultPidAlive)(row.lock_pid)) return null;
  return { acquiredAt: row.lock_acquired_at ?? '', pid: row.lock_pid ?? 0, host: row.lock_host ?? '' };
}
