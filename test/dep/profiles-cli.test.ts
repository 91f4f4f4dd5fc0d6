import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../main/store';
import { startDepSimulator } from '../support/dep-simulator';
import { runStagebench } from '../cli/helpers';
import { addDevices, addServer } from './profiles-fixtures';

/** Runs `stagebench dep profile ARGS` (the real CLI, bin/stagebench.cjs) against a data dir, capturing stdout and stderr. */
async function cli(dataDir: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const r = await runStagebench(['dep', 'profile', ...args], { STAGEBENCH_DATA_DIR: dataDir, STAGEBENCH_PASSPHRASE: 'cli test passphrase', ...env });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

function dataDir(): { dir: string; server: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-dep-cli-'));
  const db = openDatabase(dir);
  const server = addServer(db, 'Main ABM');
  addDevices(db, server, ['C1', 'C2', 'C3']);
  addDevices(db, server, ['C9'], 'pushed');
  db.close();
  return { dir, server };
}

test('create / list / show / assign / set-default / delete through the CLI', async () => {
  const { dir } = dataDir();
  const url = 'https://tenant.example.com/dep';
  const a = await cli(dir, ['create', '--server', 'Main ABM', '--name', 'Staging', '--url', url, '--skip', 'Passcode,Siri', '--await', '5', '--time-zone', 'Europe/Berlin', '--format', 'json']);
  assert.equal(a.code, 0, a.err);
  const staging = JSON.parse(a.out);
  assert.equal(staging.isDefault, true);
  assert.deepEqual(staging.apple.skip_setup_items, ['Biometric', 'Passcode', 'Payment', 'Siri']);
  assert.equal(staging.mdmSettings.awaitTimeLimitSeconds, 300);
  const b = await cli(dir, ['create', '--server', 'Main ABM', '--name', 'Kiosk', '--url', url, '--no-removable', '--auth', 'anonymous', '--format', 'json']);
  assert.equal(b.code, 0, b.err);
  const kiosk = JSON.parse(b.out);
  assert.equal(kiosk.apple.is_mdm_removable, false);

  assert.equal((await cli(dir, ['assign', kiosk.id, 'C1', 'C2'])).out, '2 device(s) assigned (queued for Apple), 0 already on the profile\n');
  const list = JSON.parse((await cli(dir, ['list', '--format', 'json'])).out);
  assert.deepEqual(list.map((p: { name: string; deviceCount: number; isDefault: boolean }) => [p.name, p.deviceCount, p.isDefault]), [['Staging', 0, true], ['Kiosk', 2, false]]);
  assert.match((await cli(dir, ['list'])).out, /Staging \(default\)/);
  const shown = await cli(dir, ['show', staging.id]);
  assert.match(shown.out, /\+ Biometric: skipping Passcode also skips Touch ID/);
  assert.equal((await cli(dir, ['assign', staging.id, '--all-unassigned', '--format', 'json'])).code, 0);

  const del = await cli(dir, ['delete', staging.id]);
  assert.equal(del.code, 2);
  assert.match(del.err, /default profile and cannot be deleted/);
  assert.equal((await cli(dir, ['set-default', kiosk.id])).code, 0);
  const del2 = await cli(dir, ['delete', staging.id]);
  assert.equal(del2.code, 0, del2.err);
  assert.match(del2.out, /1 device\(s\) moved to the default/);
});

test('invalid input exits 2 naming the field; nothing is written', async () => {
  const { dir } = dataDir();
  const url = 'https://tenant.example.com/dep';
  const long = await cli(dir, ['create', '--server', 'Main ABM', '--name', 'x'.repeat(126), '--url', url]);
  assert.equal(long.code, 2);
  assert.match(long.err, /name: .*at most 125 \[CONFIG_NAME_INVALID\/PROFILE_NAME_TOO_LONG\]/);
  const flags = await cli(dir, ['create', '--server', 'Main ABM', '--name', 'X', '--url', url, '--no-supervised', '--no-removable']);
  assert.equal(flags.code, 2);
  assert.match(flags.err, /mdmRemovable: .*FLAGS_INVALID/);
  const lock = await cli(dir, ['create', '--server', 'Main ABM', '--name', 'X', '--url', url, '--auto-lock', '60']);
  assert.match(lock.err, /autoLockTime: .*AUTO_LOCK_TIME_INVALID/);
  assert.equal((await cli(dir, ['create', '--server', 'Nope', '--name', 'X', '--url', url])).code, 2);
  assert.equal((await cli(dir, ['create', '--server', 'Main ABM', '--name', 'X', '--url', url, '--auth', 'everyone'])).code, 2);
  const json = path.join(dir, 'p.json');
  fs.writeFileSync(json, JSON.stringify({ profile_name: 'J', url, is_supervised: true, region: 'us', language: 'en' }));
  const fromJson = await cli(dir, ['create', '--server', 'Main ABM', '--from-json', json]);
  assert.equal(fromJson.code, 2);
  assert.match(fromJson.err, /region: .*LOCALE_INVALID/);
  const none = await cli(dir, ['list', '--format', 'json']);
  assert.deepEqual(JSON.parse(none.out), []);
  const good = await cli(dir, ['create', '--server', 'Main ABM', '--name', 'P', '--url', url, '--format', 'json']);
  const id = JSON.parse(good.out).id;
  const enrolled = await cli(dir, ['assign', id, 'C9']);
  assert.equal(enrolled.code, 2);
  assert.match(enrolled.err, /C9 is already enrolled/);
  assert.equal((await cli(dir, ['assign', id])).code, 2);
});

test('macOS managed admin from --admin-password-env; push fails with exit 1 while Apple is unreachable', async () => {
  const { dir } = dataDir();
  const url = 'https://tenant.example.com/dep';
  const r = await cli(dir, ['create', '--server', 'Main ABM', '--name', 'Macs', '--url', url, '--await', '--admin-account', 'benchadmin', '--admin-full-name', 'Bench Admin', '--admin-password-env', 'ADMIN_PW', '--skip-primary-account', '--format', 'json'], { ADMIN_PW: 'Correct horse battery' });
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).hasAdminPassword, true);
  assert.ok(!r.out.includes('Correct horse battery'));
  const missing = await cli(dir, ['create', '--server', 'Main ABM', '--name', 'Macs2', '--url', url, '--await', '--admin-account', 'benchadmin', '--admin-password-env', 'UNSET_VAR']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /UNSET_VAR/);
  // the server has no token yet: push is refused, the profile stays pending
  const push = await cli(dir, ['push', '--server', 'Main ABM']);
  assert.notEqual(push.code, 0);
  assert.match(push.err, /token/i);
  const list = JSON.parse((await cli(dir, ['list', '--format', 'json'])).out);
  assert.equal(list[0].syncState, 'pending');
});

