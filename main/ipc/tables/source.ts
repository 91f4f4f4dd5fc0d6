/** The table-source side of the windowed-table protocol (Node only; shapes shared with the renderer live in ./types). */
import type { TableCriteria, TableDescription, TableFilter, TableWindow, TableWindowRequest } from './types';

/** A CSV export: file name and bytes (UTF-8, header line first) and the number of data rows. */
export interface TableExport {
  filename: string;
  csv: Buffer;
  rows: number;
}

/** Per-row outcome of a bulk action. */
export interface TableActionResult {
  results: { key: string; ok: boolean; message?: string }[];
  succeeded: number;
  failed: number;
}

/** A table source. Throws TableRequestError for an unknown sort, filter or action. */
export interface TableSource {
  describe(): TableDescription;
  query(req: TableWindowRequest): TableWindow;
  /** Every row matching `criteria` (or only the rows whose key is in `keys`) as CSV. */
  exportCsv(criteria: TableCriteria, keys?: readonly string[]): Promise<TableExport>;
  /** Runs a bulk action on rows by key. */
  act(action: string, keys: readonly string[]): TableActionResult;
}

/** A request naming an unknown sort, filter, option or action. `code` E_INVALID_INPUT. */
export class TableRequestError extends Error {
  readonly code = 'E_INVALID_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'TableRequestError';
  }
}

/** Checks `filters` against `known` and returns the chosen values per filter id (empty lists dropped). */
export function checkFilters(filters: Record<string, string[]> | undefined, known: readonly TableFilter[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, values] of Object.entries(filters ?? {})) {
    const def = known.find((f) => f.id === id);
    if (!def) throw new TableRequestError(`unknown filter "${id}"; choose one of: ${known.map((f) => f.id).join(', ') || 'none'}`);
    if (values.length === 0) continue;
    out.set(id, values);
  }
  return out;
}

/** Today's date for export file names (`2026-05-01`). */
export function fileDate(d = new Date()): string {
  return d.toISOString().slice(0, 10);
}
