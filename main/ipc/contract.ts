/**
 * The one renderer ↔ main contract: every request/response channel with its zod input and output
 * schema, and every main → renderer event with its payload schema. Imported by the main process
 * (dispatcher, IPC registration), by the renderer (types only) and by the test bridge.
 * No electron import here.
 *
 * Conventions: bytes cross the boundary as base64 strings, dates as ISO-8601 strings. Input
 * schemas check shape and size only; semantic checks (URL forms, key sizes, topics …) are the
 * services' job and come back as validation issues the UI can show on the fields.
 */
import { z } from 'zod';
import type { DeviceRow, DeviceStageProgress, IdentityRow, ProfileRow, StageSummary } from '../app/types';
import type { EventName, InvokeChannel } from './names';
import { PROFILE_TARGETS, SCEP_KEY_SIZES, STAGE_STEPS, WIFI_ENCRYPTIONS } from './values';
import {
  appStatusSchema, fileOutputSchema, globalSearchSchema, settingsPatchSchema, settingsSchema, tableActionResultSchema, tableActionSchema,
  tableCriteriaSchema, tableDescriptionSchema, tableExportSchema, tableIdSchema, tableQuerySchema, tableWindowSchema,
  usersImportResultSchema,
} from './contract-shell';
import { depChannels } from './contract-dep';
import { registrationChannels } from './contract-registration';
import { blueprintChannels, blueprintEvents } from './contract-blueprints';
import { organizationChannels } from './contract-organizations';
import { syncChannels } from './contract-sync';

export { PROFILE_TARGETS, SCEP_KEY_SIZES, STAGE_STEPS, WIFI_ENCRYPTIONS } from './values';

/** Largest base64 payload accepted for a PKCS#12 file (≈ 1.5 MB decoded). */
export const MAX_P12_BASE64 = 2_000_000;
/** Largest base64 payload accepted for a profile or certificate file (≈ 7.5 MB decoded). */
export const MAX_FILE_BASE64 = 10_000_000;

const id = z.string().min(1, 'must not be empty').max(200);
const text = (max = 1000) => z.string().max(max);
const base64 = (max: number) =>
  z
    .string()
    .max(max, `is larger than ${max} base64 characters`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const noInput = z.union([z.undefined(), z.null(), z.strictObject({})]);

const stepName = z.enum(STAGE_STEPS);
const stepState = z.enum(['pending', 'running', 'done', 'failed', 'skipped']);
const stepStates = z.record(stepName, stepState);


/** `DeviceRow` (main/app/types.ts). */
export const deviceRowSchema: z.ZodType<DeviceRow> = z.object({
  udid: z.string(),
  deviceId: z.number().int().nullable(),
  attached: z.boolean(),
  paired: z.boolean(),
  productType: z.string().nullable(),
  productVersion: z.string().nullable(),
  deviceClass: z.string().nullable(),
  deviceName: z.string().nullable(),
  serialNumber: z.string().nullable(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
});

/** `DeviceStageProgress` (main/app/types.ts); `progress` is 0..1. */
export const stageProgressSchema: z.ZodType<DeviceStageProgress> = z.object({
  runId: z.string(),
  udid: z.string(),
  step: stepName,
  state: stepState,
  progress: z.number().min(0).max(1),
  message: z.string(),
  steps: stepStates,
});

/** `StageSummary` (main/app/types.ts). */
export const stageSummarySchema: z.ZodType<StageSummary> = z.object({
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  devices: z.array(
    z.object({ udid: z.string(), ok: z.boolean(), error: z.string().optional(), steps: stepStates }),
  ),
  succeeded: z.number().int(),
  failed: z.number().int(),
});

/** `IdentityRow` (main/app/types.ts); never carries key material. */
export const identityRowSchema: z.ZodType<IdentityRow> = z.object({
  id: z.string(),
  label: z.string(),
  subject: z.string(),
  issuer: z.string(),
  keyType: z.enum(['rsa', 'ec']),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprintSha256: z.string(),
  importedAt: z.string(),
});

/** `ProfileRow` (main/app/types.ts). */
export const profileRowSchema: z.ZodType<ProfileRow> = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['enrollment', 'wifi', 'imported']),
  payloadIdentifier: z.string(),
  payloadUuid: z.string(),
  target: z.enum(PROFILE_TARGETS),
  signed: z.boolean(),
  signerSubject: z.string().nullable(),
  payloadTypes: z.array(z.string()),
  createdAt: z.string(),
  sizeBytes: z.number().int().nonnegative(),
});

