/**
 * Blueprint shapes, validated with zod: a named, ordered list of actions applied to every device
 * dropped on it. Action types:
 *
 * | type | does | device protocol |
 * |---|---|---|
 * | `wifi` | installs a `com.apple.wifi.managed` profile | MCInstall InstallProfile |
 * | `enrollment-profile` | installs a stored signed MDM profile (`profileId`), or builds one per device from `template` (placeholders `{serial}` `{udid}` `{ecid}`) and signs it with stored identity `identityId` | MCInstall InstallProfile |
 * | `install-profile` | installs another stored profile (`profileId`) | MCInstall InstallProfile |
 * | `prepare` | Setup Assistant / supervision preparation; executed by the executor registered for `prepare` (main/apple/prepare) | MCInstall SetCloudConfiguration, … |
 * | `device-name` | sets DeviceName from `pattern` (placeholders.ts) | lockdownd SetValue DeviceName |
 * | `locale` | sets `language` (e.g. "de"), `region` (Locale, e.g. "de_DE"), `timeZone` (IANA) | lockdownd SetValue com.apple.international Language/Locale, TimeZone |
 * | `erase` | erases the device (must be the last action) | MCInstall EraseDevice |
 *
 * Secrets (a Wi-Fi `password`, a SCEP `challenge`) are accepted as input, then sealed in the cache
 * and replaced by a reference (`passwordRef`, `challengeRef`); stored and exported blueprints hold
 * only references. References look like `wifi-1`, `scep-2`.
 */
import { z } from 'zod';
import { NAME_TOKENS, patternProblems, TEMPLATE_TOKENS } from './placeholders';

/** A secret reference: lower-case letters, digits and dashes (e.g. "wifi-1"). */
export const secretRef = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'a reference is lower-case letters, digits and "-" (e.g. wifi-1)');

const templateString = (what: string) => z.string().min(1, `${what} is empty`).superRefine((s, ctx) => {
  for (const p of patternProblems(s, TEMPLATE_TOKENS)) ctx.addIssue({ code: 'custom', message: `${what}: ${p}` });
});

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}

/** Wi-Fi network action. `password` is input only (sealed on save); `passwordRef` the stored form. */
export const wifiActionSchema = z.object({
  type: z.literal('wifi'),
  ssid: z.string().min(1, 'ssid is empty').refine((s) => Buffer.byteLength(s, 'utf8') <= 32, 'ssid is longer than 32 bytes (802.11 limit)'),
  encryption: z.enum(['WEP', 'WPA', 'WPA2', 'WPA3', 'Any', 'None']).optional(),
  hidden: z.boolean().optional(),
  autoJoin: z.boolean().optional(),
  password: z.string().min(1).optional(),
  passwordRef: secretRef.optional(),
}).strict().refine((a) => !(a.password !== undefined && a.passwordRef !== undefined), { message: 'give either password or passwordRef, not both' });

/** Enrollment-profile template (a subset of EnrollmentProfileSpec with placeholders in strings). */
export const enrollmentTemplateSchema = z.object({
  name: templateString('template.name'),
  identifier: templateString('template.identifier'),
  organization: z.string().optional(),
  description: z.string().optional(),
  serverUrl: templateString('template.serverUrl'),
  checkInUrl: templateString('template.checkInUrl').optional(),
  topic: z.string().min(1),
  accessRights: z.number().int().min(1).max(8191).optional(),
  os: z.enum(['ios', 'macos', 'tvos']).default('ios'),
  scep: z.object({
    url: templateString('template.scep.url'),
    name: z.string().optional(),
    subject: templateString('template.scep.subject').optional(),
    challenge: z.string().min(1).optional(),
    challengeRef: secretRef.optional(),
    keysize: z.union([z.literal(1024), z.literal(2048), z.literal(4096)]).optional(),
  }).strict().optional(),
  /** PEM texts of trust anchors installed with the profile. */
  anchors: z.array(z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'anchors must be PEM certificates' })).optional(),
}).strict();

