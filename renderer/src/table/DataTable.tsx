/**
 * The virtualized data table for server-side tables of up to 100,000+ rows: `table:describe` gives
 * columns, filters and actions; rows come in windows through `table:query` (useTableWindow);
 * TanStack Table holds the column model, sorting, visibility and row selection; TanStack Virtual
 * draws only the rows in view. Sticky header, sort by header click, debounced search, filter
 * chips, column choice, CSV export (all matching rows or the selection), bulk actions.
 *
 * When the first real rows are on screen it sets `data-ready="true"` on the root and adds the
 * performance mark `table:first-rows` (used by `npm run bench -- table`).
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import LinearProgress from '@mui/material/LinearProgress';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import TableSortLabel from '@mui/material/TableSortLabel';
import {
  getCoreRowModel, useReactTable, type ColumnDef, type RowSelectionState, type SortingState, type Updater, type VisibilityState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TableCriteriaIn, TableDescriptionOut } from '../../../main/ipc/contract';
import type { TableAction, TableColumn, TableId, TableRow } from '../../../main/ipc/tables/types';
import { api, messageOf } from '../api';
import { useToast } from '../components/Toasts';
import { downloadBase64 } from '../files';
import { useDebounced } from '../hooks/useDebounced';
import { BulkBar } from './BulkBar';
import { cellText, renderCell } from './cells';
import { HEADER_HEIGHT, ROW_HEIGHT, TableRoot } from './table-styles';
import { TableToolbar } from './TableToolbar';
import { useTableWindow, type TableWindowState } from './useTableWindow';

/** Props of the data table. */
export interface DataTableProps {
  table: TableId;
  /** Plural noun for counts and messages ("devices", "events"). */
  noun: string;
  /** Search text to start with (e.g. from the command palette); changing it replaces the search. */
  initialSearch?: string;
  /** Shown instead of the grid when the table has no rows at all (no search, no filter). */
  emptyState?: ReactNode;
  /** Called with the description once loaded (pages show the source). */
  onDescribed?: (d: TableDescriptionOut) => void;
  testId?: string;
}

const SELECT_WIDTH = 44;

/** `n` with the plural noun, or its singular for one ("1 device"). */
export function countOf(n: number, noun: string): string {
  return `${n.toLocaleString()} ${n === 1 ? noun.replace(/s$/, '') : noun}`;
}

function visibilityKey(table: string, source: string): string {
  return `stagebench.columns.${table}.${source}`;
}

function initialVisibility(d: TableDescriptionOut): VisibilityState {
  const base = Object.fromEntries(d.columns.map((c) => [c.id, !c.hidden]));
  try {
    const saved = JSON.parse(localStorage.getItem(visibilityKey(d.table, d.source)) ?? '{}') as Record<string, unknown>;
    for (const [k, v] of Object.entries(saved)) if (k in base && typeof v === 'boolean') base[k] = v;
  } catch {
    // ignore unreadable preferences
  }
  return base;
}

interface RowProps {
  row: TableRow | undefined;
  index: number;
  top: number;
  columns: TableColumn[];
  template: string;
  selectable: boolean;
  selected: boolean;
  rowKey: string;
  onToggle: (key: string, index: number, shift: boolean) => void;
}

/** One row (memoized: scrolling re-renders only rows whose data, position or selection changed). */
const VirtualRow = memo(function VirtualRow({ row, index, top, columns, template, selectable, selected, rowKey, onToggle }: RowProps) {
  const key = row ? String(row[rowKey]) : '';
  return (
    <div
      className="dt-row"
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selectable ? selected : undefined}
      data-testid={row ? 'table-row' : 'table-row-placeholder'}
      data-key={key || undefined}
      style={{ transform: `translateY(${top}px)`, gridTemplateColumns: template, width: '100%' }}
    >
      {selectable && (
        <div className="dt-cell dt-check" role="gridcell">
          {row && (
            <input
              type="checkbox"
              aria-label={`Select row ${index + 1}`}
              checked={selected}
              onChange={() => undefined}
              onClick={(e) => onToggle(key, index, e.shiftKey)}
            />
          )}
        </div>
      )}
      {columns.map((c) =>
        row ? (
          <div key={c.id} className="dt-cell" role="gridcell" title={c.kind === 'datetime' ? undefined : cellText(c.kind, row[c.id] ?? null)}>
            {renderCell(c.kind, row[c.id] ?? null)}
          </div>
        ) : (
          <div key={c.id} className="dt-cell" role="gridcell">
            <div className="dt-skeleton" />
          </div>
        ),
      )}
    </div>
  );
});

