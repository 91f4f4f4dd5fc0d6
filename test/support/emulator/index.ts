/** Device emulator for tests and manual runs: usbmuxd + lockdownd + MCInstall, device side. */
export { startEmulator, type Emulator, type EmulatorOptions } from './emulator';
export { EmulatedDevice, LOCKDOWN_PORT, type InstalledProfile, type RequestLogEntry } from './emulated-device';
export { DEVICE_KINDS, DEVICE_MODELS, parseDeviceKind, type DeviceKind, type DeviceModel } from './device-kinds';
export type { DeviceKnobs, DetachTrigger, TrustBehaviour } from './knobs';
export { parseTrust } from './knobs';
export { MCINSTALL_SERVICE } from './mcinstall-service';
