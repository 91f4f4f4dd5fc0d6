/**
 * What the staging job needs from the device transport, one method per device operation.
 * Implemented over usbmuxd → lockdownd → MCInstall by `appleStagingTransport` (apple-transport.ts).
 */

/** Device facts reported by lockdownd (GetValue, default domain). */
export interface StagedDeviceInfo {
  UniqueDeviceID: string;
  SerialNumber?: string;
  UniqueChipID?: string;
  ProductType?: string;
  ProductVersion?: string;
  DeviceClass?: string;
  DeviceName?: string;
  ActivationState?: string;
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
}
