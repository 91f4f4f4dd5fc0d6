/**
 * Public face of the Apple device transport: the high-level facade (device.ts) plus the
 * usbmuxd, lockdownd and MCInstall clients and the wire errors callers may want to catch.
 */
export * from './device';
export * from './usbmux';
export * from './lockdown';
export * from './mcinstall';
export { ConnectionClosedError, FrameTooLargeError, MalformedMessageError, ReadTimeoutError, type PlistDict, type PlistValue } from './wire';
