/**
 * Bench blueprint channels and events: list / create / import / delete blueprints, apply one to
 * all or selected devices with live per-device progress (`blueprint:progress`), cancel, the
 * auto-apply switch, and per-device logs. Shapes follow main/blueprints/service.ts (`BlueprintView`)
 * and main/bench/runner.ts (`DeviceRunProgress`, `RunSummary`). Stored blueprints hold secret
 * references only; a Wi-Fi password is input once and sealed.
 */
import { z } from 'zod';
import { BLUEPRINT_CHANNELS, BLUEPRINT_EVENTS } from './names-blueprints';

export { BLUEPRINT_CHANNELS, BLUEPRINT_EVENTS };

const noInput = z.union([z.undefined(), z.null(), z.strictObject({})]);
const name = z.string().trim().min(1, 'must not be empty').max(64);
const stepState = z.enum(['pending', 'running', 'done', 'failed', 'skipped']);
const deviceState = z.enum(['queued', 'attached', 'paired', 'running', 'waiting', 'done', 'failed']);

/** A blueprint as the Bench shows it: its steps (in run order), readiness and auto-apply flag. */
export const blueprintSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  autoApply: z.boolean(),
  /** One line per action, e.g. `Wi-Fi "Lab"`, `Enrollment profile "Acme MDM"`, `Device name Lab-{counter}`. */
  actions: z.array(z.string()),
  ready: z.boolean(),
  problems: z.array(z.string()),
  updatedAt: z.string(),
});

/** The auto-apply session: whether it watches, for which blueprint, and the devices it is running on. */
export const autoApplyStateSchema = z.object({ active: z.boolean(), blueprint: z.string().nullable(), running: z.array(z.string()) });

/** One device's live progress in a blueprint run (runner `DeviceRunProgress`); `progress` 0..1. */
export const blueprintProgressSchema = z.object({
  runId: z.string(),
  udid: z.string(),
  blueprint: z.string(),
  step: z.string(),
  state: stepState,
  message: z.string(),
  progress: z.number().min(0).max(1),
  steps: z.record(z.string(), stepState),
  device: deviceState,
  attempt: z.number().int(),
});

/** A finished run (runner `RunSummary`). */
export const blueprintRunSchema = z.object({
  runId: z.string(),
  blueprint: z.string(),
  /** True when auto-apply started it. */
  auto: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string(),
  devices: z.array(z.object({ udid: z.string(), ok: z.boolean(), error: z.string().optional(), steps: z.record(z.string(), stepState), retries: z.number().int(), resumes: z.number().int() })),
  succeeded: z.number().int(),
  failed: z.number().int(),
});

/** A device log line (main/bench `DeviceLogLine`). */
export const deviceLogLineSchema = z.object({
  id: z.number().int(), runId: z.string(), udid: z.string(), at: z.string(), level: z.enum(['info', 'warn', 'error']), step: z.string().nullable(), message: z.string(),
});

const MAX_ACTIONS = 32;
const wifiEncryption = z.enum(['WPA2', 'WPA3', 'WPA', 'WEP', 'Any', 'None']);
const profileId = z.string().min(1).max(200);

/**
 * One blueprint action as the New-blueprint dialog sends it (main/blueprints/schema.ts validates
 * the result completely; these shapes only bound sizes and refuse unknown keys). `prepare.ade`
 * maps to the executor option `dep` (Automated Device Enrollment: DownloadAndApplyCloudConfiguration).
 */
export const blueprintActionInputSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('wifi'), ssid: z.string().min(1).max(64), password: z.string().max(256).optional(), encryption: wifiEncryption.optional(), hidden: z.boolean().optional() }),
  z.strictObject({ type: z.literal('enrollment-profile'), profileId }),
  z.strictObject({ type: z.literal('install-profile'), profileId }),
  z.strictObject({
    type: z.literal('prepare'),
    ade: z.boolean().optional(),
    supervised: z.boolean().optional(),
    organizationId: z.string().min(1).max(200).optional(),
    skipSetup: z.union([z.literal('all'), z.array(z.string().min(1).max(100)).max(200)]).optional(),
    language: z.string().min(2).max(35).optional(),
    locale: z.string().min(2).max(35).optional(),
  }),
  z.strictObject({ type: z.literal('device-name'), pattern: z.string().max(200), counterStart: z.number().int().min(0).max(1_000_000).optional() }),
  z.strictObject({ type: z.literal('locale'), language: z.string().max(35).optional(), region: z.string().max(35).optional(), timeZone: z.string().max(64).optional() }),
  z.strictObject({ type: z.literal('erase'), preserveDataPlan: z.boolean().optional() }),
]);

