/**
 * The host USB stack as StageBench sees it: list the attached USB devices and be told when one is
 * connected or disconnected. The real backend wraps the `usb` package (node-usb-backend.ts);
 * tests use a backend that emits device descriptors (a stand-in for the OS USB stack).
 */

/** What the USB stack reports about one attached device (USB device descriptor + location). */
export interface UsbDeviceDescriptor {
  /** Stable key while attached (bus + address, or the backend's handle). */
  id: string;
  vendorId: number;
  productId: number;
  /** iSerialNumber string, null when the device has none or it cannot be read. */
  serialNumber: string | null;
  manufacturerName?: string | null;
  productName?: string | null;
  /** Bus name (e.g. "1-1", "3-2.4") or number. */
  bus?: string;
  /** Device address on the bus. */
  address?: number;
  /** Port path from the root hub (e.g. [3, 4]). */
  ports?: number[];
}

/** Host USB access. Methods reject with UsbUnavailableError when the host gives no USB access. */
export interface UsbBackend {
  /** Devices attached now. */
  list(): Promise<UsbDeviceDescriptor[]>;
  /** Hotplug: calls `onConnect` / `onDisconnect` until the returned function is called. */
  watch(onConnect: (d: UsbDeviceDescriptor) => void, onDisconnect: (d: UsbDeviceDescriptor) => void): Promise<() => void>;
}

/** No USB access on this host (no USB subsystem, no permission, the native module missing). */
export class UsbUnavailableError extends Error {
  constructor(reason: string) {
    super(`USB access unavailable: ${reason}`);
    this.name = 'UsbUnavailableError';
  }
}
