import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DepClient } from '../../main/dep/api/client';
import { runDeviceSync } from '../../main/dep/sync/syncer';
import { parsePasswordHash, passwordMatchesHash } from '../../main/dep/accounts';
import { createDepProfileService, DepProfileInputError, DepProfileValidationError } from '../../main/dep/profiles';
import { DB_FILE } from '../../main/store';
import { parseTypedPlistDict } from '../../main/profiles';
import { startDepSimulator } from '../support/dep-simulator';
import { addDevices, addServer, snapshot, tempCache } from './profiles-fixtures';

const URL = 'https://tenant.example.com/dep/enroll';

function setup() {
  const { dir, db, box } = tempCache();
  const a = addServer(db, 'ABM Server A');
  const b = addServer(db, 'ABM Server B');
  addDevices(db, a, ['A1', 'A2', 'A3', 'A4']);
  addDevices(db, a, ['A5'], 'pushed');
  addDevices(db, b, ['B1']);
  const svc = createDepProfileService(db, box, 'test:alice', { enrollmentUrl: URL });
  return { dir, db, box, a, b, svc };
}

test('many profiles per server; the first is the default; set-default moves it; the default cannot be deleted', () => {
  const { db, a, b, svc } = setup();
  const p1 = svc.create(a, { name: 'Staging' });
  const p2 = svc.create(a, { name: 'Kiosk', department: 'Retail' });
  const pb = svc.create(b, { name: 'Staging' });
  assert.equal(p1.isDefault, true);
  assert.equal(p2.isDefault, false);
  assert.equal(pb.isDefault, true, 'each server has its own default');
  assert.equal(p1.syncState, 'pending');
  assert.equal(p1.apple.url, URL);
  assert.deepEqual(svc.list({ serverId: a }).map((p) => [p.name, p.isDefault]), [['Staging', true], ['Kiosk', false]]);
  assert.throws(() => svc.delete(p1.id), (e: Error) => e instanceof DepProfileInputError && /default profile and cannot be deleted/.test(e.message));
  svc.setDefault(p2.id);
  assert.deepEqual(svc.list({ serverId: a }).map((p) => [p.name, p.isDefault]), [['Kiosk', true], ['Staging', false]]);
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM dep_profiles WHERE server_id = ? AND is_default = 1').get(a) as { n: number }).n, 1);
  assert.throws(() => svc.create(a, { name: 'Kiosk' }), (e: Error) => e instanceof DepProfileValidationError && e.issues[0].rule === 'PROFILE_NAME_DUPLICATE');
  assert.throws(() => svc.create('no-such-server', { name: 'X' }), /no ABM server/);
});

test('assignment: single and bulk, counts, same server only, not enrolled; all-or-nothing', () => {
  const { db, a, svc } = setup();
  const def = svc.create(a, { name: 'Default' });
  const kiosk = svc.create(a, { name: 'Kiosk' });
  assert.deepEqual(svc.assign(kiosk.id, ['A1']).assigned, ['A1']);
  const bulk = svc.assign(kiosk.id, ['A1', 'A2', 'A3']);
  assert.deepEqual(bulk.assigned, ['A2', 'A3']);
  assert.deepEqual(bulk.unchanged, ['A1']);
  assert.equal(svc.get(kiosk.id).deviceCount, 3);
  const before = snapshot(db);
  assert.throws(() => svc.assign(kiosk.id, ['A4', 'B1']), (e: Error) => e instanceof DepProfileInputError && /B1 belongs to ABM server "ABM Server B"/.test(e.message));
  assert.throws(() => svc.assign(kiosk.id, ['A4', 'A5']), /A5 is already enrolled/);
  assert.throws(() => svc.assign(kiosk.id, ['NOPE']), /not a device of this ABM server/);
  assert.deepEqual(snapshot(db), before, 'refused assignments change nothing (A4 was not assigned either)');
  // a device listed Active in the tenant inventory counts as enrolled too
  db.prepare(`INSERT INTO inventory_devices (platform, model, os_version, serial_number, registration_method, status, registered_at, status_changed_at)
    VALUES ('iOS', 'iPhone', '17.0', 'A4', 'ABM', 'Active', ?, ?)`).run(new Date().toISOString(), new Date().toISOString());
  assert.throws(() => svc.assign(def.id, ['A4']), /A4 is already enrolled/);
  // moving between profiles of the same server
  svc.assign(def.id, ['A2']);
  assert.deepEqual(svc.list({ serverId: a }).map((p) => [p.name, p.deviceCount]), [['Default', 1], ['Kiosk', 2]]);
  assert.deepEqual(svc.devices(a, kiosk.id).map((d) => d.serialNumber), ['A1', 'A3']);
  const outbox = svc.outbox(a).filter((o) => o.kind === 'assign').map((o) => [o.profileId === kiosk.id ? 'kiosk' : 'default', o.serials]);
  assert.deepEqual(outbox, [['kiosk', ['A1']], ['kiosk', ['A2', 'A3']], ['default', ['A2']]]);
});

