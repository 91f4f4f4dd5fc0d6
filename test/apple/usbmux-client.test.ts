// usbmuxd client units: address parsing, port byte order, result-code mapping, and the request
// envelope / tag sequence observed by an in-test socket peer (../shared/reference/device-protocols.md §1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseUsbmuxAddress,
  resolveUsbmuxAddress,
  UsbmuxAddressError,
  UsbmuxBadCommandError,
  UsbmuxBadDeviceError,
  UsbmuxBadVersionError,
  UsbmuxClient,
  UsbmuxConnectionRefusedError,
  UsbmuxError,
  UsbmuxNoSuchServiceError,
  usbmuxPortNumber,
  usbmuxResultError,
  UsbmuxUnavailableError,
} from '../../main/apple/usbmux';
import { encodeUsbmuxPlist, readUsbmuxPacket, SocketReader, usbmuxPlistBody, type PlistDict } from '../../main/apple/wire';

test('USBMUXD_SOCKET_ADDRESS forms: UNIX:/path, host:port, [ipv6]:port', () => {
  assert.deepEqual(parseUsbmuxAddress('UNIX:/tmp/mux'), { kind: 'unix', path: '/tmp/mux' });
  assert.deepEqual(parseUsbmuxAddress('unix:/var/run/usbmuxd'), { kind: 'unix', path: '/var/run/usbmuxd' });
  assert.deepEqual(parseUsbmuxAddress('127.0.0.1:27015'), { kind: 'tcp', host: '127.0.0.1', port: 27015 });
  assert.deepEqual(parseUsbmuxAddress('localhost:5000'), { kind: 'tcp', host: 'localhost', port: 5000 });
  assert.deepEqual(parseUsbmuxAddress('[::1]:27015'), { kind: 'tcp', host: '::1', port: 27015 });
  for (const bad of ['', 'UNIX:', 'localhost', '::1:5', 'host:0', 'host:70000', 'host:abc']) {
    assert.throws(() => parseUsbmuxAddress(bad), UsbmuxAddressError, bad);
  }
});

test('address resolution: explicit beats env beats platform default', () => {
  assert.deepEqual(resolveUsbmuxAddress(undefined, {}, 'linux'), { kind: 'unix', path: '/var/run/usbmuxd' });
  assert.deepEqual(resolveUsbmuxAddress(undefined, {}, 'darwin'), { kind: 'unix', path: '/var/run/usbmuxd' });
  assert.deepEqual(resolveUsbmuxAddress(undefined, {}, 'win32'), { kind: 'tcp', host: '127.0.0.1', port: 27015 });
  assert.deepEqual(resolveUsbmuxAddress(undefined, { USBMUXD_SOCKET_ADDRESS: '10.0.0.1:9' }, 'linux'), { kind: 'tcp', host: '10.0.0.1', port: 9 });
  assert.deepEqual(resolveUsbmuxAddress('UNIX:/x', { USBMUXD_SOCKET_ADDRESS: '10.0.0.1:9' }, 'linux'), { kind: 'unix', path: '/x' });
});

test('Connect PortNumber is in network byte order: 62078 → 32498', () => {
  assert.equal(usbmuxPortNumber(62078), 32498);
  assert.equal(usbmuxPortNumber(0x1234), 0x3412);
  assert.equal(usbmuxPortNumber(usbmuxPortNumber(49152)), 49152);
  assert.throws(() => usbmuxPortNumber(0), RangeError);
  assert.throws(() => usbmuxPortNumber(65536), RangeError);
});

test('result codes map to typed errors', () => {
  assert.ok(usbmuxResultError('X', 1) instanceof UsbmuxBadCommandError);
  const bad = usbmuxResultError('Connect', 2, { deviceId: 7 });
  assert.ok(bad instanceof UsbmuxBadDeviceError);
  assert.match(bad.message, /DeviceID 7/);
  const refused = usbmuxResultError('Connect', 3, { port: 62078 });
  assert.ok(refused instanceof UsbmuxConnectionRefusedError);
  assert.match(refused.message, /62078/);
  assert.ok(usbmuxResultError('X', 4) instanceof UsbmuxNoSuchServiceError);
  assert.ok(usbmuxResultError('X', 6) instanceof UsbmuxBadVersionError);
  const other = usbmuxResultError('X', 22);
  assert.ok(other instanceof UsbmuxError);
  assert.equal(other.result, 22);
});

