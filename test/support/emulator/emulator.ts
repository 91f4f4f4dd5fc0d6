/**
 * Programmatic entry point of the device emulator: `startEmulator(opts)` starts an emulated
 * usbmuxd with N devices behind it (each with its own lockdownd and MCInstall service) and
 * returns a handle for tests to attach/detach devices, tweak knobs and inspect device state.
 * Layers: usbmuxd-server.ts → lockdownd-server.ts (per device) → mcinstall-service.ts.
 */
import { DEVICE_KINDS, parseDeviceKind, type DeviceKind } from './device-kinds';
import { EmulatedDevice, LOCKDOWN_PORT } from './emulated-device';
import { deriveIdentity, deriveSystemBUID, randomSeed } from './identity';
import type { DeviceKnobs } from './knobs';
import { lockdownHandler, type ServiceFactory } from './lockdownd-server';
import { MCINSTALL_SERVICE, mcInstallService } from './mcinstall-service';
import { enableTrace } from './trace';
import { UsbmuxServer, parseListenAddress } from './usbmuxd-server';

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** "HOST:PORT" (port 0 = any free port) or "UNIX:/path". Default "127.0.0.1:0". */
  listen?: string;
  /** Number of devices attached at start. Default 1. */
  devices?: number;
  /** Kinds cycled over the initial devices. Default: iphone, ipad, appletv mix. */
  kinds?: readonly (DeviceKind | string)[];
  /** Seed for deterministic identities (UDID, serial, ECID, MACs, SystemBUID). Default random. */
  seed?: string | number;
  /** Knobs for every initial device, or a function of (index, kind). */
  knobs?: DeviceKnobs | ((index: number, kind: DeviceKind) => DeviceKnobs);
  /** Trace frames to stderr (same as EMULATOR_TRACE=1). */
  trace?: boolean;
}

/** Handle returned by `startEmulator`. */
export interface Emulator {
  /** usbmuxd address for USBMUXD_SOCKET_ADDRESS: "127.0.0.1:PORT" or "UNIX:/path". */
  readonly address: string;
  /** TCP port (0 for a UNIX socket). */
  readonly port: number;
  /** Currently attached devices, in attach order (a fresh array on each read). */
  readonly devices: EmulatedDevice[];
  /** The seed used (to reproduce identities). */
  readonly seed: string;
  /** usbmuxd SystemBUID (ReadBUID). */
  readonly systemBUID: string;
  /** Host pair records kept by the emulated usbmuxd, by UDID (raw PairRecordData bytes). */
  readonly pairRecords: Map<string, Buffer>;
  /**
   * Plugs in a new device of `kind` (default: next in the mix), or re-plugs a detached device
   * given its UDID (keeping its state, with a new DeviceID). Broadcasts `Attached`.
   * Throws for an unknown kind or a UDID that is not a detached device of this emulator.
   */
  attach(kind?: DeviceKind | string, knobs?: DeviceKnobs): EmulatedDevice;
  /** Unplugs the device: drops its connections, broadcasts `Detached`. Returns false if not attached. */
  detach(udid: string): boolean;
  /** Looks up a device (attached or detached) by UDID. */
  device(udid: string): EmulatedDevice | undefined;
  /** Stops the server and drops every connection. */
  close(): Promise<void>;
}

/**
 * Starts the emulator. Rejects when the address cannot be bound or an option is invalid
 * (unknown kind, malformed address). Devices start without key pairs; keys are generated on
 * first need, so startup of 32 devices takes milliseconds.
 */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  if (opts.trace) enableTrace();
  const seed = String(opts.seed ?? randomSeed());
  const kinds = (opts.kinds && opts.kinds.length ? opts.kinds : DEVICE_KINDS).map((k) => parseDeviceKind(k));
  const addr = parseListenAddress(opts.listen ?? '127.0.0.1:0');
  const all = new Map<string, EmulatedDevice>();
  const attached: EmulatedDevice[] = [];
  let nextIndex = 0;
  let nextDeviceId = 1;
  const services = new Map<string, ServiceFactory>([[MCINSTALL_SERVICE, mcInstallService]]);
  const usbmuxd = new UsbmuxServer({ attached: () => attached }, deriveSystemBUID(seed));

  const plug = (d: EmulatedDevice): void => {
    d.deviceId = nextDeviceId++;
    d.attached = true;
    attached.push(d);
    usbmuxd.announceAttached(d);
  };
  const detach = (udid: string): boolean => {
    const i = attached.findIndex((d) => d.udid === udid);
    if (i < 0) return false;
    const d = attached[i];
    attached.splice(i, 1);
    d.attached = false;
    d.dropConnections();
    usbmuxd.announceDetached(d);
    return true;
  };
  let closed = false;
  const erase = (d: EmulatedDevice): void => {
    d.wipe();
    detach(d.udid);
    setTimeout(() => {
      if (!closed && !d.attached) plug(d);
    }, d.knobs.eraseReattachMs ?? 300).unref();
  };
  const create = (kind: DeviceKind, knobs: DeviceKnobs): EmulatedDevice => {
    const index = nextIndex++;
    const d = new EmulatedDevice(deriveIdentity(seed, index, kind), knobs, (dev) => detach(dev.udid));
    d.onErase = erase;
    d.listenPort(LOCKDOWN_PORT, lockdownHandler(d, services));
    all.set(d.udid, d);
    return d;
  };
  const knobsFor = (index: number, kind: DeviceKind): DeviceKnobs =>
    typeof opts.knobs === 'function' ? opts.knobs(index, kind) : { ...(opts.knobs ?? {}) };

  const count = opts.devices ?? 1;
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length];
    plug(create(kind, knobsFor(i, kind)));
  }
  const bound = await usbmuxd.listen(addr);

  return {
    address: bound.address,
    port: bound.port,
    seed,
    systemBUID: usbmuxd.systemBUID,
    pairRecords: usbmuxd.pairRecords,
    get devices() {
      return [...attached];
    },
    attach(kind?: DeviceKind | string, knobs?: DeviceKnobs): EmulatedDevice {
      if (kind && all.has(kind)) {
        const d = all.get(kind) as EmulatedDevice;
        if (d.attached) throw new Error(`device ${kind} is already attached`);
        if (knobs) Object.assign(d.knobs, knobs);
        plug(d);
        return d;
      }
      const k = kind ? parseDeviceKind(kind) : kinds[nextIndex % kinds.length];
      const d = create(k, knobs ?? knobsFor(nextIndex, k));
      plug(d);
      return d;
    },
    detach,
    device: (udid: string) => all.get(udid),
    async close() {
      closed = true;
      for (const d of [...attached]) {
        d.attached = false;
        d.dropConnections();
      }
      attached.length = 0;
      await usbmuxd.close();
    },
  };
}
