/**
 * Pull: sweeps one tenant listing page by page (`rows` ≤ 500, `start` offset). Each page is
 * applied in one transaction together with the checkpoint advance, so the checkpoint never runs
 * ahead of committed data and an interrupted sweep resumes where it stopped. Records with local
 * changes still in the outbox are not overwritten (only marked seen). When the sweep reaches the
 * end, mirrored records it did not see are deletion candidates: each is confirmed with a direct
 * read (offset paging can skip a record when another is deleted mid-sweep), then marked deleted —
 * an item absent from a complete listing is the only deletion signal Ivanti gives (§9: no
 * modifiedSince filter, CPS events kept 180 minutes).
 */
import type { Db } from '../store';
import type { AdapterContext, EntityAdapter } from './adapters';
import { advanceSweep, beginSweep, completeSweep, readCheckpoint } from './checkpoint';
import { MIRROR_TABLE, MirrorWriter, markMirrorDeleted } from './mirror';
import { entitiesWithLocalChanges } from './outbox';
import type { PullStats, SyncHooks, SyncProgress } from './types';

/** Options of pullStream. */
export interface PullOptions {
  /** Page size, 1–500 (default 500). */
  rows?: number;
  hooks?: SyncHooks;
  onProgress?: (p: SyncProgress) => void;
  /** Checked between pages; true = stop (the checkpoint keeps the position). */
  shouldStop?: () => boolean;
  /** Called after each committed page (tests use it to interrupt at a known point). */
  afterPage?: (start: number, count: number) => void;
}

/**
 * Runs (or resumes) a sweep of `adapter`'s listing. Throws the tenant errors (auth, unavailable)
 * with every committed page kept.
 */
export async function pullStream(ctx: AdapterContext, adapter: EntityAdapter, opts: PullOptions = {}): Promise<PullStats> {
  const db = ctx.db;
  const rows = opts.rows ?? 500;
  const stats: PullStats = { pages: 0, upserted: 0, skippedPending: 0, deleted: 0, sweepComplete: false };
  let cp = readCheckpoint(db, adapter.stream);
  if (!cp.sweepId) cp = beginSweep(db, adapter.stream);
  const sweep = cp.sweepId!;
  let start = cp.nextStart;
  const writer = new MirrorWriter(db);
  for (;;) {
    if (opts.shouldStop?.()) return stats;
    const page = await adapter.listPage(ctx, start, rows);
    const now = new Date().toISOString();
    db.transaction(() => {
      const pending = entitiesWithLocalChanges(db, adapter.entity);
      for (const rec of page.records) {
        const id = String(rec.id);
        if (pending.has(id)) {
          writer.touch(adapter.entity, id, sweep);
          stats.skippedPending++;
          continue;
        }
        adapter.upsert(writer, ctx, rec, sweep, now);
        opts.hooks?.afterApply?.({ entity: adapter.entity, kind: 'pulled', tenantId: id, record: rec });
        stats.upserted++;
      }
      advanceSweep(db, adapter.stream, start + page.records.length, page.totalCount, now);
    })();
    stats.pages++;
    opts.afterPage?.(start, page.records.length);
    start += page.records.length;
    opts.onProgress?.({ phase: 'pull', stream: adapter.stream, done: start, total: page.totalCount });
    if (page.records.length < rows || start >= page.totalCount) break;
  }
  stats.deleted = await finishSweep(ctx, adapter, sweep, opts);
  stats.sweepComplete = true;
  return stats;
}

async function finishSweep(ctx: AdapterContext, adapter: EntityAdapter, sweep: string, opts: PullOptions): Promise<number> {
  const db = ctx.db;
  const table = MIRROR_TABLE[adapter.entity];
  const scope = adapter.entity === 'device' ? 'AND partition_id = ?' : '';
  const args = adapter.entity === 'device' ? [sweep, ctx.partitionId] : [sweep];
  const unseen = db.prepare(`SELECT id FROM ${table} WHERE deleted_at IS NULL AND (last_seen_sweep IS NULL OR last_seen_sweep != ?) ${scope}`).pluck().all(...args) as string[];
  let deleted = 0;
  const writer = new MirrorWriter(db);
  for (const id of unseen) {
    if (opts.shouldStop?.()) return deleted; // sweep stays open; the next run repeats this step
    const pending = entitiesWithLocalChanges(db, adapter.entity);
    if (pending.has(id)) continue;
    const current = await adapter.fetch(ctx, id);
    const now = new Date().toISOString();
    db.transaction(() => {
      if (entitiesWithLocalChanges(db, adapter.entity).has(id)) return;
      if (current) {
        adapter.upsert(writer, ctx, current, sweep, now); // skipped by offset paging, still there
        opts.hooks?.afterApply?.({ entity: adapter.entity, kind: 'pulled', tenantId: id, record: current });
      } else {
        markMirrorDeleted(db, adapter.entity, id, now);
        opts.hooks?.afterApply?.({ entity: adapter.entity, kind: 'deleted', tenantId: id, record: null });
        deleted++;
      }
    })();
  }
  db.transaction(() => completeSweep(db, adapter.stream))();
  return deleted;
}

/** Number of live mirrored records of each entity. */
export function mirrorCounts(db: Db): { devices: number; users: number } {
  return {
    devices: db.prepare('SELECT COUNT(*) FROM tenant_devices WHERE deleted_at IS NULL').pluck().get() as number,
    users: db.prepare('SELECT COUNT(*) FROM tenant_users WHERE deleted_at IS NULL').pluck().get() as number,
  };
}
