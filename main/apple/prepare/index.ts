/** Prepare (manual cloud configuration or Automated Device Enrollment), erase, and device settings. */
export * from './errors';
export * from './platform';
export * from './skip-keys';
export * from './cloud-configuration';
export * from './settings';
export * from './instructions';
export * from './prepare';
export * from './erase';