/** Application facts shown in the top bar and the empty states. */
export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** Absolute path of the data directory (SQLite cache, sealed secrets). */
  dataDir: z.string(),
  /** Where usbmuxd is reached: a UNIX socket path or `host:port`. */
  usbmuxdAddress: z.string(),
});

/** Wi-Fi settings for staging or for a Wi-Fi payload. `password` is a secret. */
export const wifiInputSchema = z.strictObject({
  ssid: text(64),
  password: text(256),
  encryption: z.enum(WIFI_ENCRYPTIONS),
});

/**
 * Form spec of an enrollment profile; mirrors main/profiles `EnrollmentProfileSpec` with bytes as
 * base64 and dates as ISO strings: Configuration (name → PayloadDisplayName, identifier →
 * PayloadIdentifier, organization, description, removalDate → RemovalDate), com.apple.mdm
 * (serverUrl, checkInUrl, topic), com.apple.security.scep (scep.*), com.apple.security.root
 * (anchors), optional com.apple.wifi.managed (wifi). `scep.challenge` and `wifi.password` are
 * secrets.
 */
export const profileSpecSchema = z.strictObject({
  name: text(200),
  identifier: text(200),
  organization: text(200).optional(),
  description: text(2000).optional(),
  os: z.enum(PROFILE_TARGETS),
  serverUrl: text(2000),
  checkInUrl: text(2000).optional(),
  topic: text(300),
  scep: z.strictObject({
    url: text(2000),
    name: text(200).optional(),
    /** One-line `/O=Org/CN=Name`. */
    subject: text(1000).optional(),
    challenge: text(1000).optional(),
    keysize: z.literal(SCEP_KEY_SIZES),
  }),
  /** Trust anchors, DER or PEM, base64. */
  anchors: z.array(z.strictObject({ filename: text(255), base64: base64(MAX_FILE_BASE64) })).max(20),
  wifi: z
    .strictObject({ ssid: text(64), password: text(256).optional(), encryption: z.enum(WIFI_ENCRYPTIONS).optional() })
    .optional(),
  /** ISO-8601 date (`2026-12-31`) or date-time. */
  removalDate: z.iso.date().or(z.iso.datetime({ offset: true })).optional(),
});

/**
 * One validation issue from the profile builder (main/profiles/errors.ts `ValidationIssue`):
 * `payloadType` names the payload (`Configuration` for the top level), `key` the key path inside it
 * (`ServerURL`, `PayloadContent.Keysize`), `rule` a stable code (`required`, `https`, `topic` …).
 */
export const validationIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  rule: z.string(),
  payloadType: z.string(),
  payloadIdentifier: z.string().optional(),
  key: z.string().optional(),
  message: z.string(),
});

/** A certificate as shown after verification (main/profiles `CertificateSummary`). */
export const certificateSummarySchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprintSha256: z.string(),
  serialNumber: z.string(),
});

/**
 * Result of verifying a profile file (main/profiles `ProfileInspection` without the content).
 * `valid`: signed, signature and digest check out and, when `caChecked`, the chain verifies to the
 * given CA. `problems` says why not.
 */
export const verifyResultSchema = z.object({
  signed: z.boolean(),
  valid: z.boolean(),
  caChecked: z.boolean(),
  problems: z.array(z.string()),
  signer: z.string().nullable(),
  chain: z.array(certificateSummarySchema),
  signingTime: z.string().nullable(),
  digestAlgorithm: z.string().nullable(),
  signatureAlgorithm: z.string().nullable(),
  identifier: z.string().nullable(),
  displayName: z.string().nullable(),
  payloads: z.array(z.string()),
});

