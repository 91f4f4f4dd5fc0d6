/**
 * The `stagebench dep …` CLI end to end against the simulator CLI (`npm run dep-simulator`):
 * ready line, server add with public key, a token the simulator encrypts to it, upload, test,
 * sync with progress on stderr, devices as CSV/JSON, and exit codes (2 invalid input, 1 failure).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { runStagebench, type CliRun } from '../cli/helpers';

const ROOT = path.join(import.meta.dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

async function startSimulatorCli(args: string[]): Promise<{ url: string; stop: () => Promise<number | null> }> {
  const child = spawn(TSX, [path.join(ROOT, 'test', 'support', 'dep-simulator', 'cli.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code, sig) => { if (process.env.SIM_DEBUG) console.error("sim exit", code, sig); resolve(code); }));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out);
    });
    void exit.then((code) => reject(new Error(`simulator exited ${code}: ${err}`)));
  });
  const m = /^ready (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(line);
  assert.ok(m, JSON.stringify(line));
  return { url: m[1], stop: async () => { child.kill('SIGTERM'); return exit; } };
}

test('dep CLI end to end against the simulator CLI', async (t) => {
  const sim = await startSimulatorCli(['--listen', '127.0.0.1:0', '--devices', '1500']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-dep-cli-'));
  t.after(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const env = { STAGEBENCH_DATA_DIR: path.join(dir, 'data'), STAGEBENCH_PASSPHRASE: 'cli test passphrase' };
  const sb = (...args: string[]): Promise<CliRun> => runStagebench(args, env);

  const add = await sb('dep', 'server', 'add', '--name', 'Bench ABM', '--base-url', sim.url, '--out-public-key', path.join(dir, 'public.pem'), '--format', 'json');
  assert.equal(add.code, 0, add.stderr);
  const id = (JSON.parse(add.stdout) as { id: string }).id;
  const pem = fs.readFileSync(path.join(dir, 'public.pem'), 'utf8');
  assert.match(pem, /^-----BEGIN CERTIFICATE-----/);
  assert.equal((await sb('dep', 'server', 'public-key', id, '--out', path.join(dir, 'again.pem'))).code, 0);
  assert.equal(fs.readFileSync(path.join(dir, 'again.pem'), 'utf8'), pem);

  // The simulator issues the token encrypted to our public key, as ABM does.
  const res = await fetch(`${sim.url}/_admin/token`, { method: 'POST', body: JSON.stringify({ certificate_pem: pem }) });
  assert.equal(res.status, 200);
  fs.writeFileSync(path.join(dir, 'Bench_Token_smime.p7m'), Buffer.from(await res.arrayBuffer()));
  const up = await sb('dep', 'token', 'upload', 'bench abm', path.join(dir, 'Bench_Token_smime.p7m'));
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /Token uploaded for Bench ABM; Token Expires \d{4}-\d{2}-\d{2}/);

  const test1 = await sb('dep', 'test', id);
  assert.equal(test1.code, 0, test1.stderr);
  assert.match(test1.stdout, /Connection OK: StageBench Simulator — Example Org \(Apple account admin@example.com\)/);

  const sync = await sb('dep', 'sync', id, '--full', '--limit', '500');
  assert.equal(sync.code, 0, sync.stderr);
  assert.match(sync.stdout, /Sync \(full\) done: 1500 records in 4 pages; 1500 added/);
  assert.match(sync.stderr, /listed page 3: 1500 devices so far/);

  const list = await sb('dep', 'server', 'list', '--format', 'json');
  const [row] = JSON.parse(list.stdout) as { deviceCount: number; appleAccount: string; lastSyncStatus: string }[];
  assert.deepEqual([row.deviceCount, row.appleAccount, row.lastSyncStatus], [1500, 'admin@example.com', 'succeeded']);
  assert.match((await sb('dep', 'server', 'list')).stdout, /Bench ABM\s+admin@example.com\s+Example Org\s+1500\s+0\s/);

  const csv = await sb('dep', 'devices', '--server', id, '--search', 'iPad', '--sort', 'serial_number', '--format', 'csv');
  assert.equal(csv.code, 0, csv.stderr);
  const records = parse(csv.stdout, { columns: true }) as Record<string, string>[];
  assert.equal(records.length, 375);
  assert.ok(records.every((r) => r.model === 'iPad Air' && r.os === 'iPadOS' && r.server_name === 'Bench ABM'));
  assert.ok(records.some((r) => r.description.includes(',') || r.description.includes(' ')), 'values with spaces survive');
  const json = JSON.parse((await sb('dep', 'devices', '--search', 'MacBook', '--format', 'json')).stdout) as unknown[];
  assert.equal(json.length, 375);

  // Churn through the simulator's admin endpoint, then an incremental sync.
  await fetch(`${sim.url}/_admin/devices`, { method: 'POST', body: JSON.stringify({ add: 4, delete: [(records[0] as { serial_number: string }).serial_number] }) });
  const inc = await sb('dep', 'sync', id, '--format', 'json');
  const incR = JSON.parse(inc.stdout) as { mode: string; added: number; deleted: number };
  assert.deepEqual([incR.mode, incR.added, incR.deleted], ['incremental', 4, 1]);

  // Exit codes: invalid input → 2, failed operation → 1.
  assert.equal((await sb('dep', 'devices', '--sort', 'nope', '--format', 'json')).code, 2);
  assert.equal((await sb('dep', 'devices', '--format', 'xml')).code, 2);
  assert.equal((await sb('dep', 'sync', 'no-such-server')).code, 2);
  assert.equal((await sb('dep', 'sync', id, '--limit', '5000')).code, 2);
  fs.writeFileSync(path.join(dir, 'junk.p7m'), 'not a token');
  const junk = await sb('dep', 'token', 'upload', id, path.join(dir, 'junk.p7m'));
  assert.equal(junk.code, 2);
  assert.match(junk.stderr, /token file/);
  await fetch(`${sim.url}/_admin/faults`, { method: 'POST', body: JSON.stringify({ 'GET /account': [{ status: 403, body: 'T_C_NOT_SIGNED' }] }) });
  const tc = await sb('dep', 'test', id);
  assert.equal(tc.code, 1);
  assert.match(tc.stderr, /T_C_NOT_SIGNED .*accept them/);
  const rotated = await fetch(`${sim.url}/_admin/token`, { method: 'POST', body: JSON.stringify({ certificate_pem: pem, rotate: true }) });
  fs.writeFileSync(path.join(dir, 'renewed.p7m'), Buffer.from(await rotated.arrayBuffer()));
  assert.equal((await sb('dep', 'token', 'upload', id, path.join(dir, 'renewed.p7m'))).code, 2);
  assert.equal((await sb('dep', 'token', 'upload', id, path.join(dir, 'renewed.p7m'), '--confirm-new-consumer-key')).code, 0);

  const del = await sb('dep', 'server', 'delete', id);
  assert.equal(del.code, 0, del.stderr);
  assert.equal(JSON.parse((await sb('dep', 'devices', '--format', 'json')).stdout).length, 0);
  assert.equal(await sim.stop(), 0);
});

test('simulator CLI rejects bad arguments with exit 2', () => {
  const r = spawnSync(TSX, [path.join(ROOT, 'test', 'support', 'dep-simulator', 'cli.ts'), '--listen', 'nowhere'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--listen must be HOST:PORT/);
});
