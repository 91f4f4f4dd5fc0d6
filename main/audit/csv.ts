/**
 * CSV export of the audit trail: columns id, at, actor, action, target, outcome, detail, in the
 * query's order (newest first by default), streamed in keyset batches.
 */
import type { Writable } from 'node:stream';
import type { AuditEntry } from '../store/audit';
import { writeCsv, writeCsvFile, type CsvColumn } from '../store/csv-export';
import type { Db } from '../store/db';
import { iterateAudit, type AuditQuery } from './query';

/** The export's columns, in order. */
export const AUDIT_CSV_COLUMNS: readonly CsvColumn<AuditEntry>[] = [
  { header: 'id', cell: (e) => e.id },
  { header: 'at', cell: (e) => e.at },
  { header: 'actor', cell: (e) => e.actor },
  { header: 'action', cell: (e) => e.action },
  { header: 'target', cell: (e) => e.target },
  { header: 'outcome', cell: (e) => e.outcome },
  { header: 'detail', cell: (e) => e.detail },
];

/** Streams the rows matching `q` to `out`; resolves to the row count. Throws AuditQueryError first on a bad query. */
export function exportAuditCsv(db: Db, out: Writable, q: AuditQuery = {}): Promise<number> {
  return writeCsv(iterateAudit(db, q), AUDIT_CSV_COLUMNS, out);
}

/** Same as exportAuditCsv, to file `path` (mode 0600); a failed export leaves no partial file. */
export function exportAuditCsvFile(db: Db, path: string, q: AuditQuery = {}): Promise<number> {
  return writeCsvFile(iterateAudit(db, q), AUDIT_CSV_COLUMNS, path);
}
