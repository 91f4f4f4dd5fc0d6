/**
 * Offline-first sync with the Ivanti tenant: public face. Other services call
 * `recordLocalChange(db, { entity, entityId, op, payload, baseRevision, actor })` inside their
 * write transaction; the app and CLI use `createSyncService`.
 */
export * from './types';
export { SyncInputError, SyncNotFoundError } from './errors';
export { ENTITY_OPS, validateChange } from './entities';
export { recordLocalChange, onLocalChange, tenantIdFor, listOutbox, outboxCounts, isAcknowledged } from './outbox';
export { listConflicts, getConflict, resolveConflict } from './conflicts';
export { listMirrorDevices, listMirrorUsers, mirrorRevision, findMirrorDeviceId, type MirrorDevice, type MirrorUser } from './mirror';
export { runSync, type SyncRunOptions } from './engine';
export { readSyncStatus } from './status';
export { SyncRunner, type SyncRunnerOptions } from './runner';
export { SyncBusyError } from './lock';
export { createSyncService, type SyncService, type SyncServiceOptions, type SyncLocalEdits } from './service';
