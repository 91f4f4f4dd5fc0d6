/**
 * Option parsing shared by the CLI commands: secrets from environment variables named by `*-env`
 * flags (never from argv, which other users can read in the process list), files, numbers.
 */
import fs from 'node:fs';
import { UsageError } from './errors';

/** Reads the secret held by env var `name` (given with `flag`). Throws UsageError when unset or empty. */
export function secretFromEnv(name: string | undefined, flag: string): string {
  if (!name) throw new UsageError(`${flag} needs the name of an environment variable that holds the value`);
  const v = process.env[name];
  if (v === undefined || v === '') throw new UsageError(`environment variable ${name} (named by ${flag}) is not set; export it before running stagebench`);
  return v;
}

/** Reads a file for `flag`; throws UsageError naming the flag and path when it cannot be read. */
export function readInputFile(path: string, flag: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (err) {
    throw new UsageError(`${flag} ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

/** Parses a non-negative number for `flag`; throws UsageError otherwise. */
export function parseNumber(value: string | undefined, flag: string, { integer = false, min = 0 } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${flag} must be ${integer ? 'a whole number' : 'a number'} ≥ ${min}, not "${value}"`);
  }
  return n;
}

/** Writes `bytes` to `path` (mode 0600: profiles carry secrets such as the SCEP Challenge). */
export function writeOutputFile(path: string, bytes: Buffer | string, flag = '--out'): void {
  try {
    fs.writeFileSync(path, bytes, { mode: 0o600 });
  } catch (err) {
    throw new UsageError(`${flag} ${path}: ${(err as Error).message}`);
  }
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
