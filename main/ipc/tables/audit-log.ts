/**
 * The Audit table: the append-only `audit_log` (main/store/audit.ts), newest first, windowed with
 * main/store/window.ts. Filters: action, actor, outcome (options read from the log); search
 * matches action, actor, target and detail. Read-only: no selection, no actions.
 */
import type { Db } from '../../store';
import { inList, likeAny, sqlAll, sqlWindow, type Condition, type SqlTable } from './sql-window';
import { csvBuffer } from './csv-buffer';
import { checkFilters, fileDate, TableRequestError, type TableSource } from './source';
import { type TableColumn, type TableCriteria, type TableDescription, type TableRow } from './types';

const SORTS = ['at', 'actor', 'action', 'target', 'outcome'] as const;
type Sort = (typeof SORTS)[number];

const TABLE: SqlTable = {
  from: 'audit_log a',
  select: 'a.id AS id, a.at AS at, a.actor AS actor, a.action AS action, a.target AS target, a.outcome AS outcome, a.detail AS detail',
  key: 'a.id',
  sorts: {
    at: 'a.id', // ids grow with time; the primary key keeps "newest first" cheap
    actor: 'a.actor',
    action: 'a.action',
    target: 'a.target',
    outcome: 'a.outcome',
  } satisfies Record<Sort, string>,
};

const COLUMNS: TableColumn[] = [
  { id: 'at', label: 'When', kind: 'datetime', sortable: true, width: 180 },
  { id: 'actor', label: 'Actor', kind: 'text', sortable: true, width: 150 },
  { id: 'action', label: 'Action', kind: 'mono', sortable: true, width: 230 },
  { id: 'outcome', label: 'Outcome', kind: 'status', sortable: true, width: 110 },
  { id: 'target', label: 'Target', kind: 'mono', sortable: true, width: 280 },
  { id: 'detail', label: 'Detail', kind: 'text', sortable: false, width: 420 },
  { id: 'id', label: '#', kind: 'text', sortable: false, width: 80, hidden: true },
];

const FILTER_IDS = [
  { id: 'action', label: 'Action', options: [] },
  { id: 'actor', label: 'Actor', options: [] },
  { id: 'outcome', label: 'Outcome', options: [] },
];

function isSort(s: string): s is Sort {
  return (SORTS as readonly string[]).includes(s);
}

/** The audit-log table over `db`. */
export function auditLogTable(db: Db): TableSource {
  const distinct = (col: 'action' | 'actor'): string[] =>
    (db.prepare(`SELECT DISTINCT ${col} AS v FROM audit_log ORDER BY 1 LIMIT 200`).all() as { v: string }[]).map((r) => r.v);
  const describe = (): TableDescription => ({
    table: 'audit',
    source: 'audit-log',
    sourceLabel: 'Append-only audit trail of this workstation',
    rowKey: 'id',
    columns: COLUMNS,
    filters: [
      { id: 'action', label: 'Action', options: distinct('action').map((v) => ({ value: v, label: v })) },
      { id: 'actor', label: 'Actor', options: distinct('actor').map((v) => ({ value: v, label: v })) },
      { id: 'outcome', label: 'Outcome', options: [{ value: 'success', label: 'Success' }, { value: 'failure', label: 'Failure' }] },
    ],
    actions: [],
    searchPlaceholder: 'Action, actor, target or detail',
    defaultSort: { id: 'at', desc: true },
    selectable: false,
  });
  const conditions = (c: TableCriteria): Condition[] => {
    const where: Condition[] = [];
    const filters = checkFilters(c.filters, FILTER_IDS);
    for (const id of ['action', 'actor', 'outcome'] as const) {
      const values = filters.get(id);
      if (values) where.push(inList(`a.${id}`, values));
    }
    const term = c.search?.trim();
    if (term) where.push(likeAny(['a.action', 'a.actor', 'a.target', 'a.detail'], term));
    return where;
  };
  const sortOf = (c: TableCriteria): Sort => {
    const s = c.sort ?? 'at';
    if (!isSort(s)) throw new TableRequestError(`cannot sort the audit log by "${s}"`);
    return s;
  };
  return {
    describe,
    query(req) {
      const res = sqlWindow<TableRow>(db, TABLE, conditions(req), sortOf(req), req.desc ?? !req.sort, req.offset, req.limit);
      return { rows: res.rows, total: res.total, offset: req.offset };
    },
    async exportCsv(criteria, keys) {
      const where = conditions(criteria);
      if (keys) where.push(inList('a.id', keys.map(Number)));
      const rows = sqlAll<TableRow>(db, TABLE, where, sortOf(criteria), criteria.desc ?? !criteria.sort);
      const out = await csvBuffer(rows, ['id', 'at', 'actor', 'action', 'target', 'outcome', 'detail'].map((h) => ({ header: h, cell: (r: TableRow) => r[h] })));
      return { filename: `audit-${fileDate()}.csv`, ...out };
    },
    act(action) {
      throw new TableRequestError(`the audit log is read-only ("${action}" refused)`);
    },
  };
}
