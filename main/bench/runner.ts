/**
 * Runs an ordered plan of steps on many devices at once — the engine under `stageDevices` and
 * blueprint applies. Per device:
 *  - the per-UDID lock (device-lock.ts) is held for the whole device run, so two runs never
 *    operate on one device at the same time (the second waits);
 *  - a state machine (device-state.ts): queued → attached → paired → running → done | failed,
 *    with `waiting` while an unplugged device is expected back;
 *  - a transient error (retry.ts) on a device that is still attached is retried up to
 *    `retry.attempts` tries per step with backoff; on a device that is gone, the run waits up to
 *    `reattachTimeoutMs` for the same UDID to be attached again (usbmuxd Listen) and resumes at
 *    the interrupted step (finished steps are not repeated), at most `maxResumes` times;
 *  - every step transition is written to `staging_steps`, every notable event to `device_logs`,
 *    and the outcome to the audit trail. A failing device never stops the others.
 * Device I/O is asynchronous and the cache writes are single-row statements, so the event loop
 * stays responsive with dozens of devices in flight.
 */
import crypto from 'node:crypto';
import { sameUdid } from '../apple';
import { appendAudit, createRun, finishRun, planDeviceSteps, setStepState, type Db, type StepState } from '../store';
import { sharedDeviceLocks, type DeviceLocks } from './device-lock';
import { appendDeviceLog, type DeviceLogLevel } from './device-log';
import { DeviceStateMachine, type DeviceRunState } from './device-state';
import { backoffMs, DEFAULT_RETRY_POLICY, isTransientError, sleep, type RetryPolicy } from './retry';
import type { StagingTransport } from './transport';

/** What a step gets besides its context: identity of the run, logging, prompts. */
export interface StepIO {
  runId: string;
  udid: string;
  /** Try number of this step (1 = first). */
  attempt: number;
  /** Appends a line to the device log (no secrets). */
  log(level: DeviceLogLevel, message: string): void;
  /** Shows an operator instruction while the step runs (e.g. "tap Trust"). */
  prompt(message: string): void;
}

/** Outcome of a step: the message recorded when done, or `{ skipped }` with the reason. */
export type StepOutcome = string | { skipped: string };

/** One step of a plan. `C` is the per-device context the steps share (facts read, values chosen). */
export interface RunStep<C> {
  name: string;
  /** Does the work; throws on failure. Must be safe to run again after a transient failure or a re-attach. */
  run(ctx: C, io: StepIO): Promise<StepOutcome>;
  /** Whether transient errors are retried (default true). */
  retryable?: boolean;
  /** A device unplugged in this step is expected (e.g. erase): the step counts as done. */
  detachMeansDone?: boolean;
}

/** Live progress of one device. `progress` is 0..1; `steps` the state of every step. */
export interface DeviceRunProgress<S extends string = string> {
  runId: string;
  udid: string;
  step: S;
  state: StepState;
  message: string;
  progress: number;
  steps: Record<S, StepState>;
  /** Device state machine state. */
  device: DeviceRunState;
  attempt: number;
}

/** Result of one device. `error` is `<step>: <message>` when it failed. */
export interface DeviceRunResult<S extends string = string> {
  udid: string;
  ok: boolean;
  error?: string;
  steps: Record<S, StepState>;
  /** Retries made (tries beyond the first, all steps). */
  retries: number;
  /** Times the device came back after an unplug and the run resumed. */
  resumes: number;
  /** Wall time of this device's run, ms (lock wait excluded). */
  durationMs: number;
}

/** Result of a run: per device, plus the counts. Times ISO-8601. */
export interface RunSummary<S extends string = string> {
  runId: string;
  startedAt: string;
  finishedAt: string;
  devices: DeviceRunResult<S>[];
  succeeded: number;
  failed: number;
}