/** Field paths (within a channel's input) that hold secrets; the dispatcher redacts their values. */
export type SecretPaths = readonly (readonly string[])[];

interface ChannelDef<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  /** Input fields that are secrets (never echoed in error text). */
  secrets?: SecretPaths;
  /** One-line description for docs and error text. */
  summary: string;
}

function channel<I extends z.ZodType, O extends z.ZodType>(def: ChannelDef<I, O>): ChannelDef<I, O> {
  return def;
}

/** The request/response channel map. */
export const channels = {
  'app:info': channel({ summary: 'application facts', input: noInput, output: appInfoSchema }),
  'devices:list': channel({ summary: 'attached devices', input: noInput, output: z.array(deviceRowSchema) }),
  'stage:run': channel({
    summary: 'stage every attached device',
    input: z.strictObject({
      /** Wi-Fi network installed first; null = no Wi-Fi step. */
      wifi: wifiInputSchema.nullable(),
      enrollmentProfileId: id,
      /** Limit the run to these devices; all attached devices when absent. */
      udids: z.array(id).max(256).optional(),
    }),
    output: stageSummarySchema,
    secrets: [['wifi', 'password']],
  }),
  'identities:import': channel({
    summary: 'import a PKCS#12 signing identity',
    input: z.strictObject({ p12Base64: base64(MAX_P12_BASE64).min(1, 'must not be empty'), password: text(1000), label: id }),
    output: identityRowSchema,
    secrets: [['password'], ['p12Base64']],
  }),
  'identities:list': channel({ summary: 'signing identities', input: noInput, output: z.array(identityRowSchema) }),
  'profiles:build': channel({
    summary: 'validate and build an enrollment profile',
    input: profileSpecSchema,
    output: z.object({
      issues: z.array(validationIssueSchema),
      /** XML preview (also when there are errors). */
      xml: z.string(),
      /** The saved profile when there were no errors. */
      profile: profileRowSchema.nullable(),
    }),
    secrets: [['scep', 'challenge'], ['wifi', 'password']],
  }),
  'profiles:sign': channel({
    summary: 'sign a profile with an identity',
    input: z.strictObject({ profileId: id, identityId: id }),
    output: profileRowSchema,
  }),
  'profiles:list': channel({ summary: 'built profiles', input: noInput, output: z.array(profileRowSchema) }),
  'profiles:get': channel({
    summary: 'a profile with its XML',
    input: z.strictObject({ id }),
    output: z.object({ profile: profileRowSchema, xml: z.string() }),
  }),
  'profiles:export': channel({
    summary: 'the bytes of a profile (signed CMS when signed)',
    input: z.strictObject({ id }),
    output: z.object({ filename: z.string(), mimeType: z.string(), base64: z.string() }),
  }),
  'profiles:verify': channel({
    summary: 'verify a profile file',
    input: z.strictObject({
      bytesBase64: base64(MAX_FILE_BASE64).min(1, 'must not be empty'),
      caPem: text(200_000).optional(),
    }),
    output: verifyResultSchema,
  }),
  'profiles:import': channel({
    summary: 'store a .mobileconfig file (signed or not) in the cache',
    input: z.strictObject({ name: text(200).min(1, 'must not be empty'), bytesBase64: base64(MAX_FILE_BASE64).min(1, 'must not be empty') }),
    output: profileRowSchema,
  }),
  'devices:install-profile': channel({
    summary: 'install a stored profile on one attached device (MCInstall)',
    input: z.strictObject({ udid: id, profileId: id }),
    output: z.object({ udid: z.string(), profileName: z.string() }),
  }),
  'stage:cancel': channel({
    summary: 'cancel the running staging job between steps',
    input: noInput,
    output: z.object({ cancelled: z.number().int() }),
  }),
  'app:status': channel({ summary: 'tenant, sync and feature status for the status bar', input: noInput, output: appStatusSchema }),
  'settings:get': channel({ summary: 'workstation settings', input: noInput, output: settingsSchema }),
  'settings:set': channel({ summary: 'change workstation settings', input: settingsPatchSchema, output: settingsSchema }),
  'search:global': channel({
    summary: 'devices and profiles matching a search (command palette)',
    input: z.strictObject({ query: text(200) }),
    output: globalSearchSchema,
  }),
  'table:describe': channel({ summary: 'columns, filters and actions of a table', input: z.strictObject({ table: tableIdSchema }), output: tableDescriptionSchema }),
  'table:query': channel({ summary: 'one window of a table', input: tableQuerySchema, output: tableWindowSchema }),
  'table:export': channel({ summary: 'a table (or the selected rows) as CSV', input: tableExportSchema, output: fileOutputSchema.extend({ rows: z.number().int() }) }),
  'table:action': channel({ summary: 'a bulk action on selected rows', input: tableActionSchema, output: tableActionResultSchema }),
  'users:import-csv': channel({
    summary: 'import registration users from CSV text (all or nothing unless acceptValidRows)',
    input: z.strictObject({ text: text(5_000_000).min(1, 'must not be empty'), acceptValidRows: z.boolean().optional() }),
    output: usersImportResultSchema,
  }),
  ...depChannels,
  ...registrationChannels,
  ...syncChannels,
  ...blueprintChannels,
  ...organizationChannels,
} satisfies Record<InvokeChannel, ChannelDef<z.ZodType, z.ZodType>>;

