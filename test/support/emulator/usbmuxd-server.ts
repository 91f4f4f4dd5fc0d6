/**
 * Emulated usbmuxd: the host-side daemon that lists devices, reports hot-plug events, pipes
 * `Connect` sockets to a device port and keeps pair records (in memory). Speaks the 16-byte
 * little-endian header with the plist protocol (version 1, message 8, XML answered in XML) and a
 * minimal binary protocol (version 0: CONNECT, LISTEN). Reference:
 * ../shared/reference/device-protocols.md §1 (usbmuxd `src/client.c`).
 */
import { existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import {
  SocketReader, UsbmuxMessage, UsbmuxResult, UsbmuxVersion, decodePlistDict, encodeUsbmuxPlist, readUsbmuxPacket,
  type PlistDict, type UsbmuxPacket,
} from '../../../main/apple/wire';
import type { EmulatedDevice } from './emulated-device';
import { decodeBinaryConnect, encodeBinaryDeviceAdd, encodeBinaryDeviceEvent, encodeBinaryResult } from './usbmuxd-binary';
import { trace } from './trace';

/** USB 2.0 high speed in bits per second, as usbmuxd reports for iOS devices. */
export const USB_HIGH_SPEED_BPS = 480_000_000;

/** errno values usbmuxd answers for pair-record requests. */
const ENOENT = 2;
const EINVAL = 22;

/** What the usbmuxd server needs to know about devices. */
export interface DeviceRegistry {
  /** Currently attached devices, in attach order. */
  attached(): EmulatedDevice[];
}

/** Where the server listens: TCP host/port or a UNIX socket path. */
export type ListenAddress = { host: string; port: number } | { path: string };

/** Parses "HOST:PORT", "[v6]:PORT" or "UNIX:/path". Throws on anything else. */
export function parseListenAddress(text: string): ListenAddress {
  if (text.startsWith('UNIX:')) {
    const path = text.slice(5);
    if (!path) throw new Error('UNIX: needs a socket path');
    return { path };
  }
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  if (!m) throw new Error(`invalid listen address "${text}" (expected HOST:PORT or UNIX:/path)`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`invalid port ${port}`);
  return { host: m[1] ?? m[2], port };
}

/** The usbmuxd `Attached` dictionary of a device (ListDevices entries and Listen events). */
export function attachedDict(d: EmulatedDevice): PlistDict {
  return {
    DeviceID: d.deviceId,
    MessageType: 'Attached',
    Properties: {
      ConnectionSpeed: USB_HIGH_SPEED_BPS,
      ConnectionType: 'USB',
      DeviceID: d.deviceId,
      LocationID: d.identity.LocationID,
      ProductID: d.model.usbProductId,
      SerialNumber: d.udid,
      USBSerialNumber: d.udid.replace('-', ''),
    },
  };
}

interface Listener {
  socket: Socket;
  binary: boolean;
  info: PlistDict;
}

/** The emulated usbmuxd. */
export class UsbmuxServer {
  /** Host pair records by UDID (the PairRecordData bytes as saved). */
  readonly pairRecords = new Map<string, Buffer>();
  private readonly listeners = new Set<Listener>();
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  private unixPath: string | null = null;

  constructor(private readonly registry: DeviceRegistry, readonly systemBUID: string) {}

  /** Starts listening; resolves with the bound address string ("127.0.0.1:PORT" or "UNIX:/path") and TCP port (0 for UNIX). */
  listen(addr: ListenAddress): Promise<{ address: string; port: number }> {
    const server = createServer((s) => this.accept(s));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      const done = (): void => {
        server.off('error', reject);
        if ('path' in addr) {
          resolve({ address: `UNIX:${addr.path}`, port: 0 });
          return;
        }
        const a = server.address();
        const port = typeof a === 'object' && a ? a.port : addr.port;
        const host = addr.host.includes(':') ? `[${addr.host}]` : addr.host;
        resolve({ address: `${host}:${port}`, port });
      };
      if ('path' in addr) {
        if (existsSync(addr.path)) unlinkSync(addr.path);
        this.unixPath = addr.path;
        server.listen(addr.path, done);
      } else {
        server.listen(addr.port, addr.host, done);
      }
    });
  }

  /** Stops listening and closes every client socket. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.listeners.clear();
    const server = this.server;
    this.server = null;
    return new Promise((resolve) => {
      if (!server) {
        resolve();
        return;
      }
      server.close(() => {
        if (this.unixPath && existsSync(this.unixPath)) {
          try {
            unlinkSync(this.unixPath);
          } catch {
            /* already gone */
          }
        }
        resolve();
      });
    });
  }

  /** Sends `Attached` to every listener. */
  announceAttached(d: EmulatedDevice): void {
    this.broadcast(attachedDict(d), () => encodeBinaryDeviceAdd(d.deviceId, d.model.usbProductId, d.udid, d.identity.LocationID));
  }

  /** Sends `Detached` to every listener. */
  announceDetached(d: EmulatedDevice): void {
    this.broadcast({ MessageType: 'Detached', DeviceID: d.deviceId }, () => encodeBinaryDeviceEvent(UsbmuxMessage.DeviceRemove, d.deviceId));
  }

  /** Sends `Paired` to every listener. */
  announcePaired(d: EmulatedDevice): void {
    this.broadcast({ MessageType: 'Paired', DeviceID: d.deviceId }, () => encodeBinaryDeviceEvent(UsbmuxMessage.DevicePaired, d.deviceId));
  }

  private broadcast(body: PlistDict, binary: () => Buffer): void {
    for (const l of this.listeners) {
      if (l.socket.destroyed) {
        this.listeners.delete(l);
        continue;
      }
      trace('usbmuxd', '->', body);
      l.socket.write(l.binary ? binary() : encodeUsbmuxPlist(body, 0));
    }
  }

  private addListener(l: Listener): void {
    this.listeners.add(l);
    l.socket.once('close', () => this.listeners.delete(l));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => this.sockets.delete(socket));
    void this.serve(socket);
  }

  private async serve(socket: Socket): Promise<void> {
    const reader = new SocketReader(socket, 'usbmuxd client');
    for (;;) {
      let p: UsbmuxPacket;
      try {
        p = await readUsbmuxPacket(reader, 0);
      } catch {
        socket.destroy();
        return;
      }
      if (p.version > UsbmuxVersion.Plist) {
        socket.write(encodeBinaryResult(UsbmuxResult.BadVersion, p.tag));
        continue;
      }
      if (p.version === UsbmuxVersion.Binary) {
        if (this.handleBinary(socket, reader, p)) return;
        continue;
      }
      if (p.message !== UsbmuxMessage.Plist) {
        this.send(socket, { MessageType: 'Result', Number: UsbmuxResult.BadCommand }, p.tag);
        continue;
      }
      let req: PlistDict;
      try {
        req = decodePlistDict(p.payload, 'usbmuxd request');
      } catch {
        this.send(socket, { MessageType: 'Result', Number: UsbmuxResult.BadCommand }, p.tag);
        continue;
      }
      trace('usbmuxd', '<-', { ...req, tag: p.tag });
      if (this.handlePlist(socket, reader, req, p.tag)) return;
    }
  }

  private send(socket: Socket, body: PlistDict, tag: number): void {
    trace('usbmuxd', '->', { ...body, tag });
    socket.write(encodeUsbmuxPlist(body, tag));
  }

  private findDevice(id: unknown): EmulatedDevice | undefined {
    return typeof id === 'number' ? this.registry.attached().find((d) => d.deviceId === id) : undefined;
  }

  /** Handles one plist request. Returns true when the socket was handed to a device (Connect). */
  private handlePlist(socket: Socket, reader: SocketReader, req: PlistDict, tag: number): boolean {
    const result = (n: number): void => this.send(socket, { MessageType: 'Result', Number: n }, tag);
    const type = typeof req.MessageType === 'string' ? req.MessageType : '';
    switch (type) {
      case 'ListDevices':
        this.send(socket, { DeviceList: this.registry.attached().map(attachedDict) }, tag);
        return false;
      case 'Listen': {
        result(UsbmuxResult.OK);
        const info: PlistDict = {};
        for (const k of ['ProgName', 'ClientVersionString', 'BundleID', 'kLibUSBMuxVersion']) if (req[k] !== undefined) info[k] = req[k];
        this.addListener({ socket, binary: false, info });
        for (const d of this.registry.attached()) this.send(socket, attachedDict(d), 0);
        return false;
      }
      case 'Connect': {
        const d = this.findDevice(req.DeviceID);
        if (!d) {
          result(UsbmuxResult.BadDevice);
          return false;
        }
        const raw = typeof req.PortNumber === 'number' ? req.PortNumber : -1;
        const port = ((raw & 0xff) << 8) | ((raw >> 8) & 0xff);
        if (raw < 0 || !d.hasPort(port)) {
          result(UsbmuxResult.ConnectionRefused);
          return false;
        }
        result(UsbmuxResult.OK);
        this.handOff(socket, reader, d, port);
        return true;
      }
      case 'ReadBUID':
        this.send(socket, { BUID: this.systemBUID }, tag);
        return false;
      case 'ReadPairRecord': {
        const rec = typeof req.PairRecordID === 'string' ? this.pairRecords.get(req.PairRecordID) : undefined;
        if (!rec) result(ENOENT);
        else this.send(socket, { PairRecordData: rec }, tag);
        return false;
      }
      case 'SavePairRecord': {
        const id = req.PairRecordID;
        const data = req.PairRecordData;
        if (typeof id !== 'string' || !(data instanceof Uint8Array)) {
          result(EINVAL);
          return false;
        }
        this.pairRecords.set(id, Buffer.from(data));
        result(UsbmuxResult.OK);
        const d = this.findDevice(req.DeviceID);
        if (d && d.udid === id) this.announcePaired(d);
        return false;
      }
      case 'DeletePairRecord': {
        const id = typeof req.PairRecordID === 'string' ? req.PairRecordID : '';
        result(this.pairRecords.delete(id) ? UsbmuxResult.OK : ENOENT);
        return false;
      }
      case 'ListListeners':
        this.send(socket, {
          ListenerList: [...this.listeners].filter((l) => !l.socket.destroyed).map((l, i) => ({
            ID: i + 1, ConnType: 0, Blacklisted: false, ...l.info,
            ...(l.binary ? { kLibUSBMuxVersion: 0 } : {}),
          })),
        }, tag);
        return false;
      default:
        result(UsbmuxResult.BadCommand);
        return false;
    }
  }

  /** Handles one binary (version 0) request. Returns true when the socket was handed to a device. */
  private handleBinary(socket: Socket, reader: SocketReader, p: UsbmuxPacket): boolean {
    trace('usbmuxd', '<-', `binary message ${p.message} tag ${p.tag}`);
    if (p.message === UsbmuxMessage.Listen) {
      socket.write(encodeBinaryResult(UsbmuxResult.OK, p.tag));
      this.addListener({ socket, binary: true, info: { ProgName: 'binary-protocol client' } });
      for (const d of this.registry.attached()) socket.write(encodeBinaryDeviceAdd(d.deviceId, d.model.usbProductId, d.udid, d.identity.LocationID));
      return false;
    }
    if (p.message === UsbmuxMessage.Connect) {
      const c = decodeBinaryConnect(p.payload);
      const d = c ? this.findDevice(c.deviceId) : undefined;
      if (!c || !d) {
        socket.write(encodeBinaryResult(UsbmuxResult.BadDevice, p.tag));
        return false;
      }
      if (!d.hasPort(c.port)) {
        socket.write(encodeBinaryResult(UsbmuxResult.ConnectionRefused, p.tag));
        return false;
      }
      socket.write(encodeBinaryResult(UsbmuxResult.OK, p.tag));
      this.handOff(socket, reader, d, c.port);
      return true;
    }
    socket.write(encodeBinaryResult(UsbmuxResult.BadCommand, p.tag));
    return false;
  }

  private handOff(socket: Socket, reader: SocketReader, d: EmulatedDevice, port: number): void {
    const { leftover } = reader.release();
    trace('usbmuxd', '--', `socket piped to ${d.udid} port ${port}`);
    d.connect(port, socket, leftover);
  }
}
