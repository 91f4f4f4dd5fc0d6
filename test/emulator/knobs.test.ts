/**
 * Emulator knobs and lifecycle: mid-operation unplug (before / after the reply), re-plugging a
 * device with its state, reply delay, one-shot service ports, startup time of 32 devices and
 * deterministic identities from a seed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeXmlPlist } from '../../main/apple/wire';
import { startEmulator } from '../support/emulator';
import { LockdownTestClient, openService } from './helpers/lockdown-client';
import { makePairRecord } from './helpers/pair-record';
import { runTool, toolHome } from './helpers/tools';
import { UsbmuxTestClient } from './helpers/usbmux-client';

const PROFILE = encodeXmlPlist({
  PayloadType: 'Configuration', PayloadIdentifier: 'com.example.unplug', PayloadUUID: 'C0000000-0000-4000-8000-000000000001', PayloadVersion: 1,
  PayloadContent: [{ PayloadType: 'com.apple.wifi.managed', PayloadIdentifier: 'com.example.unplug.wifi', PayloadUUID: 'C0000000-0000-4000-8000-000000000002', PayloadVersion: 1, SSID_STR: 'x' }],
});

async function pairedRecord(address: string, deviceId: number) {
  const ld = await LockdownTestClient.open(address, deviceId);
  try {
    const pem = Buffer.from((await ld.call({ Request: 'GetValue', Key: 'DevicePublicKey' })).Value as Uint8Array).toString();
    const rec = makePairRecord(pem);
    assert.equal((await ld.pair(rec)).Error, undefined);
    return rec;
  } finally {
    ld.close();
  }
}

describe('emulator knobs', () => {
  it('detaches before answering the N-th InstallProfile, then re-plugs with its state and a new DeviceID', async () => {
    const emu = await startEmulator({ devices: 1, kinds: ['iphone'], knobs: { detachAfter: { request: 'InstallProfile', occurrence: 2 } } });
    try {
      const d = emu.devices[0];
      const rec = await pairedRecord(emu.address, d.deviceId);
      const listener = await UsbmuxTestClient.open(emu.address);
      await listener.request({ MessageType: 'Listen' });
      await listener.next(); // Attached replay
      const svc = await openService(emu.address, d.deviceId, rec, 'com.apple.mobile.MCInstall');
      assert.equal((await svc.call({ RequestType: 'InstallProfile', Payload: PROFILE })).Status, 'Acknowledged');
      await assert.rejects(svc.call({ RequestType: 'InstallProfile', Payload: PROFILE }, false, 5000), /closed|ECONNRESET/i);
      const ev = await listener.next();
      assert.deepEqual(ev.body, { MessageType: 'Detached', DeviceID: d.deviceId });
      assert.equal(emu.devices.length, 0);
      assert.equal(d.attached, false);
      const oldId = d.deviceId;
      assert.equal(await (async () => {
        const c = await UsbmuxTestClient.open(emu.address);
        const r = await c.connectPort(oldId, 62078);
        c.close();
        return r;
      })(), 2, 'Connect to a detached device is BADDEV');
      d.knobs.detachAfter = undefined;
      const again = emu.attach(d.udid);
      assert.equal(again, d);
      assert.notEqual(d.deviceId, oldId);
      assert.equal((await listener.next()).body.MessageType, 'Attached');
      assert.deepEqual(d.profiles.map((p) => p.PayloadIdentifier), ['com.example.unplug']);
      const svc2 = await openService(emu.address, d.deviceId, rec, 'com.apple.mobile.MCInstall');
      assert.deepEqual((await svc2.call({ RequestType: 'GetProfileList' })).OrderedIdentifiers, ['com.example.unplug']);
      svc2.close();
      listener.close();
    } finally {
      await emu.close();
    }
  });

  it('detaches after answering a lockdownd request when timing is after-reply', async () => {
    const emu = await startEmulator({ devices: 1, knobs: { detachAfter: { request: 'QueryType', timing: 'after-reply' } } });
    try {
      const ld = await LockdownTestClient.open(emu.address, emu.devices[0].deviceId);
      assert.equal((await ld.call({ Request: 'QueryType' })).Type, 'com.apple.mobile.lockdown');
      await assert.rejects(ld.call({ Request: 'GetValue', Key: 'ProductType' }, false, 5000), /closed|ECONNRESET/i);
      assert.equal(emu.devices.length, 0);
    } finally {
      await emu.close();
    }
  });

  it('delays every reply by responseDelayMs', async () => {
    const emu = await startEmulator({ devices: 1, knobs: { responseDelayMs: 300 } });
    try {
      const ld = await LockdownTestClient.open(emu.address, emu.devices[0].deviceId);
      const t0 = Date.now();
      await ld.call({ Request: 'QueryType' });
      await ld.call({ Request: 'QueryType' });
      assert.ok(Date.now() - t0 >= 590, `took ${Date.now() - t0} ms`);
      emu.devices[0].knobs.responseDelayMs = 0;
      const t1 = Date.now();
      await ld.call({ Request: 'QueryType' });
      assert.ok(Date.now() - t1 < 250);
      ld.close();
    } finally {
      await emu.close();
    }
  });

  it('service ports accept one connection only', async () => {
    const emu = await startEmulator({ devices: 1 });
    try {
      const d = emu.devices[0];
      const rec = await pairedRecord(emu.address, d.deviceId);
      const ld = await LockdownTestClient.open(emu.address, d.deviceId);
      await ld.startSession(rec);
      const port = (await ld.call({ Request: 'StartService', Service: 'com.apple.mobile.MCInstall' })).Port as number;
      const c1 = await UsbmuxTestClient.open(emu.address);
      assert.equal(await c1.connectPort(d.deviceId, port), 0);
      const c2 = await UsbmuxTestClient.open(emu.address);
      assert.equal(await c2.connectPort(d.deviceId, port), 3);
      c1.close();
      c2.close();
      ld.close();
    } finally {
      await emu.close();
    }
  });

  it('starts 32 devices fast and idevice_id lists them all', async () => {
    const t0 = Date.now();
    const emu = await startEmulator({ devices: 32 });
    const elapsed = Date.now() - t0;
    const home = toolHome(emu.address);
    try {
      assert.ok(elapsed < 1000, `startup took ${elapsed} ms`);
      const r = await runTool('idevice_id', ['-l'], home.env);
      const ids = r.stdout.trim().split('\n');
      assert.equal(ids.length, 32);
      assert.equal(new Set(ids).size, 32);
      const kinds = new Set(emu.devices.map((d) => d.identity.kind));
      assert.deepEqual([...kinds].sort(), ['appletv', 'ipad', 'iphone']);
    } finally {
      home.cleanup();
      await emu.close();
    }
  });

  it('derives the same identities from the same seed and different ones from another seed', async () => {
    const a = await startEmulator({ devices: 3, seed: 'same' });
    const b = await startEmulator({ devices: 3, seed: 'same' });
    const c = await startEmulator({ devices: 3, seed: 'other' });
    try {
      const ids = (e: typeof a) => e.devices.map((d) => [d.udid, d.identity.SerialNumber, d.identity.UniqueChipID, d.identity.WiFiAddress].join('|'));
      assert.deepEqual(ids(a), ids(b));
      assert.equal(a.systemBUID, b.systemBUID);
      assert.notDeepEqual(ids(a), ids(c));
      const iphone = a.devices[0];
      assert.equal(iphone.udid, `00008120-${iphone.identity.UniqueChipID.toString(16).toUpperCase().padStart(16, '0')}`);
      assert.match(a.devices[2].udid, /^[0-9a-f]{40}$/);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