test('push through the server\'s own client against the DEP simulator', async () => {
  const sim = await startDepSimulator({ devices: 2 });
  try {
    const { dir } = dataDir();
    // store the simulator's token the way the server service does (upload a .p7m encrypted to the server key)
    const { createDepServerService } = await import('../../main/dep');
    const { openHeadlessSecretBox } = await import('../../main/secrets');
    const db = openDatabase(dir);
    const box = openHeadlessSecretBox(dir, { STAGEBENCH_PASSPHRASE: 'cli test passphrase' });
    const servers = createDepServerService(db, box, 'test');
    const added = servers.add({ name: 'Sim ABM', baseUrl: sim.url });
    servers.uploadToken(added.server.id, sim.issueToken(added.publicKeyPem));
    await servers.sync(added.server.id);
    db.close();
    const url = 'https://tenant.example.com/dep';
    const c = await cli(dir, ['create', '--server', 'Sim ABM', '--name', 'Sim', '--url', url, '--format', 'json']);
    assert.equal(c.code, 0, c.err);
    assert.equal((await cli(dir, ['assign', JSON.parse(c.out).id, '--all-unassigned'])).code, 0);
    const push = await cli(dir, ['push', '--server', 'Sim ABM', '--format', 'json']);
    assert.equal(push.code, 0, push.err + push.out);
    const report = JSON.parse(push.out);
    assert.equal(report.sent, 2);
    assert.equal(sim.profiles.size, 1);
    const uuid = [...sim.profiles.keys()][0];
    assert.ok([...sim.store.devices.values()].every((d) => d.profile_uuid === uuid));
  } finally {
    await sim.close();
  }
});
