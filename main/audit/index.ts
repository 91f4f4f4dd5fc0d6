/** Audit trail filtering and CSV export (read-only; the trail is append-only): public face. */
export { createAuditService, type AuditService } from './service';
export { queryAudit, iterateAudit, auditConditions, AuditQueryError, AUDIT_TABLE, type AuditQuery, type AuditSort } from './query';
export { exportAuditCsv, exportAuditCsvFile, AUDIT_CSV_COLUMNS } from './csv';
