/**
 * The ABM server service end to end against the DEP simulator and a real SQLite cache: add →
 * public key → simulator issues a token encrypted to it → upload → test connection → sync;
 * secrets sealed at rest; renewal with another consumer_key; listing search/sort; delete;
 * assignment results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createDepServerService, DepApiError, DepInputError, ServerTokenError } from '../../main/dep';
import { DB_FILE, listAudit } from '../../main/store';
import { depFixture, deviceCount, syncRow } from './helpers';

test('end to end: add → public key → token issued for it → upload → test connection → full and incremental sync', async (t) => {
  const f = await depFixture(t, { devices: 40 }, {}, false);
  const pem = f.svc.publicKey('Main');
  assert.equal(pem, f.publicKeyPem);
  const cert = new crypto.X509Certificate(pem);
  assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal(f.svc.get(f.serverId).hasToken, false);
  await assert.rejects(f.svc.testConnection(f.serverId), (e: unknown) => e instanceof DepInputError && /no server token yet/.test(e.message));

  const up = f.svc.uploadToken(f.serverId, f.sim.issueToken(pem));
  assert.equal(up.consumerKeyChanged, false);
  assert.equal(up.tokenExpires, new Date(f.sim.tokens.access_token_expiry).toISOString());
  assert.equal(up.warning.level, 'none');
  const test1 = await f.svc.testConnection('MAIN');
  assert.equal(test1.account.org_name, 'Example Org');
  const row = f.svc.get(f.serverId);
  assert.equal(row.appleAccount, 'admin@example.com');
  assert.equal(row.orgName, 'Example Org');
  assert.equal((await f.svc.sync(f.serverId, { full: true })).received, 40);
  f.sim.store.add(2);
  assert.equal((await f.svc.sync(f.serverId)).added, 2);
  assert.equal(f.svc.get(f.serverId).deviceCount, 42);
  const actions = listAudit(f.db, { actionPrefix: 'dep.' }).map((a) => `${a.action}:${a.outcome}`).reverse();
  assert.deepEqual(actions, ['dep.server.add:success', 'dep.token.upload:success', 'dep.server.test:success', 'dep.sync.full:success', 'dep.sync:success']);
});

test('secrets are sealed at rest: no private key or token secret in the database file or audit trail', async (t) => {
  const f = await depFixture(t, { devices: 1 });
  await f.svc.testConnection(f.serverId);
  f.db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = fs.readFileSync(path.join(f.dir, DB_FILE)).toString('latin1');
  assert.ok(!bytes.includes('PRIVATE KEY'), 'private key PEM must not be stored in clear');
  for (const k of ['consumer_secret', 'access_token', 'access_secret'] as const) assert.ok(!bytes.includes(f.sim.tokens[k]), `${k} must be sealed`);
  const audit = JSON.stringify(listAudit(f.db));
  for (const k of ['consumer_secret', 'access_token', 'access_secret'] as const) assert.ok(!audit.includes(f.sim.tokens[k]));
  const sealed = f.db.prepare('SELECT private_key_sealed FROM dep_servers').get() as { private_key_sealed: Buffer };
  assert.match(f.box.open(sealed.private_key_sealed).toString(), /BEGIN PRIVATE KEY/);
});

test('bad token uploads change nothing: another key, corrupt file, missing field', async (t) => {
  const f = await depFixture(t, {}, {}, false);
  const other = f.svc.add({ name: 'Other', baseUrl: f.sim.url });
  const snapshot = (): unknown => f.db.prepare('SELECT consumer_key, tokens_sealed, access_token_expiry FROM dep_servers WHERE id = ?').get(f.serverId);
  const before = snapshot();
  assert.throws(() => f.svc.uploadToken(f.serverId, f.sim.issueToken(other.publicKeyPem)), (e: unknown) => e instanceof ServerTokenError && e.reason === 'recipient');
  assert.throws(() => f.svc.uploadToken(f.serverId, Buffer.from('MIME-Version: 1.0\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\n\n%%%%')), (e: unknown) => e instanceof ServerTokenError && e.reason === 'format');
  const { encryptToken, tokenPlaintext } = await import('../support/dep-simulator');
  const { access_secret: _x, ...partial } = f.sim.tokens;
  assert.throws(() => f.svc.uploadToken(f.serverId, encryptToken(tokenPlaintext(partial), f.publicKeyPem)), /no access_secret/);
  assert.deepEqual(snapshot(), before);
  assert.equal(listAudit(f.db, { actionPrefix: 'dep.token' }).length, 0);
});

test('renewal: same consumer_key accepted; a different one refused unless confirmed, which resets the cursor', async (t) => {
  const f = await depFixture(t, { devices: 3 });
  await f.svc.sync(f.serverId);
  assert.ok(syncRow(f.db, f.serverId).cursor);
  assert.equal(f.svc.uploadToken(f.serverId, f.sim.issueToken(f.publicKeyPem)).consumerKeyChanged, false);
  const oldKey = (f.db.prepare('SELECT consumer_key FROM dep_servers').get() as { consumer_key: string }).consumer_key;
  const renewed = f.sim.issueToken(f.publicKeyPem, { rotate: true });
  assert.throws(() => f.svc.uploadToken(f.serverId, renewed), (e: unknown) => e instanceof ServerTokenError && e.reason === 'consumer-key' && /--confirm-new-consumer-key/.test(e.message));
  assert.equal((f.db.prepare('SELECT consumer_key FROM dep_servers').get() as { consumer_key: string }).consumer_key, oldKey);
  const ok = f.svc.uploadToken(f.serverId, renewed, { confirmNewConsumerKey: true });
  assert.equal(ok.consumerKeyChanged, true);
  assert.equal(syncRow(f.db, f.serverId).cursor, null);
  assert.equal((await f.svc.sync(f.serverId)).mode, 'full');
});

test('Test Connection failures: T_C_NOT_SIGNED is explained and audited as a failure', async (t) => {
  const f = await depFixture(t);
  f.sim.fault('GET /account', { status: 403, body: 'T_C_NOT_SIGNED' });
  await assert.rejects(f.svc.testConnection(f.serverId), (e: unknown) => e instanceof DepApiError && e.code === 'T_C_NOT_SIGNED' && /terms and conditions/.test(e.message));
  const [last] = listAudit(f.db, { actionPrefix: 'dep.server.test' });
  assert.equal(last.outcome, 'failure');
  assert.match(last.detail, /T_C_NOT_SIGNED/);
});

test('add validates first: name, duplicate (case-insensitive), base URL; nothing is written on error', async (t) => {
  const f = await depFixture(t, {}, {}, false);
  const count = (): number => (f.db.prepare('SELECT COUNT(*) AS n FROM dep_servers').get() as { n: number }).n;
  assert.throws(() => f.svc.add({ name: '  ' }), /needs a name/);
  assert.throws(() => f.svc.add({ name: 'main' }), /already exists/);
  assert.throws(() => f.svc.add({ name: 'X', baseUrl: 'http://mdm.example.com' }), /must use https/);
  assert.throws(() => f.svc.add({ name: 'X', baseUrl: 'ftp://127.0.0.1' }), /must use https/);
  assert.throws(() => f.svc.add({ name: 'X', baseUrl: 'not a url' }), /is not a URL/);
  assert.throws(() => f.svc.add({ name: 'x'.repeat(101) }), /at most 100/);
  assert.equal(count(), 1);
  assert.throws(() => f.svc.get('nope'), (e: unknown) => e instanceof DepInputError && e.exitCode === 2);
  assert.equal(f.svc.setBaseUrl('Main', 'https://mdmenrollment.apple.com/').baseUrl, 'https://mdmenrollment.apple.com');
});

test('listing: device and profile counts, search, whitelisted sort, token warnings', async (t) => {
  const f = await depFixture(t, { devices: 5 });
  await f.svc.sync(f.serverId);
  const b = f.svc.add({ name: 'Branch Office', baseUrl: f.sim.url });
  f.svc.add({ name: 'Zeta', baseUrl: f.sim.url });
  f.svc.uploadToken(b.server.id, f.sim.issueToken(b.publicKeyPem));
  await f.svc.sync(b.server.id, { limit: 2 });
  f.sim.store.add(3);
  await f.svc.sync(b.server.id);
  await f.svc.testConnection(b.server.id);

  assert.deepEqual(f.svc.list().map((r) => r.name), ['Branch Office', 'Main', 'Zeta']);
  assert.deepEqual(f.svc.list({ sort: 'devices', direction: 'desc' }).map((r) => [r.name, r.deviceCount]), [['Branch Office', 8], ['Main', 5], ['Zeta', 0]]);
  assert.deepEqual(f.svc.list({ sort: 'name', direction: 'desc' }).map((r) => r.name), ['Zeta', 'Main', 'Branch Office']);
  assert.deepEqual(f.svc.list({ search: 'example org' }).map((r) => r.name), ['Branch Office']);
  assert.deepEqual(f.svc.list({ search: 'ma' }).map((r) => r.name), ['Main']);
  assert.deepEqual(f.svc.list({ search: '%' }).map((r) => r.name), [], 'LIKE wildcards are literal');
  assert.deepEqual(f.svc.list({ sort: 'token-expires' }).map((r) => r.name).slice(-1), ['Zeta'], 'no token sorts last');
  assert.throws(() => f.svc.list({ sort: 'name; DROP TABLE dep_servers' }), (e: unknown) => e instanceof DepInputError && /cannot sort by/.test(e.message));
  assert.throws(() => f.svc.list({ direction: 'sideways' as 'asc' }), /asc or desc/);

  // Profile counts come from migration 3's dep_profiles (created here when that migration is absent).
  const hasTable = (f.db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'dep_profiles'").get() as { n: number }).n > 0;
  if (!hasTable) f.db.exec("CREATE TABLE dep_profiles (id TEXT PRIMARY KEY, server_id TEXT, name TEXT, form_json TEXT DEFAULT '{}', apple_json TEXT DEFAULT '{}', mdm_settings_json TEXT DEFAULT '{}', sync_state TEXT DEFAULT 'draft', created_at TEXT DEFAULT '', updated_at TEXT DEFAULT '')");
  const ins = f.db.prepare("INSERT INTO dep_profiles (id, server_id, name, form_json, apple_json, mdm_settings_json, sync_state, created_at, updated_at) VALUES (?, ?, ?, '{}', '{}', '{}', 'draft', 'x', 'x')");
  ins.run('p1', f.serverId, 'One');
  ins.run('p2', f.serverId, 'Two');
  ins.run('p3', b.server.id, 'Three');
  assert.equal(f.svc.get(f.serverId).profileCount, 2);
  assert.deepEqual(f.svc.list({ sort: 'profiles', direction: 'desc' }).map((r) => [r.name, r.profileCount]), [['Main', 2], ['Branch Office', 1], ['Zeta', 0]]);

  const expiry = Date.parse(f.svc.get(f.serverId).tokenExpires!);
  const later = createDepServerService(f.db, f.box, 'test', { now: () => expiry - 5 * 86_400_000 });
  assert.equal(later.get(f.serverId).tokenWarning?.level, '7-days');
  assert.equal(later.get('Zeta').tokenWarning, null);
});

test('devices listing: server filter, search, sort whitelist', async (t) => {
  const f = await depFixture(t, { devices: 12 });
  await f.svc.sync(f.serverId);
  const all = f.svc.devices({ serverId: 'Main' });
  assert.equal(all.length, 12);
  assert.deepEqual(all.map((d) => d.serial_number), [...all.map((d) => d.serial_number)].sort());
  assert.deepEqual(f.svc.devices({ sort: 'serial_number', direction: 'desc' }).map((d) => d.serial_number), [...all.map((d) => d.serial_number)].sort().reverse());
  assert.ok(f.svc.devices({ search: 'ipad air' }).every((d) => d.model === 'iPad Air'));
  assert.equal(f.svc.devices({ search: 'ipad air' }).length, 3);
  assert.equal(f.svc.devices({ search: 'A-1' }).length, 3, 'asset tags A-1, A-10, A-11');
  assert.equal(f.svc.devices({ search: '_' }).length, 0);
  assert.deepEqual(f.svc.devices({ sort: 'model', limit: 2 }).map((d) => d.model), ['Apple TV 4K', 'Apple TV 4K']);
  assert.throws(() => f.svc.devices({ sort: 'serial_number DESC' }), DepInputError);
  assert.throws(() => f.svc.devices({ serverId: 'nope' }), /no ABM server "nope"/);
});

test('assignProfile records every per-device result and updates the stored devices', async (t) => {
  const f = await depFixture(t, { devices: 1205 });
  await f.svc.sync(f.serverId);
  const serials = f.svc.devices().map((d) => d.serial_number);
  const { profile_uuid } = await f.svc.client(f.serverId).defineProfile({ profile_name: 'Bench', url: 'https://mdm.example.com/enroll' });
  f.sim.fault('POST /profile/devices', { throttle: { serials: 2, retryAfterSeconds: 1 } });
  const r = await f.svc.assignProfile(f.serverId, profile_uuid, [...serials, 'FOREIGN0001']);
  assert.equal(r.requests, 3, '1000 + 206, then the 2 throttled again');
  const results = f.svc.assignmentResults(f.serverId, { batchId: r.batchId, limit: 5000 });
  assert.equal(results.length, 1206 + 2);
  assert.equal(results.filter((x) => x.status === 'THROTTLED').length, 2);
  assert.equal(f.svc.assignmentResults(f.serverId, { serial: 'FOREIGN0001' })[0].status, 'NOT_ACCESSIBLE');
  const assigned = f.svc.devices({ profileStatus: 'assigned' });
  assert.equal(assigned.length, 1205);
  assert.ok(assigned.every((d) => d.profile_uuid === profile_uuid));
  const rm = await f.svc.removeProfile(f.serverId, serials.slice(0, 3));
  assert.equal(Object.keys(rm.devices).length, 3);
  assert.equal(f.svc.devices({ profileStatus: 'removed' }).length, 3);
  await f.svc.sync(f.serverId);
  assert.equal(f.svc.devices({ profileStatus: 'assigned' }).length, 1202, 'sync agrees with the recorded results');
});

test('delete removes the server with its devices, sync state and results', async (t) => {
  const f = await depFixture(t, { devices: 4 });
  await f.svc.sync(f.serverId);
  f.svc.delete('main');
  assert.equal(deviceCount(f.db, f.serverId), 0);
  assert.equal(f.db.prepare('SELECT COUNT(*) AS n FROM dep_sync_state').get() && (f.db.prepare('SELECT COUNT(*) AS n FROM dep_sync_state').get() as { n: number }).n, 0);
  assert.equal(f.svc.list().length, 0);
  assert.throws(() => f.svc.delete('main'), DepInputError);
  assert.equal(listAudit(f.db, { actionPrefix: 'dep.server.delete' })[0].outcome, 'success');
});
