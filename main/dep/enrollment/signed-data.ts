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
import { X509Certificate, createHash, verify as cryptoVerify } from 'node:crypto';
import forge from 'node-forge';
import { certificatesFromPemOrDer, oneLineName } from '../../profiles/certificates';
import { issuerAndSerialNumber, OID } from '../../profiles/der';

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

type Asn1 = forge.asn1.Asn1;
const { Class, Type } = forge.asn1;

const HASHES: Record<string, string> = { [OID.sha1]: 'sha1', [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };
const SIG_HASH: Record<string, string | null> = {
  [OID.rsaEncryption]: null,
  [OID.sha1WithRSAEncryption]: 'sha1',
  [OID.sha256WithRSAEncryption]: 'sha256',
  [OID.sha384WithRSAEncryption]: 'sha384',
  [OID.sha512WithRSAEncryption]: 'sha512',
  [OID.ecPublicKey]: null,
  [OID.ecdsaWithSHA1]: 'sha1',
  [OID.ecdsaWithSHA256]: 'sha256',
  [OID.ecdsaWithSHA384]: 'sha384',
  [OID.ecdsaWithSHA512]: 'sha512',
};

function malformed(what: string): never {
  throw new DeviceInfoError('malformed', `the device data is not a valid CMS SignedData: ${what}`);
}

function kids(n: Asn1 | undefined, what: string): Asn1[] {
  if (!n || !Array.isArray(n.value)) malformed(`${what} is missing or not constructed`);
  return n.value as Asn1[];
}

function oid(n: Asn1 | undefined, what: string): string {
  if (!n || n.type !== Type.OID || typeof n.value !== 'string') malformed(`${what} is not an OBJECT IDENTIFIER`);
  return forge.asn1.derToOid(n.value as string);
}

function octets(n: Asn1 | undefined, what: string): Buffer {
  if (!n) malformed(`${what} is missing`);
  if (typeof n.value === 'string') return Buffer.from(n.value, 'binary');
  return Buffer.concat((n.value as Asn1[]).map((c) => octets(c, what)));
}

function der(n: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(n).getBytes(), 'binary');
}

function subjectKeyId(cert: X509Certificate): Buffer | undefined {
  try {
    const tbs = kids(kids(forge.asn1.fromDer(forge.util.createBuffer(cert.raw.toString('binary'))), 'cert')[0], 'tbs');
    const ext = tbs.find((n) => n.tagClass === Class.CONTEXT_SPECIFIC && n.type === 3);
    for (const e of ext ? kids(kids(ext, 'ext')[0], 'exts') : []) {
      const ek = kids(e, 'ext');
      if (oid(ek[0], 'ext') === '2.5.29.14') return octets(forge.asn1.fromDer(forge.util.createBuffer(octets(ek[ek.length - 1], 'ski').toString('binary'))), 'ski');
    }
  } catch {
    return undefined;
  }
  return undefined;
}

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
  const top = kids(ci, 'ContentInfo');
  if (oid(top[0], 'contentType') !== OID.signedData) malformed('the content type is not SignedData');
  const sd = kids(kids(top[1], 'ContentInfo.content')[0], 'SignedData');
  let i = 2;
  const encap = kids(sd[i++], 'encapContentInfo');
  if (!encap[1]) malformed('the content is detached; the device sends it attached');
  const content = octets(kids(encap[1], 'eContent')[0], 'eContent');
  const certs: X509Certificate[] = [];
  while (sd[i] && sd[i].tagClass === Class.CONTEXT_SPECIFIC) {
    if (sd[i].type === 0) {
      for (const c of kids(sd[i], 'certificates')) {
        if (c.tagClass !== Class.UNIVERSAL) continue;
        try {
          certs.push(new X509Certificate(der(c)));
        } catch (err) {
          malformed(`a certificate does not parse (${(err as Error).message})`);
        }
      }
    }
    i++;
  }
  const signerInfos = kids(sd[i], 'signerInfos');
  if (signerInfos.length !== 1) throw new DeviceInfoError('signature', `expected exactly one signer, found ${signerInfos.length}`);
  const si = kids(signerInfos[0], 'SignerInfo');
  const sidIsSki = si[1].tagClass === Class.CONTEXT_SPECIFIC;
  const sid = sidIsSki ? octets(si[1], 'subjectKeyIdentifier') : der(si[1]);
  const digestOid = oid(kids(si[2], 'digestAlgorithm')[0], 'digestAlgorithm');
  let j = 3;
  let signedAttrs: Buffer | undefined;
  const attrs = new Map<string, Asn1[]>();
  if (si[j] && si[j].tagClass === Class.CONTEXT_SPECIFIC && si[j].type === 0) {
    signedAttrs = der(si[j]);
    signedAttrs[0] = 0x31;
    for (const a of kids(si[j], 'signedAttrs')) {
      const ak = kids(a, 'Attribute');
      attrs.set(oid(ak[0], 'attribute type'), kids(ak[1], 'attribute values'));
    }
    j++;
  }
  const sigOid = oid(kids(si[j++], 'signatureAlgorithm')[0], 'signatureAlgorithm');
  const signature = octets(si[j], 'signature');

  const hash = HASHES[digestOid];
  if (!hash) throw new DeviceInfoError('signature', `digest algorithm ${digestOid} is not supported`);
  if (!(sigOid in SIG_HASH)) throw new DeviceInfoError('signature', `signature algorithm ${sigOid} is not supported`);
  const found = certs.find((c) => (sidIsSki ? subjectKeyId(c)?.equals(sid) : (() => { try { return issuerAndSerialNumber(c.raw).equals(sid); } catch { return false; } })()));
  if (!found) throw new DeviceInfoError('signature', 'the signer certificate is not in the CMS');
  const signer: X509Certificate = found;
  let input = content;
  if (signedAttrs) {
    const md = attrs.get(OID.messageDigest)?.[0];
    if (!md || !octets(md, 'messageDigest').equals(createHash(hash).update(content).digest())) {
      throw new DeviceInfoError('signature', 'the messageDigest attribute does not match the content: the data was altered');
    }
    const ct = attrs.get(OID.contentType)?.[0];
    if (ct && oid(ct, 'contentType attribute') !== OID.data) throw new DeviceInfoError('signature', 'the contentType attribute is not id-data');
    input = signedAttrs;
  }
  let ok: boolean;
  try {
    ok = cryptoVerify(SIG_HASH[sigOid] ?? hash, input, signer.publicKey, signature);
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
