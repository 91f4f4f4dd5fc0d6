/**
 * The reference tenant (test double of an Ivanti Neurons for MDM tenant): in-process start, and
 * a child-process start through `npm run tenant` for benches that must not share the syncing
 * process's memory or event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { FaultRule } from './faults';
import { startTenantServer, type TenantServer } from './server';
import { openTenantStore } from './store';

export { startTenantServer, endpointOf, type TenantServer, type TenantServerOptions } from './server';
export { openTenantStore, TenantStore, DEFAULT_PARTITION_ID, LAB_PARTITION_ID, type ApplyLogRow } from './store';
export { FaultTable, parseFaultFlag, type FaultRule } from './faults';

/** Default Basic-auth credentials of the reference tenant. */
export const TENANT_USER = 'admin';
export const TENANT_PASSWORD = 'tenant-secret';

/** Starts a tenant in this process on a free loopback port with `devices` seeded devices and `users` accounts. */
export async function startTestTenant(opts: { devices?: number; users?: number; faults?: FaultRule[]; file?: string } = {}): Promise<TenantServer> {
  const store = openTenantStore(opts.file);
  if (opts.devices) store.seedDevices(opts.devices);
  if (opts.users) store.seedAccounts(opts.users);
  const server = await startTenantServer({ store, user: TENANT_USER, password: TENANT_PASSWORD, faults: opts.faults });
  const close = server.close;
  server.close = async () => {
    await close();
    store.close();
  };
  return server;
}

/** A tenant running as a child process. */
export interface TenantProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `tsx test/support/tenant/cli.ts` with `args` and resolves on its `ready URL` line (rejects after 60 s). */
export function spawnTenant(args: string[]): Promise<TenantProcess> {
  const root = path.resolve(import.meta.dirname, '../../..');
  const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [tsx, path.join(root, 'test/support/tenant/cli.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tenant did not start within 60 s: ${stderr}`));
    }, 60_000);
    const rl = readline.createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      const m = /^ready (\S+)$/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1], child,
        stop: () => new Promise<void>((r) => {
          if (child.exitCode !== null) return r();
          child.once('exit', () => r());
          child.kill('SIGTERM');
        }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tenant exited (${code}) before ready: ${stderr}`));
    });
  });
}
