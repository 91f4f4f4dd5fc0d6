// The device transport (usbmuxd → lockdownd (TLS) → MCInstall) and the device.ts facade against
// the loopback device emulator in test/support/emulator: pairing (accept, pending then accept,
// pending past the deadline, denied, passcode-locked), sessions with TLS, GetValue/SetValue,
// MCInstall install/list/remove, Listen events, detach mid-operation, stale pairings, timeouts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  ConnectionClosedError,
  getCloudConfiguration,
  getDeviceInfo,
  installProfile,
  listDevices,
  listProfiles,
  LockdownClient,
  LockdownError,
  MCInstallError,
  NotPairedError,
  pairDevice,
  ReadTimeoutError,
  removeProfile,
  UsbmuxClient,
  unpairDevice,
  watchDevices,
  withSession,
  type PairingPrompt,
  type UsbmuxEvent,
  type UsbmuxListener,
} from '../../main/apple';
import { decodePlistDict, encodeXmlPlist, type PlistDict } from '../../main/apple/wire';
import { startEmulator, type Emulator, type EmulatedDevice } from '../support/emulator';

const UUID_UPPER = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

function profile(id: string, extra: PlistDict = {}): Buffer {
  return encodeXmlPlist({
    PayloadType: 'Configuration',
    PayloadIdentifier: id,
    PayloadUUID: randomUUID().toUpperCase(),
    PayloadVersion: 1,
    PayloadDisplayName: `Test ${id}`,
    PayloadContent: [
      { PayloadType: 'com.apple.applicationaccess', PayloadIdentifier: `${id}.restrictions`, PayloadUUID: randomUUID().toUpperCase(), PayloadVersion: 1, allowCamera: true },
    ],
    ...extra,
  });
}

