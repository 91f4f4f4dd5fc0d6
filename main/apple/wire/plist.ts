/**
 * Property-list codec for the device wire protocols (usbmuxd plist messages, lockdownd and
 * service frames). XML and binary (`bplist00`) are both decoded; XML is sent, as libimobiledevice
 * does (see ../shared/reference/device-protocols.md §2.1). Built on the `plist` package.
 */
import { build, buildBinary, parse, parseBinary } from 'plist';
import { checkBinaryPlist } from './bplist-guard';
import { MalformedMessageError } from './errors';

/** A plist value as decoded: `<data>` becomes Uint8Array, `<date>` Date, integers/reals number. */
export type PlistValue = string | number | bigint | boolean | Date | Uint8Array | PlistValue[] | PlistDict;
/** A plist dictionary. */
export interface PlistDict {
  [key: string]: PlistValue;
}

const BPLIST_MAGIC = Buffer.from('bplist00', 'latin1');

/** Serialises `value` as an XML plist (UTF-8 bytes). Undefined dictionary entries are dropped. */
export function encodeXmlPlist(value: PlistValue): Buffer {
  return Buffer.from(build(stripUndefined(value) as never), 'utf8');
}

/** Serialises `value` as a binary plist (`bplist00`). */
export function encodeBinaryPlist(value: PlistValue): Buffer {
  return Buffer.from(buildBinary(stripUndefined(value) as never));
}

/**
 * Decodes XML or binary plist bytes. Throws MalformedMessageError (naming `what`) when the bytes
 * are neither, or are not well formed.
 */
export function decodePlist(bytes: Uint8Array, what = 'plist'): PlistValue {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (buf.length >= 8 && buf.subarray(0, 8).equals(BPLIST_MAGIC)) {
      checkBinaryPlist(buf);
      return normalise(parseBinary(buf) as unknown);
    }
    const text = buf.toString('utf8');
    if (!/^\s*(<\?xml|<!DOCTYPE|<plist)/.test(text)) {
      throw new Error('neither an XML nor a binary property list');
    }
    return normalise(parse(text) as unknown);
  } catch (err) {
    throw new MalformedMessageError(what, (err as Error).message);
  }
}

/** Decodes bytes that must hold a dictionary; throws MalformedMessageError otherwise. */
export function decodePlistDict(bytes: Uint8Array, what = 'plist'): PlistDict {
  const value = decodePlist(bytes, what);
  if (!isPlistDict(value)) throw new MalformedMessageError(what, 'top-level value is not a dictionary');
  return value;
}

/** True when `v` is a plist dictionary (not an array, data, or date). */
export function isPlistDict(v: unknown): v is PlistDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);
}

function normalise(v: unknown): PlistValue {
  if (v === null || v === undefined) throw new Error('empty property list');
  if (Array.isArray(v)) return v.map(normalise);
  if (v instanceof Uint8Array || v instanceof Date) return v;
  if (typeof v === 'object') {
    const out: PlistDict = {};
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      if (val !== null && val !== undefined) out[k] = normalise(val);
    }
    return out;
  }
  return v as PlistValue;
}

function stripUndefined(v: PlistValue): PlistValue {
  if (Array.isArray(v)) return v.map(stripUndefined);
  if (isPlistDict(v)) {
    const out: PlistDict = {};
    for (const [k, val] of Object.entries(v)) if (val !== undefined) out[k] = stripUndefined(val);
    return out;
  }
  return v;
}
