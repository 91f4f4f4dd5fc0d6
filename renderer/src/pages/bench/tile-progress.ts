/**
 * What a device tile shows of a run, from either a staging progress event (fixed steps) or a
 * blueprint progress event (the blueprint's own steps): step markers, bar percent, message, state.
 */
import type { DeviceStageProgress } from '../../../../main/app/types';
import type { BlueprintProgressOut } from '../../../../main/ipc/contract-blueprints';
import { percentOf, runStateOf, STEP_LABELS, type DeviceRunState } from './steps';

/** One step marker. */
export interface TileStep {
  step: string;
  label: string;
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
}

/** The tile's run view. `waiting`: the device was unplugged and the run waits for it. */
export interface TileProgress {
  kind: 'stage' | 'blueprint';
  steps: TileStep[];
  percent: number;
  message: string;
  state: DeviceRunState;
  waiting: boolean;
}

const LABELS: Record<string, string> = {
  pair: 'Pair', info: 'Info', 'wifi-profile': 'Wi-Fi', 'enrollment-profile': 'Enroll', profile: 'Profile', prepare: 'Prepare', 'device-name': 'Name', locale: 'Locale', erase: 'Erase', verify: 'Verify',
};

/** Label of a blueprint step name (`profile#2` → `Profile 2`). */
export function stepLabel(step: string): string {
  const [base, n] = step.split('#');
  return `${LABELS[base] ?? base}${n ? ` ${n}` : ''}`;
}

/** From a staging progress event. */
export function fromStage(p: DeviceStageProgress | undefined): TileProgress | null {
  if (!p) return null;
  return {
    kind: 'stage',
    steps: STEP_LABELS.map(({ step, label }) => ({ step, label, state: p.steps[step] ?? 'pending' })),
    percent: percentOf(p),
    message: p.message,
    state: runStateOf(p),
    waiting: false,
  };
}

/** From a blueprint progress event. */
export function fromBlueprint(p: BlueprintProgressOut | undefined): TileProgress | null {
  if (!p) return null;
  const steps = Object.entries(p.steps).map(([step, state]) => ({ step, label: stepLabel(step), state }));
  const failed = steps.some((s) => s.state === 'failed');
  const over = steps.every((s) => s.state === 'done' || s.state === 'skipped');
  const finished = steps.filter((s) => s.state === 'done' || s.state === 'skipped').length;
  return {
    kind: 'blueprint',
    steps,
    percent: failed ? 100 : Math.round(Math.max(p.progress, steps.length ? finished / steps.length : 0) * 100),
    message: p.message,
    state: failed ? 'failed' : over ? 'done' : 'running',
    waiting: p.device === 'waiting',
  };
}
