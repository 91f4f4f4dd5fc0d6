/**
 * Push: sends outbox entries in `seq` order. For each entry: mark it in flight and count the
 * attempt (committed), send it with its idempotency key and If-Match base revision, then in ONE
 * transaction record the acknowledgement (sync_acks), apply the result to the mirror, rebase later
 * entries of the same record onto the new revision, and delete the entry. A crash between the
 * tenant applying and that commit leaves the entry in the outbox; it is resent with the same key
 * and the tenant replays its stored answer instead of applying it again.
 *
 * 412/409 → conflict "changed"; 404 → conflict "deleted" (kept, the entry held, later entries of
 * the same record held behind it); other 4xx → entry failed (dead letter); auth errors, 5xx and
 * network errors (after the client's retries) stop the push with the entry still queued.
 */
import type { Db } from '../store';
import { revisionOf, TenantConflictError, TenantNotFoundError, TenantRejectedError, TenantInputError } from '../tenant';
import { ADAPTERS, type AdapterContext, type EntityAdapter, type PushOutcome } from './adapters';
import { markMirrorDeleted, MirrorWriter, patchMirror, setMirrorRevision } from './mirror';
import { getOutboxEntry, listOutbox, markFailed, markRetryLater, markSending } from './outbox';
import type { OutboxEntry, SyncHooks, SyncProgress } from './types';

/** Figures of one push. */
export interface PushStats {
  pushed: number;
  conflicts: number;
  failed: number;
}

/** Options of pushOutbox. */
export interface PushOptions {
  hooks?: SyncHooks;
  onProgress?: (p: SyncProgress) => void;
  /** Checked between entries; true = stop early (runner shutdown). */
  shouldStop?: () => boolean;
}

/**
 * Pushes every pushable entry once. Throws TenantAuthError / TenantUnavailableError (entry left
 * pending with last_error) to stop the sync; conflicts and rejections are recorded, not thrown.
 */
export async function pushOutbox(ctx: AdapterContext, opts: PushOptions = {}): Promise<PushStats> {
  const db = ctx.db;
  const stats: PushStats = { pushed: 0, conflicts: 0, failed: 0 };
  const blocked = new Set<string>();
  const entries = listOutbox(db);
  const total = entries.filter((e) => e.state === 'pending' || e.state === 'sending').length;
  let done = 0;
  for (const snapshot of entries) {
    if (opts.shouldStop?.()) break;
    const key = `${snapshot.entity}:${snapshot.entityId}`;
    // Re-read: an earlier ack may have rebased this entry's base revision.
    const e = getOutboxEntry(db, snapshot.seq);
    if (!e) continue;
    if (e.state === 'conflict' || e.state === 'failed' || blocked.has(key)) {
      blocked.add(key);
      continue;
    }
    const adapter = ADAPTERS[e.entity];
    opts.onProgress?.({ phase: 'push', stream: e.entity, done, total });
    let tenantId: string | null = null;
    try {
      tenantId = await adapter.resolveTenantId(ctx, e);
      markSending(db, e.seq);
      const outcome = await adapter.push(ctx, e, tenantId);
      if (!outcome.deleted && outcome.revision === null && outcome.record === null) {
        // The tenant told us nothing about the new state: read it back for the revision.
        const rec = await adapter.fetch(ctx, outcome.tenantId).catch(() => null);
        if (rec) {
          outcome.record = rec;
          outcome.revision = revisionOf(rec);
        }
      }
      acknowledge(db, adapter, ctx, e, outcome, opts.hooks);
      stats.pushed++;
    } catch (err) {
      if (err instanceof TenantConflictError || err instanceof TenantNotFoundError) {
        const theirs = await adapter.fetchConflicting(ctx, e, tenantId).catch(() => undefined);
        if (theirs === undefined) {
          markRetryLater(db, e.seq, `conflict detected but the tenant's record could not be read: ${(err as Error).message}`);
          throw err;
        }
        recordConflict(db, e, tenantId ?? (theirs ? String(theirs.id) : null), theirs, (err as Error).message);
        stats.conflicts++;
        blocked.add(key);
      } else if (err instanceof TenantRejectedError || err instanceof TenantInputError) {
        markFailed(db, e.seq, (err as Error).message);
        stats.failed++;
        blocked.add(key);
      } else {
        markRetryLater(db, e.seq, (err as Error).message);
        throw err;
      }
    }
    done++;
  }
  opts.onProgress?.({ phase: 'push', done, total });
  return stats;
}

/** Records the acknowledgement and applies it, then deletes the entry — one transaction. */
export function acknowledge(db: Db, adapter: EntityAdapter, ctx: AdapterContext, e: OutboxEntry, o: PushOutcome, hooks?: SyncHooks, now = new Date().toISOString()): void {
  db.transaction(() => {
    db.prepare('INSERT OR IGNORE INTO sync_acks (mutation_id, seq, entity, entity_id, tenant_id, op, revision, acked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(e.mutationId, e.seq, e.entity, e.entityId, o.tenantId, e.op, o.revision, now);
    if (o.tenantId !== e.entityId) {
      db.prepare('INSERT OR REPLACE INTO sync_entity_map (entity, local_id, tenant_id) VALUES (?, ?, ?)').run(e.entity, e.entityId, o.tenantId);
    }
    if (o.deleted) {
      markMirrorDeleted(db, e.entity, o.tenantId, now);
    } else if (o.record) {
      adapter.upsert(new MirrorWriter(db), ctx, o.record, null, now);
    } else {
      if (o.optimistic) patchMirror(db, e.entity, o.tenantId, o.optimistic, now);
      if (o.revision !== null) setMirrorRevision(db, e.entity, o.tenantId, o.revision);
    }
    if (o.revision !== null) {
      // Later changes of this record were made on top of this one: move their base to the new revision.
      db.prepare(`UPDATE sync_outbox SET base_revision = ? WHERE entity = ? AND seq > ? AND state IN ('pending', 'sending')
                  AND entity_id IN (?, ?) AND (base_revision IS ? OR base_revision IS NULL)`)
        .run(o.revision, e.entity, e.seq, e.entityId, o.tenantId, e.baseRevision);
    }
    db.prepare('DELETE FROM sync_outbox WHERE seq = ?').run(e.seq);
    hooks?.afterApply?.({ entity: e.entity, kind: 'acked', tenantId: o.tenantId, localId: e.entityId, op: e.op, record: o.deleted ? null : (o.record ?? null) });
  })();
}

/** Keeps a conflict: the entry is held (state conflict) and both sides are stored. */
export function recordConflict(db: Db, e: OutboxEntry, tenantId: string | null, theirs: Record<string, unknown> | null, message: string, now = new Date().toISOString()): void {
  db.transaction(() => {
    db.prepare(`INSERT INTO sync_conflicts (mutation_id, entity, entity_id, tenant_id, op, kind, mine_json, theirs_json, base_revision, their_revision, detected_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(e.mutationId, e.entity, e.entityId, tenantId, e.op, theirs ? 'changed' : 'deleted', JSON.stringify({ op: e.op, payload: e.payload }),
        theirs ? JSON.stringify(theirs) : null, e.baseRevision, revisionOf(theirs), now);
    db.prepare("UPDATE sync_outbox SET state = 'conflict', last_error = ?, updated_at = ? WHERE seq = ?").run(message, now, e.seq);
  })();
}
