/**
 * The append-only audit trail: who did what, when, to which target, with what outcome.
 * The table has triggers that refuse UPDATE and DELETE; this module only appends and reads.
 * Never put secrets in `detail`.
 */
import os from 'node:os';
import type { Db } from './db';

/** Outcome of an audited action. */
export type AuditOutcome = 'success' | 'failure';

/** One audit row. `at` is ISO-8601 UTC. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcome;
  detail: string;
}

/** Input for a new audit row; `at` defaults to now, `actor` to the OS user. */
export interface AuditInput {
  action: string;
  target?: string;
  outcome: AuditOutcome;
  detail?: string;
  actor?: string;
  at?: string;
}

/** The operator name recorded by default: the OS account running StageBench. */
export function defaultActor(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Appends one row and returns its id. */
export function appendAudit(db: Db, e: AuditInput): number {
  const info = db
    .prepare('INSERT INTO audit_log (at, actor, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)')
    .run(e.at ?? new Date().toISOString(), e.actor ?? defaultActor(), e.action, e.target ?? '', e.outcome, e.detail ?? '');
  return Number(info.lastInsertRowid);
}

/** Lists rows, newest first, optionally filtered by action prefix and target. `limit` defaults to 200. */
export function listAudit(db: Db, filter: { actionPrefix?: string; target?: string; limit?: number } = {}): AuditEntry[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (filter.actionPrefix) {
    where.push('action LIKE ?');
    args.push(`${filter.actionPrefix}%`);
  }
  if (filter.target) {
    where.push('target = ?');
    args.push(filter.target);
  }
  const sql = `SELECT id, at, actor, action, target, outcome, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  return db.prepare(sql).all(...args, filter.limit ?? 200) as AuditEntry[];
}
