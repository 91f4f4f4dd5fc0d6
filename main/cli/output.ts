/**
 * Output helpers: `--format text|json` on every listing and verify command. JSON goes to stdout as
 * one document; text tables are aligned columns; progress and diagnostics go to stderr.
 */
import { UsageError } from './errors';

/** Output format chosen with `--format`. */
export type OutputFormat = 'text' | 'json';

/** Parses `--format`; throws UsageError for anything but text or json. */
export function parseFormat(value: string | undefined): OutputFormat {
  const v = (value ?? 'text').toLowerCase();
  if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not "${value}"`);
  return v;
}

/** Writes `value` as pretty JSON with a trailing newline. Buffers become base64 strings. */
export function printJson(value: unknown, write: (s: string) => void = (s) => process.stdout.write(s)): void {
  const replacer = (_k: string, v: unknown): unknown => {
    if (isBufferJson(v)) return Buffer.from(v.data).toString('base64');
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    if (typeof v === 'bigint') return v.toString();
    return v;
  };
  write(`${JSON.stringify(value, replacer, 2)}\n`);
}

function isBufferJson(v: unknown): v is { type: 'Buffer'; data: number[] } {
  return typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data);
}

/** A column of a text table: header and how to render a row's cell. */
export interface Column<T> {
  header: string;
  cell: (row: T) => string | number | boolean | null | undefined;
}

/** Renders rows as an aligned text table (header line, then one line a row); "(none)" when empty. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((r) => columns.map((c) => { const v = c.cell(r); return v === null || v === undefined ? '-' : String(v); }));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]): string => vals.map((v, i) => (i === vals.length - 1 ? v : v.padEnd(widths[i]))).join('  ');
  return `${[line(columns.map((c) => c.header)), ...cells.map(line)].join('\n')}\n`;
}
