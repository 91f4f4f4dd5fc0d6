/**
 * High-level device operations used by the staging job and the `stagebench` CLI, composed from
 * the usbmuxd, lockdownd and MCInstall clients (../shared/reference/device-protocols.md §1–3).
 * Every function opens what it needs and closes it before returning, also on failure.
 * Every function takes an optional `{ socketAddress }` (default: `USBMUXD_SOCKET_ADDRESS`, else
 * the platform's usbmuxd socket).
 */
import {
  LockdownClient,
  LockdownError,
  NotPairedError,
  performPairing,
  parsePairRecord,
  describePairRecord,
  type PairingPrompt,
  type PairRecord,
  type PlistService,
} from './lockdown';
import { MCInstallClient, type ProfileList } from './mcinstall';
import { DeviceNotFoundError, UsbmuxClient, type UsbmuxDevice, type UsbmuxListener } from './usbmux';
import { isPlistDict, type PlistDict } from './wire';

/** Options accepted by every facade function. Times in milliseconds. */
export interface DeviceOptions {
  /** usbmuxd address (`UNIX:/path`, `host:port`, `[ipv6]:port`); default env `USBMUXD_SOCKET_ADDRESS` or the platform default. */
  socketAddress?: string;
  /** Deadline for each request/reply (default 10 000 ms). */
  timeoutMs?: number;
  /** lockdownd `Label` / usbmuxd `ProgName` (default "stagebench"). */
  label?: string;
}

/** One attached device as `listDevices()` reports it. */
export interface DeviceSummary {
  /** UDID (usbmuxd SerialNumber). */
  udid: string;
  /** usbmuxd DeviceID (changes at every attach). */
  deviceId: number;
  /** USB idProduct (e.g. 0x12a8 iPhone), when reported. */
  productId?: number;
  /** usbmuxd LocationID, when reported. */
  locationId?: number;
  /** "USB" or "Network". */
  connectionType: string;
  /** True when usbmuxd holds a pair record for this UDID. */
  paired: boolean;
}

/** Device facts from lockdownd GetValue (Apple's key names); `values` holds everything received. */
export interface DeviceInfo {
  udid: string;
  /** True when read inside a paired TLS session (full set); false = the pre-pairing subset. */
  viaSession: boolean;
  ProductType?: string;
  ProductVersion?: string;
  BuildVersion?: string;
  DeviceClass?: string;
  DeviceName?: string;
  SerialNumber?: string;
  UniqueDeviceID?: string;
  /** ECID. */
  UniqueChipID?: number;
  HardwareModel?: string;
  ActivationState?: string;
  WiFiAddress?: string;
  values: PlistDict;
}

/** Result of `pairDevice()`: log-safe facts of the new pair record (no keys, no EscrowBag). */
export interface PairResult {
  udid: string;
  HostID: string;
  SystemBUID: string;
  WiFiMACAddress?: string;
  hasEscrowBag: boolean;
}

/** Options of `pairDevice()`. */
export interface PairDeviceOptions extends DeviceOptions {
  /** How long the user has to tap Trust (default 120 000 ms). */
  pairTimeoutMs?: number;
  /** Retry interval while the Trust dialog is pending (default 1 000 ms). */
  pollIntervalMs?: number;
  /** Called once when the device shows the Trust dialog. */
  onPrompt?: (prompt: PairingPrompt) => void;
}

/** What `withSession()` hands to its callback. Everything is closed when the callback settles. */
export interface DeviceSession {
  udid: string;
  device: UsbmuxDevice;
  usbmux: UsbmuxClient;
  /** lockdownd connection with an active (TLS) session. */
  lockdown: LockdownClient;
  /** The host's pair record (contains secrets: do not log). */
  pairRecord: PairRecord;
  /** Starts and connects to a lockdownd service (closed automatically at the end). */
  openService(name: string, opts?: { escrowBag?: boolean }): Promise<PlistService>;
  /** Opens an MCInstall connection (closed automatically at the end). */
  mcinstall(): Promise<MCInstallClient>;
}

/** Keys readable before pairing (libimobiledevice, go-ios `ios/pair.go`, pymobiledevice3 `_initialize`). */
export const PRE_PAIRING_KEYS = ['ProductVersion', 'ProductType', 'DeviceClass', 'UniqueDeviceID', 'UniqueChipID', 'WiFiAddress', 'DeviceName', 'BuildVersion', 'SerialNumber', 'HardwareModel', 'ActivationState'] as const;

function usbmuxFor(opts: DeviceOptions): UsbmuxClient {
  return new UsbmuxClient({ socketAddress: opts.socketAddress, timeoutMs: opts.timeoutMs, progName: opts.label });
}

