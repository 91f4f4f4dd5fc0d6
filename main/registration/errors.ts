/**
 * Errors of the registration capability. Both carry `exitCode` so the CLI runner maps them to its
 * exit codes without knowing the classes: 2 for invalid input (the message names the field and
 * what to do), 1 for an operation the current state refuses (e.g. revoking a used invitation).
 */

/** Invalid input: `field` names the setting, CSV column, option or argument at fault. Exit code 2. */
export class RegistrationInputError extends Error {
  readonly exitCode = 2;
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'RegistrationInputError';
  }
}

/** The stored state refuses the operation (used, revoked, superseded invitation; LDAP user edit …). Exit code 1. */
export class RegistrationStateError extends Error {
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'RegistrationStateError';
  }
}
