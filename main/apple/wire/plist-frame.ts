/**
 * Length-prefixed plist frames used by lockdownd (port 62078) and the services it starts
 * (e.g. com.apple.mobile.MCInstall): a 4-byte big-endian payload length, then an XML or binary
 * plist. Source: libimobiledevice `src/property_list_service.c`;
 * ../shared/reference/device-protocols.md §2.1.
 */
import type { Duplex } from 'node:stream';
import { FrameTooLargeError } from './errors';
import { decodePlistDict, encodeBinaryPlist, encodeXmlPlist, type PlistDict } from './plist';
import type { SocketReader } from './socket-reader';

/** Largest plist frame accepted (bytes). Enrollment profiles and pair records are far smaller. */
export const PLIST_FRAME_MAX = 16 * 1024 * 1024;

/** Encodes `body` as a length-prefixed frame; XML unless `binary` is true. */
export function encodePlistFrame(body: PlistDict, binary = false): Buffer {
  const payload = binary ? encodeBinaryPlist(body) : encodeXmlPlist(body);
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(payload.length, 0);
  return Buffer.concat([prefix, payload]);
}

/** Writes one frame to `stream`. */
export function writePlistFrame(stream: Duplex, body: PlistDict, binary = false): void {
  stream.write(encodePlistFrame(body, binary));
}

/**
 * Reads one frame and decodes its dictionary. Throws FrameTooLargeError for a prefix above
 * `maxBytes`, MalformedMessageError for a body that is not a plist dictionary, and the reader's
 * ReadTimeoutError / ConnectionClosedError. `what` names the peer in errors.
 */
export async function readPlistFrame(reader: SocketReader, timeoutMs: number, what: string, maxBytes = PLIST_FRAME_MAX): Promise<PlistDict> {
  const prefix = await reader.read(4, timeoutMs);
  const length = prefix.readUInt32BE(0);
  if (length > maxBytes) throw new FrameTooLargeError(what, length, maxBytes);
  const body = await reader.read(length, timeoutMs);
  return decodePlistDict(body, what);
}
