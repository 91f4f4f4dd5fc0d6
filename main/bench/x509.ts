/**
 * A minimal X.509 v3 certificate writer (RFC 5280 §4.1) for lockdownd pairing certificates, signed
 * natively by node:crypto (RSA PKCS#1 v1.5 with SHA-256). The shape matches what
 * libimobiledevice `pair_record_generate` and main/apple/lockdown/certificates.ts produce: serial
 * 0, empty issuer and subject names, 10-year validity, BasicConstraints (critical), KeyUsage
 * digitalSignature + keyEncipherment (critical) on leaves, SubjectKeyIdentifier on the device
 * certificate. ../shared/reference/device-protocols.md §2.4 step 3.
 *
 * Native signing takes ~1 ms instead of node-forge's tens of ms of JavaScript big-integer work,
 * which keeps the event loop free while many devices pair at once.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import { DER_NULL, derOid, derTime, tlv } from '../profiles/der';

const OID_SHA256_RSA = '1.2.840.113549.1.1.11';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';
const OID_SUBJECT_KEY_ID = '2.5.29.14';
const EMPTY_NAME = Buffer.from([0x30, 0x00]);
const DER_TRUE = Buffer.from([0x01, 0x01, 0xff]);
const SIG_ALG = tlv(0x30, derOid(OID_SHA256_RSA), DER_NULL);

/** What goes into one certificate. Times are Date objects; keys are node:crypto KeyObjects. */
export interface CertificateSpec {
  /** The certified public key (RSA). */
  publicKey: KeyObject;
  /** The issuer's private key that signs the certificate (RSA). */
  signingKey: KeyObject;
  /** BasicConstraints CA flag. Leaves also get KeyUsage digitalSignature + keyEncipherment. */
  ca: boolean;
  /** Adds a SubjectKeyIdentifier (SHA-1 of the subjectPublicKey bits, RFC 5280 §4.2.1.2 method 1). */
  subjectKeyIdentifier?: boolean;
  notBefore: Date;
  notAfter: Date;
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return critical ? tlv(0x30, derOid(oid), DER_TRUE, tlv(0x04, value)) : tlv(0x30, derOid(oid), tlv(0x04, value));
}

/** The BIT STRING contents of a SubjectPublicKeyInfo (after the unused-bits octet). */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  // SPKI = SEQUENCE { AlgorithmIdentifier, BIT STRING }; walk the two TLVs.
  const lengthOf = (buf: Buffer, at: number): { len: number; start: number } => {
    const first = buf[at + 1];
    if (first < 0x80) return { len: first, start: at + 2 };
    const n = first & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i];
    return { len, start: at + 2 + n };
  };
  const outer = lengthOf(spki, 0);
  const alg = lengthOf(spki, outer.start);
  const bitsAt = alg.start + alg.len;
  const bits = lengthOf(spki, bitsAt);
  return spki.subarray(bits.start + 1, bits.start + bits.len);
}

/**
 * Builds and signs a certificate; returns its DER bytes. Throws the node:crypto error when the
 * signing key cannot sign (not a private RSA key).
 */
export function buildCertificate(spec: CertificateSpec): Buffer {
  const spki = spec.publicKey.export({ type: 'spki', format: 'der' });
  const exts: Buffer[] = [extension(OID_BASIC_CONSTRAINTS, true, spec.ca ? tlv(0x30, DER_TRUE) : tlv(0x30))];
  if (!spec.ca) exts.push(extension(OID_KEY_USAGE, true, Buffer.from([0x03, 0x02, 0x05, 0xa0])));
  if (spec.subjectKeyIdentifier) {
    exts.push(extension(OID_SUBJECT_KEY_ID, false, tlv(0x04, createHash('sha1').update(subjectPublicKeyBits(spki)).digest())));
  }
  const tbs = tlv(
    0x30,
    tlv(0xa0, Buffer.from([0x02, 0x01, 0x02])), // version v3
    Buffer.from([0x02, 0x01, 0x00]), // serialNumber 0
    SIG_ALG,
    EMPTY_NAME,
    tlv(0x30, derTime(spec.notBefore), derTime(spec.notAfter)),
    EMPTY_NAME,
    spki,
    tlv(0xa3, tlv(0x30, ...exts)),
  );
  const signature = sign('sha256', tbs, spec.signingKey);
  return tlv(0x30, tbs, SIG_ALG, tlv(0x03, Buffer.concat([Buffer.from([0x00]), signature])));
}

/** PEM text (`-----BEGIN CERTIFICATE-----`, 64-character lines) of DER certificate bytes. */
export function certificatePem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
