/**
 * Entity adapters: how the sync engine lists, fetches and writes each entity on the tenant
 * (Ivanti Neurons for MDM v1 through TenantClient) and mirrors it locally. The engine (pull.ts,
 * push.ts) is generic over these; a new entity adds an adapter, its ops in entities.ts and a
 * mirror table.
 */
import type { Db } from '../store';
import { revisionOf, TenantNotFoundError, type TenantAccount, type TenantClient, type TenantDevice, type Page } from '../tenant';
import { findMirrorDeviceId, mirrorRecord, type MirrorWriter } from './mirror';
import { tenantIdFor } from './outbox';
import type { OutboxEntry, SyncEntity } from './types';

/** What an adapter needs: the client, the device space, the cache. */
export interface AdapterContext {
  client: TenantClient;
  /** dmPartitionId of the configured device space. */
  partitionId: string;
  db: Db;
}

/** Outcome of a push: the tenant id written, its new revision and record when known, or deleted. */
export interface PushOutcome {
  tenantId: string;
  revision: string | null;
  record: Record<string, unknown> | null;
  deleted?: boolean;
  /** Fields to merge into the mirror when the tenant returned no record. */
  optimistic?: Record<string, unknown>;
}

/** The adapter interface. Methods throw the tenant errors (TenantConflictError, TenantNotFoundError, …). */
export interface EntityAdapter {
  readonly entity: SyncEntity;
  /** Stream name of the pull checkpoint. */
  readonly stream: string;
  /** One page of the tenant listing (`rows` ≤ 500). */
  listPage(ctx: AdapterContext, start: number, rows: number): Promise<Page<Record<string, unknown>>>;
  /** The tenant's current record, or null when it does not exist. */
  fetch(ctx: AdapterContext, tenantId: string): Promise<Record<string, unknown> | null>;
  /** The tenant's record a failed `entry` collided with (for a create: the existing account with that uid). */
  fetchConflicting(ctx: AdapterContext, entry: OutboxEntry, tenantId: string | null): Promise<Record<string, unknown> | null>;
  /** Upserts a tenant record into the mirror. */
  upsert(w: MirrorWriter, ctx: AdapterContext, record: Record<string, unknown>, sweep: string | null, now: string): void;
  /** The tenant id `entry` targets; null for a create, or when the record cannot be found (→ conflict "deleted"). */
  resolveTenantId(ctx: AdapterContext, entry: OutboxEntry): Promise<string | null>;
  /** Sends `entry` with its idempotency key and If-Match base revision. */
  push(ctx: AdapterContext, entry: OutboxEntry, tenantId: string | null): Promise<PushOutcome>;
}

const writeOpts = (e: OutboxEntry): { idempotencyKey: string; ifMatch: string | null } => ({ idempotencyKey: e.mutationId, ifMatch: e.baseRevision });

/** Devices: `GET /api/v1/device`, retire/wipe, custom attributes. */
export const deviceAdapter: EntityAdapter = {
  entity: 'device',
  stream: 'devices',
  listPage: (ctx, start, rows) => ctx.client.listDevices({ dmPartitionId: ctx.partitionId, rows, start }) as Promise<Page<Record<string, unknown>>>,
  fetch: (ctx, id) => ctx.client.getDevice(id, ctx.partitionId),
  fetchConflicting: (ctx, _e, id) => (id ? ctx.client.getDevice(id, ctx.partitionId) : Promise.resolve(null)),
  upsert: (w, ctx, r, sweep, now) => w.upsertDevice(r as TenantDevice, ctx.partitionId, sweep, now),
  async resolveTenantId(ctx, e) {
    const mapped = tenantIdFor(ctx.db, 'device', e.entityId);
    if (mirrorRecord(ctx.db, 'device', mapped)) return mapped;
    const key = { serialNumber: e.payload.serialNumber as string | undefined, udid: e.payload.udid as string | undefined };
    const local = findMirrorDeviceId(ctx.db, key);
    if (local) return local;
    for (const [field, value] of [['serialNumber', key.serialNumber], ['udid', key.udid]] as const) {
      if (!value) continue;
      const page = await ctx.client.listDevices({ dmPartitionId: ctx.partitionId, rows: 2, start: 0, fq: `${field}=${value}` });
      if (page.records.length === 1) return String(page.records[0].id);
    }
    return /^\d+$/.test(mapped) ? mapped : null;
  },
  async push(ctx, e, id) {
    if (!id) throw new TenantNotFoundError(`device ${e.entityId} is not on the tenant`);
    if (e.op === 'retire' || e.op === 'wipe') {
      const r = await ctx.client.deviceAction(e.op, id, ctx.partitionId, { ...writeOpts(e), note: e.payload.note as string | undefined });
      return { tenantId: id, revision: r.revision, record: null, optimistic: { registrationState: e.op === 'retire' ? 'RETIRED' : 'WIPED' } };
    }
    if (e.op === 'update') {
      const attrs = e.payload.attributes as Record<string, string>;
      const r = await ctx.client.updateDeviceAttributes(id, ctx.partitionId, attrs, writeOpts(e));
      const cur = mirrorRecord(ctx.db, 'device', id);
      return { tenantId: id, revision: r.revision, record: r.record, optimistic: { customAttributes: { ...((cur?.customAttributes as object) ?? {}), ...attrs } } };
    }
    throw new Error(`device op ${e.op} is not supported`);
  },
};

