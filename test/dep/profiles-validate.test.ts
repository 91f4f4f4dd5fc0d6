import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  completeProfileForm, defaultProfileForm, formToAppleProfile, validateAppleProfile, validateProfileForm, type DepProfileForm, type DepProfileIssue,
} from '../../main/dep/profiles';

const URL = 'https://mdm.example.com/enroll';
const base = { profile_name: 'Staging', url: URL, is_supervised: true };

function codes(issues: DepProfileIssue[], severity: 'error' | 'warning' = 'error'): string[] {
  return issues.filter((i) => i.severity === severity).map((i) => `${i.field}:${i.code}/${i.rule}`);
}

function derCertBase64(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-anchor-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.der'), '-outform', 'DER', '-days', '30', '-subj', '/CN=Anchor'], { stdio: 'pipe' });
  return fs.readFileSync(path.join(dir, 'c.der')).toString('base64');
}

test('Apple limits: each field at its limit passes, one more fails with Apple\'s code and the field', () => {
  assert.deepEqual(codes(validateAppleProfile(base)), []);
  const cases: [string, number, string, string][] = [
    ['profile_name', 125, 'CONFIG_NAME_INVALID', 'PROFILE_NAME_TOO_LONG'],
    ['department', 125, 'DEPARTMENT_INVALID', 'DEPARTMENT_TOO_LONG'],
    ['support_phone_number', 50, 'SUPPORT_PHONE_INVALID', 'SUPPORT_PHONE_TOO_LONG'],
    ['org_magic', 256, 'MAGIC_INVALID', 'ORG_MAGIC_TOO_LONG'],
  ];
  for (const [field, limit, code, rule] of cases) {
    assert.deepEqual(codes(validateAppleProfile({ ...base, [field]: 'é'.repeat(limit) })), [], `${field} at ${limit}`);
    assert.deepEqual(codes(validateAppleProfile({ ...base, [field]: 'é'.repeat(limit + 1) })), [`${field}:${code}/${rule}`], `${field} at ${limit + 1}`);
  }
  const email = (n: number) => `${'a'.repeat(n - '@example.com'.length)}@example.com`;
  assert.deepEqual(codes(validateAppleProfile({ ...base, support_email_address: email(250) })), []);
  assert.deepEqual(codes(validateAppleProfile({ ...base, support_email_address: email(251) })), ['support_email_address:SUPPORT_EMAIL_INVALID/SUPPORT_EMAIL_TOO_LONG']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, support_email_address: 'not-an-email' })), ['support_email_address:SUPPORT_EMAIL_INVALID/SUPPORT_EMAIL_FORMAT']);
  const longUrl = (n: number) => `https://mdm.example.com/${'a'.repeat(n - 'https://mdm.example.com/'.length)}`;
  assert.deepEqual(codes(validateAppleProfile({ ...base, url: longUrl(2000) })), []);
  assert.deepEqual(codes(validateAppleProfile({ ...base, url: longUrl(2001) })), ['url:CONFIG_URL_INVALID/URL_TOO_LONG']);
  // URL-encoded length counts: 700 spaces-free non-ASCII chars become 2100 encoded chars
  assert.deepEqual(codes(validateAppleProfile({ ...base, url: `https://mdm.example.com/${'é'.repeat(700)}` })), ['url:CONFIG_URL_INVALID/URL_TOO_LONG']);
});

