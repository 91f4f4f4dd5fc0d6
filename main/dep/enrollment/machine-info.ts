/**
 * MachineInfo: the plist a device sends when fetching its ADE enrollment profile (Apple schema
 * `other/machineinfo.yaml`), CMS-signed by the device — in the POST body of token-based ADE and in
 * the `x-apple-aspen-deviceinfo` header (base64) of web-view (custom) enrollment.
 */
import { decodePlistDict } from '../../apple/wire/plist';
import { DeviceInfoError, verifyDeviceSignedData, type SignedDataOptions } from './signed-data';

/** MachineInfo keys (Apple's names). UDID, SERIAL, PRODUCT and VERSION are required; OS_VERSION from iOS 17 / macOS 14 / tvOS 17. */
export interface MachineInfo {
  UDID: string;
  SERIAL: string;
  /** Product type, e.g. `iPhone5,1`, `Mac14,2`. */
  PRODUCT: string;
  /** Build version, e.g. `21B91`. */
  VERSION: string;
  /** OS version, e.g. `17.1`. */
  OS_VERSION?: string;
  SUPPLEMENTAL_BUILD_VERSION?: string;
  /** e.g. `(a)`. */
  SUPPLEMENTAL_OS_VERSION_EXTRA?: string;
  IMEI?: string;
  MEID?: string;
  LANGUAGE?: string;
  MDM_CAN_REQUEST_SOFTWARE_UPDATE?: boolean;
  SOFTWARE_UPDATE_DEVICE_ID?: string;
  PAIRING_TOKEN?: Buffer;
}

const REQUIRED = ['UDID', 'SERIAL', 'PRODUCT', 'VERSION'] as const;
const OPTIONAL_STRINGS = ['OS_VERSION', 'SUPPLEMENTAL_BUILD_VERSION', 'SUPPLEMENTAL_OS_VERSION_EXTRA', 'IMEI', 'MEID', 'LANGUAGE', 'SOFTWARE_UPDATE_DEVICE_ID'] as const;

/**
 * Reads MachineInfo plist bytes (XML or binary). Throws DeviceInfoError (`content`) naming the key
 * that is missing or of the wrong type.
 */
export function parseMachineInfo(plist: Uint8Array): MachineInfo {
  let d: Record<string, unknown>;
  try {
    d = decodePlistDict(plist, 'MachineInfo') as Record<string, unknown>;
  } catch (err) {
    throw new DeviceInfoError('content', `the signed content is not a MachineInfo plist: ${(err as Error).message}`);
  }
  const out: Record<string, unknown> = {};
  for (const k of REQUIRED) {
    if (typeof d[k] !== 'string' || d[k] === '') throw new DeviceInfoError('content', `MachineInfo has no ${k} string`);
    out[k] = d[k];
  }
  for (const k of OPTIONAL_STRINGS) {
    if (d[k] === undefined) continue;
    if (typeof d[k] !== 'string') throw new DeviceInfoError('content', `MachineInfo ${k} is not a string`);
    out[k] = d[k];
  }
  if (d.MDM_CAN_REQUEST_SOFTWARE_UPDATE !== undefined) {
    if (typeof d.MDM_CAN_REQUEST_SOFTWARE_UPDATE !== 'boolean') throw new DeviceInfoError('content', 'MachineInfo MDM_CAN_REQUEST_SOFTWARE_UPDATE is not a boolean');
    out.MDM_CAN_REQUEST_SOFTWARE_UPDATE = d.MDM_CAN_REQUEST_SOFTWARE_UPDATE;
  }
  if (d.PAIRING_TOKEN instanceof Uint8Array) out.PAIRING_TOKEN = Buffer.from(d.PAIRING_TOKEN);
  return out as unknown as MachineInfo;
}

/** A verified MachineInfo with the signer's chain (subjects, device certificate first). */
export interface VerifiedMachineInfo {
  machineInfo: MachineInfo;
  signerSubject: string;
  chain: string[];
  digestAlgorithm: string;
}

/**
 * Verifies a device's CMS-signed MachineInfo (DER bytes, e.g. the token-based enrollment POST body)
 * against the pinned anchors and decodes it. Throws DeviceInfoError.
 */
export function verifyMachineInfo(signed: Uint8Array, opts: SignedDataOptions): VerifiedMachineInfo {
  const v = verifyDeviceSignedData(signed, opts);
  return { machineInfo: parseMachineInfo(v.content), signerSubject: v.chain[0], chain: v.chain, digestAlgorithm: v.digestAlgorithm };
}

/** Name of the web-view header carrying the signed MachineInfo. */
export const ASPEN_DEVICEINFO_HEADER = 'x-apple-aspen-deviceinfo';

/**
 * Decodes and verifies an `x-apple-aspen-deviceinfo` header value: base64 (standard or URL-safe,
 * whitespace ignored) of the CMS SignedData holding MachineInfo. Throws DeviceInfoError
 * (`malformed` for a missing/non-base64 header).
 */
export function verifyAspenDeviceInfo(headerValue: string | undefined, opts: SignedDataOptions): VerifiedMachineInfo {
  if (!headerValue || headerValue.trim() === '') throw new DeviceInfoError('malformed', `the ${ASPEN_DEVICEINFO_HEADER} header is missing: the page must be opened by a device in Setup Assistant`);
  const clean = headerValue.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+=*$/.test(clean)) throw new DeviceInfoError('malformed', `the ${ASPEN_DEVICEINFO_HEADER} header is not base64`);
  return verifyMachineInfo(Buffer.from(clean, 'base64'), opts);
}
