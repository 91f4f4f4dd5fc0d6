/**
 * The outbox: local changes waiting for the tenant. recordLocalChange is what every service that
 * changes tenant data calls, inside its own write transaction, so the change and its outbox entry
 * commit together (or not at all). Each entry gets a random `mutation_id` — its idempotency key,
 * sent unchanged on every attempt — and the base revision it was made against.
 */
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Db } from '../store';
import { validateChange } from './entities';
import { findMirrorDeviceId, mirrorRevision } from './mirror';
import type { LocalChange, OutboxEntry, OutboxState, SyncEntity, SyncOp } from './types';

interface Row {
  seq: number;
  mutation_id: string;
  entity: SyncEntity;
  entity_id: string;
  op: SyncOp;
  payload_json: string;
  base_revision: string | null;
  state: OutboxState;
  attempts: number;
  last_error: string | null;
  actor: string;
  created_at: string;
  updated_at: string;
}

const changeEvents = new WeakMap<Db, EventEmitter>();

/**
 * Registers `cb` to run (asynchronously, after the current synchronous work, so after the caller's
 * transaction) whenever a local change is recorded on `db`. Returns the unsubscribe function.
 * The background runner uses it to trigger a sync.
 */
export function onLocalChange(db: Db, cb: (entry: OutboxEntry) => void): () => void {
  let em = changeEvents.get(db);
  if (!em) {
    em = new EventEmitter();
    em.setMaxListeners(50);
    changeEvents.set(db, em);
  }
  const wrapped = (e: OutboxEntry): void => void setImmediate(() => cb(e));
  em.on('change', wrapped);
  return () => em!.off('change', wrapped);
}

/** Resolves an entity id through sync_entity_map (local id of a bench-created record → tenant id); returns it unchanged when unmapped. */
export function tenantIdFor(db: Db, entity: SyncEntity, entityId: string): string {
  const r = db.prepare('SELECT tenant_id FROM sync_entity_map WHERE entity = ? AND local_id = ?').get(entity, entityId) as { tenant_id: string } | undefined;
  return r?.tenant_id ?? entityId;
}

/**
 * Records a local change in the outbox and returns the entry.
 *
 *   db.transaction(() => {
 *     …write your own row…
 *     recordLocalChange(db, { entity: 'user', entityId: localUserId, op: 'create', payload: { emailAddress }, actor });
 *   })();
 *
 * Runs in its own transaction when called outside one (better-sqlite3 nests as a savepoint
 * otherwise). `baseRevision` undefined = the mirror's current revision of the record (null when
 * not mirrored). A device change whose entityId is not a tenant id but whose payload names
 * `serialNumber`/`udid` is bound to the mirrored device with that serial/UDID (sync_entity_map).
 * Throws SyncInputError for an invalid change (nothing is written).
 */
export function recordLocalChange(db: Db, change: LocalChange, now = new Date()): OutboxEntry {
  const payload = validateChange(change);
  const entityId = change.entityId.trim();
  const at = now.toISOString();
  const entry = db.transaction((): OutboxEntry => {
    let tenantId = tenantIdFor(db, change.entity, entityId);
    if (change.entity === 'device' && tenantId === entityId && mirrorRevision(db, 'device', entityId) === null && (payload.serialNumber || payload.udid)) {
      // A service naming the device by serial/UDID (the inventory): bind its id to the mirrored tenant device now.
      const found = findMirrorDeviceId(db, { serialNumber: payload.serialNumber as string | undefined, udid: payload.udid as string | undefined });
      if (found) {
        db.prepare('INSERT OR IGNORE INTO sync_entity_map (entity, local_id, tenant_id) VALUES (?, ?, ?)').run('device', entityId, found);
        tenantId = found;
      }
    }
    const base = change.baseRevision !== undefined ? change.baseRevision : mirrorRevision(db, change.entity, tenantId);
    const mutationId = crypto.randomUUID();
    const info = db.prepare(`INSERT INTO sync_outbox (mutation_id, entity, entity_id, op, payload_json, base_revision, state, attempts, actor, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`).run(mutationId, change.entity, entityId, change.op, JSON.stringify(payload), base, change.actor ?? 'unknown', at, at);
    return {
      seq: Number(info.lastInsertRowid), mutationId, entity: change.entity, entityId, op: change.op, payload, baseRevision: base,
      state: 'pending', attempts: 0, lastError: null, actor: change.actor ?? 'unknown', createdAt: at, updatedAt: at,
    };
  })();
  changeEvents.get(db)?.emit('change', entry);
  return entry;
}

