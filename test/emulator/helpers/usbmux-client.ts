/**
 * Raw usbmuxd test client: sends plist (or binary) usbmuxd messages to the emulator and reads
 * replies and events, so tests see the exact wire behaviour (../shared/reference/device-protocols.md §1).
 */
import { connect, type Socket } from 'node:net';
import {
  SocketReader, encodeUsbmuxPacket, encodeUsbmuxPlist, readUsbmuxPacket, usbmuxPlistBody,
  type PlistDict, type UsbmuxPacket,
} from '../../../main/apple/wire';

/** Opens a TCP connection to "host:port". */
export function dial(address: string): Promise<Socket> {
  const i = address.lastIndexOf(':');
  const host = address.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(i + 1));
  return new Promise((resolve, reject) => {
    const s = connect({ host, port }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** One usbmuxd client connection. */
export class UsbmuxTestClient {
  readonly reader: SocketReader;
  private tag = 0;

  private constructor(readonly socket: Socket) {
    this.reader = new SocketReader(socket, 'test usbmuxd');
  }

  /** Connects to the emulator's usbmuxd at `address` (TCP). */
  static async open(address: string): Promise<UsbmuxTestClient> {
    return new UsbmuxTestClient(await dial(address));
  }

  /** Sends a plist request (MessageType plus the libusbmuxd envelope) and returns {tag, body} of the reply. */
  async request(body: PlistDict, timeoutMs = 5000): Promise<{ tag: number; body: PlistDict }> {
    const tag = ++this.tag;
    this.socket.write(encodeUsbmuxPlist({ ClientVersionString: 'emulator-test', ProgName: 'emulator-test', kLibUSBMuxVersion: 3, ...body }, tag));
    const p = await readUsbmuxPacket(this.reader, timeoutMs);
    return { tag: p.tag, body: usbmuxPlistBody(p) };
  }

  /** Sends a raw packet and reads one raw packet back. */
  async raw(p: UsbmuxPacket, timeoutMs = 5000): Promise<UsbmuxPacket> {
    this.socket.write(encodeUsbmuxPacket(p));
    return readUsbmuxPacket(this.reader, timeoutMs);
  }

  /** Reads the next plist message (events after Listen). */
  async next(timeoutMs = 5000): Promise<{ tag: number; body: PlistDict }> {
    const p = await readUsbmuxPacket(this.reader, timeoutMs);
    return { tag: p.tag, body: usbmuxPlistBody(p) };
  }

  /**
   * usbmuxd Connect to `port` (host order; swapped to network order on the wire as libusbmuxd does).
   * Returns the Result number; on 0 the socket is now a pipe to the device port (use `release()`).
   */
  async connectPort(deviceId: number, port: number): Promise<number> {
    const swapped = ((port & 0xff) << 8) | ((port >> 8) & 0xff);
    const r = await this.request({ MessageType: 'Connect', DeviceID: deviceId, PortNumber: swapped });
    return r.body.Number as number;
  }

  /** Detaches the reader and returns the socket (after a successful Connect). */
  release(): Socket {
    const { leftover } = this.reader.release();
    if (leftover.length) this.socket.unshift(leftover);
    return this.socket;
  }

  close(): void {
    this.socket.destroy();
  }
}
