/**
 * Validation issues of DEP profiles: one per problem, naming the field, carrying Apple's error code
 * where Apple defines one (Define-a-Profile 400 codes, AppleDocs `define-profile`; see
 * ../shared/reference/automated-device-enrollment.md §2.2) and a finer StageBench rule id.
 */

/** `error` blocks saving/sending; `warning` is shown but allowed. */
export type DepIssueSeverity = 'error' | 'warning';

/** Who defines the code: Apple's DEP service, Ivanti's profile form, or StageBench's own checks. */
export type DepIssueSource = 'apple' | 'ivanti' | 'stagebench';

/**
 * One problem found in a DEP profile.
 * - `field`: the field in error — an Apple key (`profile_name`, `anchor_certs[1]`) for Apple JSON, or
 *   a form path (`sharedIpad.userSessionTimeout`) for the Ivanti form model;
 * - `code`: Apple's 400 code when Apple defines one (`CONFIG_NAME_INVALID`, `FLAGS_INVALID`, ...),
 *   else a StageBench code (`SESSION_TIMEOUT_INVALID`, ...);
 * - `rule`: the precise rule broken (`PROFILE_NAME_TOO_LONG`, `MDM_REMOVABLE_NEEDS_SUPERVISED`, ...);
 * - `message`: what is wrong and what to do.
 */
export interface DepProfileIssue {
  field: string;
  code: string;
  rule: string;
  source: DepIssueSource;
  severity: DepIssueSeverity;
  message: string;
}

/** Formats an issue as `field: message [CODE/RULE]`. */
export function formatDepIssue(i: DepProfileIssue): string {
  return `${i.field}: ${i.message} [${i.code}${i.rule !== i.code ? `/${i.rule}` : ''}]`;
}

/**
 * Thrown when a DEP profile (form or Apple JSON) has errors; nothing was written. `exitCode` 2 makes
 * the CLI exit with "invalid input". `issues` holds every error and warning found.
 */
export class DepProfileValidationError extends Error {
  readonly exitCode = 2;
  constructor(readonly issues: DepProfileIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(`the DEP profile is not valid: ${errors.map(formatDepIssue).join('; ')}`);
    this.name = 'DepProfileValidationError';
  }
}

/** Throws DepProfileValidationError when `issues` holds at least one error. */
export function assertNoDepErrors(issues: DepProfileIssue[]): void {
  if (issues.some((i) => i.severity === 'error')) throw new DepProfileValidationError(issues);
}

/** Invalid request to the DEP profile service (unknown id, wrong server, enrolled device...). Exit code 2. */
export class DepProfileInputError extends Error {
  readonly exitCode = 2;
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'DepProfileInputError';
  }
}
