/**
 * Types of the offline-first sync between the bench cache and the Ivanti tenant. The design is a
 * server-authoritative mirror plus a local intent queue (outbox), after PowerSync's upload queue
 * and Replicache's named mutations (electron-and-sync.md §8): every local change is stored with an
 * outbox entry in one SQLite transaction; push sends entries in order with an idempotency key and
 * the base revision (If-Match); pull sweeps the tenant's paged listings (`rows`/`start`).
 */

/** Entities the sync carries: tenant devices and user accounts. */
export type SyncEntity = 'device' | 'user';

/** Operations per entity. device: retire, wipe (`PUT /api/v1/device/retire|wipe`), update (custom attributes). user: create (+ sendInvite), update, invite (resend), delete. */
export type SyncOp = 'retire' | 'wipe' | 'update' | 'create' | 'invite' | 'delete';

/**
 * A local change as other services record it (see recordLocalChange).
 * - `entityId`: the tenant id of the record, or — for a record created at the bench — the local
 *   id the creating service uses (mapped to the tenant id once the create is acknowledged; later
 *   changes may keep using the local id).
 * - `payload`: per op, see validateChange in entities.ts.
 * - `baseRevision`: the tenant revision the change was made against; undefined = the revision
 *   currently in the mirror (tenant_devices/tenant_users), null = unconditional.
 */
export interface LocalChange {
  entity: SyncEntity;
  entityId: string;
  op: SyncOp;
  payload?: Record<string, unknown>;
  baseRevision?: string | null;
  /** Who made the change (audit); default "unknown". */
  actor?: string;
}

/** State of an outbox entry: waiting, in flight (resent with the same key after a crash), held by a conflict, rejected by the tenant. */
export type OutboxState = 'pending' | 'sending' | 'conflict' | 'failed';

/** An outbox entry. `mutationId` is the idempotency key. Times are ISO-8601 UTC. */
export interface OutboxEntry {
  seq: number;
  mutationId: string;
  entity: SyncEntity;
  entityId: string;
  op: SyncOp;
  payload: Record<string, unknown>;
  baseRevision: string | null;
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  actor: string;
  createdAt: string;
  updatedAt: string;
}

/** A conflict found at push: `changed` = the tenant record's revision is not the base revision; `deleted` = it no longer exists. */
export interface SyncConflict {
  id: number;
  mutationId: string;
  entity: SyncEntity;
  entityId: string;
  tenantId: string | null;
  op: SyncOp;
  kind: 'changed' | 'deleted';
  /** The local change: `{op, payload}`. */
  mine: { op: SyncOp; payload: Record<string, unknown> };
  /** The tenant's current record, null when deleted. */
  theirs: Record<string, unknown> | null;
  baseRevision: string | null;
  theirRevision: string | null;
  detectedAt: string;
  resolvedAt: string | null;
  resolution: ConflictResolution | null;
}

/** How a conflict is resolved: push mine again over their revision, or drop mine and keep the tenant's record. */
export type ConflictResolution = 'keep-mine' | 'take-theirs';

/** Live progress of a sync run. `done`/`total` count outbox entries (push) or records (pull). */
export interface SyncProgress {
  phase: 'idle' | 'connect' | 'push' | 'pull';
  stream?: string;
  done: number;
  total: number | null;
}

/** Per-stream pull figures of one run. */
export interface PullStats {
  pages: number;
  upserted: number;
  skippedPending: number;
  deleted: number;
  /** True when the sweep reached the end of the listing in this run. */
  sweepComplete: boolean;
}

/** Result of one sync run. `error` set when it stopped early (offline, auth, …); nothing is lost then. */
export interface SyncResult {
  ok: boolean;
  startedAt: string;
  finishedAt: string;
  pushed: number;
  conflicts: number;
  failed: number;
  pulled: Partial<Record<SyncEntity, PullStats>>;
  error?: string;
  /** Error class name: TenantAuthError (fix the settings), TenantUnavailableError (offline; retried later), … */
  errorKind?: string;
}

/** Status for the UI and `stagebench sync status`. */
export interface SyncStatus {
  configured: boolean;
  tenantUrl: string | null;
  user: string | null;
  partitionName: string | null;
  partitionId: string | null;
  running: boolean;
  progress: SyncProgress;
  /** Result of the last connectivity probe or sync attempt; null = unknown yet. */
  online: boolean | null;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  lastError: string | null;
  /** Outbox entries waiting or in flight. */
  pending: number;
  /** Open conflicts. */
  conflicts: number;
  /** Outbox entries the tenant rejected (need attention). */
  failed: number;
  checkpoints: { stream: string; sweepInProgress: boolean; nextStart: number; totalCount: number | null; lastCompleteAt: string | null }[];
  mirror: { devices: number; users: number };
}

/** An event telling other services what the sync changed, inside the same transaction. */
export interface SyncApplyEvent {
  entity: SyncEntity;
  /** pulled = record upserted from the tenant; deleted = gone from the tenant; acked = a local change was acknowledged; theirs = a conflict was resolved with the tenant's record. */
  kind: 'pulled' | 'deleted' | 'acked' | 'theirs';
  tenantId: string;
  /** The outbox entry's entity id (local id for bench-created records), for acked/theirs. */
  localId?: string;
  op?: SyncOp;
  record: Record<string, unknown> | null;
}

/** Hooks other services pass to keep their own tables in step. Called inside the sync's transaction; throwing rolls it back. */
export interface SyncHooks {
  afterApply?(event: SyncApplyEvent): void;
}
