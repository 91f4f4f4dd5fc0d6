/**
 * Schemas of the Enrollment (ABM / Automated Device Enrollment) channels: ABM servers (listing,
 * add, public key, token upload, Test Connection, Full Sync, delete), DEP profiles (listing,
 * editor load/validate/save, certificate inspection, default, authentication, delete, Send now),
 * the Setup Assistant pane catalog, and ADE devices (windowed listing, bulk assign, CSV export).
 * ./contract spreads {@link depChannels} into the one channel map; names are listed in {@link DEP_CHANNELS}.
 *
 * Secrets: the token file and the macOS admin password are input-only and redacted from errors;
 * no output carries key material, token secrets or a password (only `hasAdminPassword`).
 */
import { z } from 'zod';
import type { DepChannel } from './names-dep';

const text = (max = 1000) => z.string().max(max);
const id = z.string().min(1, 'must not be empty').max(200);
const serverRef = text(100).min(1, 'must not be empty');
const base64 = (max: number) => z.string().max(max).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const noInput = z.union([z.undefined(), z.null(), z.strictObject({})]);
const optNum = z.number().finite().optional();

/** The Enrollment channel names (spread into INVOKE_CHANNELS in ./names; zod-free in ./names-dep). */
export { DEP_CHANNELS, type DepChannel } from './names-dep';

/** Token expiry warning (main/dep/token/expiry.ts): 30 / 7 / 1 day ahead, or expired. */
export const tokenWarningSchema = z.object({
  level: z.enum(['none', '30-days', '7-days', '1-day', 'expired']),
  daysLeft: z.number().int(),
  message: z.string(),
});

/** Progress of a running device sync (main/dep/sync `SyncProgress`, subset). */
export const depSyncProgressSchema = z.object({
  full: z.boolean(),
  startedAt: z.string(),
  phase: z.string(),
  page: z.number().int(),
  received: z.number().int(),
  message: z.string(),
});

/** An ABM server as the Enrollment page lists it (main/dep `DepServerRow` without certificate details) plus a running sync. */
export const depServerRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  appleAccount: z.string().nullable(),
  orgName: z.string().nullable(),
  appleServerName: z.string().nullable(),
  deviceCount: z.number().int(),
  profileCount: z.number().int(),
  lastSyncAt: z.string().nullable(),
  lastSyncStatus: z.enum(['succeeded', 'failed']).nullable(),
  lastSyncError: z.string().nullable(),
  hasToken: z.boolean(),
  tokenExpires: z.string().nullable(),
  tokenWarning: tokenWarningSchema.nullable(),
  createdAt: z.string(),
  /** The sync running now (this workstation), else null. */
  sync: depSyncProgressSchema.nullable(),
});

/** Sort columns of the server listing (main/dep SERVER_SORT_COLUMNS). */
export const DEP_SERVER_SORTS = ['name', 'account', 'org', 'devices', 'profiles', 'last-sync', 'token-expires'] as const;

/** Sync states of a DEP profile. */
export const DEP_SYNC_STATES = ['draft', 'pending', 'synced', 'error'] as const;

/** A DEP profile in listings (main/dep `DepProfileSummary`). */
export const depProfileSummarySchema = z.object({
  id: z.string(),
  serverId: z.string(),
  serverName: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  department: z.string().nullable(),
  supportPhone: z.string().nullable(),
  profileUuid: z.string().nullable(),
  isDefault: z.boolean(),
  syncState: z.enum(DEP_SYNC_STATES),
  lastError: z.string().nullable(),
  deviceCount: z.number().int(),
  pendingSends: z.number().int(),
  updatedAt: z.string(),
  syncedAt: z.string().nullable(),
});

const minimumOsVersion = z.strictObject({ osVersion: text(40), buildVersion: text(40).optional() });
const authentication = z.union([
  z.strictObject({ mode: z.literal('prompt') }),
  z.strictObject({ mode: z.literal('skip'), assignTo: z.literal('defined'), user: text(200) }),
  z.strictObject({ mode: z.literal('skip'), assignTo: z.literal('anonymous') }),
]);

