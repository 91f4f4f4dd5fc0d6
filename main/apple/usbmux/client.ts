/**
 * usbmuxd client: ListDevices, Connect, ReadBUID, ReadPairRecord, SavePairRecord,
 * DeletePairRecord (usbmuxd `src/client.c` `handle_command`; libusbmuxd;
 * ../shared/reference/device-protocols.md §1.4). Each call uses its own short-lived socket, as
 * libusbmuxd does; `listen()` keeps one open for events.
 */
import type net from 'node:net';
import { decodePlistDict, encodeXmlPlist, MalformedMessageError, UsbmuxResult, type PlistDict, type PlistValue } from '../wire';
import { resolveUsbmuxAddress, type UsbmuxAddress } from './address';
import { UsbmuxConnection, type UsbmuxConnectionOptions } from './connection';
import { usbmuxResultError } from './errors';
import { UsbmuxListener } from './listener';
import { parseAttached, sameUdid, type UsbmuxDevice } from './types';

/** Options for a UsbmuxClient. */
export interface UsbmuxClientOptions extends UsbmuxConnectionOptions {
  /** usbmuxd address (`UNIX:/path`, `host:port`, `[ipv6]:port`); default `USBMUXD_SOCKET_ADDRESS` or the platform default. */
  socketAddress?: string;
}

/** usbmuxd's `ENOENT` answer to ReadPairRecord / DeletePairRecord when no record exists. */
const ENOENT = 2;

/** Swaps the two bytes of a 16-bit port: usbmuxd wants `PortNumber` in network byte order (62078 → 32498). */
export function usbmuxPortNumber(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 0xffff) throw new RangeError(`port ${port} is not a TCP port (1-65535)`);
  return ((port & 0xff) << 8) | (port >> 8);
}

/** The `Number` of a `{MessageType:"Result", Number}` reply, or undefined when the reply is not a Result. */
export function resultNumber(reply: PlistDict): number | undefined {
  if (reply.MessageType !== 'Result') return undefined;
  const n = reply.Number;
  return typeof n === 'number' ? n : typeof n === 'bigint' ? Number(n) : undefined;
}

/** Talks to one usbmuxd daemon. Stateless apart from the address; safe to share. */
export class UsbmuxClient {
  readonly address: UsbmuxAddress;

  /** Throws UsbmuxAddressError when the address (option or env var) is malformed. */
  constructor(private readonly opts: UsbmuxClientOptions = {}) {
    this.address = resolveUsbmuxAddress(opts.socketAddress);
  }

  private async withConnection<T>(fn: (c: UsbmuxConnection) => Promise<T>): Promise<T> {
    const c = await UsbmuxConnection.open(this.address, this.opts);
    try {
      return await fn(c);
    } finally {
      c.close();
    }
  }

  private async expectOk(request: string, reply: PlistDict, context: { deviceId?: number; port?: number } = {}): Promise<void> {
    const n = resultNumber(reply);
    if (n === undefined) throw new MalformedMessageError('usbmuxd', `${request}: expected a Result reply`);
    if (n !== UsbmuxResult.OK) throw usbmuxResultError(request, n, context);
  }

  /** ListDevices → the attached devices (empty array when none). Throws UsbmuxError on a Result reply. */
  async listDevices(): Promise<UsbmuxDevice[]> {
    const reply = await this.withConnection((c) => c.request('ListDevices'));
    const list = reply.DeviceList;
    if (!Array.isArray(list)) {
      const n = resultNumber(reply);
      if (n !== undefined) throw usbmuxResultError('ListDevices', n);
      throw new MalformedMessageError('usbmuxd', 'ListDevices reply without DeviceList');
    }
    return list.map((d) => parseAttached(d as PlistDict));
  }

  /** Finds an attached device by UDID (dash/case-insensitive); null when not attached. */
  async findDevice(udid: string): Promise<UsbmuxDevice | null> {
    return (await this.listDevices()).find((d) => sameUdid(d.udid, udid)) ?? null;
  }

