/**
 * Typed XML property lists for configuration profiles (Apple "PropertyList-1.0.dtd" format).
 *
 * The generic `plist` package writes every integral number as `<integer>` and reads `<real>` and
 * `<integer>` into the same JS number, but Apple's schema types some keys as *real*
 * (TopLevel `DurationUntilRemoval`: 3600 must be `<real>3600</real>`), and validation of imported
 * profiles must see the element type. This module therefore keeps the types explicit:
 *
 * | XML element | JS value |
 * |---|---|
 * | `<string>` | string |
 * | `<integer>` | number (safe integer) or bigint (larger) |
 * | `<real>` | {@link PlistReal} (parse); a non-integral number or PlistReal (write) |
 * | `<true/>` `<false/>` | boolean |
 * | `<date>` | Date (whole seconds, UTC, ISO 8601 `YYYY-MM-DDTHH:MM:SSZ`) |
 * | `<data>` | Buffer (write: any Uint8Array), base64 in XML |
 * | `<array>` | TypedPlistValue[] |
 * | `<dict>` | {@link TypedPlistDict} (insertion order kept; `undefined` entries skipped on write) |
 */
import { DOMParser, type Element as XmlElement, type Node as XmlNode } from '@xmldom/xmldom';

/**
 * Marks a number as plist `<real>`, even when it is integral (`new PlistReal(3600)` →
 * `<real>3600</real>`). Parsing returns every `<real>` as a PlistReal so the type survives a
 * round trip. Throws RangeError for NaN/±Infinity (not representable in Apple's XML plist DTD).
 */
export class PlistReal {
  readonly value: number;
  constructor(value: number) {
    if (!Number.isFinite(value)) throw new RangeError(`plist <real> must be a finite number, got ${value}`);
    this.value = value;
  }
  /** Lets `+real` and arithmetic use the number. */
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

/** A typed plist value (see the module table). */
export type TypedPlistValue = string | number | bigint | boolean | Date | Uint8Array | PlistReal | TypedPlistValue[] | TypedPlistDict;

/** A typed plist dictionary; `undefined` values are allowed while building and skipped on write. */
export interface TypedPlistDict {
  [key: string]: TypedPlistValue | undefined;
}

/** Plist element type names (Apple schema type names: `real` vs `integer`, `data`, `date`, ...). */
export type PlistTypeName = 'string' | 'integer' | 'real' | 'boolean' | 'date' | 'data' | 'array' | 'dictionary';

/** Thrown by {@link parseTypedPlist} for bytes that are not a well-formed XML property list. */
export class PlistXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlistXmlError';
  }
}

/** Returns the plist type name of a typed value (a non-integral JS number counts as `real`). */
export function plistTypeOf(v: TypedPlistValue): PlistTypeName {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'real';
  if (v instanceof PlistReal) return 'real';
  if (v instanceof Date) return 'date';
  if (v instanceof Uint8Array) return 'data';
  if (Array.isArray(v)) return 'array';
  return 'dictionary';
}

/** True when `v` is a plist dictionary (not array/data/date/real). */
export function isTypedDict(v: unknown): v is TypedPlistDict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date) && !(v instanceof PlistReal);
}

// XML 1.0 Char production: tab, LF, CR, and U+0020 upward except surrogates/U+FFFE/U+FFFF.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function escapeXml(s: string, where: string): string {
  if (INVALID_XML_CHARS.test(s)) throw new TypeError(`${where}: contains a control character that XML plists cannot carry; remove it`);
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Formats a Date as a plist `<date>` (UTC, whole seconds). Throws RangeError for invalid dates. */
export function formatPlistDate(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new RangeError('invalid Date cannot be written as plist <date>');
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function writeValue(v: TypedPlistValue, depth: number, out: string[], where: string): void {
  const pad = '\t'.repeat(depth);
  switch (plistTypeOf(v)) {
    case 'string':
      out.push(`${pad}<string>${escapeXml(v as string, where)}</string>`);
      return;
    case 'boolean':
      out.push(`${pad}${v ? '<true/>' : '<false/>'}`);
      return;
    case 'integer':
      if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new RangeError(`${where}: integer ${v} is beyond 2^53; pass a bigint`);
      out.push(`${pad}<integer>${String(v)}</integer>`);
      return;
    case 'real': {
      const n = v instanceof PlistReal ? v.value : (v as number);
      if (!Number.isFinite(n)) throw new RangeError(`${where}: real must be finite`);
      out.push(`${pad}<real>${String(n)}</real>`);
      return;
    }
    case 'date':
      out.push(`${pad}<date>${formatPlistDate(v as Date)}</date>`);
      return;
    case 'data': {
      const u = v as Uint8Array;
      out.push(`${pad}<data>${Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64')}</data>`);
      return;
    }
    case 'array': {
      const a = v as TypedPlistValue[];
      if (a.length === 0) {
        out.push(`${pad}<array/>`);
        return;
      }
      out.push(`${pad}<array>`);
      a.forEach((item, i) => {
        if (item === undefined || item === null) throw new TypeError(`${where}[${i}]: arrays cannot hold undefined/null`);
        writeValue(item, depth + 1, out, `${where}[${i}]`);
      });
      out.push(`${pad}</array>`);
      return;
    }
    case 'dictionary': {
      const entries = Object.entries(v as TypedPlistDict).filter(([, x]) => x !== undefined);
      if (entries.length === 0) {
        out.push(`${pad}<dict/>`);
        return;
      }
      out.push(`${pad}<dict>`);
      for (const [k, x] of entries) {
        if (x === null) throw new TypeError(`${where}.${k}: null is not a plist value; omit the key instead`);
        out.push(`${pad}\t<key>${escapeXml(k, `${where} key`)}</key>`);
        writeValue(x as TypedPlistValue, depth + 1, out, `${where}.${k}`);
      }
      out.push(`${pad}</dict>`);
      return;
    }
  }
}

/**
 * Serialises a typed value as an Apple XML property list (UTF-8, tab-indented, Apple's DOCTYPE,
 * trailing newline). Deterministic: same input → same bytes. Throws TypeError/RangeError naming
 * the path of a value that cannot be written (null, control characters, non-finite reals,
 * unsafe integers given as number).
 */
export function buildTypedPlist(value: TypedPlistValue): Buffer {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
  ];
  writeValue(value, 0, out, '$');
  out.push('</plist>', '');
  return Buffer.from(out.join('\n'), 'utf8');
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;

function childElements(el: XmlElement, where: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n: XmlNode | null = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === ELEMENT_NODE) out.push(n as XmlElement);
    else if ((n.nodeType === TEXT_NODE || n.nodeType === CDATA_NODE) && (n.nodeValue ?? '').trim() !== '') {
      throw new PlistXmlError(`${where}: unexpected text "${(n.nodeValue ?? '').trim().slice(0, 40)}" inside <${el.tagName}>`);
    }
  }
  return out;
}

