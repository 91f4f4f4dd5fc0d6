/**
 * Child-process probe for the bomb checks of wire-parsers.test.ts: decodes each bomb (through
 * decodePlist, a usbmuxd packet and a lockdown frame) and prints one `BOMB {json}` line per bomb
 * as soon as it finishes, so the parent can tell which one hung or blew the heap limit.
 */
import { encodeUsbmuxPacket } from '../../main/apple/wire';
import { assembleBplist, bplistCycle, bplistFanOutBomb, bplistReferenceBomb, xmlNestingBomb } from './mutate';
import { fuzzPlist, fuzzPlistFrame, fuzzUsbmuxPacket } from './targets';

/** The bombs, by name. */
const BOMBS: [string, () => Buffer][] = [
  ['XML arrays nested 20,000 deep', () => xmlNestingBomb(20_000, 'array')],
  ['XML dicts nested 20,000 deep', () => xmlNestingBomb(20_000, 'dict')],
  ['bplist reference DAG of 2^40 nodes', () => bplistReferenceBomb(40, 2)],
  ['bplist reference DAG of 14^12 nodes', () => bplistReferenceBomb(12, 14)],
  ['bplist self-referencing array', () => bplistCycle()],
  ['bplist 200,000 refs to one 4 KiB string (800 MB expanded)', () => bplistFanOutBomb(200_000, 4096)],
  ['bplist trailer claiming 2^32 objects', () => assembleBplist([Buffer.from([0x51, 0x78])], 1, 0, 0xffffffff)],
];

console.warn = console.error = () => undefined;
for (const [name, make] of BOMBS) {
  const bytes = make();
  const t0 = performance.now();
  const plist = fuzzPlist(bytes);
  const usbmux = bytes.length < 1024 * 1024 - 16 ? await fuzzUsbmuxPacket(encodeUsbmuxPacket({ version: 1, message: 8, tag: 1, payload: bytes })) : 'n/a';
  const frame = await fuzzPlistFrame(Buffer.concat([lengthPrefix(bytes.length), bytes]));
  const ms = performance.now() - t0;
  process.stdout.write(`BOMB ${JSON.stringify({ name, bytes: bytes.length, plist, usbmux, frame, ms, heapMiB: process.memoryUsage().heapUsed / 1048576 })}\n`);
}

function lengthPrefix(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}
