/** Apple devices in DFU / recovery / restore mode on the host USB stack: public face. */
export * from './usb-ids';
export * from './chips';
export * from './serial-descriptor';
export * from './backend';
export * from './detector';
export { nodeUsbBackend, describeNativeDevice } from './node-usb-backend';
