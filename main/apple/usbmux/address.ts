/**
 * Where the usbmuxd socket lives: `USBMUXD_SOCKET_ADDRESS` (libusbmuxd forms `UNIX:/path`,
 * `host:port`, `[ipv6]:port`) or the platform default (`/var/run/usbmuxd`; Windows
 * `127.0.0.1:27015`). Source: libusbmuxd `connect_usbmuxd_socket()`;
 * ../shared/reference/device-protocols.md §1.1, §1.6.
 */
import net from 'node:net';
import { ConnectionClosedError, ReadTimeoutError } from '../wire';

/** A parsed usbmuxd endpoint: a UNIX-domain socket path or a TCP host/port. */
export type UsbmuxAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

/** Default UNIX socket path on Linux and macOS (usbmuxd `USBMUXD_SOCKET_FILE`). */
export const USBMUXD_DEFAULT_SOCKET = '/var/run/usbmuxd';
/** Default TCP port on Windows (Apple Mobile Device Service, `USBMUXD_SOCKET_PORT`). */
export const USBMUXD_DEFAULT_TCP_PORT = 27015;

/** Thrown for a `USBMUXD_SOCKET_ADDRESS` / `socketAddress` value that is none of the accepted forms. */
export class UsbmuxAddressError extends Error {
  constructor(readonly value: string, detail: string) {
    super(`usbmuxd socket address "${value}" is not valid (${detail}); use UNIX:/path/to/socket, host:port or [ipv6]:port`);
    this.name = 'UsbmuxAddressError';
  }
}

/**
 * Parses a usbmuxd address string. Accepted: `UNIX:/path` (also `unix:`), `host:port`,
 * `[ipv6]:port`, and a bare absolute path (treated as UNIX). Throws UsbmuxAddressError otherwise
 * (empty string, missing/out-of-range port).
 */
export function parseUsbmuxAddress(value: string): UsbmuxAddress {
  const v = value.trim();
  if (v === '') throw new UsbmuxAddressError(value, 'empty');
  if (/^unix:/i.test(v)) {
    const path = v.slice(5);
    if (path === '') throw new UsbmuxAddressError(value, 'no socket path after UNIX:');
    return { kind: 'unix', path };
  }
  if (v.startsWith('/')) return { kind: 'unix', path: v };
  let host: string;
  let portText: string;
  const bracket = /^\[([^\]]+)\]:(\d+)$/.exec(v);
  if (bracket) {
    host = bracket[1];
    portText = bracket[2];
  } else {
    const idx = v.lastIndexOf(':');
    if (idx <= 0) throw new UsbmuxAddressError(value, 'no port');
    host = v.slice(0, idx);
    portText = v.slice(idx + 1);
    if (host.includes(':')) throw new UsbmuxAddressError(value, 'IPv6 addresses must be written as [address]:port');
  }
  if (!/^\d+$/.test(portText)) throw new UsbmuxAddressError(value, `port "${portText}" is not a number`);
  const port = Number(portText);
  if (port < 1 || port > 65535) throw new UsbmuxAddressError(value, `port ${port} is out of range 1-65535`);
  return { kind: 'tcp', host, port };
}

/**
 * Resolves the address to use: the explicit `socketAddress` if given, else
 * `env.USBMUXD_SOCKET_ADDRESS`, else the platform default. Throws UsbmuxAddressError for a bad value.
 */
export function resolveUsbmuxAddress(socketAddress?: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): UsbmuxAddress {
  const chosen = socketAddress ?? env.USBMUXD_SOCKET_ADDRESS;
  if (chosen !== undefined && chosen !== '') return parseUsbmuxAddress(chosen);
  return platform === 'win32' ? { kind: 'tcp', host: '127.0.0.1', port: USBMUXD_DEFAULT_TCP_PORT } : { kind: 'unix', path: USBMUXD_DEFAULT_SOCKET };
}

/** Human-readable form of an address, for error messages. */
export function formatUsbmuxAddress(a: UsbmuxAddress): string {
  return a.kind === 'unix' ? `UNIX:${a.path}` : a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

/** Thrown when the usbmuxd socket cannot be reached (daemon not running, wrong address). */
export class UsbmuxUnavailableError extends Error {
  constructor(readonly address: string, cause: Error) {
    super(`cannot reach usbmuxd at ${address} (${(cause as NodeJS.ErrnoException).code ?? cause.message}); start usbmuxd (Linux: "usbmuxd -f" as root / systemctl start usbmuxd) or set USBMUXD_SOCKET_ADDRESS`, { cause });
    this.name = 'UsbmuxUnavailableError';
  }
}

/**
 * Opens a socket to usbmuxd. Resolves once connected; rejects with UsbmuxUnavailableError when the
 * endpoint refuses/does not exist, or ReadTimeoutError after `timeoutMs` ms.
 */
export function connectUsbmuxSocket(address: UsbmuxAddress, timeoutMs: number): Promise<net.Socket> {
  const label = formatUsbmuxAddress(address);
  return new Promise<net.Socket>((resolve, reject) => {
    const sock = address.kind === 'unix' ? net.createConnection({ path: address.path }) : net.createConnection({ host: address.host, port: address.port });
    const timer = setTimeout(() => {
      cleanup();
      sock.destroy();
      reject(new ReadTimeoutError(`usbmuxd connect to ${label}`, timeoutMs));
    }, timeoutMs);
    const onError = (err: Error): void => {
      cleanup();
      sock.destroy();
      reject(new UsbmuxUnavailableError(label, err));
    };
    const onClose = (): void => {
      cleanup();
      reject(new ConnectionClosedError(`usbmuxd at ${label}`));
    };
    const onConnect = (): void => {
      cleanup();
      sock.setNoDelay?.(true);
      resolve(sock);
    };
    function cleanup(): void {
      clearTimeout(timer);
      sock.off('error', onError);
      sock.off('close', onClose);
      sock.off('connect', onConnect);
    }
    sock.once('error', onError);
    sock.once('close', onClose);
    sock.once('connect', onConnect);
  });
}
