/**
 * Minimal DER (ITU-T X.690) writer and reader for the CMS signing hot path. Building SignedData
 * from precomputed certificate bytes with plain Buffer concatenation keeps per-signature work
 * small (see bench/sign.ts); parsing of untrusted CMS input uses node-forge's asn1 (./verify).
 */

/** DER length octets for `n` bytes of content (short form < 128, long form otherwise). */
export function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV: `tag` (single identifier octet, e.g. 0x30 SEQUENCE, 0xA0 [0] constructed) + content. */
export function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

/** DER OBJECT IDENTIFIER for a dotted OID string. Throws Error for a malformed OID. */
export function derOid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isInteger(a) || a < 0)) throw new Error(`bad OID "${dotted}"`);
  const out: number[] = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const b: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) b.unshift((v & 0x7f) | 0x80);
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
}

/** DER INTEGER for a small non-negative integer. */
export function derSmallInt(n: number): Buffer {
  return tlv(0x02, Buffer.from([n]));
}

/** DER NULL. */
export const DER_NULL = Buffer.from([0x05, 0x00]);

/** RFC 5652 §11.3 Time: UTCTime for years 1950–2049, GeneralizedTime otherwise (whole seconds, Z). */
export function derTime(d: Date): Buffer {
  const iso = d.toISOString();
  const y = d.getUTCFullYear();
  const rest = `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(`${String(y).slice(2)}${rest}`, 'latin1'));
  return tlv(0x18, Buffer.from(`${y}${rest}`, 'latin1'));
}

/** Position of one TLV inside a buffer: tag, content start/end, and the TLV's own start. */
export interface TlvPos {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Reads the TLV at `offset` (definite lengths only). Throws Error on truncated/invalid DER. */
export function readTlv(buf: Buffer, offset: number): TlvPos {
  if (offset + 2 > buf.length) throw new Error('DER truncated');
  const tag = buf[offset];
  let len = buf[offset + 1];
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > buf.length) throw new Error('DER length not supported or truncated');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > buf.length) throw new Error('DER content truncated');
  return { tag, start: offset, contentStart: p, end: p + len };
}

/**
 * RFC 5652 IssuerAndSerialNumber (SEQUENCE { issuer Name, serialNumber INTEGER }) of an X.509
 * certificate, copied byte-for-byte from its tbsCertificate. Throws Error for malformed DER.
 */
export function issuerAndSerialNumber(certDer: Buffer): Buffer {
  const cert = readTlv(certDer, 0);
  const tbs = readTlv(certDer, cert.contentStart);
  let p = tbs.contentStart;
  let f = readTlv(certDer, p);
  if (f.tag === 0xa0) {
    p = f.end;
    f = readTlv(certDer, p);
  }
  const serial = f;
  const sigAlg = readTlv(certDer, serial.end);
  const issuer = readTlv(certDer, sigAlg.end);
  if (serial.tag !== 0x02 || issuer.tag !== 0x30) throw new Error('certificate DER has an unexpected tbsCertificate layout');
  return tlv(0x30, certDer.subarray(issuer.start, issuer.end), certDer.subarray(serial.start, serial.end));
}

/** Object identifiers used by CMS signing (RFC 5652, RFC 5754, RFC 3279/5758). */
export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  ecdsaWithSHA1: '1.2.840.10045.4.1',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ecdsaWithSHA512: '1.2.840.10045.4.3.4',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;
