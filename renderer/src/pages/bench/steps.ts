/** Staging step labels and progress arithmetic for the device cards. */
import type { DeviceStageProgress, StageStepName, StageStepState } from '../../../../main/app/types';

/** Steps in order, with the label shown under each marker. */
export const STEP_LABELS: readonly { step: StageStepName; label: string }[] = [
  { step: 'pair', label: 'Pair' },
  { step: 'info', label: 'Info' },
  { step: 'wifi-profile', label: 'Wi-Fi' },
  { step: 'enrollment-profile', label: 'Enrollment' },
  { step: 'verify', label: 'Verify' },
];

/** Overall state of a device in a run. */
export type DeviceRunState = 'idle' | 'running' | 'done' | 'failed';

/** Run state from the latest progress event (`idle` without one). */
export function runStateOf(p: DeviceStageProgress | undefined): DeviceRunState {
  if (!p) return 'idle';
  const states = Object.values(p.steps) as StageStepState[];
  if (states.includes('failed')) return 'failed';
  if (states.every((s) => s === 'done' || s === 'skipped')) return 'done';
  return 'running';
}

/**
 * Percent 0..100 for the progress bar: share of finished steps (the service's `progress`, or the
 * step states when higher); a failed device shows a full bar (coloured as an error).
 */
export function percentOf(p: DeviceStageProgress | undefined): number {
  if (!p) return 0;
  if (runStateOf(p) === 'failed') return 100;
  const total = STEP_LABELS.length;
  const finished = STEP_LABELS.filter(({ step }) => p.steps[step] === 'done' || p.steps[step] === 'skipped').length;
  const overall = Math.max(finished / total, Math.min(1, Math.max(0, p.progress)));
  return Math.round(overall * 100);
}
