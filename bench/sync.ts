/**
 * Sync throughput (`npm run bench -- sync [devices] [entries]`), against the reference tenant in
 * its own process on loopback:
 *   - full pull of 100,000 devices (`GET /api/v1/device`, rows 500) into a fresh cache, in a child
 *     process whose peak RSS is read from /proc/<pid>/status VmHWM (polled, and reported by the
 *     child itself at the end; the larger is printed). Target ≤ 20 s and ≤ 300 MB.
 *   - push of 1,000 outbox entries (device custom-attribute updates with If-Match and
 *     Idempotency-Key) in a child process. Target ≤ 5 s.
 * Prints `sync pull <N> devices: <s> s, peak RSS <MB> MB` and `sync push <N> entries: <s> s`;
 * exits 1 when a target is missed or a run fails.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openHeadlessSecretBox } from '../main/secrets';
import { openDatabase } from '../main/store';
import { createSyncService, listMirrorDevices, recordLocalChange, type SyncResult } from '../main/sync';
import { spawnTenant, TENANT_PASSWORD, TENANT_USER } from '../test/support/tenant';

const root = path.resolve(import.meta.dirname, '..');
const child = path.join(root, 'test/sync/support/bench-child.ts');

interface ChildOut {
  seconds: number;
  vmHwmMb: number | null;
  result: SyncResult;
}

/** Runs the bench child in `mode`; returns its report and the peak VmHWM seen from outside (MB). */
function runChild(mode: 'pull' | 'push', env: Record<string, string>): Promise<ChildOut & { polledHwmMb: number }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', '--no-warnings', child, mode], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let polled = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${c.pid}/status`, 'utf8'));
        if (m) polled = Math.max(polled, Number(m[1]) / 1024);
      } catch {
        // process gone or not Linux
      }
    }, 25);
    c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', reject);
    c.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) return reject(new Error(`bench child ${mode} exited ${code}`));
      resolve({ ...(JSON.parse(out.trim().split('\n').pop()!) as ChildOut), polledHwmMb: polled });
    });
  });
}

/** Bench entry: `args[0]` devices (default 100000), `args[1]` push entries (default 1000). */
export async function main(args: string[]): Promise<number> {
  const devices = Number(args[0] ?? 100_000);
  const entries = Number(args[1] ?? 1000);
  const tenant = await spawnTenant(['--listen', '127.0.0.1:0', '--seed-devices', String(devices)]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-bench-sync-'));
  const env = { STAGEBENCH_DATA_DIR: dir, STAGEBENCH_PASSPHRASE: 'bench-passphrase' };
  let rc = 0;
  try {
    const db = openDatabase(dir);
    createSyncService(db, openHeadlessSecretBox(dir, env), 'bench').configure({ url: tenant.url, user: TENANT_USER, password: TENANT_PASSWORD });
    db.close();

    const pull = await runChild('pull', env);
    const rss = Math.max(pull.polledHwmMb, pull.vmHwmMb ?? 0);
    const pulled = pull.result.pulled.device?.upserted ?? 0;
    console.log(`sync pull ${pulled} devices: ${pull.seconds.toFixed(2)} s, peak RSS ${rss.toFixed(0)} MB`);
    if (!pull.result.ok || pulled !== devices) {
      console.error(`pull failed: ${pull.result.error ?? `${pulled} of ${devices} devices`}`);
      rc = 1;
    }
    if (pull.seconds > 20 || rss > 300) rc = 1;

    const db2 = openDatabase(dir);
    const targets = listMirrorDevices(db2, { limit: entries });
    db2.transaction(() => {
      for (const [i, d] of targets.entries()) recordLocalChange(db2, { entity: 'device', entityId: d.id, op: 'update', payload: { attributes: { benchRun: String(Date.now()), n: String(i) } }, actor: 'bench' });
    })();
    db2.close();
    const push = await runChild('push', env);
    console.log(`sync push ${push.result.pushed} entries: ${push.seconds.toFixed(2)} s`);
    if (!push.result.ok || push.result.pushed !== targets.length) {
      console.error(`push failed: ${push.result.error ?? `${push.result.pushed} of ${targets.length}`}`);
      rc = 1;
    }
    if (push.seconds > 5) rc = 1;
  } finally {
    await tenant.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rc;
}
