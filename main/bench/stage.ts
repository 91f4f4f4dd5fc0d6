/**
 * The staging job (`stagebench stage --all`, Bench page "Stage"): for every selected device, in
 * parallel, pair → read info → install the Wi-Fi profile → install the signed enrollment profile →
 * verify both are listed by GetProfileList. Runs on the multi-device runner (runner.ts): per-UDID
 * lock, bounded retries of transient errors, optional resume after an unplug
 * (`reattachTimeoutMs`), per-device logs. Each step transition is written to the cache
 * (staging_steps) as it happens and reported through `onProgress`; each device's outcome is
 * appended to the audit trail. A failing device never stops the others.
 */
import { markDeviceStaged, recordDeviceSeen, type Db } from '../store';
import type { DeviceStageProgress, StageStepName, StageSummary } from '../app/types';
import type { DeviceLocks } from './device-lock';
import type { RetryPolicy } from './retry';
import { runDevices, type RunStep } from './runner';
import type { StagedDeviceInfo, StagingTransport } from './transport';

/** Step order. The Wi-Fi profile goes first so the device can reach the MDM server (Apple TV needs it). */
export const STAGE_STEPS: readonly StageStepName[] = ['pair', 'info', 'wifi-profile', 'enrollment-profile', 'verify'];

/** What to stage. Profiles are bytes ready to install (the enrollment profile signed). */
export interface StageRequest {
  /** UDIDs to stage; empty or undefined = every attached device. */
  udids?: string[];
  /** Wi-Fi profile bytes and its PayloadIdentifier; omitted = skip the Wi-Fi step. */
  wifiProfile?: { bytes: Buffer; payloadIdentifier: string; ssid: string };
  /** Enrollment profile bytes (signed) and its PayloadIdentifier. */
  enrollmentProfile: { bytes: Buffer; payloadIdentifier: string; name: string };
  /** How long to wait for the Trust tap, ms (default 120 000). */
  pairTimeoutMs?: number;
  /** Devices worked on at once (default 8). */
  concurrency?: number;
  /** Retries of transient errors per step (default 3 tries, backoff 250 ms…2 s). */
  retry?: RetryPolicy;
  /** How long to wait for an unplugged device to come back and resume, ms (default 0 = fail it). */
  reattachTimeoutMs?: number;
  /** Per-UDID locks (default the process-wide ones). */
  locks?: DeviceLocks;
  /** Who runs it, for the audit trail. */
  actor: string;
  /** Cancels the run between steps (see RunDevicesOptions.signal). */
  signal?: AbortSignal;
}

/** Thrown when no device is attached or selected. */
export class NoDevicesError extends Error {
  constructor() {
    super('no device is attached: connect a device with a USB cable, unlock it, and check that usbmuxd is running (or set USBMUXD_SOCKET_ADDRESS)');
    this.name = 'NoDevicesError';
  }
}

/**
 * Resolves the devices of a run: `requested` (when non-empty) must all be attached, else every
 * attached device. Throws NoDevicesError, or Error naming the UDIDs that are not attached.
 */
export async function selectAttached(transport: StagingTransport, requested: string[] | undefined): Promise<string[]> {
  const attached = await transport.listAttached();
  const udids = requested && requested.length ? requested : attached;
  if (udids.length === 0) throw new NoDevicesError();
  const missing = udids.filter((u) => !attached.includes(u));
  if (missing.length) throw new Error(`not attached: ${missing.join(', ')}; run \`stagebench devices\` to see attached devices`);
  return udids;
}

/**
 * The `pair` and `info` steps every plan starts with: ensure a pairing (reporting the Trust
 * prompt), then read lockdownd facts into `ctx.info`, record the device in the cache, and refuse
 * an unactivated device.
 */
