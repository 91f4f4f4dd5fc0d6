/**
 * Deterministic mutation engine for the wire fuzz tests: a seeded PRNG (mulberry32) and mutators
 * over captured frames — bit flips, byte overwrites, truncation, length-field edits, chunk
 * duplication/splicing, XML nesting bombs and binary-plist trailer/count edits.
 */

/** A seeded 32-bit PRNG (mulberry32). Same seed → same sequence. */
export class Prng {
  private state: number;

  /** `seed` is any 32-bit integer. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One element of `list`. */
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }

  /** A "interesting" 32-bit value: boundaries and huge counts. */
  interesting32(): number {
    return this.pick([0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 255, 256, 0x7fff, 0xffff, 0x10000, 0x100000, 0x1000000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff]);
  }
}

/** Names of the byte-level mutators (reported per run). */
export const MUTATORS = ['bitflip', 'byte', 'truncate', 'extend', 'length32', 'interesting', 'splice', 'duplicate', 'delete', 'zero'] as const;
/** One mutator name. */
export type MutatorName = (typeof MUTATORS)[number];

/**
 * Applies 1–4 random byte-level mutations to a copy of `input`. `lengthOffsets` lists offsets of
 * 32-bit length fields (with their endianness) that the `length32` mutator rewrites.
 */
export function mutateBytes(rng: Prng, input: Buffer, lengthFields: readonly { offset: number; le: boolean }[] = []): { bytes: Buffer; used: MutatorName[] } {
  let buf: Buffer = Buffer.from(input);
  const used: MutatorName[] = [];
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    const m = rng.pick(MUTATORS);
    used.push(m);
    buf = applyMutator(rng, m, buf, lengthFields);
  }
  return { bytes: buf, used };
}

function applyMutator(rng: Prng, m: MutatorName, buf: Buffer, lengthFields: readonly { offset: number; le: boolean }[]): Buffer {
  const n = buf.length;
  switch (m) {
    case 'bitflip': {
      if (n === 0) return buf;
      const flips = 1 + rng.int(8);
      for (let i = 0; i < flips; i++) {
        const at = rng.int(n);
        buf[at] ^= 1 << rng.int(8);
      }
      return buf;
    }
    case 'byte':
      if (n > 0) buf[rng.int(n)] = rng.int(256);
      return buf;
    case 'truncate':
      return buf.subarray(0, rng.int(n + 1));
    case 'extend':
      return Buffer.concat([buf, randomBytes(rng, 1 + rng.int(64))]);
    case 'length32': {
      const f = lengthFields.length && rng.next() < 0.8 ? rng.pick(lengthFields) : { offset: rng.int(Math.max(1, n - 3)), le: rng.next() < 0.5 };
      if (f.offset + 4 > n) return buf;
      const v = rng.next() < 0.5 ? rng.interesting32() : (buf.readUInt32BE(f.offset) + rng.int(33) - 16) >>> 0;
      if (f.le) buf.writeUInt32LE(v, f.offset);
      else buf.writeUInt32BE(v, f.offset);
      return buf;
    }
    case 'interesting': {
      if (n < 4) return buf;
      const at = rng.int(n - 3);
      if (rng.next() < 0.5) buf.writeUInt32BE(rng.interesting32(), at);
      else buf.writeUInt32LE(rng.interesting32(), at);
      return buf;
    }
    case 'splice': {
      if (n < 2) return buf;
      const a = rng.int(n);
      const b = rng.int(n);
      const len = 1 + rng.int(Math.min(64, n));
      return Buffer.concat([buf.subarray(0, a), buf.subarray(b, b + len), buf.subarray(a)]);
    }
    case 'duplicate': {
      if (n === 0) return buf;
      const a = rng.int(n);
      const len = 1 + rng.int(Math.min(256, n - a));
      const chunk = buf.subarray(a, a + len);
      return Buffer.concat([buf.subarray(0, a), chunk, chunk, buf.subarray(a + len)]);
    }
    case 'delete': {
      if (n === 0) return buf;
      const a = rng.int(n);
      return Buffer.concat([buf.subarray(0, a), buf.subarray(a + 1 + rng.int(16))]);
    }
    case 'zero': {
      if (n === 0) return buf;
      const a = rng.int(n);
      buf.fill(0, a, Math.min(n, a + 1 + rng.int(16)));
      return buf;
    }
  }
}

function randomBytes(rng: Prng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(256);
  return b;
}

