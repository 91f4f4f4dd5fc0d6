/**
 * Enrollment-profile builder: a top-level Configuration profile (Apple schema `TopLevel.yaml`)
 * holding `com.apple.mdm`, one identity payload (`com.apple.security.scep`, `.acme` or `.pkcs12`),
 * `com.apple.security.root` anchors and an optional `com.apple.wifi.managed` payload. Shapes follow
 * ../shared/reference/profiles-and-tenant-api.md §2–§6 (Apple's schema YAML; nanomdm/fleet samples).
 *
 * PayloadUUIDs are derived (UUIDv5, see ./uuid) from the profile PayloadIdentifier and the payload
 * role, so rebuilding the same logical profile replaces it in place on the device.
 * The profile carries secrets the device needs (SCEP `Challenge`, PKCS#12 `Password`, Wi-Fi
 * `Password`): callers must treat the XML as secret and never log it.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { certificatesFromPemOrDer, commonName } from './certificates';
import { ProfileSpecError } from './errors';
import { buildTypedPlist, PlistReal, type TypedPlistDict } from './plist-xml';
import { parseSubject, type SubjectArray } from './subject';
import { stablePayloadUUID } from './uuid';
import { validateProfile } from './validate';
import { sanitiseSsid, wifiPayload, type BuiltProfile, type WifiSpec } from './wifi';

/** Target OS of the profile (CLI `--os`). Maps to Apple's iOS / macOS / tvOS. */
export type TargetOS = 'ios' | 'macos' | 'tvos';

/** Apple `TargetDeviceType` per target OS (TopLevel.yaml: 1 iPhone/iPad, 4 Apple TV, 5 Mac). */
export const TARGET_DEVICE_TYPE: Record<TargetOS, number> = { ios: 1, tvos: 4, macos: 5 };

/** All `com.apple.mdm` AccessRights bits (1 … 4096) = 8191. */
export const ALL_ACCESS_RIGHTS = 8191;

/**
 * SCEP identity (CLI `--scep-url`, `--scep-name`, `--scep-subject`, `--scep-challenge`,
 * `--scep-keysize`, `--scep-key-usage`). Maps to `com.apple.security.scep` `PayloadContent`:
 * URL, Name, Subject (one-line `/CN=x/O=y` or Apple's array form), Challenge (secret), Keysize
 * (1024 | 2048 | 4096, default 2048), `Key Type` (default `RSA`), `Key Usage` (bitmask 1 signing,
 * 4 encryption; default 5), CAFingerprint (data), Retries, RetryDelay (seconds).
 */
export interface ScepSpec {
  url: string;
  name?: string;
  subject?: string | SubjectArray;
  challenge?: string;
  keysize?: number;
  keyType?: string;
  keyUsage?: number;
  caFingerprint?: Uint8Array;
  retries?: number;
  retryDelay?: number;
  subjectAltName?: { rfc822Name?: string; dNSName?: string; uniformResourceIdentifier?: string; ntPrincipalName?: string };
}

/**
 * ACME identity (`com.apple.security.acme`, keys at payload level): DirectoryURL, ClientIdentifier,
 * KeySize (default 256 for ECSECPrimeRandom, 2048 for RSA), KeyType (default `ECSECPrimeRandom`),
 * HardwareBound (default false), Subject (required), UsageFlags, ExtendedKeyUsage (OID strings),
 * Attest, SubjectAltName.
 */
export interface AcmeSpec {
  directoryUrl: string;
  clientIdentifier: string;
  keyType?: 'RSA' | 'ECSECPrimeRandom';
  keySize?: number;
  hardwareBound?: boolean;
  subject: string | SubjectArray;
  usageFlags?: number;
  extendedKeyUsage?: string[];
  attest?: boolean;
  subjectAltName?: { rfc822Name?: string; dNSName?: string; uniformResourceIdentifier?: string; ntPrincipalName?: string };
}

/** PKCS#12 identity embedded in the profile (`com.apple.security.pkcs12`): file bytes + password. */
export interface Pkcs12PayloadSpec {
  p12: Uint8Array;
  password?: string;
  fileName?: string;
}

/**
 * Everything that defines an enrollment profile; maps 1:1 to `stagebench profile build` flags.
 *
 * - `name` → PayloadDisplayName; `identifier` → top-level PayloadIdentifier (reverse-DNS; payload
 *   identifiers are `<identifier>.mdm`, `.scep`, `.acme`, `.pkcs12`, `.root.<sha256-prefix>`,
 *   `.wifi.<ssid>`); `organization` → PayloadOrganization; `description` → PayloadDescription.
 * - `serverUrl`/`checkInUrl` → ServerURL/CheckInURL (https); `topic` → Topic
 *   (`com.apple.mgmt.…`); `accessRights` (default 8191); `signMessage` (default true);
 *   `checkOutWhenRemoved` (default true); `serverCapabilities` (default for macOS
 *   `per-user-connections` + `bootstraptoken`, otherwise none); `useDevelopmentApns`.
 * - exactly one identity: `scep`, `acme` or `pkcs12`; IdentityCertificateUUID points at it.
 * - `anchors`: PEM (one or more certificates) or DER buffers → `com.apple.security.root` payloads.
 * - `wifi`: optional `com.apple.wifi.managed` payload.
 * - `expiresInSeconds` → DurationUntilRemoval (*real*); `removalDate` → RemovalDate (date).
 * - `os` (+ `minOsVersion`, e.g. `'17.0'`) selects validation; `targetDeviceType: true` writes
 *   TargetDeviceType for `os` (1 iOS, 4 tvOS, 5 macOS), a number writes that value.
 * - `scope` → PayloadScope (`System`/`User`, macOS only).
 */
