/**
 * Conflicts kept by push (sync_conflicts) and their resolution, done locally in one transaction
 * (nothing is sent until the next push):
 *
 * - take-theirs: the local change is dropped; the tenant's record (or its deletion) goes into the
 *   mirror; hooks hear `theirs` so the owning service can reset its row.
 * - keep-mine, record changed: the entry is requeued with the tenant's revision as its new base
 *   (it will overwrite their change, as the operator chose). For a user create that met an
 *   existing account with the same uid, the local id is mapped to that account and the create
 *   becomes an update of its names.
 * - keep-mine, record deleted: a user update/invite is requeued as a create of the account (new
 *   idempotency key) from the last known record plus the change; a user delete is simply done;
 *   a deleted device cannot be brought back (SyncInputError: take theirs).
 */
import crypto from 'node:crypto';
import type { Db } from '../store';
import { revisionOf } from '../tenant';
import { ADAPTERS } from './adapters';
import { SyncInputError, SyncNotFoundError } from './errors';
import { markMirrorDeleted, MirrorWriter, mirrorRecord } from './mirror';
import { getOutboxEntry } from './outbox';
import type { ConflictResolution, SyncConflict, SyncEntity, SyncHooks, SyncOp } from './types';

interface Row {
  id: number;
  mutation_id: string;
  entity: SyncEntity;
  entity_id: string;
  tenant_id: string | null;
  op: SyncOp;
  kind: 'changed' | 'deleted';
  mine_json: string;
  theirs_json: string | null;
  base_revision: string | null;
  their_revision: string | null;
  detected_at: string;
  resolved_at: string | null;
  resolution: ConflictResolution | null;
}

function toConflict(r: Row): SyncConflict {
  return {
    id: r.id, mutationId: r.mutation_id, entity: r.entity, entityId: r.entity_id, tenantId: r.tenant_id, op: r.op, kind: r.kind,
    mine: JSON.parse(r.mine_json) as SyncConflict['mine'], theirs: r.theirs_json ? (JSON.parse(r.theirs_json) as Record<string, unknown>) : null,
    baseRevision: r.base_revision, theirRevision: r.their_revision, detectedAt: r.detected_at, resolvedAt: r.resolved_at, resolution: r.resolution,
  };
}

/** Conflicts, newest first; `open` true (default) = unresolved only. */
export function listConflicts(db: Db, q: { open?: boolean; limit?: number } = {}): SyncConflict[] {
  const where = q.open === false ? '' : 'WHERE resolved_at IS NULL';
  return (db.prepare(`SELECT * FROM sync_conflicts ${where} ORDER BY id DESC LIMIT ?`).all(q.limit ?? 1000) as Row[]).map(toConflict);
}

/** One conflict, or null. */
export function getConflict(db: Db, id: number): SyncConflict | null {
  const r = db.prepare('SELECT * FROM sync_conflicts WHERE id = ?').get(id) as Row | undefined;
  return r ? toConflict(r) : null;
}

/**
 * Resolves open conflict `id` (see module comment) and returns it as resolved. Throws
 * SyncNotFoundError when there is no such open conflict, SyncInputError when keep-mine cannot
 * apply (deleted device).
 */
export function resolveConflict(db: Db, id: number, resolution: ConflictResolution, hooks?: SyncHooks, now = new Date().toISOString()): SyncConflict {
  if (resolution !== 'keep-mine' && resolution !== 'take-theirs') throw new SyncInputError(`resolution must be keep-mine or take-theirs, not "${String(resolution)}"`);
  return db.transaction((): SyncConflict => {
    const c = getConflict(db, id);
    if (!c) throw new SyncNotFoundError(`no conflict ${id}; list them with \`stagebench sync conflicts\``);
    if (c.resolvedAt) throw new SyncNotFoundError(`conflict ${id} was already resolved (${c.resolution}) at ${c.resolvedAt}`);
    const seq = db.prepare('SELECT seq FROM sync_outbox WHERE mutation_id = ?').pluck().get(c.mutationId) as number | undefined;
    const entry = seq === undefined ? null : getOutboxEntry(db, seq);
    if (resolution === 'take-theirs') {
      if (entry) db.prepare('DELETE FROM sync_outbox WHERE seq = ?').run(entry.seq);
      if (c.theirs) {
        const theirId = String(c.theirs.id);
        ADAPTERS[c.entity].upsert(new MirrorWriter(db), { db, partitionId: partitionOf(db, theirId), client: null as never }, c.theirs, null, now);
        if (c.op === 'create') db.prepare('INSERT OR REPLACE INTO sync_entity_map (entity, local_id, tenant_id) VALUES (?, ?, ?)').run(c.entity, c.entityId, theirId);
      } else if (c.tenantId) {
        markMirrorDeleted(db, c.entity, c.tenantId, now);
      }
      hooks?.afterApply?.({ entity: c.entity, kind: 'theirs', tenantId: c.tenantId ?? String(c.theirs?.id ?? ''), localId: c.entityId, op: c.op, record: c.theirs });
    } else if (entry) {
      keepMine(db, c, entry.seq, now);
    }
    db.prepare('UPDATE sync_conflicts SET resolved_at = ?, resolution = ? WHERE id = ?').run(now, resolution, id);
    return getConflict(db, id)!;
  })();
}

