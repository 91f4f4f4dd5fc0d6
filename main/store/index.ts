/** The local SQLite cache: public face. */
export { openDatabase, schemaVersion, DB_FILE, type Db } from './db';
export { resolveDataDir, APP_NAME } from './data-dir';
export * from './audit';
export * from './devices';
export * from './staging';
export * from './identities';
export * from './profiles';