export function pairAndInfoSteps<C extends { info?: StagedDeviceInfo }>(db: Db, transport: StagingTransport, pairTimeoutMs: number): [RunStep<C> & { name: 'pair' }, RunStep<C> & { name: 'info' }] {
  return [
    {
      name: 'pair',
      async run(_ctx, io) {
        const r = await transport.ensurePaired(io.udid, { timeoutMs: pairTimeoutMs, onPrompt: (m) => io.prompt(m) });
        return r.newlyPaired ? 'paired' : 'already paired';
      },
    },
    {
      name: 'info',
      async run(ctx, io) {
        const info = await transport.info(io.udid);
        ctx.info = info;
        recordDeviceSeen(db, {
          udid: io.udid,
          serialNumber: info.SerialNumber ?? null,
          uniqueChipId: info.UniqueChipID ?? null,
          productType: info.ProductType ?? null,
          productVersion: info.ProductVersion ?? null,
          deviceClass: info.DeviceClass ?? null,
          deviceName: info.DeviceName ?? null,
        });
        if (info.ActivationState === 'Unactivated') throw new Error('the device is not activated; finish activation (Setup Assistant) before staging');
        return [info.DeviceName, info.ProductType, info.ProductVersion].filter(Boolean).join(' · ');
      },
    },
  ];
}

/**
 * Runs a staging job and resolves with its summary (also when devices failed; check `failed`).
 * Rejects only when nothing could start (NoDevicesError, a selected UDID not attached).
 */
export async function stageDevices(db: Db, transport: StagingTransport, req: StageRequest, onProgress: (p: DeviceStageProgress) => void = () => {}): Promise<StageSummary> {
  const udids = await selectAttached(transport, req.udids);
  type Ctx = { info?: StagedDeviceInfo };
  const [pair, info] = pairAndInfoSteps<Ctx>(db, transport, req.pairTimeoutMs ?? 120_000);
  const steps: (RunStep<Ctx> & { name: StageStepName })[] = [
    pair,
    info,
    {
      name: 'wifi-profile',
      async run(_ctx, io) {
        const wifi = req.wifiProfile;
        if (!wifi) return { skipped: 'no Wi-Fi profile requested' };
        await transport.installProfile(io.udid, wifi.bytes);
        return `Wi-Fi "${wifi.ssid}" installed`;
      },
    },
    {
      name: 'enrollment-profile',
      async run(_ctx, io) {
        await transport.installProfile(io.udid, req.enrollmentProfile.bytes);
        return `${req.enrollmentProfile.name} installed`;
      },
    },
    {
      name: 'verify',
      async run(_ctx, io) {
        const ids = await transport.installedProfileIdentifiers(io.udid);
        const expected = [req.wifiProfile?.payloadIdentifier, req.enrollmentProfile.payloadIdentifier].filter((x): x is string => !!x);
        const absent = expected.filter((id) => !ids.includes(id));
        if (absent.length) throw new Error(`the device does not list ${absent.join(', ')} after installation`);
        return `${expected.length} profile(s) present`;
      },
    },
  ];
  const summary = await runDevices<Ctx, StageStepName>(db, {
    transport,
    udids,
    steps,
    context: () => ({}),
    actor: req.actor,
    runOptions: { kind: 'stage', devices: udids, wifiSsid: req.wifiProfile?.ssid ?? null, enrollmentProfile: req.enrollmentProfile.payloadIdentifier },
    auditAction: 'device.stage',
    auditDetail: req.enrollmentProfile.payloadIdentifier,
    concurrency: req.concurrency,
    retry: req.retry,
    reattachTimeoutMs: req.reattachTimeoutMs,
    locks: req.locks,
    signal: req.signal,
    onDeviceDone: (udid) => markDeviceStaged(db, udid),
    onProgress: ({ runId, udid, step, state, message, progress, steps: s }) => onProgress({ runId, udid, step, state, message, progress, steps: s }),
  });
  return {
    runId: summary.runId,
    startedAt: summary.startedAt,
    finishedAt: summary.finishedAt,
    devices: summary.devices.map((d) => ({ udid: d.udid, ok: d.ok, ...(d.error ? { error: d.error } : {}), steps: d.steps })),
    succeeded: summary.succeeded,
    failed: summary.failed,
  };
}
