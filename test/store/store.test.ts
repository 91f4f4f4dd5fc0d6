import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  appendAudit, createRun, finishRun, getRun, insertIdentity, insertProfile, listAudit, listIdentities, openDatabase,
  openIdentityMaterial, openProfileContent, planDeviceSteps, recordDeviceSeen, getDevice, resolveDataDir, schemaVersion,
  setStepState, DuplicateIdentityError, DB_FILE,
} from '../../main/store';
import { openHeadlessSecretBox } from '../../main/secrets';
import { MIGRATIONS } from '../../main/store/migrations';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sb-store-'));
}

test('data dir: STAGEBENCH_DATA_DIR overrides, platform defaults otherwise', () => {
  assert.equal(resolveDataDir({ STAGEBENCH_DATA_DIR: '/srv/bench' }, 'linux'), '/srv/bench');
  assert.match(resolveDataDir({}, 'linux'), /\.config\/StageBench$/);
  assert.match(resolveDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux'), /^\/x\/StageBench$/);
  assert.match(resolveDataDir({}, 'darwin'), /Library\/Application Support\/StageBench$/);
});

test('database: WAL, foreign keys, schema version, idempotent reopen, newer schema refused', () => {
  const dir = tmpDir();
  const db = openDatabase(dir);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
  assert.equal(schemaVersion(db), latest);
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((r) => r.name);
  for (const t of ['signing_identities', 'profiles', 'devices', 'staging_runs', 'staging_steps', 'audit_log', 'schema_migrations']) {
    assert.ok(tables.includes(t), `missing table ${t}`);
  }
  db.close();
  const again = openDatabase(dir);
  assert.equal(schemaVersion(again), latest);
  assert.equal((again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n, MIGRATIONS.length);
  again.pragma('user_version = 99');
  again.close();
  assert.throws(() => openDatabase(dir), /schema version 99, newer than this StageBench/);
});

test('foreign keys are enforced: a step for an unknown run is refused', () => {
  const db = openDatabase(tmpDir());
  assert.throws(() => planDeviceSteps(db, 'no-such-run', 'UDID', ['pair']), /FOREIGN KEY/);
});

test('audit trail is append-only', () => {
  const db = openDatabase(tmpDir());
  const id = appendAudit(db, { action: 'profile.sign', target: 'com.example.enroll', outcome: 'success', actor: 'alice' });
  appendAudit(db, { action: 'device.stage', target: 'UDID-1', outcome: 'failure', detail: 'detached' });
  assert.throws(() => db.prepare('UPDATE audit_log SET outcome = ? WHERE id = ?').run('failure', id), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM audit_log WHERE id = ?').run(id), /append-only/);
  const rows = listAudit(db);
  assert.equal(rows.length, 2);
  assert.equal(rows[1].actor, 'alice');
  assert.equal(listAudit(db, { actionPrefix: 'device.' })[0].target, 'UDID-1');
});

test('devices: sightings merge known fields and keep first_seen', () => {
  const db = openDatabase(tmpDir());
  recordDeviceSeen(db, { udid: 'U1' }, '2026-01-01T00:00:00.000Z');
  recordDeviceSeen(db, { udid: 'U1', productType: 'iPhone15,2', productVersion: '17.5' }, '2026-01-02T00:00:00.000Z');
  recordDeviceSeen(db, { udid: 'U1', deviceName: 'Bench 1' }, '2026-01-03T00:00:00.000Z');
  const d = getDevice(db, 'U1')!;
  assert.equal(d.firstSeen, '2026-01-01T00:00:00.000Z');
  assert.equal(d.lastSeen, '2026-01-03T00:00:00.000Z');
  assert.equal(d.productType, 'iPhone15,2');
  assert.equal(d.deviceName, 'Bench 1');
});

test('staging runs record per-device step transitions', () => {
  const db = openDatabase(tmpDir());
  createRun(db, { id: 'r1', actor: 'bench', options: { wifiSsid: 'Corp' } });
  planDeviceSteps(db, 'r1', 'U1', ['pair', 'wifi-profile']);
  setStepState(db, 'r1', 'U1', 'pair', 'running');
  setStepState(db, 'r1', 'U1', 'pair', 'done', 'paired');
  setStepState(db, 'r1', 'U1', 'wifi-profile', 'failed', 'device detached');
  finishRun(db, 'r1', 'failed', 0, 1);
  const r = getRun(db, 'r1')!;
  assert.equal(r.run.status, 'failed');
  assert.deepEqual(r.steps.map((s) => [s.step, s.state]), [['pair', 'done'], ['wifi-profile', 'failed']]);
  assert.ok(r.steps[0].startedAt && r.steps[0].finishedAt);
});

test('secrets: private keys and profile bytes are sealed, never in the SQLite file in clear', () => {
  const dir = tmpDir();
  const db = openDatabase(dir);
  const box = openHeadlessSecretBox(dir, { STAGEBENCH_PASSPHRASE: 'correct horse battery staple' });
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const meta = {
    id: 'id1', label: 'Bench signer', subject: 'CN=Signer', issuer: 'CN=CA', keyType: 'ec' as const,
    notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z', fingerprintSha256: 'AB'.repeat(32), importedAt: new Date().toISOString(),
  };
  insertIdentity(db, box, meta, { certificateDer: Buffer.from('cert'), chainDer: [Buffer.from('inter')], privateKeyPkcs8Der: pkcs8 });
  assert.throws(() => insertIdentity(db, box, { ...meta, id: 'id2' }, { certificateDer: Buffer.from('cert'), chainDer: [], privateKeyPkcs8Der: pkcs8 }), DuplicateIdentityError);
  const secretXml = Buffer.from('<plist><dict><key>Challenge</key><string>s3cr3t-challenge-value</string></dict></plist>');
  insertProfile(db, box, {
    id: 'p1', name: 'Enroll', kind: 'enrollment', payloadIdentifier: 'com.example.enroll', payloadUuid: 'U', target: 'ios',
    payloadTypes: ['com.apple.mdm'], signed: false, signerIdentityId: null, signerSubject: null, sourceProfileId: null, createdAt: new Date().toISOString(),
  }, secretXml);
  assert.deepEqual(openIdentityMaterial(db, box, 'id1').privateKeyPkcs8Der, pkcs8);
  assert.deepEqual(openProfileContent(db, box, 'p1'), secretXml);
  assert.equal(listIdentities(db).length, 1);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const raw = Buffer.concat(fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f))));
  assert.equal(raw.indexOf(pkcs8.subarray(30, 62)), -1, 'private key bytes found in clear');
  assert.equal(raw.indexOf(Buffer.from('s3cr3t-challenge-value')), -1, 'SCEP challenge found in clear');
  assert.equal(raw.indexOf(Buffer.from('correct horse')), -1, 'passphrase found in clear');
  assert.ok(fs.existsSync(path.join(dir, DB_FILE)));
});

test('secrets: wrong or missing passphrase gives a clear error', () => {
  const dir = tmpDir();
  const box = openHeadlessSecretBox(dir, { STAGEBENCH_PASSPHRASE: 'first' });
  const sealed = box.seal(Buffer.from('key material'));
  assert.throws(() => openHeadlessSecretBox(dir, { STAGEBENCH_PASSPHRASE: 'second' }), /passphrase does not match/);
  assert.throws(() => openHeadlessSecretBox(dir, {}), /STAGEBENCH_PASSPHRASE is not set/);
  const reopened = openHeadlessSecretBox(dir, { STAGEBENCH_PASSPHRASE: 'first' });
  assert.equal(reopened.open(sealed).toString(), 'key material');
  const tampered = Buffer.from(sealed);
  tampered[tampered.length - 1] ^= 1;
  assert.throws(() => reopened.open(tampered), /failed authentication/);
});