test('unreachable daemon gives UsbmuxUnavailableError naming the address', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-mux-'));
  try {
    const client = new UsbmuxClient({ socketAddress: `UNIX:${join(dir, 'nothing')}` });
    await assert.rejects(client.listDevices(), (e: Error) => e instanceof UsbmuxUnavailableError && e.message.includes(join(dir, 'nothing')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A scripted usbmuxd peer: records each request and answers with `answer(request)`. */
async function fakeDaemon(answer: (req: PlistDict, socket: net.Socket) => PlistDict | null): Promise<{ address: string; requests: { tag: number; body: PlistDict }[]; close(): Promise<void> }> {
  const requests: { tag: number; body: PlistDict }[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const reader = new SocketReader(socket, 'client');
    void (async () => {
      for (;;) {
        const p = await readUsbmuxPacket(reader, 0).catch(() => null);
        if (!p) return;
        const body = usbmuxPlistBody(p);
        requests.push({ tag: p.tag, body });
        const reply = answer(body, socket);
        if (reply) socket.write(encodeUsbmuxPlist(reply, p.tag));
      }
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    address: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
}

test('requests carry the libusbmuxd envelope and increasing tags across sockets', async () => {
  const d = await fakeDaemon((req): PlistDict => (req.MessageType === 'ReadBUID' ? { BUID: 'AAAA' } : { DeviceList: [] }));
  try {
    const c = new UsbmuxClient({ socketAddress: d.address, progName: 'unit' });
    await c.listDevices();
    assert.equal(await c.readBUID(), 'AAAA');
    await c.listDevices();
    assert.equal(d.requests.length, 3);
    for (const r of d.requests) {
      assert.equal(r.body.ProgName, 'unit');
      assert.equal(r.body.kLibUSBMuxVersion, 3);
      assert.equal(typeof r.body.ClientVersionString, 'string');
    }
    assert.deepEqual(d.requests.map((r) => r.body.MessageType), ['ListDevices', 'ReadBUID', 'ListDevices']);
    const tags = d.requests.map((r) => r.tag);
    assert.ok(tags[0] > 0 && tags[1] > tags[0] && tags[2] > tags[1], `tags ${tags.join(',')}`);
  } finally {
    await d.close();
  }
});

test('Connect sends the swapped port and hands back a raw pipe, including bytes that arrived with the Result', async () => {
  const server = net.createServer((socket) => {
    const reader = new SocketReader(socket, 'client');
    void readUsbmuxPacket(reader, 2000).then((p) => {
      const body = usbmuxPlistBody(p);
      if (body.DeviceID !== 5 || body.PortNumber !== 32498) {
        socket.end(encodeUsbmuxPlist({ MessageType: 'Result', Number: 2 }, p.tag));
        return;
      }
      reader.release();
      socket.write(Buffer.concat([encodeUsbmuxPlist({ MessageType: 'Result', Number: 0 }, p.tag), Buffer.from('HELLO')]));
      socket.on('data', (b) => socket.write(Buffer.concat([Buffer.from('echo:'), b])));
      socket.resume();
    }, () => socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  try {
    const c = new UsbmuxClient({ socketAddress: address });
    await assert.rejects(c.connect(6, 62078), UsbmuxBadDeviceError);
    const pipe = await c.connect(5, 62078);
    const got: Buffer[] = [];
    pipe.on('data', (b: Buffer) => got.push(b));
    pipe.resume();
    pipe.write('ping');
    const deadline = Date.now() + 2000;
    while (Buffer.concat(got).toString() !== 'HELLOecho:ping' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(Buffer.concat(got).toString(), 'HELLOecho:ping');
    pipe.destroy();
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('a daemon that never answers makes the request fail with ReadTimeoutError', async () => {
  const d = await fakeDaemon(() => null);
  try {
    const c = new UsbmuxClient({ socketAddress: d.address, timeoutMs: 100 });
    await assert.rejects(c.listDevices(), { name: 'ReadTimeoutError' });
  } finally {
    await d.close();
  }
});

test('Listen: typed events in order, malformed events skipped, daemon hang-up ends the iterator with ConnectionClosedError', async () => {
  const d = await fakeDaemon((req, socket) => {
    if (req.MessageType !== 'Listen') return null;
    setImmediate(() => {
      const attached = { MessageType: 'Attached', DeviceID: 3, Properties: { ConnectionType: 'USB', DeviceID: 3, ProductID: 0x12a8, SerialNumber: '00008120-000A1B2C3D4E5F60', LocationID: 0x01100000, ConnectionSpeed: 480000000 } };
      socket.write(Buffer.concat([
        encodeUsbmuxPlist(attached, 0),
        encodeUsbmuxPlist({ MessageType: 'Attached', DeviceID: 4 }, 0), // no Properties: skipped
        encodeUsbmuxPlist({ MessageType: 'Paired', DeviceID: 3 }, 0),
        encodeUsbmuxPlist({ MessageType: 'Detached', DeviceID: 3 }, 0),
      ]));
      setTimeout(() => socket.destroy(), 50);
    });
    return { MessageType: 'Result', Number: 0 };
  });
  try {
    const listener = await new UsbmuxClient({ socketAddress: d.address }).listen();
    const detached: number[] = [];
    listener.on('detached', (id) => detached.push(id));
    const seen: string[] = [];
    let failure: unknown = null;
    try {
      for await (const e of listener) {
        seen.push(e.MessageType === 'Attached' ? `Attached ${e.device.udid} pid=${e.device.Properties.ProductID}` : `${e.MessageType} ${e.DeviceID}`);
      }
    } catch (err) {
      failure = err;
    }
    assert.deepEqual(seen, ['Attached 00008120-000A1B2C3D4E5F60 pid=4776', 'Paired 3', 'Detached 3']);
    assert.deepEqual(detached, [3]);
    assert.equal((failure as Error)?.name, 'ConnectionClosedError');
    assert.equal(listener.active, false);
  } finally {
    await d.close();
  }
});
