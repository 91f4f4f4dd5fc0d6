/** Wire-level building blocks shared by the device clients (main/apple) and the emulator (test/support). */
export * from './errors';
export * from './plist';
export * from './socket-reader';
export * from './usbmux-frame';
export * from './plist-frame';
