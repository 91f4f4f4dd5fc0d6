/**
 * The generic windowed-table protocol behind `table:describe`, `table:query`, `table:export` and
 * `table:action`: a table source describes its columns and filters once, then answers windows
 * (`offset`/`limit` with search, sort and filters) with the rows and the total that match.
 * Rows are flat JSON records keyed by column id; `rowKey` names the column that identifies a row.
 * This file holds the shapes shared with the renderer (no Node types); ./source.ts the source side.
 */

/** Tables the UI can page through. */
export const TABLE_IDS = ['devices', 'audit'] as const;
/** A table id. */
export type TableId = (typeof TABLE_IDS)[number];

/** How a cell is shown: plain, monospace identifier, date-time, status chip, tag chip, yes/no. */
export const COLUMN_KINDS = ['text', 'mono', 'datetime', 'status', 'chip', 'boolean'] as const;
/** A column kind. */
export type ColumnKind = (typeof COLUMN_KINDS)[number];

/** A JSON-safe cell value. */
export type CellValue = string | number | boolean | null;
/** One table row: column id → value. */
export type TableRow = Record<string, CellValue>;

/** One column. `width` is the initial width in CSS pixels; `hidden` = off until the admin turns it on. */
export interface TableColumn {
  id: string;
  label: string;
  kind: ColumnKind;
  sortable: boolean;
  width: number;
  hidden?: boolean;
}

/** A filter the toolbar offers as chips: pick one or more of `options` (OR within, AND across filters). */
export interface TableFilter {
  id: string;
  label: string;
  options: { value: string; label: string }[];
}

/** A bulk action on selected rows. `destructive` actions ask for confirmation first. */
export interface TableAction {
  id: string;
  label: string;
  destructive: boolean;
  /** One sentence shown in the confirmation (what happens to the selected rows). */
  description: string;
}

/** What a table looks like; `source` names where the rows come from (shown to the admin). */
export interface TableDescription {
  table: TableId;
  source: 'inventory' | 'bench-cache' | 'audit-log';
  /** One line naming the source, e.g. "Devices seen at this bench (local cache)". */
  sourceLabel: string;
  rowKey: string;
  columns: TableColumn[];
  filters: TableFilter[];
  actions: TableAction[];
  searchPlaceholder: string;
  /** Default sort column and direction. */
  defaultSort: { id: string; desc: boolean };
  /** Whether rows can be selected (false for read-only tables such as the audit log). */
  selectable: boolean;
}

/** Search, sort and filters of a request (shared by query and export). */
export interface TableCriteria {
  search?: string;
  sort?: string;
  desc?: boolean;
  /** Filter id → chosen option values. Unknown ids and values are refused. */
  filters?: Record<string, string[]>;
}

/** A window request. `limit` is 1..500. */
export interface TableWindowRequest extends TableCriteria {
  offset: number;
  limit: number;
}

/** A window: its rows and how many rows match the criteria in all. */
export interface TableWindow {
  rows: TableRow[];
  total: number;
  offset: number;
}
