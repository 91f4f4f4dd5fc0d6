/** Sync status for the UI and `stagebench sync status` (see SyncStatus in types.ts). */
import type { Db } from '../store';
import { readTenantSettings } from '../tenant';
import { listCheckpoints } from './checkpoint';
import { outboxCounts } from './outbox';
import { mirrorCounts } from './pull';
import { getSyncState } from './state';
import type { SyncProgress, SyncStatus } from './types';

/** Reads the status from the cache; `live` adds what only the running process knows. */
export function readSyncStatus(db: Db, live: { running?: boolean; progress?: SyncProgress; online?: boolean | null } = {}): SyncStatus {
  const settings = readTenantSettings(db);
  const counts = outboxCounts(db);
  const online = getSyncState(db, 'online');
  return {
    configured: settings !== null,
    tenantUrl: settings?.url ?? null,
    user: settings?.user ?? null,
    partitionName: settings?.partitionName ?? null,
    partitionId: settings?.partitionId ?? null,
    running: live.running ?? false,
    progress: live.progress ?? { phase: 'idle', done: 0, total: null },
    online: live.online !== undefined && live.online !== null ? live.online : online === null ? null : online === 'true',
    lastSuccessAt: getSyncState(db, 'last_success_at'),
    lastAttemptAt: getSyncState(db, 'last_attempt_at'),
    lastError: getSyncState(db, 'last_error'),
    pending: counts.pending + counts.sending,
    conflicts: db.prepare('SELECT COUNT(*) FROM sync_conflicts WHERE resolved_at IS NULL').pluck().get() as number,
    failed: counts.failed,
    checkpoints: listCheckpoints(db).map((c) => ({ stream: c.stream, sweepInProgress: c.sweepId !== null, nextStart: c.nextStart, totalCount: c.totalCount, lastCompleteAt: c.lastCompleteAt })),
    mirror: mirrorCounts(db),
  };
}
