/** Supervision with an organisation identity: supervised pairing, MCInstall escalation, sessions that pair on demand. */
export * from './errors';
export * from './challenge';
export * from './pair-supervised';
export * from './escalate';
export * from './session';
