/** lockdownd client, pairing and pair records. */
export * from './errors';
export * from './tls';
export * from './plist-service';
export * from './pair-record';
export * from './certificates';
export * from './client';
export * from './pair-steps';
export * from './pair';
