/** Errors of ABM server management. */

/** Invalid input (unknown server, bad name or URL, bad sort column): CLI exit 2; nothing changed. */
export class DepInputError extends Error {
  /** CLI exit code for invalid input. */
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'DepInputError';
  }
}