test('deleting a non-default profile moves its devices to the default; all-unassigned; new devices get the default', () => {
  const { a, svc, db } = setup();
  const def = svc.create(a, { name: 'Default' });
  const lab = svc.create(a, { name: 'Lab' });
  svc.assign(lab.id, ['A1', 'A2']);
  const r = svc.delete(lab.id);
  assert.deepEqual(r, { deleted: lab.id, reassigned: 2, defaultProfileId: def.id });
  assert.deepEqual(svc.devices(a, def.id).map((d) => d.serialNumber), ['A1', 'A2']);
  assert.throws(() => svc.get(lab.id), /no DEP profile/);
  assert.equal(svc.outbox(a).filter((o) => o.profileId === lab.id).length, 0);
  const all = svc.assignAllUnassigned(def.id);
  assert.deepEqual(all.assigned, ['A3', 'A4'], 'enrolled A5 is left alone');
  addDevices(db, a, ['A6']);
  addDevices(db, a, ['A7'], 'assigned', 'UUID-OF-DEFAULT');
  db.prepare('UPDATE dep_profiles SET profile_uuid = ? WHERE id = ?').run('UUID-OF-DEFAULT', def.id);
  assert.deepEqual(svc.applyDefaultToNewDevices(a), { adopted: 1, assigned: 1 });
  const a7 = svc.devices(a).find((d) => d.serialNumber === 'A7')!;
  assert.deepEqual([a7.profileId, a7.assignmentState], [def.id, 'synced']);
  assert.equal(svc.devices(a).find((d) => d.serialNumber === 'A6')!.assignmentState, 'pending');
});

test('invalid input names the field and changes nothing', () => {
  const { db, a, svc } = setup();
  svc.create(a, { name: 'Default' });
  const before = snapshot(db);
  const bad = [
    { name: 'x'.repeat(126) },
    { name: 'Shared', supervised: false, mdmRemovable: false },
    { name: 'Shared', mdmRemovable: false, sharedIpad: { enabled: true, userSessionTimeout: 12 } },
    { name: 'TZ', timeZone: 'Mars/Olympus' },
  ];
  const fields: string[] = [];
  for (const form of bad) {
    try {
      svc.create(a, form);
      assert.fail('accepted');
    } catch (e) {
      assert.ok(e instanceof DepProfileValidationError);
      assert.equal(e.exitCode, 2);
      fields.push(e.issues.filter((i) => i.severity === 'error').map((i) => `${i.field}:${i.code}`).join(','));
    }
  }
  assert.deepEqual(fields, ['name:CONFIG_NAME_INVALID', 'mdmRemovable:FLAGS_INVALID', 'sharedIpad.userSessionTimeout:SESSION_TIMEOUT_INVALID', 'timeZone:TIME_ZONE_INVALID']);
  assert.deepEqual(snapshot(db), before);
  // Apple JSON input: checked with Apple's codes first
  assert.throws(() => svc.create(a, { profile_name: 'J', url: URL, is_supervised: true, support_phone_number: '1'.repeat(51) }), (e: Error) => e instanceof DepProfileValidationError && e.issues[0].field === 'support_phone_number' && e.issues[0].code === 'SUPPORT_PHONE_INVALID');
  assert.deepEqual(snapshot(db), before);
});

