/**
 * The emulated lockdownd with a host implemented in the test: pair-record verification, trust
 * prompt and lock knobs, pre-session value subset, StartSession/TLS with either certificate,
 * StopSession back to plaintext, StartService rules, reply encoding.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodePlist } from '../../main/apple/wire';
import { startEmulator, type EmulatedDevice, type Emulator } from '../support/emulator';
import { LockdownTestClient } from './helpers/lockdown-client';
import { makePairRecord } from './helpers/pair-record';

async function publicKeyPem(emu: Emulator, d: EmulatedDevice): Promise<string> {
  const ld = await LockdownTestClient.open(emu.address, d.deviceId);
  try {
    const r = await ld.call({ Request: 'GetValue', Key: 'DevicePublicKey' });
    return Buffer.from(r.Value as Uint8Array).toString('utf8');
  } finally {
    ld.close();
  }
}

describe('emulated lockdownd', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ devices: 1, kinds: ['iphone'], seed: 'lockdownd' });
  });
  after(() => emu.close());

  it('answers QueryType and only the pre-session subset without a session', async () => {
    const d = emu.devices[0];
    const ld = await LockdownTestClient.open(emu.address, d.deviceId);
    try {
      assert.deepEqual(await ld.call({ Request: 'QueryType' }), { Request: 'QueryType', Type: 'com.apple.mobile.lockdown' });
      const all = (await ld.call({ Request: 'GetValue' })).Value as Record<string, unknown>;
      for (const k of ['ProductVersion', 'DeviceClass', 'DevicePublicKey', 'WiFiAddress', 'UniqueDeviceID', 'UniqueChipID', 'ProductType', 'BuildVersion']) {
        assert.ok(k in all, `${k} is readable before pairing`);
      }
      assert.equal(all.UniqueChipID, d.identity.UniqueChipID);
      assert.ok(!('SerialNumber' in all) && !('ActivationState' in all));
      assert.deepEqual(await ld.call({ Request: 'GetValue', Key: 'SerialNumber' }), { Request: 'GetValue', Key: 'SerialNumber', Error: 'MissingValue' });
      assert.equal((await ld.call({ Request: 'GetValue', Domain: 'com.apple.international', Key: 'Locale' })).Error, 'MissingValue');
      assert.equal((await ld.call({ Request: 'StartService', Service: 'com.apple.mobile.MCInstall' })).Error, 'SessionInactive');
      const pem = Buffer.from((await ld.call({ Request: 'GetValue', Key: 'DevicePublicKey' })).Value as Uint8Array).toString();
      assert.match(pem, /^-----BEGIN RSA PUBLIC KEY-----\n/);
      assert.equal(pem, (await d.keyPair()).publicKeyPkcs1Pem.toString());
    } finally {
      ld.close();
    }
  });

  it('answers a binary plist request with a binary plist', async () => {
    const ld = await LockdownTestClient.open(emu.address, emu.devices[0].deviceId);
    try {
      const raw = await ld.callRaw({ Request: 'GetValue', Key: 'ProductType' }, true);
      assert.equal(raw.subarray(0, 8).toString('latin1'), 'bplist00');
      assert.deepEqual(decodePlist(raw), { Request: 'GetValue', Key: 'ProductType', Value: 'iPhone15,2' });
      const xml = await ld.callRaw({ Request: 'GetValue', Key: 'ProductType' }, false);
      assert.match(xml.toString(), /^<\?xml/);
    } finally {
      ld.close();
    }
  });

  it('rejects pair records that do not hold together (InvalidPairRecord) and accepts SHA-1 and SHA-256 ones', async () => {
    const d = emu.devices[0];
    const pem = await publicKeyPem(emu, d);
    const ld = await LockdownTestClient.open(emu.address, d.deviceId);
    try {
      for (const bad of [{ wrongDeviceKey: true }, { deviceCertNotFromRoot: true }, { rootNotCa: true }]) {
        const r = await ld.pair(makePairRecord(pem, bad));
        assert.equal(r.Error, 'InvalidPairRecord', JSON.stringify(bad));
      }
      assert.equal(d.pairings.size, 0);
      const sha1 = await ld.pair(makePairRecord(pem, { hash: 'sha1' }));
      assert.equal(sha1.Error, undefined);
      assert.ok(sha1.EscrowBag instanceof Uint8Array && sha1.EscrowBag.length > 0);
      const sha256 = await ld.pair(makePairRecord(pem, { hash: 'sha256' }));
      assert.equal(sha256.Error, undefined);
      assert.equal(d.pairings.size, 2);
    } finally {
      ld.close();
    }
  });

  it('trust prompt: pending for K attempts then accepted; deny; passcode lock', async () => {
    const d = emu.attach('iphone', { trust: { pendingAttempts: 2 } });
    const rec = makePairRecord(await publicKeyPem(emu, d));
    const ld = await LockdownTestClient.open(emu.address, d.deviceId);
    try {
      assert.equal((await ld.pair(rec)).Error, 'PairingDialogResponsePending');
      assert.equal((await ld.pair(rec)).Error, 'PairingDialogResponsePending');
      assert.equal((await ld.pair(rec)).Error, undefined);
      d.knobs.trust = 'deny';
      assert.equal((await ld.pair(makePairRecord(await publicKeyPem(emu, d)))).Error, 'UserDeniedPairing');
      d.knobs.passcodeLocked = true;
      d.knobs.trust = 'accept';
      assert.equal((await ld.pair(makePairRecord(await publicKeyPem(emu, d)))).Error, 'PasswordProtected');
      assert.equal(d.pairings.size, 1);
    } finally {
      ld.close();
    }
  });

  it('StartSession: InvalidHostID for strangers; TLS with HostCertificate or RootCertificate; full values in session', async () => {
    const d = emu.attach('ipad', { activationState: 'Unactivated', values: { DeviceName: 'Lab iPad' } });
    const pem = await publicKeyPem(emu, d);
    const rec = makePairRecord(pem);
    const ld = await LockdownTestClient.open(emu.address, d.deviceId);
    try {
      assert.equal((await ld.call({ Request: 'StartSession', HostID: rec.HostID, SystemBUID: rec.SystemBUID })).Error, 'InvalidHostID');
      assert.equal((await ld.pair(rec)).Error, undefined);
      const s = await ld.startSession(rec, 'host');
      assert.equal(s.EnableSessionSSL, true);
      assert.match(String(s.SessionID), /^[0-9A-F-]{36}$/);
      assert.equal((await ld.call({ Request: 'GetValue', Key: 'ActivationState' })).Value, 'Unactivated');
      assert.equal((await ld.call({ Request: 'GetValue', Key: 'SerialNumber' })).Value, d.identity.SerialNumber);
      assert.equal((await ld.call({ Request: 'GetValue', Key: 'DeviceName' })).Value, 'Lab iPad');
      assert.equal((await ld.call({ Request: 'GetValue', Domain: 'com.apple.no.such.domain' })).Error, 'MissingValue');
      assert.deepEqual(await ld.call({ Request: 'SetValue', Domain: 'com.apple.international', Key: 'Locale', Value: 'de_DE' }), { Request: 'SetValue', Domain: 'com.apple.international', Key: 'Locale' });
      assert.equal((await ld.call({ Request: 'GetValue', Domain: 'com.apple.international', Key: 'Locale' })).Value, 'de_DE');
      assert.equal((await ld.call({ Request: 'SetValue', Key: 'UniqueDeviceID', Value: 'x' })).Error, 'ImmutableValue');
      assert.equal((await ld.call({ Request: 'StartService', Service: 'com.apple.nope' })).Error, 'InvalidService');
      const svc = await ld.call({ Request: 'StartService', Service: 'com.apple.mobile.MCInstall' });
      assert.equal(svc.EnableServiceSSL, true);
      assert.ok(typeof svc.Port === 'number' && svc.Port > 1024 && svc.Port !== 62078);
      assert.equal((await ld.call({ Request: 'StopSession', SessionID: 'WRONG' })).Error, 'InvalidSessionID');
      // StopSession returns to plaintext; a TLS close_notify record in between is skipped.
      assert.equal((await ld.stopSession(String(s.SessionID), true)).Error, undefined);
      assert.equal((await ld.call({ Request: 'GetValue', Key: 'SerialNumber' })).Error, 'MissingValue');
      assert.equal((await ld.call({ Request: 'QueryType' })).Type, 'com.apple.mobile.lockdown');
      // A second session on the same connection, this time presenting the RootCertificate (libimobiledevice style).
      const s2 = await ld.startSession(rec, 'root');
      assert.equal(s2.EnableSessionSSL, true);
      assert.equal((await ld.call({ Request: 'GetValue', Key: 'UniqueDeviceID' })).Value, d.udid);
    } finally {
      ld.close();
    }
  });

  it('drops a TLS session whose client certificate is not from the pairing', async () => {
    const d = emu.devices[0];
    const pem = await publicKeyPem(emu, d);
    const rec = makePairRecord(pem);
    const stranger = makePairRecord(pem);
    const ld = await LockdownTestClient.open(emu.address, d.deviceId);
    try {
      assert.equal((await ld.pair(rec)).Error, undefined);
      // Right HostID, but the TLS client certificate/key belong to another host.
      const forged = { ...rec, HostCertificate: stranger.HostCertificate, HostPrivateKey: stranger.HostPrivateKey };
      await ld.startSession(forged, 'host');
      await assert.rejects(ld.call({ Request: 'GetValue', Key: 'SerialNumber' }, false, 5000), /closed|ECONNRESET|timed out|no answer/i);
    } finally {
      ld.close();
    }
  });

  it('ValidatePair and Unpair follow the remembered HostIDs', async () => {
    const d = emu.attach('appletv');
    const rec = makePairRecord(await publicKeyPem(emu, d));
    const ld = await LockdownTestClient.open(emu.address, d.deviceId);
    try {
      assert.equal((await ld.call({ Request: 'ValidatePair', PairRecord: { HostID: rec.HostID } })).Error, 'InvalidHostID');
      assert.equal((await ld.pair(rec)).Error, undefined);
      assert.equal((await ld.call({ Request: 'ValidatePair', PairRecord: { HostID: rec.HostID } })).Error, undefined);
      assert.equal((await ld.call({ Request: 'Unpair', PairRecord: { HostID: rec.HostID }, ProtocolVersion: '2' })).Error, undefined);
      assert.equal((await ld.call({ Request: 'StartSession', HostID: rec.HostID, SystemBUID: rec.SystemBUID })).Error, 'InvalidHostID');
      assert.equal((await ld.call({ Request: 'Frobnicate' })).Error, 'InvalidRequest');
    } finally {
      ld.close();
    }
  });
});