/** Enrollment profile: a stored signed profile, or a per-device template signed with a stored identity. */
export const enrollmentActionSchema = z.object({
  type: z.literal('enrollment-profile'),
  profileId: z.string().min(1).optional(),
  template: enrollmentTemplateSchema.optional(),
  identityId: z.string().min(1).optional(),
}).strict().superRefine((a, ctx) => {
  if ((a.profileId === undefined) === (a.template === undefined)) ctx.addIssue({ code: 'custom', message: 'give either profileId (a stored signed profile) or template (+ identityId)' });
  if (a.template && !a.identityId) ctx.addIssue({ code: 'custom', message: 'a template needs identityId: the stored signing identity that signs each device\'s profile', path: ['identityId'] });
  if (a.profileId && a.identityId) ctx.addIssue({ code: 'custom', message: 'identityId goes with template only', path: ['identityId'] });
});

/** Another stored configuration profile. */
export const installProfileActionSchema = z.object({ type: z.literal('install-profile'), profileId: z.string().min(1) }).strict();

const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

/**
 * Prepare (Setup Assistant skip panes, supervision, language): the shape the `prepare` executor
 * (main/apple/prepare) receives. `options` carries executor-specific settings (JSON scalars).
 */
export const prepareActionSchema = z.object({
  type: z.literal('prepare'),
  supervised: z.boolean().optional(),
  /** Organization (supervision identity) stored by main/organizations. */
  organizationId: z.string().min(1).optional(),
  /** Setup Assistant panes to skip (Apple SkipKeys), or "all". */
  skipSetup: z.union([z.literal('all'), z.array(z.string().min(1))]).optional(),
  language: z.string().min(2).optional(),
  locale: z.string().min(2).optional(),
  options: z.record(z.string(), jsonScalar).optional(),
}).strict();

/** Device name from a pattern. `counterStart` is the first `{counter}` value (default 1). */
export const deviceNameActionSchema = z.object({
  type: z.literal('device-name'),
  pattern: z.string().min(1, 'pattern is empty').max(200),
  counterStart: z.number().int().min(0).optional(),
}).strict().superRefine((a, ctx) => {
  for (const p of patternProblems(a.pattern, NAME_TOKENS)) ctx.addIssue({ code: 'custom', message: p, path: ['pattern'] });
});

/** Language (lockdownd com.apple.international Language), region (Locale) and time zone. */
export const localeActionSchema = z.object({
  type: z.literal('locale'),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/, 'language is an ISO 639 code such as "en", "de" or "zh-Hans"').optional(),
  region: z.string().regex(/^[a-z]{2,3}_[A-Z]{2}$/, 'region is a locale identifier such as "en_US" or "de_DE"').optional(),
  timeZone: z.string().refine(validTimeZone, 'timeZone is an IANA time zone such as "Europe/Berlin"').optional(),
}).strict().refine((a) => a.language || a.region || a.timeZone, { message: 'give at least one of language, region, timeZone' });

/** Erase all content and settings. Must be the last action. */
export const eraseActionSchema = z.object({ type: z.literal('erase'), preserveDataPlan: z.boolean().optional() }).strict();

/** Any action. */
export const blueprintActionSchema = z.discriminatedUnion('type', [
  wifiActionSchema, enrollmentActionSchema, installProfileActionSchema, prepareActionSchema, deviceNameActionSchema, localeActionSchema, eraseActionSchema,
]);

/** A blueprint as created or imported. */
export const blueprintInputSchema = z.object({
  name: z.string().trim().min(1, 'name is empty').max(64).regex(/^[^\p{Cc}]+$/u, 'name has control characters'),
  description: z.string().max(500).optional(),
  autoApply: z.boolean().optional(),
  actions: z.array(blueprintActionSchema).min(1, 'a blueprint needs at least one action').max(32),
}).strict().superRefine((b, ctx) => {
  const eraseAt = b.actions.findIndex((a) => a.type === 'erase');
  if (eraseAt >= 0 && eraseAt !== b.actions.length - 1) ctx.addIssue({ code: 'custom', message: 'erase must be the last action (nothing can run on an erased device)', path: ['actions', eraseAt] });
  if (b.actions.filter((a) => a.type === 'device-name').length > 1) ctx.addIssue({ code: 'custom', message: 'at most one device-name action', path: ['actions'] });
  const refs = b.actions.flatMap((a) => (a.type === 'wifi' && a.passwordRef ? [a.passwordRef] : a.type === 'enrollment-profile' && a.template?.scep?.challengeRef ? [a.template.scep.challengeRef] : []));
  const dup = refs.find((r, i) => refs.indexOf(r) !== i);
  if (dup) ctx.addIssue({ code: 'custom', message: `secret reference "${dup}" is used twice`, path: ['actions'] });
});