test('Apple JSON input, update (unchanged Apple JSON stays synced), draft, Edit Authentication', () => {
  const { a, svc, db } = setup();
  const p = svc.create(a, { profile_name: 'From JSON', url: 'https://mdm.example.com/x', is_supervised: true, is_mdm_removable: false, skip_setup_items: ['AppleID'], devices: ['A1'] });
  assert.equal(p.form.mdmRemovable, false);
  assert.deepEqual(p.apple.skip_setup_items, ['AppleID', 'Payment']);
  assert.deepEqual(p.skip.implied.map((i) => i.key), ['Payment']);
  assert.deepEqual(svc.devices(a, p.id).map((d) => d.serialNumber), ['A1']);
  db.prepare("UPDATE dep_profiles SET profile_uuid = 'U1', sync_state = 'synced' WHERE id = ?").run(p.id);
  const auth = svc.editAuthentication(p.id, { mode: 'skip', assignTo: 'defined', user: 'kiosk@example.com' });
  assert.deepEqual(auth.form.authentication, { mode: 'skip', assignTo: 'defined', user: 'kiosk@example.com' });
  assert.equal(auth.syncState, 'synced', 'authentication is MDM-side: nothing to resend to Apple');
  assert.throws(() => svc.editAuthentication(p.id, { mode: 'skip', assignTo: 'defined', user: '' }), (e: Error) => e instanceof DepProfileValidationError && e.issues.some((i) => i.field === 'authentication.user'));
  const changed = svc.update(p.id, { department: 'Ops' });
  assert.equal(changed.syncState, 'pending');
  assert.equal(changed.apple.department, 'Ops');
  assert.equal(changed.form.mdmRemovable, false, 'unchanged fields kept');
  const draft = svc.create(a, { name: 'Later' }, { draft: true });
  assert.equal(draft.syncState, 'draft');
  assert.equal(draft.outbox.length, 0);
  const queued = svc.queue(draft.id);
  assert.equal(queued.syncState, 'pending');
  assert.deepEqual(queued.outbox.map((o) => o.kind), ['define']);
});

test('managed admin password: only the sealed PBKDF2 hash is stored, never the clear password', () => {
  const { dir, db, box, a, svc } = setup();
  const password = 'Tr0ub4dor&3-unique-marker';
  const form = {
    name: 'Macs', awaitDeviceConfigured: true,
    macosAccounts: { skipAdminAccountCreation: false, skipPrimaryAccountCreation: true, primaryAccountsAsRegularUsers: false, managedAdmin: { fullName: 'Bench Admin', accountName: 'benchadmin', hidden: true } },
  };
  assert.throws(() => svc.create(a, form, { secrets: { adminPassword: password, confirmAdminPassword: 'other' } }), (e: Error) => e instanceof DepProfileValidationError && e.issues.some((i) => i.field === 'macosAccounts.managedAdmin.confirmPassword'));
  assert.throws(() => svc.create(a, form), (e: Error) => e instanceof DepProfileValidationError && e.issues.some((i) => i.rule === 'PASSWORD_REQUIRED'));
  // a password typed into the form JSON is moved out of it, never stored
  const p = svc.create(a, { ...form, macosAccounts: { ...form.macosAccounts, managedAdmin: { ...form.macosAccounts.managedAdmin, password, confirmPassword: password } } });
  assert.equal(p.hasAdminPassword, true);
  assert.ok(p.adminPasswordIterations! >= 20_000 && p.adminPasswordIterations! <= 40_000);
  assert.equal(p.form.macosAccounts.managedAdmin!.passwordIterations, p.adminPasswordIterations);
  const cmd = parseTypedPlistDict(svc.accountConfiguration(p.id)!);
  assert.equal(cmd.SkipPrimarySetupAccountCreation, true);
  const account = (cmd.AutoSetupAdminAccounts as Record<string, unknown>[])[0];
  assert.ok(passwordMatchesHash(password, parsePasswordHash(account.passwordHash as Buffer)));
  const sealed = db.prepare('SELECT admin_password_hash_sealed AS h FROM dep_profiles WHERE id = ?').get(p.id) as { h: Buffer };
  assert.ok(parsePasswordHash(box.open(sealed.h)).iterations === p.adminPasswordIterations);
  db.pragma('wal_checkpoint(TRUNCATE)');
  for (const f of fs.readdirSync(dir)) {
    const bytes = fs.readFileSync(path.join(dir, f));
    assert.ok(!bytes.includes(Buffer.from(password)), `${f} holds the clear password`);
    assert.ok(!bytes.includes(Buffer.from('SALTED-SHA512-PBKDF2')), `${f} holds an unsealed hash`);
  }
  assert.ok(fs.existsSync(path.join(dir, DB_FILE)));
  // editing without retyping keeps the hash; removing the admin clears it
  const kept = svc.update(p.id, { department: 'IT' });
  assert.equal(kept.hasAdminPassword, true);
  const cleared = svc.update(p.id, { macosAccounts: { skipAdminAccountCreation: true, skipPrimaryAccountCreation: false, primaryAccountsAsRegularUsers: false, managedAdmin: undefined } });
  assert.equal(cleared.hasAdminPassword, false);
  assert.equal(svc.accountConfiguration(cleared.id), undefined);
});

