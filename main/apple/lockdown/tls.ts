/**
 * TLS in the client role on an existing device connection, as lockdownd StartSession
 * (`EnableSessionSSL`) and StartService (`EnableServiceSSL`) require. The host authenticates with
 * the pair record's HostCertificate/HostPrivateKey (pymobiledevice3, appium); the device's
 * certificate is not verified (it is self-issued); devices speak old TLS, hence
 * `ciphers: 'ALL:@SECLEVEL=0'` and `minVersion: 'TLSv1'`.
 * ../shared/reference/device-protocols.md §2.6–2.7.
 */
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { ConnectionClosedError, ReadTimeoutError } from '../wire';

/** The client identity presented in the handshake: PEM certificate and PEM private key. */
export interface TlsIdentity {
  certificate: string | Uint8Array;
  privateKey: string | Uint8Array;
}

/** The TLS handshake with the device failed (bad pair record, or the device rejected the host). */
export class TlsHandshakeError extends Error {
  constructor(what: string, cause: Error) {
    super(`${what}: TLS handshake failed (${cause.message}); the pairing may be stale, pair again`, { cause });
    this.name = 'TlsHandshakeError';
  }
}

function pem(v: string | Uint8Array): string {
  return typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
}

/**
 * Wraps `stream` in a client TLSSocket and waits for the handshake (deadline `timeoutMs` ms).
 * Rejects with TlsHandshakeError, ReadTimeoutError or ConnectionClosedError; on failure the
 * socket is destroyed.
 */
export function upgradeToTls(stream: Duplex, identity: TlsIdentity, timeoutMs: number, what: string): Promise<tls.TLSSocket> {
  return new Promise<tls.TLSSocket>((resolve, reject) => {
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect({
        socket: stream,
        cert: pem(identity.certificate),
        key: pem(identity.privateKey),
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
        ciphers: 'ALL:@SECLEVEL=0',
        minVersion: 'TLSv1',
      });
    } catch (err) {
      stream.destroy();
      reject(new TlsHandshakeError(what, err as Error));
      return;
    }
    const timer = setTimeout(() => fail(new ReadTimeoutError(`${what} (TLS handshake)`, timeoutMs)), timeoutMs);
    const onError = (err: Error): void => fail(new TlsHandshakeError(what, err));
    const onClose = (): void => fail(new ConnectionClosedError(`${what} (TLS handshake)`));
    const onSecure = (): void => {
      cleanup();
      resolve(socket);
    };
    function cleanup(): void {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off('close', onClose);
      socket.off('secureConnect', onSecure);
    }
    function fail(err: Error): void {
      cleanup();
      socket.destroy();
      stream.destroy();
      reject(err);
    }
    socket.once('error', onError);
    socket.once('close', onClose);
    socket.once('secureConnect', onSecure);
  });
}
