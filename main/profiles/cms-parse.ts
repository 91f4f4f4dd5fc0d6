/**
 * Reading untrusted CMS SignedData (RFC 5652 §5) with node-forge's asn1, shared by profile
 * inspection (./verify) and the device-signed enrollment data check
 * (main/dep/enrollment/signed-data): the certificates field, a SignerInfo (§5.3) with its signed
 * attributes, the signer certificate lookup by sid, and the signature primitives. Hashes and
 * signature checks use node:crypto. Structural defects are reported through the caller's
 * `CmsFail`, so each caller keeps its own error type and wording; policy (how many signers, what
 * a failed check means) stays with the caller.
 */
import { X509Certificate, createHash, verify as cryptoVerify } from 'node:crypto';
import forge from 'node-forge';
import { issuerAndSerialNumber, OID } from './der';

/** A node-forge ASN.1 node. */
export type Asn1 = forge.asn1.Asn1;
const { Class, Type } = forge.asn1;

/**
 * Kind of structural defect: a missing or primitive node where a constructed one belongs, a node
 * that is not an OBJECT IDENTIFIER, a missing OCTET STRING, or a certificate X.509 cannot parse.
 */
export type CmsDefect = 'not-constructed' | 'not-oid' | 'no-octets' | 'bad-certificate';

/**
 * Throws the caller's error for `defect` at field `what` (an RFC 5652 name such as `SignerInfo`);
 * for `bad-certificate`, `detail` is node:crypto's parse message. Must not return.
 */
export type CmsFail = (defect: CmsDefect, what: string, detail?: string) => never;

/** Checked accessors over forge nodes; each reports a defect through the caller's `CmsFail`. */
export interface CmsReader {
  /** Children of a constructed node. */
  kids(n: Asn1 | undefined, what: string): Asn1[];
  /** Dotted OID of an OBJECT IDENTIFIER node. */
  oid(n: Asn1 | undefined, what: string): string;
  /** Bytes of an OCTET STRING (BER constructed strings concatenated). */
  octets(n: Asn1 | undefined, what: string): Buffer;
}

/** A CmsReader that reports defects through `fail`. */
export function cmsReader(fail: CmsFail): CmsReader {
  const r: CmsReader = {
    kids(n, what) {
      if (!n || !Array.isArray(n.value)) fail('not-constructed', what);
      return n.value as Asn1[];
    },
    oid(n, what) {
      if (!n || n.type !== Type.OID || typeof n.value !== 'string') fail('not-oid', what);
      return forge.asn1.derToOid(n.value as string);
    },
    octets(n, what) {
      if (!n) fail('no-octets', what);
      if (typeof n.value === 'string') return Buffer.from(n.value, 'binary');
      return Buffer.concat((n.value as Asn1[]).map((c) => r.octets(c, what)));
    },
  };
  return r;
}

/** DER encoding of a forge node. */
export function derOf(n: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(n).getBytes(), 'binary');
}