async function requireDevice(usbmux: UsbmuxClient, udid: string): Promise<UsbmuxDevice> {
  const devices = await usbmux.listDevices();
  const found = devices.find((d) => d.udid.replace(/-/g, '').toUpperCase() === udid.replace(/-/g, '').toUpperCase());
  if (!found) throw new DeviceNotFoundError(udid, devices.map((d) => d.udid));
  return found;
}

async function requirePairRecord(usbmux: UsbmuxClient, udid: string): Promise<PairRecord> {
  const dict = await usbmux.readPairRecord(udid);
  if (!dict) throw new NotPairedError(udid);
  return parsePairRecord(dict, udid);
}

function lockdownOpts(opts: DeviceOptions): { timeoutMs?: number; label?: string } {
  return { timeoutMs: opts.timeoutMs, label: opts.label };
}

/**
 * Lists attached devices with their pairing state (usbmuxd ListDevices + ReadPairRecord per
 * device). Throws UsbmuxUnavailableError when usbmuxd is not running.
 */
export async function listDevices(opts: DeviceOptions = {}): Promise<DeviceSummary[]> {
  const usbmux = usbmuxFor(opts);
  const devices = await usbmux.listDevices();
  const out: DeviceSummary[] = [];
  for (const d of devices) {
    out.push({
      udid: d.udid,
      deviceId: d.DeviceID,
      productId: d.Properties.ProductID,
      locationId: d.Properties.LocationID,
      connectionType: d.Properties.ConnectionType,
      paired: (await usbmux.readPairRecord(d.udid)) !== null,
    });
  }
  return out;
}

function toInfo(udid: string, values: PlistDict, viaSession: boolean): DeviceInfo {
  const s = (k: string): string | undefined => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const ecid = values.UniqueChipID;
  return {
    udid,
    viaSession,
    ProductType: s('ProductType'),
    ProductVersion: s('ProductVersion'),
    BuildVersion: s('BuildVersion'),
    DeviceClass: s('DeviceClass'),
    DeviceName: s('DeviceName'),
    SerialNumber: s('SerialNumber'),
    UniqueDeviceID: s('UniqueDeviceID'),
    UniqueChipID: typeof ecid === 'number' ? ecid : typeof ecid === 'bigint' ? Number(ecid) : undefined,
    HardwareModel: s('HardwareModel'),
    ActivationState: s('ActivationState'),
    WiFiAddress: s('WiFiAddress'),
    values,
  };
}

/**
 * Reads device facts. When usbmuxd holds a pair record, inside a TLS session (whole default
 * domain); otherwise the pre-pairing subset (GetValue without key, falling back to
 * PRE_PAIRING_KEYS one by one). Throws DeviceNotFoundError, LockdownError (InvalidHostID: the
 * device forgot the pairing — pair again), transport errors.
 */
export async function getDeviceInfo(udid: string, opts: DeviceOptions = {}): Promise<DeviceInfo> {
  const usbmux = usbmuxFor(opts);
  const device = await requireDevice(usbmux, udid);
  const recordDict = await usbmux.readPairRecord(device.udid);
  const client = await LockdownClient.connect(usbmux, device, lockdownOpts(opts));
  try {
    if (recordDict) {
      await client.startSession(parsePairRecord(recordDict, device.udid));
      return toInfo(device.udid, await client.getValues(), true);
    }
    let values: PlistDict;
    try {
      values = await client.getValues();
    } catch (err) {
      if (!(err instanceof LockdownError)) throw err;
      values = {};
      for (const key of PRE_PAIRING_KEYS) {
        try {
          const v = await client.getValue(undefined, key);
          if (v !== undefined) values[key] = v;
        } catch (inner) {
          if (!(inner instanceof LockdownError)) throw inner;
        }
      }
    }
    return toInfo(device.udid, values, false);
  } finally {
    client.close();
  }
}

/**
 * Pairs the host with `udid`: generates the certificates, sends Pair until the user taps Trust
 * (reporting the prompt through `onPrompt`), and saves the record in usbmuxd (SavePairRecord with
 * DeviceID). Returns log-safe facts of the record. Throws DeviceNotFoundError, LockdownError
 * (UserDeniedPairing, PasswordProtected, PairingDialogResponsePending after `pairTimeoutMs`, ...).
 */
export async function pairDevice(udid: string, opts: PairDeviceOptions = {}): Promise<PairResult> {
  const usbmux = usbmuxFor(opts);
  const device = await requireDevice(usbmux, udid);
  const client = await LockdownClient.connect(usbmux, device, lockdownOpts(opts));
  try {
    const record = await performPairing(client, { timeoutMs: opts.pairTimeoutMs, pollIntervalMs: opts.pollIntervalMs, onPrompt: opts.onPrompt });
    return { udid: device.udid, ...describePairRecord(record) };
  } finally {
    client.close();
  }
}