/** Converts a row. */
export function toEntry(r: Row): OutboxEntry {
  return {
    seq: r.seq, mutationId: r.mutation_id, entity: r.entity, entityId: r.entity_id, op: r.op, payload: JSON.parse(r.payload_json) as Record<string, unknown>,
    baseRevision: r.base_revision, state: r.state, attempts: r.attempts, lastError: r.last_error, actor: r.actor, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/** Outbox entries in push order, optionally only `states`. */
export function listOutbox(db: Db, q: { states?: OutboxState[]; limit?: number } = {}): OutboxEntry[] {
  const where = q.states?.length ? `WHERE state IN (${q.states.map(() => '?').join(',')})` : '';
  return (db.prepare(`SELECT * FROM sync_outbox ${where} ORDER BY seq LIMIT ?`).all(...(q.states ?? []), q.limit ?? 1_000_000) as Row[]).map(toEntry);
}

/** One entry by seq, or null. */
export function getOutboxEntry(db: Db, seq: number): OutboxEntry | null {
  const r = db.prepare('SELECT * FROM sync_outbox WHERE seq = ?').get(seq) as Row | undefined;
  return r ? toEntry(r) : null;
}

/** Counts per state. */
export function outboxCounts(db: Db): Record<OutboxState, number> {
  const out: Record<OutboxState, number> = { pending: 0, sending: 0, conflict: 0, failed: 0 };
  for (const r of db.prepare('SELECT state, COUNT(*) AS n FROM sync_outbox GROUP BY state').all() as { state: OutboxState; n: number }[]) out[r.state] = r.n;
  return out;
}

/**
 * Tenant ids of `entity` with any outbox entry (pending, in flight, in conflict or failed): pull
 * leaves these records as the bench has them until the entry is acknowledged or resolved.
 */
export function entitiesWithLocalChanges(db: Db, entity: SyncEntity): Set<string> {
  const rows = db.prepare(`SELECT DISTINCT COALESCE(m.tenant_id, o.entity_id) AS id FROM sync_outbox o
      LEFT JOIN sync_entity_map m ON m.entity = o.entity AND m.local_id = o.entity_id WHERE o.entity = ?`).pluck().all(entity) as string[];
  return new Set(rows);
}

/** Marks an entry in flight and counts the attempt (committed before the request is sent). */
export function markSending(db: Db, seq: number, now = new Date().toISOString()): void {
  db.prepare("UPDATE sync_outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE seq = ?").run(now, seq);
}

/** Puts an entry back to pending with the error that stopped it (network, tenant unavailable). */
export function markRetryLater(db: Db, seq: number, error: string, now = new Date().toISOString()): void {
  db.prepare("UPDATE sync_outbox SET state = 'pending', last_error = ?, updated_at = ? WHERE seq = ?").run(error, now, seq);
}

/** Marks an entry rejected by the tenant (dead letter; kept for the operator). */
export function markFailed(db: Db, seq: number, error: string, now = new Date().toISOString()): void {
  db.prepare("UPDATE sync_outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE seq = ?").run(error, now, seq);
}

/**
 * Requeues a failed entry (after the operator fixed the cause), or discards it. Throws
 * SyncNotFoundError-like Error when it is not failed.
 */
export function retryOrDiscardFailed(db: Db, seq: number, action: 'retry' | 'discard'): void {
  const e = getOutboxEntry(db, seq);
  if (!e || e.state !== 'failed') throw new Error(`outbox entry ${seq} is not a failed entry`);
  if (action === 'retry') db.prepare("UPDATE sync_outbox SET state = 'pending', last_error = NULL WHERE seq = ?").run(seq);
  else db.prepare('DELETE FROM sync_outbox WHERE seq = ?').run(seq);
}

/** Whether the mutation was acknowledged by the tenant (present in sync_acks). */
export function isAcknowledged(db: Db, mutationId: string): boolean {
  return db.prepare('SELECT 1 FROM sync_acks WHERE mutation_id = ?').get(mutationId) !== undefined;
}