/**
 * The Ivanti profile form (main/dep/profiles/form.ts `DepProfileForm`); shapes and sizes only —
 * the service validates the rules and answers issues per field. Never holds a password.
 */
export const depProfileFormSchema = z.strictObject({
  name: text(200),
  description: text(2000).optional(),
  department: text(200).optional(),
  url: text(2000).optional(),
  orgMagic: text(1000).optional(),
  supervised: z.boolean(),
  mdmRemovable: z.boolean(),
  mdmMandatory: z.boolean(),
  allowPairing: z.boolean(),
  anchorCerts: z.array(text(20_000)).max(20),
  supervisingHostCerts: z.array(text(20_000)).max(20),
  supportPhone: text(200).optional(),
  supportEmail: text(300).optional(),
  customEnrollment: z.strictObject({ enabled: z.boolean(), mode: z.enum(['hosted', 'custom']), url: text(2000).optional() }),
  minimumOs: z.strictObject({ enabled: z.boolean(), iOS: minimumOsVersion.optional(), macOS: minimumOsVersion.optional(), message: text(1000).optional() }),
  sharedIpad: z.strictObject({
    enabled: z.boolean(),
    quotaSizeMb: optNum,
    residentUsers: optNum,
    userSessionTimeout: optNum,
    temporarySessionTimeout: optNum,
    temporarySessionOnly: z.boolean(),
    managedAppleIdDefaultDomains: z.array(text(253)).max(50),
    onlineAuthenticationGracePeriodDays: optNum,
  }),
  autoLockTime: optNum,
  passcodeLockGracePeriod: optNum,
  timeZone: text(100).optional(),
  awaitDeviceConfigured: z.boolean(),
  awaitTimeLimitMinutes: z.number().finite(),
  autoAdvance: z.boolean(),
  language: text(20).optional(),
  region: text(20).optional(),
  skipSetupItems: z.array(text(100)).max(200),
  loginPageText: text(2000).optional(),
  authentication,
  macosAccounts: z.strictObject({
    skipAdminAccountCreation: z.boolean(),
    skipPrimaryAccountCreation: z.boolean(),
    primaryAccountsAsRegularUsers: z.boolean(),
    managedAdmin: z.strictObject({ fullName: text(200), accountName: text(244), hidden: z.boolean(), passwordIterations: z.number().int().optional() }).optional(),
    primaryAccount: z.strictObject({ fullName: text(200), shortName: text(244), preventModification: z.boolean() }).optional(),
  }),
});

/** One issue of a DEP profile (main/dep `DepProfileIssue`): the form field, Apple's (or StageBench's) code, rule, message. */
export const depProfileIssueSchema = z.object({
  field: z.string(),
  code: z.string(),
  rule: z.string(),
  source: z.enum(['apple', 'ivanti', 'stagebench']),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});

/** How the chosen skip keys resolve (main/dep `ResolvedSkipItems`): emitted items, implied keys with their reason. */
export const depResolvedSkipSchema = z.object({
  items: z.array(z.string()),
  chosen: z.array(z.string()),
  implied: z.array(z.object({ key: z.string(), impliedBy: z.string(), reason: z.string() })),
  rejected: z.array(z.object({ key: z.string(), reason: z.string() })),
  warnings: z.array(z.object({ key: z.string(), message: z.string() })),
});

