/** Device inventory and lifecycle (retire, wipe, delete, re-register) of the Ivanti tenant: public face. */
export * from './types';
export { createInventoryService, type InventoryService, type BulkResult } from './service';
export { InventoryInputError, isValidImei, validateRegistration, validateQuery, parsePlatform, parseStatus, parseMethod, parseSort } from './validate';
export { LifecycleError, nextStatus, allowedFrom } from './lifecycle';
export { queryInventory, iterateInventory, searchCondition, INVENTORY_TABLE } from './table';
export { distinctValues } from './distinct';
export { exportInventoryCsv, exportInventoryCsvFile, INVENTORY_CSV_COLUMNS } from './csv';
export { syncStagedDevices, platformOfBenchDevice, type BenchSyncResult } from './bench-sync';
