/**
 * Applying a blueprint to devices: pair → info → one step per action (executors.ts) → verify
 * (every profile the run installed is listed by MCInstall GetProfileList; left out when the
 * blueprint erases). Runs on the multi-device runner (main/bench/runner.ts): per-UDID lock,
 * bounded retries, resume after an unplug (default: wait up to 120 s for the same UDID),
 * per-device logs and audit (`blueprint.apply`). Everything that can be checked before touching
 * a device is checked first: stored secrets, executors, referenced profiles and identities.
 */
import type { DeviceOptions } from '../apple';
import {
  pairAndInfoSteps, runDevices, selectAttached, type DeviceLocks, type DeviceRunProgress, type RetryPolicy, type RunStep, type RunSummary,
  type StagedDeviceInfo, type StagingTransport,
} from '../bench';
import type { SigningIdentity } from '../profiles';
import type { SecretBox } from '../secrets';
import { getProfileMeta, markDeviceStaged, type Db } from '../store';
import { defaultExecutors, missingExecutorMessage, type ActionExecutorRegistry, type BlueprintRunResources } from './executors';
import { openBlueprintSecret, referencedSecrets, takeCounter, type BlueprintRecord } from './repository';
import { actionStepNames, BlueprintInputError } from './schema';

/** Stored profiles, as the profile service provides them. */
export interface ProfileSource {
  get(id: string): { row: { name: string; payloadIdentifier: string; payloadTypes: string[]; signed: boolean }; bytes: Buffer };
}

/** Stored signing identities, as the identity service provides them. */
export interface IdentitySource {
  open(id: string): SigningIdentity;
}

/** What applying needs. */
export interface BlueprintDeps {
  db: Db;
  box: SecretBox;
  transport: StagingTransport;
  /** Who acts, for the audit trail. */
  actor: string;
  profiles: ProfileSource;
  identities: IdentitySource;
  /** Default: the process-wide registry (built-ins + registered, e.g. prepare). */
  executors?: ActionExecutorRegistry;
  /** usbmuxd address, handed to executors that connect on their own. */
  deviceOptions?: DeviceOptions;
  /** Default: the process-wide per-UDID locks. */
  locks?: DeviceLocks;
}

/** Options of one apply. Times in milliseconds. */
export interface ApplyOptions {
  /** UDIDs; empty/undefined = every attached device. */
  udids?: string[];
  /** Devices at once (default 8). */
  concurrency?: number;
  /** Trust-tap wait per device (default 120 000). */
  pairTimeoutMs?: number;
  retry?: RetryPolicy;
  /** Wait for an unplugged device to come back and resume (default 120 000; 0 = fail it). */
  reattachTimeoutMs?: number;
  maxResumes?: number;
  onProgress?: (p: DeviceRunProgress) => void;
  /** Cancels the run between steps (see RunDevicesOptions.signal). */
  signal?: AbortSignal;
}

/** The blueprint cannot run as stored (a secret, profile, identity or executor is missing). */
export class BlueprintNotReadyError extends Error {
  constructor(readonly blueprint: string, readonly problems: string[]) {
    super(`blueprint "${blueprint}" cannot run: ${problems.join('; ')}`);
    this.name = 'BlueprintNotReadyError';
  }
}

/** Reverse-DNS prefix for profiles built by a blueprint: `com.stagebench.blueprint.<slug of name>`. */
export function blueprintIdentifierPrefix(b: { name: string; id: string }): string {
  const slug = b.name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `com.stagebench.blueprint.${slug || `bp-${b.id.slice(0, 8)}`}`;
}

/** Problems that stop `b` from running (empty = ready). */
export function readinessProblems(deps: BlueprintDeps, b: BlueprintRecord): string[] {
  const problems: string[] = [];
  const executors = deps.executors ?? defaultExecutors;
  for (const { ref, what } of referencedSecrets(b.actions)) {
    if (!b.storedSecrets.includes(ref)) problems.push(`${what} is not stored (reference "${ref}"): import the blueprint again with --secret-env ${ref}=VAR, or re-create it`);
  }
  for (const type of new Set(b.actions.map((a) => a.type))) if (!executors.get(type)) problems.push(missingExecutorMessage(type));
  for (const a of b.actions) {
    const ids = a.type === 'enrollment-profile' || a.type === 'install-profile' ? (a.profileId ? [a.profileId] : []) : [];
    for (const id of ids) {
      const p = getProfileMeta(deps.db, id);
      if (!p) problems.push(`profile ${id} is not in the cache: import or build it, then update the blueprint`);
      else if (a.type === 'enrollment-profile' && !p.payloadTypes.includes('com.apple.mdm')) problems.push(`profile ${id} ("${p.name}") has no com.apple.mdm payload; choose an MDM enrollment profile`);
    }
    if (a.type === 'enrollment-profile' && a.identityId) {
      const known = deps.db.prepare('SELECT 1 FROM signing_identities WHERE id = ?').get(a.identityId);
      if (!known) problems.push(`signing identity ${a.identityId} is not in the cache: import it (stagebench identity import FILE.p12), then update the blueprint`);
    }
  }
  return problems;
}

