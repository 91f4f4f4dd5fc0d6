/**
 * Device-side verification of a CMS SignedData (RFC 5652) wrapping a configuration profile, as a
 * device does on InstallProfile: the content must be attached; for each signer, the signer
 * certificate is found in `certificates` (IssuerAndSerialNumber or SubjectKeyIdentifier), the
 * `messageDigest` signed attribute must equal the digest of the content, and the signature must
 * verify over the DER SET OF the signed attributes (or over the content when there are none) with
 * the signer certificate's key. RSA PKCS#1 v1.5 and ECDSA signatures with SHA-1/224/256/384/512.
 * Chain trust is not evaluated (a device installs untrusted signed profiles as "Not Verified").
 * Built on node:crypto and a BER reader (der-reader.ts), independent of main/profiles.
 */
import { X509Certificate, createHash, verify as cryptoVerify } from 'node:crypto';
import { DerError, children, contentBytes, elementBytes, expectTag, oidOf, readElement, type DerElement } from './der-reader';

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SUBJECT_KEY_ID = '2.5.29.14';
const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';

/** Digest algorithm OIDs → node:crypto hash names. */
const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Thrown when the data is not a verifiable SignedData; the message says why. */
export class CmsVerifyError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'CmsVerifyError';
  }
}

/** Result of a successful verification. */
export interface VerifiedCms {
  /** The encapsulated content (the profile plist bytes). */
  content: Buffer;
  /** eContentType OID (normally id-data 1.2.840.113549.1.7.1). */
  contentType: string;
  /** The signer certificates, in signerInfos order. */
  signers: X509Certificate[];
}

/** True when `bytes` look like a DER/BER SEQUENCE that starts with the SignedData content-type OID. */
export function looksLikeSignedData(bytes: Buffer): boolean {
  try {
    const ci = readElement(bytes, 0);
    if (ci.tag !== 0x30) return false;
    const [type] = children(ci);
    return oidOf(type) === OID_SIGNED_DATA;
  } catch {
    return false;
  }
}

interface CertInfo {
  cert: X509Certificate;
  issuer: Buffer;
  serial: Buffer;
  ski: Buffer | null;
}

function certInfo(el: DerElement): CertInfo {
  const der = Buffer.from(elementBytes(el));
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch (err) {
    throw new CmsVerifyError(`embedded certificate does not parse: ${(err as Error).message}`);
  }
  const tbs = children(expectTag(children(readElement(der, 0))[0], 0x30, 'tbsCertificate'));
  let i = tbs[0].tag === 0xa0 ? 1 : 0;
  const serial = contentBytes(expectTag(tbs[i++], 0x02, 'serialNumber'));
  i++; // signature AlgorithmIdentifier
  const issuer = elementBytes(expectTag(tbs[i], 0x30, 'issuer'));
  let ski: Buffer | null = null;
  const extWrapper = tbs.find((c) => c.tag === 0xa3);
  if (extWrapper) {
    for (const ext of children(children(extWrapper)[0])) {
      const parts = children(ext);
      if (oidOf(parts[0]) === OID_SUBJECT_KEY_ID) {
        const inner = readElement(Buffer.from(contentBytes(parts[parts.length - 1])), 0);
        ski = Buffer.from(contentBytes(inner));
      }
    }
  }
  return { cert, issuer: Buffer.from(issuer), serial: Buffer.from(serial), ski };
}

function stripLeadingZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/**
 * Verifies `der` (a ContentInfo with SignedData, attached content). Returns the content and signer
 * certificates; throws CmsVerifyError (bad structure, detached content, unknown algorithms,
 * missing signer certificate, digest mismatch, bad signature).
 */
export function verifySignedData(der: Buffer): VerifiedCms {
  try {
    return verifyInner(der);
  } catch (err) {
    if (err instanceof DerError) throw new CmsVerifyError(`malformed CMS: ${err.message}`);
    throw err;
  }
}

