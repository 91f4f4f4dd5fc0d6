/**
 * Cancelling runs from the IPC side (`stage:cancel`, `blueprints:cancel`): each run in flight gets
 * an AbortController whose signal goes to the runner (main/bench/runner.ts `signal`). On cancel no
 * further device starts and each running device stops before its next step — the step it stopped
 * at is recorded `failed` ("cancelled by the operator"), the rest `skipped` "cancelled". A step
 * already talking to a device is never interrupted (half-installed profiles are worse than a
 * finished step).
 */
export { CANCELLED_MESSAGE } from '../bench';

/** The runs in flight (normally one), so a cancel channel can reach them. */
export class RunningStages {
  private readonly controllers = new Set<AbortController>();

  /** Runs `job` with a new abort signal registered for its duration. */
  async run<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.controllers.add(controller);
    try {
      return await job(controller.signal);
    } finally {
      this.controllers.delete(controller);
    }
  }

  /** Number of runs in flight. */
  get size(): number {
    return this.controllers.size;
  }

  /** Cancels every run in flight; returns how many were running. */
  cancelAll(): number {
    for (const c of this.controllers) c.abort();
    return this.controllers.size;
  }
}
