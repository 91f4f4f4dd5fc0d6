/**
 * Validation of the Ivanti DEP profile form (form.ts): Ivanti's field rules from the "Device
 * Enrollment" page (session timeouts 0 or ≥ 30 s, Auto Lock Time ≥ 120 s, Passcode Lock Grace
 * Period 0–14400 s, Time Zone an IANA name, Await time limit ≤ 10 min, ...) plus Apple's profile
 * rules (validate-apple.ts) reported against the form's field names. Issues per field; never throws.
 */
import { validateAccountSetup, type AdminPasswordInput } from '../accounts/account-setup';
import { compareVersions } from '../../profiles/catalog';
import type { DepProfileForm, MinimumOsVersion } from './form';
import { AWAIT_TIME_LIMIT_MAX_MINUTES } from './form';
import type { DepProfileIssue } from './issues';
import { formToAppleProfile, type DepProfileContext } from './to-apple';
import { urlProblem, validateAppleProfile } from './validate-apple';

/** Apple profile key → form field, so Apple's issues name what the admin edits. */
export const APPLE_KEY_TO_FORM_FIELD: Readonly<Record<string, string>> = {
  profile_name: 'name',
  url: 'url',
  department: 'department',
  support_phone_number: 'supportPhone',
  support_email_address: 'supportEmail',
  org_magic: 'orgMagic',
  is_supervised: 'supervised',
  is_mdm_removable: 'mdmRemovable',
  is_mandatory: 'mdmMandatory',
  allow_pairing: 'allowPairing',
  is_multi_user: 'sharedIpad.enabled',
  await_device_configured: 'awaitDeviceConfigured',
  auto_advance_setup: 'autoAdvance',
  language: 'language',
  region: 'region',
  anchor_certs: 'anchorCerts',
  supervising_host_certs: 'supervisingHostCerts',
  skip_setup_items: 'skipSetupItems',
  configuration_web_url: 'customEnrollment.url',
};

/** Ivanti: minimum session timeout (s); 1–29 is invalid, 0 = device default. */
export const SESSION_TIMEOUT_MIN_SECONDS = 30;
/** Ivanti: minimum Auto Lock Time (s). */
export const AUTO_LOCK_MIN_SECONDS = 120;
/** Ivanti: maximum Passcode Lock Grace Period (s). */
export const PASSCODE_GRACE_MAX_SECONDS = 14_400;

let zones: Set<string> | undefined;
/** True when `tz` is one of `Intl.supportedValuesOf('timeZone')` (IANA names such as `Pacific/Midway`). */
export function isKnownTimeZone(tz: string): boolean {
  zones ??= new Set(Intl.supportedValuesOf('timeZone'));
  return zones.has(tz);
}

function ivanti(field: string, code: string, rule: string, message: string, severity: 'error' | 'warning' = 'error'): DepProfileIssue {
  return { field, code, rule, message, severity, source: 'ivanti' };
}

function wholeNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function sessionTimeout(v: number | undefined, field: string, label: string): DepProfileIssue[] {
  if (v === undefined) return [];
  if (!wholeNumber(v) || v < 0) return [ivanti(field, 'SESSION_TIMEOUT_INVALID', 'SESSION_TIMEOUT_NOT_SECONDS', `${label} must be whole seconds: 0 (device default) or at least ${SESSION_TIMEOUT_MIN_SECONDS}`)];
  if (v > 0 && v < SESSION_TIMEOUT_MIN_SECONDS) return [ivanti(field, 'SESSION_TIMEOUT_INVALID', 'SESSION_TIMEOUT_1_TO_29', `${label} of ${v} s is invalid: use 0 (device default) or at least ${SESSION_TIMEOUT_MIN_SECONDS} s`)];
  return [];
}

const OS_VERSION = /^\d+(\.\d+){0,2}( \([a-z]\))?$/;
const BUILD_VERSION = /^\d{2}[A-Z]\d{1,5}[a-z]?$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function minimumOsIssues(v: MinimumOsVersion | undefined, os: 'iOS' | 'macOS', since: string): DepProfileIssue[] {
  if (!v) return [];
  const f = `minimumOs.${os}`;
  const out: DepProfileIssue[] = [];
  if (!OS_VERSION.test(v.osVersion)) out.push(ivanti(`${f}.osVersion`, 'MINIMUM_OS_INVALID', 'OS_VERSION_FORMAT', `"${v.osVersion}" is not an OS version such as 17.1 or "17.1 (a)"`));
  else if (compareVersions(v.osVersion.replace(/ \(.*\)$/, ''), since) < 0) {
    out.push(ivanti(`${f}.osVersion`, 'MINIMUM_OS_INVALID', 'OS_VERSION_BELOW_SUPPORT', `${os} devices below ${since} cannot be asked to update during enrollment; a minimum below ${since} is never enforced`, 'warning'));
  }
  if (v.buildVersion !== undefined && v.buildVersion !== '' && !BUILD_VERSION.test(v.buildVersion)) {
    out.push(ivanti(`${f}.buildVersion`, 'MINIMUM_OS_INVALID', 'BUILD_VERSION_FORMAT', `"${v.buildVersion}" is not a build version such as 21B91 (the OS version wins when they disagree)`));
  }
  return out;
}

