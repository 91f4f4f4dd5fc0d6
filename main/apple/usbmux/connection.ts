/**
 * One socket to usbmuxd speaking the plist protocol (version 1, message 8): request envelope
 * with ClientVersionString / ProgName / kLibUSBMuxVersion = 3 and a process-wide increasing tag
 * (libusbmuxd `create_plist_message()`; ../shared/reference/device-protocols.md §1.3).
 */
import type net from 'node:net';
import {
  encodeUsbmuxPlist,
  MalformedMessageError,
  readUsbmuxPacket,
  SocketReader,
  UsbmuxMessage,
  usbmuxPlistBody,
  type PlistDict,
  type UsbmuxPacket,
} from '../wire';
import { connectUsbmuxSocket, formatUsbmuxAddress, type UsbmuxAddress } from './address';

/** `ClientVersionString` sent with every request. */
export const USBMUX_CLIENT_VERSION = 'stagebench-usbmux 1';
/** `kLibUSBMuxVersion` sent with every request (libusbmuxd 2.x sends 3). */
export const LIBUSBMUX_VERSION = 3;

let lastTag = 0;
/** Next request tag: increases across all sockets of this process, as libusbmuxd does. Never 0 (events use 0). */
export function nextUsbmuxTag(): number {
  lastTag = lastTag >= 0x7fffffff ? 1 : lastTag + 1;
  return lastTag;
}

/** Options shared by the usbmuxd calls. Times are milliseconds. */
export interface UsbmuxConnectionOptions {
  /** Program name sent as `ProgName` (default "stagebench"). */
  progName?: string;
  /** Deadline for each reply (default 10 000 ms). */
  timeoutMs?: number;
}

/** A connected usbmuxd socket. Use `request()` for request/response, `close()` always. */
export class UsbmuxConnection {
  readonly reader: SocketReader;
  private closed = false;

  private constructor(readonly socket: net.Socket, readonly address: UsbmuxAddress, private readonly progName: string, readonly timeoutMs: number) {
    this.reader = new SocketReader(socket, `usbmuxd at ${formatUsbmuxAddress(address)}`);
  }

  /** Connects to usbmuxd. Rejects with UsbmuxUnavailableError / ReadTimeoutError. */
  static async open(address: UsbmuxAddress, opts: UsbmuxConnectionOptions = {}): Promise<UsbmuxConnection> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const socket = await connectUsbmuxSocket(address, timeoutMs);
    return new UsbmuxConnection(socket, address, opts.progName ?? 'stagebench', timeoutMs);
  }

  /** Sends `{MessageType, ...extra}` with the standard envelope; returns the tag used. */
  send(messageType: string, extra: PlistDict = {}): number {
    const tag = nextUsbmuxTag();
    const body: PlistDict = {
      ClientVersionString: USBMUX_CLIENT_VERSION,
      MessageType: messageType,
      ProgName: this.progName,
      kLibUSBMuxVersion: LIBUSBMUX_VERSION,
      ...extra,
    };
    this.socket.write(encodeUsbmuxPlist(body, tag));
    return tag;
  }

  /** Reads one packet (deadline `timeoutMs`, 0 = wait forever, for Listen). */
  readPacket(timeoutMs = this.timeoutMs): Promise<UsbmuxPacket> {
    return readUsbmuxPacket(this.reader, timeoutMs);
  }

  /**
   * Sends a request and returns the reply dictionary whose tag matches. Throws
   * MalformedMessageError for a non-plist reply, and ReadTimeoutError / ConnectionClosedError.
   */
  async request(messageType: string, extra: PlistDict = {}): Promise<PlistDict> {
    const tag = this.send(messageType, extra);
    for (;;) {
      const packet = await this.readPacket();
      if (packet.message !== UsbmuxMessage.Plist) {
        throw new MalformedMessageError('usbmuxd', `${messageType}: expected a plist reply, got binary message type ${packet.message}`);
      }
      if (packet.tag === tag) return usbmuxPlistBody(packet);
      // A reply to another tag (should not happen on a dedicated socket): skip it.
    }
  }

  /** Closes the socket (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }
}
