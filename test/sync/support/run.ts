/**
 * Runs the real CLI entry (main/cli/main.ts, what bin/stagebench.cjs starts) directly in a child
 * Node process — the process that actually syncs, so its pid is the one to kill or measure (the
 * launcher would put a second process in between) — with a data dir and passphrase.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** Result of one run. */
export interface SyncCliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const root = path.resolve(import.meta.dirname, '../../..');
const entry = path.join(root, 'main/cli/main.ts');

/** Starts `stagebench ...args`; returns the child and a promise of its result. */
export function startSyncCli(args: string[], env: Record<string, string>): { child: ChildProcess; done: Promise<SyncCliRun> } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--no-warnings', entry, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<SyncCliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Runs `stagebench ...args` to completion. */
export function runSyncCli(args: string[], env: Record<string, string>): Promise<SyncCliRun> {
  return startSyncCli(args, env).done;
}
