/**
 * Schemas of the whole-product shell's channels (tables, status bar, settings, global search,
 * drag-and-drop imports), kept apart from the staging/profile schemas in ./contract, which builds
 * the channel map from both.
 */
import { z } from 'zod';
import { COLUMN_KINDS, TABLE_IDS } from './tables/types';

const shortText = (max = 200) => z.string().max(max);

/** A table id (`devices`, `audit`). */
export const tableIdSchema = z.enum(TABLE_IDS);

/** Search, sort and filters of a table request. */
export const tableCriteriaSchema = z.strictObject({
  table: tableIdSchema,
  search: shortText(200).optional(),
  sort: shortText(64).optional(),
  desc: z.boolean().optional(),
  /** Filter id → chosen values (OR within one filter, AND across filters). */
  filters: z.record(shortText(64), z.array(shortText(200)).max(100)).optional(),
});

/** `table:query` input: criteria plus the window (offset, 1..500 rows). */
export const tableQuerySchema = tableCriteriaSchema.extend({
  offset: z.number().int().min(0).max(10_000_000),
  limit: z.number().int().min(1).max(500),
});

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** `table:query` output. */
export const tableWindowSchema = z.object({
  rows: z.array(z.record(z.string(), cell)),
  total: z.number().int().min(0),
  offset: z.number().int().min(0),
});

/** `table:describe` output (main/ipc/tables/types.ts `TableDescription`). */
export const tableDescriptionSchema = z.object({
  table: tableIdSchema,
  source: z.enum(['inventory', 'bench-cache', 'audit-log']),
  sourceLabel: z.string(),
  rowKey: z.string(),
  columns: z.array(
    z.object({ id: z.string(), label: z.string(), kind: z.enum(COLUMN_KINDS), sortable: z.boolean(), width: z.number(), hidden: z.boolean().optional() }),
  ),
  filters: z.array(z.object({ id: z.string(), label: z.string(), options: z.array(z.object({ value: z.string(), label: z.string() })) })),
  actions: z.array(z.object({ id: z.string(), label: z.string(), destructive: z.boolean(), description: z.string() })),
  searchPlaceholder: z.string(),
  defaultSort: z.object({ id: z.string(), desc: z.boolean() }),
  selectable: z.boolean(),
});

/** `table:export` input: criteria, or only the selected rows' keys. */
export const tableExportSchema = tableCriteriaSchema.extend({
  keys: z.array(shortText(200)).min(1).max(10_000).optional(),
});

/** A downloadable file (base64 bytes). */
export const fileOutputSchema = z.object({ filename: z.string(), mimeType: z.string(), base64: z.string() });

/** `table:action` input and output. */
export const tableActionSchema = z.strictObject({ table: tableIdSchema, action: shortText(64), keys: z.array(shortText(200)).min(1).max(10_000) });
export const tableActionResultSchema = z.object({
  results: z.array(z.object({ key: z.string(), ok: z.boolean(), message: z.string().optional() })),
  succeeded: z.number().int(),
  failed: z.number().int(),
});

/**
 * `app:status`: the status bar and the pages' empty states. `tenant.state` is `not-configured`
 * until the sync service exists and has tenant settings; `pendingSync` is null without a sync
 * service. `features` says which product areas have a wired service.
 */
export const appStatusSchema = z.object({
  tenant: z.object({ state: z.enum(['not-configured', 'online', 'offline', 'unknown']), detail: z.string() }),
  pendingSync: z.number().int().nullable(),
  features: z.object({ inventory: z.boolean(), sync: z.boolean(), users: z.boolean(), ade: z.boolean() }),
});

/** Workstation settings (main/ipc/workstation-settings.ts). */
export const settingsSchema = z.object({ organizationName: z.string(), setupCompletedAt: z.string().nullable() });
/** `settings:set` input: the fields to change. */
export const settingsPatchSchema = z.strictObject({
  organizationName: shortText(200).optional(),
  setupCompleted: z.boolean().optional(),
});

/** `search:global` output. */
export const globalSearchSchema = z.object({
  devices: z.array(z.object({ key: z.string(), title: z.string(), serialNumber: z.string().nullable(), udid: z.string().nullable() })),
  profiles: z.array(z.object({ id: z.string(), name: z.string(), payloadIdentifier: z.string(), signed: z.boolean() })),
});

/** `users:import-csv` output (main/registration `UsersImportResult`, errors capped at 50). */
export const usersImportResultSchema = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(z.object({ line: z.number().int(), field: z.string(), message: z.string() })),
  notes: z.array(z.string()),
  written: z.boolean(),
});

/** An ABM (ADE) server as the Enrollment page lists it (no secret). */
export const depServerSchema = z.object({
  id: z.string(),
  name: z.string(),
  orgName: z.string().nullable(),
  hasToken: z.boolean(),
  tokenExpires: z.string().nullable(),
  deviceCount: z.number().int(),
  lastSyncAt: z.string().nullable(),
});
