/**
 * Sync page channels (tenant connection, status, Sync now, outbox, conflicts): zod schemas merged
 * into the one channel map (contract.ts). Shapes follow main/sync/types.ts and
 * main/tenant/settings.ts. The tenant password is input only: it is sealed by the service and
 * never comes back (`passwordSet` says one is stored).
 */
import { z } from 'zod';

import { SYNC_CHANNELS } from './names-sync';

export { SYNC_CHANNELS };

const noInput = z.union([z.undefined(), z.null(), z.strictObject({})]);
const record = z.record(z.string(), z.unknown());
const entity = z.enum(['device', 'user']);
const op = z.enum(['retire', 'wipe', 'update', 'create', 'invite', 'delete']);

/** Tenant settings without the password (main/tenant `TenantSettingsView`). */
export const tenantSettingsSchema = z.object({
  url: z.string(),
  user: z.string(),
  partitionName: z.string().nullable(),
  partitionId: z.string().nullable(),
  updatedAt: z.string(),
  passwordSet: z.literal(true),
});

/** `SyncStatus` (main/sync/types.ts) plus the stored settings (null = not configured). */
export const syncStatusSchema = z.object({
  configured: z.boolean(),
  tenantUrl: z.string().nullable(),
  user: z.string().nullable(),
  partitionName: z.string().nullable(),
  running: z.boolean(),
  progress: z.object({ phase: z.enum(['idle', 'connect', 'push', 'pull']), stream: z.string().optional(), done: z.number(), total: z.number().nullable() }),
  online: z.boolean().nullable(),
  lastSuccessAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  pending: z.number().int(),
  conflicts: z.number().int(),
  failed: z.number().int(),
  mirror: z.object({ devices: z.number().int(), users: z.number().int() }),
  settings: tenantSettingsSchema.nullable(),
});

/** Result of one sync run (main/sync `SyncResult`, pull stats reduced to upserted/deleted). */
export const syncResultSchema = z.object({
  ok: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string(),
  pushed: z.number().int(),
  conflicts: z.number().int(),
  failed: z.number().int(),
  pulled: z.record(z.string(), z.object({ upserted: z.number().int(), deleted: z.number().int() })),
  error: z.string().optional(),
  errorKind: z.string().optional(),
});

/** An outbox entry (main/sync `OutboxEntry`, without the idempotency key). */
export const outboxEntrySchema = z.object({
  seq: z.number().int(),
  entity,
  entityId: z.string(),
  op,
  payload: record,
  state: z.enum(['pending', 'sending', 'conflict', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  actor: z.string(),
  createdAt: z.string(),
});

/** A conflict (main/sync `SyncConflict`): my change and the tenant's current record. */
export const syncConflictSchema = z.object({
  id: z.number().int(),
  entity,
  entityId: z.string(),
  tenantId: z.string().nullable(),
  op,
  kind: z.enum(['changed', 'deleted']),
  mine: z.object({ op, payload: record }),
  theirs: record.nullable(),
  baseRevision: z.string().nullable(),
  theirRevision: z.string().nullable(),
  detectedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolution: z.enum(['keep-mine', 'take-theirs']).nullable(),
});

/** The sync channel map (same shape as contract.ts `channels` entries). */
export const syncChannels = {
  'sync:status': { summary: 'tenant sync status and settings (no password)', input: noInput, output: syncStatusSchema },
  'sync:configure': {
    summary: 'save the tenant connection (the password is sealed and never shown again)',
    input: z.strictObject({
      url: z.string().min(1, 'must not be empty').max(2000),
      user: z.string().min(1, 'must not be empty').max(200),
      password: z.string().min(1, 'must not be empty').max(1000),
      partitionName: z.string().max(200).optional(),
    }),
    output: tenantSettingsSchema,
    secrets: [['password']] as const,
  },
  'sync:run': { summary: 'sync with the tenant now (push the outbox, pull devices and users)', input: noInput, output: syncResultSchema },
  'sync:outbox': { summary: 'local changes waiting for the tenant', input: noInput, output: z.array(outboxEntrySchema) },
  'sync:conflicts': { summary: 'open conflicts between local changes and the tenant', input: noInput, output: z.array(syncConflictSchema) },
  'sync:resolve': {
    summary: 'resolve a conflict: keep mine (push again) or take theirs (drop mine)',
    input: z.strictObject({ id: z.number().int().positive(), resolution: z.enum(['keep-mine', 'take-theirs']) }),
    output: syncConflictSchema,
  },
} satisfies Record<(typeof SYNC_CHANNELS)[number], { summary: string; input: z.ZodType; output: z.ZodType; secrets?: readonly (readonly string[])[] }>;

/** Sync status as the renderer sees it. */
export type SyncStatusOut = z.output<typeof syncStatusSchema>;
/** An outbox entry as the renderer sees it. */
export type OutboxEntryOut = z.output<typeof outboxEntrySchema>;
/** A conflict as the renderer sees it. */
export type SyncConflictOut = z.output<typeof syncConflictSchema>;
/** A sync run result as the renderer sees it. */
export type SyncResultOut = z.output<typeof syncResultSchema>;
