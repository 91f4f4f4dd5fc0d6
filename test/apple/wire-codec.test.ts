// Framing units: usbmuxd 16-byte LE header and lockdownd 4-byte BE plist frames, including
// chunked, oversize, undersize and truncated input (../shared/reference/device-protocols.md §1.2, §2.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import {
  ConnectionClosedError,
  decodePlistDict,
  encodeBinaryPlist,
  encodePlistFrame,
  encodeUsbmuxPlist,
  FrameTooLargeError,
  MalformedMessageError,
  readPlistFrame,
  readUsbmuxPacket,
  ReadTimeoutError,
  SocketReader,
  usbmuxPlistBody,
} from '../../main/apple/wire';

function feed(chunks: Buffer[], end = false): SocketReader {
  const s = new PassThrough();
  const r = new SocketReader(s, 'peer');
  for (const c of chunks) s.write(c);
  if (end) s.end();
  return r;
}

test('usbmuxd header: 16 bytes little-endian, length includes the header', () => {
  const pkt = encodeUsbmuxPlist({ MessageType: 'ListDevices' }, 0x01020304);
  const len = pkt.readUInt32LE(0);
  assert.equal(len, pkt.length);
  assert.ok(len > 16);
  assert.deepEqual([...pkt.subarray(4, 16)], [1, 0, 0, 0, 8, 0, 0, 0, 4, 3, 2, 1]);
  assert.match(pkt.subarray(16).toString('utf8'), /^<\?xml/);
});

test('usbmuxd header from the captured idevice_id request decodes to len=427 version=1 message=8 tag=1', async () => {
  const header = Buffer.from('ab010000010000000800000001000000', 'hex');
  const payload = encodeUsbmuxPlist({ MessageType: 'ListDevices' }, 1).subarray(16);
  const padded = Buffer.concat([payload, Buffer.alloc(411 - payload.length, 0x20)]); // XML allows trailing whitespace
  const p = await readUsbmuxPacket(feed([header, padded]), 1000);
  assert.equal(p.version, 1);
  assert.equal(p.message, 8);
  assert.equal(p.tag, 1);
  assert.equal(p.payload.length, 411);
  assert.equal(usbmuxPlistBody(p).MessageType, 'ListDevices');
});

test('usbmuxd packet delivered one byte at a time is reassembled', async () => {
  const pkt = encodeUsbmuxPlist({ MessageType: 'Result', Number: 3 }, 9);
  const bytes = [...pkt].map((b) => Buffer.from([b]));
  const p = await readUsbmuxPacket(feed(bytes), 1000);
  assert.equal(p.tag, 9);
  assert.equal(usbmuxPlistBody(p).Number, 3);
});

test('usbmuxd oversize length is refused before reading the body', async () => {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(5 * 1024 * 1024, 0);
  h.writeUInt32LE(1, 4);
  h.writeUInt32LE(8, 8);
  await assert.rejects(readUsbmuxPacket(feed([h]), 1000), FrameTooLargeError);
});

test('usbmuxd length shorter than the header is malformed', async () => {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(8, 0);
  await assert.rejects(readUsbmuxPacket(feed([h]), 1000), MalformedMessageError);
});

test('usbmuxd truncated packet then EOF fails with ConnectionClosedError', async () => {
  const pkt = encodeUsbmuxPlist({ MessageType: 'ListDevices' }, 2);
  await assert.rejects(readUsbmuxPacket(feed([pkt.subarray(0, 40)], true), 1000), ConnectionClosedError);
});

test('usbmuxd silent peer fails with ReadTimeoutError after the deadline', async () => {
  const t = Date.now();
  await assert.rejects(readUsbmuxPacket(feed([]), 80), ReadTimeoutError);
  assert.ok(Date.now() - t >= 70);
});

test('plist frame: 4-byte big-endian prefix excluding itself, XML and binary both decode', async () => {
  const xml = encodePlistFrame({ Request: 'GetValue', Label: 'x' });
  assert.equal(xml.readUInt32BE(0), xml.length - 4);
  assert.match(xml.subarray(4, 9).toString(), /<\?xml/);
  const bin = encodePlistFrame({ Request: 'QueryType', Value: Buffer.from([1, 2, 3]) }, true);
  assert.equal(bin.subarray(4, 12).toString('latin1'), 'bplist00');
  const r = feed([xml, bin]);
  assert.equal((await readPlistFrame(r, 1000, 'lockdownd')).Request, 'GetValue');
  const second = await readPlistFrame(r, 1000, 'lockdownd');
  assert.equal(second.Request, 'QueryType');
  assert.deepEqual([...(second.Value as Uint8Array)], [1, 2, 3]);
});

test('plist frame: the captured ideviceinfo GetValue frame (prefix 00 00 01 1b) decodes', async () => {
  // libplist's XML for {Label:"ideviceinfo", Request:"GetValue"}: prolog, DOCTYPE, tab-indented body.
  const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n\t<key>Label</key>\n\t<string>ideviceinfo</string>\n\t<key>Request</key>\n\t<string>GetValue</string>\n</dict>\n</plist>\n';
  const frame = Buffer.concat([Buffer.from('0000011b', 'hex'), Buffer.from(xml)]);
  assert.equal(xml.length, 283);
  const d = await readPlistFrame(feed([frame]), 1000, 'lockdownd');
  assert.deepEqual(d, { Label: 'ideviceinfo', Request: 'GetValue' });
});

test('plist frame: oversize prefix refused, truncated body is ConnectionClosedError, garbage is malformed', async () => {
  const big = Buffer.alloc(4);
  big.writeUInt32BE(0x7fffffff, 0);
  await assert.rejects(readPlistFrame(feed([big]), 1000, 'lockdownd'), FrameTooLargeError);
  const small = Buffer.alloc(4);
  small.writeUInt32BE(100, 0);
  await assert.rejects(readPlistFrame(feed([big.subarray(0, 0), small, Buffer.alloc(10)], true), 1000, 'lockdownd'), ConnectionClosedError);
  const junk = Buffer.from('hello');
  const pre = Buffer.alloc(4);
  pre.writeUInt32BE(junk.length, 0);
  await assert.rejects(readPlistFrame(feed([pre, junk]), 1000, 'lockdownd'), MalformedMessageError);
  await assert.rejects(readPlistFrame(feed([small.subarray(0, 2)], true), 1000, 'lockdownd'), ConnectionClosedError);
});

test('binary plist round trip keeps data, integers and nested dictionaries', () => {
  const d = decodePlistDict(encodeBinaryPlist({ A: Buffer.from('xyz'), B: 42, C: { D: true, E: ['s'] } }));
  assert.equal(Buffer.from(d.A as Uint8Array).toString(), 'xyz');
  assert.equal(d.B, 42);
  assert.deepEqual(d.C, { D: true, E: ['s'] });
});
