/**
 * The staging job (`stagebench stage --all`, Bench page "Stage"): for every selected device, in
 * parallel, pair → read info → install the Wi-Fi profile → install the signed enrollment profile →
 * verify both are listed by GetProfileList. Each step transition is written to the cache
 * (staging_steps) as it happens and reported through `onProgress`; each device's outcome is
 * appended to the audit trail. A failing device never stops the others.
 */
import crypto from 'node:crypto';
import {
  appendAudit, createRun, finishRun, markDeviceStaged, planDeviceSteps, recordDeviceSeen, setStepState, type Db,
} from '../store';
import type { DeviceStageProgress, StageStepName, StageStepState, StageSummary } from '../app/types';
import type { StagingTransport } from './transport';

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
  /** Who runs it, for the audit trail. */
  actor: string;
}

/** Thrown when no device is attached or selected. */
export class NoDevicesError extends Error {
  constructor() {
    super('no device is attached: connect a device with a USB cable, unlock it, and check that usbmuxd is running (or set USBMUXD_SOCKET_ADDRESS)');
    this.name = 'NoDevicesError';
  }
}

/**
 * Runs a staging job and resolves with its summary (also when devices failed; check `failed`).
 * Rejects only when nothing could start (NoDevicesError, a selected UDID not attached).
 */
export async function stageDevices(db: Db, transport: StagingTransport, req: StageRequest, onProgress: (p: DeviceStageProgress) => void = () => {}): Promise<StageSummary> {
  const attached = await transport.listAttached();
  const udids = req.udids && req.udids.length ? req.udids : attached;
  if (udids.length === 0) throw new NoDevicesError();
  const missing = udids.filter((u) => !attached.includes(u));
  if (missing.length) throw new Error(`not attached: ${missing.join(', ')}; run \`stagebench devices\` to see attached devices`);

  const runId = crypto.randomUUID();
  const startedAt = new Date().toISOString();
  createRun(db, {
    id: runId,
    actor: req.actor,
    startedAt,
    options: { devices: udids, wifiSsid: req.wifiProfile?.ssid ?? null, enrollmentProfile: req.enrollmentProfile.payloadIdentifier },
  });
  for (const udid of udids) planDeviceSteps(db, runId, udid, STAGE_STEPS);

  const results: StageSummary['devices'] = [];
  const queue = [...udids];
  const workers = Array.from({ length: Math.min(req.concurrency ?? 8, udids.length) }, async () => {
    for (let udid = queue.shift(); udid !== undefined; udid = queue.shift()) {
      results.push(await stageOne(db, transport, req, runId, udid, onProgress));
    }
  });
  await Promise.all(workers);
  results.sort((a, b) => udids.indexOf(a.udid) - udids.indexOf(b.udid));
  const failed = results.filter((r) => !r.ok).length;
  finishRun(db, runId, failed ? 'failed' : 'succeeded', results.length - failed, failed);
  return { runId, startedAt, finishedAt: new Date().toISOString(), devices: results, succeeded: results.length - failed, failed };
}

async function stageOne(db: Db, transport: StagingTransport, req: StageRequest, runId: string, udid: string, onProgress: (p: DeviceStageProgress) => void): Promise<StageSummary['devices'][number]> {
  const steps = Object.fromEntries(STAGE_STEPS.map((s) => [s, 'pending'])) as Record<StageStepName, StageStepState>;
  const emit = (step: StageStepName, state: StageStepState, message: string): void => {
    steps[step] = state;
    setStepState(db, runId, udid, step, state, message);
    const finished = STAGE_STEPS.filter((s) => steps[s] === 'done' || steps[s] === 'skipped').length;
    onProgress({ runId, udid, step, state, message, progress: finished / STAGE_STEPS.length, steps: { ...steps } });
  };
  const run = async (step: StageStepName, fn: () => Promise<string>): Promise<void> => {
    emit(step, 'running', '');
    emit(step, 'done', await fn());
  };
  let current: StageStepName = 'pair';
  try {
    current = 'pair';
    await run('pair', async () => {
      const r = await transport.ensurePaired(udid, { timeoutMs: req.pairTimeoutMs ?? 120_000, onPrompt: (m) => emit('pair', 'running', m) });
      return r.newlyPaired ? 'paired' : 'already paired';
    });
    current = 'info';
    await run('info', async () => {
      const info = await transport.info(udid);
      recordDeviceSeen(db, {
        udid,
        serialNumber: info.SerialNumber ?? null,
        uniqueChipId: info.UniqueChipID ?? null,
        productType: info.ProductType ?? null,
        productVersion: info.ProductVersion ?? null,
        deviceClass: info.DeviceClass ?? null,
        deviceName: info.DeviceName ?? null,
      });
      if (info.ActivationState === 'Unactivated') throw new Error('the device is not activated; finish activation (Setup Assistant) before staging');
      return [info.DeviceName, info.ProductType, info.ProductVersion].filter(Boolean).join(' · ');
    });
    current = 'wifi-profile';
    if (req.wifiProfile) {
      const wifi = req.wifiProfile;
      await run('wifi-profile', async () => {
        await transport.installProfile(udid, wifi.bytes);
        return `Wi-Fi "${wifi.ssid}" installed`;
      });
    } else {
      emit('wifi-profile', 'skipped', 'no Wi-Fi profile requested');
    }
    current = 'enrollment-profile';
    await run('enrollment-profile', async () => {
      await transport.installProfile(udid, req.enrollmentProfile.bytes);
      return `${req.enrollmentProfile.name} installed`;
    });
    current = 'verify';
    await run('verify', async () => {
      const ids = await transport.installedProfileIdentifiers(udid);
      const expected = [req.wifiProfile?.payloadIdentifier, req.enrollmentProfile.payloadIdentifier].filter((x): x is string => !!x);
      const absent = expected.filter((id) => !ids.includes(id));
      if (absent.length) throw new Error(`the device does not list ${absent.join(', ')} after installation`);
      return `${expected.length} profile(s) present`;
    });
    markDeviceStaged(db, udid);
    appendAudit(db, { actor: req.actor, action: 'device.stage', target: udid, outcome: 'success', detail: `run ${runId}: ${req.enrollmentProfile.payloadIdentifier}` });
    return { udid, ok: true, steps };
  } catch (err) {
    const message = (err as Error).message;
    emit(current, 'failed', message);
    for (const s of STAGE_STEPS) if (steps[s] === 'pending') emit(s, 'skipped', `not run: ${current} failed`);
    appendAudit(db, { actor: req.actor, action: 'device.stage', target: udid, outcome: 'failure', detail: `run ${runId}: ${current}: ${message}` });
    return { udid, ok: false, error: `${current}: ${message}`, steps };
  }
}
