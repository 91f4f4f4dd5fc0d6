/**
 * Finds Apple devices in DFU, recovery and restore mode on the host USB stack (Macs with Apple
 * silicon or T2, iPhone, iPad, Apple TV): filters vendor 0x05AC and the mode product IDs
 * (usb-ids.ts), decodes the iSerialNumber (serial-descriptor.ts), and reports hotplug changes.
 */
import type { UsbBackend, UsbDeviceDescriptor } from './backend';
import { parseSerialDescriptor, type AppleDfuIdentity } from './serial-descriptor';
import { APPLE_VENDOR_ID, classifyProductId, hex16, type AppleUsbMode } from './usb-ids';

/** An Apple device in DFU/recovery/restore mode (or normal mode when asked for). */
export interface AppleUsbDevice {
  /** Backend key while attached. */
  id: string;
  mode: AppleUsbMode;
  /** e.g. "DFU", "Port DFU", "Recovery (iBoot)". */
  modeLabel: string;
  productId: number;
  /** e.g. "0x1227". */
  productIdHex: string;
  /** USB location: bus and port path (e.g. "3-1.2"), when known. */
  location: string | null;
  /** The raw iSerialNumber, when readable. */
  serialDescriptor: string | null;
  /** Decoded identity; null when the descriptor is missing or not in TAG:value form. */
  identity: AppleDfuIdentity | null;
  /** Convenience copies of identity fields (JSON-friendly: ECID as hex string). */
  cpid: string | null;
  bdid: string | null;
  ecid: string | null;
  chip: string | null;
  chipFamily: string | null;
  udid: string | null;
  serialNumber: string | null;
}

/** A hotplug change. */
export interface AppleUsbChange {
  type: 'connect' | 'disconnect';
  device: AppleUsbDevice;
}

/** Maps a descriptor to an AppleUsbDevice, or null when it is not an Apple device in a wanted mode. */
export function toAppleUsbDevice(d: UsbDeviceDescriptor, modes: readonly AppleUsbMode[] = ['dfu', 'recovery', 'restore']): AppleUsbDevice | null {
  if (d.vendorId !== APPLE_VENDOR_ID) return null;
  const kind = classifyProductId(d.productId);
  if (!kind || !modes.includes(kind.mode)) return null;
  let identity: AppleDfuIdentity | null = null;
  if (d.serialNumber && kind.mode !== 'normal') {
    try {
      identity = parseSerialDescriptor(d.serialNumber);
    } catch {
      identity = null;
    }
  }
  const location = d.bus !== undefined ? `${d.bus}${d.ports?.length && !String(d.bus).includes('-') ? `-${d.ports.join('.')}` : ''}` : null;
  return {
    id: d.id,
    mode: kind.mode,
    modeLabel: kind.label,
    productId: d.productId,
    productIdHex: hex16(d.productId),
    location,
    serialDescriptor: d.serialNumber,
    identity,
    cpid: identity?.cpid !== undefined ? hex16(identity.cpid) : null,
    bdid: identity?.bdid !== undefined ? `0x${identity.bdid.toString(16).padStart(2, '0')}` : null,
    ecid: identity?.ecidHex ?? null,
    chip: identity?.chip?.name ?? null,
    chipFamily: identity?.chip?.family ?? null,
    udid: identity?.udid ?? null,
    serialNumber: identity?.srnm ?? null,
  };
}

/** Detector over a UsbBackend. */
export class AppleDfuDetector {
  constructor(private readonly backend: UsbBackend, private readonly modes: readonly AppleUsbMode[] = ['dfu', 'recovery', 'restore']) {}

  /** Apple devices in the wanted modes attached now. Rejects with UsbUnavailableError. */
  async list(): Promise<AppleUsbDevice[]> {
    return (await this.backend.list()).map((d) => toAppleUsbDevice(d, this.modes)).filter((d): d is AppleUsbDevice => d !== null);
  }

  /**
   * Reports connects and disconnects of Apple devices in the wanted modes until the returned
   * function is called. A disconnect is reported for devices seen connecting (or listed) before.
   */
  async watch(onChange: (c: AppleUsbChange) => void): Promise<() => void> {
    const seen = new Map<string, AppleUsbDevice>();
    const stop = await this.backend.watch(
      (d) => {
        const a = toAppleUsbDevice(d, this.modes);
        if (!a) return;
        seen.set(a.id, a);
        onChange({ type: 'connect', device: a });
      },
      (d) => {
        const a = seen.get(d.id) ?? toAppleUsbDevice(d, this.modes);
        if (!a) return;
        seen.delete(d.id);
        onChange({ type: 'disconnect', device: a });
      },
    );
    for (const a of await this.list()) seen.set(a.id, a);
    return stop;
  }
}
