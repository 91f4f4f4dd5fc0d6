/**
 * ADE device-sync throughput (`npm run bench -- dep-sync [devices]`): the DEP simulator runs in a
 * child process (`test/support/dep-simulator/cli.ts`) with 100,000 devices; StageBench adds a
 * server, uploads the token the simulator encrypts to its public key, and runs a full sync with
 * limit 1000 (100 listing pages + 1 sync page) into a fresh SQLite cache.
 * Prints `dep-sync <N> devices: <S> s, <R> devices/s, peak RSS <M> MB` (peak RSS of this
 * process, the StageBench side). Target: ≤ 30 s for 100,000 devices; returns 1 when slower.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDepServerService } from '../main/dep';
import { AesGcmSecretBox } from '../main/secrets';
import { openDatabase } from '../main/store';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Starts the simulator CLI; resolves its URL and a stop function. */
async function startSimulator(devices: number): Promise<{ url: string; stop: () => void }> {
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'test', 'support', 'dep-simulator', 'cli.ts'), '--listen', '127.0.0.1:0', '--devices', String(devices)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^ready (\S+)\n/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the DEP simulator exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** Runs the benchmark; returns 0, or 1 when the sync took longer than 30 s. */
export async function main(args: string[]): Promise<number> {
  const devices = Number(args[0] ?? 100_000);
  if (!Number.isInteger(devices) || devices < 1) {
    console.error('usage: npm run bench -- dep-sync [devices]');
    return 2;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stagebench-bench-dep-'));
  const sim = await startSimulator(devices);
  const db = openDatabase(dir);
  try {
    const svc = createDepServerService(db, new AesGcmSecretBox(crypto.randomBytes(32)), 'bench');
    const { server, publicKeyPem } = svc.add({ name: 'Bench', baseUrl: sim.url });
    const token = await fetch(`${sim.url}/_admin/token`, { method: 'POST', body: JSON.stringify({ certificate_pem: publicKeyPem }) });
    svc.uploadToken(server.id, Buffer.from(await token.arrayBuffer()));
    const t0 = process.hrtime.bigint();
    const r = await svc.sync(server.id, { full: true, limit: 1000 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const stored = svc.get(server.id).deviceCount;
    if (stored !== devices || r.received !== devices) throw new Error(`synced ${r.received} records, stored ${stored}; expected ${devices}`);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log(`dep-sync ${devices} devices: ${seconds.toFixed(2)} s, ${Math.round(devices / seconds)} devices/s, peak RSS ${Math.round(rssMb)} MB`);
    return seconds <= 30 ? 0 : 1;
  } finally {
    db.close();
    sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
