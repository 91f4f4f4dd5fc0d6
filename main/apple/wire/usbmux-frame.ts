/**
 * usbmuxd message header: 16 bytes, four little-endian uint32 — length (including the header),
 * version (0 binary, 1 plist), message type, tag. Source: usbmuxd `src/usbmuxd-proto.h`;
 * ../shared/reference/device-protocols.md §1.2.
 */
import { FrameTooLargeError, MalformedMessageError } from './errors';
import { decodePlistDict, encodeXmlPlist, type PlistDict } from './plist';
import type { SocketReader } from './socket-reader';

export const USBMUX_HEADER_SIZE = 16;
/** Largest usbmuxd message accepted (bytes, header included). usbmuxd's own buffer is 64 KiB; pair records fit well below 1 MiB. */
export const USBMUX_MAX_MESSAGE = 1024 * 1024;

/** usbmuxd protocol versions (header field 2). */
export const UsbmuxVersion = { Binary: 0, Plist: 1 } as const;
/** usbmuxd message types (header field 3). */
export const UsbmuxMessage = { Result: 1, Connect: 2, Listen: 3, DeviceAdd: 4, DeviceRemove: 5, DevicePaired: 6, Plist: 8 } as const;

/** usbmuxd result codes (`enum usbmuxd_result`). */
export const UsbmuxResult = { OK: 0, BadCommand: 1, BadDevice: 2, ConnectionRefused: 3, NoSuchService: 4, BadVersion: 6 } as const;

/** A decoded usbmuxd message: header fields plus the plist payload (plist protocol only). */
export interface UsbmuxPacket {
  version: number;
  message: number;
  tag: number;
  payload: Buffer;
}

/** Encodes a plist-protocol message (version 1, type 8) carrying `body` as XML. */
export function encodeUsbmuxPlist(body: PlistDict, tag: number): Buffer {
  const payload = encodeXmlPlist(body);
  return encodeUsbmuxPacket({ version: UsbmuxVersion.Plist, message: UsbmuxMessage.Plist, tag, payload });
}

/** Encodes a raw usbmuxd packet. */
export function encodeUsbmuxPacket(p: UsbmuxPacket): Buffer {
  const header = Buffer.alloc(USBMUX_HEADER_SIZE);
  header.writeUInt32LE(USBMUX_HEADER_SIZE + p.payload.length, 0);
  header.writeUInt32LE(p.version, 4);
  header.writeUInt32LE(p.message, 8);
  header.writeUInt32LE(p.tag, 12);
  return Buffer.concat([header, p.payload]);
}

/**
 * Reads one usbmuxd packet. Throws FrameTooLargeError when the announced length exceeds
 * `maxBytes`, MalformedMessageError when it is shorter than the header, and the reader's
 * ReadTimeoutError / ConnectionClosedError otherwise.
 */
export async function readUsbmuxPacket(reader: SocketReader, timeoutMs: number, maxBytes = USBMUX_MAX_MESSAGE): Promise<UsbmuxPacket> {
  const header = await reader.read(USBMUX_HEADER_SIZE, timeoutMs);
  const length = header.readUInt32LE(0);
  if (length < USBMUX_HEADER_SIZE) throw new MalformedMessageError('usbmuxd', `length ${length} is shorter than the 16-byte header`);
  if (length > maxBytes) throw new FrameTooLargeError('usbmuxd', length, maxBytes);
  const payload = length > USBMUX_HEADER_SIZE ? await reader.read(length - USBMUX_HEADER_SIZE, timeoutMs) : Buffer.alloc(0);
  return { version: header.readUInt32LE(4), message: header.readUInt32LE(8), tag: header.readUInt32LE(12), payload };
}

/** Decodes the plist body of a plist-protocol packet. */
export function usbmuxPlistBody(p: UsbmuxPacket): PlistDict {
  if (p.message !== UsbmuxMessage.Plist) throw new MalformedMessageError('usbmuxd', `expected a plist message (8), got type ${p.message}`);
  return decodePlistDict(p.payload, 'usbmuxd');
}
