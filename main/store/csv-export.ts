/**
 * Streams rows to CSV (RFC 4180 via csv-stringify: a header line, fields quoted when they hold a
 * comma, quote or line break, CRLF-free `\n` records) with backpressure: rows are pulled from the
 * iterable only as fast as the destination drains, so a 100,000-row table never sits in memory.
 */
import fs from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';

/** One CSV column: header text and the cell of a row (null/undefined → empty field). */
export interface CsvColumn<T> {
  header: string;
  cell: (row: T) => string | number | boolean | null | undefined;
}

/**
 * Writes `rows` as CSV to `out` (ended when done). Resolves to the number of data rows written;
 * rejects with the stream error (e.g. EACCES, ENOSPC) if writing fails.
 */
export async function writeCsv<T>(rows: Iterable<T>, columns: readonly CsvColumn<T>[], out: Writable): Promise<number> {
  let n = 0;
  const records = Readable.from((function* () {
    for (const row of rows) {
      n++;
      yield columns.map((c) => {
        const v = c.cell(row);
        return v === null || v === undefined ? '' : String(v);
      });
    }
  })());
  await pipeline(records, stringify({ header: true, columns: columns.map((c) => c.header) }), out);
  return n;
}

/**
 * Writes `rows` as CSV to file `path` (mode 0600, replaced if present). Resolves to the row count;
 * on failure the partial file is removed and the error rethrown.
 */
export async function writeCsvFile<T>(rows: Iterable<T>, columns: readonly CsvColumn<T>[], path: string): Promise<number> {
  const out = fs.createWriteStream(path, { mode: 0o600 });
  try {
    return await writeCsv(rows, columns, out);
  } catch (err) {
    fs.rmSync(path, { force: true });
    throw err;
  }
}