/** Event payload schemas (main → renderer). */
export const events = {
  'device:attached': deviceRowSchema,
  'device:detached': z.object({ udid: z.string(), deviceId: z.number().int().nullable() }),
  'stage:progress': stageProgressSchema,
  /** A file the OS asked the app to open (the `.mobileconfig` file association): name + base64 bytes. */
  'file:opened': z.object({ name: z.string().max(255), base64: base64(MAX_FILE_BASE64) }),
  ...blueprintEvents,
} satisfies Record<EventName, z.ZodType>;

/** The contract's channel map type. */
export type Channels = typeof channels;
/** Input accepted by a channel (after parsing). */
export type ChannelInput<C extends InvokeChannel> = z.input<Channels[C]['input']>;
/** Value a channel resolves to. */
export type ChannelOutput<C extends InvokeChannel> = z.output<Channels[C]['output']>;
/** Payload of an event. */
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** App info (`app:info`). */
export type AppInfo = z.output<typeof appInfoSchema>;
/** Enrollment profile form spec (`profiles:build` input). */
export type ProfileSpec = z.output<typeof profileSpecSchema>;
/** Wi-Fi settings. */
export type WifiInput = z.output<typeof wifiInputSchema>;
/** Validation issue naming payload and key. */
export type ValidationIssue = z.output<typeof validationIssueSchema>;
/** `profiles:build` result. */
export type BuildResult = ChannelOutput<'profiles:build'>;
/** `profiles:verify` result. */
export type VerifyResult = z.output<typeof verifyResultSchema>;
/** `profiles:export` result. */
export type ExportedFile = ChannelOutput<'profiles:export'>;

/** `app:status` result. */
export type AppStatus = z.output<typeof appStatusSchema>;
/** Workstation settings. */
export type Settings = z.output<typeof settingsSchema>;
/** `table:describe` result. */
export type TableDescriptionOut = z.output<typeof tableDescriptionSchema>;
/** `table:query` input. */
export type TableQueryIn = z.input<typeof tableQuerySchema>;
/** Search, sort and filters of a table request. */
export type TableCriteriaIn = z.input<typeof tableCriteriaSchema>;
/** An ABM server row. */
export type { DepServerOut } from './contract-dep';
/** `users:import-csv` result. */
export type UsersImportOut = z.output<typeof usersImportResultSchema>;
/** `search:global` result. */
export type GlobalSearchResult = z.output<typeof globalSearchSchema>;

/** Error envelope crossing the boundary: a message safe to show, and an optional code. */
export interface IpcError {
  message: string;
  code?: string;
}
/** What a dispatched call resolves to. */
export type IpcEnvelope<T = unknown> = { ok: true; value: T } | { ok: false; error: IpcError };

export type { EventName, InvokeChannel } from './names';
export { EVENT_NAMES, INVOKE_CHANNELS } from './names';