/** Users: `GET /api/v1/account`, `POST /api/v1/accounts?sendInvite=`, update, invite, delete. */
export const userAdapter: EntityAdapter = {
  entity: 'user',
  stream: 'users',
  listPage: (ctx, start, rows) => ctx.client.listAccounts({ rows, start }) as Promise<Page<Record<string, unknown>>>,
  fetch: (ctx, id) => ctx.client.getAccount(id),
  async fetchConflicting(ctx, e, id) {
    if (e.op === 'create') {
      const uid = (e.payload.uid as string | undefined) ?? (e.payload.emailAddress as string);
      const p = await ctx.client.listAccounts({ rows: 1, start: 0, fq: `UID=${uid}` });
      return p.records[0] ?? null;
    }
    return id ? ctx.client.getAccount(id) : null;
  },
  upsert: (w, _ctx, r, sweep, now) => w.upsertUser(r as TenantAccount, sweep, now),
  async resolveTenantId(ctx, e) {
    if (e.op === 'create') return null;
    const mapped = tenantIdFor(ctx.db, 'user', e.entityId);
    if (mapped === e.entityId && !mirrorRecord(ctx.db, 'user', mapped) && !/^\d+$/.test(mapped)) {
      // A local id whose create has not been acknowledged (it would be blocked) or an unknown id.
      return null;
    }
    return mapped;
  },
  async push(ctx, e, id) {
    const p = e.payload;
    if (e.op === 'create') {
      const r = await ctx.client.createAccount({
        emailAddress: p.emailAddress as string, uid: p.uid as string | undefined, firstName: p.firstName as string | undefined,
        lastName: p.lastName as string | undefined, accountSource: p.accountSource as string | undefined,
      }, p.sendInvite !== false, { idempotencyKey: e.mutationId });
      return { tenantId: String(r.record!.id), revision: r.revision ?? revisionOf(r.record), record: r.record };
    }
    if (!id) throw new TenantNotFoundError(`user ${e.entityId} is not on the tenant`);
    if (e.op === 'update') {
      const r = await ctx.client.updateAccount(id, { emailAddress: p.emailAddress as string | undefined, firstName: p.firstName as string | undefined, lastName: p.lastName as string | undefined, enabled: p.enabled as boolean | undefined }, writeOpts(e));
      return { tenantId: id, revision: r.revision, record: r.record, optimistic: p };
    }
    if (e.op === 'invite') {
      const r = await ctx.client.sendInvite(id, writeOpts(e));
      return { tenantId: id, revision: r.revision, record: null, optimistic: { inviteState: 'SENT' } };
    }
    if (e.op === 'delete') {
      await ctx.client.deleteAccount(id, writeOpts(e));
      return { tenantId: id, revision: null, record: null, deleted: true };
    }
    throw new Error(`user op ${e.op} is not supported`);
  },
};

/** Adapters by entity. */
export const ADAPTERS: Readonly<Record<SyncEntity, EntityAdapter>> = { device: deviceAdapter, user: userAdapter };
