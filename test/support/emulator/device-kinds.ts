/**
 * Catalogue of the device models the emulator can present, with the lockdownd values and USB
 * product IDs a real unit of that model reports. Sources: ../shared/reference/device-protocols.md
 * §5.1 (USB PIDs 0x12a8 iPhone, 0x12ab iPad, 0x12a7 Apple TV), §5.3 (CPID per chip: A16 0x8120,
 * M1 0x8103, AppleTV5,3 0x7000), §2.3 (default-domain keys such as DeviceClass, ProductType).
 */

/** The kinds accepted by `--kinds` and `attach(kind)`. */
export type DeviceKind = 'iphone' | 'ipad' | 'appletv';

/** Every accepted kind, in the order the default mix cycles through them. */
export const DEVICE_KINDS: readonly DeviceKind[] = ['iphone', 'ipad', 'appletv'];

/** Static facts of one model: what lockdownd reports for it and how it enumerates on USB. */
export interface DeviceModel {
  /** lockdownd `DeviceClass` (iPhone, iPad, AppleTV). */
  DeviceClass: string;
  /** lockdownd `ProductType`, e.g. "iPhone15,2". */
  ProductType: string;
  /** lockdownd `HardwareModel` (board name), e.g. "D73AP". */
  HardwareModel: string;
  /** lockdownd `ProductName` ("iPhone OS" on iOS/iPadOS, "Apple TVOS" on tvOS). */
  ProductName: string;
  /** lockdownd `ProductVersion` (OS version string). */
  ProductVersion: string;
  /** lockdownd `BuildVersion` matching ProductVersion. */
  BuildVersion: string;
  /** lockdownd `ModelNumber` (part number prefix). */
  ModelNumber: string;
  /** lockdownd `ChipID` = CPID (see reference §5.3). */
  ChipID: number;
  /** lockdownd `BoardId` = BDID. */
  BoardId: number;
  /** lockdownd `CPUArchitecture`. */
  CPUArchitecture: string;
  /** USB idProduct in normal (usbmux) mode, vendor 0x05AC. */
  usbProductId: number;
  /** Whether the UDID uses the A12+ `%08X-%016X` (CPID-ECID) form instead of 40 hex digits. */
  modernUdid: boolean;
  /** Whether the model has a baseband (TelephonyCapability). */
  telephony: boolean;
  /** Human-readable prefix for generated DeviceName values. */
  namePrefix: string;
}

/** Models per kind. iPhone 14 Pro (A16), iPad Pro 11" 3rd gen (M1), Apple TV HD (A8). */
export const DEVICE_MODELS: Readonly<Record<DeviceKind, DeviceModel>> = {
  iphone: {
    DeviceClass: 'iPhone', ProductType: 'iPhone15,2', HardwareModel: 'D73AP', ProductName: 'iPhone OS',
    ProductVersion: '17.5.1', BuildVersion: '21F90', ModelNumber: 'MQ0G3', ChipID: 0x8120, BoardId: 0x0c,
    CPUArchitecture: 'arm64e', usbProductId: 0x12a8, modernUdid: true, telephony: true, namePrefix: 'iPhone',
  },
  ipad: {
    DeviceClass: 'iPad', ProductType: 'iPad13,4', HardwareModel: 'J517AP', ProductName: 'iPhone OS',
    ProductVersion: '17.5.1', BuildVersion: '21F90', ModelNumber: 'MHQR3', ChipID: 0x8103, BoardId: 0x08,
    CPUArchitecture: 'arm64e', usbProductId: 0x12ab, modernUdid: true, telephony: false, namePrefix: 'iPad',
  },
  appletv: {
    DeviceClass: 'AppleTV', ProductType: 'AppleTV5,3', HardwareModel: 'J42dAP', ProductName: 'Apple TVOS',
    ProductVersion: '17.5', BuildVersion: '21L569', ModelNumber: 'MGY52', ChipID: 0x7000, BoardId: 0x34,
    CPUArchitecture: 'arm64', usbProductId: 0x12a7, modernUdid: false, telephony: false, namePrefix: 'Apple TV',
  },
};

/** Parses a kind name (case-insensitive; "tv"/"atv" accepted for appletv). Throws on anything else. */
export function parseDeviceKind(name: string): DeviceKind {
  const k = name.trim().toLowerCase();
  if (k === 'iphone' || k === 'ipad' || k === 'appletv') return k;
  if (k === 'tv' || k === 'atv' || k === 'apple-tv') return 'appletv';
  throw new Error(`unknown device kind "${name}" (expected iphone, ipad or appletv)`);
}
