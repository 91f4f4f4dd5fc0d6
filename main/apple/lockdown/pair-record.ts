/**
 * The host's pair record for one device, as stored by usbmuxd (SavePairRecord / ReadPairRecord)
 * and written by libimobiledevice `common/userpref.c`, go-ios `ios/pair_save.go`
 * (../shared/reference/device-protocols.md §2.4 step 7). Certificates and keys are PEM text held
 * as `<data>`. HostPrivateKey, RootPrivateKey and EscrowBag are secrets: never log a record, use
 * `describePairRecord()`.
 */
import { isPlistDict, type PlistDict, type PlistValue } from '../wire';

/** A complete pair record (Apple's key names). PEM certificates/keys as bytes. */
export interface PairRecord {
  DeviceCertificate: Uint8Array;
  HostCertificate: Uint8Array;
  /** Secret. PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`). */
  HostPrivateKey: Uint8Array;
  RootCertificate: Uint8Array;
  /** Secret. PKCS#1 PEM. */
  RootPrivateKey: Uint8Array;
  /** Upper-case UUID naming this host to the device. */
  HostID: string;
  /** usbmuxd ReadBUID value of the host that paired. */
  SystemBUID: string;
  /** lockdownd `WiFiAddress` of the device at pairing time, when it has one. */
  WiFiMACAddress?: string;
  /** Secret. Keybag escrow blob returned by Pair; sent with StartService to reach protected services while locked. */
  EscrowBag?: Uint8Array;
}

/** A stored pair record lacks a field StageBench needs, or has it in the wrong type. */
export class InvalidPairRecordError extends Error {
  constructor(udid: string, detail: string) {
    super(`pair record of ${udid} is unusable (${detail}); unpair and pair the device again`);
    this.name = 'InvalidPairRecordError';
  }
}

const DATA_KEYS = ['DeviceCertificate', 'HostCertificate', 'HostPrivateKey', 'RootCertificate', 'RootPrivateKey'] as const;

function bytes(v: PlistValue | undefined): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return undefined;
}

/**
 * Validates a decoded pair-record dictionary (from usbmuxd ReadPairRecord). Throws
 * InvalidPairRecordError naming the first missing/invalid key. Accepts certificate fields as data
 * or string.
 */
export function parsePairRecord(dict: PlistDict, udid: string): PairRecord {
  if (!isPlistDict(dict)) throw new InvalidPairRecordError(udid, 'not a dictionary');
  const out: Partial<PairRecord> = {};
  for (const k of DATA_KEYS) {
    const b = bytes(dict[k]);
    if (!b || b.length === 0) throw new InvalidPairRecordError(udid, `${k} missing`);
    out[k] = b;
  }
  for (const k of ['HostID', 'SystemBUID'] as const) {
    const v = dict[k];
    if (typeof v !== 'string' || v === '') throw new InvalidPairRecordError(udid, `${k} missing`);
    out[k] = v;
  }
  if (typeof dict.WiFiMACAddress === 'string') out.WiFiMACAddress = dict.WiFiMACAddress;
  const bag = bytes(dict.EscrowBag);
  if (bag) out.EscrowBag = bag;
  return out as PairRecord;
}

/** The plist dictionary stored through SavePairRecord (all fields, including secrets). */
export function pairRecordToPlist(r: PairRecord): PlistDict {
  const d: PlistDict = {
    DeviceCertificate: r.DeviceCertificate,
    HostCertificate: r.HostCertificate,
    HostPrivateKey: r.HostPrivateKey,
    RootCertificate: r.RootCertificate,
    RootPrivateKey: r.RootPrivateKey,
    HostID: r.HostID,
    SystemBUID: r.SystemBUID,
  };
  if (r.WiFiMACAddress !== undefined) d.WiFiMACAddress = r.WiFiMACAddress;
  if (r.EscrowBag !== undefined) d.EscrowBag = r.EscrowBag;
  return d;
}

/** A log-safe summary: HostID, SystemBUID, WiFiMACAddress and whether an EscrowBag exists. No keys. */
export function describePairRecord(r: PairRecord): { HostID: string; SystemBUID: string; WiFiMACAddress?: string; hasEscrowBag: boolean } {
  return { HostID: r.HostID, SystemBUID: r.SystemBUID, WiFiMACAddress: r.WiFiMACAddress, hasEscrowBag: r.EscrowBag !== undefined };
}