test('Apple required fields, URL syntax, flags, unknown keys and types', () => {
  assert.deepEqual(codes(validateAppleProfile({ url: URL, is_supervised: true })), ['profile_name:CONFIG_NAME_REQUIRED/PROFILE_NAME_REQUIRED']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, profile_name: '  ' })), ['profile_name:CONFIG_NAME_INVALID/PROFILE_NAME_EMPTY']);
  assert.deepEqual(codes(validateAppleProfile({ profile_name: 'x', is_supervised: true })), ['url:CONFIG_URL_REQUIRED/URL_REQUIRED']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, url: 'mdm.example.com' })), ['url:CONFIG_URL_INVALID/URL_NOT_RFC3986']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, url: 'http://mdm.example.com' }), 'warning'), ['url:CONFIG_URL_INVALID/URL_NOT_HTTPS']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, is_supervised: false, is_mdm_removable: false })), ['is_mdm_removable:FLAGS_INVALID/MDM_REMOVABLE_NEEDS_SUPERVISED']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, is_mdm_removable: false })), []);
  assert.deepEqual(codes(validateAppleProfile({ profile_name: 'x', url: URL })), ['is_supervised:FLAGS_INVALID/SUPERVISED_MISSING']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, supervised: true })), ['supervised:UNKNOWN_KEY/UNKNOWN_KEY']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, is_mandatory: 'yes' })), ['is_mandatory:TYPE_INVALID/TYPE_INVALID']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, skip_setup_items: ['Siri', 'WiFi'] })), ['skip_setup_items[1]:SKIP_ITEM_INVALID/NOT_A_SKIP_KEY']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, configuration_web_url: 'http://web.example.com' })), ['configuration_web_url:CONFIGURATION_WEB_URL_INVALID/WEB_URL_NOT_HTTPS']);
  assert.deepEqual(codes(validateAppleProfile([])), ['(profile):MALFORMED_REQUEST_BODY/NOT_AN_OBJECT']);
});

test('language and region: ISO 639 lower case, ISO 3166 alpha-2 upper case, region needs language (LOCALE_INVALID)', () => {
  assert.deepEqual(codes(validateAppleProfile({ ...base, language: 'en', region: 'US' })), []);
  assert.deepEqual(codes(validateAppleProfile({ ...base, language: 'deu' })), []);
  assert.deepEqual(codes(validateAppleProfile({ ...base, language: 'EN' })), ['language:LOCALE_INVALID/LANGUAGE_FORMAT']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, language: 'qq' })), ['language:LOCALE_INVALID/LANGUAGE_UNKNOWN']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, language: 'en', region: 'us' })), ['region:LOCALE_INVALID/REGION_FORMAT']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, language: 'en', region: 'ZZ' })), ['region:LOCALE_INVALID/REGION_UNKNOWN']);
  assert.deepEqual(codes(validateAppleProfile({ ...base, region: 'DE' })), ['region:LOCALE_INVALID/REGION_WITHOUT_LANGUAGE']);
});

test('anchor_certs and supervising_host_certs must be base64 DER certificates', () => {
  const good = derCertBase64();
  assert.deepEqual(codes(validateAppleProfile({ ...base, anchor_certs: [good], supervising_host_certs: [good] })), []);
  const pem = `-----BEGIN CERTIFICATE-----\n${good}\n-----END CERTIFICATE-----`;
  assert.deepEqual(codes(validateAppleProfile({ ...base, anchor_certs: [good, pem, 'bm90IGEgY2VydA=='] })), [
    'anchor_certs[1]:CERTIFICATE_INVALID/CERTIFICATE_NOT_BASE64_DER',
    'anchor_certs[2]:CERTIFICATE_INVALID/CERTIFICATE_NOT_BASE64_DER',
  ]);
  assert.deepEqual(codes(validateAppleProfile({ ...base, supervising_host_certs: ['%%%'] })), ['supervising_host_certs[0]:CERTIFICATE_INVALID/CERTIFICATE_NOT_BASE64_DER']);
  // the form accepts PEM and maps it to base64 DER
  const mapped = formToAppleProfile(completeProfileForm({ name: 'A', anchorCerts: [pem] }), { enrollmentUrl: URL });
  assert.deepEqual(mapped.profile.anchor_certs, [good]);
});

function form(patch: Partial<DepProfileForm>): DepProfileForm {
  return completeProfileForm({ name: 'Staging', url: URL, ...patch });
}

