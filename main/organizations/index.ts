/** Organizations with a supervision identity, and the supervision service (prepare, erase, rename, get, supervised pairing). */
export * from './errors';
export * from './types';
export * from './create-identity';
export * from './import-identity';
export * from './repository';
export * from './supervision-service';
