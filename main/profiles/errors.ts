/**
 * Errors raised by the profile module. Every message says what is wrong and what to do; none ever
 * contains a secret (p12 password, challenge, private key).
 */

/** Severity of a validation issue: `error` blocks writing/signing, `warning` is advisory. */
export type IssueSeverity = 'error' | 'warning';

/**
 * One validation finding. `payloadType`/`payloadIdentifier` name the payload (`Configuration` for
 * the top level); `key` is the key path inside it (e.g. `PayloadContent.Key Type`), absent for
 * payload-level findings; `rule` is a stable code (`required`, `type`, `rangelist`, `range`,
 * `format`, `os-support`, `unknown-key`, `identity-ref`, `topic`, `https`, `access-rights`,
 * `duplicate-uuid`, `duplicate-identifier`, `single-mdm`, `multiple`, `unknown-payload`, ...).
 */
export interface ValidationIssue {
  severity: IssueSeverity;
  rule: string;
  payloadType: string;
  payloadIdentifier?: string;
  key?: string;
  message: string;
}

/** Formats an issue as one line: `error [PayloadType PayloadIdentifier] key: message`. */
export function formatIssue(i: ValidationIssue): string {
  const where = `${i.payloadType}${i.payloadIdentifier ? ` ${i.payloadIdentifier}` : ''}`;
  return `${i.severity} [${where}]${i.key ? ` ${i.key}` : ''}: ${i.message}`;
}

/** Thrown by callers that refuse a profile with validation errors; carries every issue. */
export class ProfileValidationError extends Error {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(`profile is not valid (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${errors.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
    this.name = 'ProfileValidationError';
    this.issues = issues;
  }
}

/** Throws ProfileValidationError when `issues` holds at least one error; warnings pass. */
export function assertNoErrors(issues: ValidationIssue[]): void {
  if (issues.some((i) => i.severity === 'error')) throw new ProfileValidationError(issues);
}

/** A profile spec (builder input) that cannot be turned into a profile, e.g. a bad subject string. */
export class ProfileSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileSpecError';
  }
}

/** The PKCS#12 password is wrong (MAC or decryption failed). */
export class Pkcs12PasswordError extends Error {
  constructor() {
    super('PKCS#12 password is wrong: the file could not be decrypted/verified with it. Re-enter the password used when the .p12 was exported.');
    this.name = 'Pkcs12PasswordError';
  }
}

/** The PKCS#12 is readable but unusable: no key, no certificate, no matching pair, unsupported key. */
export class Pkcs12ContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Pkcs12ContentError';
  }
}

/** A signing identity (certificate + key) is unusable: mismatch, unsupported key type, bad DER. */
export class SigningIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningIdentityError';
  }
}

/** Bytes are neither a signed (CMS) nor an XML profile, or the CMS structure is corrupt. */
export class ProfileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileFormatError';
  }
}