test('form defaults: Supervised on, MDM Mandatory on, Await limit 3 min; mapping to Apple keys', () => {
  const d = defaultProfileForm('New');
  assert.equal(d.supervised, true);
  assert.equal(d.mdmMandatory, true);
  assert.equal(d.awaitTimeLimitMinutes, 3);
  const { profile, mdmSettings } = formToAppleProfile(form({ department: 'IT', supportPhone: '+1 555 0100', supportEmail: 'help@example.com', mdmRemovable: false, autoAdvance: true, language: 'en', region: 'US', skipSetupItems: ['Passcode'], awaitDeviceConfigured: true, awaitTimeLimitMinutes: 10 }), { enrollmentUrl: 'https://tenant.example.com/dep' });
  assert.deepEqual(profile, {
    profile_name: 'Staging', url: URL, allow_pairing: true, is_supervised: true, is_multi_user: false, is_mandatory: true,
    await_device_configured: true, is_mdm_removable: false, auto_advance_setup: true, support_phone_number: '+1 555 0100',
    support_email_address: 'help@example.com', skip_setup_items: ['Biometric', 'Passcode', 'Payment'], department: 'IT', language: 'en', region: 'US',
  });
  assert.equal(mdmSettings.awaitTimeLimitSeconds, 600);
  assert.deepEqual(codes(validateProfileForm(form({}))), []);
  // tenant URL used when the form has none
  assert.equal(formToAppleProfile(completeProfileForm({ name: 'x' }), { enrollmentUrl: 'https://tenant.example.com/dep' }).profile.url, 'https://tenant.example.com/dep');
});

test('form rules: Apple issues reported against form fields', () => {
  assert.deepEqual(codes(validateProfileForm(form({ name: 'x'.repeat(126) }))), ['name:CONFIG_NAME_INVALID/PROFILE_NAME_TOO_LONG']);
  assert.deepEqual(codes(validateProfileForm(form({ supervised: false, mdmRemovable: false }))), ['mdmRemovable:FLAGS_INVALID/MDM_REMOVABLE_NEEDS_SUPERVISED']);
  assert.deepEqual(codes(validateProfileForm(form({ skipSetupItems: ['Siri', 'CloudStorage'] }))), ['skipSetupItems[1]:SKIP_ITEM_INVALID/NOT_A_SKIP_KEY']);
  assert.deepEqual(codes(validateProfileForm(form({ supportPhone: '1'.repeat(51) }))), ['supportPhone:SUPPORT_PHONE_INVALID/SUPPORT_PHONE_TOO_LONG']);
  const advice = codes(validateProfileForm(form({ mdmMandatory: false, allowPairing: false })), 'warning');
  assert.ok(advice.includes('mdmMandatory:MDM_MANDATORY_ADVICE/ALWAYS_MANDATORY_IOS13'));
  assert.ok(advice.includes('allowPairing:ALLOW_PAIRING_ADVICE/PAIRING_NOT_APPLICABLE_IOS13'));
});

