/**
 * Shapes of usbmuxd device records and events (usbmuxd `create_device_attached_plist()`;
 * ../shared/reference/device-protocols.md §1.5). Key names are Apple's.
 */
import { isPlistDict, MalformedMessageError, type PlistDict } from '../wire';

/** `Properties` of an `Attached` record. `SerialNumber` is the UDID; `ConnectionSpeed` in bit/s. */
export interface UsbmuxDeviceProperties {
  DeviceID: number;
  SerialNumber: string;
  ConnectionType: string;
  ProductID?: number;
  LocationID?: number;
  ConnectionSpeed?: number;
  /** Every key as received (Apple's usbmuxd adds NetworkAddress, EscapedFullServiceName, ...). */
  raw: PlistDict;
}

/** One attached device as listed by ListDevices or announced by Listen. */
export interface UsbmuxDevice {
  DeviceID: number;
  /** The UDID (= Properties.SerialNumber). */
  udid: string;
  Properties: UsbmuxDeviceProperties;
}

/** A Listen event: `Attached` carries the device; `Detached` / `Paired` only its DeviceID. */
export type UsbmuxEvent =
  | { MessageType: 'Attached'; DeviceID: number; device: UsbmuxDevice }
  | { MessageType: 'Detached'; DeviceID: number }
  | { MessageType: 'Paired'; DeviceID: number };

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
}

/**
 * Parses an `Attached` dictionary (`{MessageType, DeviceID, Properties:{...}}`). Throws
 * MalformedMessageError when DeviceID or Properties.SerialNumber is missing.
 */
export function parseAttached(d: PlistDict): UsbmuxDevice {
  const props = d.Properties;
  if (!isPlistDict(props)) throw new MalformedMessageError('usbmuxd', 'device record without Properties');
  const id = num(d.DeviceID) ?? num(props.DeviceID);
  const serial = props.SerialNumber;
  if (id === undefined || typeof serial !== 'string') throw new MalformedMessageError('usbmuxd', 'device record without DeviceID or SerialNumber');
  return {
    DeviceID: id,
    udid: serial,
    Properties: {
      DeviceID: id,
      SerialNumber: serial,
      ConnectionType: typeof props.ConnectionType === 'string' ? props.ConnectionType : 'USB',
      ProductID: num(props.ProductID),
      LocationID: num(props.LocationID),
      ConnectionSpeed: num(props.ConnectionSpeed),
      raw: props,
    },
  };
}

/** Parses one Listen message; returns null for message types this client does not know. */
export function parseUsbmuxEvent(d: PlistDict): UsbmuxEvent | null {
  const type = d.MessageType;
  if (type === 'Attached') {
    const device = parseAttached(d);
    return { MessageType: 'Attached', DeviceID: device.DeviceID, device };
  }
  if (type === 'Detached' || type === 'Paired') {
    const id = num(d.DeviceID);
    if (id === undefined) throw new MalformedMessageError('usbmuxd', `${type} event without DeviceID`);
    return { MessageType: type, DeviceID: id };
  }
  return null;
}

/** Compares UDIDs ignoring case and the dash libusbmuxd inserts into 24-character serials. */
export function sameUdid(a: string, b: string): boolean {
  const n = (s: string): string => s.replace(/-/g, '').toUpperCase();
  return n(a) === n(b);
}
