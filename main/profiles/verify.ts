/**
 * Inspection, verification and unsigning of configuration profiles: signed (CMS SignedData DER,
 * RFC 5652, or the same PEM-armoured as `-----BEGIN PKCS7-----`/`CMS`) or plain XML plists.
 * Untrusted CMS is parsed with node-forge's asn1; hashes and signature checks use node:crypto.
 */
import { X509Certificate, createHash, verify as cryptoVerify } from 'node:crypto';
import forge from 'node-forge';
import { decodePlistDict } from '../apple/wire';
import { buildIssuerChain, certificatesFromPemOrDer, isSelfSigned, oneLineName, summariseCertificate, type CertificateSummary } from './certificates';
import { issuerAndSerialNumber, OID } from './der';
import { ProfileFormatError } from './errors';
import { parseTypedPlistDict, type TypedPlistDict } from './plist-xml';

/** Options for {@link inspectProfile}: `caPem` (one or more PEM/DER CA certificates) enables chain checks; `now` for validity. */
export interface InspectOptions {
  caPem?: Uint8Array | string;
  now?: Date;
}

/**
 * What {@link inspectProfile} reports. `valid` is true only for a signed profile whose CMS
 * signature and messageDigest check out and — when a CA is given — whose chain verifies to that
 * CA with every certificate within its validity at `now`. `problems` says why `valid` is false.
 * `content` is the profile plist bytes (the CMS content, or the input when unsigned).
 */
export interface ProfileInspection {
  signed: boolean;
  valid: boolean;
  problems: string[];
  signer?: string;
  chain: CertificateSummary[];
  signingTime?: Date;
  digestAlgorithm?: string;
  signatureAlgorithm?: string;
  content: Buffer;
  payloads: string[];
  identifier?: string;
  uuid?: string;
  displayName?: string;
  /** The parsed top-level dictionary when the content is an XML plist (types kept). */
  profile?: TypedPlistDict;
}

const HASHES: Record<string, string> = { [OID.sha1]: 'sha1', [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };
const SIG_ALGS: Record<string, { kind: 'rsa' | 'ec'; hash?: string }> = {
  [OID.rsaEncryption]: { kind: 'rsa' },
  [OID.sha1WithRSAEncryption]: { kind: 'rsa', hash: 'sha1' },
  [OID.sha256WithRSAEncryption]: { kind: 'rsa', hash: 'sha256' },
  [OID.sha384WithRSAEncryption]: { kind: 'rsa', hash: 'sha384' },
  [OID.sha512WithRSAEncryption]: { kind: 'rsa', hash: 'sha512' },
  [OID.ecPublicKey]: { kind: 'ec' },
  [OID.ecdsaWithSHA1]: { kind: 'ec', hash: 'sha1' },
  [OID.ecdsaWithSHA256]: { kind: 'ec', hash: 'sha256' },
  [OID.ecdsaWithSHA384]: { kind: 'ec', hash: 'sha384' },
  [OID.ecdsaWithSHA512]: { kind: 'ec', hash: 'sha512' },
};

type Asn1 = forge.asn1.Asn1;
const { Class, Type } = forge.asn1;

function kids(node: Asn1 | undefined, what: string): Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new ProfileFormatError(`corrupt CMS: ${what} is not a constructed value`);
  return node.value;
}

function oidOf(node: Asn1 | undefined, what: string): string {
  if (!node || node.type !== Type.OID || typeof node.value !== 'string') throw new ProfileFormatError(`corrupt CMS: ${what} is not an OBJECT IDENTIFIER`);
  return forge.asn1.derToOid(node.value);
}

function octets(node: Asn1 | undefined): Buffer {
  if (!node) throw new ProfileFormatError('corrupt CMS: an OCTET STRING is missing');
  if (typeof node.value === 'string') return Buffer.from(node.value, 'binary');
  return Buffer.concat(node.value.map(octets));
}