test('Shared iPad: session timeouts 0 or ≥ 30 s, quota wins over resident users, grace days, domains', () => {
  const shared = (s: Partial<DepProfileForm['sharedIpad']>) => form({ mdmRemovable: false, sharedIpad: { enabled: true, temporarySessionOnly: false, managedAppleIdDefaultDomains: [], ...s } });
  for (const ok of [0, 30, 3600]) assert.deepEqual(codes(validateProfileForm(shared({ userSessionTimeout: ok, temporarySessionTimeout: ok }))), [], `timeout ${ok}`);
  for (const bad of [1, 29]) {
    assert.deepEqual(codes(validateProfileForm(shared({ userSessionTimeout: bad }))), ['sharedIpad.userSessionTimeout:SESSION_TIMEOUT_INVALID/SESSION_TIMEOUT_1_TO_29']);
    assert.deepEqual(codes(validateProfileForm(shared({ temporarySessionTimeout: bad }))), ['sharedIpad.temporarySessionTimeout:SESSION_TIMEOUT_INVALID/SESSION_TIMEOUT_1_TO_29']);
  }
  assert.deepEqual(codes(validateProfileForm(shared({ userSessionTimeout: 45.5 }))), ['sharedIpad.userSessionTimeout:SESSION_TIMEOUT_INVALID/SESSION_TIMEOUT_NOT_SECONDS']);
  const both = shared({ quotaSizeMb: 4096, residentUsers: 8 });
  assert.deepEqual(codes(validateProfileForm(both), 'warning'), ['sharedIpad.residentUsers:QUOTA_AND_RESIDENT_USERS/QUOTA_WINS']);
  const mapped = formToAppleProfile(both, {});
  assert.equal(mapped.profile.is_multi_user, true);
  assert.equal(mapped.mdmSettings.sharedIpad!.QuotaSize, 4096);
  assert.equal(mapped.mdmSettings.sharedIpad!.ResidentUsers, undefined);
  assert.equal(formToAppleProfile(shared({ residentUsers: 8 }), {}).mdmSettings.sharedIpad!.ResidentUsers, 8);
  assert.deepEqual(codes(validateProfileForm(shared({ onlineAuthenticationGracePeriodDays: -1, managedAppleIdDefaultDomains: ['example.com', 'not a domain'] }))), [
    'sharedIpad.managedAppleIdDefaultDomains[1]:DOMAIN_INVALID/DOMAIN_FORMAT',
    'sharedIpad.onlineAuthenticationGracePeriodDays:GRACE_PERIOD_INVALID/GRACE_PERIOD_NOT_DAYS',
  ]);
  assert.deepEqual(codes(validateProfileForm(form({ supervised: false, sharedIpad: { enabled: true, temporarySessionOnly: true, managedAppleIdDefaultDomains: [] } }))), ['sharedIpad.enabled:FLAGS_INVALID/MULTI_USER_NEEDS_SUPERVISED']);
});

test('Auto Lock ≥ 120 s, Passcode Lock Grace 0–14400 s, Time Zone IANA, Await limit 1–10 min', () => {
  assert.deepEqual(codes(validateProfileForm(form({ autoLockTime: 120, passcodeLockGracePeriod: 0, timeZone: 'Pacific/Midway' }))), []);
  assert.deepEqual(codes(validateProfileForm(form({ autoLockTime: 119 }))), ['autoLockTime:AUTO_LOCK_TIME_INVALID/AUTO_LOCK_BELOW_120']);
  assert.deepEqual(codes(validateProfileForm(form({ passcodeLockGracePeriod: 14400 }))), []);
  assert.deepEqual(codes(validateProfileForm(form({ passcodeLockGracePeriod: 14401 }))), ['passcodeLockGracePeriod:PASSCODE_GRACE_INVALID/PASSCODE_GRACE_RANGE']);
  assert.deepEqual(codes(validateProfileForm(form({ passcodeLockGracePeriod: -1 }))), ['passcodeLockGracePeriod:PASSCODE_GRACE_INVALID/PASSCODE_GRACE_RANGE']);
  const tz = validateProfileForm(form({ timeZone: 'pacific/midway' }));
  assert.deepEqual(codes(tz), ['timeZone:TIME_ZONE_INVALID/TIME_ZONE_UNKNOWN']);
  assert.match(tz[0].message, /did you mean "Pacific\/Midway"/);
  assert.deepEqual(codes(validateProfileForm(form({ timeZone: 'Mars/Olympus' }))), ['timeZone:TIME_ZONE_INVALID/TIME_ZONE_UNKNOWN']);
  assert.deepEqual(codes(validateProfileForm(form({ awaitDeviceConfigured: true, awaitTimeLimitMinutes: 10 }))), []);
  assert.deepEqual(codes(validateProfileForm(form({ awaitDeviceConfigured: true, awaitTimeLimitMinutes: 11 }))), ['awaitTimeLimitMinutes:AWAIT_TIME_LIMIT_INVALID/AWAIT_TIME_LIMIT_RANGE']);
  assert.deepEqual(codes(validateProfileForm(form({ awaitDeviceConfigured: true, supervised: false }))), ['awaitDeviceConfigured:FLAGS_INVALID/AWAIT_NEEDS_SUPERVISED']);
});

