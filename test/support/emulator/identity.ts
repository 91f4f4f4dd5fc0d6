/**
 * Deterministic per-device identities (UDID, serial number, ECID, MAC addresses, names) derived
 * from an emulator seed and a device index, so `--seed S` reproduces the same devices. Key pairs
 * are not derived from the seed (node:crypto has no seeded RSA generation); see device-keys.ts.
 * UDID forms: 40 lower-case hex digits for pre-A12 devices, `%08X-%016X` of CPID and ECID for
 * A12 and later (../shared/reference/device-protocols.md §1.5, §5.2).
 */
import { createHash, randomBytes } from 'node:crypto';
import { DEVICE_MODELS, type DeviceKind } from './device-kinds';

/** Identity values of one emulated device; names are Apple's lockdownd keys. */
export interface DeviceIdentity {
  kind: DeviceKind;
  /** lockdownd `UniqueDeviceID`; also usbmuxd `SerialNumber`. */
  UniqueDeviceID: string;
  /** lockdownd `UniqueChipID` (ECID), below 2^52 so it is exact as a JS number. */
  UniqueChipID: number;
  /** lockdownd `SerialNumber` (10 or 12 characters, Apple's alphabet without I/O). */
  SerialNumber: string;
  /** lockdownd `DeviceName`. */
  DeviceName: string;
  /** lockdownd `WiFiAddress`, lower-case colon-separated MAC. */
  WiFiAddress: string;
  /** lockdownd `BluetoothAddress`. */
  BluetoothAddress: string;
  /** lockdownd `EthernetAddress` (Apple TV reports one). */
  EthernetAddress: string;
  /** usbmuxd `LocationID` of the USB port the device is "plugged" into. */
  LocationID: number;
}

const SERIAL_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A new random seed string, used when none is given. */
export function randomSeed(): string {
  return randomBytes(8).toString('hex');
}

/** Deterministic byte stream: SHA-256 of `seed|index|label`, extended by counter. */
function derive(seed: string, index: number, label: string, length: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; parts.length * 32 < length; i++) {
    parts.push(createHash('sha256').update(`${seed}|${index}|${label}|${i}`).digest());
  }
  return Buffer.concat(parts).subarray(0, length);
}

function mac(bytes: Buffer): string {
  const b = Buffer.from(bytes);
  b[0] = (b[0] & 0xfc); // unicast, globally administered, like a real Apple OUI-less MAC
  return [...b.subarray(0, 6)].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/**
 * Builds the identity of device number `index` (0-based) of kind `kind` under `seed`.
 * Same inputs give the same identity; different indexes give different UDIDs.
 */
export function deriveIdentity(seed: string, index: number, kind: DeviceKind): DeviceIdentity {
  const model = DEVICE_MODELS[kind];
  const ecidBytes = derive(seed, index, 'ecid', 7);
  // 52-bit ECID with a non-zero high nibble range, like real ECIDs (13–14 hex digits).
  const ecid = (Number(ecidBytes.readUIntBE(0, 6)) % 2 ** 48) + 2 ** 48 * ((ecidBytes[6] % 15) + 1);
  const udid = model.modernUdid
    ? `${model.ChipID.toString(16).toUpperCase().padStart(8, '0')}-${ecid.toString(16).toUpperCase().padStart(16, '0')}`
    : derive(seed, index, 'udid', 20).toString('hex');
  const serialLen = kind === 'appletv' ? 12 : 10;
  const serialBytes = derive(seed, index, 'serial', serialLen);
  const SerialNumber = [...serialBytes].map((x) => SERIAL_ALPHABET[x % SERIAL_ALPHABET.length]).join('');
  const loc = derive(seed, index, 'location', 4).readUInt32BE(0);
  return {
    kind,
    UniqueDeviceID: udid,
    UniqueChipID: ecid,
    SerialNumber,
    DeviceName: `${model.namePrefix} ${index + 1}`,
    WiFiAddress: mac(derive(seed, index, 'wifi', 6)),
    BluetoothAddress: mac(derive(seed, index, 'bt', 6)),
    EthernetAddress: mac(derive(seed, index, 'eth', 6)),
    LocationID: ((loc & 0x00ffff00) | 0x01000000) >>> 0,
  };
}

/** The usbmuxd SystemBUID (upper-case UUID) the emulator reports under `seed`. */
export function deriveSystemBUID(seed: string): string {
  const h = derive(seed, -1, 'buid', 16).toString('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