/** An outbox item (main/dep `OutboxItem`, serial list shortened to its count). */
export const depOutboxItemSchema = z.object({
  id: z.number().int(),
  kind: z.enum(['define', 'assign']),
  state: z.enum(['pending', 'sent', 'error']),
  devices: z.number().int(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  updatedAt: z.string(),
});

/** A profile in full for the editor. */
export const depProfileDetailSchema = depProfileSummarySchema.extend({
  form: depProfileFormSchema,
  skip: depResolvedSkipSchema,
  warnings: z.array(depProfileIssueSchema),
  hasAdminPassword: z.boolean(),
  outbox: z.array(depOutboxItemSchema),
});

/** One certificate of `anchorCerts` / `supervisingHostCerts` (main/dep/profiles/certificates.ts `DepCertificateInfo`). */
export const depCertificateSchema = z.object({
  base64Der: z.string(),
  subject: z.string(),
  issuer: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  expired: z.boolean(),
  fingerprintSha256: z.string(),
  serialNumber: z.string(),
});

/** The managed admin password, typed twice; memory only. */
const adminPasswords = {
  adminPassword: text(1000).optional(),
  confirmAdminPassword: text(1000).optional(),
};
const PASSWORD_SECRETS = [['adminPassword'], ['confirmAdminPassword']] as const;

/** One Setup Assistant pane as listed for a platform (main/dep `PaneListing`, flattened). */
export const depPaneSchema = z.object({
  key: z.string(),
  title: z.string(),
  description: z.string(),
  introduced: z.string(),
  deprecated: z.string().nullable(),
  removed: z.string().nullable(),
  notAlwaysSkippable: z.boolean(),
  deprecatedAtMinimum: z.boolean(),
  introducedAfterMinimum: z.boolean(),
});

/** Setup Assistant editor platforms (main/dep SETUP_PLATFORMS). */
export const DEP_SETUP_PLATFORMS = ['iOS', 'macOS', 'tvOS', 'visionOS'] as const;

/** An ADE device with its local profile assignment. */
export const depDeviceSchema = z.object({
  serialNumber: z.string(),
  model: z.string().nullable(),
  description: z.string().nullable(),
  color: z.string().nullable(),
  assetTag: z.string().nullable(),
  os: z.string().nullable(),
  deviceFamily: z.string().nullable(),
  profileStatus: z.string().nullable(),
  profileId: z.string().nullable(),
  profileName: z.string().nullable(),
  assignmentState: z.enum(['pending', 'synced', 'error']).nullable(),
  lastStatus: z.string().nullable(),
  lastError: z.string().nullable(),
  enrolled: z.boolean(),
  assignedDate: z.string().nullable(),
});

/** Sort columns of the device listing. */
export const DEP_DEVICE_SORTS = ['serialNumber', 'model', 'os', 'deviceFamily', 'profileStatus', 'profileName', 'assignmentState', 'assignedDate'] as const;

/** Scope, search and sort of a device listing: the server's devices, or one profile's (`profileId`), or unassigned ones (`unassigned`). */
export const depDeviceCriteriaSchema = z.strictObject({
  serverId: id,
  profileId: id.optional(),
  unassigned: z.boolean().optional(),
  search: text(200).optional(),
  sort: z.enum(DEP_DEVICE_SORTS).optional(),
  desc: z.boolean().optional(),
});

const fileOut = z.object({ filename: z.string(), mimeType: z.string(), base64: z.string() });

interface Def<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  secrets?: readonly (readonly string[])[];
  summary: string;
}
const channel = <I extends z.ZodType, O extends z.ZodType>(d: Def<I, O>): Def<I, O> => d;