test('custom enrollment: hosted page or custom https URL → configuration_web_url', () => {
  const custom = form({ customEnrollment: { enabled: true, mode: 'custom', url: 'https://mycustomweburl.com' } });
  assert.equal(formToAppleProfile(custom, {}).profile.configuration_web_url, 'https://mycustomweburl.com');
  assert.deepEqual(codes(validateProfileForm(custom)), []);
  assert.deepEqual(codes(validateProfileForm(form({ customEnrollment: { enabled: true, mode: 'custom', url: 'http://plain.example.com' } }))), ['customEnrollment.url:CONFIGURATION_WEB_URL_INVALID/CUSTOM_URL_INVALID']);
  assert.deepEqual(codes(validateProfileForm(form({ customEnrollment: { enabled: true, mode: 'custom' } }))), ['customEnrollment.url:CONFIGURATION_WEB_URL_INVALID/CUSTOM_URL_INVALID']);
  const hosted = form({ customEnrollment: { enabled: true, mode: 'hosted' } });
  assert.deepEqual(codes(validateProfileForm(hosted)), ['customEnrollment.mode:CONFIGURATION_WEB_URL_INVALID/HOSTED_URL_UNKNOWN']);
  assert.deepEqual(codes(validateProfileForm(hosted, { hostedEnrollmentUrl: 'https://tenant.example.com/c/i/dep/custom' })), []);
  assert.equal(formToAppleProfile(hosted, { hostedEnrollmentUrl: 'https://tenant.example.com/c/i/dep/custom' }).profile.configuration_web_url, 'https://tenant.example.com/c/i/dep/custom');
  assert.equal(formToAppleProfile(form({ customEnrollment: { enabled: false, mode: 'custom', url: 'https://x.example.com' } }), {}).profile.configuration_web_url, undefined);
});

test('minimum OS rule, authentication and account setup validation', () => {
  const m = (patch: Partial<DepProfileForm['minimumOs']>) => form({ minimumOs: { enabled: true, message: 'Update first', ...patch } });
  assert.deepEqual(codes(validateProfileForm(m({ iOS: { osVersion: '17.1', buildVersion: '21B91' }, macOS: { osVersion: '14.2 (a)' } }))), []);
  assert.deepEqual(codes(validateProfileForm(m({}))), ['minimumOs:MINIMUM_OS_INVALID/MINIMUM_OS_EMPTY']);
  assert.deepEqual(codes(validateProfileForm(m({ iOS: { osVersion: 'seventeen' } }))), ['minimumOs.iOS.osVersion:MINIMUM_OS_INVALID/OS_VERSION_FORMAT']);
  assert.deepEqual(codes(validateProfileForm(m({ iOS: { osVersion: '17.1', buildVersion: 'abc' } }))), ['minimumOs.iOS.buildVersion:MINIMUM_OS_INVALID/BUILD_VERSION_FORMAT']);
  assert.deepEqual(codes(validateProfileForm(m({ iOS: { osVersion: '16.4' } })), 'warning'), ['minimumOs.iOS.osVersion:MINIMUM_OS_INVALID/OS_VERSION_BELOW_SUPPORT']);
  assert.deepEqual(codes(validateProfileForm(m({ iOS: { osVersion: '17.1' }, message: '' })), 'warning'), ['minimumOs.message:MINIMUM_OS_MESSAGE/MESSAGE_RECOMMENDED']);
  assert.deepEqual(codes(validateProfileForm(form({ authentication: { mode: 'skip', assignTo: 'defined', user: ' ' } }))), ['authentication.user:AUTHENTICATION_INVALID/DEFINED_USER_REQUIRED']);
  assert.deepEqual(codes(validateProfileForm(form({ authentication: { mode: 'skip', assignTo: 'anonymous' } }))), []);
  const accounts = form({ macosAccounts: { skipAdminAccountCreation: false, skipPrimaryAccountCreation: true, primaryAccountsAsRegularUsers: false } });
  assert.deepEqual(codes(validateProfileForm(accounts)), [
    'macosAccounts.skipPrimaryAccountCreation:ACCOUNT_SETUP_INVALID/SKIP_PRIMARY_NEEDS_ADMIN',
    'awaitDeviceConfigured:ACCOUNT_SETUP_INVALID/ACCOUNT_SETUP_NEEDS_AWAIT',
  ]);
});