interface DeviceCtx {
  info?: StagedDeviceInfo;
  installed: string[];
  scratch: Record<string, unknown>;
}

/**
 * Applies `b` to the selected devices and resolves with the run summary (also when devices
 * failed). Rejects before any device work with BlueprintNotReadyError, NoDevicesError, or Error
 * for UDIDs that are not attached.
 */
export async function applyBlueprint(deps: BlueprintDeps, b: BlueprintRecord, opts: ApplyOptions = {}): Promise<RunSummary> {
  const problems = readinessProblems(deps, b);
  if (problems.length) throw new BlueprintNotReadyError(b.name, problems);
  const executors = deps.executors ?? defaultExecutors;
  const udids = await selectAttached(deps.transport, opts.udids);

  const memo = new Map<string, unknown>();
  const identities = new Map<string, SigningIdentity>();
  const run: BlueprintRunResources = {
    blueprint: b,
    secret: (ref) => {
      const v = openBlueprintSecret(deps.db, deps.box, b.id, ref);
      if (v === null) throw new BlueprintInputError([`secret "${ref}" is not stored`]);
      return v;
    },
    profile: (id) => {
      const p = deps.profiles.get(id);
      return { bytes: p.bytes, name: p.row.name, payloadIdentifier: p.row.payloadIdentifier, payloadTypes: p.row.payloadTypes, signed: p.row.signed };
    },
    identity: (id) => {
      let i = identities.get(id);
      if (!i) identities.set(id, (i = deps.identities.open(id)));
      return i;
    },
    takeCounter: () => takeCounter(deps.db, b.id),
    once: <T>(key: string, make: () => T): T => {
      if (!memo.has(key)) memo.set(key, make());
      return memo.get(key) as T;
    },
    deviceOptions: deps.deviceOptions ?? {},
    identifierPrefix: blueprintIdentifierPrefix(b),
  };

  const [pair, info] = pairAndInfoSteps<DeviceCtx>(deps.db, deps.transport, opts.pairTimeoutMs ?? 120_000);
  const names = actionStepNames(b.actions);
  const steps: RunStep<DeviceCtx>[] = [pair, info];
  b.actions.forEach((action, i) => {
    steps.push({
      name: names[i],
      detachMeansDone: action.type === 'erase',
      run: (ctx, io) => executors.run(action, { udid: io.udid, info: ctx.info ?? { UniqueDeviceID: io.udid }, transport: deps.transport, run, io, installed: ctx.installed, scratch: ctx.scratch }),
    });
  });
  const installs = b.actions.some((a) => a.type === 'wifi' || a.type === 'enrollment-profile' || a.type === 'install-profile');
  if (installs && !b.actions.some((a) => a.type === 'erase')) {
    steps.push({
      name: 'verify',
      async run(ctx, io) {
        const ids = await deps.transport.installedProfileIdentifiers(io.udid);
        const absent = ctx.installed.filter((id) => !ids.includes(id));
        if (absent.length) throw new Error(`the device does not list ${absent.join(', ')} after installation`);
        return `${new Set(ctx.installed).size} profile(s) present`;
      },
    });
  }
  return runDevices<DeviceCtx, string>(deps.db, {
    transport: deps.transport,
    udids,
    steps,
    context: () => ({ installed: [], scratch: {} }),
    actor: deps.actor,
    runOptions: { kind: 'blueprint', blueprintId: b.id, blueprint: b.name, devices: udids, actions: b.actions.map((a) => a.type) },
    auditAction: 'blueprint.apply',
    auditDetail: `blueprint "${b.name}"`,
    concurrency: opts.concurrency,
    retry: opts.retry,
    reattachTimeoutMs: opts.reattachTimeoutMs ?? 120_000,
    maxResumes: opts.maxResumes,
    locks: deps.locks,
    signal: opts.signal,
    onDeviceDone: (udid) => markDeviceStaged(deps.db, udid),
    onProgress: opts.onProgress,
  });
}
