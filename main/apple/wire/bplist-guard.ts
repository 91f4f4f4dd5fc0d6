/**
 * Structural pre-check of a binary property list (`bplist00`) before it is handed to the `plist`
 * package's parser, which trusts the trailer and object references: a few hundred bytes from a
 * hostile peer could otherwise make it expand a reference DAG exponentially ("billion laughs" by
 * reference), loop on a reference cycle, or materialise one large string hundreds of thousands of
 * times. Layout per Apple's CFBinaryPList.c: 8-byte magic, objects, offset table, 32-byte trailer
 * (offset size, reference size, object count, top object, offset-table offset — big-endian).
 */

/** Limits applied to a binary plist. */
export interface BinaryPlistLimits {
  /** Largest expanded size: decoded nodes plus string bytes, counting shared objects each time they are referenced. */
  maxExpanded: number;
  /** Deepest container nesting. */
  maxDepth: number;
}

/** Defaults: 64 Mi expanded units (a 16 MiB frame of real data stays far below), nesting 256. */
export const BINARY_PLIST_LIMITS: BinaryPlistLimits = { maxExpanded: 64 * 1024 * 1024, maxDepth: 256 };

const TRAILER = 32;
const VALID_SIZES = new Set([1, 2, 4, 8]);

function readUInt(buf: Buffer, at: number, size: number): number {
  switch (size) {
    case 1: return buf[at];
    case 2: return buf.readUInt16BE(at);
    case 4: return buf.readUInt32BE(at);
    default: {
      const v = buf.readBigUInt64BE(at);
      return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
    }
  }
}

/**
 * Throws Error (with a short reason) when `buf` (starting with `bplist00`) has a trailer, offset
 * table, object or reference outside the buffer, a reference cycle, nesting deeper than
 * `limits.maxDepth`, or an expanded size above `limits.maxExpanded`. Runs in time linear in the
 * number of objects and references; allocates one small entry per object.
 */
export function checkBinaryPlist(buf: Buffer, limits: BinaryPlistLimits = BINARY_PLIST_LIMITS): void {
  if (buf.length < 8 + 1 + TRAILER) throw new Error('binary plist too short');
  const t = buf.length - TRAILER;
  const offsetSize = buf[t + 6];
  const refSize = buf[t + 7];
  if (!VALID_SIZES.has(offsetSize) || !VALID_SIZES.has(refSize)) throw new Error('binary plist trailer has invalid offset or reference size');
  const numObjects = readUInt(buf, t + 8, 8);
  const top = readUInt(buf, t + 16, 8);
  const tableOffset = readUInt(buf, t + 24, 8);
  if (numObjects < 1 || top >= numObjects) throw new Error('binary plist trailer has an invalid object count or top object');
  if (tableOffset < 9 || tableOffset > t || numObjects > (t - tableOffset) / offsetSize) {
    throw new Error('binary plist offset table lies outside the data');
  }
  const objectOffset = (i: number): number => {
    const o = readUInt(buf, tableOffset + i * offsetSize, offsetSize);
    if (o < 8 || o >= tableOffset) throw new Error(`binary plist object ${i} lies outside the object area`);
    return o;
  };

  // Expanded cost per object; -1 = being visited (a reference back to it is a cycle).
  const cost = new Map<number, number>();
  const visit = (index: number, depth: number): number => {
    const known = cost.get(index);
    if (known === -1) throw new Error('binary plist has a reference cycle');
    if (known !== undefined) return known;
    if (depth > limits.maxDepth) throw new Error(`binary plist nests deeper than ${limits.maxDepth}`);
    cost.set(index, -1);
    let at = objectOffset(index);
    const marker = buf[at++];
    const type = marker >> 4;
    let size = marker & 0x0f;
    if (type !== 0 && type !== 1 && type !== 2 && type !== 3 && type !== 8 && size === 0x0f) {
      if (at >= tableOffset || buf[at] >> 4 !== 1) throw new Error('binary plist has a malformed object length');
      const width = 1 << (buf[at] & 0x0f);
      if (!VALID_SIZES.has(width) || at + 1 + width > tableOffset) throw new Error('binary plist has a malformed object length');
      size = readUInt(buf, at + 1, width);
      at += 1 + width;
    }
    const room = tableOffset - at;
    let total = 1;
    switch (type) {
      case 0x0:
        break;
      case 0x1:
      case 0x2:
        if (size > (type === 0x1 ? 4 : 3) || 1 << size > room) throw new Error('binary plist number lies outside the data');
        break;
      case 0x3:
        if (room < 8) throw new Error('binary plist date lies outside the data');
        break;
      case 0x4:
      case 0x5:
        if (size > room) throw new Error('binary plist string or data lies outside the data');
        total += size;
        break;
      case 0x6:
        if (size > room / 2) throw new Error('binary plist string lies outside the data');
        total += size * 2;
        break;
      case 0x8:
        if (size + 1 > room) throw new Error('binary plist UID lies outside the data');
        break;
      case 0xa:
      case 0xd: {
        const refs = type === 0xd ? size * 2 : size;
        if (refs > room / refSize) throw new Error('binary plist container references lie outside the data');
        for (let i = 0; i < refs; i++) {
          const ref = readUInt(buf, at + i * refSize, refSize);
          if (ref >= numObjects) throw new Error('binary plist reference to a missing object');
          total += visit(ref, depth + 1);
          if (total > limits.maxExpanded) throw new Error(`binary plist expands beyond ${limits.maxExpanded} units (shared-reference bomb)`);
        }
        break;
      }
      default:
        throw new Error(`binary plist object type 0x${type.toString(16)} is not supported`);
    }
    cost.set(index, total);
    return total;
  };
  visit(top, 0);
}
