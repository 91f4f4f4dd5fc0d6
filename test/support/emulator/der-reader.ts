/**
 * Minimal ASN.1 BER/DER element reader that keeps exact byte ranges (needed to verify a CMS
 * signature over the original encoding of the signed attributes). Handles definite and
 * indefinite lengths and multi-byte lengths; high tag numbers (>= 31) are rejected, which CMS,
 * X.509 and PKCS#1 never use. OIDs are decoded with node-forge's `asn1.derToOid`.
 */
import forge from 'node-forge';

/** One element: `tag` is the identifier octet (class | constructed | number). */
export interface DerElement {
  tag: number;
  constructed: boolean;
  /** Offset of the identifier octet in the buffer. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just after the content (before end-of-contents octets for indefinite lengths). */
  contentEnd: number;
  /** Offset just after the whole element. */
  end: number;
  /** The buffer the offsets refer to. */
  buf: Buffer;
}

/** Thrown for bytes that are not valid BER. */
export class DerError extends Error {
  constructor(detail: string) {
    super(`ASN.1: ${detail}`);
    this.name = 'DerError';
  }
}

/** Reads the element starting at `offset` of `buf`. Throws DerError when it is truncated or malformed. */
export function readElement(buf: Buffer, offset = 0): DerElement {
  if (offset + 2 > buf.length) throw new DerError('truncated element header');
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  const constructed = (tag & 0x20) !== 0;
  let p = offset + 1;
  const first = buf[p++];
  if (first === 0x80) {
    if (!constructed) throw new DerError('indefinite length on a primitive element');
    let q = p;
    for (;;) {
      if (q + 2 > buf.length) throw new DerError('missing end-of-contents');
      if (buf[q] === 0 && buf[q + 1] === 0) return { tag, constructed, start: offset, contentStart: p, contentEnd: q, end: q + 2, buf };
      q = readElement(buf, q).end;
    }
  }
  let len = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n > 4 || p + n > buf.length) throw new DerError('unsupported length encoding');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
  }
  if (p + len > buf.length) throw new DerError('element runs past the end of the data');
  return { tag, constructed, start: offset, contentStart: p, contentEnd: p + len, end: p + len, buf };
}

/** The child elements of a constructed element. */
export function children(el: DerElement): DerElement[] {
  if (!el.constructed) throw new DerError(`element with tag 0x${el.tag.toString(16)} is not constructed`);
  const out: DerElement[] = [];
  for (let p = el.contentStart; p < el.contentEnd;) {
    const c = readElement(el.buf, p);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** Content octets of a primitive element; for a constructed OCTET STRING, the concatenated segments. */
export function contentBytes(el: DerElement): Buffer {
  if (!el.constructed) return el.buf.subarray(el.contentStart, el.contentEnd);
  return Buffer.concat(children(el).map(contentBytes));
}

/** The whole encoding of an element (identifier, length, content). */
export function elementBytes(el: DerElement): Buffer {
  return el.buf.subarray(el.start, el.end);
}

/** Decodes an OBJECT IDENTIFIER element to dotted form. Throws DerError when the tag is not 0x06. */
export function oidOf(el: DerElement): string {
  if (el.tag !== 0x06) throw new DerError(`expected an OBJECT IDENTIFIER, got tag 0x${el.tag.toString(16)}`);
  return forge.asn1.derToOid(forge.util.createBuffer(contentBytes(el).toString('binary')));
}

/** Checks that `el` has tag `tag`; throws DerError naming `what` otherwise. Returns `el`. */
export function expectTag(el: DerElement | undefined, tag: number, what: string): DerElement {
  if (!el || el.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got ${el ? `0x${el.tag.toString(16)}` : 'nothing'}`);
  return el;
}
