/**
 * CLI exit codes, in the spirit of cfgutil and BSD sysexits: 0 success, 1 an operation failed
 * (a device step, a verification), 2 invalid input or usage (the message names the option or key).
 */

/** Exit code for a failed operation. */
export const EXIT_FAILURE = 1;
/** Exit code for invalid input or usage. */
export const EXIT_USAGE = 2;

/** Invalid input: printed as `stagebench: <message>` and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure already reported to the user (e.g. a summary printed); exits with `code` silently. */
export class ReportedFailure extends Error {
  constructor(readonly code = EXIT_FAILURE) {
    super('reported');
    this.name = 'ReportedFailure';
  }
}
