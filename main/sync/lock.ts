/**
 * Cross-process "one sync at a time" for a data directory: a lock row in `sync_state` naming the
 * holder's pid, taken in an IMMEDIATE transaction. A lock whose process is gone (killed, crashed)
 * or that is older than `staleMs` is taken over.
 */
import type { Db } from '../store';

/** Another process is syncing this data directory. */
export class SyncBusyError extends Error {
  constructor(readonly pid: number) {
    super(`another StageBench process (pid ${pid}) is syncing this data directory; wait for it to finish`);
    this.name = 'SyncBusyError';
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the sync lock for this process; throws SyncBusyError when a live process holds it. `staleMs` default 1 h. */
export function acquireSyncLock(db: Db, staleMs = 3_600_000, now = Date.now()): void {
  db.transaction(() => {
    const cur = db.prepare("SELECT value FROM sync_state WHERE key = 'lock'").pluck().get() as string | undefined;
    if (cur) {
      const [pidText, atText] = cur.split(':');
      const pid = Number(pidText);
      if (pid !== process.pid && alive(pid) && now - Number(atText) < staleMs) throw new SyncBusyError(pid);
    }
    db.prepare("INSERT INTO sync_state (key, value) VALUES ('lock', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(`${process.pid}:${now}`);
  }).immediate();
}

/** Releases the lock when this process holds it. */
export function releaseSyncLock(db: Db): void {
  db.prepare("DELETE FROM sync_state WHERE key = 'lock' AND value LIKE ?").run(`${process.pid}:%`);
}
