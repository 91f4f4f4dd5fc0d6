/**
 * One lockdownd TLS session (and at most one MCInstall connection) per device, kept open across
 * the steps of a staging run instead of a new usbmuxd Connect + StartSession + TLS handshake per
 * call (../shared/reference/device-protocols.md §2.6–2.7; libimobiledevice keeps a
 * `lockdownd_client_t` for a tool's lifetime the same way). Calls on one device are serialised.
 * A transport failure (timeout, connection closed, device gone) drops the cached session so the
 * next call opens a fresh one; a refusal by the device (LockdownError, MCInstallError) keeps it.
 */
import {
  DeviceNotFoundError, LockdownClient, LockdownError, MCInstallClient, MCInstallError, NotPairedError, parsePairRecord, sameUdid,
  type UsbmuxClient, type UsbmuxDevice,
} from '../apple';
import { DeviceLocks, udidKey } from './device-lock';

/** An open session with one device. */
export interface DeviceLink {
  device: UsbmuxDevice;
  /** lockdownd connection with an active TLS session. */
  lockdown: LockdownClient;
  /** The MCInstall connection, opened on first use. */
  mcinstall(): Promise<MCInstallClient>;
}

interface Entry {
  link: DeviceLink;
  mc: MCInstallClient | null;
}

/** Options: per-request deadline (ms) and the lockdownd Label. */
export interface SessionCacheOptions {
  timeoutMs?: number;
  label?: string;
}

/** Cache of open device sessions over one usbmuxd. */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly gates = new DeviceLocks();

  /** `listDevices` defaults to `usbmux.listDevices()`; pass a coalescing lister to share requests. */
  constructor(
    private readonly usbmux: UsbmuxClient,
    private readonly opts: SessionCacheOptions = {},
    private readonly listDevices: () => Promise<UsbmuxDevice[]> = () => usbmux.listDevices(),
  ) {}

  /**
   * Runs `fn` with the session of `udid`, opening it when needed. Throws DeviceNotFoundError,
   * NotPairedError, InvalidPairRecordError, LockdownError (InvalidHostID = pair again),
   * TlsHandshakeError, and whatever `fn` throws.
   */
  use<T>(udid: string, fn: (link: DeviceLink) => Promise<T>): Promise<T> {
    return this.gates.run(udid, async () => {
      const entry = await this.open(udid);
      try {
        return await fn(entry.link);
      } catch (err) {
        if (!(err instanceof LockdownError) && !(err instanceof MCInstallError)) this.close(udid);
        throw err;
      }
    });
  }

  private async open(udid: string): Promise<Entry> {
    const key = udidKey(udid);
    const cached = this.entries.get(key);
    if (cached) return cached;
    const devices = await this.listDevices();
    const device = devices.find((d) => sameUdid(d.udid, udid));
    if (!device) throw new DeviceNotFoundError(udid, devices.map((d) => d.udid));
    const dict = await this.usbmux.readPairRecord(device.udid);
    if (!dict) throw new NotPairedError(device.udid);
    const record = parsePairRecord(dict, device.udid);
    const lockdown = await LockdownClient.connect(this.usbmux, device, { timeoutMs: this.opts.timeoutMs, label: this.opts.label });
    try {
      await lockdown.startSession(record);
    } catch (err) {
      lockdown.close();
      throw err;
    }
    const entry: Entry = {
      mc: null,
      link: {
        device,
        lockdown,
        mcinstall: async () => {
          entry.mc ??= await MCInstallClient.open(lockdown, { timeoutMs: this.opts.timeoutMs });
          return entry.mc;
        },
      },
    };
    this.entries.set(key, entry);
    return entry;
  }

  /** Closes the session of `udid` without a goodbye (connections are simply closed). */
  private close(udid: string): void {
    const key = udidKey(udid);
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    e.mc?.close();
    e.link.lockdown.close();
  }

  /** Stops the session of `udid` politely (StopSession, then close) once no call is running. Never throws. */
  async release(udid: string): Promise<void> {
    await this.gates.run(udid, async () => {
      const e = this.entries.get(udidKey(udid));
      if (!e) return;
      this.entries.delete(udidKey(udid));
      e.mc?.close();
      await e.link.lockdown.stopSession().catch(() => undefined);
      e.link.lockdown.close();
    });
  }

  /** UDIDs with an open session. */
  openSessions(): number {
    return this.entries.size;
  }
}
