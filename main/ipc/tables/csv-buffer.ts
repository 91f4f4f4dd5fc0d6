/** Collects a streamed CSV export (main/store/csv-export.ts) into one Buffer for the IPC reply. */
import { Writable } from 'node:stream';
import { writeCsv, type CsvColumn } from '../../store/csv-export';

/** A Writable that keeps every chunk; `bytes()` joins them. */
export function memorySink(): { sink: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
  });
  return { sink, bytes: () => Buffer.concat(chunks) };
}

/** `rows` as CSV bytes with `columns`; resolves to the bytes and the data row count. */
export async function csvBuffer<T>(rows: Iterable<T>, columns: readonly CsvColumn<T>[]): Promise<{ csv: Buffer; rows: number }> {
  const { sink, bytes } = memorySink();
  const n = await writeCsv(rows, columns, sink);
  return { csv: bytes(), rows: n };
}
