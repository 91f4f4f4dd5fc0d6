/**
 * Blueprint state of the Bench, kept outside React so it survives page switches and keeps
 * receiving `blueprint:progress` / `blueprint:run` events (auto-apply runs too): the blueprints,
 * the selected one, the auto-apply session, per-device progress of the current/last run, and the
 * last run's summary. Components read it with `useBlueprintStore()`.
 */
import { useSyncExternalStore } from 'react';
import type { AutoApplyStateOut, BlueprintProgressOut, BlueprintRunOut, BlueprintSummaryOut } from '../../../../main/ipc/contract-blueprints';
import { api } from '../../api';

/** The state. */
export interface BlueprintStoreState {
  blueprints: BlueprintSummaryOut[];
  loaded: boolean;
  selected: string | null;
  autoApply: AutoApplyStateOut;
  /** Latest progress per UDID (cleared when a run starts, or when staging starts). */
  progress: Record<string, BlueprintProgressOut>;
  /** Message of the failed step per UDID, for the current/last run. */
  failures: Record<string, string>;
  /** An apply started from the Bench is running. */
  applying: boolean;
  cancelling: boolean;
  lastRun: BlueprintRunOut | null;
}

let state: BlueprintStoreState = {
  blueprints: [], loaded: false, selected: null, autoApply: { active: false, blueprint: null, running: [] }, progress: {}, failures: {}, applying: false, cancelling: false, lastRun: null,
};
const listeners = new Set<() => void>();
let subscribed = false;
const runListeners = new Set<(run: BlueprintRunOut) => void>();

/** Replaces part of the state and notifies. */
export function patchBlueprints(patch: Partial<BlueprintStoreState> | ((s: BlueprintStoreState) => Partial<BlueprintStoreState>)): void {
  state = { ...state, ...(typeof patch === 'function' ? patch(state) : patch) };
  for (const l of listeners) l();
}

/** Runs whose summary arrived: progress events that trail the summary are ignored for them. */
const finishedRuns = new Set<string>();

function ensureEvents(): void {
  if (subscribed) return;
  subscribed = true;
  api().on('blueprint:progress', (p) => {
    if (finishedRuns.has(p.runId)) return;
    patchBlueprints((s) => ({ progress: { ...s.progress, [p.udid]: p }, ...(p.state === 'failed' ? { failures: { ...s.failures, [p.udid]: p.message } } : {}) }));
  });
  api().on('blueprint:run', (r) => {
    finishedRuns.add(r.runId);
    // The summary is the final word on each device's steps (its progress events may still be in flight).
    patchBlueprints((s) => {
      const progress = { ...s.progress };
      for (const d of r.devices) {
        const last = progress[d.udid];
        if (last && last.runId === r.runId) progress[d.udid] = { ...last, steps: d.steps, progress: d.ok ? 1 : last.progress };
      }
      return { lastRun: r, progress };
    });
    for (const l of runListeners) l(r);
  });
}

/** Calls `cb` for every finished auto-apply run; returns the unsubscribe function. */
export function onAutoRun(cb: (run: BlueprintRunOut) => void): () => void {
  runListeners.add(cb);
  return () => runListeners.delete(cb);
}

/** Reloads the blueprints and the auto-apply state; keeps the selection when it still exists. Rejects with the channel's error. */
export async function loadBlueprints(): Promise<void> {
  ensureEvents();
  const r = await api().invoke('blueprints:list');
  patchBlueprints((s) => {
    const names = r.blueprints.map((b) => b.name);
    const keep = s.selected && names.includes(s.selected) ? s.selected : null;
    const selected = keep ?? r.autoApply.blueprint ?? r.blueprints.find((b) => b.ready)?.name ?? names[0] ?? null;
    return { blueprints: r.blueprints, autoApply: r.autoApply, selected, loaded: true };
  });
}

/** The store, as a React hook. */
export function useBlueprintStore(): BlueprintStoreState {
  ensureEvents();
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}
