/**
 * What the staging job and blueprints need from the device transport, one method per device
 * operation. Implemented over usbmuxd → lockdownd → MCInstall by `appleStagingTransport`
 * (apple-transport.ts), which keeps one lockdownd TLS session (and one MCInstall connection) per
 * device open across steps until `release(udid)`.
 */
import type { PlistDict, PlistValue } from '../apple';

/** Device facts reported by lockdownd (GetValue, default domain). */
export interface StagedDeviceInfo {
  UniqueDeviceID: string;
  SerialNumber?: string;
  /** ECID as a decimal string. */
  UniqueChipID?: string;
  ProductType?: string;
  ProductVersion?: string;
  DeviceClass?: string;
  DeviceName?: string;
  ActivationState?: string;
}

/** A usbmuxd Listen event reduced to the UDID concerned (`paired` = a pair record was saved). */
export interface DeviceWatchEvent {
  type: 'attached' | 'detached' | 'paired';
  udid: string;
}

/** A live device watch; `close()` ends it (idempotent). */
export interface DeviceWatch {
  close(): void;
}

/** Device operations used by staging. Every method rejects with a clear Error on failure. */
export interface StagingTransport {
  /** UDIDs of devices attached now. */
  listAttached(): Promise<string[]>;
  /**
   * Ensures a working pairing: validates an existing pair record (a TLS session starts) or pairs,
   * waiting up to `timeoutMs` for the operator to tap Trust; `onPrompt` is called while waiting.
   * Resolves with whether a new pairing was made.
   */
  ensurePaired(udid: string, opts: { timeoutMs: number; onPrompt?: (message: string) => void }): Promise<{ newlyPaired: boolean }>;
  /** Reads identity and OS facts over a lockdown session. */
  info(udid: string): Promise<StagedDeviceInfo>;
  /** Installs a profile (signed DER CMS or plist bytes) through MCInstall InstallProfile. */
  installProfile(udid: string, profile: Buffer): Promise<void>;
  /** PayloadIdentifiers of the installed profiles (MCInstall GetProfileList OrderedIdentifiers). */
  installedProfileIdentifiers(udid: string): Promise<string[]>;
  /**
   * lockdownd SetValue inside the session: `domain` undefined = default domain (e.g. DeviceName,
   * TimeZone), or e.g. `com.apple.international` (Language, Locale). Throws LockdownError.
   */
  setValue(udid: string, domain: string | undefined, key: string, value: PlistValue): Promise<void>;
  /** A raw MCInstall request (`{RequestType, ...extra}`), e.g. EraseDevice; returns the Acknowledged reply. Throws MCInstallError. */
  mcinstallRequest(udid: string, requestType: string, extra?: PlistDict): Promise<PlistDict>;
  /**
   * Subscribes to attach/detach/paired events (usbmuxd Listen). Already attached devices are
   * announced first as `attached`. `onEnd` receives the error that ended the watch (null after close()).
   */
  watch(onEvent: (e: DeviceWatchEvent) => void, onEnd?: (err: Error | null) => void): Promise<DeviceWatch>;
  /** Closes what is kept open for `udid` (session, services). Never throws. */
  release(udid: string): Promise<void>;
}
