/**
 * Public face of the profile module: payload catalog, typed plist XML, enrollment/Wi-Fi profile
 * builders, validation, PKCS#12 import, CMS signing and verification. See docs in each file.
 *
 * Typical use (CLI `stagebench profile build|sign|verify`):
 *   const { xml, issues } = buildEnrollmentProfile(spec); assertNoErrors(issues);
 *   const identity = importPkcs12(p12Bytes, password);
 *   const signed = signProfile(xml, identity);
 *   const report = inspectProfile(signed, { caPem });
 */
export { payloadCatalog, skipKeyCatalog, catalogPayload, findKey, compareVersions, checkOsSupport } from './catalog';
export type * from './catalog-types';
export { APPLE_OSES } from './catalog-types';
export { PlistReal, PlistXmlError, buildTypedPlist, parseTypedPlist, parseTypedPlistDict, plistTypeOf, isTypedDict } from './plist-xml';
export type { TypedPlistValue, TypedPlistDict, PlistTypeName } from './plist-xml';
export { buildEnrollmentProfile, anchorPayloads, ALL_ACCESS_RIGHTS, TARGET_DEVICE_TYPE } from './enrollment';
export type { EnrollmentProfileSpec, ScepSpec, AcmeSpec, Pkcs12PayloadSpec, TargetOS } from './enrollment';
export { buildWifiProfile, wifiPayload, sanitiseSsid } from './wifi';
export type { WifiSpec, WifiProfileSpec, WifiEncryption, BuiltProfile } from './wifi';
export { validateProfile, appleOsName, IDENTITY_PAYLOAD_TYPES } from './validate';
export type { ValidateOptions, ValidationTarget } from './validate';
export {
  ProfileValidationError,
  ProfileSpecError,
  Pkcs12PasswordError,
  Pkcs12ContentError,
  SigningIdentityError,
  ProfileFormatError,
  assertNoErrors,
  formatIssue,
} from './errors';
export type { ValidationIssue, IssueSeverity } from './errors';
export { parseSubject, formatSubject } from './subject';
export type { SubjectArray } from './subject';
export { stablePayloadUUID, uuidV5 } from './uuid';
export { importPkcs12 } from './pkcs12';
export { exportSigningIdentity, signingIdentityFromStored, signingIdentityFromPem, makeSigningIdentity } from './identity';
export type { SigningIdentity, StoredSigningIdentity, SigningKeyAlgorithm } from './identity';
export { signProfile } from './sign';
export type { SignOptions } from './sign';
export { inspectProfile, unsignProfile } from './verify';
export type { InspectOptions, ProfileInspection } from './verify';
export { certificatesFromPemOrDer, summariseCertificate } from './certificates';
export type { CertificateSummary } from './certificates';
