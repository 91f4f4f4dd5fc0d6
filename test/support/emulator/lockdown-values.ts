/**
 * lockdownd value domains of an emulated device (GetValue / SetValue). Keys are Apple's
 * (../shared/reference/device-protocols.md §2.3, go-ios `ios/lockdown_value.go`, libimobiledevice
 * `ideviceinfo` domains). Without a session a device answers only a small subset of the default
 * domain (enough for pairing and `ideviceinfo -s`); everything else needs StartSession.
 */
import type { PlistDict, PlistValue } from '../../../main/apple/wire';
import type { EmulatedDevice } from './emulated-device';

/** Default-domain keys a device returns before pairing / without a session. */
export const PRE_SESSION_KEYS: readonly string[] = [
  'BasebandCertId', 'BasebandKeyHashInformation', 'BasebandVersion', 'BoardId', 'BuildVersion', 'ChipID', 'CPUArchitecture',
  'DeviceClass', 'DeviceColor', 'DeviceName', 'DevicePublicKey', 'HardwareModel', 'HasSiDP', 'ProductName', 'ProductType',
  'ProductVersion', 'ProductionSOC', 'ProtocolVersion', 'TelephonyCapability', 'UniqueChipID', 'UniqueDeviceID', 'WiFiAddress',
];

/** Domains whose keys are readable without a session (none on current iOS). */
const PRE_SESSION_DOMAINS = new Set<string>();

/** The full default domain (session required for most keys). */
export async function defaultDomain(device: EmulatedDevice): Promise<PlistDict> {
  const id = device.identity;
  const m = device.model;
  const keys = await device.keyPair();
  const values: PlistDict = {
    ActivationState: device.activationState,
    ActivationStateAcknowledged: device.activationState !== 'Unactivated',
    BasebandCertId: m.telephony ? 3840149528 : 0,
    BluetoothAddress: id.BluetoothAddress,
    BoardId: m.BoardId,
    BuildVersion: m.BuildVersion,
    CPUArchitecture: m.CPUArchitecture,
    ChipID: m.ChipID,
    DeviceClass: m.DeviceClass,
    DeviceColor: '1',
    DeviceName: id.DeviceName,
    DevicePublicKey: keys.publicKeyPkcs1Pem,
    FirmwareVersion: `iBoot-10151.122.1`,
    HardwareModel: m.HardwareModel,
    HasSiDP: true,
    HostAttached: true,
    ModelNumber: m.ModelNumber,
    PasswordProtected: device.knobs.passcodeLocked === true,
    ProductName: m.ProductName,
    ProductType: m.ProductType,
    ProductVersion: m.ProductVersion,
    ProductionSOC: true,
    ProtocolVersion: '2',
    RegionInfo: 'LL/A',
    SerialNumber: id.SerialNumber,
    TelephonyCapability: m.telephony,
    TimeIntervalSince1970: Date.now() / 1000 + device.clockOffsetSeconds,
    TimeZone: 'Europe/Berlin',
    TimeZoneOffsetFromUTC: 3600,
    TrustedHostAttached: device.pairings.size > 0,
    UniqueChipID: id.UniqueChipID,
    UniqueDeviceID: id.UniqueDeviceID,
    Uses24HourClock: true,
    WiFiAddress: id.WiFiAddress,
  };
  if (m.telephony) {
    values.BasebandVersion = '2.60.02';
    values.InternationalMobileEquipmentIdentity = `35${String(id.UniqueChipID).padStart(13, '0').slice(-13)}`;
    values.SIMStatus = 'kCTSIMSupportSIMStatusReady';
  }
  if (m.DeviceClass === 'AppleTV') values.EthernetAddress = id.EthernetAddress;
  Object.assign(values, device.knobs.values ?? {}, device.defaultOverrides);
  return values;
}

/** A non-default domain: built-in defaults merged with SetValue changes; null for unknown domains. */
export function namedDomain(device: EmulatedDevice, domain: string): PlistDict | null {
  const set = device.domains.get(domain) ?? {};
  const builtIn: Record<string, PlistDict> = {
    'com.apple.international': {
      Language: 'en', Locale: 'en_US', Keyboard: 'en_US', Uses24HourClock: true,
      SupportedLanguages: ['en', 'de', 'fr', 'es', 'it', 'ja'], SupportedLocales: ['en_US', 'de_DE', 'fr_FR', 'es_ES', 'it_IT', 'ja_JP'],
    },
    'com.apple.disk_usage': { TotalDataCapacity: 119_000_000_000, TotalDataAvailable: 98_000_000_000, TotalDiskCapacity: 128_000_000_000 },
    'com.apple.mobile.battery': device.model.DeviceClass === 'AppleTV' ? {} : { BatteryCurrentCapacity: 87, BatteryIsCharging: true, ExternalChargeCapable: true, ExternalConnected: true, FullyCharged: false },
    'com.apple.mobile.wireless_lockdown': { EnableWifiConnections: false },
    'com.apple.mobile.lockdownd': { LogToDisk: false },
    'com.apple.purplebuddy': { SetupDone: device.activationState !== 'Unactivated', SetupFinishedAllSteps: device.activationState !== 'Unactivated' },
    'com.apple.mobile.chaperone': { DeviceIsChaperoned: device.cloudConfiguration?.IsSupervised === true },
    'com.apple.fmip': { IsAssociated: false },
    'com.apple.Accessibility': { VoiceOverTouchEnabledByiTunes: false, ZoomTouchEnabledByiTunes: false },
    'com.apple.mobile.data_sync': {},
    'com.apple.mobile.iTunes': {},
    'com.apple.xcode.developerdomain': { DeveloperStatus: 'Disabled' },
  };
  const base = builtIn[domain];
  if (!base && !device.domains.has(domain)) return null;
  return { ...(base ?? {}), ...set };
}

/** Outcome of a GetValue lookup: the value, or the lockdownd Error string to answer. */
export type LookupResult = { value: PlistValue } | { error: 'MissingValue' };

/**
 * Resolves GetValue `domain`/`key` (either may be empty). Without a session only
 * PRE_SESSION_KEYS of the default domain are visible; a whole-dictionary request then returns
 * just that subset. Unknown domains and keys answer MissingValue.
 */
export async function lookupValue(device: EmulatedDevice, domain: string, key: string, inSession: boolean): Promise<LookupResult> {
  let dict: PlistDict | null;
  if (!domain) {
    const full = await defaultDomain(device);
    if (inSession) dict = full;
    else {
      dict = {};
      for (const k of PRE_SESSION_KEYS) if (full[k] !== undefined) dict[k] = full[k];
    }
  } else {
    dict = inSession || PRE_SESSION_DOMAINS.has(domain) ? namedDomain(device, domain) : null;
  }
  if (!dict) return { error: 'MissingValue' };
  if (!key) return { value: dict };
  const v = dict[key];
  return v === undefined ? { error: 'MissingValue' } : { value: v };
}
