/** Windowed tables for the UI (Devices, Audit): public face. */
export * from './types';
export { createTableRegistry } from './registry';
export { benchDevicesTable } from './bench-devices';
export { auditLogTable } from './audit-log';
export { inventoryDevicesTable } from './inventory-devices';
export * from './source';