function der(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

function isCms(buf: Buffer): boolean {
  return buf.length > 2 && buf[0] === 0x30;
}

function fromPemArmour(buf: Buffer): Buffer | undefined {
  const m = /-----BEGIN (PKCS7|CMS)-----([\s\S]*?)-----END \1-----/.exec(buf.toString('latin1'));
  return m ? Buffer.from(m[2].replace(/\s+/g, ''), 'base64') : undefined;
}

interface ParsedCms {
  content: Buffer;
  certs: X509Certificate[];
  sid: Buffer;
  sidIsSki: boolean;
  digestOid: string;
  signedAttrs?: Buffer;
  attrs: Map<string, Asn1[]>;
  sigOid: string;
  signature: Buffer;
}

function parseCms(buf: Buffer): ParsedCms {
  let ci: Asn1;
  try {
    ci = forge.asn1.fromDer(forge.util.createBuffer(buf.toString('binary')), true);
  } catch (err) {
    throw new ProfileFormatError(`not a valid CMS (PKCS#7) structure: ${(err as Error).message}`);
  }
  const ciKids = kids(ci, 'ContentInfo');
  const ctype = oidOf(ciKids[0], 'ContentInfo.contentType');
  if (ctype !== OID.signedData) throw new ProfileFormatError(`CMS content type is ${ctype}, not SignedData (${OID.signedData}); only signed profiles are supported`);
  if (!ciKids[1]) throw new ProfileFormatError('corrupt CMS: SignedData is missing');
  const sd = kids(kids(ciKids[1], 'ContentInfo.content')[0], 'SignedData');
  let i = 2;
  const encap = kids(sd[i++], 'encapContentInfo');
  const eType = oidOf(encap[0], 'eContentType');
  if (eType !== OID.data) throw new ProfileFormatError(`signed content type is ${eType}, not id-data`);
  if (!encap[1]) throw new ProfileFormatError('the CMS has no attached content (detached signature); a signed profile must carry its content');
  const content = octets(kids(encap[1], 'eContent')[0]);
  const certs: X509Certificate[] = [];
  while (sd[i] && sd[i].tagClass === Class.CONTEXT_SPECIFIC) {
    if (sd[i].type === 0) {
      for (const c of kids(sd[i], 'certificates')) {
        if (c.tagClass !== Class.UNIVERSAL) continue;
        try {
          certs.push(new X509Certificate(der(c)));
        } catch (err) {
          throw new ProfileFormatError(`a certificate in the CMS does not parse: ${(err as Error).message}`);
        }
      }
    }
    i++;
  }
  const signerInfos = kids(sd[i], 'signerInfos');
  if (signerInfos.length === 0) throw new ProfileFormatError('the CMS has no signer');
  const si = kids(signerInfos[0], 'SignerInfo');
  const sidNode = si[1];
  const sidIsSki = sidNode.tagClass === Class.CONTEXT_SPECIFIC;
  const sid = sidIsSki ? octets(sidNode) : der(sidNode);
  const digestOid = oidOf(kids(si[2], 'digestAlgorithm')[0], 'digestAlgorithm');
  let j = 3;
  let signedAttrs: Buffer | undefined;
  const attrs = new Map<string, Asn1[]>();
  if (si[j] && si[j].tagClass === Class.CONTEXT_SPECIFIC && si[j].type === 0) {
    signedAttrs = der(si[j]);
    signedAttrs[0] = 0x31; // [0] IMPLICIT → SET OF for the signature input (RFC 5652 §5.4)
    for (const a of kids(si[j], 'signedAttrs')) {
      const ak = kids(a, 'Attribute');
      attrs.set(oidOf(ak[0], 'attribute type'), kids(ak[1], 'attribute values'));
    }
    j++;
  }
  const sigOid = oidOf(kids(si[j++], 'signatureAlgorithm')[0], 'signatureAlgorithm');
  const signature = octets(si[j]);
  return { content, certs, sid, sidIsSki, digestOid, signedAttrs, attrs, sigOid, signature };
}

function subjectKeyId(cert: X509Certificate): Buffer | undefined {
  // node:crypto has no SKI accessor; read extension 2.5.29.14 via forge's asn1 (certificate is trusted-parsed already).
  try {
    const asn = forge.asn1.fromDer(forge.util.createBuffer(cert.raw.toString('binary')));
    const tbs = kids(kids(asn, 'cert')[0], 'tbs');
    const ext = tbs.find((n) => n.tagClass === Class.CONTEXT_SPECIFIC && n.type === 3);
    if (!ext) return undefined;
    for (const e of kids(kids(ext, 'ext')[0], 'exts')) {
      const ek = kids(e, 'ext');
      if (oidOf(ek[0], 'ext') === '2.5.29.14') {
        const inner = forge.asn1.fromDer(forge.util.createBuffer(octets(ek[ek.length - 1]).toString('binary')));
        return octets(inner);
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function describeContent(content: Buffer, report: ProfileInspection): void {
  let dict: TypedPlistDict | Record<string, unknown>;
  try {
    if (content.subarray(0, 6).toString('latin1') === 'bplist') dict = decodePlistDict(content, 'profile content') as Record<string, unknown>;
    else {
      dict = parseTypedPlistDict(content);
      report.profile = dict as TypedPlistDict;
    }
  } catch (err) {
    throw new ProfileFormatError(`the profile content is not a property list: ${(err as Error).message}`);
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  report.identifier = str(dict.PayloadIdentifier);
  report.uuid = str(dict.PayloadUUID);
  report.displayName = str(dict.PayloadDisplayName);
  const pc = dict.PayloadContent;
  report.payloads = Array.isArray(pc) ? pc.map((p) => (p && typeof p === 'object' && 'PayloadType' in p ? String((p as Record<string, unknown>).PayloadType) : '(no PayloadType)')) : [];
}

function withinValidity(c: X509Certificate, now: Date): boolean {
  return new Date(c.validFrom) <= now && now <= new Date(c.validTo);
}

/**
 * Inspects profile bytes: signed CMS (DER or PEM-armoured) or unsigned XML/binary plist. Reports
 * signer, chain (signer first, then issuers), signing time, content, PayloadType list and the
 * profile's PayloadIdentifier/PayloadUUID/PayloadDisplayName, and whether the signature is valid
 * (see {@link ProfileInspection}). Throws ProfileFormatError for input that is neither, for a
 * corrupt CMS structure, or for signed content that is not a plist; an invalid signature is
 * reported (`valid: false`), not thrown.
 */
export function inspectProfile(bytes: Uint8Array, options: InspectOptions = {}): ProfileInspection {
  let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length === 0) throw new ProfileFormatError('the profile is empty');
  const now = options.now ?? new Date();
  const armoured = fromPemArmour(buf);
  if (armoured) buf = armoured;
  const report: ProfileInspection = { signed: false, valid: false, problems: [], chain: [], content: buf, payloads: [] };
  if (!isCms(buf)) {
    const head = buf.subarray(0, 64).toString('latin1');
    if (!/^(\uFEFF|\xEF\xBB\xBF)?\s*(<\?xml|<!DOCTYPE|<plist)/.test(head) && !head.startsWith('bplist')) {
      throw new ProfileFormatError('neither a signed profile (CMS/PKCS#7 DER) nor an XML property list; give a .mobileconfig file');
    }
    describeContent(buf, report);
    report.problems.push('the profile is not signed');
    return report;
  }

  let cms: ParsedCms;
  try {
    cms = parseCms(buf);
  } catch (err) {
    if (err instanceof ProfileFormatError) throw err;
    throw new ProfileFormatError(`corrupt CMS (PKCS#7) structure: ${(err as Error).message}`);
  }
  report.signed = true;
  report.content = cms.content;
  describeContent(cms.content, report);
  const hash = HASHES[cms.digestOid];
  report.digestAlgorithm = hash ?? cms.digestOid;
  const sigAlg = SIG_ALGS[cms.sigOid];
  report.signatureAlgorithm = cms.sigOid;

  const signer = cms.certs.find((c) => {
    try {
      return cms.sidIsSki ? subjectKeyId(c)?.equals(cms.sid) : issuerAndSerialNumber(c.raw).equals(cms.sid);
    } catch {
      return false;
    }
  });
  if (!signer) {
    report.problems.push('the signer certificate is not in the CMS; it cannot be verified');
  }
  const others = cms.certs.filter((c) => c !== signer);
  const chain = signer ? [signer, ...buildIssuerChain(signer, others)] : [];
  const ordered = [...chain, ...cms.certs.filter((c) => !chain.includes(c))];
  report.chain = ordered.map(summariseCertificate);
  if (signer) report.signer = oneLineName(signer.subject);

  const st = cms.attrs.get(OID.signingTime)?.[0];
  if (st && typeof st.value === 'string') {
    try {
      report.signingTime = st.type === Type.UTCTIME ? forge.asn1.utcTimeToDate(st.value) : forge.asn1.generalizedTimeToDate(st.value);
    } catch {
      report.problems.push('signingTime attribute is malformed');
    }
  }

  let sigOk = false;
  if (!hash) report.problems.push(`digest algorithm ${cms.digestOid} is not supported`);
  else if (!sigAlg) report.problems.push(`signature algorithm ${cms.sigOid} is not supported`);
  else if (signer) {
    const digest = createHash(hash).update(cms.content).digest();
    let input = cms.content;
    if (cms.signedAttrs) {
      const md = cms.attrs.get(OID.messageDigest)?.[0];
      const ct = cms.attrs.get(OID.contentType)?.[0];
      if (!md) report.problems.push('signed attributes lack messageDigest');
      else if (!octets(md).equals(digest)) report.problems.push('messageDigest does not match the content: the profile was modified after signing');
      if (ct && oidOf(ct, 'contentType attribute') !== OID.data) report.problems.push('contentType attribute is not id-data');
      input = cms.signedAttrs;
    }
    try {
      sigOk = cryptoVerify(sigAlg.hash ?? hash, input, signer.publicKey, cms.signature);
    } catch (err) {
      report.problems.push(`signature could not be checked: ${(err as Error).message}`);
    }
    if (!sigOk && !report.problems.some((p) => p.startsWith('signature could not'))) report.problems.push('the signature does not verify with the signer certificate: the profile or its signed attributes were modified');
  }

  let chainOk = true;
  if (options.caPem !== undefined && signer) {
    let cas: X509Certificate[];
    try {
      cas = certificatesFromPemOrDer(options.caPem, 'CA certificate').map((d) => new X509Certificate(d));
    } catch (err) {
      throw new ProfileFormatError((err as Error).message);
    }
    chainOk = false;
    const path: X509Certificate[] = [];
    for (const cert of chain) {
      path.push(cert);
      if (cas.some((ca) => ca.raw.equals(cert.raw))) {
        chainOk = true;
        break;
      }
      const anchor = cas.find((ca) => {
        try {
          return cert.checkIssued(ca) && cert.verify(ca.publicKey);
        } catch {
          return false;
        }
      });
      if (anchor) {
        path.push(anchor);
        chainOk = true;
        break;
      }
      if (isSelfSigned(cert)) break;
    }
    if (!chainOk) report.problems.push('the signer chain does not lead to the given CA; check you passed the right CA certificate');
    for (const [idx, c] of path.entries()) {
      if (!withinValidity(c, now)) {
        chainOk = false;
        report.problems.push(`certificate ${oneLineName(c.subject)} is not valid at ${now.toISOString()} (valid ${new Date(c.validFrom).toISOString()} – ${new Date(c.validTo).toISOString()})`);
      }
      if (idx > 0 && !c.ca) {
        chainOk = false;
        report.problems.push(`certificate ${oneLineName(c.subject)} issues others but is not a CA (basicConstraints)`);
      }
    }
  }
  report.valid = sigOk && chainOk && report.problems.length === 0;
  return report;
}

/**
 * Returns the profile plist bytes: the attached content of a signed profile (signature not
 * required to be valid — check with {@link inspectProfile}) or the input itself when unsigned.
 * Throws ProfileFormatError as inspectProfile does.
 */
export function unsignProfile(bytes: Uint8Array): Buffer {
  return inspectProfile(bytes).content;
}
