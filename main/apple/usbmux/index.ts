/** usbmuxd client (ListDevices, Listen, Connect, ReadBUID, Read/Save/DeletePairRecord). */
export * from './address';
export * from './errors';
export * from './types';
export * from './connection';
export * from './listener';
export * from './client';
