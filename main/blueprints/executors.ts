/**
 * What each blueprint action does on one device. Executors are looked up by action type in an
 * `ActionExecutorRegistry`; the default registry holds the built-in ones (wifi,
 * enrollment-profile, install-profile, device-name, locale, erase). `prepare` has no built-in
 * executor: the supervision module (main/apple/prepare) plugs its own in with
 * `registerActionExecutor('prepare', executor)`; applying a blueprint with a prepare action
 * before that fails up front with a clear message.
 *
 * An executor must be safe to run again on the same device (after a transient error or a
 * re-attach): installing a profile replaces the one with the same PayloadIdentifier, SetValue
 * overwrites, and the `{counter}` value is chosen once per device and run.
 */
import type { DeviceOptions } from '../apple';
import type { StagedDeviceInfo, StagingTransport, StepIO, StepOutcome } from '../bench';
import { buildEnrollmentProfile, buildWifiProfile, signProfile, type EnrollmentProfileSpec, type SigningIdentity } from '../profiles';
import { fillPlaceholders, hasPlaceholders, usesCounter, type PlaceholderValues } from './placeholders';
import type { BlueprintRecord } from './repository';
import type { BlueprintAction, BlueprintActionType, EnrollmentTemplate } from './schema';

/** Per-run resources shared by the devices of one apply. */
export interface BlueprintRunResources {
  blueprint: BlueprintRecord;
  /** The cleartext of secret `ref` (in memory only). Throws when it is not stored. */
  secret(ref: string): string;
  /** A stored profile's bytes and facts. Throws when unknown. */
  profile(id: string): { bytes: Buffer; name: string; payloadIdentifier: string; payloadTypes: string[]; signed: boolean };
  /** A stored signing identity, opened once per run. Throws when unknown. */
  identity(id: string): SigningIdentity;
  /** The next `{counter}` index of the blueprint (0, 1, 2, …), persisted. */
  takeCounter(): number;
  /** Memoises `make()` under `key` for the run (e.g. a profile built once for every device). */
  once<T>(key: string, make: () => T): T;
  /** usbmuxd address etc., for executors that open their own device connections. */
  deviceOptions: DeviceOptions;
  /** Reverse-DNS prefix for profiles the blueprint builds (e.g. com.stagebench.blueprint.lab). */
  identifierPrefix: string;
}

/** What an executor gets for one device. */
export interface ActionContext {
  udid: string;
  /** lockdownd facts read by the `info` step. */
  info: StagedDeviceInfo;
  transport: StagingTransport;
  run: BlueprintRunResources;
  io: StepIO;
  /** PayloadIdentifiers installed on this device by this run (checked by the verify step). */
  installed: string[];
  /** Per-device scratch values kept across retries and resumes (e.g. the chosen counter). */
  scratch: Record<string, unknown>;
}

/** Runs one action on one device; returns the step message (or `{ skipped }`). Throws on failure. */
export type ActionExecutor<A extends BlueprintAction = BlueprintAction> = (action: A, ctx: ActionContext) => Promise<StepOutcome>;

type ExecutorMap = { [T in BlueprintActionType]?: ActionExecutor<Extract<BlueprintAction, { type: T }>> };

/** Action type → executor. */
export class ActionExecutorRegistry {
  private readonly map: ExecutorMap = {};

  /** Registers (or replaces) the executor of `type`. */
  register<T extends BlueprintActionType>(type: T, executor: ActionExecutor<Extract<BlueprintAction, { type: T }>>): this {
    (this.map as Record<string, unknown>)[type] = executor;
    return this;
  }

  /** The executor of `type`, or undefined. */
  get<T extends BlueprintActionType>(type: T): ActionExecutor<Extract<BlueprintAction, { type: T }>> | undefined {
    return this.map[type] as ActionExecutor<Extract<BlueprintAction, { type: T }>> | undefined;
  }

  /** Runs `action` with its executor. Throws Error when none is registered. */
  run(action: BlueprintAction, ctx: ActionContext): Promise<StepOutcome> {
    const ex = this.map[action.type] as ActionExecutor | undefined;
    if (!ex) throw new Error(missingExecutorMessage(action.type));
    return ex(action, ctx);
  }

  /** A copy (to add executors without touching this registry). */
  clone(): ActionExecutorRegistry {
    const c = new ActionExecutorRegistry();
    Object.assign(c.map, this.map);
    return c;
  }
}

/** The message for an action type without executor. */
export function missingExecutorMessage(type: string): string {
  return type === 'prepare'
    ? 'the prepare action has no executor in this build: the supervision module (main/apple/prepare) registers it with registerActionExecutor("prepare", …); remove the action or update StageBench'
    : `no executor is registered for action type "${type}"`;
}

function placeholderValues(ctx: ActionContext, counter?: number): PlaceholderValues {
  return {
    serial: ctx.info.SerialNumber,
    udid: ctx.info.UniqueDeviceID ?? ctx.udid,
    ecid: ctx.info.UniqueChipID,
    model: ctx.info.DeviceClass,
    productType: ctx.info.ProductType,
    counter,
  };
}

function fillDeep<T>(value: T, values: PlaceholderValues): T {
  if (typeof value === 'string') return fillPlaceholders(value, values) as T;
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, values)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, values)])) as T;
  return value;
}

