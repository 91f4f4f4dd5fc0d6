/**
 * Staging runs and their per-device steps. A run is created before any device work starts;
 * each step transition is written as it happens, so an interrupted run shows where it stopped.
 * Options are stored without secrets (no Wi-Fi password).
 */
import type { Db } from './db';

/** Run status. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';
/** Step state. */
export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

/** A run row. Times ISO-8601 UTC. */
export interface StagingRun {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  actor: string;
  options: Record<string, unknown>;
  succeeded: number;
  failed: number;
}

/** A step row. */
export interface StagingStep {
  runId: string;
  udid: string;
  seq: number;
  step: string;
  state: StepState;
  message: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Creates a run in status `running`. `options` must hold no secrets. */
export function createRun(db: Db, run: { id: string; actor: string; options: Record<string, unknown>; startedAt?: string }): void {
  db.prepare('INSERT INTO staging_runs (id, started_at, status, actor, options_json) VALUES (?, ?, ?, ?, ?)').run(
    run.id,
    run.startedAt ?? new Date().toISOString(),
    'running',
    run.actor,
    JSON.stringify(run.options),
  );
}

/** Creates the pending steps of one device, in order, in one transaction. */
export function planDeviceSteps(db: Db, runId: string, udid: string, steps: readonly string[]): void {
  const insert = db.prepare('INSERT INTO staging_steps (run_id, udid, seq, step, state) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => steps.forEach((step, i) => insert.run(runId, udid, i, step, 'pending')))();
}

/** Moves one step to `state`, recording start/finish times and a message (no secrets). */
export function setStepState(db: Db, runId: string, udid: string, step: string, state: StepState, message = ''): void {
  const now = new Date().toISOString();
  db.prepare(
    `UPDATE staging_steps SET state = ?, message = ?,
       started_at  = CASE WHEN ? = 'running' THEN ? ELSE COALESCE(started_at, ?) END,
       finished_at = CASE WHEN ? IN ('done', 'failed', 'skipped') THEN ? ELSE finished_at END
     WHERE run_id = ? AND udid = ? AND step = ?`,
  ).run(state, message, state, now, now, state, now, runId, udid, step);
}

/** Closes a run with its final status and counts. */
export function finishRun(db: Db, runId: string, status: RunStatus, succeeded: number, failed: number): void {
  db.prepare('UPDATE staging_runs SET finished_at = ?, status = ?, succeeded = ?, failed = ? WHERE id = ?').run(
    new Date().toISOString(),
    status,
    succeeded,
    failed,
    runId,
  );
}

/** One run with its steps, or null. */
export function getRun(db: Db, runId: string): { run: StagingRun; steps: StagingStep[] } | null {
  const row = db
    .prepare('SELECT id, started_at AS startedAt, finished_at AS finishedAt, status, actor, options_json AS optionsJson, succeeded, failed FROM staging_runs WHERE id = ?')
    .get(runId) as (Omit<StagingRun, 'options'> & { optionsJson: string }) | undefined;
  if (!row) return null;
  const { optionsJson, ...rest } = row;
  const steps = db
    .prepare('SELECT run_id AS runId, udid, seq, step, state, message, started_at AS startedAt, finished_at AS finishedAt FROM staging_steps WHERE run_id = ? ORDER BY udid, seq')
    .all(runId) as StagingStep[];
  return { run: { ...rest, options: JSON.parse(optionsJson) as Record<string, unknown> }, steps };
}

/** Marks runs left `running` by a crashed process as `interrupted`; returns how many. */
export function markStaleRunsInterrupted(db: Db): number {
  return db.prepare(`UPDATE staging_runs SET status = 'interrupted', finished_at = ? WHERE status = 'running'`).run(new Date().toISOString()).changes;
}