test('pushPending against the DEP simulator: offline edits stay pending, then define + assign are sent and recorded', async () => {
  const sim = await startDepSimulator({ devices: 6 });
  try {
    const { db, box } = tempCache();
    const server = addServer(db, 'Sim', sim.url);
    const client = new DepClient({ tokens: sim.tokens, baseUrl: sim.url, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, sleep: async () => {} });
    await runDeviceSync(db, client, server);
    const serials = (db.prepare('SELECT serial_number FROM dep_devices WHERE server_id = ? ORDER BY serial_number').all(server) as { serial_number: string }[]).map((r) => r.serial_number);
    assert.equal(serials.length, 6);
    let online = false;
    const offline = new DepClient({ tokens: sim.tokens, baseUrl: 'http://127.0.0.1:9', retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 5 }, sleep: async () => {} });
    const svc = createDepProfileService(db, box, 'test:bob', { enrollmentUrl: URL, apiFor: () => (online ? client : offline) });
    const def = svc.create(server, { name: 'Default', skipSetupItems: ['Passcode'] });
    const kiosk = svc.create(server, { name: 'Kiosk' });
    svc.assign(kiosk.id, serials.slice(0, 2));
    svc.applyDefaultToNewDevices(server);

    const down = await svc.pushPending(server);
    assert.equal(down.unreachable, true);
    assert.equal(down.sent, 0);
    assert.equal(svc.get(def.id).syncState, 'pending');
    assert.equal(svc.outbox(server).filter((o) => o.state === 'pending').length, 4);

    online = true;
    const up = await svc.pushPending(server);
    assert.equal(up.unreachable, false);
    assert.equal(up.failed, 0);
    assert.equal(up.remaining, 0);
    const d = svc.get(def.id);
    const k = svc.get(kiosk.id);
    assert.equal(d.syncState, 'synced');
    assert.ok(d.profileUuid && k.profileUuid && d.profileUuid !== k.profileUuid);
    assert.deepEqual(sim.profiles.get(d.profileUuid!)!.skip_setup_items, ['Biometric', 'Passcode', 'Payment']);
    for (const s of serials) {
      const dev = sim.store.devices.get(s)!;
      assert.equal(dev.profile_uuid, s === serials[0] || s === serials[1] ? k.profileUuid : d.profileUuid, s);
    }
    assert.ok(svc.devices(server).every((x) => x.assignmentState === 'synced' && x.lastStatus === 'SUCCESS'));
    const results = db.prepare("SELECT COUNT(*) AS n FROM dep_assignment_results WHERE server_id = ? AND action = 'assign' AND status = 'SUCCESS'").get(server) as { n: number };
    assert.equal(results.n, 6);

    // editing a synced profile redefines it under a new uuid and reassigns its devices
    svc.update(kiosk.id, { supportPhone: '+1 555 0100' });
    const again = await svc.pushPending(server);
    const k2 = svc.get(kiosk.id);
    assert.notEqual(k2.profileUuid, k.profileUuid);
    assert.equal(again.failed, 0);
    assert.equal(sim.store.devices.get(serials[0])!.profile_uuid, k2.profileUuid);

    // Apple refuses a profile (fault): the item and profile show the error; nothing else is lost
    sim.fault('POST /profile', { status: 400, body: 'CONFIG_URL_INVALID' });
    svc.update(def.id, { department: 'IT' });
    const refused = await svc.pushPending(server);
    assert.equal(refused.failed, 1);
    const dErr = svc.get(def.id);
    assert.equal(dErr.syncState, 'error');
    assert.match(dErr.lastError!, /CONFIG_URL_INVALID/);
    assert.equal(svc.retryErrors(server), 1);
    const fixed = await svc.pushPending(server);
    assert.equal(fixed.failed, 0);
    assert.equal(svc.get(def.id).syncState, 'synced');
  } finally {
    await sim.close();
  }
});