/** Options of {@link validateProfileForm}: tenant context, admin password inputs, and whether a hash is already stored. */
export interface FormValidationOptions extends DepProfileContext {
  adminPassword?: AdminPasswordInput;
  hasStoredAdminHash?: boolean;
}

/**
 * Validates the form; returns every issue with `field` a form path (`sharedIpad.userSessionTimeout`,
 * `anchorCerts[0]`, `skipSetupItems[2]`, ...). Errors block saving; warnings are advice (Ivanti
 * notes such as "MDM Mandatory is ignored for macOS").
 */
export function validateProfileForm(form: DepProfileForm, opts: FormValidationOptions = {}): DepProfileIssue[] {
  const out: DepProfileIssue[] = [];
  const { profile, skip } = formToAppleProfile(form, opts);
  const fieldOf = (k: string) => APPLE_KEY_TO_FORM_FIELD[k] ?? k;
  for (const i of validateAppleProfile(profile, fieldOf)) {
    // skip_setup_items holds only catalog keys after resolution; rejected names are reported below against the admin's list.
    if (i.field.startsWith('skipSetupItems[')) continue;
    if (i.field === 'customEnrollment.url' && (form.customEnrollment.mode === 'hosted' || i.rule === 'WEB_URL_NOT_HTTPS')) continue; // reported once below
    out.push(i);
  }
  form.skipSetupItems.forEach((k, idx) => {
    const r = skip.rejected.find((x) => x.key === k.trim());
    if (r) out.push({ field: `skipSetupItems[${idx}]`, code: 'SKIP_ITEM_INVALID', rule: 'NOT_A_SKIP_KEY', source: 'stagebench', severity: 'error', message: r.reason });
  });

  if (!form.supervised) out.push(ivanti('supervised', 'SUPERVISED_ADVICE', 'ALWAYS_SUPERVISED_IOS13', 'iOS 13+ and macOS 10.15+ devices are always supervised through ADE; this only affects older devices', 'warning'));
  if (!form.mdmMandatory) out.push(ivanti('mdmMandatory', 'MDM_MANDATORY_ADVICE', 'ALWAYS_MANDATORY_IOS13', 'ADE enrollment is always mandatory on iOS 13+ and macOS 10.15+; MDM Mandatory is ignored for macOS', 'warning'));
  if (!form.allowPairing) out.push(ivanti('allowPairing', 'ALLOW_PAIRING_ADVICE', 'PAIRING_NOT_APPLICABLE_IOS13', 'Allow Pairing does not apply to iOS 13+ and macOS 10.15+; pairing is always allowed with supervising host certificates', 'warning'));

  const ce = form.customEnrollment;
  if (ce.enabled && ce.mode === 'custom') {
    const why = ce.url ? urlProblem(ce.url, true) : 'enter the custom enrollment URL, such as https://mycustomweburl.com';
    if (why) out.push(ivanti('customEnrollment.url', 'CONFIGURATION_WEB_URL_INVALID', 'CUSTOM_URL_INVALID', why));
  } else if (ce.enabled && ce.mode === 'hosted' && !opts.hostedEnrollmentUrl) {
    out.push(ivanti('customEnrollment.mode', 'CONFIGURATION_WEB_URL_INVALID', 'HOSTED_URL_UNKNOWN', 'the tenant\'s hosted enrollment page URL is not configured; choose Custom URL or configure the tenant'));
  }

  const m = form.minimumOs;
  if (m.enabled) {
    if (!m.iOS && !m.macOS) out.push(ivanti('minimumOs', 'MINIMUM_OS_INVALID', 'MINIMUM_OS_EMPTY', 'set the minimum iOS or macOS version, or turn "Require minimum OS version" off'));
    out.push(...minimumOsIssues(m.iOS, 'iOS', '17.0'), ...minimumOsIssues(m.macOS, 'macOS', '14.0'));
    if (!m.message?.trim()) out.push(ivanti('minimumOs.message', 'MINIMUM_OS_MESSAGE', 'MESSAGE_RECOMMENDED', 'add a message telling the user to update (the device shows it when it can)', 'warning'));
  }

  const s = form.sharedIpad;
  if (s.enabled) {
    if (s.quotaSizeMb !== undefined && (!wholeNumber(s.quotaSizeMb) || s.quotaSizeMb < 1)) out.push(ivanti('sharedIpad.quotaSizeMb', 'QUOTA_SIZE_INVALID', 'QUOTA_SIZE_NOT_POSITIVE', 'Quota Size must be a whole number of megabytes ≥ 1'));
    if (s.residentUsers !== undefined && (!wholeNumber(s.residentUsers) || s.residentUsers < 1)) out.push(ivanti('sharedIpad.residentUsers', 'RESIDENT_USERS_INVALID', 'RESIDENT_USERS_NOT_POSITIVE', 'Resident Users must be a whole number ≥ 1'));
    if (s.quotaSizeMb !== undefined && s.residentUsers !== undefined) out.push(ivanti('sharedIpad.residentUsers', 'QUOTA_AND_RESIDENT_USERS', 'QUOTA_WINS', 'both Quota Size and Resident Users are set: Quota Size is used and Resident Users ignored', 'warning'));
    out.push(...sessionTimeout(s.userSessionTimeout, 'sharedIpad.userSessionTimeout', 'User session timeout'));
    out.push(...sessionTimeout(s.temporarySessionTimeout, 'sharedIpad.temporarySessionTimeout', 'Temporary session timeout'));
    s.managedAppleIdDefaultDomains.forEach((d, i) => {
      if (!DOMAIN.test(d)) out.push(ivanti(`sharedIpad.managedAppleIdDefaultDomains[${i}]`, 'DOMAIN_INVALID', 'DOMAIN_FORMAT', `"${d}" is not a domain name such as example.com`));
    });
    const g = s.onlineAuthenticationGracePeriodDays;
    if (g !== undefined && (!wholeNumber(g) || g < 0)) out.push(ivanti('sharedIpad.onlineAuthenticationGracePeriodDays', 'GRACE_PERIOD_INVALID', 'GRACE_PERIOD_NOT_DAYS', 'Online Authentication Grace Period must be whole days ≥ 0 (0 = always authenticate online)'));
    if (form.mdmRemovable) out.push(ivanti('mdmRemovable', 'MDM_REMOVABLE_ADVICE', 'NOT_APPLICABLE_SHARED_IPAD', 'MDM Removable does not apply to Shared iPads', 'warning'));
  }

  if (form.autoLockTime !== undefined && (!wholeNumber(form.autoLockTime) || form.autoLockTime < AUTO_LOCK_MIN_SECONDS)) {
    out.push(ivanti('autoLockTime', 'AUTO_LOCK_TIME_INVALID', 'AUTO_LOCK_BELOW_120', `Auto Lock Time must be whole seconds ≥ ${AUTO_LOCK_MIN_SECONDS}, not ${form.autoLockTime}`));
  }
  const pg = form.passcodeLockGracePeriod;
  if (pg !== undefined && (!wholeNumber(pg) || pg < 0 || pg > PASSCODE_GRACE_MAX_SECONDS)) {
    out.push(ivanti('passcodeLockGracePeriod', 'PASSCODE_GRACE_INVALID', 'PASSCODE_GRACE_RANGE', `Passcode Lock Grace Period must be whole seconds from 0 to ${PASSCODE_GRACE_MAX_SECONDS}, not ${pg}`));
  }
  if (form.timeZone !== undefined && form.timeZone.trim() !== '' && !isKnownTimeZone(form.timeZone.trim())) {
    const near = Intl.supportedValuesOf('timeZone').find((z) => z.toLowerCase() === form.timeZone!.trim().toLowerCase());
    out.push(ivanti('timeZone', 'TIME_ZONE_INVALID', 'TIME_ZONE_UNKNOWN', `"${form.timeZone}" is not an IANA time zone${near ? `; did you mean "${near}"?` : ' such as Pacific/Midway or Europe/Berlin'}`));
  }
  const t = form.awaitTimeLimitMinutes;
  if (!wholeNumber(t) || t < 1 || t > AWAIT_TIME_LIMIT_MAX_MINUTES) {
    out.push(ivanti('awaitTimeLimitMinutes', 'AWAIT_TIME_LIMIT_INVALID', 'AWAIT_TIME_LIMIT_RANGE', `the Await Device Configuration time limit must be 1–${AWAIT_TIME_LIMIT_MAX_MINUTES} whole minutes (default 3), not ${t}`));
  }
  if (form.awaitDeviceConfigured && !form.supervised) {
    out.push(ivanti('awaitDeviceConfigured', 'FLAGS_INVALID', 'AWAIT_NEEDS_SUPERVISED', 'to enable Await Device Configuration, select Supervised Mode'));
  }

  const a = form.authentication;
  if (a.mode === 'skip' && a.assignTo === 'defined' && !a.user?.trim()) {
    out.push(ivanti('authentication.user', 'AUTHENTICATION_INVALID', 'DEFINED_USER_REQUIRED', 'choose the user all devices are assigned to, or assign them to the anonymous user'));
  }

  out.push(...validateAccountSetup(form.macosAccounts, {
    awaitDeviceConfigured: form.awaitDeviceConfigured,
    hasStoredHash: opts.hasStoredAdminHash === true,
    password: opts.adminPassword,
  }));
  // Apple reports AWAIT_NEEDS_SUPERVISED as a warning; the Ivanti rule above is an error — keep one.
  return out.filter((i, idx) => !(i.rule === 'AWAIT_NEEDS_SUPERVISED' && i.severity === 'warning' && out.some((j, jdx) => jdx !== idx && j.rule === i.rule && j.severity === 'error')));
}