/** Options of `runDevices`. Times in milliseconds. */
export interface RunDevicesOptions<C, S extends string = string> {
  transport: StagingTransport;
  /** UDIDs to run on (already checked to be attached). */
  udids: string[];
  steps: readonly (RunStep<C> & { name: S })[];
  /** Builds the per-device context shared by the steps. */
  context: (udid: string) => C;
  /** Who runs it, for the run row and the audit trail. */
  actor: string;
  /** Stored with the run (`staging_runs.options_json`): must hold no secret. */
  runOptions: Record<string, unknown>;
  /** Audit action for each device's outcome (e.g. "device.stage", "blueprint.apply"). */
  auditAction: string;
  /** Audit detail prefix after `run <id>: ` (e.g. the profile identifier or blueprint name). */
  auditDetail: string;
  /** Devices worked on at once (default 8). */
  concurrency?: number;
  retry?: RetryPolicy;
  /** How long to wait for an unplugged device to come back (default 0 = fail at once). */
  reattachTimeoutMs?: number;
  /** How many times one device may come back and resume (default 3). */
  maxResumes?: number;
  /** Per-UDID locks (default the process-wide `sharedDeviceLocks`). */
  locks?: DeviceLocks;
  /** Called after a device succeeded (inside the lock), e.g. to mark it staged. */
  onDeviceDone?: (udid: string, ctx: C) => void;
  onProgress?: (p: DeviceRunProgress<S>) => void;
  /** Run id to use (default a random UUID). */
  runId?: string;
  /**
   * Cancels the run: no further device is taken off the queue, and each running device stops
   * before its next step (a step already talking to a device finishes). The step it stopped at is
   * recorded `failed` with CANCELLED_MESSAGE, the remaining steps `skipped` "cancelled"; queued
   * devices get every step `skipped` "cancelled".
   */
  signal?: AbortSignal;
}

/** Message recorded on the step where a cancelled run stopped a device. */
export const CANCELLED_MESSAGE = 'cancelled by the operator';

/** Thrown inside a device run when the run's signal is aborted. */
export class RunCancelledError extends Error {
  readonly code = 'E_CANCELLED';
  constructor() {
    super(CANCELLED_MESSAGE);
    this.name = 'RunCancelledError';
  }
}

class DetachedError extends Error {
  constructor(step: string, cause: Error) {
    super(`device detached during ${step} and did not come back (${cause.message})`);
    this.name = 'DetachedError';
  }
}

/**
 * Resolves true when `udid` is attached (now or within `timeoutMs`), watching usbmuxd Listen
 * events; false on timeout, when `signal` aborts, or when the watch cannot be opened.
 */
export function waitForAttach(transport: StagingTransport, udid: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let done = false;
    let watch: { close(): void } | null = null;
    const finish = (v: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      watch?.close();
      resolve(v);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    if (signal?.aborted) finish(false);
    signal?.addEventListener('abort', () => finish(false), { once: true });
    transport
      .watch((e) => {
        if (e.type === 'attached' && sameUdid(e.udid, udid)) finish(true);
      }, (err) => {
        if (err) finish(false);
      })
      .then((w) => {
        watch = w;
        if (done) w.close();
      })
      .catch(() => finish(false));
  });
}

async function stillAttached(transport: StagingTransport, udid: string): Promise<boolean> {
  try {
    return (await transport.listAttached()).some((u) => sameUdid(u, udid));
  } catch {
    return false;
  }
}

/**
 * Runs `steps` on every device of `opts.udids` and resolves with the summary (also when devices
 * failed: check `failed`). Creates the run row, plans the steps, writes every transition.
 */