export interface EnrollmentProfileSpec {
  name: string;
  identifier: string;
  organization?: string;
  description?: string;
  serverUrl: string;
  checkInUrl?: string;
  topic: string;
  accessRights?: number;
  signMessage?: boolean;
  checkOutWhenRemoved?: boolean;
  serverCapabilities?: string[];
  useDevelopmentApns?: boolean;
  scep?: ScepSpec;
  acme?: AcmeSpec;
  pkcs12?: Pkcs12PayloadSpec;
  anchors?: (Uint8Array | string)[];
  wifi?: WifiSpec;
  expiresInSeconds?: number;
  removalDate?: Date;
  os: TargetOS;
  minOsVersion?: string;
  targetDeviceType?: boolean | number;
  scope?: 'System' | 'User';
}

const REVERSE_DNS = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

function subjectArray(s: string | SubjectArray, what: string): SubjectArray {
  if (typeof s === 'string') return parseSubject(s);
  if (!Array.isArray(s) || !s.every((rdn) => Array.isArray(rdn) && rdn.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string')))) {
    throw new ProfileSpecError(`${what} subject must be "/CN=…/O=…" or an array of arrays of [OID, value] pairs`);
  }
  return s;
}

function commonKeys(type: string, identifier: string, uuid: string, displayName: string, organization?: string): TypedPlistDict {
  return { PayloadType: type, PayloadVersion: 1, PayloadIdentifier: identifier, PayloadUUID: uuid, PayloadDisplayName: displayName, PayloadOrganization: organization };
}

function scepPayload(scep: ScepSpec, id: string, uuid: string, org?: string): TypedPlistDict {
  if (!scep.url) throw new ProfileSpecError('SCEP URL is empty: give --scep-url https://…');
  return {
    ...commonKeys('com.apple.security.scep', id, uuid, 'Device Identity (SCEP)', org),
    PayloadContent: {
      URL: scep.url,
      Name: scep.name,
      Subject: scep.subject === undefined ? undefined : subjectArray(scep.subject, 'SCEP'),
      Challenge: scep.challenge,
      Keysize: scep.keysize ?? 2048,
      'Key Type': scep.keyType ?? 'RSA',
      'Key Usage': scep.keyUsage ?? 5,
      CAFingerprint: scep.caFingerprint,
      Retries: scep.retries,
      RetryDelay: scep.retryDelay,
      SubjectAltName: scep.subjectAltName,
    },
  };
}

function acmePayload(acme: AcmeSpec, id: string, uuid: string, org?: string): TypedPlistDict {
  const keyType = acme.keyType ?? 'ECSECPrimeRandom';
  return {
    ...commonKeys('com.apple.security.acme', id, uuid, 'Device Identity (ACME)', org),
    DirectoryURL: acme.directoryUrl,
    ClientIdentifier: acme.clientIdentifier,
    KeySize: acme.keySize ?? (keyType === 'RSA' ? 2048 : 256),
    KeyType: keyType,
    HardwareBound: acme.hardwareBound ?? false,
    Subject: subjectArray(acme.subject, 'ACME'),
    SubjectAltName: acme.subjectAltName,
    UsageFlags: acme.usageFlags,
    ExtendedKeyUsage: acme.extendedKeyUsage,
    Attest: acme.attest,
  };
}

/**
 * Builds `com.apple.security.root` payloads from PEM/DER inputs (each may hold several PEM
 * certificates). Identifier/role use the first 16 hex digits of the certificate's SHA-256, so the
 * UUID stays stable whatever the order. Throws ProfileSpecError for input that is not a certificate.
 */
export function anchorPayloads(anchors: (Uint8Array | string)[], profileIdentifier: string, organization?: string): TypedPlistDict[] {
  const seen = new Set<string>();
  const out: TypedPlistDict[] = [];
  anchors.forEach((a, i) => {
    let ders: Buffer[];
    try {
      ders = certificatesFromPemOrDer(a, `anchor #${i + 1}`);
    } catch (err) {
      throw new ProfileSpecError((err as Error).message);
    }
    for (const der of ders) {
      const fp = createHash('sha256').update(der).digest('hex').slice(0, 16);
      if (seen.has(fp)) continue;
      seen.add(fp);
      const cn = commonName(new X509Certificate(der));
      out.push({
        ...commonKeys('com.apple.security.root', `${profileIdentifier}.root.${fp}`, stablePayloadUUID(profileIdentifier, `root.${fp}`), cn, organization),
        PayloadCertificateFileName: `${cn.replace(/[^A-Za-z0-9 ._-]+/g, '_')}.cer`,
        PayloadContent: der,
      });
    }
  });
  return out;
}

/**
 * Builds, serialises and validates an enrollment profile. Returns `{ profile, xml, issues,
 * identifier, uuid }`; validation issues (errors and warnings, see ./validate) are returned, not
 * thrown — call `assertNoErrors(issues)` before writing or signing. Throws ProfileSpecError for
 * input that cannot form a profile (no or several identities, bad identifier, bad subject, bad
 * anchor, negative expiry, invalid date).
 */
export function buildEnrollmentProfile(spec: EnrollmentProfileSpec): BuiltProfile {
  const id = spec.identifier;
  if (!REVERSE_DNS.test(id ?? '')) throw new ProfileSpecError(`profile identifier "${id}" must be reverse-DNS, e.g. com.example.mdm.enroll`);
  if (!spec.name) throw new ProfileSpecError('profile name (PayloadDisplayName) is empty: give --name');
  if (!['ios', 'macos', 'tvos'].includes(spec.os)) throw new ProfileSpecError(`target OS "${spec.os}" is not one of ios, macos, tvos`);
  const identities = [spec.scep && 'scep', spec.acme && 'acme', spec.pkcs12 && 'pkcs12'].filter(Boolean) as string[];
  if (identities.length !== 1) {
    throw new ProfileSpecError(identities.length === 0
      ? 'no device identity: give exactly one of SCEP (--scep-url), ACME (--acme-directory-url) or a PKCS#12 (--identity-p12)'
      : `several device identities given (${identities.join(', ')}): keep exactly one`);
  }
  if (spec.expiresInSeconds !== undefined && !(Number.isFinite(spec.expiresInSeconds) && spec.expiresInSeconds > 0)) {
    throw new ProfileSpecError(`expiresInSeconds must be a positive number of seconds (got ${spec.expiresInSeconds})`);
  }
  if (spec.removalDate !== undefined && Number.isNaN(spec.removalDate.getTime())) throw new ProfileSpecError('removalDate is not a valid date; use ISO 8601 such as 2030-01-31T00:00:00Z');
  const org = spec.organization;

  const identityRole = identities[0];
  const identityId = `${id}.${identityRole}`;
  const identityUUID = stablePayloadUUID(id, identityRole);
  let identity: TypedPlistDict;
  if (spec.scep) identity = scepPayload(spec.scep, identityId, identityUUID, org);
  else if (spec.acme) identity = acmePayload(spec.acme, identityId, identityUUID, org);
  else {
    const p = spec.pkcs12!;
    identity = {
      ...commonKeys('com.apple.security.pkcs12', identityId, identityUUID, 'Device Identity (PKCS#12)', org),
      PayloadCertificateFileName: p.fileName ?? 'identity.p12',
      PayloadContent: Buffer.from(p.p12),
      Password: p.password,
    };
  }

  const caps = spec.serverCapabilities ?? (spec.os === 'macos' ? ['com.apple.mdm.per-user-connections', 'com.apple.mdm.bootstraptoken'] : undefined);
  const mdm: TypedPlistDict = {
    ...commonKeys('com.apple.mdm', `${id}.mdm`, stablePayloadUUID(id, 'mdm'), 'Mobile Device Management', org),
    ServerURL: spec.serverUrl,
    CheckInURL: spec.checkInUrl,
    Topic: spec.topic,
    IdentityCertificateUUID: identityUUID,
    AccessRights: spec.accessRights ?? ALL_ACCESS_RIGHTS,
    SignMessage: spec.signMessage ?? true,
    CheckOutWhenRemoved: spec.checkOutWhenRemoved ?? true,
    ServerCapabilities: caps && caps.length ? caps : undefined,
    UseDevelopmentAPNS: spec.useDevelopmentApns,
  };

  const content: TypedPlistDict[] = [...anchorPayloads(spec.anchors ?? [], id, org), identity, mdm];
  if (spec.wifi) content.unshift(wifiPayload(spec.wifi, `${id}.wifi.${sanitiseSsid(spec.wifi.ssid)}`, stablePayloadUUID(id, `wifi.${spec.wifi.ssid}`), org));

  const uuid = stablePayloadUUID(id, 'profile');
  const tdt = spec.targetDeviceType === true ? TARGET_DEVICE_TYPE[spec.os] : typeof spec.targetDeviceType === 'number' ? spec.targetDeviceType : undefined;
  const profile: TypedPlistDict = {
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: id,
    PayloadUUID: uuid,
    PayloadDisplayName: spec.name,
    PayloadDescription: spec.description,
    PayloadOrganization: org,
    PayloadScope: spec.scope,
    TargetDeviceType: tdt,
    RemovalDate: spec.removalDate,
    DurationUntilRemoval: spec.expiresInSeconds === undefined ? undefined : new PlistReal(spec.expiresInSeconds),
    PayloadContent: content,
  };
  const issues = validateProfile(profile, { os: spec.os, minOsVersion: spec.minOsVersion });
  return { profile, xml: buildTypedPlist(profile), issues, identifier: id, uuid };
}

