/**
 * One sync run: connect (resolve the device space — also the auth and connectivity check), push
 * the outbox, pull devices then users, and push again when new local changes arrived meanwhile
 * (push → pull → push, electron-and-sync.md §8.2). Errors stop the run without losing anything:
 * the outbox and the pull checkpoints hold the position. Only one run at a time per process is
 * the runner's job (runner.ts); the engine itself is re-entrant per db only through the runner.
 */
import type { SecretBox } from '../secrets';
import type { Db } from '../store';
import { openTenantConnection, savePartitionId, TenantClient, type Clock, type RetryPolicy } from '../tenant';
import { ADAPTERS, type AdapterContext } from './adapters';
import { resetCheckpoints } from './checkpoint';
import { acquireSyncLock, releaseSyncLock } from './lock';
import { outboxCounts } from './outbox';
import { pullStream } from './pull';
import { pushOutbox } from './push';
import { setSyncState } from './state';
import type { SyncEntity, SyncHooks, SyncProgress, SyncResult } from './types';

/** Options of runSync. */
export interface SyncRunOptions {
  /** Streams to pull, in order (default device, user); [] = push only. */
  entities?: SyncEntity[];
  /** Pull page size 1–500 (default 500). */
  rows?: number;
  hooks?: SyncHooks;
  onProgress?: (p: SyncProgress) => void;
  shouldStop?: () => boolean;
  /** Tenant client tuning (tests: fast retries, fake clock). */
  retry?: Partial<RetryPolicy>;
  clock?: Clock;
  random?: () => number;
  /** Per-request timeout, ms (default 30000). */
  timeoutMs?: number;
  /** Called after each committed pull page (tests). */
  afterPage?: (stream: string, start: number, count: number) => void;
}

/**
 * Runs one sync against the configured tenant and returns its figures. Never throws for tenant
 * or network trouble: the result has ok=false, `error` and `errorKind` (TenantAuthError: fix the
 * settings; TenantUnavailableError: offline, try later). Throws only for a missing configuration
 * (TenantInputError), a password the box cannot open (SecretBoxError), or another process
 * syncing the same data directory (SyncBusyError).
 */
export async function runSync(db: Db, box: SecretBox, opts: SyncRunOptions = {}): Promise<SyncResult> {
  const conn = openTenantConnection(db, box);
  acquireSyncLock(db);
  const startedAt = new Date().toISOString();
  const result: SyncResult = { ok: false, startedAt, finishedAt: startedAt, pushed: 0, conflicts: 0, failed: 0, pulled: {} };
  setSyncState(db, { last_attempt_at: startedAt });
  let client: TenantClient | null = null;
  try {
    client = new TenantClient({ baseUrl: conn.url, user: conn.user, password: conn.password, retry: opts.retry, clock: opts.clock, random: opts.random, timeoutMs: opts.timeoutMs });
    opts.onProgress?.({ phase: 'connect', done: 0, total: null });
    const partition = await client.resolvePartition(conn.partitionName);
    const partitionId = String(partition.id);
    if (partitionId !== conn.partitionId) {
      db.transaction(() => {
        if (conn.partitionId !== null) resetCheckpoints(db);
        savePartitionId(db, partitionId);
      })();
    }
    const ctx: AdapterContext = { client, partitionId, db };
    const push = async (): Promise<void> => {
      const s = await pushOutbox(ctx, { hooks: opts.hooks, onProgress: opts.onProgress, shouldStop: opts.shouldStop });
      result.pushed += s.pushed;
      result.conflicts += s.conflicts;
      result.failed += s.failed;
    };
    await push();
    for (const entity of opts.entities ?? (['device', 'user'] as SyncEntity[])) {
      if (opts.shouldStop?.()) break;
      const adapter = ADAPTERS[entity];
      result.pulled[entity] = await pullStream(ctx, adapter, {
        rows: opts.rows, hooks: opts.hooks, onProgress: opts.onProgress, shouldStop: opts.shouldStop,
        afterPage: opts.afterPage ? (s, n) => opts.afterPage!(adapter.stream, s, n) : undefined,
      });
    }
    const counts = outboxCounts(db);
    if (counts.pending + counts.sending > 0 && !opts.shouldStop?.()) await push();
    result.ok = true;
    result.finishedAt = new Date().toISOString();
    setSyncState(db, { last_success_at: result.finishedAt, last_error: null, online: 'true' });
  } catch (err) {
    const e = err as Error;
    result.error = e.message;
    result.errorKind = e.name;
    result.finishedAt = new Date().toISOString();
    const offline = e.name === 'TenantUnavailableError' && (e as { status?: number }).status === undefined;
    setSyncState(db, { last_error: e.message, online: offline ? 'false' : 'true' });
  } finally {
    client?.close();
    releaseSyncLock(db);
    opts.onProgress?.({ phase: 'idle', done: 0, total: null });
  }
  return result;
}
