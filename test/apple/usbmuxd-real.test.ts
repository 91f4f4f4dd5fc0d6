// The usbmuxd client against Debian's real usbmuxd daemon (1.1.1), started here in the
// foreground on its fixed socket /var/run/usbmuxd. This is the only test file that uses that
// socket. Without root or the binary, or when another usbmuxd already runs, every test skips
// with the reason. The daemon is stopped and test pair records are deleted afterwards.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { generateKeyPairSync } from 'node:crypto';
import {
  ConnectionClosedError,
  DeviceNotFoundError,
  generatePairingCertificates,
  getDeviceInfo,
  listDevices,
  pairRecordToPlist,
  parsePairRecord,
  UsbmuxBadDeviceError,
  UsbmuxClient,
  type PairRecord,
} from '../../main/apple';

const SOCKET = '/var/run/usbmuxd';
const PIDFILE = '/var/run/usbmuxd.pid';
const ADDRESS = `UNIX:${SOCKET}`;
const UUID_RE = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

let daemon: ChildProcess | null = null;
let skipReason: string | null = null;
let daemonLog = '';
const testUdids: string[] = [];

function canConnect(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startDaemon(): Promise<void> {
  if (process.platform !== 'linux') {
    skipReason = `real usbmuxd test runs on Linux only (this is ${process.platform})`;
    return;
  }
  if (process.getuid?.() !== 0) {
    skipReason = 'real usbmuxd must run as root (it binds /var/run/usbmuxd and writes /var/lib/lockdown); run the tests as root';
    return;
  }
  if (existsSync(PIDFILE)) {
    const pid = Number(readFileSync(PIDFILE, 'utf8').trim());
    if (pid > 0 && pidAlive(pid) && (await canConnect(SOCKET))) {
      skipReason = `another usbmuxd (pid ${pid}) already serves ${SOCKET}; stop it to run this test`;
      return;
    }
  }
  const child = spawn('usbmuxd', ['-f', '-U', 'root'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (b: Buffer) => (daemonLog += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (daemonLog += b.toString()));
  const spawnError = await new Promise<Error | null>((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(null));
  });
  if (spawnError) {
    skipReason = `cannot start usbmuxd (${spawnError.message}); install the Debian package "usbmuxd"`;
    return;
  }
  daemon = child;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await canConnect(SOCKET)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = child.exitCode !== null || child.signalCode !== null;
  skipReason = exited
    ? `usbmuxd exited at startup (code ${child.exitCode}, signal ${child.signalCode}): ${daemonLog.trim().split('\n').slice(-3).join(' | ')}`
    : `usbmuxd did not accept connections on ${SOCKET} within 5 s: ${daemonLog.trim()}`;
  await stopDaemon();
}

async function stopDaemon(): Promise<void> {
  const child = daemon;
  daemon = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

function ready(t: TestContext): boolean {
  if (skipReason || !daemon) {
    t.skip(skipReason ?? 'usbmuxd not running');
    return false;
  }
  return true;
}

function fakeRecord(): PairRecord {
  const devKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const c = generatePairingCertificates(devKey);
  const b = (s: string): Buffer => Buffer.from(s);
  return {
    DeviceCertificate: b(c.DeviceCertificate),
    HostCertificate: b(c.HostCertificate),
    HostPrivateKey: b(c.HostPrivateKey),
    RootCertificate: b(c.RootCertificate),
    RootPrivateKey: b(c.RootPrivateKey),
    HostID: randomUUID().toUpperCase(),
    SystemBUID: randomUUID().toUpperCase(),
    WiFiMACAddress: '02:00:00:00:00:01',
    EscrowBag: Buffer.from('escrow-test'),
  };
}

describe('real usbmuxd daemon', () => {
  const client = new UsbmuxClient({ socketAddress: ADDRESS, timeoutMs: 5000 });

  before(startDaemon);
  after(async () => {
    if (daemon) for (const udid of testUdids) await client.deletePairRecord(udid).catch(() => false);
    await stopDaemon();
  });

  test('ListDevices answers an empty DeviceList (no Apple device here)', async (t) => {
    if (!ready(t)) return;
    assert.deepEqual(await client.listDevices(), []);
    assert.deepEqual(await listDevices({ socketAddress: ADDRESS }), []);
  });

  test('ReadBUID returns a stable UUID', async (t) => {
    if (!ready(t)) return;
    const a = await client.readBUID();
    assert.match(a, UUID_RE);
    assert.equal(await client.readBUID(), a);
  });

  test('SavePairRecord → ReadPairRecord round trip → DeletePairRecord → ReadPairRecord null', async (t) => {
    if (!ready(t)) return;
    const udid = `00008120-${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`;
    testUdids.push(udid);
    assert.equal(await client.readPairRecord(udid), null);
    const rec = fakeRecord();
    await client.savePairRecord(udid, pairRecordToPlist(rec));
    assert.ok(existsSync(`/var/lib/lockdown/${udid}.plist`), 'usbmuxd stores the record in /var/lib/lockdown');
    const back = await client.readPairRecord(udid);
    assert.ok(back);
    const parsed = parsePairRecord(back, udid);
    assert.equal(parsed.HostID, rec.HostID);
    assert.equal(parsed.SystemBUID, rec.SystemBUID);
    assert.equal(parsed.WiFiMACAddress, rec.WiFiMACAddress);
    assert.deepEqual(Buffer.from(parsed.HostPrivateKey), Buffer.from(rec.HostPrivateKey));
    assert.deepEqual(Buffer.from(parsed.EscrowBag as Uint8Array), Buffer.from('escrow-test'));
    assert.equal(await client.deletePairRecord(udid), true);
    assert.equal(await client.readPairRecord(udid), null);
    assert.equal(await client.deletePairRecord(udid), false);
  });

  test('Connect to an unknown DeviceID is BadDevice; the facade reports an unattached UDID clearly', async (t) => {
    if (!ready(t)) return;
    await assert.rejects(client.connect(4242, 62078), (e: Error) => e instanceof UsbmuxBadDeviceError && /4242/.test(e.message));
    await assert.rejects(getDeviceInfo('00008120-0000000000000001', { socketAddress: ADDRESS }), DeviceNotFoundError);
  });

  test('Listen is accepted and the subscription stays open until closed', async (t) => {
    if (!ready(t)) return;
    const listener = await client.listen();
    const events: unknown[] = [];
    listener.on('event', (e) => events.push(e));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(listener.active, true);
    assert.deepEqual(events, []);
    const closed = new Promise<Error | null>((r) => listener.once('close', r));
    listener.close();
    assert.equal(await closed, null);
    assert.equal(listener.active, false);
  });

  test('stopping the daemon ends a live Listen subscription with ConnectionClosedError', async (t) => {
    if (!ready(t)) return;
    const listener = await client.listen();
    const outcome = (async () => {
      for await (const _e of listener) {
        // no devices: nothing arrives before the daemon stops
      }
    })().then(() => null, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    for (const udid of testUdids) await client.deletePairRecord(udid).catch(() => false);
    testUdids.length = 0;
    await stopDaemon();
    assert.ok((await outcome) instanceof ConnectionClosedError);
    assert.equal(listener.active, false);
  });
});