  /** ReadBUID → the host's SystemBUID (a UUID string, created by usbmuxd on first use). */
  async readBUID(): Promise<string> {
    const reply = await this.withConnection((c) => c.request('ReadBUID'));
    if (typeof reply.BUID === 'string') return reply.BUID;
    const n = resultNumber(reply);
    if (n !== undefined && n !== 0) throw usbmuxResultError('ReadBUID', n);
    throw new MalformedMessageError('usbmuxd', 'ReadBUID reply without BUID');
  }

  /**
   * ReadPairRecord(`PairRecordID` = UDID) → the decoded pair record dictionary, or null when
   * usbmuxd has none (Result ENOENT). Other failures throw UsbmuxError; an undecodable record
   * throws MalformedMessageError.
   */
  async readPairRecord(udid: string): Promise<PlistDict | null> {
    const reply = await this.withConnection((c) => c.request('ReadPairRecord', { PairRecordID: udid }));
    const data = reply.PairRecordData;
    if (data instanceof Uint8Array) return decodePlistDict(data, `pair record of ${udid}`);
    const n = resultNumber(reply);
    if (n === ENOENT) return null;
    if (n !== undefined && n !== 0) throw usbmuxResultError('ReadPairRecord', n);
    throw new MalformedMessageError('usbmuxd', 'ReadPairRecord reply without PairRecordData');
  }

  /**
   * SavePairRecord: stores `record` (encoded as an XML plist in `PairRecordData`) under `udid`.
   * With `deviceId` usbmuxd broadcasts `Paired` to listeners. Throws UsbmuxError when refused
   * (EINVAL = invalid record).
   */
  async savePairRecord(udid: string, record: PlistDict, deviceId?: number): Promise<void> {
    const extra: Record<string, PlistValue> = { PairRecordID: udid, PairRecordData: encodeXmlPlist(record) };
    if (deviceId !== undefined) extra.DeviceID = deviceId;
    const reply = await this.withConnection((c) => c.request('SavePairRecord', extra));
    await this.expectOk('SavePairRecord', reply);
  }

  /** DeletePairRecord: returns true when a record was deleted, false when none existed. */
  async deletePairRecord(udid: string): Promise<boolean> {
    const reply = await this.withConnection((c) => c.request('DeletePairRecord', { PairRecordID: udid }));
    const n = resultNumber(reply);
    if (n === ENOENT) return false;
    await this.expectOk('DeletePairRecord', reply);
    return true;
  }

  /**
   * Connect(DeviceID, port): on success the socket becomes a raw byte pipe to the device's TCP
   * `port` (host byte order here; swapped on the wire). The returned socket is paused: attach a
   * reader, then `resume()` it. Throws UsbmuxBadDeviceError (device gone),
   * UsbmuxConnectionRefusedError (port closed), ReadTimeoutError / ConnectionClosedError.
   */
  async connect(deviceId: number, port: number): Promise<net.Socket> {
    const c = await UsbmuxConnection.open(this.address, this.opts);
    try {
      const reply = await c.request('Connect', { DeviceID: deviceId, PortNumber: usbmuxPortNumber(port) });
      await this.expectOk('Connect', reply, { deviceId, port });
    } catch (err) {
      c.close();
      throw err;
    }
    const { stream, leftover } = c.reader.release();
    if (leftover.length > 0) stream.unshift(leftover);
    return stream as net.Socket;
  }

  /**
   * Listen: opens a long-lived socket and subscribes to Attached / Detached / Paired events.
   * Resolves once usbmuxd accepted the subscription (Result 0). Close the listener when done.
   */
  async listen(): Promise<UsbmuxListener> {
    const c = await UsbmuxConnection.open(this.address, this.opts);
    try {
      const reply = await c.request('Listen');
      await this.expectOk('Listen', reply);
    } catch (err) {
      c.close();
      throw err;
    }
    return new UsbmuxListener(c);
  }
}
