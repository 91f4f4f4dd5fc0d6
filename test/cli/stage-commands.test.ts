/**
 * Device commands and `stagebench stage --all` through the real CLI against the device emulator
 * (real usbmuxd / lockdownd-with-TLS / MCInstall wire protocols on loopback).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startEmulator, type Emulator } from '../support/emulator';
import { makeTestPki, type TestPki } from '../support/pki';
import { runStagebench } from './helpers';

let dir: string;
let pki: TestPki;
let signedProfile: string;
const baseEnv = (dataDir: string, emu: Emulator): Record<string, string> => ({
  STAGEBENCH_DATA_DIR: dataDir,
  USBMUXD_SOCKET_ADDRESS: emu.address,
  WIFI_PW: 'wifi-secret-pass',
});

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-cli-stage-'));
  pki = makeTestPki(path.join(dir, 'pki'), { keyType: 'rsa' });
  const env = { SCEP_CHALLENGE: 'challenge-7f3a91', P12_PW: pki.p12Password, STAGEBENCH_DATA_DIR: path.join(dir, 'build-data') };
  const unsigned = path.join(dir, 'enroll.mobileconfig');
  signedProfile = path.join(dir, 'enroll.signed.mobileconfig');
  const b = await runStagebench(['profile', 'build', '--name', 'Acme Enrollment', '--identifier', 'com.acme.enroll', '--server-url', 'https://mdm.acme.test/mdm',
    '--topic', 'com.apple.mgmt.External.acme', '--scep-url', 'https://mdm.acme.test/scep', '--scep-challenge-env', 'SCEP_CHALLENGE',
    '--anchor', pki.rootPath, '--out', unsigned], env);
  assert.equal(b.code, 0, b.stderr);
  const s = await runStagebench(['profile', 'sign', '--identity', pki.p12Path, '--password-env', 'P12_PW', '--in', unsigned, '--out', signedProfile], env);
  assert.equal(s.code, 0, s.stderr);
});

const emulators: Emulator[] = [];
after(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

async function emulator(opts: Parameters<typeof startEmulator>[0]): Promise<Emulator> {
  const emu = await startEmulator(opts);
  emulators.push(emu);
  return emu;
}

test('devices --format json lists every attached device with udid, productType, productVersion, deviceClass, paired', async () => {
  const emu = await emulator({ devices: 3, kinds: ['iphone', 'ipad', 'appletv'] });
  const r = await runStagebench(['devices', '--format', 'json'], baseEnv(path.join(dir, 'd1'), emu));
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { udid: string; productType: string; productVersion: string; deviceClass: string; paired: boolean }[];
  assert.deepEqual(rows.map((d) => d.udid).sort(), emu.devices.map((d) => d.udid).sort());
  assert.deepEqual(rows.map((d) => d.deviceClass).sort(), ['AppleTV', 'iPad', 'iPhone']);
  assert.ok(rows.find((d) => d.deviceClass === 'AppleTV')!.productType === 'AppleTV5,3');
  assert.ok(rows.every((d) => d.paired === false && /^\d+\.\d+/.test(d.productVersion)));
});

test('stage --all pairs every device, installs Wi-Fi then the signed enrollment profile, records steps and audit', async () => {
  const emu = await emulator({ devices: 3 });
  const dataDir = path.join(dir, 'd2');
  const env = baseEnv(dataDir, emu);
  const r = await runStagebench(['stage', '--all', '--wifi-ssid', 'Corp', '--wifi-password-env', 'WIFI_PW', '--enroll', signedProfile], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /3 succeeded, 0 failed/);
  assert.match(r.stderr, /enrollment-profile\s+done/, 'live per-device progress is shown');
  for (const dev of emu.devices) {
    const installs = dev.requestLog.filter((e) => e.request === 'InstallProfile' && e.detail.Status === 'Acknowledged').map((e) => String(e.detail.PayloadIdentifier));
    assert.deepEqual(installs, ['com.acme.enroll.wifi.corp', 'com.acme.enroll'], `install order on ${dev.udid}`);
    assert.equal(dev.profiles.find((p) => p.PayloadIdentifier === 'com.acme.enroll')?.signed, true);
    assert.equal(emu.pairRecords.has(dev.udid), true, 'pair record saved through usbmuxd SavePairRecord');
  }
  const udid = emu.devices[0].udid;
  const p = await runStagebench(['profiles', udid, '--format', 'json'], env);
  assert.equal(p.code, 0, p.stderr);
  assert.deepEqual((JSON.parse(p.stdout) as { PayloadIdentifier: string }[]).map((x) => x.PayloadIdentifier), ['com.acme.enroll.wifi.corp', 'com.acme.enroll']);
  const devices = JSON.parse((await runStagebench(['devices', '--format', 'json'], env)).stdout) as { paired: boolean }[];
  assert.ok(devices.every((d) => d.paired));

  const db = new Database(path.join(dataDir, 'stagebench.sqlite3'), { readonly: true });
  const run = db.prepare('SELECT status, succeeded, failed, options_json FROM staging_runs').get() as { status: string; succeeded: number; failed: number; options_json: string };
  assert.deepEqual([run.status, run.succeeded, run.failed], ['succeeded', 3, 0]);
  assert.doesNotMatch(run.options_json, /wifi-secret-pass/);
  const steps = db.prepare("SELECT COUNT(*) AS n FROM staging_steps WHERE state = 'done'").get() as { n: number };
  assert.equal(steps.n, 15);
  const audit = db.prepare("SELECT target, outcome FROM audit_log WHERE action = 'device.stage'").all() as { target: string; outcome: string }[];
  assert.deepEqual(audit.map((a) => a.target).sort(), emu.devices.map((d) => d.udid).sort());
  assert.ok(audit.every((a) => a.outcome === 'success'));
  db.close();
  const raw = Buffer.concat(fs.readdirSync(dataDir).map((f) => fs.readFileSync(path.join(dataDir, f))));
  assert.equal(raw.indexOf(Buffer.from('wifi-secret-pass')), -1, 'Wi-Fi password found in the data directory');

  const again = await runStagebench(['stage', '--all', '--enroll', signedProfile], env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /pair\s+done: already paired/);
});

test('stage --all reports a denied device and a device unplugged mid-install, finishes the others, exits 1', async () => {
  const emu = await emulator({
    devices: 3,
    knobs: (i) => (i === 0 ? { trust: 'deny' } : i === 1 ? { detachAfter: { request: 'InstallProfile', occurrence: 2 } } : {}),
  });
  const [denied, unplugged, good] = emu.devices;
  const dataDir = path.join(dir, 'd3');
  const r = await runStagebench(['stage', '--all', '--wifi-ssid', 'Corp', '--wifi-password-env', 'WIFI_PW', '--enroll', signedProfile, '--format', 'json'], baseEnv(dataDir, emu));
  assert.equal(r.code, 1, r.stderr);
  const summary = JSON.parse(r.stdout) as { succeeded: number; failed: number; devices: { udid: string; ok: boolean; error?: string; steps: Record<string, string> }[] };
  assert.equal(summary.succeeded, 1);
  assert.equal(summary.failed, 2);
  const byUdid = new Map(summary.devices.map((d) => [d.udid, d]));
  assert.equal(byUdid.get(good.udid)!.ok, true);
  assert.equal(byUdid.get(denied.udid)!.steps.pair, 'failed');
  assert.match(byUdid.get(denied.udid)!.error!, /UserDeniedPairing/);
  assert.equal(byUdid.get(denied.udid)!.steps['enrollment-profile'], 'skipped');
  assert.equal(byUdid.get(unplugged.udid)!.steps['wifi-profile'], 'done');
  assert.equal(byUdid.get(unplugged.udid)!.steps['enrollment-profile'], 'failed');
  assert.match(byUdid.get(unplugged.udid)!.error!, /closed|detached/i);
  const db = new Database(path.join(dataDir, 'stagebench.sqlite3'), { readonly: true });
  const failures = db.prepare("SELECT target FROM audit_log WHERE action = 'device.stage' AND outcome = 'failure'").all() as { target: string }[];
  assert.deepEqual(failures.map((f) => f.target).sort(), [denied.udid, unplugged.udid].sort());
  db.close();
});

test('pair, info and install-profile --all work on their own; no device gives a clear error', async () => {
  const emu = await emulator({ devices: 2 });
  const env = baseEnv(path.join(dir, 'd4'), emu);
  const udid = emu.devices[0].udid;
  const pr = await runStagebench(['pair', udid], env);
  assert.equal(pr.code, 0, pr.stderr);
  const info = await runStagebench(['info', udid, '--format', 'json'], env);
  assert.equal(info.code, 0, info.stderr);
  const facts = JSON.parse(info.stdout) as { viaSession: boolean; UniqueDeviceID: string; values: Record<string, unknown> };
  assert.equal(facts.viaSession, true);
  assert.equal(facts.UniqueDeviceID, udid);
  assert.equal(facts.values.DevicePublicKey, undefined, 'keys are not printed');
  emu.devices[1].knobs.trust = 'accept';
  assert.equal((await runStagebench(['pair', emu.devices[1].udid], env)).code, 0);
  const inst = await runStagebench(['install-profile', '--all', signedProfile], env);
  assert.equal(inst.code, 0, inst.stderr);
  assert.ok(emu.devices.every((d) => d.profiles.some((p) => p.PayloadIdentifier === 'com.acme.enroll')));
  const bad = await runStagebench(['install-profile', udid], env);
  assert.equal(bad.code, 2);
  for (const d of emu.devices) emu.detach(d.udid);
  const none = await runStagebench(['stage', '--all', '--enroll', signedProfile], env);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no device is attached/);
  const noDaemon = await runStagebench(['devices'], { ...env, USBMUXD_SOCKET_ADDRESS: '127.0.0.1:1' });
  assert.equal(noDaemon.code, 1);
  assert.match(noDaemon.stderr, /usbmuxd/);
});
