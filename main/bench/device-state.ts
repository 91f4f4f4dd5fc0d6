/**
 * The per-device state machine of a multi-device run:
 *
 *   queued → attached → paired → running (one step after another) → done
 *                 ↘ running (plans without a pair step)        ↘ failed (from any live state)
 *   attached | paired | running → waiting (unplugged) → attached (same UDID re-attached; resume)
 *
 * `done` and `failed` are final. An illegal transition is a programming error and throws.
 */

/** Where a device is in its run. */
export type DeviceRunState = 'queued' | 'attached' | 'paired' | 'running' | 'waiting' | 'done' | 'failed';

const NEXT: Readonly<Record<DeviceRunState, readonly DeviceRunState[]>> = {
  queued: ['attached', 'failed'],
  attached: ['paired', 'running', 'waiting', 'done', 'failed'],
  paired: ['running', 'waiting', 'done', 'failed'],
  running: ['paired', 'running', 'waiting', 'done', 'failed'],
  waiting: ['attached', 'failed'],
  done: [],
  failed: [],
};

/** Thrown for a transition the machine does not allow. */
export class IllegalTransitionError extends Error {
  constructor(readonly udid: string, readonly from: DeviceRunState, readonly to: DeviceRunState) {
    super(`device ${udid}: illegal state transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

/** One device's state with its history (state and ISO time of each entry). */
export class DeviceStateMachine {
  private current: DeviceRunState = 'queued';
  readonly history: { state: DeviceRunState; at: string }[] = [{ state: 'queued', at: new Date().toISOString() }];

  constructor(readonly udid: string, private readonly onChange: (from: DeviceRunState, to: DeviceRunState) => void = () => {}) {}

  /** The current state. */
  get state(): DeviceRunState {
    return this.current;
  }

  /** True when `to` is allowed from the current state. */
  can(to: DeviceRunState): boolean {
    return NEXT[this.current].includes(to);
  }

  /** Moves to `to` (a no-op when already there). Throws IllegalTransitionError. */
  to(to: DeviceRunState): void {
    if (to === this.current && to !== 'running') return;
    if (!this.can(to)) throw new IllegalTransitionError(this.udid, this.current, to);
    const from = this.current;
    this.current = to;
    this.history.push({ state: to, at: new Date().toISOString() });
    if (from !== to) this.onChange(from, to);
  }
}