/** XML plist with `depth` nested arrays/dicts (a nesting bomb for recursive parsers). */
export function xmlNestingBomb(depth: number, kind: 'array' | 'dict'): Buffer {
  const open = kind === 'array' ? '<array>' : '<dict><key>k</key>';
  const close = kind === 'array' ? '</array>' : '</dict>';
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>a</key>${open.repeat(depth)}<string>x</string>${close.repeat(depth)}</dict></plist>`);
}

/**
 * Binary plist whose objects form an exponential DAG: object i is an array holding object i+1
 * `fanout` times, so naive expansion visits fanout^depth nodes ("billion laughs" by reference).
 */
export function bplistReferenceBomb(depth: number, fanout: number): Buffer {
  const objects: Buffer[] = [];
  for (let i = 0; i < depth; i++) {
    const marker = fanout < 15 ? Buffer.from([0xa0 | fanout]) : Buffer.from([0xaf, 0x10, fanout]);
    objects.push(Buffer.concat([marker, Buffer.alloc(fanout, i + 1)]));
  }
  objects.push(Buffer.from([0x51, 0x78])); // leaf: ASCII "x"
  return assembleBplist(objects, 1, 0);
}

/** Binary plist with an array that references itself (a cycle). */
export function bplistCycle(): Buffer {
  return assembleBplist([Buffer.from([0xa2, 0, 0])], 1, 0);
}

/**
 * Binary plist: an array of `count` references (1-byte) all to one ASCII string of `stringLength`
 * bytes — small on the wire, count × stringLength once expanded.
 */
export function bplistFanOutBomb(count: number, stringLength: number): Buffer {
  const arr = Buffer.concat([Buffer.from([0xaf, 0x12]), u32(count), Buffer.alloc(count, 1)]);
  const str = Buffer.concat([Buffer.from([0x5f, 0x12]), u32(stringLength), Buffer.alloc(stringLength, 0x41)]);
  return assembleBplist([arr, str], 1, 0);
}

/** Builds `bplist00` + objects + offset table (4-byte offsets) + trailer. */
export function assembleBplist(objects: Buffer[], refSize: number, top: number, numObjectsOverride?: number): Buffer {
  const parts: Buffer[] = [Buffer.from('bplist00', 'latin1')];
  const offsets: number[] = [];
  let pos = 8;
  for (const o of objects) {
    offsets.push(pos);
    parts.push(o);
    pos += o.length;
  }
  const table = Buffer.alloc(offsets.length * 4);
  offsets.forEach((o, i) => table.writeUInt32BE(o, i * 4));
  parts.push(table);
  const trailer = Buffer.alloc(32);
  trailer[6] = 4;
  trailer[7] = refSize;
  trailer.writeBigUInt64BE(BigInt(numObjectsOverride ?? objects.length), 8);
  trailer.writeBigUInt64BE(BigInt(top), 16);
  trailer.writeBigUInt64BE(BigInt(pos), 24);
  parts.push(trailer);
  return Buffer.concat(parts);
}

/** Byte offsets of the numeric fields in a bplist trailer (for targeted edits). */
export function bplistTrailerFields(bplist: Buffer): { offsetSize: number; refSize: number; numObjects: number; top: number; tableOffset: number } {
  const t = bplist.length - 32;
  return { offsetSize: t + 6, refSize: t + 7, numObjects: t + 8, top: t + 16, tableOffset: t + 24 };
}

/** Rewrites one bplist trailer field or an object's count with a huge / boundary value. */
export function mutateBplistHeader(rng: Prng, bplist: Buffer): Buffer {
  const buf = Buffer.from(bplist);
  if (buf.length < 40) return buf;
  const f = bplistTrailerFields(buf);
  switch (rng.int(6)) {
    case 0:
      buf[f.offsetSize] = rng.pick([0, 1, 2, 3, 4, 5, 8, 9, 255]);
      break;
    case 1:
      buf[f.refSize] = rng.pick([0, 1, 2, 3, 4, 8, 16, 255]);
      break;
    case 2:
      buf.writeBigUInt64BE(rng.pick([0n, 1n, 0xffffffffn, 0x7fffffffffffffffn, 0xffffffffffffffffn, BigInt(rng.interesting32())]), f.numObjects);
      break;
    case 3:
      buf.writeBigUInt64BE(rng.pick([0n, 1n, 2n, 0xffffffffn, 0xffffffffffffffffn, BigInt(rng.int(64))]), f.top);
      break;
    case 4:
      buf.writeBigUInt64BE(rng.pick([0n, 8n, BigInt(buf.length), BigInt(buf.length - 33), 0xffffffffffffffffn, BigInt(rng.interesting32())]), f.tableOffset);
      break;
    default: {
      // An object marker claiming a huge count: 0xXF 0x12 <u32>.
      const at = 8 + rng.int(Math.max(1, f.offsetSize - 6 - 8 - 6));
      if (at + 6 <= buf.length - 32) {
        buf[at] = rng.pick([0x4f, 0x5f, 0x6f, 0xaf, 0xdf]);
        buf[at + 1] = 0x12;
        buf.writeUInt32BE(rng.interesting32(), at + 2);
      }
    }
  }
  return buf;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}