const NO_ROWS: TableRow[] = [];

interface BodyProps {
  scrollRef: RefObject<HTMLDivElement | null>;
  total: number;
  win: TableWindowState;
  /** Changes when blocks arrive (re-renders the body). */
  version: number;
  columns: TableColumn[];
  template: string;
  totalWidth: number;
  selectable: boolean;
  selection: RowSelectionState;
  rowKey: string;
  onToggle: (key: string, index: number, shift: boolean) => void;
  onFirstRows: () => void;
}

/**
 * The rows in view (TanStack Virtual). Kept apart from the toolbar and header so a scroll frame
 * re-renders only this component and the rows that entered the viewport.
 */
const VirtualBody = memo(function VirtualBody({ scrollRef, total, win, columns, template, totalWidth, selectable, selection, rowKey, onToggle, onFirstRows }: BodyProps) {
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;
  const lastIndex = items[items.length - 1]?.index ?? 0;
  const { need } = win;
  useEffect(() => {
    if (total > 0) need(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, total, need]);
  const anyLoaded = items.some((it) => win.row(it.index) !== undefined);
  useEffect(() => {
    if (anyLoaded) onFirstRows();
  }, [anyLoaded, onFirstRows]);
  return (
    <div className="dt-body" style={{ height: virtualizer.getTotalSize(), minWidth: totalWidth }}>
      {items.map((it) => {
        const row = win.row(it.index);
        const key = row ? String(row[rowKey]) : '';
        return (
          <VirtualRow
            key={it.index}
            row={row}
            index={it.index}
            top={it.start - HEADER_HEIGHT}
            columns={columns}
            template={template}
            selectable={selectable}
            selected={!!key && !!selection[key]}
            rowKey={rowKey}
            onToggle={onToggle}
          />
        );
      })}
    </div>
  );
});

/** The data table. */
export function DataTable({ table, noun, initialSearch = '', emptyState, onDescribed, testId = 'data-table' }: DataTableProps) {
  const toast = useToast();
  const [desc, setDesc] = useState<TableDescriptionOut | null>(null);
  const [descError, setDescError] = useState<string | null>(null);
  const [search, setSearch] = useState(initialSearch);
  const [sorting, setSorting] = useState<SortingState>([]);
  const [filters, setFilters] = useState<Record<string, string[]>>({});
  const [visibility, setVisibility] = useState<VisibilityState>({});
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [exporting, setExporting] = useState(false);
  const [acting, setActing] = useState(false);
  const [firstShown, setFirstShown] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const lastClicked = useRef<number | null>(null);
  const debouncedSearch = useDebounced(search, 250);

  const describe = useCallback(() => {
    api()
      .invoke('table:describe', { table })
      .then((d) => {
        setDesc(d);
        setDescError(null);
        setSorting((s) => (s.length ? s : [{ id: d.defaultSort.id, desc: d.defaultSort.desc }]));
        setVisibility(initialVisibility(d));
        onDescribed?.(d);
      })
      .catch((err: unknown) => setDescError(messageOf(err)));
  }, [table, onDescribed]);

  useEffect(() => describe(), [describe]);
  useEffect(() => setSearch(initialSearch), [initialSearch]);

  const criteria = useMemo<TableCriteriaIn | null>(() => {
    if (!desc || sorting.length === 0) return null;
    const f = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.length > 0));
    return { table, search: debouncedSearch.trim() || undefined, sort: sorting[0].id, desc: sorting[0].desc, filters: Object.keys(f).length ? f : undefined };
  }, [desc, table, debouncedSearch, sorting, filters]);

  const win = useTableWindow(criteria);
  const total = win.total;

  const columnDefs = useMemo<ColumnDef<TableRow>[]>(
    () =>
      (desc?.columns ?? []).map((c) => ({
        id: c.id,
        accessorFn: (r: TableRow) => r[c.id],
        header: c.label,
        size: c.width,
        enableSorting: c.sortable,
        sortDescFirst: c.kind === 'datetime',
        enableHiding: true,
      })),
    [desc],
  );

  const rowKey = desc?.rowKey ?? 'id';
  const onSortingChange = useCallback((u: Updater<SortingState>) => {
    setSorting((old) => {
      const next = typeof u === 'function' ? u(old) : u;
      return next.length ? next : old.map((s) => ({ ...s, desc: !s.desc }));
    });
    scrollRef.current?.scrollTo({ top: 0 });
  }, []);
  const onVisibilityChange = useCallback(
    (u: Updater<VisibilityState>) =>
      setVisibility((old) => {
        const next = typeof u === 'function' ? u(old) : u;
        if (desc) {
          try {
            localStorage.setItem(visibilityKey(desc.table, desc.source), JSON.stringify(next));
          } catch {
            // preferences are best effort
          }
        }
        return next;
      }),
    [desc],
  );

  const tanstack = useReactTable({
    // Rows are drawn by VirtualBody straight from the window cache; TanStack Table holds the
    // column model, sorting, visibility and selection state (so no row model is rebuilt per frame).
    data: NO_ROWS,
    columns: columnDefs,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r[rowKey]),
    manualSorting: true,
    manualFiltering: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    enableRowSelection: desc?.selectable ?? false,
    state: { sorting, columnVisibility: visibility, rowSelection: selection },
    onSortingChange,
    onColumnVisibilityChange: onVisibilityChange,
    onRowSelectionChange: setSelection,
  });

  const visibleColumns = useMemo(() => {
    const ids = new Set(tanstack.getVisibleLeafColumns().map((c) => c.id));
    return (desc?.columns ?? []).filter((c) => ids.has(c.id));
    // visibility drives getVisibleLeafColumns
  }, [desc, visibility, tanstack]);
  const selectable = desc?.selectable ?? false;
  const widths = [...(selectable ? [SELECT_WIDTH] : []), ...visibleColumns.map((c) => c.width)];
  const totalWidth = widths.reduce((a, b) => a + b, 0);
  const template = widths.map((w, i) => (i === widths.length - 1 ? `minmax(${w}px, 1fr)` : `${w}px`)).join(' ');
  const selectedKeys = useMemo(() => Object.keys(selection).filter((k) => selection[k]), [selection]);
  const allShownSelected = useMemo(() => {
    if (selectedKeys.length === 0) return false;
    return win.loadedRows().every((r) => selection[String(r[rowKey])]);
  }, [selectedKeys, selection, win, rowKey]);

  const onToggle = useCallback(
    (key: string, index: number, shift: boolean) => {
      const anchor = lastClicked.current;
      setSelection((old) => {
        const next = { ...old };
        const on = !old[key];
        if (shift && anchor !== null) {
          const [a, z] = [Math.min(anchor, index), Math.max(anchor, index)];
          for (let i = a; i <= z; i++) {
            const r = win.row(i);
            if (r) next[String(r[rowKey])] = on;
          }
        } else next[key] = on;
        for (const k of Object.keys(next)) if (!next[k]) delete next[k];
        return next;
      });
      lastClicked.current = index;
    },
    [win, rowKey],
  );

  const selectShown = useCallback(() => {
    const next: RowSelectionState = {};
    for (const r of win.loadedRows()) next[String(r[rowKey])] = true;
    setSelection(next);
  }, [win, rowKey]);

  // First rows on screen: mark once per mount.
  const onFirstRows = useCallback(() => {
    setFirstShown((shown) => {
      if (!shown) performance.mark('table:first-rows', { detail: { table } });
      return true;
    });
  }, [table]);

  // Selection and search shortcuts.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      const typing = !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === 'Escape' && !typing && Object.keys(selection).length) {
        setSelection({});
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a' && !typing && selectable && !document.querySelector('[role="dialog"]')) {
        e.preventDefault();
        selectShown();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selection, selectable, selectShown]);

  const exportCsv = async (keys?: string[]) => {
    if (!criteria) return;
    setExporting(true);
    try {
      const file = await api().invoke('table:export', { ...criteria, keys });
      downloadBase64(file.base64, file.filename, file.mimeType);
      toast({ severity: 'success', message: `Exported ${countOf(file.rows, noun)} to ${file.filename}` });
    } catch (err) {
      toast({ severity: 'error', message: `Export failed: ${messageOf(err)}`, action: { label: 'Retry', run: () => void exportCsv(keys) } });
    } finally {
      setExporting(false);
    }
  };

  const runAction = async (action: TableAction) => {
    setActing(true);
    try {
      const r = await api().invoke('table:action', { table, action: action.id, keys: selectedKeys });
      const firstError = r.results.find((x) => !x.ok)?.message;
      toast({
        severity: r.failed ? (r.succeeded ? 'warning' : 'error') : 'success',
        message: `${action.label}: ${r.succeeded} done${r.failed ? `, ${r.failed} refused${firstError ? ` (${firstError})` : ''}` : ''}`,
      });
      setSelection({});
      win.reload();
    } catch (err) {
      toast({ severity: 'error', message: `${action.label} failed: ${messageOf(err)}` });
    } finally {
      setActing(false);
    }
  };

  const exportRef = useRef(exportCsv);
  exportRef.current = exportCsv;
  const onExport = useCallback(() => void exportRef.current(), []);
  const onFilter = useCallback((id: string, values: string[]) => {
    setFilters((f) => ({ ...f, [id]: values }));
    scrollRef.current?.scrollTo({ top: 0 });
  }, []);
  const onToggleColumn = useCallback((id: string) => tanstack.getColumn(id)?.toggleVisibility(), [tanstack]);

  if (descError) {
    return (
      <Alert severity="error" action={<Button color="inherit" onClick={describe}>Retry</Button>}>
        The table could not be loaded: {descError}
      </Alert>
    );
  }

  const filtered = !!criteria?.search || !!criteria?.filters;
  const showEmpty = total === 0 && !filtered && emptyState;
  return (
    <Card data-testid={testId} data-ready={firstShown ? 'true' : 'false'} sx={{ display: 'flex', flexDirection: 'column', flexGrow: 1, minHeight: 0 }}>
      {desc ? (
        <TableToolbar
          ref={searchRef}
          search={search}
          onSearch={setSearch}
          placeholder={desc.searchPlaceholder}
          filters={desc.filters}
          chosen={filters}
          onFilter={onFilter}
          columns={desc.columns}
          visible={visibility}
          onToggleColumn={onToggleColumn}
          total={total}
          noun={noun}
          exporting={exporting}
          onExport={onExport}
        />
      ) : (
        <Stack direction="row" spacing={1.5} sx={{ px: 2, py: 1.5 }}>
          <Skeleton variant="rounded" width={340} height={40} />
          <Skeleton variant="rounded" width={90} height={32} />
        </Stack>
      )}
      {selectedKeys.length > 0 && desc && (
        <BulkBar count={selectedKeys.length} actions={desc.actions} busy={acting} noun={noun} onAction={(a) => void runAction(a)} onExport={() => void exportCsv(selectedKeys)} onClear={() => setSelection({})} />
      )}
      <LinearProgress sx={{ height: 2, visibility: total === null || acting ? 'visible' : 'hidden' }} />
      {win.error && (
        <Alert severity="error" sx={{ mx: 2, my: 1 }} action={<Button color="inherit" size="small" onClick={win.reload}>Retry</Button>}>
          {win.error}
        </Alert>
      )}
      {showEmpty ? (
        emptyState
      ) : (
        <TableRoot ref={scrollRef} role="grid" aria-rowcount={(total ?? 0) + 1} aria-label={`${noun} table`} tabIndex={0}>
          <div className="dt-header" role="row" style={{ gridTemplateColumns: template, minWidth: totalWidth }}>
            {selectable && (
              <div className="dt-hcell dt-check" role="columnheader">
                <input
                  type="checkbox"
                  aria-label="Select every row shown"
                  checked={allShownSelected}
                  ref={(el) => {
                    if (el) el.indeterminate = selectedKeys.length > 0 && !allShownSelected;
                  }}
                  onChange={() => (selectedKeys.length ? setSelection({}) : selectShown())}
                />
              </div>
            )}
            {tanstack.getHeaderGroups()[0]?.headers.map((h) => {
              const sorted = h.column.getIsSorted();
              return (
                <div key={h.id} className="dt-hcell" role="columnheader" aria-sort={sorted ? (sorted === 'desc' ? 'descending' : 'ascending') : undefined}>
                  {h.column.getCanSort() ? (
                    <TableSortLabel active={!!sorted} direction={sorted || 'asc'} onClick={h.column.getToggleSortingHandler()}>
                      {String(h.column.columnDef.header)}
                    </TableSortLabel>
                  ) : (
                    String(h.column.columnDef.header)
                  )}
                </div>
              );
            })}
          </div>
          <VirtualBody
            scrollRef={scrollRef}
            total={total ?? 0}
            win={win}
            version={win.version}
            columns={visibleColumns}
            template={template}
            totalWidth={totalWidth}
            selectable={selectable}
            selection={selection}
            rowKey={rowKey}
            onToggle={onToggle}
            onFirstRows={onFirstRows}
          />
          {total === 0 && filtered && (
            <Alert severity="info" sx={{ m: 2 }} data-testid="table-no-match"
              action={<Button color="inherit" size="small" onClick={() => { setSearch(''); setFilters({}); }}>Clear search and filters</Button>}>
              No {noun} match the search and filters.
            </Alert>
          )}
        </TableRoot>
      )}
    </Card>
  );
}
