import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../main/store';
import { recordLocalChange } from '../../main/sync';
import { startTestTenant } from '../support/tenant';
import { admin } from './support/helpers';
import { runStagebench } from '../cli/helpers';

const tenant = await startTestTenant({ devices: 25, users: 3 });
after(() => tenant.close());

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-sync-cli-'));
const env = { STAGEBENCH_DATA_DIR: dir, STAGEBENCH_PASSPHRASE: 'cli-pass', TENANT_PW: 'tenant-secret', WRONG_PW: 'nope-nope-nope' };

test('sync configure: password from the env var named by --password-env, sealed; bad input exits 2 with the reason', async () => {
  let r = await runStagebench(['sync', 'configure', '--url', tenant.url, '--user', 'admin', '--password-env', 'UNSET_VAR_X'], env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /UNSET_VAR_X.*is not set/);
  r = await runStagebench(['sync', 'configure', '--url', 'http://tenant.example.com', '--user', 'admin', '--password-env', 'TENANT_PW'], env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /must use https/);
  r = await runStagebench(['sync', 'configure', '--url', tenant.url, '--user', 'admin', '--password-env', 'TENANT_PW', '--format', 'json'], env);
  assert.equal(r.code, 0, r.stderr);
  const v = JSON.parse(r.stdout) as { url: string; user: string; passwordSet: boolean };
  assert.equal(v.url, tenant.url);
  assert.equal(v.passwordSet, true);
  assert.equal(r.stdout.includes('tenant-secret'), false);
});

test('sync --once --format json pulls; status reports it; conflicts are listed and resolved from the CLI', async () => {
  let r = await runStagebench(['sync', '--once', '--format', 'json'], env);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { result: { ok: boolean; pulled: { device: { upserted: number } } }; status: { mirror: { devices: number } } };
  assert.equal(out.result.ok, true);
  assert.equal(out.result.pulled.device.upserted, 25);
  assert.equal(out.status.mirror.devices, 25);

  const db = openDatabase(dir);
  recordLocalChange(db, { entity: 'user', entityId: '1', op: 'update', payload: { firstName: 'Bench' }, actor: 'test' });
  db.close();
  await admin(tenant.url, 'PATCH', 'accounts/1', { firstName: 'Console' });
  r = await runStagebench(['sync', '--once'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /new conflicts 1/);
  assert.match(r.stdout, /sync resolve ID --keep-mine\|--take-theirs/);
  r = await runStagebench(['sync', 'conflicts', '--format', 'json'], env);
  const conflicts = JSON.parse(r.stdout) as { id: number; kind: string; theirs: { firstName: string } }[];
  assert.equal(conflicts.length, 1);
  assert.equal(conflicts[0].kind, 'changed');
  assert.equal(conflicts[0].theirs.firstName, 'Console');
  r = await runStagebench(['sync', 'conflicts'], env);
  assert.match(r.stdout, /ID\s+ENTITY\s+MINE\s+THEIRS/);
  assert.match(r.stdout, /user 1\s+update \{"firstName":"Bench"\}\s+changed/);

  r = await runStagebench(['sync', 'resolve', String(conflicts[0].id)], env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /exactly one of --keep-mine or --take-theirs/);
  r = await runStagebench(['sync', 'resolve', '999', '--take-theirs'], env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no conflict 999/);
  r = await runStagebench(['sync', 'resolve', String(conflicts[0].id), '--keep-mine'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /resolved: keep-mine/);
  r = await runStagebench(['sync', 'status', '--format', 'json'], env);
  const s = JSON.parse(r.stdout) as { pending: number; conflicts: number; online: boolean; lastSuccessAt: string };
  assert.deepEqual([s.pending, s.conflicts, s.online], [1, 0, true]);
  r = await runStagebench(['sync', 'outbox'], env);
  assert.match(r.stdout, /user 1\s+update\s+pending/);
  r = await runStagebench(['sync', '--once'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(tenant.store.account(1)!.firstName, 'Bench');
  r = await runStagebench(['sync', 'status'], env);
  assert.match(r.stdout, /pending:\s+0/);
  assert.match(r.stdout, /online:\s+yes/);
});

test('sync --once exits 1 with a clear message when the tenant refuses the credentials or is offline', async () => {
  let r = await runStagebench(['sync', 'configure', '--url', tenant.url, '--user', 'admin', '--password-env', 'WRONG_PW'], env);
  assert.equal(r.code, 0, r.stderr);
  r = await runStagebench(['sync', '--once'], env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /refused the user name or password \(HTTP 401\)/);
  assert.equal(r.stderr.includes('nope-nope-nope'), false);
  r = await runStagebench(['sync', 'configure', '--url', 'http://127.0.0.1:9', '--user', 'admin', '--password-env', 'TENANT_PW'], env);
  assert.equal(r.code, 0, r.stderr);
  r = await runStagebench(['sync', '--once', '--rows', '50'], env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /offline: local changes stay queued/);
  r = await runStagebench(['sync', '--once', '--rows', '900'], env);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /at most 500/);
});