/** Skip keys a prepare action can send, per platform (main/apple/prepare `skipKeysFor`), with Apple's titles. */
export const skipKeyGroupSchema = z.object({
  platform: z.enum(['iOS', 'tvOS']),
  label: z.string(),
  keys: z.array(z.object({ key: z.string(), title: z.string(), description: z.string(), introduced: z.string() })),
});

/** The blueprint channel map (same shape as contract.ts `channels` entries). */
export const blueprintChannels = {
  'blueprints:list': {
    summary: 'blueprints and the auto-apply session',
    input: noInput,
    output: z.object({ blueprints: z.array(blueprintSummarySchema), autoApply: autoApplyStateSchema }),
  },
  'blueprints:create': {
    summary: 'create a blueprint: Wi-Fi, enrollment profile, other profiles, device name, or an ordered list of any actions (secrets sealed)',
    input: z.strictObject({
      name,
      description: z.string().max(500).optional(),
      wifi: z.strictObject({ ssid: z.string().min(1).max(64), password: z.string().max(256).optional(), encryption: z.enum(['WPA2', 'WPA3', 'WPA', 'WEP', 'Any', 'None']).optional() }).optional(),
      enrollmentProfileId: z.string().min(1).max(200).optional(),
      profileIds: z.array(z.string().min(1).max(200)).max(16).optional(),
      deviceNamePattern: z.string().max(200).optional(),
      /** The ordered action list (instead of the fields above, which make Wi-Fi → enrollment → profiles → name). */
      actions: z.array(blueprintActionInputSchema).min(1, 'add at least one action').max(MAX_ACTIONS).optional(),
    }),
    output: blueprintSummarySchema,
    secrets: [['wifi', 'password'], ...Array.from({ length: MAX_ACTIONS }, (_, i) => ['actions', String(i), 'password'] as const)],
  },
  'blueprints:import': {
    summary: 'import a blueprint export file (JSON); secrets it references must be entered again',
    input: z.strictObject({ text: z.string().min(1, 'must not be empty').max(1_000_000) }),
    output: z.object({ blueprint: blueprintSummarySchema, missingSecrets: z.array(z.string()) }),
  },
  'blueprints:delete': { summary: 'delete a blueprint', input: z.strictObject({ name }), output: z.object({ deleted: z.boolean() }) },
  'blueprints:apply': {
    summary: 'apply a blueprint to the selected (or all attached) devices; progress comes as blueprint:progress events',
    input: z.strictObject({ name, udids: z.array(z.string().min(1).max(200)).max(256).optional() }),
    output: blueprintRunSchema,
  },
  'blueprints:cancel': { summary: 'cancel the running blueprint applies between steps', input: noInput, output: z.object({ cancelled: z.number().int() }) },
  'blueprints:auto-apply': {
    summary: 'start auto-apply of a blueprint on every newly attached device (null: stop)',
    input: z.strictObject({ name: name.nullable() }),
    output: autoApplyStateSchema,
  },
  'blueprints:logs': {
    summary: 'per-device log lines (newest run first when no run is given)',
    input: z.strictObject({ udid: z.string().min(1).max(200), runId: z.string().max(200).optional(), limit: z.number().int().min(1).max(2000).optional() }),
    output: z.array(deviceLogLineSchema),
  },
  'blueprints:skip-keys': {
    summary: 'Setup Assistant skip keys a prepare action can send, grouped by platform',
    input: noInput,
    output: z.array(skipKeyGroupSchema),
  },
} satisfies Record<(typeof BLUEPRINT_CHANNELS)[number], { summary: string; input: z.ZodType; output: z.ZodType; secrets?: readonly (readonly string[])[] }>;

/** The blueprint event payload schemas. */
export const blueprintEvents = {
  'blueprint:progress': blueprintProgressSchema,
  'blueprint:run': blueprintRunSchema,
} satisfies Record<(typeof BLUEPRINT_EVENTS)[number], z.ZodType>;

/** A blueprint as the renderer sees it. */
export type BlueprintSummaryOut = z.output<typeof blueprintSummarySchema>;
/** Live progress of one device. */
export type BlueprintProgressOut = z.output<typeof blueprintProgressSchema>;
/** A finished blueprint run. */
export type BlueprintRunOut = z.output<typeof blueprintRunSchema>;
/** The auto-apply session. */
export type AutoApplyStateOut = z.output<typeof autoApplyStateSchema>;
/** Skip keys of one platform. */
export type SkipKeyGroupOut = z.output<typeof skipKeyGroupSchema>;
/** One action of `blueprints:create` `actions`. */
export type BlueprintActionInput = z.input<typeof blueprintActionInputSchema>;
/** A device log line. */
export type DeviceLogLineOut = z.output<typeof deviceLogLineSchema>;
