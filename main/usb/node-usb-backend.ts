/**
 * UsbBackend over the `usb` package 3.x (node-usb-rs: Rust `nusb` + napi-rs, WebUSB API):
 * `usb.getDevices()` to list, `connect` / `disconnect` events for hotplug
 * (../shared/reference/electron-and-sync.md §6.2). The package is loaded on first use, so a host
 * where its native part cannot load still runs everything else; every failure of the USB stack
 * (no /sys/bus/usb in a container, no permission, no native binary) becomes UsbUnavailableError.
 * Hotplug is only armed after a successful listing: the package reports a failing hotplug
 * registration by throwing from a timer, which would end the process.
 */
import { UsbUnavailableError, type UsbBackend, type UsbDeviceDescriptor } from './backend';

/** The slice of the `usb` package's UsbDevice we read. */
interface NativeUsbDevice {
  vendorId: number;
  productId: number;
  bus?: string;
  address?: number;
  ports?: number[];
  readonly handle?: string;
  readonly serialNumber?: string | null;
  readonly manufacturerName?: string | null;
  readonly productName?: string | null;
}

/** The slice of the package's WebUSB object we use. */
interface NativeWebUsb {
  getDevices(): Promise<NativeUsbDevice[]>;
  addEventListener(type: 'connect' | 'disconnect', listener: (ev: { device: NativeUsbDevice }) => void): void;
  removeEventListener(type: 'connect' | 'disconnect', listener: (ev: { device: NativeUsbDevice }) => void): void;
}

function read<T>(get: () => T): T | null {
  try {
    return get();
  } catch {
    return null;
  }
}

/** Maps a package device to a descriptor (string descriptors that cannot be read become null). */
export function describeNativeDevice(d: NativeUsbDevice): UsbDeviceDescriptor {
  return {
    id: read(() => d.handle) ?? `${d.bus ?? '?'}:${d.address ?? '?'}`,
    vendorId: d.vendorId,
    productId: d.productId,
    serialNumber: read(() => d.serialNumber ?? null),
    manufacturerName: read(() => d.manufacturerName ?? null),
    productName: read(() => d.productName ?? null),
    bus: d.bus,
    address: d.address,
    ports: d.ports,
  };
}

/** The real backend. `load` imports the package (injectable to report a missing native module). */
export function nodeUsbBackend(load: () => Promise<NativeWebUsb> = async () => (await import('usb')).usb as unknown as NativeWebUsb): UsbBackend {
  let webusb: Promise<NativeWebUsb> | null = null;
  const get = (): Promise<NativeWebUsb> => {
    webusb ??= load().catch((err: Error) => {
      webusb = null;
      throw new UsbUnavailableError(`the usb module cannot be loaded (${err.message})`);
    });
    return webusb;
  };
  const list = async (): Promise<UsbDeviceDescriptor[]> => {
    const usb = await get();
    let devices: NativeUsbDevice[];
    try {
      devices = await usb.getDevices();
    } catch (err) {
      const msg = (err as Error).message;
      const hint = /not found|ENOENT|errno 2/i.test(msg) ? ' (no USB subsystem: a container or VM without USB passthrough?)' : /EACCES|permission/i.test(msg) ? ' (permission denied: install resources/udev rules)' : '';
      throw new UsbUnavailableError(`${msg}${hint}`);
    }
    return devices.map(describeNativeDevice);
  };
  return {
    list,
    async watch(onConnect, onDisconnect) {
      await list(); // proves the stack works before arming hotplug
      const usb = await get();
      const connect = (ev: { device: NativeUsbDevice }): void => onConnect(describeNativeDevice(ev.device));
      const disconnect = (ev: { device: NativeUsbDevice }): void => onDisconnect(describeNativeDevice(ev.device));
      usb.addEventListener('connect', connect);
      usb.addEventListener('disconnect', disconnect);
      return () => {
        usb.removeEventListener('connect', connect);
        usb.removeEventListener('disconnect', disconnect);
      };
    },
  };
}
