/** Revive / restore of devices in DFU or recovery mode through cfgutil or idevicerestore: public face. */
export * from './types';
export { parseCfgutilLine, cfgutilBackend } from './cfgutil';
export { parseIdevicerestoreLine, idevicerestoreBackend, isPost2020Build } from './idevicerestore';
export { discoverRestoreTools, selectRestoreBackend, type RestoreHost, type RestoreTools } from './select';
export { findExecutable } from './tools';
export { runRestores, type RestoreOptions, type RestoreResult, type RestoreSummary } from './orchestrator';
