/**
 * Raw lockdownd / service test client over the emulator's usbmuxd: plaintext frames, a TLS client
 * on the same socket after StartSession (through a bridge the test controls, so it can drop back
 * to plaintext after StopSession), and TLS service connections. Independent of main/apple/lockdown.
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { SocketReader, encodePlistFrame, readPlistFrame, type PlistDict } from '../../../main/apple/wire';
import { pairRequestRecord, type TestPairRecord } from './pair-record';
import { UsbmuxTestClient } from './usbmux-client';

/** Lockdown port 62078 in host byte order. */
export const LOCKDOWN_PORT = 62078;

class ClientBridge extends Duplex {
  attached = true;
  private readonly onData = (c: Buffer): void => {
    if (this.attached) this.push(c);
  };

  constructor(private readonly raw: Socket) {
    super();
    raw.on('data', this.onData);
    raw.resume();
  }

  detach(): void {
    this.attached = false;
    this.raw.off('data', this.onData);
    this.raw.pause();
  }

  override _read(): void {}

  override _write(chunk: Buffer, _e: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.attached) this.raw.write(chunk, () => cb());
    else cb();
  }
}

/** TLS client options for the host side of a pairing: which certificate to present. */
export type ClientIdentity = 'host' | 'root';

/** Starts TLS as client over `stream` with the pair record's host (or root) certificate. */
export function tlsClient(stream: Duplex, rec: TestPairRecord, who: ClientIdentity = 'host'): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const t = tlsConnect({
      socket: stream,
      cert: who === 'host' ? rec.HostCertificate : rec.RootCertificate,
      key: who === 'host' ? rec.HostPrivateKey : rec.RootPrivateKey,
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: 'ALL:@SECLEVEL=0',
    }, () => {
      t.off('error', reject);
      resolve(t);
    });
    t.once('error', reject);
  });
}

/** One lockdownd connection. */
export class LockdownTestClient {
  private reader: SocketReader;
  private tls: TLSSocket | null = null;
  private bridge: ClientBridge | null = null;

  private constructor(readonly socket: Socket) {
    this.reader = new SocketReader(socket, 'test lockdownd');
    socket.resume();
  }

  /** Connects through usbmuxd at `address` to lockdownd of device `deviceId`. Throws if Connect is refused. */
  static async open(address: string, deviceId: number): Promise<LockdownTestClient> {
    const mux = await UsbmuxTestClient.open(address);
    const r = await mux.connectPort(deviceId, LOCKDOWN_PORT);
    if (r !== 0) {
      mux.close();
      throw new Error(`usbmuxd Connect failed with ${r}`);
    }
    return new LockdownTestClient(mux.release());
  }

  /** Sends `req` (Label added) and returns the reply dictionary; `binary` sends a bplist. */
  async call(req: PlistDict, binary = false, timeoutMs = 10000): Promise<PlistDict> {
    const stream: Duplex = this.tls ?? this.socket;
    stream.write(encodePlistFrame({ Label: 'emulator-test', ...req }, binary));
    return readPlistFrame(this.reader, timeoutMs, 'test lockdownd');
  }

  /** Sends a request and returns the raw reply payload bytes (to check the reply encoding). */
  async callRaw(req: PlistDict, binary: boolean): Promise<Buffer> {
    const stream: Duplex = this.tls ?? this.socket;
    stream.write(encodePlistFrame({ Label: 'emulator-test', ...req }, binary));
    const len = (await this.reader.read(4, 10000)).readUInt32BE(0);
    return this.reader.read(len, 10000);
  }

  /** lockdownd Pair with `rec`; returns the reply. */
  pair(rec: TestPairRecord): Promise<PlistDict> {
    return this.call({ Request: 'Pair', ProtocolVersion: '2', PairRecord: pairRequestRecord(rec), PairingOptions: { ExtendedPairingErrors: true } });
  }

  /** StartSession; on EnableSessionSSL performs the TLS handshake presenting `who`'s certificate. Returns the reply. */
  async startSession(rec: TestPairRecord, who: ClientIdentity = 'host'): Promise<PlistDict> {
    const reply = await this.call({ Request: 'StartSession', HostID: rec.HostID, SystemBUID: rec.SystemBUID });
    if (reply.EnableSessionSSL === true) {
      this.reader.release();
      this.bridge = new ClientBridge(this.socket);
      this.tls = await tlsClient(this.bridge, rec, who);
      this.reader = new SocketReader(this.tls, 'test lockdownd (TLS)');
    }
    return reply;
  }

  /**
   * StopSession, then back to plaintext. With `closeNotify`, first sends a TLS close_notify alert
   * record in the clear position libimobiledevice's SSL_shutdown leaves it (the device must skip it).
   */
  async stopSession(sessionId: string, closeNotify = true): Promise<PlistDict> {
    const reply = await this.call({ Request: 'StopSession', SessionID: sessionId });
    this.bridge?.detach();
    this.reader.release();
    this.tls?.destroy();
    this.tls = null;
    this.bridge = null;
    this.reader = new SocketReader(this.socket, 'test lockdownd');
    this.socket.resume();
    if (closeNotify) this.socket.write(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00]));
    return reply;
  }

  close(): void {
    this.tls?.destroy();
    this.socket.destroy();
  }
}

/** A TLS service connection (e.g. MCInstall) with frame helpers. */
export class ServiceTestClient {
  private readonly reader: SocketReader;

  private constructor(readonly tls: TLSSocket) {
    this.reader = new SocketReader(tls, 'test service');
  }

  /** Connects through usbmuxd to service `port` of device `deviceId` and starts TLS with `rec`. */
  static async open(address: string, deviceId: number, port: number, rec: TestPairRecord, who: ClientIdentity = 'host'): Promise<ServiceTestClient> {
    const mux = await UsbmuxTestClient.open(address);
    const r = await mux.connectPort(deviceId, port);
    if (r !== 0) {
      mux.close();
      throw new Error(`usbmuxd Connect to service port ${port} failed with ${r}`);
    }
    return new ServiceTestClient(await tlsClient(mux.release(), rec, who));
  }

  /** Sends one request frame and reads the reply. */
  async call(req: PlistDict, binary = false, timeoutMs = 10000): Promise<PlistDict> {
    this.tls.write(encodePlistFrame(req, binary));
    return readPlistFrame(this.reader, timeoutMs, 'test service');
  }

  close(): void {
    this.tls.destroy();
  }
}

/**
 * Pairs `rec` with the device, starts a session and the service `name`; returns the open service
 * client. Throws when any step answers an Error.
 */
export async function openService(address: string, deviceId: number, rec: TestPairRecord, name: string): Promise<ServiceTestClient> {
  const ld = await LockdownTestClient.open(address, deviceId);
  try {
    const s = await ld.startSession(rec);
    if (s.Error) throw new Error(`StartSession: ${String(s.Error)}`);
    const r = await ld.call({ Request: 'StartService', Service: name });
    if (r.Error) throw new Error(`StartService: ${String(r.Error)}`);
    return await ServiceTestClient.open(address, deviceId, r.Port as number, rec);
  } finally {
    ld.close();
  }
}
