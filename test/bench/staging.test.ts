/**
 * The staging engine: one lockdownd session and one MCInstall connection per device across all
 * steps, pairing certificates made with the shared host identity (accepted by the emulated
 * device's checks), the per-device state machine, the per-UDID lock, transient-error
 * classification, and resume of `stageDevices` after an unplug.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  appleStagingTransport, DeviceLocks, DeviceStateMachine, HostPairingIdentity, IllegalTransitionError, isTransientError, listDeviceLogs, stageDevices,
} from '../../main/bench';
import { ConnectionClosedError, LockdownError, MCInstallError, ReadTimeoutError, UsbmuxConnectionRefusedError } from '../../main/apple';
import { buildWifiProfile } from '../../main/profiles';
import { openDatabase } from '../../main/store';
import { startEmulator, type Emulator } from '../support/emulator';

const emulators: Emulator[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function tmpDb() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-bench-'));
  dirs.push(d);
  return openDatabase(d);
}

const wifi = buildWifiProfile({ ssid: 'Corp', password: 'wifi-secret-pass', prefix: 'com.acme.stage' });
const plainEnroll = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>PayloadType</key><string>Configuration</string><key>PayloadVersion</key><integer>1</integer>
<key>PayloadIdentifier</key><string>com.acme.other</string><key>PayloadUUID</key><string>${crypto.randomUUID().toUpperCase()}</string>
<key>PayloadDisplayName</key><string>Other</string>
<key>PayloadContent</key><array/>
</dict></plist>`);

test('staging reuses one lockdownd session and one MCInstall connection per device across steps', async () => {
  const emu = await startEmulator({ devices: 3, seed: 'bench-reuse' });
  emulators.push(emu);
  const db = tmpDb();
  const s = await stageDevices(db, appleStagingTransport({ socketAddress: emu.address }), {
    wifiProfile: { bytes: wifi.xml, payloadIdentifier: wifi.identifier, ssid: 'Corp' },
    enrollmentProfile: { bytes: plainEnroll, payloadIdentifier: 'com.acme.other', name: 'Other' },
    actor: 'test',
  });
  assert.equal(s.failed, 0, JSON.stringify(s.devices.map((d) => d.error)));
  for (const d of emu.devices) {
    const count = (r: string): number => d.requestLog.filter((e) => e.request === r).length;
    assert.equal(count('StartSession'), 1, `${d.udid}: sessions`);
    assert.equal(count('StartService'), 1, `${d.udid}: MCInstall connections`);
    assert.equal(count('InstallProfile'), 2);
    assert.equal(count('StopSession'), 1, 'the session is stopped politely at the end');
  }
  const logs = listDeviceLogs(db, { runId: s.runId });
  assert.ok(logs.some((l) => /state queued → attached/.test(l.message)));
  assert.ok(logs.every((l) => !l.message.includes('wifi-secret-pass')));
  db.close();
});

test('stageDevices resumes a device re-attached within reattachTimeoutMs', async () => {
  const emu = await startEmulator({ devices: 1, seed: 'bench-resume', knobs: { detachAfter: { request: 'InstallProfile', occurrence: 1, timing: 'before-reply' } } });
  emulators.push(emu);
  const udid = emu.devices[0].udid;
  const db = tmpDb();
  let waited = false;
  const s = await stageDevices(db, appleStagingTransport({ socketAddress: emu.address }), {
    wifiProfile: { bytes: wifi.xml, payloadIdentifier: wifi.identifier, ssid: 'Corp' },
    enrollmentProfile: { bytes: plainEnroll, payloadIdentifier: 'com.acme.other', name: 'Other' },
    reattachTimeoutMs: 5_000,
    actor: 'test',
  }, (p) => {
    if (/reconnect it within 5 s/.test(p.message) && !waited) {
      waited = true;
      setTimeout(() => emu.attach(udid), 50);
    }
  });
  assert.equal(waited, true);
  assert.equal(s.failed, 0, s.devices[0].error);
  assert.deepEqual(emu.device(udid)!.profiles.map((p) => p.PayloadIdentifier), [wifi.identifier, 'com.acme.other']);
  db.close();
});

test('pairing certificates from the shared host identity: root CA, host and device certificates, SHA-256', async () => {
  const id = await HostPairingIdentity.create(new Date('2026-01-01T00:00:00Z'));
  const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const devicePem = publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const root = new X509Certificate(id.rootCertificatePem);
  const host = new X509Certificate(id.hostCertificatePem);
  const device = new X509Certificate(id.deviceCertificatePem(devicePem));
  assert.equal(root.ca, true);
  assert.equal(host.ca, false);
  assert.ok(root.verify(root.publicKey) && host.verify(root.publicKey) && device.verify(root.publicKey));
  assert.equal((device.publicKey.export({ type: 'pkcs1', format: 'der' }) as Buffer).equals(publicKey.export({ type: 'pkcs1', format: 'der' }) as Buffer), true);
  assert.match(device.serialNumber, /^0+$/);
  assert.equal(device.validFrom, 'Jan  1 00:00:00 2026 GMT');
  assert.equal(device.validTo, 'Dec 30 00:00:00 2035 GMT');
  assert.ok(device.raw.includes(Buffer.from('06092a864886f70d01010b', 'hex')), 'sha256WithRSAEncryption');
  assert.deepEqual(device.keyUsage, undefined);
  assert.match(id.hostPrivateKeyPem, /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.throws(() => id.deviceCertificatePem('not a key'), /DevicePublicKey/);
});

test('the device state machine allows the documented transitions only', () => {
  const seen: string[] = [];
  const m = new DeviceStateMachine('U1', (from, to) => seen.push(`${from}>${to}`));
  for (const s of ['attached', 'paired', 'running', 'waiting', 'attached', 'paired', 'running', 'done'] as const) m.to(s);
  assert.deepEqual(seen, ['queued>attached', 'attached>paired', 'paired>running', 'running>waiting', 'waiting>attached', 'attached>paired', 'paired>running', 'running>done']);
  assert.throws(() => m.to('running'), IllegalTransitionError);
  const q = new DeviceStateMachine('U2');
  assert.throws(() => q.to('running'), /queued → running/);
  q.to('failed');
  assert.throws(() => q.to('attached'), IllegalTransitionError);
});

test('per-UDID locks serialize one device (dash and case insensitive) and leave others concurrent', async () => {
  const locks = new DeviceLocks();
  const order: string[] = [];
  const job = (udid: string, tag: string, ms: number) => locks.run(udid, async () => {
    order.push(`${tag}+`);
    await new Promise((r) => setTimeout(r, ms));
    order.push(`${tag}-`);
  }, tag);
  const a = job('00008120-001A2B3C4D5E6F70', 'a', 30);
  const b = job('00008120001a2b3c4d5e6f70', 'b', 5);
  const c = job('OTHER', 'c', 5);
  assert.equal(locks.isBusy('00008120001A2B3C4D5E6F70'), true);
  await Promise.all([a, b, c]);
  assert.ok(order.indexOf('a-') < order.indexOf('b+'), order.join(' '));
  assert.ok(order.indexOf('c+') < order.indexOf('a-'), 'another device is not blocked');
  assert.equal(locks.isBusy('OTHER'), false);
  await assert.rejects(locks.run('X', async () => { throw new Error('boom'); }), /boom/);
  assert.equal(locks.isBusy('X'), false, 'a failing holder releases the lock');
});

test('transient errors: timeouts, drops, refused ports; not device refusals', () => {
  assert.equal(isTransientError(new ReadTimeoutError('lockdownd', 10)), true);
  assert.equal(isTransientError(new ConnectionClosedError('MCInstall')), true);
  assert.equal(isTransientError(new UsbmuxConnectionRefusedError('Connect', 62078)), true);
  assert.equal(isTransientError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), true);
  assert.equal(isTransientError(new LockdownError('StartService', 'SessionInactive')), true);
  assert.equal(isTransientError(new LockdownError('Pair', 'UserDeniedPairing')), false);
  assert.equal(isTransientError(new MCInstallError('InstallProfile', 'Error')), false);
  assert.equal(isTransientError(new Error('the device is not activated')), false);
});
