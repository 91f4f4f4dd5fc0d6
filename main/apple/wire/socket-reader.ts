/**
 * Buffered, deadline-bound reads over a byte stream (net.Socket or tls.TLSSocket).
 * Every read has a timeout; a closed stream fails pending and later reads with
 * ConnectionClosedError. `release()` hands the socket back untouched (used before a TLS upgrade
 * on the same socket, lockdownd StartSession / service TLS).
 */
import type { Duplex } from 'node:stream';
import { ConnectionClosedError, ReadTimeoutError } from './errors';

interface Pending {
  n: number;
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Reads exact byte counts from a stream. `what` names the peer in error messages. */
export class SocketReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private pending: Pending | null = null;
  private closedError: Error | null = null;
  private readonly onData = (chunk: Buffer): void => {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.pump();
  };
  private readonly onEnd = (): void => this.fail(new ConnectionClosedError(this.what));
  private readonly onError = (err: Error): void => this.fail(err.message ? new ConnectionClosedError(`${this.what} (${err.message})`) : new ConnectionClosedError(this.what));

  constructor(readonly stream: Duplex, private readonly what: string) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onError);
  }

  /** Number of bytes received but not yet consumed. */
  get available(): number {
    return this.buffered;
  }

  /**
   * Resolves with exactly `n` bytes. Rejects with ReadTimeoutError after `timeoutMs` ms
   * (0 = no deadline, only for long-lived event streams such as usbmuxd Listen) or with
   * ConnectionClosedError when the stream ends first. One read at a time.
   */
  read(n: number, timeoutMs: number): Promise<Buffer> {
    if (this.pending) return Promise.reject(new Error(`${this.what}: concurrent reads are not supported`));
    if (this.buffered >= n) return Promise.resolve(this.take(n));
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise<Buffer>((resolve, reject) => {
      const timer = timeoutMs > 0
        ? setTimeout(() => {
            this.pending = null;
            reject(new ReadTimeoutError(this.what, timeoutMs));
          }, timeoutMs)
        : (undefined as unknown as NodeJS.Timeout);
      this.pending = { n, resolve, reject, timer };
    });
  }

  /** Detaches from the stream and returns it with any unread bytes (normally none). */
  release(): { stream: Duplex; leftover: Buffer } {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onError);
    this.stream.pause();
    const leftover = this.take(this.buffered);
    if (this.pending) {
      clearTimeout(this.pending.timer);
      this.pending.reject(new Error(`${this.what}: reader released`));
      this.pending = null;
    }
    return { stream: this.stream, leftover };
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }

  private pump(): void {
    const p = this.pending;
    if (p && this.buffered >= p.n) {
      this.pending = null;
      clearTimeout(p.timer);
      p.resolve(this.take(p.n));
    }
  }

  private fail(err: Error): void {
    if (this.closedError) return;
    this.closedError = err;
    const p = this.pending;
    if (p && this.buffered < p.n) {
      this.pending = null;
      clearTimeout(p.timer);
      p.reject(err);
    }
  }
}