function buildAndSign(template: EnrollmentTemplate, identityId: string, ctx: ActionContext, values: PlaceholderValues | null): { bytes: Buffer; identifier: string; name: string } {
  const { scep, anchors, ...rest } = template;
  const t = values ? fillDeep({ ...rest, scep: scep ? { ...scep, challengeRef: undefined } : undefined }, values) : { ...rest, scep };
  const spec: EnrollmentProfileSpec = {
    ...t,
    scep: scep ? { url: t.scep!.url, name: scep.name, subject: t.scep!.subject, keysize: scep.keysize, challenge: scep.challengeRef ? ctx.run.secret(scep.challengeRef) : undefined } : undefined,
    anchors,
  };
  const built = buildEnrollmentProfile(spec);
  const errors = built.issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new Error(`the enrollment profile built from the template is not valid: ${errors.map((e) => e.message).join('; ')}`);
  return { bytes: signProfile(built.xml, ctx.run.identity(identityId)), identifier: built.identifier, name: spec.name };
}

/** The built-in executors. */
export function builtInExecutors(): ActionExecutorRegistry {
  const r = new ActionExecutorRegistry();
  r.register('wifi', async (a, ctx) => {
    const built = ctx.run.once(`wifi:${JSON.stringify(a)}`, () => {
      const b = buildWifiProfile({
        ssid: a.ssid, password: a.passwordRef ? ctx.run.secret(a.passwordRef) : undefined, encryption: a.encryption, hidden: a.hidden, autoJoin: a.autoJoin,
        prefix: ctx.run.identifierPrefix,
      });
      const errors = b.issues.filter((i) => i.severity === 'error');
      if (errors.length) throw new Error(`Wi-Fi profile is not valid: ${errors.map((e) => e.message).join('; ')}`);
      return b;
    });
    await ctx.transport.installProfile(ctx.udid, built.xml);
    ctx.installed.push(built.identifier);
    return `Wi-Fi "${a.ssid}" installed`;
  });
  r.register('enrollment-profile', async (a, ctx) => {
    let p: { bytes: Buffer; identifier: string; name: string };
    if (a.profileId) {
      const stored = ctx.run.profile(a.profileId);
      p = { bytes: stored.bytes, identifier: stored.payloadIdentifier, name: stored.name };
    } else {
      const template = a.template!;
      if (hasPlaceholders(JSON.stringify(template))) {
        // Per-device values: built and signed for this device, once per run (kept across retries).
        p = (ctx.scratch[`enroll:${JSON.stringify(a)}`] ??= buildAndSign(template, a.identityId!, ctx, placeholderValues(ctx))) as typeof p;
      } else {
        p = ctx.run.once(`enroll:${JSON.stringify(a)}`, () => buildAndSign(template, a.identityId!, ctx, null));
      }
    }
    await ctx.transport.installProfile(ctx.udid, p.bytes);
    ctx.installed.push(p.identifier);
    return `${p.name} installed (${p.identifier})`;
  });
  r.register('install-profile', async (a, ctx) => {
    const stored = ctx.run.profile(a.profileId);
    await ctx.transport.installProfile(ctx.udid, stored.bytes);
    ctx.installed.push(stored.payloadIdentifier);
    return `${stored.name} installed (${stored.payloadIdentifier})`;
  });
  r.register('device-name', async (a, ctx) => {
    let counter: number | undefined;
    if (usesCounter(a.pattern)) counter = (ctx.scratch.counter ??= (a.counterStart ?? 1) + ctx.run.takeCounter()) as number;
    const name = fillPlaceholders(a.pattern, placeholderValues(ctx, counter)).trim();
    if (!name) throw new Error(`the pattern "${a.pattern}" gives an empty name`);
    await ctx.transport.setValue(ctx.udid, undefined, 'DeviceName', name);
    return `named "${name}"`;
  });
  r.register('locale', async (a, ctx) => {
    const done: string[] = [];
    if (a.language) {
      await ctx.transport.setValue(ctx.udid, 'com.apple.international', 'Language', a.language);
      done.push(`language ${a.language}`);
    }
    if (a.region) {
      await ctx.transport.setValue(ctx.udid, 'com.apple.international', 'Locale', a.region);
      done.push(`region ${a.region}`);
    }
    if (a.timeZone) {
      await ctx.transport.setValue(ctx.udid, undefined, 'TimeZone', a.timeZone);
      done.push(`time zone ${a.timeZone}`);
    }
    return done.join(', ');
  });
  r.register('erase', async (a, ctx) => {
    await ctx.transport.mcinstallRequest(ctx.udid, 'EraseDevice', { PreserveDataPlan: a.preserveDataPlan ?? true });
    return 'erase started; the device restarts into Setup Assistant';
  });
  return r;
}

/** The process-wide registry used when no other is given: the built-ins plus registered ones. */
export const defaultExecutors = builtInExecutors();

/** Registers `executor` for `type` in the default registry (e.g. the `prepare` executor). */
export function registerActionExecutor<T extends BlueprintActionType>(type: T, executor: ActionExecutor<Extract<BlueprintAction, { type: T }>>): void {
  defaultExecutors.register(type, executor);
}