export async function runDevices<C, S extends string>(db: Db, opts: RunDevicesOptions<C, S>): Promise<RunSummary<S>> {
  const runId = opts.runId ?? crypto.randomUUID();
  const startedAt = new Date().toISOString();
  const names = opts.steps.map((s) => s.name);
  createRun(db, { id: runId, actor: opts.actor, startedAt, options: opts.runOptions });
  for (const udid of opts.udids) planDeviceSteps(db, runId, udid, names);

  const results: DeviceRunResult<S>[] = [];
  const queue = [...opts.udids];
  const workers = Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 8, opts.udids.length)) }, async () => {
    for (let udid = queue.shift(); udid !== undefined; udid = queue.shift()) {
      const u = udid;
      if (opts.signal?.aborted) {
        results.push(cancelQueued(db, opts, runId, u));
        continue;
      }
      results.push(await (opts.locks ?? sharedDeviceLocks).run(u, () => runOne(db, opts, runId, u), `run ${runId}`));
    }
  });
  await Promise.all(workers);
  results.sort((a, b) => opts.udids.indexOf(a.udid) - opts.udids.indexOf(b.udid));
  const failed = results.filter((r) => !r.ok).length;
  finishRun(db, runId, failed ? 'failed' : 'succeeded', results.length - failed, failed);
  return { runId, startedAt, finishedAt: new Date().toISOString(), devices: results, succeeded: results.length - failed, failed };
}

/** Result of a device the cancelled run never started: every step skipped "cancelled". */
function cancelQueued<C, S extends string>(db: Db, opts: RunDevicesOptions<C, S>, runId: string, udid: string): DeviceRunResult<S> {
  const steps = Object.fromEntries(opts.steps.map((s) => [s.name, 'skipped'])) as Record<S, StepState>;
  for (const s of opts.steps) {
    setStepState(db, runId, udid, s.name, 'skipped', 'cancelled');
    opts.onProgress?.({ runId, udid, step: s.name, state: 'skipped', message: 'cancelled', progress: 0, steps: { ...steps }, device: 'failed', attempt: 1 });
  }
  appendDeviceLog(db, { runId, udid, level: 'warn', step: null, message: 'cancelled before it started' });
  appendAudit(db, { actor: opts.actor, action: opts.auditAction, target: udid, outcome: 'failure', detail: `run ${runId}: ${CANCELLED_MESSAGE} before it started` });
  return { udid, ok: false, error: `${opts.steps[0]?.name ?? 'run'}: ${CANCELLED_MESSAGE}`, steps, retries: 0, resumes: 0, durationMs: 0 };
}