function textOf(el: XmlElement): string {
  let s = '';
  for (let n: XmlNode | null = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_NODE) s += n.nodeValue ?? '';
    else if (n.nodeType === ELEMENT_NODE) throw new PlistXmlError(`unexpected element <${(n as XmlElement).tagName}> inside <${el.tagName}>`);
  }
  return s;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/;

function readValue(el: XmlElement, where: string): TypedPlistValue {
  switch (el.tagName) {
    case 'string':
      return textOf(el);
    case 'integer': {
      const t = textOf(el).trim();
      if (!/^[+-]?\d+$/.test(t)) throw new PlistXmlError(`${where}: <integer> holds "${t}", not an integer`);
      const big = BigInt(t);
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    case 'real': {
      const t = textOf(el).trim();
      const n = Number(t);
      if (t === '' || !Number.isFinite(n)) throw new PlistXmlError(`${where}: <real> holds "${t}", not a finite number`);
      return new PlistReal(n);
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'date': {
      const t = textOf(el).trim();
      if (!DATE_RE.test(t)) throw new PlistXmlError(`${where}: <date> holds "${t}"; expected YYYY-MM-DDTHH:MM:SSZ`);
      return new Date(t);
    }
    case 'data': {
      const t = textOf(el).replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t)) throw new PlistXmlError(`${where}: <data> is not base64`);
      return Buffer.from(t, 'base64');
    }
    case 'array':
      return childElements(el, where).map((c, i) => readValue(c, `${where}[${i}]`));
    case 'dict': {
      const kids = childElements(el, where);
      const out: TypedPlistDict = {};
      for (let i = 0; i < kids.length; i += 2) {
        const k = kids[i];
        if (k.tagName !== 'key') throw new PlistXmlError(`${where}: expected <key> in <dict>, found <${k.tagName}>`);
        const name = textOf(k);
        const v = kids[i + 1];
        if (!v) throw new PlistXmlError(`${where}: key "${name}" has no value`);
        if (Object.prototype.hasOwnProperty.call(out, name)) throw new PlistXmlError(`${where}: key "${name}" appears twice`);
        out[name] = readValue(v, `${where}.${name}`);
      }
      return out;
    }
    default:
      throw new PlistXmlError(`${where}: unknown plist element <${el.tagName}>`);
  }
}

/**
 * Parses an XML property list keeping element types (`<real>` → PlistReal, `<integer>` → number
 * or bigint, `<data>` → Buffer, `<date>` → Date). Throws {@link PlistXmlError} saying what is
 * wrong for bytes that are not a well-formed XML plist (binary plists are not accepted here:
 * convert with `plutil -convert xml1`).
 */
export function parseTypedPlist(bytes: Uint8Array | string): TypedPlistValue {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.startsWith('bplist')) throw new PlistXmlError('binary property list given; convert it to XML (plutil -convert xml1) first');
  if (!/^\uFEFF?\s*(<\?xml|<!DOCTYPE|<plist)/.test(text)) throw new PlistXmlError('not an XML property list (no <?xml or <plist> at the start)');
  let firstError: string | undefined;
  let doc;
  try {
    doc = new DOMParser({
      onError: (level, msg) => {
        if (level === 'warning') return;
        firstError ??= msg;
        throw new PlistXmlError(msg);
      },
    }).parseFromString(text.replace(/^\uFEFF/, ''), 'text/xml');
  } catch (err) {
    throw new PlistXmlError(`malformed XML: ${firstError ?? (err as Error).message}`);
  }
  const root = doc.documentElement;
  if (!root || root.tagName !== 'plist') throw new PlistXmlError(`root element is <${root?.tagName ?? 'none'}>, expected <plist>`);
  const kids = childElements(root, 'plist');
  if (kids.length !== 1) throw new PlistXmlError(`<plist> must hold exactly one value, found ${kids.length}`);
  return readValue(kids[0], '$');
}

/** Parses bytes that must hold a dictionary; throws PlistXmlError otherwise. */
export function parseTypedPlistDict(bytes: Uint8Array | string): TypedPlistDict {
  const v = parseTypedPlist(bytes);
  if (!isTypedDict(v)) throw new PlistXmlError(`top-level value is ${plistTypeOf(v)}, expected a dictionary`);
  return v;
}