/**
 * Unpairs: asks the device to forget this host (lockdownd Unpair) and deletes usbmuxd's pair
 * record. Returns false when no record existed. A device that already forgot the host is fine.
 */
export async function unpairDevice(udid: string, opts: DeviceOptions = {}): Promise<boolean> {
  const usbmux = usbmuxFor(opts);
  const device = await requireDevice(usbmux, udid);
  const dict = await usbmux.readPairRecord(device.udid);
  if (!dict) return false;
  const hostId = dict.HostID;
  if (typeof hostId === 'string') {
    const client = await LockdownClient.connect(usbmux, device, lockdownOpts(opts));
    try {
      await client.unpair(hostId);
    } catch (err) {
      if (!(err instanceof LockdownError)) throw err;
    } finally {
      client.close();
    }
  }
  return usbmux.deletePairRecord(device.udid);
}

/**
 * Runs `fn` inside a paired lockdownd TLS session with `udid`; every service opened through the
 * session is closed afterwards, then the session is stopped and the connection closed (also when
 * `fn` throws). Throws DeviceNotFoundError, NotPairedError, InvalidPairRecordError, LockdownError
 * (InvalidHostID = pair again), TlsHandshakeError, and whatever `fn` throws.
 */
export async function withSession<T>(udid: string, fn: (session: DeviceSession) => Promise<T>, opts: DeviceOptions = {}): Promise<T> {
  const usbmux = usbmuxFor(opts);
  const device = await requireDevice(usbmux, udid);
  const pairRecord = await requirePairRecord(usbmux, device.udid);
  const lockdown = await LockdownClient.connect(usbmux, device, lockdownOpts(opts));
  const opened: { close(): void }[] = [];
  try {
    await lockdown.startSession(pairRecord);
    const session: DeviceSession = {
      udid: device.udid,
      device,
      usbmux,
      lockdown,
      pairRecord,
      openService: async (name, o) => {
        const svc = await lockdown.openService(name, { escrowBag: o?.escrowBag, timeoutMs: opts.timeoutMs });
        opened.push(svc);
        return svc;
      },
      mcinstall: async () => {
        const mc = await MCInstallClient.open(lockdown, { timeoutMs: opts.timeoutMs });
        opened.push(mc);
        return mc;
      },
    };
    return await fn(session);
  } finally {
    for (const s of opened) s.close();
    if (lockdown.activeSession) await lockdown.stopSession().catch(() => undefined);
    lockdown.close();
  }
}

/** Lists configuration profiles (MCInstall GetProfileList). Throws as `withSession` plus MCInstallError. */
export function listProfiles(udid: string, opts: DeviceOptions = {}): Promise<ProfileList> {
  return withSession(udid, async (s) => (await s.mcinstall()).getProfileList(), opts);
}

/**
 * Installs a configuration profile (`.mobileconfig` bytes, plain or signed) with MCInstall
 * InstallProfile. Unsupervised devices only stage it for the user to approve in Settings.
 * Throws as `withSession` plus MCInstallError.
 */
export function installProfile(udid: string, profile: Uint8Array, opts: DeviceOptions = {}): Promise<void> {
  return withSession(udid, async (s) => (await s.mcinstall()).installProfile(profile), opts);
}

/**
 * Removes the profile with PayloadIdentifier `identifier` (MCInstall RemoveProfile, binary-plist
 * reference form). Throws MCInstallError (status "ProfileNotInstalled" when not installed).
 */
export function removeProfile(udid: string, identifier: string, opts: DeviceOptions = {}): Promise<void> {
  return withSession(udid, async (s) => (await s.mcinstall()).removeProfile(identifier), opts);
}

/** Reads the device's cloud configuration (MCInstall GetCloudConfiguration); null when none. */
export function getCloudConfiguration(udid: string, opts: DeviceOptions = {}): Promise<PlistDict | null> {
  return withSession(udid, async (s) => {
    const cc = await (await s.mcinstall()).getCloudConfiguration();
    return cc && isPlistDict(cc) ? cc : null;
  }, opts);
}

/**
 * Subscribes to attach/detach/paired events (usbmuxd Listen) on a long-lived socket. The
 * listener lives until `close()` (or usbmuxd stops). Throws UsbmuxUnavailableError.
 */
export function watchDevices(opts: DeviceOptions = {}): Promise<UsbmuxListener> {
  return usbmuxFor(opts).listen();
}
