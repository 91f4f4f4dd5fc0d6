/**
 * Cancelling a staging run between steps, from the IPC side. The staging job (main/bench/stage.ts)
 * reports every step start as a `running` progress with an empty message, before the step touches
 * the device; once the run is cancelled, the gate throws there — once per device — so that device
 * records the step as failed ("cancelled by the operator"), skips the rest and the run ends with
 * its summary. A step already talking to a device is never interrupted (half-installed profiles are
 * worse than a finished step). Pairing prompts (running with a message) pass untouched.
 */
import type { DeviceStageProgress } from '../app/types';

/** Message recorded on the step a cancellation stopped. */
export const CANCELLED_MESSAGE = 'cancelled by the operator';

/** Error thrown into the staging job to stop one device. */
export class StageCancelledError extends Error {
  readonly code = 'E_CANCELLED';
  constructor() {
    super(CANCELLED_MESSAGE);
    this.name = 'StageCancelledError';
  }
}

/** One run's cancel gate: wrap its progress callback, call `cancel()` to stop between steps. */
export interface CancelGate {
  /** Progress callback to hand to the staging job (forwards to `next` unless stopping a device). */
  onProgress(p: DeviceStageProgress): void;
  cancel(): void;
  readonly cancelled: boolean;
}

/** A gate forwarding progress to `next`. */
export function createCancelGate(next: (p: DeviceStageProgress) => void): CancelGate {
  let cancelled = false;
  const stopped = new Set<string>();
  return {
    onProgress(p) {
      if (cancelled && p.state === 'running' && p.message === '' && !stopped.has(p.udid)) {
        stopped.add(p.udid);
        throw new StageCancelledError();
      }
      next(p);
    },
    cancel() {
      cancelled = true;
    },
    get cancelled() {
      return cancelled;
    },
  };
}

/** The staging runs in flight (normally one), so `stage:cancel` can reach them. */
export class RunningStages {
  private readonly gates = new Set<CancelGate>();

  /** Runs `job` with a new gate registered for its duration. */
  async run<T>(next: (p: DeviceStageProgress) => void, job: (onProgress: (p: DeviceStageProgress) => void) => Promise<T>): Promise<T> {
    const gate = createCancelGate(next);
    this.gates.add(gate);
    try {
      return await job((p) => gate.onProgress(p));
    } finally {
      this.gates.delete(gate);
    }
  }

  /** Cancels every run in flight; resolves to how many were running. */
  cancelAll(): number {
    for (const g of this.gates) g.cancel();
    return this.gates.size;
  }
}
