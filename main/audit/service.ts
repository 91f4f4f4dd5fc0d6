/**
 * The audit service for the CLI (`stagebench audit list|export`) and the Electron IPC: read and
 * export only. It deliberately has no update, delete or clear operation — the audit trail is
 * append-only (rows are added by the services that act, via store/audit.ts appendAudit), and the
 * `audit_log` triggers refuse UPDATE and DELETE from any other path.
 *
 *   const audit = createAuditService(db);
 *   audit.list({ action: 'inventory.*', outcome: 'failure', since: '2025-01-01', text: 'C02', limit: 50 }) → { rows, total, ... }
 *   audit.exportCsvFile('audit.csv', { actor: 'cli:alice' }) → Promise<rows written>
 */
import type { Writable } from 'node:stream';
import type { AuditEntry } from '../store/audit';
import type { Db } from '../store/db';
import type { WindowResult } from '../store/window';
import { exportAuditCsv, exportAuditCsvFile } from './csv';
import { auditConditions, queryAudit, type AuditQuery } from './query';

/** Read-only access to the audit trail. */
export interface AuditService {
  /** One window of rows matching `q` (newest first by default). Throws AuditQueryError / WindowQueryError on bad input. */
  list(q?: AuditQuery): WindowResult<AuditEntry>;
  /** Streams matching rows as CSV to `out`; resolves to the row count. */
  exportCsv(out: Writable, q?: AuditQuery): Promise<number>;
  /** Writes matching rows as CSV to `path` (0600); resolves to the row count. */
  exportCsvFile(path: string, q?: AuditQuery): Promise<number>;
}

/** Builds the audit service over an open cache. */
export function createAuditService(db: Db): AuditService {
  return Object.freeze({
    list: (q?: AuditQuery) => queryAudit(db, q),
    exportCsv: (out: Writable, q?: AuditQuery) => {
      auditConditions(q ?? {});
      return exportAuditCsv(db, out, q);
    },
    exportCsvFile: (path: string, q?: AuditQuery) => {
      auditConditions(q ?? {});
      return exportAuditCsvFile(db, path, q);
    },
  });
}
