/**
 * Files the operating system asks StageBench to open through the `.mobileconfig` file
 * association (electron-builder `fileAssociations`): on Windows and Linux they arrive as
 * command-line arguments (first launch and `second-instance`), on macOS as `open-file` events.
 * Electron-free: main/index.ts hands the paths here and emits the `file:opened` event.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Extensions the app opens from the OS (lower case, with the dot). */
export const OPENABLE_EXTENSIONS = ['.mobileconfig'] as const;
/** Largest file forwarded to the renderer (bytes); configuration profiles are far smaller. */
export const MAX_OPENED_FILE_BYTES = 5 * 1024 * 1024;

/** The `.mobileconfig` paths among command-line arguments (flags and other files are ignored). */
export function openablePathsFromArgv(argv: readonly string[]): string[] {
  return argv.filter((a) => !a.startsWith('-') && OPENABLE_EXTENSIONS.some((ext) => a.toLowerCase().endsWith(ext)));
}

/**
 * Reads an opened file into the `file:opened` event payload `{ name, base64 }`. Throws an Error
 * naming the file when it cannot be read, is not a regular file, or is larger than
 * MAX_OPENED_FILE_BYTES.
 */
export function readOpenedFile(file: string): { name: string; base64: string } {
  const name = path.basename(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    throw new Error(`${name} cannot be opened: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { cause: err });
  }
  if (!stat.isFile()) throw new Error(`${name} is not a file`);
  if (stat.size > MAX_OPENED_FILE_BYTES) throw new Error(`${name} is ${stat.size} bytes; a configuration profile is at most ${MAX_OPENED_FILE_BYTES} bytes`);
  return { name, base64: fs.readFileSync(file).toString('base64') };
}
