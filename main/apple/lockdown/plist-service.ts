/**
 * A framed plist conversation over a device connection (lockdownd port 62078 and every service
 * started through StartService, e.g. com.apple.mobile.MCInstall): 4-byte big-endian length +
 * XML or binary plist (libimobiledevice `src/property_list_service.c`;
 * ../shared/reference/device-protocols.md §2.1). Can switch to TLS on the same socket.
 */
import type { Duplex } from 'node:stream';
import { readPlistFrame, SocketReader, writePlistFrame, type PlistDict } from '../wire';
import { upgradeToTls, type TlsIdentity } from './tls';

/** Options of a PlistService. Times in milliseconds. */
export interface PlistServiceOptions {
  /** Deadline for each reply (default 10 000 ms). */
  timeoutMs?: number;
  /** Send binary plists (`bplist00`) instead of XML (default false; devices accept both). */
  binary?: boolean;
}

/**
 * Request/response over a framed plist stream. Replies are read one at a time; a closed stream
 * (device detached) fails the pending read with ConnectionClosedError, a silent device with
 * ReadTimeoutError. Always `close()`.
 */
export class PlistService {
  private reader: SocketReader;
  private stream: Duplex;
  private closed = false;
  readonly timeoutMs: number;
  private readonly binary: boolean;

  /** Wraps `stream` (a raw usbmux pipe or a TLS socket); `what` names the peer in errors. */
  constructor(stream: Duplex, readonly what: string, opts: PlistServiceOptions = {}) {
    this.stream = stream;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.binary = opts.binary ?? false;
    this.reader = new SocketReader(stream, what);
    stream.resume();
  }

  /** True once TLS is active on this connection. */
  get secure(): boolean {
    return (this.stream as { encrypted?: boolean }).encrypted === true;
  }

  /** Sends one plist frame. */
  send(body: PlistDict): void {
    writePlistFrame(this.stream, body, this.binary);
  }

  /** Reads one plist frame (deadline `timeoutMs`, default the service timeout). */
  receive(timeoutMs = this.timeoutMs): Promise<PlistDict> {
    return readPlistFrame(this.reader, timeoutMs, this.what);
  }

  /** Sends `body` and returns the next reply. */
  async request(body: PlistDict, timeoutMs = this.timeoutMs): Promise<PlistDict> {
    this.send(body);
    return this.receive(timeoutMs);
  }

  /**
   * Starts TLS in the client role on the same socket with `identity` (certificate + key from the
   * pair record). Rejects with TlsHandshakeError / ReadTimeoutError; the service is unusable then.
   */
  async startTls(identity: TlsIdentity, timeoutMs = this.timeoutMs): Promise<void> {
    const { stream, leftover } = this.reader.release();
    if (leftover.length > 0) stream.unshift(leftover);
    const secure = await upgradeToTls(stream, identity, timeoutMs, this.what);
    this.stream = secure;
    this.reader = new SocketReader(secure, this.what);
    secure.resume();
  }

  /** Closes the connection (idempotent); pending reads fail with ConnectionClosedError. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.destroy();
  }
}
