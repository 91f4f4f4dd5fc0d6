/**
 * usbmuxd binary protocol (version 0) records, answered minimally as usbmuxd does for old
 * clients: RESULT payload `u32 result`, CONNECT request `{u32 device_id, u16 port (big-endian),
 * u16 reserved}`, DEVICE_ADD record `{u32 device_id; u16 product_id; char serial[256];
 * u16 padding; u32 location}`, DEVICE_REMOVE / DEVICE_PAIRED `u32 device_id`.
 * All integers little-endian except the port. Source: usbmuxd `src/usbmuxd-proto.h`;
 * ../shared/reference/device-protocols.md §1.2.
 */
import { encodeUsbmuxPacket, UsbmuxMessage, UsbmuxVersion } from '../../../main/apple/wire';

/** Size of the binary DEVICE_ADD record (bytes). */
export const BINARY_DEVICE_RECORD_SIZE = 268;

/** Encodes a version-0 RESULT message carrying `result` for request `tag`. */
export function encodeBinaryResult(result: number, tag: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32LE(result, 0);
  return encodeUsbmuxPacket({ version: UsbmuxVersion.Binary, message: UsbmuxMessage.Result, tag, payload });
}

/** Encodes a version-0 DEVICE_ADD event (tag 0). `serial` is the UDID, truncated to 255 bytes. */
export function encodeBinaryDeviceAdd(deviceId: number, productId: number, serial: string, locationId: number): Buffer {
  const payload = Buffer.alloc(BINARY_DEVICE_RECORD_SIZE);
  payload.writeUInt32LE(deviceId, 0);
  payload.writeUInt16LE(productId, 4);
  Buffer.from(serial, 'utf8').subarray(0, 255).copy(payload, 6);
  payload.writeUInt32LE(locationId >>> 0, 264);
  return encodeUsbmuxPacket({ version: UsbmuxVersion.Binary, message: UsbmuxMessage.DeviceAdd, tag: 0, payload });
}

/** Encodes a version-0 DEVICE_REMOVE or DEVICE_PAIRED event (tag 0). */
export function encodeBinaryDeviceEvent(message: typeof UsbmuxMessage.DeviceRemove | typeof UsbmuxMessage.DevicePaired, deviceId: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32LE(deviceId, 0);
  return encodeUsbmuxPacket({ version: UsbmuxVersion.Binary, message, tag: 0, payload });
}

/** Decodes a version-0 CONNECT payload. Returns null when it is shorter than 8 bytes. `port` is in host order. */
export function decodeBinaryConnect(payload: Buffer): { deviceId: number; port: number } | null {
  if (payload.length < 8) return null;
  return { deviceId: payload.readUInt32LE(0), port: payload.readUInt16BE(4) };
}
