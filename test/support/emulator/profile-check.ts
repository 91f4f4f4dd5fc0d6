/**
 * Device-side checks of a configuration profile received by MCInstall InstallProfile: unwrap a
 * CMS signature (verified, cms-verify.ts) or take a plain XML/binary plist, then check the
 * structure as a device does — top level PayloadType "Configuration" with PayloadIdentifier,
 * PayloadUUID, PayloadVersion (1) and PayloadContent (array); every payload with PayloadType,
 * PayloadIdentifier, PayloadUUID, PayloadVersion; unique PayloadUUIDs; a com.apple.mdm payload's
 * IdentityCertificateUUID must name a payload of the same profile. Failures become MCInstall
 * ErrorChain entries. Error domains/codes follow Apple's MDM error-code list (MCProfileErrorDomain
 * 1000 malformed, 1001 unsupported version, 1002 missing field, 1003 bad type, 1004 bad signature,
 * 1007 non-unique UUIDs; MCPayloadErrorDomain 2002 missing field, 2003 bad type, 2004 unsupported
 * value); Apple's configuration-profile key names (Configuration Profile Reference).
 */
import { decodePlist, isPlistDict, type PlistDict, type PlistValue } from '../../../main/apple/wire';
import { CmsVerifyError, looksLikeSignedData, verifySignedData } from './cms-verify';

/** One MCInstall ErrorChain entry. */
export interface McError extends PlistDict {
  ErrorDomain: string;
  ErrorCode: number;
  LocalizedDescription: string;
  USEnglishDescription: string;
}

/** Thrown when a profile is refused; `chain` is the ErrorChain to answer (outermost first). */
export class ProfileRejected extends Error {
  constructor(readonly chain: McError[]) {
    super(chain.map((e) => `${e.ErrorDomain} ${e.ErrorCode}: ${e.USEnglishDescription}`).join('; '));
    this.name = 'ProfileRejected';
  }
}

/** A profile that passed the checks. */
export interface CheckedProfile {
  profile: PlistDict;
  signed: boolean;
}

function mcError(ErrorDomain: string, ErrorCode: number, text: string): McError {
  return { ErrorDomain, ErrorCode, LocalizedDescription: text, USEnglishDescription: text };
}

const profileErr = (code: number, text: string): ProfileRejected => new ProfileRejected([mcError('MCProfileErrorDomain', code, text)]);

function payloadErr(index: number, code: number, text: string): ProfileRejected {
  return new ProfileRejected([
    mcError('MCProfileErrorDomain', 1009, 'The profile could not be installed.'),
    mcError('MCPayloadErrorDomain', code, `Payload ${index + 1}: ${text}`),
  ]);
}

function isPositiveInteger(v: PlistValue | undefined): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/**
 * Decodes and checks `payload` (the InstallProfile `Payload`: CMS DER bytes, plist bytes, or an
 * already decoded dictionary). Returns the profile; throws ProfileRejected with the ErrorChain.
 */
export function checkProfile(payload: Uint8Array | PlistDict): CheckedProfile {
  let profile: PlistValue;
  let signed = false;
  if (isPlistDict(payload)) {
    profile = payload;
  } else {
    let bytes: Buffer = Buffer.from(payload);
    if (bytes.length === 0) throw profileErr(1005, 'The profile is empty.');
    if (bytes[0] === 0x30) {
      if (!looksLikeSignedData(bytes)) throw profileErr(1000, 'The profile is malformed: DER data that is not CMS SignedData.');
      try {
        bytes = verifySignedData(bytes).content;
      } catch (err) {
        if (err instanceof CmsVerifyError) throw profileErr(1004, `The profile signature could not be verified: ${err.message}`);
        throw err;
      }
      signed = true;
    }
    try {
      profile = decodePlist(bytes, 'profile');
    } catch {
      throw profileErr(1000, 'The profile is malformed: not a property list.');
    }
  }
  if (!isPlistDict(profile)) throw profileErr(1000, 'The profile is malformed: the top level is not a dictionary.');
  checkStructure(profile);
  return { profile, signed };
}

function checkStructure(p: PlistDict): void {
  for (const key of ['PayloadType', 'PayloadIdentifier', 'PayloadUUID']) {
    if (p[key] === undefined) throw profileErr(1002, `The profile is missing the required field “${key}”.`);
    if (typeof p[key] !== 'string' || p[key] === '') throw profileErr(1003, `The profile field “${key}” must be a non-empty string.`);
  }
  if (p.PayloadType !== 'Configuration') throw profileErr(1000, `The profile is malformed: PayloadType is “${String(p.PayloadType)}”, expected “Configuration”.`);
  if (p.PayloadVersion === undefined) throw profileErr(1002, 'The profile is missing the required field “PayloadVersion”.');
  if (!isPositiveInteger(p.PayloadVersion)) throw profileErr(1003, 'The profile field “PayloadVersion” must be an integer.');
  if (p.PayloadVersion !== 1) throw profileErr(1001, `The profile version ${String(p.PayloadVersion)} is not supported.`);
  if (p.PayloadContent === undefined) throw profileErr(1002, 'The profile is missing the required field “PayloadContent”.');
  if (!Array.isArray(p.PayloadContent)) throw profileErr(1003, 'The profile field “PayloadContent” must be an array.');
  for (const key of ['PayloadDisplayName', 'PayloadDescription', 'PayloadOrganization']) {
    if (p[key] !== undefined && typeof p[key] !== 'string') throw profileErr(1003, `The profile field “${key}” must be a string.`);
  }
  if (p.PayloadRemovalDisallowed !== undefined && typeof p.PayloadRemovalDisallowed !== 'boolean') {
    throw profileErr(1003, 'The profile field “PayloadRemovalDisallowed” must be a boolean.');
  }
  const uuids = new Set<string>([p.PayloadUUID as string]);
  const payloads = p.PayloadContent;
  payloads.forEach((item, index) => {
    if (!isPlistDict(item)) throw payloadErr(index, 2000, 'the payload is not a dictionary.');
    for (const key of ['PayloadType', 'PayloadIdentifier', 'PayloadUUID']) {
      if (item[key] === undefined) throw payloadErr(index, 2002, `missing the required field “${key}”.`);
      if (typeof item[key] !== 'string' || item[key] === '') throw payloadErr(index, 2003, `the field “${key}” must be a non-empty string.`);
    }
    if (item.PayloadVersion === undefined) throw payloadErr(index, 2002, 'missing the required field “PayloadVersion”.');
    if (!isPositiveInteger(item.PayloadVersion)) throw payloadErr(index, 2003, 'the field “PayloadVersion” must be an integer.');
    const uuid = item.PayloadUUID as string;
    if (uuids.has(uuid)) throw profileErr(1007, `The profile contains a duplicate PayloadUUID “${uuid}”.`);
    uuids.add(uuid);
  });
  payloads.forEach((item, index) => {
    const d = item as PlistDict;
    if (d.PayloadType !== 'com.apple.mdm') return;
    const ref = d.IdentityCertificateUUID;
    if (ref === undefined) throw payloadErr(index, 2002, 'missing the required field “IdentityCertificateUUID”.');
    if (typeof ref !== 'string') throw payloadErr(index, 2003, 'the field “IdentityCertificateUUID” must be a string.');
    const target = payloads.find((x) => isPlistDict(x) && x.PayloadUUID === ref && x !== d);
    if (!target) throw payloadErr(index, 2004, `IdentityCertificateUUID “${ref}” does not match any payload in the profile.`);
  });
}
