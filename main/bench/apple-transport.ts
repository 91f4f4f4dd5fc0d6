/**
 * StagingTransport over the real Apple protocols: usbmuxd (ListDevices, ReadPairRecord,
 * SavePairRecord) → lockdownd (Pair, StartSession + TLS, GetValue) → MCInstall (InstallProfile,
 * GetProfileList). See ../shared/reference/device-protocols.md §1–3.
 */
import { getDeviceInfo, installProfile, listDevices, listProfiles, LockdownError, NotPairedError, pairDevice, type DeviceOptions } from '../apple';
import type { StagedDeviceInfo, StagingTransport } from './transport';

/** Builds a StagingTransport bound to one usbmuxd address (`opts.socketAddress`, default env/platform). */
export function appleStagingTransport(opts: DeviceOptions = {}): StagingTransport {
  return {
    async listAttached() {
      return (await listDevices(opts)).map((d) => d.udid);
    },
    async ensurePaired(udid, { timeoutMs, onPrompt }) {
      const attached = (await listDevices(opts)).find((d) => d.udid === udid);
      if (attached?.paired) {
        try {
          const info = await getDeviceInfo(udid, opts);
          if (info.viaSession) return { newlyPaired: false };
        } catch (err) {
          // A record the device no longer honours (InvalidHostID, after "Reset Location & Privacy") → pair again.
          if (!(err instanceof NotPairedError) && !(err instanceof LockdownError && err.code === 'InvalidHostID')) throw err;
        }
      }
      await pairDevice(udid, { ...opts, pairTimeoutMs: timeoutMs, onPrompt: (p) => onPrompt?.(p.message) });
      return { newlyPaired: true };
    },
    async info(udid): Promise<StagedDeviceInfo> {
      const i = await getDeviceInfo(udid, opts);
      return {
        UniqueDeviceID: i.UniqueDeviceID ?? udid,
        SerialNumber: i.SerialNumber,
        UniqueChipID: i.UniqueChipID === undefined ? undefined : String(i.UniqueChipID),
        ProductType: i.ProductType,
        ProductVersion: i.ProductVersion,
        DeviceClass: i.DeviceClass,
        DeviceName: i.DeviceName,
        ActivationState: i.ActivationState,
      };
    },
    async installProfile(udid, profile) {
      await installProfile(udid, profile, opts);
    },
    async installedProfileIdentifiers(udid) {
      return (await listProfiles(udid, opts)).OrderedIdentifiers;
    },
  };
}
