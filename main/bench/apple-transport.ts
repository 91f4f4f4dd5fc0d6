/**
 * StagingTransport over the real Apple protocols: usbmuxd (ListDevices, ReadPairRecord,
 * SavePairRecord, Listen) → lockdownd (Pair, StartSession + TLS, GetValue, SetValue) → MCInstall
 * (InstallProfile, GetProfileList, raw requests). See ../shared/reference/device-protocols.md §1–3.
 *
 * Per device one lockdownd session and one MCInstall connection are opened and reused by every
 * step (session-cache.ts) until `release(udid)`; pairing shares one root/host key pair per
 * transport (pairing.ts), generated lazily off the event loop.
 */
import {
  DeviceNotFoundError, LockdownClient, LockdownError, NotPairedError, sameUdid, UsbmuxClient, watchDevices, type DeviceOptions, type UsbmuxDevice,
} from '../apple';
import { HostPairingIdentity, pairWithIdentity } from './pairing';
import { SessionCache } from './session-cache';
import type { DeviceWatchEvent, StagedDeviceInfo, StagingTransport } from './transport';

/** Builds a StagingTransport bound to one usbmuxd address (`opts.socketAddress`, default env/platform). */
export function appleStagingTransport(opts: DeviceOptions = {}): StagingTransport {
  const usbmux = new UsbmuxClient({ socketAddress: opts.socketAddress, timeoutMs: opts.timeoutMs, progName: opts.label });
  // Concurrent callers share one ListDevices request (its reply lists every device; 32 devices
  // starting at once would otherwise each fetch and decode the whole list).
  let listing: Promise<UsbmuxDevice[]> | null = null;
  const listDevices = (): Promise<UsbmuxDevice[]> => {
    listing ??= usbmux.listDevices().finally(() => (listing = null));
    return listing;
  };
  const sessions = new SessionCache(usbmux, { timeoutMs: opts.timeoutMs, label: opts.label }, listDevices);
  let identity: Promise<HostPairingIdentity> | null = null;
  const hostIdentity = (): Promise<HostPairingIdentity> => {
    identity ??= HostPairingIdentity.create().catch((err: unknown) => {
      identity = null;
      throw err;
    });
    return identity;
  };
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

  return {
    async listAttached() {
      return (await listDevices()).map((d) => d.udid);
    },
    async ensurePaired(udid, { timeoutMs, onPrompt }) {
      const devices = await listDevices();
      const device = devices.find((d) => sameUdid(d.udid, udid));
      if (!device) throw new DeviceNotFoundError(udid, devices.map((d) => d.udid));
      if (await usbmux.readPairRecord(device.udid)) {
        try {
          await sessions.use(udid, async () => undefined);
          return { newlyPaired: false };
        } catch (err) {
          // A record the device no longer honours (InvalidHostID, after "Reset Location & Privacy") → pair again.
          if (!(err instanceof NotPairedError) && !(err instanceof LockdownError && err.code === 'InvalidHostID')) throw err;
          await sessions.release(udid);
        }
      }
      const id = await hostIdentity();
      const client = await LockdownClient.connect(usbmux, device, { timeoutMs: opts.timeoutMs, label: opts.label });
      try {
        await pairWithIdentity(client, id, { timeoutMs, onPrompt: (p) => onPrompt?.(p.message) });
      } finally {
        client.close();
      }
      return { newlyPaired: true };
    },
    info(udid): Promise<StagedDeviceInfo> {
      return sessions.use(udid, async (link) => {
        const v = await link.lockdown.getValues();
        const ecid = v.UniqueChipID;
        return {
          UniqueDeviceID: str(v.UniqueDeviceID) ?? link.device.udid,
          SerialNumber: str(v.SerialNumber),
          UniqueChipID: typeof ecid === 'number' || typeof ecid === 'bigint' ? String(ecid) : undefined,
          ProductType: str(v.ProductType),
          ProductVersion: str(v.ProductVersion),
          DeviceClass: str(v.DeviceClass),
          DeviceName: str(v.DeviceName),
          ActivationState: str(v.ActivationState),
        };
      });
    },
    installProfile(udid, profile) {
      return sessions.use(udid, async (link) => (await link.mcinstall()).installProfile(profile));
    },
    installedProfileIdentifiers(udid) {
      return sessions.use(udid, async (link) => (await (await link.mcinstall()).getProfileList()).OrderedIdentifiers);
    },
    setValue(udid, domain, key, value) {
      return sessions.use(udid, (link) => link.lockdown.setValue(domain, key, value));
    },
    mcinstallRequest(udid, requestType, extra = {}) {
      return sessions.use(udid, async (link) => (await link.mcinstall()).request(requestType, extra));
    },
    async watch(onEvent, onEnd) {
      const listener = await watchDevices(opts);
      const byId = new Map<number, string>();
      const emit = (e: DeviceWatchEvent): void => {
        try {
          onEvent(e);
        } catch {
          // A failing subscriber must not end the watch.
        }
      };
      listener.on('attached', (d) => {
        byId.set(d.DeviceID, d.udid);
        emit({ type: 'attached', udid: d.udid });
      });
      listener.on('detached', (id) => {
        const udid = byId.get(id);
        byId.delete(id);
        if (udid) emit({ type: 'detached', udid });
      });
      listener.on('paired', (id) => {
        const udid = byId.get(id);
        if (udid) emit({ type: 'paired', udid });
      });
      listener.on('close', (err) => onEnd?.(err));
      return { close: () => listener.close() };
    },
    release(udid) {
      return sessions.release(udid);
    },
  };
}
