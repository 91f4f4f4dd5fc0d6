/**
 * Filtered, windowed reads of the append-only audit trail (`audit_log`, migration 1): by action
 * (exact, or a prefix ending in `*` such as `inventory.*`), actor, target, outcome, time range and
 * free text (substring of action, actor, target or detail; `%` and `_` literal), newest first by
 * default. Read-only: nothing here (or anywhere in the app) updates or deletes audit rows, and the
 * table's triggers refuse it.
 */
import type { AuditEntry, AuditOutcome } from '../store/audit';
import type { Db } from '../store/db';
import {
  defineWindowTable, eq, escapeLike, iterateWindow, likeAny, queryWindow,
  type Condition, type WindowResult,
} from '../store/window';

/** Sortable audit columns. */
export type AuditSort = 'id' | 'at';

/** An audit query. Times are ISO-8601; `since` is inclusive, `until` exclusive. */
export interface AuditQuery {
  action?: string;
  actor?: string;
  target?: string;
  outcome?: AuditOutcome;
  since?: string;
  until?: string;
  /** Substring of action, actor, target or detail (case-insensitive for ASCII). */
  text?: string;
  sort?: AuditSort;
  /** Newest first unless `desc` is false. */
  desc?: boolean;
  offset?: number;
  /** 1..1000, default 100. */
  limit?: number;
}

/** Invalid audit query; `field` names it, `exitCode` 2 makes the CLI exit 2. */
export class AuditQueryError extends Error {
  readonly exitCode = 2;
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'AuditQueryError';
  }
}

/** The audit trail as a window table (id is the rowid; `at` has the audit_by_time index). */
export const AUDIT_TABLE = defineWindowTable<AuditSort>({
  table: 'audit_log',
  alias: 'a',
  select: 'a.id, a.at, a.actor, a.action, a.target, a.outcome, a.detail',
  key: 'a.id',
  defaultSort: 'id',
  sorts: { id: { expr: 'a.id' }, at: { expr: 'a.at', index: 'audit_by_time' } },
});

function isoTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new AuditQueryError(field, `${field} "${value}" is not a time; give ISO-8601 such as 2025-01-31 or 2025-01-31T08:00:00Z`);
  return new Date(ms).toISOString();
}

/** Validates `q` and returns its WHERE conditions. Throws AuditQueryError naming the bad field. */
export function auditConditions(q: AuditQuery): Condition[] {
  const where: Condition[] = [];
  if (q.action) {
    if (q.action.endsWith('*')) where.push({ sql: "a.action LIKE ? ESCAPE '\\'", args: [`${escapeLike(q.action.slice(0, -1))}%`] });
    else where.push(eq('a.action', q.action));
  }
  if (q.actor) where.push(eq('a.actor', q.actor));
  if (q.target) where.push(eq('a.target', q.target));
  if (q.outcome !== undefined) {
    if (q.outcome !== 'success' && q.outcome !== 'failure') throw new AuditQueryError('outcome', `outcome must be success or failure, not "${String(q.outcome)}"`);
    where.push(eq('a.outcome', q.outcome));
  }
  const since = q.since ? isoTime(q.since, 'since') : null;
  const until = q.until ? isoTime(q.until, 'until') : null;
  if (since && until && since >= until) throw new AuditQueryError('until', `until (${until}) must be later than since (${since})`);
  if (since) where.push({ sql: 'a.at >= ?', args: [since] });
  if (until) where.push({ sql: 'a.at < ?', args: [until] });
  if (q.text) where.push(likeAny(['a.action', 'a.actor', 'a.target', 'a.detail'], q.text));
  if (q.sort !== undefined && q.sort !== 'id' && q.sort !== 'at') throw new AuditQueryError('sort', `cannot sort the audit trail by "${String(q.sort)}"; use id or at`);
  return where;
}

/** One window of audit rows: `{ rows, total, offset, limit, nextCursor }`. */
export function queryAudit(db: Db, q: AuditQuery = {}): WindowResult<AuditEntry> {
  return queryWindow<AuditSort, AuditEntry>(db, AUDIT_TABLE, {
    where: auditConditions(q), sort: q.sort ?? 'id', desc: q.desc !== false, offset: q.offset, limit: q.limit,
  });
}

/** Every audit row matching `q` (offset/limit ignored), in order, 500 at a time. */
export function iterateAudit(db: Db, q: AuditQuery = {}): Generator<AuditEntry> {
  return iterateWindow<AuditSort, AuditEntry>(db, AUDIT_TABLE, { where: auditConditions(q), sort: q.sort ?? 'id', desc: q.desc !== false });
}
