/**
 * lockdownd client over a usbmuxd Connect to port 62078: QueryType, GetValue, SetValue,
 * RemoveValue, Pair, ValidatePair, StartSession (+ TLS on the same socket), StopSession,
 * StartService (+ service TLS). libimobiledevice `src/lockdown.c`;
 * ../shared/reference/device-protocols.md §2.
 */
import type { UsbmuxClient, UsbmuxDevice } from '../usbmux';
import { isPlistDict, type PlistDict, type PlistValue } from '../wire';
import { LockdownError, LockdownProtocolError } from './errors';
import type { PairRecord } from './pair-record';
import { PlistService, type PlistServiceOptions } from './plist-service';

/** lockdownd's TCP port on the device. */
export const LOCKDOWN_PORT = 62078;

/** Options of a lockdown connection. Times in milliseconds. */
export interface LockdownOptions extends PlistServiceOptions {
  /** `Label` sent with every request (default "stagebench"). */
  label?: string;
}

/** StartSession reply: `SessionID` and whether TLS was switched on (`EnableSessionSSL`). */
export interface LockdownSession {
  SessionID: string;
  EnableSessionSSL: boolean;
}

/** StartService reply: the device `Port` to Connect to and whether the service wants TLS. */
export interface StartedService {
  Service: string;
  Port: number;
  EnableServiceSSL: boolean;
}

/** The `PairRecord` sub-dictionary sent in Pair/ValidatePair: certificates and IDs only, never private keys. */
export function pairRequestRecord(r: PairRecord): PlistDict {
  return {
    DeviceCertificate: r.DeviceCertificate,
    HostCertificate: r.HostCertificate,
    RootCertificate: r.RootCertificate,
    SystemBUID: r.SystemBUID,
    HostID: r.HostID,
  };
}

/**
 * One lockdownd connection. Create with `LockdownClient.connect()`; always `close()`.
 * Every request throws LockdownError (Apple's `Error` string in `.code`), ReadTimeoutError when
 * the device does not answer in time, ConnectionClosedError when it is detached.
 */
export class LockdownClient {
  private session: LockdownSession | null = null;
  private record: PairRecord | null = null;

  private constructor(
    readonly service: PlistService,
    readonly usbmux: UsbmuxClient,
    readonly device: UsbmuxDevice,
    private readonly opts: LockdownOptions,
  ) {}

  /** Connects to lockdownd of `device` through `usbmux`. Throws the UsbmuxError of Connect. */
  static async connect(usbmux: UsbmuxClient, device: UsbmuxDevice, opts: LockdownOptions = {}): Promise<LockdownClient> {
    const socket = await usbmux.connect(device.DeviceID, LOCKDOWN_PORT);
    const service = new PlistService(socket, `lockdownd of ${device.udid}`, opts);
    return new LockdownClient(service, usbmux, device, opts);
  }

  /** The device UDID. */
  get udid(): string {
    return this.device.udid;
  }

  /** The active session, or null. */
  get activeSession(): LockdownSession | null {
    return this.session;
  }

  /** The pair record of the active session, or null. */
  get pairRecord(): PairRecord | null {
    return this.record;
  }

  /**
   * Sends `{Label, Request, ...extra}` and returns the reply. Throws LockdownError when the
   * reply has `Error` (or legacy `Result:"Failure"`), LockdownProtocolError when it echoes a
   * different Request. `timeoutMs` overrides the per-request deadline.
   */
  async request(request: string, extra: PlistDict = {}, timeoutMs?: number): Promise<PlistDict> {
    const reply = await this.service.request({ Label: this.opts.label ?? 'stagebench', Request: request, ...extra }, timeoutMs);
    if (typeof reply.Error === 'string') throw new LockdownError(request, reply.Error);
    if (reply.Result === 'Failure') throw new LockdownError(request, 'Failure', 'the device reported Result=Failure');
    if (typeof reply.Request === 'string' && reply.Request !== request) {
      throw new LockdownProtocolError(request, `reply is for "${reply.Request}"`);
    }
    return reply;
  }

  /** QueryType → `Type` ("com.apple.mobile.lockdown" in normal mode). */
  async queryType(): Promise<string> {
    const reply = await this.request('QueryType');
    if (typeof reply.Type !== 'string') throw new LockdownProtocolError('QueryType', 'no Type');
    return reply.Type;
  }

  /**
   * GetValue: `Value` of `key` in `domain` (both optional; neither → the whole domain
   * dictionary). Returns undefined when the reply carries no Value. Before pairing only a subset
   * is readable (ProductVersion, DeviceClass, DevicePublicKey, WiFiAddress, UniqueDeviceID, ...);
   * others fail with LockdownError (e.g. GetProhibited / MissingValue).
   */
  async getValue(domain?: string, key?: string): Promise<PlistValue | undefined> {
    const extra: PlistDict = {};
    if (domain !== undefined) extra.Domain = domain;
    if (key !== undefined) extra.Key = key;
    const reply = await this.request('GetValue', extra);
    return reply.Value;
  }

  /** GetValue without a key: the dictionary of `domain` (default domain when omitted). */
  async getValues(domain?: string): Promise<PlistDict> {
    const v = await this.getValue(domain);
    if (!isPlistDict(v)) throw new LockdownProtocolError('GetValue', 'Value is not a dictionary');
    return v;
  }

