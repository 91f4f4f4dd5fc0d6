/** Access to `window.stagebench`, the contract API installed by the preload. */
import type { StageBenchApi } from '../../main/ipc/bridge';

/**
 * The contract API. Throws Error when no preload installed it (the page was opened outside
 * StageBench), so failures surface with a clear message instead of `undefined` errors.
 */
export function api(): StageBenchApi {
  const bridge = window.stagebench;
  if (!bridge) throw new Error('The StageBench bridge is missing: open this page through the StageBench app.');
  return bridge;
}

/** The message of a rejected call, for display (the bridge's trailing `[E_CODE]` removed). */
export function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\[E_[A-Z0-9_]+\]$/, '');
}
