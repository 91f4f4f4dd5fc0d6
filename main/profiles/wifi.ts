/**
 * `com.apple.wifi.managed` payloads (Apple schema `mdm/profiles/com.apple.wifi.managed.yaml`) and
 * the standalone Wi-Fi profile that staging installs before the enrollment profile, so the device
 * can reach the MDM server.
 */
import { ProfileSpecError, type ValidationIssue } from './errors';
import { buildTypedPlist, type TypedPlistDict } from './plist-xml';
import { stablePayloadUUID } from './uuid';
import { validateProfile, type ValidateOptions } from './validate';

/** Apple's `EncryptionType` values (iOS 16 / macOS 13: WPA = WPA/WPA2, WPA2 = WPA2/WPA3). */
export type WifiEncryption = 'WEP' | 'WPA' | 'WPA2' | 'WPA3' | 'Any' | 'None';

/**
 * A Wi-Fi network (CLI: `--wifi-ssid`, `--wifi-password`, `--wifi-encryption`,
 * `--wifi-no-auto-join`, `--wifi-hidden`). Maps to SSID_STR, Password, EncryptionType (default
 * `WPA2` when a password is given, else `None`), AutoJoin (default true), HIDDEN_NETWORK
 * (default false). The password is a secret: it ends up in the profile, never in logs.
 */
export interface WifiSpec {
  ssid: string;
  password?: string;
  encryption?: WifiEncryption;
  autoJoin?: boolean;
  hidden?: boolean;
}

/** Turns an SSID into an identifier component: lower-case `[a-z0-9-]`, or `ssid-<hash>` if empty. */
export function sanitiseSsid(ssid: string): string {
  const s = ssid
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s) return s;
  return `ssid-${Buffer.from(ssid, 'utf8').toString('hex').slice(0, 16)}`;
}

/**
 * Builds the `com.apple.wifi.managed` payload dictionary with the given PayloadIdentifier and
 * PayloadUUID. Throws ProfileSpecError for an empty SSID (>32 bytes is reported too: 802.11 SSIDs
 * are at most 32 octets), a password with encryption `None`, or a WPA password outside 8–63.
 */
export function wifiPayload(spec: WifiSpec, payloadIdentifier: string, payloadUUID: string, organization?: string): TypedPlistDict {
  if (!spec.ssid) throw new ProfileSpecError('Wi-Fi SSID is empty: give the network name (--wifi-ssid)');
  if (Buffer.byteLength(spec.ssid, 'utf8') > 32) throw new ProfileSpecError(`Wi-Fi SSID "${spec.ssid}" is longer than 32 bytes; 802.11 SSIDs are at most 32 octets`);
  const encryption: WifiEncryption = spec.encryption ?? (spec.password ? 'WPA2' : 'None');
  if (spec.password !== undefined && encryption === 'None') throw new ProfileSpecError('Wi-Fi password given with encryption None: choose WPA2/WPA3/Any or drop the password');
  if (spec.password !== undefined && /^WPA/.test(encryption) && (spec.password.length < 8 || spec.password.length > 63)) {
    throw new ProfileSpecError(`Wi-Fi ${encryption} password must be 8–63 characters (it has ${spec.password.length})`);
  }
  return {
    PayloadType: 'com.apple.wifi.managed',
    PayloadVersion: 1,
    PayloadIdentifier: payloadIdentifier,
    PayloadUUID: payloadUUID,
    PayloadDisplayName: `Wi-Fi (${spec.ssid})`,
    PayloadOrganization: organization,
    SSID_STR: spec.ssid,
    HIDDEN_NETWORK: spec.hidden ?? false,
    AutoJoin: spec.autoJoin ?? true,
    EncryptionType: encryption,
    Password: spec.password,
  };
}

/**
 * Standalone Wi-Fi profile options. `prefix` is the reverse-DNS prefix; the profile identifier
 * becomes `<prefix>.wifi.<sanitised SSID>` and the payload `<that>.payload`.
 */
export interface WifiProfileSpec extends WifiSpec {
  prefix: string;
  organization?: string;
  displayName?: string;
  description?: string;
  /** Validation target (OS and minimum version); default iOS. */
  os?: ValidateOptions['os'];
  minOsVersion?: string;
}

/** Result of a build: the profile dictionary, its XML bytes, and validation issues. */
export interface BuiltProfile {
  profile: TypedPlistDict;
  xml: Buffer;
  issues: ValidationIssue[];
  /** Top-level PayloadIdentifier and PayloadUUID (stable across rebuilds). */
  identifier: string;
  uuid: string;
}

/**
 * Builds a top-level Configuration profile holding only a `com.apple.wifi.managed` payload,
 * identifier `<prefix>.wifi.<sanitised SSID>`, with stable UUIDs. Validates it against the
 * catalog (issues returned, not thrown). Throws ProfileSpecError for bad input.
 */
export function buildWifiProfile(spec: WifiProfileSpec): BuiltProfile {
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(spec.prefix)) {
    throw new ProfileSpecError(`identifier prefix "${spec.prefix}" must be reverse-DNS (letters, digits, "-" separated by "."), e.g. com.example.staging`);
  }
  const identifier = `${spec.prefix}.wifi.${sanitiseSsid(spec.ssid)}`;
  const uuid = stablePayloadUUID(identifier, 'profile');
  const profile: TypedPlistDict = {
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: identifier,
    PayloadUUID: uuid,
    PayloadDisplayName: spec.displayName ?? `Wi-Fi ${spec.ssid}`,
    PayloadDescription: spec.description,
    PayloadOrganization: spec.organization,
    PayloadContent: [wifiPayload(spec, `${identifier}.payload`, stablePayloadUUID(identifier, 'wifi'), spec.organization)],
  };
  const issues = validateProfile(profile, { os: spec.os ?? 'ios', minOsVersion: spec.minOsVersion });
  return { profile, xml: buildTypedPlist(profile), issues, identifier, uuid };
}
