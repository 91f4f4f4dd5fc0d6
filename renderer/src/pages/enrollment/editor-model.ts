/**
 * The profile editor's model: a new form with Ivanti's defaults (mirrors main/dep/profiles/form.ts
 * `defaultProfileForm`, which the renderer cannot import), immutable updates by path, and lookup of
 * the service's issues per form field (`sharedIpad.userSessionTimeout`, `skipSetupItems[2]`).
 */
import type { DepProfileFormIn, DepProfileIssueOut } from '../../../../main/ipc/contract-dep';

/** A new form: Supervised, MDM Removable, MDM Mandatory and Allow Pairing on, Await off (3-minute limit), prompt-user authentication. */
export function newProfileForm(): DepProfileFormIn {
  return {
    name: '',
    supervised: true,
    mdmRemovable: true,
    mdmMandatory: true,
    allowPairing: true,
    anchorCerts: [],
    supervisingHostCerts: [],
    customEnrollment: { enabled: false, mode: 'hosted' },
    minimumOs: { enabled: false },
    sharedIpad: { enabled: false, temporarySessionOnly: false, managedAppleIdDefaultDomains: [] },
    awaitDeviceConfigured: false,
    awaitTimeLimitMinutes: 3,
    autoAdvance: false,
    skipSetupItems: [],
    authentication: { mode: 'prompt' },
    macosAccounts: { skipAdminAccountCreation: true, skipPrimaryAccountCreation: false, primaryAccountsAsRegularUsers: false },
  };
}

/** Sets an update on the form: `patch` merged at the top level or into one nested section. */
export type FormPatch = (f: DepProfileFormIn) => DepProfileFormIn;

/** Finds issues for a field: the first error (else warning) whose field is `field` or starts with `field[`/`field.` when `nested`. */
export type IssueLookup = (field: string, nested?: boolean) => DepProfileIssueOut | undefined;

/** An {@link IssueLookup} over `issues`. */
export function issueLookup(issues: readonly DepProfileIssueOut[]): IssueLookup {
  return (field, nested) => {
    const match = issues.filter((i) => i.field === field || (nested && (i.field.startsWith(`${field}.`) || i.field.startsWith(`${field}[`))));
    return match.find((i) => i.severity === 'error') ?? match[0];
  };
}

/** Helper text and error flag of a field from its issue (`[CODE]` shown so admins can look Apple's code up), else `fallback`. */
export function fieldHelp(issue: DepProfileIssueOut | undefined, fallback?: string): { error: boolean; helperText?: string } {
  if (!issue) return { error: false, helperText: fallback };
  return { error: issue.severity === 'error', helperText: `${issue.message} [${issue.code}]` };
}

/** A number input's value to the form: '' → undefined, else the number (NaN kept so the service reports it). */
export function numberOf(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/** Trims empty text to undefined. */
export function textOf(text: string): string | undefined {
  return text === '' ? undefined : text;
}

/**
 * The bytes of a certificate-list entry as base64, for `dep:inspect-certificate`: an entry is base64
 * DER (Apple's `anchor_certs` form, whitespace dropped) or, from older imports, PEM text (sent as
 * its ASCII bytes). Entries that are neither come back as is, for main to refuse.
 */
export function certificateEntryBase64(entry: string): string {
  if (!entry.includes('-----BEGIN')) return entry.replace(/\s+/g, '');
  try {
    return btoa(entry);
  } catch {
    return entry;
  }
}
