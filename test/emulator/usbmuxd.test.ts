/**
 * The emulated usbmuxd on the wire: plist protocol messages, hot-plug events, Connect results and
 * port byte order, pair-record storage, and the minimal binary (version 0) protocol.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SocketReader, UsbmuxMessage, encodeUsbmuxPacket, encodeXmlPlist, readUsbmuxPacket } from '../../main/apple/wire';
import { startEmulator, type Emulator } from '../support/emulator';
import { UsbmuxTestClient } from './helpers/usbmux-client';

describe('emulated usbmuxd', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ devices: 3, seed: 7 });
  });
  after(() => emu.close());

  it('ListDevices answers DeviceList of Attached dictionaries with the request tag', async () => {
    const c = await UsbmuxTestClient.open(emu.address);
    try {
      const r = await c.request({ MessageType: 'ListDevices' });
      assert.equal(r.tag, 1);
      const list = r.body.DeviceList as Record<string, unknown>[];
      assert.equal(list.length, 3);
      const [iphone, ipad, tv] = emu.devices;
      assert.deepEqual(list.map((x) => (x.Properties as Record<string, unknown>).SerialNumber), [iphone.udid, ipad.udid, tv.udid]);
      const p = list[2].Properties as Record<string, unknown>;
      assert.equal(list[2].MessageType, 'Attached');
      assert.equal(list[2].DeviceID, tv.deviceId);
      assert.equal(p.ConnectionType, 'USB');
      assert.equal(p.ProductID, 0x12a7);
      assert.equal((list[0].Properties as Record<string, unknown>).ProductID, 0x12a8);
      assert.equal((list[1].Properties as Record<string, unknown>).ProductID, 0x12ab);
      assert.equal(p.LocationID, tv.identity.LocationID);
      assert.equal(p.ConnectionSpeed, 480000000);
    } finally {
      c.close();
    }
  });

  it('Listen answers Result 0, replays Attached, then sends live Attached / Paired / Detached with tag 0', async () => {
    const c = await UsbmuxTestClient.open(emu.address);
    try {
      const r = await c.request({ MessageType: 'Listen' });
      assert.deepEqual(r.body, { MessageType: 'Result', Number: 0 });
      for (let i = 0; i < emu.devices.length; i++) {
        const e = await c.next();
        assert.equal(e.tag, 0);
        assert.equal(e.body.MessageType, 'Attached');
      }
      const d = emu.attach('ipad');
      const added = await c.next();
      assert.equal(added.body.MessageType, 'Attached');
      assert.equal(added.body.DeviceID, d.deviceId);
      // SavePairRecord with a matching DeviceID makes usbmuxd broadcast Paired.
      const other = await UsbmuxTestClient.open(emu.address);
      const saved = await other.request({ MessageType: 'SavePairRecord', PairRecordID: d.udid, PairRecordData: encodeXmlPlist({ HostID: 'X' }), DeviceID: d.deviceId });
      other.close();
      assert.equal(saved.body.Number, 0);
      const paired = await c.next();
      assert.deepEqual(paired.body, { MessageType: 'Paired', DeviceID: d.deviceId });
      assert.equal(emu.detach(d.udid), true);
      const gone = await c.next();
      assert.deepEqual(gone.body, { MessageType: 'Detached', DeviceID: d.deviceId });
      assert.equal(emu.detach(d.udid), false);
    } finally {
      c.close();
    }
  });

  it('Connect: port arrives in network byte order; BADDEV for unknown devices, CONNREFUSED for closed ports', async () => {
    const d = emu.devices[0];
    const c1 = await UsbmuxTestClient.open(emu.address);
    assert.equal((await c1.request({ MessageType: 'Connect', DeviceID: 999, PortNumber: 32498 })).body.Number, 2);
    // 62078 sent without the byte swap means port 32498 on the device: nothing listens there.
    assert.equal((await c1.request({ MessageType: 'Connect', DeviceID: d.deviceId, PortNumber: 62078 })).body.Number, 3);
    // The connection stays usable after a refused Connect; the swapped port works.
    assert.equal(await c1.connectPort(d.deviceId, 62078), 0);
    const sock = c1.release();
    const frame = encodeXmlPlist({ Request: 'QueryType' });
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(frame.length);
    sock.write(Buffer.concat([prefix, frame]));
    const reader = new SocketReader(sock, 'piped');
    sock.resume();
    const len = (await reader.read(4, 5000)).readUInt32BE(0);
    assert.match((await reader.read(len, 5000)).toString(), /com\.apple\.mobile\.lockdown/);
    sock.destroy();
  });

  it('ReadBUID, pair records (read missing → 2, save, read back, delete), ListListeners, unknown → 1', async () => {
    const c = await UsbmuxTestClient.open(emu.address);
    try {
      const buid = (await c.request({ MessageType: 'ReadBUID' })).body.BUID;
      assert.equal(buid, emu.systemBUID);
      assert.match(String(buid), /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
      const id = emu.devices[1].udid;
      assert.deepEqual((await c.request({ MessageType: 'ReadPairRecord', PairRecordID: id })).body, { MessageType: 'Result', Number: 2 });
      const data = encodeXmlPlist({ HostID: 'ABC', SystemBUID: String(buid) });
      assert.equal((await c.request({ MessageType: 'SavePairRecord', PairRecordID: id, PairRecordData: data })).body.Number, 0);
      const back = (await c.request({ MessageType: 'ReadPairRecord', PairRecordID: id })).body.PairRecordData as Uint8Array;
      assert.deepEqual(Buffer.from(back), data);
      assert.equal((await c.request({ MessageType: 'SavePairRecord', PairRecordID: id })).body.Number, 22, 'no data → EINVAL');
      assert.equal((await c.request({ MessageType: 'DeletePairRecord', PairRecordID: id })).body.Number, 0);
      assert.equal((await c.request({ MessageType: 'ReadPairRecord', PairRecordID: id })).body.Number, 2);
      const listener = await UsbmuxTestClient.open(emu.address);
      await listener.request({ MessageType: 'Listen', ProgName: 'listener-prog' });
      const ll = (await c.request({ MessageType: 'ListListeners' })).body.ListenerList as Record<string, unknown>[];
      assert.ok(ll.some((l) => l.ProgName === 'listener-prog'));
      listener.close();
      assert.deepEqual((await c.request({ MessageType: 'Frobnicate' })).body, { MessageType: 'Result', Number: 1 });
    } finally {
      c.close();
    }
  });

  it('binary protocol: LISTEN gets a v0 result and DEVICE_ADD records, CONNECT pipes, bad version → 6', async () => {
    const c = await UsbmuxTestClient.open(emu.address);
    try {
      const res = await c.raw({ version: 0, message: UsbmuxMessage.Listen, tag: 5, payload: Buffer.alloc(0) });
      assert.equal(res.version, 0);
      assert.equal(res.message, UsbmuxMessage.Result);
      assert.equal(res.tag, 5);
      assert.equal(res.payload.readUInt32LE(0), 0);
      const add = await readUsbmuxPacket(c.reader, 5000);
      assert.equal(add.message, UsbmuxMessage.DeviceAdd);
      assert.equal(add.payload.length, 268);
      assert.equal(add.payload.readUInt32LE(0), emu.devices[0].deviceId);
      assert.equal(add.payload.readUInt16LE(4), 0x12a8);
      assert.equal(add.payload.subarray(6, 6 + emu.devices[0].udid.length).toString(), emu.devices[0].udid);
    } finally {
      c.close();
    }
    const c2 = await UsbmuxTestClient.open(emu.address);
    try {
      const bad = await c2.raw({ version: 2, message: UsbmuxMessage.Plist, tag: 9, payload: Buffer.alloc(0) });
      assert.equal(bad.payload.readUInt32LE(0), 6);
      const payload = Buffer.alloc(8);
      payload.writeUInt32LE(emu.devices[0].deviceId, 0);
      payload.writeUInt16BE(62078, 4);
      const ok = await c2.raw({ version: 0, message: UsbmuxMessage.Connect, tag: 10, payload });
      assert.equal(ok.payload.readUInt32LE(0), 0);
    } finally {
      c2.close();
    }
  });

  it('a malformed plist request answers BADCOMMAND and keeps the connection', async () => {
    const c = await UsbmuxTestClient.open(emu.address);
    try {
      const r = await c.raw({ version: 1, message: 8, tag: 3, payload: Buffer.from('not a plist') });
      assert.equal(r.tag, 3);
      c.socket.write(encodeUsbmuxPacket({ version: 1, message: 8, tag: 4, payload: encodeXmlPlist({ MessageType: 'ReadBUID' }) }));
      const next = await readUsbmuxPacket(c.reader, 5000);
      assert.equal(next.tag, 4);
    } finally {
      c.close();
    }
  });
});
