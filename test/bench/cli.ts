/** Runs the CLI test entry (cli-entry.ts) as a child process and captures stdout, stderr and the exit code. */
import { spawn } from 'node:child_process';
import path from 'node:path';

/** Result of one CLI run. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const ENTRY = path.resolve(import.meta.dirname, 'cli-entry.ts');

/** Runs `stagebench ...args` with `env` added to the current environment. */
export function runCliEntry(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--no-warnings=ExperimentalWarning', ENTRY, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
