/**
 * Error types shared by every layer of the device transport (usbmux → lockdown → services)
 * and by the emulator in test/support, so callers can tell a dead cable from a refusal.
 */

/** The peer closed the connection (cable pulled, device detached, daemon stopped). */
export class ConnectionClosedError extends Error {
  constructor(what: string) {
    super(`${what}: connection closed by the peer (device detached or daemon stopped)`);
    this.name = 'ConnectionClosedError';
  }
}

/** A read did not complete within its deadline. `timeoutMs` is in milliseconds. */
export class ReadTimeoutError extends Error {
  constructor(what: string, readonly timeoutMs: number) {
    super(`${what}: no answer within ${timeoutMs} ms; check the cable and that the device is unlocked`);
    this.name = 'ReadTimeoutError';
  }
}

/** A length prefix announced more bytes than the protocol allows; the stream is not trusted further. */
export class FrameTooLargeError extends Error {
  constructor(what: string, readonly announced: number, readonly max: number) {
    super(`${what}: frame of ${announced} bytes exceeds the ${max}-byte limit; refusing it`);
    this.name = 'FrameTooLargeError';
  }
}

/** The bytes received do not form a valid message of the protocol. */
export class MalformedMessageError extends Error {
  constructor(what: string, detail: string) {
    super(`${what}: malformed message: ${detail}`);
    this.name = 'MalformedMessageError';
  }
}