/** The export file (`stagebench blueprint export`). Secrets are never in it (see `secrets`). */
export const blueprintFileSchema = z.object({
  format: z.literal('stagebench-blueprint'),
  version: z.literal(1),
  exportedAt: z.string().optional(),
  notes: z.array(z.string()).optional(),
  /** Secrets the blueprint references and that were not exported. */
  secrets: z.array(z.object({ ref: secretRef, what: z.string(), exported: z.literal(false) }).strict()).optional(),
  blueprint: blueprintInputSchema,
}).strict();

export type WifiAction = z.infer<typeof wifiActionSchema>;
export type EnrollmentTemplate = z.infer<typeof enrollmentTemplateSchema>;
export type EnrollmentAction = z.infer<typeof enrollmentActionSchema>;
export type InstallProfileAction = z.infer<typeof installProfileActionSchema>;
export type PrepareAction = z.infer<typeof prepareActionSchema>;
export type DeviceNameAction = z.infer<typeof deviceNameActionSchema>;
export type LocaleAction = z.infer<typeof localeActionSchema>;
export type EraseAction = z.infer<typeof eraseActionSchema>;
/** Any blueprint action. */
export type BlueprintAction = z.infer<typeof blueprintActionSchema>;
/** Action type names. */
export type BlueprintActionType = BlueprintAction['type'];
/** A blueprint as given to create/import (may carry secrets in clear, sealed on save). */
export type BlueprintInput = z.infer<typeof blueprintInputSchema>;
/** The export file. */
export type BlueprintFile = z.infer<typeof blueprintFileSchema>;

/** Invalid blueprint input; `issues` lists `path: message` lines. The CLI exits 2. */
export class BlueprintInputError extends Error {
  constructor(readonly issues: string[], what = 'blueprint') {
    super(`invalid ${what}: ${issues.join('; ')}`);
    this.name = 'BlueprintInputError';
  }
}

function formatIssues(err: z.ZodError): string[] {
  return err.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
}

/**
 * Parses a blueprint from JSON-decoded `value`: either an export file (`format:
 * "stagebench-blueprint"`) or a bare blueprint object. Throws BlueprintInputError listing every problem.
 */
export function parseBlueprintInput(value: unknown): BlueprintInput {
  const isFile = typeof value === 'object' && value !== null && 'format' in value;
  const r = isFile ? blueprintFileSchema.safeParse(value) : blueprintInputSchema.safeParse(value);
  if (!r.success) throw new BlueprintInputError(formatIssues(r.error));
  return 'format' in r.data ? r.data.blueprint : r.data;
}

/** Parses JSON text as a blueprint (see parseBlueprintInput). Throws BlueprintInputError for bad JSON too. */
export function parseBlueprintJson(text: string): BlueprintInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new BlueprintInputError([`not JSON: ${(err as Error).message}`]);
  }
  return parseBlueprintInput(value);
}

/** The step name of each action in a plan: wifi-profile, enrollment-profile, profile, prepare, device-name, locale, erase; repeats get `#2`, `#3`. */
export function actionStepNames(actions: readonly BlueprintAction[]): string[] {
  const base: Record<BlueprintActionType, string> = {
    wifi: 'wifi-profile', 'enrollment-profile': 'enrollment-profile', 'install-profile': 'profile', prepare: 'prepare',
    'device-name': 'device-name', locale: 'locale', erase: 'erase',
  };
  const seen = new Map<string, number>();
  return actions.map((a) => {
    const n = (seen.get(base[a.type]) ?? 0) + 1;
    seen.set(base[a.type], n);
    return n === 1 ? base[a.type] : `${base[a.type]}#${n}`;
  });
}