/** The Enrollment channel map (spread into ./contract `channels`). */
export const depChannels = {
  'dep:servers': channel({
    summary: 'ABM servers (search name, Apple account, organisation; sort)',
    input: z.union([noInput, z.strictObject({ search: text(200).optional(), sort: z.enum(DEP_SERVER_SORTS).optional(), desc: z.boolean().optional() })]),
    output: z.array(depServerRowSchema),
  }),
  'dep:add-server': channel({
    summary: 'add an ABM server; returns its public key certificate to upload to ABM',
    input: z.strictObject({ name: text(100).min(1, 'must not be empty'), baseUrl: text(500).optional() }),
    output: z.object({ server: depServerRowSchema, filename: z.string(), publicKeyPem: z.string() }),
  }),
  'dep:upload-token': channel({
    summary: 'upload an ABM server token (.p7m) to a server (the only one when `server` is omitted); E_CONSUMER_KEY_CHANGED asks for confirmation',
    input: z.strictObject({ server: text(100).optional(), bytesBase64: base64(10_000_000).min(1, 'must not be empty'), confirmNewConsumerKey: z.boolean().optional() }),
    output: z.object({ server: z.string(), tokenExpires: z.string(), consumerKeyChanged: z.boolean(), warning: z.string() }),
    secrets: [['bytesBase64']],
  }),
  'dep:public-key': channel({
    summary: 'the public key certificate (PEM) of a server, to upload in ABM',
    input: z.strictObject({ server: serverRef }),
    output: z.object({ filename: z.string(), publicKeyPem: z.string() }),
  }),
  'dep:test-connection': channel({
    summary: 'Test Connection: authenticate and read the ABM account',
    input: z.strictObject({ server: serverRef }),
    output: z.object({ server: depServerRowSchema, appleServerName: z.string().nullable(), orgName: z.string().nullable(), adminId: z.string().nullable() }),
  }),
  'dep:sync': channel({
    summary: 'device sync (Full Sync with `full`); refused while one runs (E_SYNC_IN_PROGRESS)',
    input: z.strictObject({ server: serverRef, full: z.boolean().optional() }),
    output: z.object({ mode: z.enum(['full', 'incremental']), received: z.number().int(), added: z.number().int(), modified: z.number().int(), deleted: z.number().int(), pruned: z.number().int(), defaultAssigned: z.number().int() }),
  }),
  'dep:delete-server': channel({
    summary: 'delete an ABM server with its devices (refused while it syncs)',
    input: z.strictObject({ server: serverRef }),
    output: z.object({ deleted: z.string() }),
  }),
  'dep:profiles': channel({
    summary: 'DEP profiles of a server',
    input: z.strictObject({ serverId: id }),
    output: z.array(depProfileSummarySchema),
  }),
  'dep:profile-get': channel({
    summary: 'one DEP profile for the editor',
    input: z.strictObject({ id }),
    output: depProfileDetailSchema,
  }),
  'dep:profile-validate': channel({
    summary: 'issues of an edited DEP profile form and how its skip keys resolve (nothing saved)',
    input: z.strictObject({ form: depProfileFormSchema, profileId: id.optional(), ...adminPasswords }),
    output: z.object({ issues: z.array(depProfileIssueSchema), skip: depResolvedSkipSchema }),
    secrets: PASSWORD_SECRETS,
  }),
  'dep:profile-save': channel({
    summary: 'create (serverId) or update (profileId) a DEP profile; errors come back as issues per field',
    input: z.strictObject({ serverId: id.optional(), profileId: id.optional(), form: depProfileFormSchema, draft: z.boolean().optional(), ...adminPasswords }),
    output: z.object({ profile: depProfileDetailSchema.nullable(), issues: z.array(depProfileIssueSchema) }),
    secrets: PASSWORD_SECRETS,
  }),
  'dep:inspect-certificate': channel({
    summary: 'read a certificate file (PEM, possibly several, or DER) for a profile\'s certificate lists: base64 DER, subject, validity, SHA-256; E_NOT_A_CERTIFICATE otherwise',
    input: z.strictObject({ bytesBase64: base64(200_000).min(1, 'must not be empty'), fileName: text(300).optional() }),
    output: z.object({ certificates: z.array(depCertificateSchema) }),
  }),
  'dep:profile-set-default': channel({
    summary: 'make a profile the default of its server',
    input: z.strictObject({ id }),
    output: depProfileSummarySchema,
  }),
  'dep:profile-auth': channel({
    summary: 'Edit Authentication of a profile',
    input: z.strictObject({ id, authentication }),
    output: z.object({ profile: depProfileDetailSchema.nullable(), issues: z.array(depProfileIssueSchema) }),
  }),
  'dep:profile-delete': channel({
    summary: 'delete a non-default profile; its devices move to the default',
    input: z.strictObject({ id }),
    output: z.object({ deleted: z.string(), reassigned: z.number().int() }),
  }),
  'dep:push': channel({
    summary: 'Send now: push the server\'s queued profile definitions and assignments to Apple',
    input: z.strictObject({ serverId: id }),
    output: z.object({
      sent: z.number().int(),
      failed: z.number().int(),
      remaining: z.number().int(),
      unreachable: z.boolean(),
      items: z.array(z.object({ profileName: z.string(), kind: z.enum(['define', 'assign']), outcome: z.enum(['sent', 'error', 'waiting', 'unreachable']), message: z.string() })),
    }),
  }),
  'dep:setup-panes': channel({
    summary: 'Setup Assistant panes per platform at the targeted minimum OS, and the skip conventions',
    input: z.strictObject({ minimums: z.partialRecord(z.enum(DEP_SETUP_PLATFORMS), z.string().regex(/^\d+(\.\d+)*$/, 'must be a version such as 17.0')).optional() }),
    output: z.object({
      platforms: z.array(z.object({ platform: z.enum(DEP_SETUP_PLATFORMS), label: z.string(), panes: z.array(depPaneSchema) })),
      conventions: z.array(z.object({ trigger: z.string(), implies: z.string(), reason: z.string() })),
    }),
  }),
  'dep:devices': channel({
    summary: 'one window of a server\'s ADE devices with their profile',
    input: depDeviceCriteriaSchema.extend({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(500) }),
    output: z.object({ rows: z.array(depDeviceSchema), total: z.number().int(), offset: z.number().int() }),
  }),
  'dep:devices-export': channel({
    summary: 'the listed ADE devices (or the selected serials) as CSV',
    input: depDeviceCriteriaSchema.extend({ serials: z.array(text(100)).min(1).max(100_000).optional() }),
    output: fileOut.extend({ rows: z.number().int() }),
  }),
  'dep:assign': channel({
    summary: 'assign devices (serials) to a profile of their server; queued for Apple',
    input: z.strictObject({ profileId: id, serials: z.array(text(100).min(1)).min(1).max(100_000) }),
    output: z.object({ assigned: z.number().int(), unchanged: z.number().int() }),
  }),
} satisfies Record<DepChannel, Def<z.ZodType, z.ZodType>>;

