/**
 * Pull checkpoints (`sync_checkpoints`): per stream, the sweep in progress (a random id) and the
 * next `start` offset. Written in the same transaction as the page it follows, so after a crash a
 * sweep resumes at the first page not committed; a sweep id of NULL means the last sweep finished.
 */
import crypto from 'node:crypto';
import type { Db } from '../store';

/** A stream's checkpoint. */
export interface Checkpoint {
  stream: string;
  sweepId: string | null;
  nextStart: number;
  totalCount: number | null;
  sweepStartedAt: string | null;
  lastCompleteAt: string | null;
}

interface Row {
  stream: string;
  sweep_id: string | null;
  next_start: number;
  total_count: number | null;
  sweep_started_at: string | null;
  last_complete_at: string | null;
}

/** The checkpoint of `stream` (a fresh one when none is stored). */
export function readCheckpoint(db: Db, stream: string): Checkpoint {
  const r = db.prepare('SELECT * FROM sync_checkpoints WHERE stream = ?').get(stream) as Row | undefined;
  if (!r) return { stream, sweepId: null, nextStart: 0, totalCount: null, sweepStartedAt: null, lastCompleteAt: null };
  return { stream, sweepId: r.sweep_id, nextStart: r.next_start, totalCount: r.total_count, sweepStartedAt: r.sweep_started_at, lastCompleteAt: r.last_complete_at };
}

/** Every stored checkpoint. */
export function listCheckpoints(db: Db): Checkpoint[] {
  return (db.prepare('SELECT stream FROM sync_checkpoints ORDER BY stream').pluck().all() as string[]).map((s) => readCheckpoint(db, s));
}

/** Starts a sweep of `stream` (new sweep id, offset 0) and returns its checkpoint. */
export function beginSweep(db: Db, stream: string, now = new Date().toISOString()): Checkpoint {
  const sweepId = crypto.randomUUID();
  db.prepare(`INSERT INTO sync_checkpoints (stream, sweep_id, next_start, total_count, sweep_started_at, updated_at) VALUES (?, ?, 0, NULL, ?, ?)
              ON CONFLICT(stream) DO UPDATE SET sweep_id = excluded.sweep_id, next_start = 0, total_count = NULL, sweep_started_at = excluded.sweep_started_at, updated_at = excluded.updated_at`)
    .run(stream, sweepId, now, now);
  return readCheckpoint(db, stream);
}

/** Advances the sweep position (call inside the page's transaction). */
export function advanceSweep(db: Db, stream: string, nextStart: number, totalCount: number, now = new Date().toISOString()): void {
  db.prepare('UPDATE sync_checkpoints SET next_start = ?, total_count = ?, updated_at = ? WHERE stream = ?').run(nextStart, totalCount, now, stream);
}

/** Ends the sweep (call inside the transaction that records deletions). */
export function completeSweep(db: Db, stream: string, now = new Date().toISOString()): void {
  db.prepare('UPDATE sync_checkpoints SET sweep_id = NULL, next_start = 0, last_complete_at = ?, updated_at = ? WHERE stream = ?').run(now, now, stream);
}

/** Abandons any sweep in progress (e.g. after the device space changed): the next pull starts over. */
export function resetCheckpoints(db: Db): void {
  db.prepare('UPDATE sync_checkpoints SET sweep_id = NULL, next_start = 0').run();
}
