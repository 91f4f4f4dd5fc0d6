/**
 * Per-device logs of staging, blueprint and restore runs, kept in the cache (`device_logs`,
 * migration 008). Lines are written by StageBench itself (step outcomes, retries, detach and
 * re-attach, tool output): never put a secret (Wi-Fi password, SCEP challenge, key) in a message.
 */
import type { Db } from '../store';

/** Severity of a log line. */
export type DeviceLogLevel = 'info' | 'warn' | 'error';

/** One log line. `at` is ISO-8601 UTC; `step` the step it belongs to, when any. */
export interface DeviceLogLine {
  id: number;
  runId: string;
  udid: string;
  at: string;
  level: DeviceLogLevel;
  step: string | null;
  message: string;
}

/** Appends one line; returns its id. The run must exist in `staging_runs`. */
export function appendDeviceLog(db: Db, line: { runId: string; udid: string; level: DeviceLogLevel; step?: string | null; message: string; at?: string }): number {
  const info = db
    .prepare('INSERT INTO device_logs (run_id, udid, at, level, step, message) VALUES (?, ?, ?, ?, ?, ?)')
    .run(line.runId, line.udid, line.at ?? new Date().toISOString(), line.level, line.step ?? null, line.message);
  return Number(info.lastInsertRowid);
}

/** Lines of one run (optionally one device), oldest first; or of one device across runs when `runId` is omitted (newest `limit`, default 500). */
export function listDeviceLogs(db: Db, filter: { runId?: string; udid?: string; limit?: number }): DeviceLogLine[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.runId) {
    where.push('run_id = ?');
    args.push(filter.runId);
  }
  if (filter.udid) {
    where.push('udid = ?');
    args.push(filter.udid);
  }
  const sql = `SELECT * FROM (SELECT id, run_id AS runId, udid, at, level, step, message FROM device_logs
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?) ORDER BY id`;
  return db.prepare(sql).all(...args, filter.limit ?? 500) as DeviceLogLine[];
}
