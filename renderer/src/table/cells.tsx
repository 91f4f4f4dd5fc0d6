/**
 * Cell rendering for the data table by column kind, in plain DOM with class names styled once by
 * the table root (see table-styles.ts): cheap enough to redraw a screenful of rows every frame.
 */
import type { ReactNode } from 'react';
import type { CellValue, ColumnKind } from '../../../main/ipc/tables/types';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Local date-time text of an ISO string (the input when unparsable, '—' when empty). */
export function formatCellDate(v: CellValue): string {
  if (v === null || v === '') return '—';
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : dateTime.format(d);
}

/** Tone of a status value: good, bad, warn or neutral. */
export function statusTone(v: string): 'good' | 'bad' | 'warn' | 'neutral' {
  const s = v.toLowerCase();
  if (['active', 'success', 'done', 'online', 'staged'].includes(s)) return 'good';
  if (['failure', 'failed', 'wiped', 'offline', 'error'].includes(s)) return 'bad';
  if (['retired', 'reset', 'pending', 'warning'].includes(s)) return 'warn';
  return 'neutral';
}

/** The content of one cell. */
export function renderCell(kind: ColumnKind, v: CellValue): ReactNode {
  if (v === null || v === '') return <span className="dt-muted">—</span>;
  switch (kind) {
    case 'mono':
      return <span className="dt-mono">{String(v)}</span>;
    case 'datetime':
      return formatCellDate(v);
    case 'status':
      return (
        <span className={`dt-status dt-${statusTone(String(v))}`}>
          <i />
          {String(v)}
        </span>
      );
    case 'chip':
      return <span className="dt-pill">{String(v)}</span>;
    case 'boolean':
      return v ? <span className="dt-status dt-good"><i />Yes</span> : <span className="dt-muted">No</span>;
    default:
      return String(v);
  }
}

/** Plain text of a cell (for the title tooltip). */
export function cellText(kind: ColumnKind, v: CellValue): string {
  if (v === null) return '';
  return kind === 'datetime' ? formatCellDate(v) : String(v);
}