async function runOne<C, S extends string>(db: Db, opts: RunDevicesOptions<C, S>, runId: string, udid: string): Promise<DeviceRunResult<S>> {
  const t0 = Date.now();
  const policy = opts.retry ?? DEFAULT_RETRY_POLICY;
  const reattachMs = opts.reattachTimeoutMs ?? 0;
  const maxResumes = opts.maxResumes ?? 3;
  const steps = Object.fromEntries(opts.steps.map((s) => [s.name, 'pending'])) as Record<S, StepState>;
  const log = (level: DeviceLogLevel, step: string | null, message: string): void => {
    appendDeviceLog(db, { runId, udid, level, step, message });
  };
  const machine = new DeviceStateMachine(udid, (from, to) => log('info', null, `state ${from} → ${to}`));
  let attempt = 1;
  let retries = 0;
  let resumes = 0;
  const emit = (step: S, state: StepState, message: string): void => {
    steps[step] = state;
    setStepState(db, runId, udid, step, state, message);
    const finished = opts.steps.filter((s) => steps[s.name] === 'done' || steps[s.name] === 'skipped').length;
    opts.onProgress?.({ runId, udid, step, state, message, progress: finished / opts.steps.length, steps: { ...steps }, device: machine.state, attempt });
  };

  const ctx = opts.context(udid);
  machine.to('attached');
  let current: S = opts.steps[0]?.name;
  try {
    for (const step of opts.steps) {
      current = step.name;
      attempt = 1;
      if (opts.signal?.aborted) throw new RunCancelledError();
      if (step.name !== 'pair') machine.to('running');
      for (;;) {
        emit(step.name, 'running', attempt > 1 ? `attempt ${attempt}` : '');
        try {
          const io: StepIO = {
            runId, udid, attempt,
            log: (level, message) => log(level, step.name, message),
            prompt: (message) => emit(step.name, 'running', message),
          };
          const outcome = await step.run(ctx, io);
          if (step.name === 'pair') machine.to('paired');
          if (typeof outcome === 'string') {
            emit(step.name, 'done', outcome);
            log('info', step.name, `done: ${outcome}`);
          } else {
            emit(step.name, 'skipped', outcome.skipped);
            log('info', step.name, `skipped: ${outcome.skipped}`);
          }
          break;
        } catch (err) {
          const e = err instanceof Error ? err : new Error(String(err));
          if (!isTransientError(e)) throw e;
          if (await stillAttached(opts.transport, udid)) {
            if (step.retryable === false || attempt >= policy.attempts) throw e;
            await opts.transport.release(udid);
            attempt++;
            retries++;
            const wait = backoffMs(policy, attempt);
            log('warn', step.name, `transient error (${e.message}); retry ${attempt - 1}/${policy.attempts - 1} in ${wait} ms`);
            await sleep(wait);
            continue;
          }
          await opts.transport.release(udid);
          if (step.detachMeansDone) {
            emit(step.name, 'done', 'device disconnected as expected');
            log('info', step.name, 'done: the device disconnected as expected');
            break;
          }
          if (reattachMs <= 0 || resumes >= maxResumes) throw new DetachedError(step.name, e);
          machine.to('waiting');
          const secs = Math.round(reattachMs / 1000);
          log('warn', step.name, `device detached (${e.message}); waiting up to ${secs} s for it to be attached again`);
          emit(step.name, 'running', `device detached: reconnect it within ${secs} s to resume`);
          if (!(await waitForAttach(opts.transport, udid, reattachMs, opts.signal))) {
            if (opts.signal?.aborted) throw new RunCancelledError();
            throw new DetachedError(step.name, e);
          }
          resumes++;
          machine.to('attached');
          if (steps['pair' as S] === 'done') machine.to('paired');
          if (step.name !== 'pair') machine.to('running');
          attempt = 1;
          log('info', step.name, `re-attached; resuming at ${step.name}`);
        }
      }
    }
    opts.onDeviceDone?.(udid, ctx);
    machine.to('done');
    appendAudit(db, { actor: opts.actor, action: opts.auditAction, target: udid, outcome: 'success', detail: `run ${runId}: ${opts.auditDetail}` });
    return { udid, ok: true, steps, retries, resumes, durationMs: Date.now() - t0 };
  } catch (err) {
    const message = (err as Error).message;
    emit(current, 'failed', message);
    log('error', current, `failed: ${message}`);
    const why = err instanceof RunCancelledError ? 'cancelled' : `not run: ${current} failed`;
    for (const s of opts.steps) if (steps[s.name] === 'pending') emit(s.name, 'skipped', why);
    machine.to('failed');
    appendAudit(db, { actor: opts.actor, action: opts.auditAction, target: udid, outcome: 'failure', detail: `run ${runId}: ${current}: ${message}` });
    return { udid, ok: false, error: `${current}: ${message}`, steps, retries, resumes, durationMs: Date.now() - t0 };
  } finally {
    await opts.transport.release(udid);
  }
}

/** A short human summary of a run: counts, retries, resumes, and one line per failed device. */
export function formatRunSummary(s: RunSummary): string {
  const retries = s.devices.reduce((n, d) => n + d.retries, 0);
  const resumes = s.devices.reduce((n, d) => n + d.resumes, 0);
  const secs = (Date.parse(s.finishedAt) - Date.parse(s.startedAt)) / 1000;
  const lines = [`run ${s.runId}: ${s.devices.length} device(s), ${s.succeeded} succeeded, ${s.failed} failed, ${retries} retr${retries === 1 ? 'y' : 'ies'}, ${resumes} resume(s), ${secs.toFixed(1)} s`];
  for (const d of s.devices) if (!d.ok) lines.push(`  FAILED ${d.udid}: ${d.error}`);
  return lines.join('\n');
}