/** An ABM server row. */
export type DepServerOut = z.output<typeof depServerRowSchema>;
/** A DEP profile in listings. */
export type DepProfileSummaryOut = z.output<typeof depProfileSummarySchema>;
/** A DEP profile in full. */
export type DepProfileDetailOut = z.output<typeof depProfileDetailSchema>;
/** The profile form as it crosses the boundary. */
export type DepProfileFormIn = z.output<typeof depProfileFormSchema>;
/** One profile issue. */
export type DepProfileIssueOut = z.output<typeof depProfileIssueSchema>;
/** One inspected certificate. */
export type DepCertificateOut = z.output<typeof depCertificateSchema>;
/** Resolved skip keys. */
export type DepResolvedSkipOut = z.output<typeof depResolvedSkipSchema>;
/** One Setup Assistant pane. */
export type DepPaneOut = z.output<typeof depPaneSchema>;
/** An ADE device row. */
export type DepDeviceOut = z.output<typeof depDeviceSchema>;
/** A device sort column. */
export type DepDeviceSort = (typeof DEP_DEVICE_SORTS)[number];
/** A server sort column. */
export type DepServerSort = (typeof DEP_SERVER_SORTS)[number];
/** A Setup Assistant platform. */
export type DepSetupPlatform = (typeof DEP_SETUP_PLATFORMS)[number];
