/** Errors of server-token handling (AppleDocs "Authenticating for Automated Device Enrollment"). */

/**
 * A server token file (`*_smime.p7m`) could not be used. `reason` says which step failed:
 * `format` (not an S/MIME / CMS file), `recipient` (encrypted for another server key),
 * `decrypt` (corrupt ciphertext), `content` (no token JSON, a field missing or empty),
 * `unsupported` (an algorithm StageBench does not implement), `consumer-key` (renewal with a
 * different consumer_key, not confirmed). The message says what is wrong and what to do.
 */
export class ServerTokenError extends Error {
  constructor(
    message: string,
    readonly reason: 'format' | 'recipient' | 'decrypt' | 'content' | 'unsupported' | 'consumer-key',
  ) {
    super(message);
    this.name = 'ServerTokenError';
  }

  /** CLI exit code: a bad token file is invalid input (2). */
  readonly exitCode = 2;
}
