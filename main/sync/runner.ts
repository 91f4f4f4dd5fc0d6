/**
 * The background runner for the app: a sync every `intervalMs`, one shortly after each local
 * change (debounced), and on demand — never two at once in this process (a request during a run
 * queues exactly one follow-up run). Timers are unref'd so they never keep a process alive.
 */
import { EventEmitter } from 'node:events';
import type { SyncResult } from './types';

/** Runner options; times in ms. */
export interface SyncRunnerOptions {
  /** Periodic sync interval (default 300000 = 5 min). */
  intervalMs?: number;
  /** Delay after a trigger before syncing, to batch bursts of changes (default 1000). */
  debounceMs?: number;
}

/** Runs `run` one at a time. `run(shouldStop)` must not throw for tenant trouble (runSync does not). */
export class SyncRunner extends EventEmitter {
  private current: Promise<SyncResult> | null = null;
  private queued: Promise<SyncResult> | null = null;
  private interval: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private stopping = false;
  /** The last finished run's result. */
  lastResult: SyncResult | null = null;

  constructor(private readonly run: (shouldStop: () => boolean) => Promise<SyncResult>, private readonly opts: SyncRunnerOptions = {}) {
    super();
  }

  /** True while a run is in progress. */
  get running(): boolean {
    return this.current !== null;
  }

  /** Starts periodic syncing (and runs once now). */
  start(): void {
    this.stopping = false;
    if (this.interval) return;
    this.interval = setInterval(() => this.trigger(0), this.opts.intervalMs ?? 300_000);
    this.interval.unref();
    this.trigger(0);
  }

  /** Stops timers, asks a running sync to stop at the next page/entry, and waits for it. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.interval) clearInterval(this.interval);
    if (this.debounce) clearTimeout(this.debounce);
    this.interval = null;
    this.debounce = null;
    await this.queued?.catch(() => undefined);
    await this.current?.catch(() => undefined);
  }

  /** Schedules a sync after `delayMs` (default the debounce), coalescing triggers. */
  trigger(delayMs = this.opts.debounceMs ?? 1000): void {
    if (this.stopping || this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = null;
      this.runNow().catch((err: Error) => {
        if (this.listenerCount('error') > 0) this.emit('error', err);
      });
    }, delayMs);
    this.debounce.unref();
  }

  /**
   * Syncs now, or — when a sync is running — once more right after it (all callers meanwhile
   * share that follow-up run). Resolves with that run's result; rejects when it throws
   * (configuration missing, SyncBusyError).
   */
  runNow(): Promise<SyncResult> {
    if (!this.current) return this.launch();
    this.queued ??= this.current.catch(() => undefined).then(() => {
      this.queued = null;
      return this.launch();
    });
    return this.queued;
  }

  private launch(): Promise<SyncResult> {
    this.emit('start');
    const p = this.run(() => this.stopping).then((r) => {
      this.lastResult = r;
      this.emit('result', r);
      return r;
    });
    this.current = p.finally(() => {
      this.current = null;
      this.emit('idle');
    });
    return this.current;
  }
}