  /** SetValue of `key` in `domain` (undefined = default domain), e.g. `com.apple.international` Language. */
  async setValue(domain: string | undefined, key: string, value: PlistValue): Promise<void> {
    const extra: PlistDict = { Key: key, Value: value };
    if (domain !== undefined) extra.Domain = domain;
    await this.request('SetValue', extra);
  }

  /** RemoveValue of `key` in `domain`. */
  async removeValue(domain: string | undefined, key: string): Promise<void> {
    const extra: PlistDict = { Key: key };
    if (domain !== undefined) extra.Domain = domain;
    await this.request('RemoveValue', extra);
  }

  /**
   * One Pair request with `record` (ProtocolVersion "2", PairingOptions ExtendedPairingErrors).
   * Returns the reply (with `EscrowBag` on success). Throws LockdownError with code
   * PairingDialogResponsePending / UserDeniedPairing / PasswordProtected / ... — see `performPairing()`
   * in pair.ts for the full flow with retries.
   */
  async pair(record: PairRecord, opts: { pairingOptions?: PlistDict; timeoutMs?: number } = {}): Promise<PlistDict> {
    return this.request('Pair', {
      PairRecord: pairRequestRecord(record),
      ProtocolVersion: '2',
      PairingOptions: { ExtendedPairingErrors: true, ...(opts.pairingOptions ?? {}) },
    }, opts.timeoutMs);
  }

  /** ValidatePair with `record` (only required by iOS < 7; harmless later). Throws LockdownError (e.g. InvalidHostID). */
  async validatePair(record: PairRecord): Promise<void> {
    await this.request('ValidatePair', { PairRecord: pairRequestRecord(record), ProtocolVersion: '2' });
  }

  /**
   * Unpair: asks the device to forget `hostId` (`PairRecord:{HostID}`, ProtocolVersion "2").
   * The host's copy in usbmuxd is not touched (use UsbmuxClient.deletePairRecord).
   */
  async unpair(hostId: string): Promise<void> {
    await this.request('Unpair', { PairRecord: { HostID: hostId }, ProtocolVersion: '2' });
  }

  /**
   * StartSession with `record.HostID` / `record.SystemBUID`; when the device answers
   * `EnableSessionSSL: true`, upgrades this connection to TLS with the record's
   * HostCertificate/HostPrivateKey. Throws LockdownError (InvalidHostID = pairing gone),
   * TlsHandshakeError.
   */
  async startSession(record: PairRecord): Promise<LockdownSession> {
    const reply = await this.request('StartSession', { HostID: record.HostID, SystemBUID: record.SystemBUID });
    if (typeof reply.SessionID !== 'string') throw new LockdownProtocolError('StartSession', 'no SessionID');
    const session: LockdownSession = { SessionID: reply.SessionID, EnableSessionSSL: reply.EnableSessionSSL === true };
    if (session.EnableSessionSSL) {
      await this.service.startTls({ certificate: record.HostCertificate, privateKey: record.HostPrivateKey });
    }
    this.session = session;
    this.record = record;
    return session;
  }

  /**
   * StopSession for the active session. Node cannot drop TLS on a socket and continue in
   * plaintext, so after a TLS session the connection is closed; open a new client to continue.
   * No-op without a session.
   */
  async stopSession(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.session = null;
    try {
      await this.request('StopSession', { SessionID: s.SessionID });
    } finally {
      if (s.EnableSessionSSL) this.close();
    }
  }

  /**
   * StartService `name` (with the pair record's EscrowBag when `escrowBag` is set). Needs an
   * active session. Returns `{Service, Port, EnableServiceSSL}`. Throws LockdownError
   * (InvalidService, ServiceProhibited, PasswordProtected, SessionInactive ...).
   */
  async startService(name: string, opts: { escrowBag?: boolean } = {}): Promise<StartedService> {
    const extra: PlistDict = { Service: name };
    if (opts.escrowBag && this.record?.EscrowBag) extra.EscrowBag = this.record.EscrowBag;
    const reply = await this.request('StartService', extra);
    const port = typeof reply.Port === 'bigint' ? Number(reply.Port) : reply.Port;
    if (typeof port !== 'number' || port < 1 || port > 0xffff) throw new LockdownProtocolError('StartService', `no valid Port for ${name}`);
    return { Service: name, Port: port, EnableServiceSSL: reply.EnableServiceSSL === true };
  }

  /**
   * Starts service `name` and connects to it: new usbmux Connect to the returned Port, then TLS
   * with the session's pair record when EnableServiceSSL. Returns the framed-plist connection
   * (close it when done). Throws as `startService` plus UsbmuxError / TlsHandshakeError.
   */
  async openService(name: string, opts: { escrowBag?: boolean; timeoutMs?: number } = {}): Promise<PlistService> {
    const started = await this.startService(name, opts);
    const socket = await this.usbmux.connect(this.device.DeviceID, started.Port);
    const svc = new PlistService(socket, `${name} on ${this.device.udid}`, { ...this.opts, timeoutMs: opts.timeoutMs ?? this.opts.timeoutMs });
    if (started.EnableServiceSSL) {
      const record = this.record;
      if (!record) {
        svc.close();
        throw new LockdownProtocolError('StartService', `${name} wants TLS but no session pair record is known; call startSession first`);
      }
      await svc.startTls({ certificate: record.HostCertificate, privateKey: record.HostPrivateKey });
    }
    return svc;
  }

  /** Closes the connection (idempotent). */
  close(): void {
    this.service.close();
  }
}
