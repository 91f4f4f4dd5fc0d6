/**
 * Per-UDID mutual exclusion: never two operations on one device at once. `run(udid, fn)` queues
 * `fn` behind whatever already holds that device (FIFO) and releases it when `fn` settles.
 * UDIDs compare case-insensitively and without the dash libusbmuxd inserts into 24-digit UDIDs.
 */

/** Normalised key of a UDID (upper case, no dashes). */
export function udidKey(udid: string): string {
  return udid.replace(/-/g, '').toUpperCase();
}

/** A set of per-device locks. */
export class DeviceLocks {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly holders = new Map<string, string>();

  /**
   * Runs `fn` once the lock of `udid` is free; `holder` names the owner for `holder(udid)`
   * (e.g. "blueprint Lab (run 1f2e…)"). Resolves/rejects with `fn`'s outcome.
   */
  async run<T>(udid: string, fn: () => Promise<T>, holder = 'an operation'): Promise<T> {
    const key = udidKey(udid);
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    this.holders.set(key, holder);
    try {
      return await fn();
    } finally {
      this.holders.delete(key);
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** True while some operation holds or waits for `udid`. */
  isBusy(udid: string): boolean {
    return this.tails.has(udidKey(udid));
  }

  /** Who holds `udid` now, or null. */
  holder(udid: string): string | null {
    return this.holders.get(udidKey(udid)) ?? null;
  }
}

/** The process-wide locks shared by staging runs, blueprint applies and auto-apply. */
export const sharedDeviceLocks = new DeviceLocks();