/** Arms the emulator's unplug trigger for the next `request` the device receives (its counts span the device's life). */
function detachOnNext(d: EmulatedDevice, request: string): void {
  const seen = d.requestLog.filter((e) => e.request === request).length;
  d.knobs.detachAfter = { request, occurrence: seen + 1 };
}

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('device transport against the emulator', () => {
  let emu: Emulator;
  let opts: { socketAddress: string; timeoutMs: number };
  let accept: EmulatedDevice;
  let pending: EmulatedDevice;
  let deny: EmulatedDevice;
  let locked: EmulatedDevice;
  let listener: UsbmuxListener;
  const events: UsbmuxEvent[] = [];

  before(async () => {
    emu = await startEmulator({
      devices: 4,
      kinds: ['iphone', 'ipad', 'appletv', 'iphone'],
      seed: 'transport-tests',
      knobs: (i) => [{ trust: 'accept' as const }, { trust: { pendingAttempts: 2 } }, { trust: 'deny' as const }, { passcodeLocked: true }][i],
    });
    [accept, pending, deny, locked] = emu.devices;
    opts = { socketAddress: emu.address, timeoutMs: 5000 };
    listener = await watchDevices(opts);
    listener.on('event', (e) => events.push(e));
  });

  after(async () => {
    listener?.close();
    await emu?.close();
  });

  test('Listen reports every present device as Attached first', async () => {
    await until(() => events.filter((e) => e.MessageType === 'Attached').length >= 4, 'initial Attached events');
    const udids = events.filter((e) => e.MessageType === 'Attached').map((e) => (e.MessageType === 'Attached' ? e.device.udid : ''));
    assert.deepEqual(udids.sort(), emu.devices.map((d) => d.udid).sort());
  });

  test('listDevices: UDID, DeviceID, USB product ID and paired=false before pairing', async () => {
    const list = await listDevices(opts);
    assert.equal(list.length, 4);
    for (const d of emu.devices) {
      const row = list.find((x) => x.udid === d.udid);
      assert.ok(row, d.udid);
      assert.equal(row.deviceId, d.deviceId);
      assert.equal(row.productId, d.model.usbProductId);
      assert.equal(row.connectionType, 'USB');
      assert.equal(row.paired, false);
    }
  });

  test('getDeviceInfo before pairing returns the pre-pairing subset without a session', async () => {
    const info = await getDeviceInfo(accept.udid, opts);
    assert.equal(info.viaSession, false);
    assert.equal(info.ProductType, accept.model.ProductType);
    assert.equal(info.DeviceClass, accept.model.DeviceClass);
    assert.equal(info.UniqueDeviceID, accept.udid);
  });

  test('lockdown speaks binary plists too (QueryType)', async () => {
    const usbmux = new UsbmuxClient(opts);
    const device = await usbmux.findDevice(accept.udid);
    assert.ok(device);
    const c = await LockdownClient.connect(usbmux, device, { binary: true });
    try {
      assert.equal(await c.queryType(), 'com.apple.mobile.lockdown');
      await assert.rejects(c.startService('com.apple.mobile.MCInstall'), (e: Error) => e instanceof LockdownError && e.code === 'SessionInactive');
    } finally {
      c.close();
    }
  });

  test('session operations on an unpaired device fail with NotPairedError', async () => {
    await assert.rejects(listProfiles(deny.udid, opts), NotPairedError);
  });

  test('pairDevice (Trust accepted): record saved in usbmuxd with every key, Paired event broadcast', async () => {
    const prompts: PairingPrompt[] = [];
    const result = await pairDevice(accept.udid, { ...opts, onPrompt: (p) => prompts.push(p) });
    assert.equal(prompts.length, 0);
    assert.match(result.HostID, UUID_UPPER);
    assert.equal(result.SystemBUID, emu.systemBUID);
    assert.equal(result.WiFiMACAddress, accept.identity.WiFiAddress);
    assert.equal(result.hasEscrowBag, true);
    assert.ok(!JSON.stringify(result).includes('PRIVATE KEY'));
    const raw = emu.pairRecords.get(accept.udid);
    assert.ok(raw, 'SavePairRecord reached usbmuxd');
    const stored = decodePlistDict(raw);
    for (const k of ['DeviceCertificate', 'HostCertificate', 'HostPrivateKey', 'RootCertificate', 'RootPrivateKey', 'HostID', 'SystemBUID', 'WiFiMACAddress', 'EscrowBag']) {
      assert.ok(stored[k] !== undefined, `stored record has ${k}`);
    }
    assert.equal(stored.HostID, result.HostID);
    assert.ok(accept.pairings.has(result.HostID), 'the device remembers the host');
    await until(() => events.some((e) => e.MessageType === 'Paired' && e.DeviceID === accept.deviceId), 'Paired event');
    const list = await listDevices(opts);
    assert.deepEqual(list.filter((d) => d.paired).map((d) => d.udid), [accept.udid]);
  });

  test('pairDevice with a pending Trust dialog prompts once, retries, then succeeds', async () => {
    const prompts: PairingPrompt[] = [];
    const result = await pairDevice(pending.udid, { ...opts, pollIntervalMs: 30, onPrompt: (p) => prompts.push(p) });
    assert.equal(prompts.length, 1);
    assert.equal(prompts[0].udid, pending.udid);
    assert.match(prompts[0].message, /tap Trust/);
    assert.equal(pending.pairAttempts, 3);
    assert.ok(pending.pairings.has(result.HostID));
  });

  test('pairDevice gives up when nobody taps Trust before the deadline', async () => {
    const slow = emu.attach('ipad', { trust: { pendingAttempts: 1_000_000 } });
    try {
      const t = Date.now();
      await assert.rejects(
        pairDevice(slow.udid, { ...opts, pairTimeoutMs: 300, pollIntervalMs: 50 }),
        (e: Error) => e instanceof LockdownError && e.code === 'PairingDialogResponsePending' && /tap Trust/.test(e.message),
      );
      assert.ok(Date.now() - t < 5000, 'gave up near the 300 ms pairing deadline');
      assert.ok(slow.pairAttempts >= 2);
      assert.equal(emu.pairRecords.has(slow.udid), false);
    } finally {
      emu.detach(slow.udid);
    }
  });

  test('pairDevice: Don\'t Trust → UserDeniedPairing, locked → PasswordProtected; nothing saved', async () => {
    await assert.rejects(pairDevice(deny.udid, opts), (e: Error) => e instanceof LockdownError && e.code === 'UserDeniedPairing' && /Trust/.test(e.message));
    await assert.rejects(pairDevice(locked.udid, opts), (e: Error) => e instanceof LockdownError && e.code === 'PasswordProtected' && /unlock/.test(e.message));
    assert.equal(emu.pairRecords.has(deny.udid), false);
    assert.equal(emu.pairRecords.has(locked.udid), false);
  });

  test('getDeviceInfo of a paired device reads the full set inside a TLS session', async () => {
    const info = await getDeviceInfo(accept.udid, opts);
    assert.equal(info.viaSession, true);
    assert.equal(info.DeviceName, accept.identity.DeviceName);
    assert.equal(info.SerialNumber, accept.identity.SerialNumber);
    assert.equal(info.UniqueChipID, accept.identity.UniqueChipID);
    assert.equal(info.ProductVersion, accept.model.ProductVersion);
    assert.equal(info.ActivationState, 'Activated');
  });

  test('libimobiledevice (ideviceinfo) accepts the pair record our client saved', async (t) => {
    const tool = ['/usr/bin/ideviceinfo', '/usr/local/bin/ideviceinfo'].find((p) => existsSync(p));
    if (!tool) {
      t.skip('ideviceinfo not installed (Debian package libimobiledevice-utils)');
      return;
    }
    // ideviceinfo reads our record through usbmuxd ReadPairRecord and does TLS with its RootCertificate/RootPrivateKey.
    const out = await new Promise<string>((resolve, reject) => {
      execFile(tool, ['-u', accept.udid, '-k', 'DeviceName'], { env: { ...process.env, USBMUXD_SOCKET_ADDRESS: emu.address }, timeout: 20_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}: ${stderr}`)) : resolve(stdout));
    });
    assert.equal(out.trim(), accept.identity.DeviceName);
  });

  test('withSession: TLS is up, SetValue/GetValue work, immutable keys are refused', async () => {
    await withSession(accept.udid, async (s) => {
      assert.equal(s.lockdown.service.secure, true);
      await s.lockdown.setValue('com.apple.international', 'Language', 'de');
      assert.equal(await s.lockdown.getValue('com.apple.international', 'Language'), 'de');
      await assert.rejects(s.lockdown.setValue(undefined, 'UniqueDeviceID', 'x'), (e: Error) => e instanceof LockdownError && e.code === 'ImmutableValue');
    }, opts);
    assert.equal(accept.domains.get('com.apple.international')?.Language, 'de');
  });

  test('MCInstall: install, list (typed), remove by identifier', async () => {
    const id = 'com.example.stagebench.test1';
    await installProfile(accept.udid, profile(id), opts);
    const list = await listProfiles(accept.udid, opts);
    assert.deepEqual(list.OrderedIdentifiers, [id]);
    assert.equal(list.ProfileMetadata[id].PayloadDisplayName, `Test ${id}`);
    assert.equal(list.ProfileMetadata[id].PayloadUUID, accept.profiles[0].PayloadUUID);
    assert.equal(list.ProfileMetadata[id].PayloadVersion, 1);
    assert.equal(list.ProfileManifest[id].IsActive, true);
    await removeProfile(accept.udid, id, opts);
    assert.deepEqual((await listProfiles(accept.udid, opts)).OrderedIdentifiers, []);
    assert.equal(accept.profiles.length, 0);
  });

  test('MCInstall errors: malformed profile gives the device ErrorChain; unknown identifier and empty payload are explained', async () => {
    const bad = encodeXmlPlist({ PayloadType: 'Configuration', PayloadIdentifier: 'x', PayloadVersion: 1, PayloadContent: [] });
    await assert.rejects(installProfile(accept.udid, bad, opts), (e: Error) => e instanceof MCInstallError && e.status === 'Error' && e.domain === 'MCProfileErrorDomain' && typeof e.code === 'number' && e.message.includes(String(e.code)));
    await assert.rejects(removeProfile(accept.udid, 'com.example.none', opts), (e: Error) => e instanceof MCInstallError && e.status === 'ProfileNotInstalled' && /com\.example\.none/.test(e.message));
    await assert.rejects(installProfile(accept.udid, new Uint8Array(0), opts), (e: Error) => e instanceof MCInstallError && e.status === 'ErrorPayloadEmpty');
    await withSession(accept.udid, async (s) => {
      const mc = await s.mcinstall();
      await assert.rejects(mc.request('NoSuchRequest'), (e: Error) => e instanceof MCInstallError && e.status === 'CommandFormatError');
      await mc.helloHostIdentifier();
      await mc.flush();
    }, opts);
  });

  test('GetCloudConfiguration: null when absent, the dictionary when set', async () => {
    assert.equal(await getCloudConfiguration(accept.udid, opts), null);
    accept.cloudConfiguration = { AllowPairing: true, IsSupervised: false, SkipSetup: ['Siri'] };
    try {
      const cc = await getCloudConfiguration(accept.udid, opts);
      assert.deepEqual(cc?.SkipSetup, ['Siri']);
    } finally {
      accept.cloudConfiguration = null;
    }
  });

  test('a detach during InstallProfile fails that operation with ConnectionClosedError; re-attached it works again', async () => {
    const detachedBefore = events.filter((e) => e.MessageType === 'Detached').length;
    detachOnNext(accept, 'InstallProfile');
    await assert.rejects(installProfile(accept.udid, profile('com.example.detach'), opts), ConnectionClosedError);
    accept.knobs.detachAfter = undefined;
    await until(() => events.filter((e) => e.MessageType === 'Detached').length > detachedBefore, 'Detached event');
    assert.equal(accept.attached, false);
    emu.attach(accept.udid);
    await until(() => events.some((e) => e.MessageType === 'Attached' && e.DeviceID === accept.deviceId), 'Attached again');
    assert.deepEqual((await listProfiles(accept.udid, opts)).OrderedIdentifiers, []);
  });

  test('a detach during a lockdownd request fails it with ConnectionClosedError', async () => {
    detachOnNext(pending, 'StartSession');
    await assert.rejects(listProfiles(pending.udid, opts), ConnectionClosedError);
    pending.knobs.detachAfter = undefined;
    emu.attach(pending.udid);
  });

  test('a silent device fails with ReadTimeoutError after the configured deadline', async () => {
    accept.knobs.responseDelayMs = 4000;
    try {
      const t = Date.now();
      await assert.rejects(getDeviceInfo(accept.udid, { ...opts, timeoutMs: 150 }), ReadTimeoutError);
      assert.ok(Date.now() - t < 3000, 'failed at the client deadline, not after the device delay');
    } finally {
      accept.knobs.responseDelayMs = 0;
    }
  });

  test('StopSession ends the TLS session and closes the connection', async () => {
    const usbmux = new UsbmuxClient(opts);
    const device = await usbmux.findDevice(accept.udid);
    assert.ok(device);
    const record = await usbmux.readPairRecord(accept.udid);
    assert.ok(record);
    const { parsePairRecord } = await import('../../main/apple/lockdown');
    const c = await LockdownClient.connect(usbmux, device, opts);
    try {
      const s = await c.startSession(parsePairRecord(record, accept.udid));
      assert.equal(s.EnableSessionSSL, true);
      assert.match(s.SessionID, /.+/);
      await c.validatePair(parsePairRecord(record, accept.udid));
      await c.stopSession();
      assert.equal(c.activeSession, null);
      await assert.rejects(c.queryType(), ConnectionClosedError);
    } finally {
      c.close();
    }
  });

  test('a pairing the device forgot gives InvalidHostID with "pair again"', async () => {
    const saved = new Map(accept.pairings);
    accept.pairings.clear();
    try {
      await assert.rejects(listProfiles(accept.udid, opts), (e: Error) => e instanceof LockdownError && e.code === 'InvalidHostID' && /pair again/.test(e.message));
    } finally {
      for (const [k, v] of saved) accept.pairings.set(k, v);
    }
  });

  test('unpairDevice removes the pairing on both sides', async () => {
    assert.equal(await unpairDevice(pending.udid, opts), true);
    assert.equal(pending.pairings.size, 0);
    assert.equal(emu.pairRecords.has(pending.udid), false);
    assert.equal(await unpairDevice(pending.udid, opts), false);
  });

  test('an unknown UDID is reported with the attached list', async () => {
    await assert.rejects(getDeviceInfo('00000000-0000000000000000', opts), (e: Error) => e.name === 'DeviceNotFoundError' && e.message.includes(accept.udid));
  });
});

test('no sockets or timers are left behind once the emulator and clients are closed', async () => {
  // Baseline: stdio pipes and the test runner's own timers.
  const count = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
    return out;
  };
  const baseline = count();
  const emu = await startEmulator({ devices: 1, seed: 'leak-check' });
  try {
    const opts = { socketAddress: emu.address };
    const [d] = emu.devices;
    await pairDevice(d.udid, opts);
    detachOnNext(d, 'GetProfileList');
    await assert.rejects(listProfiles(d.udid, opts), ConnectionClosedError);
    emu.attach(d.udid);
    await installProfile(d.udid, profile('com.example.leak'), opts);
    await listProfiles(d.udid, opts);
    await getDeviceInfo(d.udid, opts);
    const l = await watchDevices(opts);
    l.close();
    // With the emulator still running, every client socket must be closed already: the emulator
    // closes its end when ours ends, so any TCP socket left now is a client-side leak.
    await until(() => !process.getActiveResourcesInfo().includes('TCPSocketWrap'), 'all client sockets closed', 3000).catch(() => undefined);
    const open = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length;
    assert.equal(open, 0, `${open} sockets still open while the emulator runs`);
  } finally {
    await emu.close();
  }
  await new Promise((r) => setTimeout(r, 50));
  const now = count();
  for (const kind of new Set([...Object.keys(now), ...Object.keys(baseline)])) {
    assert.ok((now[kind] ?? 0) <= (baseline[kind] ?? 0), `${kind}: ${now[kind]} active now, ${baseline[kind] ?? 0} before`);
  }
  assert.equal(now.TCPSocketWrap ?? 0, 0);
  assert.equal(now.TCPServerWrap ?? 0, 0);
});
