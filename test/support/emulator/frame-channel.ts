/**
 * Device-side framed plist channel over one usbmuxd-piped socket, with the TLS upgrade and
 * downgrade a lockdownd connection goes through: plaintext 4-byte big-endian frames
 * (../shared/reference/device-protocols.md §2.1), then after StartSession the device acts as TLS
 * *server* on the same socket (§2.6), and after StopSession it returns to plaintext (libimobiledevice
 * then sends a TLS close_notify, which is skipped here). Service connections (MCInstall) start TLS
 * right away.
 */
import { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { FrameTooLargeError, PLIST_FRAME_MAX, SocketReader, decodePlistDict, encodePlistFrame, type PlistDict } from '../../../main/apple/wire';

const BPLIST = Buffer.from('bplist00', 'latin1');

/** One received frame: the dictionary and whether it was a binary plist (answers use the same form). */
export interface ReceivedFrame {
  body: PlistDict;
  binary: boolean;
}

/** TLS server identity: PEM private key of the device and the DeviceCertificate PEM from the pair record. */
export interface TlsServerIdentity {
  key: string;
  cert: string;
}

/** Pipes TLS ciphertext between a TLSSocket and the raw socket while attached. */
class TlsBridge extends Duplex {
  private outbound = true;
  private readonly onRaw = (chunk: Buffer): void => {
    this.push(chunk);
  };
  private readonly onRawEnd = (): void => {
    this.push(null);
  };

  constructor(private readonly raw: Duplex, leftover: Buffer) {
    super();
    if (leftover.length) this.push(leftover);
    raw.on('data', this.onRaw);
    raw.on('end', this.onRawEnd);
    raw.resume();
  }

  /** Stops feeding received bytes to TLS (they stay on the raw socket). */
  detachInbound(): void {
    this.raw.off('data', this.onRaw);
    this.raw.off('end', this.onRawEnd);
    this.raw.pause();
  }

  /** Stops writing TLS output to the raw socket. */
  detachOutbound(): void {
    this.outbound = false;
  }

  override _read(): void {
    /* data is pushed by onRaw */
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.outbound && !this.raw.destroyed) this.raw.write(chunk, (err) => cb(err ?? null));
    else cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    cb();
  }
}

/** Reads and writes plist frames, plaintext or TLS, on one device-side connection. */
export class FrameChannel {
  private reader: SocketReader;
  private tls: TLSSocket | null = null;
  private bridge: TlsBridge | null = null;
  private plaintextAfterTls = false;

  /**
   * `raw` is the piped socket; `leftover` holds bytes already read from it by the usbmuxd layer.
   * `what` names the peer in errors.
   */
  constructor(readonly raw: Duplex, leftover: Buffer, private readonly what: string) {
    if (leftover.length) raw.unshift(leftover);
    this.reader = new SocketReader(raw, what);
    raw.resume();
  }

  /** True while TLS is active. */
  get secure(): boolean {
    return this.tls !== null;
  }

  /** The TLS socket while TLS is active (for the peer certificate). */
  get tlsSocket(): TLSSocket | null {
    return this.tls;
  }

  /**
   * Reads one frame; `timeoutMs` 0 waits indefinitely. Throws ConnectionClosedError when the host
   * hangs up, FrameTooLargeError / MalformedMessageError for bad frames. In plaintext after a TLS
   * session, whole TLS records (close_notify alerts) found at a frame boundary are skipped.
   */
  async readFrame(timeoutMs = 0): Promise<ReceivedFrame> {
    for (;;) {
      const prefix = await this.reader.read(4, timeoutMs);
      if (!this.tls && this.plaintextAfterTls && prefix[0] >= 0x14 && prefix[0] <= 0x17 && prefix[1] === 0x03) {
        const fifth = await this.reader.read(1, timeoutMs);
        const recordLen = Buffer.concat([prefix.subarray(3), fifth]).readUInt16BE(0);
        await this.reader.read(recordLen, timeoutMs);
        continue;
      }
      const length = prefix.readUInt32BE(0);
      if (length > PLIST_FRAME_MAX) throw new FrameTooLargeError(this.what, length, PLIST_FRAME_MAX);
      const payload = await this.reader.read(length, timeoutMs);
      const binary = payload.length >= 8 && payload.subarray(0, 8).equals(BPLIST);
      return { body: decodePlistDict(payload, this.what), binary };
    }
  }

  /** Writes one frame and resolves once it was handed to the socket. */
  writeFrame(body: PlistDict, binary = false): Promise<void> {
    const bytes = encodePlistFrame(body, binary);
    const stream: Duplex = this.tls ?? this.raw;
    return new Promise((resolve, reject) => {
      if (stream.destroyed) {
        reject(new Error(`${this.what}: connection already closed`));
        return;
      }
      stream.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
  }

  /**
   * Starts TLS as server on this socket (lockdownd StartSession / service connections) and
   * resolves after the handshake. The client certificate is requested but not verified by
   * OpenSSL; callers compare it with the pair record (`peerCertificateDer`).
   * Throws when the handshake fails or the socket closes.
   */
  startTls(identity: TlsServerIdentity, handshakeTimeoutMs = 15000): Promise<void> {
    const { leftover } = this.reader.release();
    const bridge = new TlsBridge(this.raw, leftover);
    const tls = new TLSSocket(bridge, {
      isServer: true,
      key: identity.key,
      cert: identity.cert,
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1',
      ciphers: 'ALL:@SECLEVEL=0',
    });
    this.bridge = bridge;
    this.tls = tls;
    this.reader = new SocketReader(tls, `${this.what} (TLS)`);
    this.raw.on('close', () => tls.destroy());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`${this.what}: TLS handshake timed out`)), handshakeTimeoutMs);
      const fail = (err: Error): void => {
        clearTimeout(timer);
        tls.off('secure', ok);
        reject(err);
      };
      const ok = (): void => {
        clearTimeout(timer);
        tls.off('error', fail);
        tls.on('error', () => this.raw.destroy());
        resolve();
      };
      tls.once('secure', ok);
      tls.once('error', fail);
    });
  }

  /**
   * Sends `reply` inside TLS, then returns to plaintext on the raw socket (lockdownd StopSession).
   * Nothing is sent by the device to close TLS.
   */
  async writeFrameAndStopTls(reply: PlistDict, binary = false): Promise<void> {
    const tls = this.tls;
    const bridge = this.bridge;
    if (!tls || !bridge) {
      await this.writeFrame(reply, binary);
      return;
    }
    const done = this.writeFrame(reply, binary);
    bridge.detachInbound();
    this.reader.release();
    this.tls = null;
    this.bridge = null;
    try {
      await done;
    } finally {
      bridge.detachOutbound();
      tls.destroy();
      this.plaintextAfterTls = true;
      this.reader = new SocketReader(this.raw, this.what);
      this.raw.resume();
    }
  }

  /** DER of the certificate the host presented during the TLS handshake, or null. */
  peerCertificateDer(): Buffer | null {
    const cert = this.tls?.getPeerX509Certificate();
    return cert ? cert.raw : null;
  }

  /** Closes the connection. */
  close(): void {
    this.tls?.destroy();
    this.raw.destroy();
  }
}
