/**
 * Outside check of the emulator: Debian's libimobiledevice 1.3.0 / libusbmuxd 2.0.2 tools
 * (idevice_id, idevicepair, ideviceinfo) must accept it as usbmuxd + device, over TCP and UNIX
 * sockets, with a full pairing and TLS session.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodePlistDict } from '../../main/apple/wire';
import { startEmulator, type Emulator } from '../support/emulator';
import { runTool, toolHome, type ToolHome } from './helpers/tools';

describe('libimobiledevice tools against the emulator', () => {
  let emu: Emulator;
  let home: ToolHome;

  before(async () => {
    emu = await startEmulator({ devices: 5, seed: 'libimobiledevice-test' });
    home = toolHome(emu.address);
  });
  after(async () => {
    await emu.close();
    home.cleanup();
  });

  it('idevice_id -l lists every UDID in both UDID forms', async () => {
    const r = await runTool('idevice_id', ['-l'], home.env);
    assert.equal(r.code, 0, r.stderr);
    const listed = r.stdout.trim().split('\n').sort();
    assert.deepEqual(listed, emu.devices.map((d) => d.udid).sort());
    assert.ok(listed.some((u) => /^[0-9A-F]{8}-[0-9A-F]{16}$/.test(u)), 'an A12+ style UDID');
    assert.ok(listed.some((u) => /^[0-9a-f]{40}$/.test(u)), 'a 40-hex UDID (Apple TV HD)');
  });

  it('ideviceinfo -s reads the pre-session subset without pairing or session', async () => {
    const d = emu.devices[1];
    const r = await runTool('ideviceinfo', ['-s', '-u', d.udid], home.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^ProductType: ${d.model.ProductType.replace(',', ',')}$`, 'm'));
    assert.match(r.stdout, new RegExp(`^UniqueDeviceID: ${d.udid}$`, 'm'));
    assert.match(r.stdout, /^DevicePublicKey: LS0tLS1CRUdJTiBSU0EgUFVCTElDIEtFWS0tLS0t/m);
    assert.doesNotMatch(r.stdout, /^SerialNumber:/m, 'SerialNumber needs a session');
    assert.equal(d.pairings.size, 0);
    assert.ok(!d.requestLog.some((e) => e.request === 'StartSession'));
  });

  it('idevicepair pair then validate succeeds for an auto-trust device and the record goes through usbmuxd', async () => {
    const d = emu.devices[0];
    const pair = await runTool('idevicepair', ['-u', d.udid, 'pair'], home.env);
    assert.equal(pair.code, 0, pair.stdout + pair.stderr);
    assert.match(pair.stdout, /SUCCESS: Paired with device/);
    assert.equal(d.pairings.size, 1);
    const saved = emu.pairRecords.get(d.udid);
    assert.ok(saved, 'SavePairRecord stored the record');
    const rec = decodePlistDict(saved);
    assert.ok(d.pairings.has(rec.HostID as string), 'the saved HostID is the paired one');
    assert.ok(rec.EscrowBag instanceof Uint8Array, 'EscrowBag from the Pair reply is kept');
    const validate = await runTool('idevicepair', ['-u', d.udid, 'validate'], home.env);
    assert.equal(validate.code, 0, validate.stdout + validate.stderr);
    assert.match(validate.stdout, /SUCCESS: Validated pairing/);
  });

  it('ideviceinfo runs a full TLS session and prints ProductType / UniqueDeviceID / SerialNumber', async () => {
    const d = emu.devices[0];
    const r = await runTool('ideviceinfo', ['-u', d.udid], home.env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^ProductType: ${d.model.ProductType}$`, 'm'));
    assert.match(r.stdout, new RegExp(`^UniqueDeviceID: ${d.udid}$`, 'm'));
    assert.match(r.stdout, new RegExp(`^SerialNumber: ${d.identity.SerialNumber}$`, 'm'));
    const log = d.requestLog.map((e) => e.request);
    assert.ok(log.lastIndexOf('StartSession') < log.lastIndexOf('StopSession'));
  });

  it('ideviceinfo -k DeviceName and a domain query', async () => {
    const d = emu.devices[0];
    const r = await runTool('ideviceinfo', ['-u', d.udid, '-k', 'DeviceName'], home.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), d.identity.DeviceName);
    const intl = await runTool('ideviceinfo', ['-u', d.udid, '-q', 'com.apple.international', '-k', 'Locale'], home.env);
    assert.equal(intl.code, 0, intl.stderr);
    assert.equal(intl.stdout.trim(), 'en_US');
  });

  it('ideviceinfo pairs an unpaired Apple TV by itself and reads DeviceClass', async () => {
    const tv = emu.devices.find((d) => d.identity.kind === 'appletv');
    assert.ok(tv);
    const r = await runTool('ideviceinfo', ['-u', tv.udid, '-k', 'DeviceClass'], home.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'AppleTV');
    assert.equal(tv.pairings.size, 1);
  });

  it('a pending trust prompt makes idevicepair print the dialog message and fail, then succeed', async () => {
    const d = emu.attach('iphone', { trust: { pendingAttempts: 1 } });
    const first = await runTool('idevicepair', ['-u', d.udid, 'pair'], home.env);
    assert.notEqual(first.code, 0);
    assert.match(first.stdout + first.stderr, /trust dialog/i);
    assert.equal(d.pairings.size, 0);
    const second = await runTool('idevicepair', ['-u', d.udid, 'pair'], home.env);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.equal(d.pairings.size, 1);
  });

  it('a denied trust prompt and a passcode-locked device make idevicepair fail', async () => {
    const denied = emu.attach('ipad', { trust: 'deny' });
    const r1 = await runTool('idevicepair', ['-u', denied.udid, 'pair'], home.env);
    assert.notEqual(r1.code, 0);
    assert.match(r1.stdout + r1.stderr, /denied/i);
    const locked = emu.attach('iphone', { passcodeLocked: true });
    const r2 = await runTool('idevicepair', ['-u', locked.udid, 'pair'], home.env);
    assert.notEqual(r2.code, 0);
    assert.match(r2.stdout + r2.stderr, /passcode/i);
    assert.equal(denied.pairings.size + locked.pairings.size, 0);
  });

  it('idevicepair unpair removes the pairing on the device', async () => {
    const d = emu.attach('iphone');
    assert.equal((await runTool('idevicepair', ['-u', d.udid, 'pair'], home.env)).code, 0);
    const r = await runTool('idevicepair', ['-u', d.udid, 'unpair'], home.env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(d.pairings.size, 0);
    assert.equal(emu.pairRecords.has(d.udid), false, 'DeletePairRecord went through usbmuxd');
    // Without a record, libimobiledevice's handshake pairs again: a new HostID appears.
    const before = d.requestLog.filter((e) => e.request === 'Pair').length;
    const v = await runTool('idevicepair', ['-u', d.udid, 'validate'], home.env);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.equal(d.requestLog.filter((e) => e.request === 'Pair').length, before + 1);
  });
});

describe('libimobiledevice over a UNIX socket', () => {
  it('ideviceinfo -s works with USBMUXD_SOCKET_ADDRESS=UNIX:/path', async () => {
    const path = join(tmpdir(), `emu-${process.pid}-${Date.now()}.sock`);
    const emu = await startEmulator({ listen: `UNIX:${path}`, devices: 2, kinds: ['ipad'] });
    const home = toolHome(emu.address);
    try {
      assert.equal(emu.address, `UNIX:${path}`);
      const ids = await runTool('idevice_id', ['-l'], home.env);
      assert.equal(ids.stdout.trim().split('\n').length, 2);
      const r = await runTool('ideviceinfo', ['-s', '-u', emu.devices[1].udid, '-k', 'ProductType'], home.env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'iPad13,4');
    } finally {
      await emu.close();
      home.cleanup();
    }
  });
});
