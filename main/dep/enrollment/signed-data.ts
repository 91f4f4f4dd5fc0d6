/**
 * Verification of the CMS SignedData (RFC 5652) a device sends when it fetches its ADE enrollment
 * profile: the token-based POST body (`application/pkcs7-signature`) and the web-view header
 * `x-apple-aspen-deviceinfo` (AppleDocs "Authenticating through web views"; reference §6).
 *
 * Devices sign with their device identity certificate and include the intermediates; the chain
 * leads to Apple (Apple iPhone Device CA → Apple iPhone Certification Authority → Apple Root CA).
 * The Device CA expired long ago and signatures use SHA-1, so standard X.509 path validation
 * rejects this data; like MicroMDM (`pkg/crypto/apple.go`), dep-webview-oidc and Fleet, this
 * verifier checks every signature itself, pins configurable anchors, and ignores validity periods.
 */
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { certificatesFromPemOrDer, oneLineName } from '../../profiles/certificates';
import {
  cmsReader, contentTypeIsData, DIGEST_HASHES, findSignerCertificate, messageDigestMatches, readCertificates, readSignerInfo, SIGNATURE_HASHES, verifySignerSignature,
  type Asn1, type CmsFail,
} from '../../profiles/cms-parse';
import { OID } from '../../profiles/der';

/** Why verification failed: unreadable structure, bad signature, untrusted chain, or content that is not MachineInfo. */
export type DeviceInfoFailure = 'malformed' | 'signature' | 'untrusted' | 'content';

/** Thrown when device-signed data cannot be accepted; `reason` classifies it, the message says what is wrong. */
export class DeviceInfoError extends Error {
  constructor(readonly reason: DeviceInfoFailure, message: string) {
    super(message);
    this.name = 'DeviceInfoError';
  }
}

/** Options: `anchors` — PEM (one or more) or DER certificates to pin (e.g. Apple Root CA and/or Apple iPhone Device CA). */
export interface SignedDataOptions {
  anchors: readonly (string | Uint8Array)[];
}

/** A verified SignedData: content bytes, signer and the chain up to the pinned anchor (subjects, signer first). */
export interface VerifiedSignedData {
  content: Buffer;
  signer: X509Certificate;
  chain: string[];
  digestAlgorithm: string;
  signatureAlgorithm: string;
}

function malformed(what: string): never {
  throw new DeviceInfoError('malformed', `the device data is not a valid CMS SignedData: ${what}`);
}

const fail: CmsFail = (defect, what, detail) => {
  switch (defect) {
    case 'not-constructed': return malformed(`${what} is missing or not constructed`);
    case 'not-oid': return malformed(`${what} is not an OBJECT IDENTIFIER`);
    case 'no-octets': return malformed(`${what} is missing`);
    case 'bad-certificate': return malformed(`a certificate does not parse (${detail})`);
  }
};
const r = cmsReader(fail);

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Verifies a DER (or BER) CMS SignedData with attached content: exactly one signer, its
 * certificate in the CMS, messageDigest/contentType signed attributes when present, the RSA or
 * ECDSA signature (SHA-1 accepted), and a certificate path from the signer through the CMS's
 * certificates to one of `anchors`, each link's signature checked and validity dates ignored.
 * Throws DeviceInfoError (`malformed`, `signature`, `untrusted`) saying what failed.
 */
export function verifyDeviceSignedData(bytes: Uint8Array, opts: SignedDataOptions): VerifiedSignedData {
  if (!opts.anchors.length) throw new DeviceInfoError('untrusted', 'no trust anchors configured: pin the Apple Root CA or Apple iPhone Device CA certificate');
  const anchors = opts.anchors.flatMap((a) => certificatesFromPemOrDer(a, 'anchor certificate')).map((d) => new X509Certificate(d));
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 2 || buf[0] !== 0x30) malformed('it does not start with a DER SEQUENCE');
  let ci: Asn1;
  try {
    ci = forge.asn1.fromDer(forge.util.createBuffer(buf.toString('binary')), true);
  } catch (err) {
    malformed((err as Error).message);
  }
  const top = r.kids(ci, 'ContentInfo');
  if (r.oid(top[0], 'contentType') !== OID.signedData) malformed('the content type is not SignedData');
  const sd = r.kids(r.kids(top[1], 'ContentInfo.content')[0], 'SignedData');
  const encap = r.kids(sd[2], 'encapContentInfo');
  if (!encap[1]) malformed('the content is detached; the device sends it attached');
  const content = r.octets(r.kids(encap[1], 'eContent')[0], 'eContent');
  const { certs, next: signerInfosAt } = readCertificates(sd, 3, r, fail);
  const signerInfos = r.kids(sd[signerInfosAt], 'signerInfos');
  if (signerInfos.length !== 1) throw new DeviceInfoError('signature', `expected exactly one signer, found ${signerInfos.length}`);
  const si = readSignerInfo(signerInfos[0], r);
  const { digestOid, sigOid } = si;

  const hash = DIGEST_HASHES[digestOid];
  if (!hash) throw new DeviceInfoError('signature', `digest algorithm ${digestOid} is not supported`);
  if (!(sigOid in SIGNATURE_HASHES)) throw new DeviceInfoError('signature', `signature algorithm ${sigOid} is not supported`);
  const found = findSignerCertificate(certs, si);
  if (!found) throw new DeviceInfoError('signature', 'the signer certificate is not in the CMS');
  const signer: X509Certificate = found;
  if (si.signedAttrs) {
    if (messageDigestMatches(si, content, hash, r) !== true) {
      throw new DeviceInfoError('signature', 'the messageDigest attribute does not match the content: the data was altered');
    }
    if (contentTypeIsData(si, r) === false) throw new DeviceInfoError('signature', 'the contentType attribute is not id-data');
  }
  let ok: boolean;
  try {
    ok = verifySignerSignature(si, content, signer, hash);
  } catch (err) {
    throw new DeviceInfoError('signature', `the signature cannot be checked: ${(err as Error).message}`);
  }
  if (!ok) throw new DeviceInfoError('signature', 'the signature does not verify with the signer certificate: the data was altered or not signed by this device');

  // Path from signer to a pinned anchor, validity ignored (Apple's Device CA is expired by design).
  const chain: X509Certificate[] = [signer];
  const pool = certs.filter((c) => c !== signer);
  for (let depth = 0; depth < 8; depth++) {
    const cur = chain[chain.length - 1];
    if (anchors.some((a) => a.raw.equals(cur.raw))) return done();
    const anchor = anchors.find((a) => issuedBy(cur, a));
    if (anchor) {
      if (!anchor.ca) throw new DeviceInfoError('untrusted', `anchor ${oneLineName(anchor.subject)} is not a CA certificate`);
      chain.push(anchor);
      return done();
    }
    const idx = pool.findIndex((c) => issuedBy(cur, c));
    if (idx < 0) break;
    const next = pool.splice(idx, 1)[0];
    if (!next.ca) throw new DeviceInfoError('untrusted', `certificate ${oneLineName(next.subject)} issues ${oneLineName(cur.subject)} but is not a CA`);
    chain.push(next);
  }
  throw new DeviceInfoError('untrusted', `the signer ${oneLineName(signer.subject)} does not chain to a pinned anchor (issuer ${oneLineName(chain[chain.length - 1].issuer)}); the data was not signed by a genuine device of the pinned CA`);

  function done(): VerifiedSignedData {
    return { content, signer, chain: chain.map((c) => oneLineName(c.subject)), digestAlgorithm: hash, signatureAlgorithm: sigOid };
  }
}