/** node:crypto hash name of each supported digestAlgorithm OID (SHA-1 included: devices still use it). */
export const DIGEST_HASHES: Readonly<Record<string, string>> = { [OID.sha1]: 'sha1', [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };

/**
 * Supported signatureAlgorithm OIDs (RSA PKCS#1 v1.5, ECDSA) → the hash they fix, or null when
 * the OID names only the key type and the digestAlgorithm's hash applies.
 */
export const SIGNATURE_HASHES: Readonly<Record<string, string | null>> = {
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

/**
 * Reads SignedData's optional `[0] certificates` (and skips `[1] crls`) starting at `sd[start]`
 * (index 3: after version, digestAlgorithms, encapContentInfo). Non-certificate choices are
 * skipped. Returns the certificates and the index of `signerInfos`. Reports `bad-certificate`.
 */
export function readCertificates(sd: Asn1[], start: number, r: CmsReader, fail: CmsFail): { certs: X509Certificate[]; next: number } {
  const certs: X509Certificate[] = [];
  let i = start;
  while (sd[i] && sd[i].tagClass === Class.CONTEXT_SPECIFIC) {
    if (sd[i].type === 0) {
      for (const c of r.kids(sd[i], 'certificates')) {
        if (c.tagClass !== Class.UNIVERSAL) continue;
        try {
          certs.push(new X509Certificate(derOf(c)));
        } catch (err) {
          fail('bad-certificate', 'certificates', (err as Error).message);
        }
      }
    }
    i++;
  }
  return { certs, next: i };
}

/** The fields of one SignerInfo (RFC 5652 §5.3). OIDs dotted. */
export interface SignerInfoFields {
  /** SubjectKeyIdentifier bytes when `sidIsSki`, else the DER IssuerAndSerialNumber. */
  sid: Buffer;
  sidIsSki: boolean;
  digestOid: string;
  /** DER of signedAttrs re-tagged as SET OF (the signature input, §5.4); absent without signed attributes. */
  signedAttrs?: Buffer;
  /** Signed attribute values by attribute type OID. */
  attrs: Map<string, Asn1[]>;
  sigOid: string;
  signature: Buffer;
}

/** Reads one SignerInfo node. Reports structural defects through `r`. */
export function readSignerInfo(node: Asn1, r: CmsReader): SignerInfoFields {
  const si = r.kids(node, 'SignerInfo');
  const sidIsSki = si[1].tagClass === Class.CONTEXT_SPECIFIC;
  const sid = sidIsSki ? r.octets(si[1], 'subjectKeyIdentifier') : derOf(si[1]);
  const digestOid = r.oid(r.kids(si[2], 'digestAlgorithm')[0], 'digestAlgorithm');
  let j = 3;
  let signedAttrs: Buffer | undefined;
  const attrs = new Map<string, Asn1[]>();
  if (si[j] && si[j].tagClass === Class.CONTEXT_SPECIFIC && si[j].type === 0) {
    signedAttrs = derOf(si[j]);
    signedAttrs[0] = 0x31; // [0] IMPLICIT → SET OF for the signature input (RFC 5652 §5.4)
    for (const a of r.kids(si[j], 'signedAttrs')) {
      const ak = r.kids(a, 'Attribute');
      attrs.set(r.oid(ak[0], 'attribute type'), r.kids(ak[1], 'attribute values'));
    }
    j++;
  }
  const sigOid = r.oid(r.kids(si[j++], 'signatureAlgorithm')[0], 'signatureAlgorithm');
  const signature = r.octets(si[j], 'signature');
  return { sid, sidIsSki, digestOid, signedAttrs, attrs, sigOid, signature };
}

const lenient = cmsReader((defect, what) => {
  throw new Error(`${what}: ${defect}`);
});

/** The SubjectKeyIdentifier extension (2.5.29.14) of `cert`, or undefined (node:crypto has no accessor). */
export function subjectKeyId(cert: X509Certificate): Buffer | undefined {
  try {
    const tbs = lenient.kids(lenient.kids(forge.asn1.fromDer(forge.util.createBuffer(cert.raw.toString('binary'))), 'cert')[0], 'tbs');
    const ext = tbs.find((n) => n.tagClass === Class.CONTEXT_SPECIFIC && n.type === 3);
    for (const e of ext ? lenient.kids(lenient.kids(ext, 'ext')[0], 'exts') : []) {
      const ek = lenient.kids(e, 'ext');
      if (lenient.oid(ek[0], 'ext') === '2.5.29.14') return lenient.octets(forge.asn1.fromDer(forge.util.createBuffer(lenient.octets(ek[ek.length - 1], 'ski').toString('binary'))), 'ski');
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The certificate among `certs` that the SignerInfo's sid names, or undefined. */
export function findSignerCertificate(certs: readonly X509Certificate[], si: Pick<SignerInfoFields, 'sid' | 'sidIsSki'>): X509Certificate | undefined {
  return certs.find((c) => {
    try {
      return si.sidIsSki ? subjectKeyId(c)?.equals(si.sid) : issuerAndSerialNumber(c.raw).equals(si.sid);
    } catch {
      return false;
    }
  });
}

/**
 * Whether the messageDigest signed attribute equals the `hash` (node:crypto name) of `content`:
 * undefined when the attribute is absent. Reports a missing OCTET STRING through `r`.
 */
export function messageDigestMatches(si: SignerInfoFields, content: Buffer, hash: string, r: CmsReader): boolean | undefined {
  const md = si.attrs.get(OID.messageDigest)?.[0];
  return md ? r.octets(md, 'messageDigest').equals(createHash(hash).update(content).digest()) : undefined;
}

/** Whether the contentType signed attribute is id-data: undefined when absent. Reports a non-OID through `r`. */
export function contentTypeIsData(si: SignerInfoFields, r: CmsReader): boolean | undefined {
  const ct = si.attrs.get(OID.contentType)?.[0];
  return ct ? r.oid(ct, 'contentType attribute') === OID.data : undefined;
}

/**
 * Checks the SignerInfo's signature with `signer`'s public key over the signed attributes (or
 * `content` without them), hashing with the signature algorithm's hash or else `digestHash`.
 * Returns false for a wrong signature; throws node:crypto's error when it cannot be checked.
 */
export function verifySignerSignature(si: SignerInfoFields, content: Buffer, signer: X509Certificate, digestHash: string): boolean {
  return cryptoVerify(SIGNATURE_HASHES[si.sigOid] ?? digestHash, si.signedAttrs ?? content, signer.publicKey, si.signature);
}
