/**
 * Typed usbmuxd result errors. Result codes from usbmuxd `enum usbmuxd_result`
 * (`src/usbmuxd-proto.h`): 1 BADCOMMAND, 2 BADDEV, 3 CONNREFUSED, 4 NOSUCHSERVICE
 * (pymobiledevice3), 6 BADVERSION. ../shared/reference/device-protocols.md §1.2.
 */
import { UsbmuxResult } from '../wire';

/** A usbmuxd request answered with a non-zero `Result` `Number`. `result` is that number. */
export class UsbmuxError extends Error {
  constructor(readonly request: string, readonly result: number, detail: string) {
    super(`usbmuxd ${request} failed (result ${result}): ${detail}`);
    this.name = 'UsbmuxError';
  }
}

/** Result 1: usbmuxd did not understand the request (old daemon or malformed message). */
export class UsbmuxBadCommandError extends UsbmuxError {
  constructor(request: string) {
    super(request, UsbmuxResult.BadCommand, 'the daemon does not support this command; update usbmuxd');
    this.name = 'UsbmuxBadCommandError';
  }
}

/** Result 2: no such device (detached, or wrong DeviceID). */
export class UsbmuxBadDeviceError extends UsbmuxError {
  constructor(request: string, readonly deviceId?: number) {
    super(request, UsbmuxResult.BadDevice, `no attached device${deviceId !== undefined ? ` with DeviceID ${deviceId}` : ''}; it was unplugged or the ID is stale, list devices again`);
    this.name = 'UsbmuxBadDeviceError';
  }
}

/** Result 3: the device refused the TCP port (service not listening, or device still booting). */
export class UsbmuxConnectionRefusedError extends UsbmuxError {
  constructor(request: string, readonly port?: number) {
    super(request, UsbmuxResult.ConnectionRefused, `the device refused the connection${port !== undefined ? ` to port ${port}` : ''}; make sure it has finished booting and try again`);
    this.name = 'UsbmuxConnectionRefusedError';
  }
}

/** Result 4: no such service (Apple's usbmuxd). */
export class UsbmuxNoSuchServiceError extends UsbmuxError {
  constructor(request: string) {
    super(request, UsbmuxResult.NoSuchService, 'no such service on the device');
    this.name = 'UsbmuxNoSuchServiceError';
  }
}

/** Result 6: the daemon rejected the protocol version. */
export class UsbmuxBadVersionError extends UsbmuxError {
  constructor(request: string) {
    super(request, UsbmuxResult.BadVersion, 'the daemon rejected the protocol version; this usbmuxd is too old for plist messages');
    this.name = 'UsbmuxBadVersionError';
  }
}

/**
 * Maps a non-zero result `code` of `request` to its typed error (`context` adds the DeviceID /
 * port for Connect). Unknown codes give a plain UsbmuxError.
 */
export function usbmuxResultError(request: string, code: number, context: { deviceId?: number; port?: number } = {}): UsbmuxError {
  switch (code) {
    case UsbmuxResult.BadCommand:
      return new UsbmuxBadCommandError(request);
    case UsbmuxResult.BadDevice:
      return new UsbmuxBadDeviceError(request, context.deviceId);
    case UsbmuxResult.ConnectionRefused:
      return new UsbmuxConnectionRefusedError(request, context.port);
    case UsbmuxResult.NoSuchService:
      return new UsbmuxNoSuchServiceError(request);
    case UsbmuxResult.BadVersion:
      return new UsbmuxBadVersionError(request);
    default:
      return new UsbmuxError(request, code, 'unexpected result code (an errno value from the daemon)');
  }
}

/** No attached device has the requested UDID. */
export class DeviceNotFoundError extends Error {
  constructor(readonly udid: string, attached: string[]) {
    super(`device ${udid} is not attached (attached: ${attached.length ? attached.join(', ') : 'none'}); check the cable, unlock the device and list devices again`);
    this.name = 'DeviceNotFoundError';
  }
}
