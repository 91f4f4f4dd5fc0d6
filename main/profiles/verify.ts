/**
 * Inspection, verification and unsigning of configuration profiles: signed (CMS SignedData DER,
 * RFC 5652, or the same PEM-armoured as `-----BEGIN PKCS7-----`/`CMS`) or plain XML plists.
 * Untrusted CMS is parsed with node-forge's asn1 (./cms-parse, shared with the device-signed data
 * check in main/dep/enrollment); hashes and signature checks use node:crypto.
 */
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { decodePlistDict } from '../apple/wire';
import { buildIssuerChain, certificatesFromPemOrDer, isSelfSigned, oneLineName, summariseCertificate, type CertificateSummary } from './certificates';
import {
  cmsReader, contentTypeIsData, DIGEST_HASHES, findSignerCertificate, messageDigestMatches, readCertificates, readSignerInfo, SIGNATURE_HASHES, verifySignerSignature,
  type Asn1, type CmsFail, type SignerInfoFields,
} from './cms-parse';
import { OID } from './der';
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

const fail: CmsFail = (defect, what, detail) => {
  switch (defect) {
    case 'not-constructed': throw new ProfileFormatError(`corrupt CMS: ${what} is not a constructed value`);
    case 'not-oid': throw new ProfileFormatError(`corrupt CMS: ${what} is not an OBJECT IDENTIFIER`);
    case 'no-octets': throw new ProfileFormatError('corrupt CMS: an OCTET STRING is missing');
    case 'bad-certificate': throw new ProfileFormatError(`a certificate in the CMS does not parse: ${detail}`);
  }
};
const r = cmsReader(fail);
const { Type } = forge.asn1;

function isCms(buf: Buffer): boolean {
  return buf.length > 2 && buf[0] === 0x30;
}

function fromPemArmour(buf: Buffer): Buffer | undefined {
  const m = /-----BEGIN (PKCS7|CMS)-----([\s\S]*?)-----END \1-----/.exec(buf.toString('latin1'));
  return m ? Buffer.from(m[2].replace(/\s+/g, ''), 'base64') : undefined;
}

/** The parts of a signed profile's CMS that inspection uses: content, certificates, the first signer. */
interface ParsedCms extends SignerInfoFields {
  content: Buffer;
  certs: X509Certificate[];
}

function parseCms(buf: Buffer): ParsedCms {
  let ci: Asn1;
  try {
    ci = forge.asn1.fromDer(forge.util.createBuffer(buf.toString('binary')), true);
  } catch (err) {
    throw new ProfileFormatError(`not a valid CMS (PKCS#7) structure: ${(err as Error).message}`);
  }
  const ciKids = r.kids(ci, 'ContentInfo');
  const ctype = r.oid(ciKids[0], 'ContentInfo.contentType');
  if (ctype !== OID.signedData) throw new ProfileFormatError(`CMS content type is ${ctype}, not SignedData (${OID.signedData}); only signed profiles are supported`);
  if (!ciKids[1]) throw new ProfileFormatError('corrupt CMS: SignedData is missing');
  const sd = r.kids(r.kids(ciKids[1], 'ContentInfo.content')[0], 'SignedData');
  const encap = r.kids(sd[2], 'encapContentInfo');
  const eType = r.oid(encap[0], 'eContentType');
  if (eType !== OID.data) throw new ProfileFormatError(`signed content type is ${eType}, not id-data`);
  if (!encap[1]) throw new ProfileFormatError('the CMS has no attached content (detached signature); a signed profile must carry its content');
  const content = r.octets(r.kids(encap[1], 'eContent')[0], 'eContent');
  const { certs, next } = readCertificates(sd, 3, r, fail);
  const signerInfos = r.kids(sd[next], 'signerInfos');
  if (signerInfos.length === 0) throw new ProfileFormatError('the CMS has no signer');
  return { content, certs, ...readSignerInfo(signerInfos[0], r) };
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
  const hash = DIGEST_HASHES[cms.digestOid];
  report.digestAlgorithm = hash ?? cms.digestOid;
  report.signatureAlgorithm = cms.sigOid;

  const signer = findSignerCertificate(cms.certs, cms);
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
  else if (!(cms.sigOid in SIGNATURE_HASHES)) report.problems.push(`signature algorithm ${cms.sigOid} is not supported`);
  else if (signer) {
    if (cms.signedAttrs) {
      const md = messageDigestMatches(cms, cms.content, hash, r);
      if (md === undefined) report.problems.push('signed attributes lack messageDigest');
      else if (!md) report.problems.push('messageDigest does not match the content: the profile was modified after signing');
      if (contentTypeIsData(cms, r) === false) report.problems.push('contentType attribute is not id-data');
    }
    try {
      sigOk = verifySignerSignature(cms, cms.content, signer, hash);
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
