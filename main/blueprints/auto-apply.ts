/**
 * Auto-apply: every newly attached device runs the selected blueprint without a click. Watches
 * usbmuxd Listen through the transport. Devices attached before the watch started are left alone
 * (unless `includePresent`); a device that is busy (a run holds its lock, e.g. one waiting for it
 * to come back after an unplug) is not started twice; a device already done in this session is
 * skipped until it is unplugged and attached again — except when the blueprint erases: an erased
 * device restarts and re-attaches by itself, so it is never re-applied in the same session.
 */
import { sharedDeviceLocks, udidKey, type RunSummary } from '../bench';
import { applyBlueprint, type ApplyOptions, type BlueprintDeps } from './apply';
import type { BlueprintRecord } from './repository';

/** Options of `startAutoApply` (apply options are used for every run; `udids` is ignored). */
export interface AutoApplyOptions extends Omit<ApplyOptions, 'udids'> {
  /** Also apply to devices attached when the watch starts (default false). */
  includePresent?: boolean;
  /** Called when a device's run has finished. */
  onRun?: (summary: RunSummary) => void;
  /** Called for notable events (skips, errors), one line each. */
  onEvent?: (message: string) => void;
}

/** A running auto-apply session. */
export interface AutoApplyHandle {
  /** UDIDs whose run is in progress. */
  readonly running: ReadonlySet<string>;
  /** Stops watching and resolves when the runs in progress have finished. */
  close(): Promise<void>;
}

/** Starts auto-apply of `b`. Rejects when usbmuxd cannot be watched (UsbmuxUnavailableError). */
export async function startAutoApply(deps: BlueprintDeps, b: BlueprintRecord, opts: AutoApplyOptions = {}): Promise<AutoApplyHandle> {
  const locks = deps.locks ?? sharedDeviceLocks;
  const present = new Set<string>();
  if (!opts.includePresent) for (const u of await deps.transport.listAttached()) present.add(udidKey(u));
  const running = new Set<string>();
  const finished = new Set<string>();
  const runs = new Set<Promise<void>>();
  let closed = false;
  const erases = b.actions.some((a) => a.type === 'erase');
  const note = (m: string): void => opts.onEvent?.(m);

  const start = (udid: string): void => {
    const key = udidKey(udid);
    if (present.has(key)) return;
    if (running.has(key) || locks.isBusy(udid)) {
      note(`${udid}: attached while busy; the run in progress handles it`);
      return;
    }
    if (finished.has(key)) {
      note(`${udid}: already done in this session; unplug and attach it again to re-apply`);
      return;
    }
    running.add(key);
    const p = applyBlueprint(deps, b, { ...opts, udids: [udid] })
      .then((summary) => {
        if (summary.failed === 0) finished.add(key);
        opts.onRun?.(summary);
      })
      .catch((err: Error) => note(`${udid}: ${err.message}`))
      .finally(() => {
        running.delete(key);
        runs.delete(p);
      });
    runs.add(p);
  };

  const watch = await deps.transport.watch((e) => {
    if (closed) return;
    const key = udidKey(e.udid);
    if (e.type === 'attached') start(e.udid);
    else if (e.type === 'detached') {
      present.delete(key);
      if (!running.has(key) && !erases) finished.delete(key);
    }
  }, (err) => {
    if (err && !closed) note(`usbmuxd watch ended: ${err.message}`);
  });

  return {
    running,
    async close() {
      closed = true;
      watch.close();
      await Promise.all([...runs]);
    },
  };
}