function verifyInner(der: Buffer): VerifiedCms {
  const ci = expectTag(readElement(der, 0), 0x30, 'ContentInfo');
  const [typeEl, wrapped] = children(ci);
  if (oidOf(typeEl) !== OID_SIGNED_DATA) throw new CmsVerifyError('ContentInfo is not SignedData');
  const sd = children(expectTag(children(expectTag(wrapped, 0xa0, 'content'))[0], 0x30, 'SignedData'));
  let i = 1; // version
  i++; // digestAlgorithms
  const encap = children(expectTag(sd[i++], 0x30, 'encapContentInfo'));
  const contentType = oidOf(encap[0]);
  if (!encap[1]) throw new CmsVerifyError('content is detached; a profile must be signed with the content attached');
  const content = Buffer.from(contentBytes(children(expectTag(encap[1], 0xa0, 'eContent'))[0]));
  const certs: CertInfo[] = [];
  if (sd[i]?.tag === 0xa0) certs.push(...children(sd[i++]).filter((c) => c.tag === 0x30).map(certInfo));
  if (sd[i]?.tag === 0xa1) i++; // crls
  const signerInfos = children(expectTag(sd[i], 0x31, 'signerInfos'));
  if (signerInfos.length === 0) throw new CmsVerifyError('SignedData has no signers');
  const signers: X509Certificate[] = [];
  for (const si of signerInfos) signers.push(verifySigner(children(expectTag(si, 0x30, 'SignerInfo')), content, contentType, certs));
  return { content, contentType, signers };
}

function verifySigner(parts: DerElement[], content: Buffer, contentType: string, certs: CertInfo[]): X509Certificate {
  let i = 1; // version
  const sid = parts[i++];
  let signer: CertInfo | undefined;
  if (sid.tag === 0x30) {
    const [issuer, serial] = children(sid);
    const issuerBytes = elementBytes(issuer);
    const serialBytes = stripLeadingZeros(contentBytes(serial));
    signer = certs.find((c) => c.issuer.equals(issuerBytes) && stripLeadingZeros(c.serial).equals(serialBytes));
  } else if (sid.tag === 0x80) {
    const ski = contentBytes(sid);
    signer = certs.find((c) => c.ski !== null && c.ski.equals(ski));
  }
  if (!signer) throw new CmsVerifyError('the signer certificate is not included in the SignedData');
  const digestOid = oidOf(children(expectTag(parts[i++], 0x30, 'digestAlgorithm'))[0]);
  const hash = DIGESTS[digestOid];
  if (!hash) throw new CmsVerifyError(`unsupported digest algorithm ${digestOid}`);
  let signedAttrs: DerElement | null = null;
  if (parts[i]?.tag === 0xa0) signedAttrs = parts[i++];
  const sigAlgOid = oidOf(children(expectTag(parts[i++], 0x30, 'signatureAlgorithm'))[0]);
  if (sigAlgOid === OID_RSASSA_PSS) throw new CmsVerifyError('RSASSA-PSS signatures are not supported by the emulator');
  const signature = Buffer.from(contentBytes(expectTag(parts[i], 0x04, 'signature')));
  let signedBytes: Buffer;
  if (signedAttrs) {
    let messageDigest: Buffer | null = null;
    let attrContentType: string | null = null;
    for (const attr of children(signedAttrs)) {
      const [oidEl, values] = children(attr);
      const oid = oidOf(oidEl);
      const first = children(values)[0];
      if (oid === OID_MESSAGE_DIGEST) messageDigest = Buffer.from(contentBytes(first));
      if (oid === OID_CONTENT_TYPE) attrContentType = oidOf(first);
    }
    if (!messageDigest) throw new CmsVerifyError('signed attributes lack messageDigest');
    if (attrContentType !== null && attrContentType !== contentType) throw new CmsVerifyError('contentType attribute does not match the encapsulated content type');
    if (!createHash(hash).update(content).digest().equals(messageDigest)) {
      throw new CmsVerifyError('messageDigest does not match the content (the profile was modified after signing)');
    }
    // The signature covers the DER SET OF attributes: the [0] IMPLICIT tag is replaced by SET (0x31).
    signedBytes = Buffer.from(elementBytes(signedAttrs));
    signedBytes[0] = 0x31;
  } else {
    signedBytes = content;
  }
  let ok: boolean;
  try {
    ok = cryptoVerify(hash, signedBytes, signer.cert.publicKey, signature);
  } catch (err) {
    throw new CmsVerifyError(`signature could not be checked: ${(err as Error).message}`);
  }
  if (!ok) throw new CmsVerifyError('the signature does not verify with the signer certificate');
  return signer.cert;
}