function keepMine(db: Db, c: SyncConflict, seq: number, now: string): void {
  const requeue = (base: string | null): void => {
    db.prepare("UPDATE sync_outbox SET state = 'pending', base_revision = ?, last_error = NULL, updated_at = ? WHERE seq = ?").run(base, now, seq);
  };
  if (c.kind === 'changed') {
    if (c.op === 'create' && c.entity === 'user' && c.theirs) {
      const theirId = String(c.theirs.id);
      db.prepare('INSERT OR REPLACE INTO sync_entity_map (entity, local_id, tenant_id) VALUES (?, ?, ?)').run(c.entity, c.entityId, theirId);
      const p = c.mine.payload;
      const fields = Object.fromEntries(Object.entries({ firstName: p.firstName, lastName: p.lastName, emailAddress: p.emailAddress }).filter(([, v]) => v !== undefined));
      db.prepare("UPDATE sync_outbox SET op = 'update', payload_json = ?, mutation_id = ?, state = 'pending', base_revision = ?, last_error = NULL, updated_at = ? WHERE seq = ?")
        .run(JSON.stringify(fields), crypto.randomUUID(), revisionOf(c.theirs), now, seq);
      return;
    }
    requeue(c.theirRevision);
    return;
  }
  // Deleted on the tenant.
  if (c.entity === 'device') throw new SyncInputError(`device ${c.tenantId ?? c.entityId} was deleted on the tenant; a device cannot be brought back from the bench — resolve with take-theirs`);
  if (c.op === 'delete') {
    db.prepare('DELETE FROM sync_outbox WHERE seq = ?').run(seq);
    if (c.tenantId) markMirrorDeleted(db, 'user', c.tenantId, now);
    return;
  }
  if (c.op === 'create') {
    requeue(null);
    return;
  }
  const last = (c.tenantId ? lastKnown(db, c.tenantId) : null) ?? {};
  const p = c.mine.payload;
  const emailAddress = (p.emailAddress ?? last.emailAddress) as string | undefined;
  if (!emailAddress) throw new SyncInputError(`user ${c.entityId} was deleted on the tenant and the bench does not know its email address to re-create it — resolve with take-theirs`);
  const payload = {
    emailAddress, uid: (last.uid as string | undefined) ?? emailAddress, firstName: (p.firstName ?? last.firstName) as string | undefined,
    lastName: (p.lastName ?? last.lastName) as string | undefined, accountSource: (last.accountSource as string | undefined) ?? 'LOCAL', sendInvite: true,
  };
  db.prepare("UPDATE sync_outbox SET op = 'create', payload_json = ?, mutation_id = ?, state = 'pending', base_revision = NULL, last_error = NULL, updated_at = ? WHERE seq = ?")
    .run(JSON.stringify(payload), crypto.randomUUID(), now, seq);
  // The re-created account gets a new tenant id; the old one maps to it once acknowledged.
  if (c.tenantId) {
    db.prepare('DELETE FROM sync_entity_map WHERE entity = ? AND local_id = ?').run('user', c.entityId);
    markMirrorDeleted(db, 'user', c.tenantId, now);
  }
}

function lastKnown(db: Db, tenantId: string): Record<string, unknown> | null {
  const live = mirrorRecord(db, 'user', tenantId);
  if (live) return live;
  const r = db.prepare('SELECT record_json FROM tenant_users WHERE id = ?').pluck().get(tenantId) as string | undefined;
  return r ? (JSON.parse(r) as Record<string, unknown>) : null;
}

function partitionOf(db: Db, deviceId: string): string {
  return (db.prepare('SELECT partition_id FROM tenant_devices WHERE id = ?').pluck().get(deviceId) as string | undefined)
    ?? (db.prepare('SELECT partition_id FROM tenant_settings WHERE id = 1').pluck().get() as string | undefined) ?? '';
}
