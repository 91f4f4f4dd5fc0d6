/**
 * Pure mapping of the Ivanti form model (form.ts) to Apple's ADE profile JSON (Define a Profile,
 * AppleDocs `profile` object) plus the settings the MDM applies itself (never sent to Apple): the
 * minimum-OS rule (403 `com.apple.softwareupdate.required`), Shared iPad settings (MDM Settings
 * command `SharedDeviceConfiguration` names), time zone, auto-lock, the Await time limit, the
 * login-page text, authentication, and macOS account setup (AccountConfiguration).
 */
import type { MacAccountSetup } from '../accounts/account-setup';
import { accountSetupInUse } from '../accounts/account-setup';
import { resolveSkipItems, type ResolvedSkipItems } from '../setup-assistant/editor';
import type { AppleDepProfile } from './apple-profile';
import type { DepAuthentication, DepProfileForm, MinimumOsRequirement } from './form';

/** Tenant facts the mapping needs: the ADE enrollment URL and the Ivanti-hosted custom enrollment page. */
export interface DepProfileContext {
  /** The MDM enrollment URL used when the form has none (Apple `url`). */
  enrollmentUrl?: string;
  /** URL of the Ivanti-hosted custom enrollment web page ("MobileIron Hosted webpage"). */
  hostedEnrollmentUrl?: string;
}

/** Shared iPad settings the MDM sends after enrollment (Apple Settings `SharedDeviceConfiguration` key names). Quota Size wins over Resident Users. */
export interface SharedDeviceSettings {
  QuotaSize?: number;
  ResidentUsers?: number;
  UserSessionTimeout?: number;
  TemporarySessionTimeout?: number;
  TemporarySessionOnly: boolean;
  ManagedAppleIDDefaultDomains?: string[];
  OnlineAuthenticationGracePeriod?: number;
}

/**
 * What the MDM does itself for devices of this profile. Times: seconds, except
 * `onlineAuthenticationGracePeriod` (days, inside `sharedIpad`). Undefined fields are not set.
 */
export interface DepMdmSettings {
  description?: string;
  authentication: DepAuthentication;
  minimumOs?: MinimumOsRequirement;
  sharedIpad?: SharedDeviceSettings;
  autoLockTime?: number;
  passcodeLockGracePeriod?: number;
  timeZone?: string;
  /** How long (s) the MDM keeps the device waiting in Setup Assistant before sending DeviceConfigured. */
  awaitTimeLimitSeconds?: number;
  loginPageText?: string;
  /** macOS account setup to send as AccountConfiguration (the hash is stored sealed, apart). */
  macosAccounts?: MacAccountSetup;
}

/** Result of {@link formToAppleProfile}: Apple JSON, how skip keys were resolved, and MDM-side settings. */
export interface MappedDepProfile {
  profile: AppleDepProfile;
  skip: ResolvedSkipItems;
  mdmSettings: DepMdmSettings;
}

/** Turns a PEM or base64-DER certificate string into base64 DER without whitespace (Apple `anchor_certs` form). */
export function toBase64Der(cert: string): string {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(cert);
  return (m ? m[1] : cert).replace(/\s+/g, '');
}

function optText(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/**
 * Maps the form to Apple's profile JSON (keys in Apple's documented order, absent optional fields
 * omitted, `is_supervised`/`is_mdm_removable`/`is_mandatory`/`allow_pairing` always present) and
 * the MDM-side settings. Skip keys go through {@link resolveSkipItems}: only catalog skip keys are
 * emitted, conventions add implied keys. Pure: no I/O, never throws; validate with
 * validateProfileForm for errors.
 */
export function formToAppleProfile(form: DepProfileForm, ctx: DepProfileContext = {}): MappedDepProfile {
  const skip = resolveSkipItems(form.skipSetupItems);
  const webUrl = form.customEnrollment.enabled
    ? (form.customEnrollment.mode === 'custom' ? optText(form.customEnrollment.url) : optText(ctx.hostedEnrollmentUrl))
    : undefined;
  const profile: AppleDepProfile = {
    profile_name: form.name.trim(),
    url: optText(form.url) ?? optText(ctx.enrollmentUrl) ?? '',
    allow_pairing: form.allowPairing,
    is_supervised: form.supervised,
    is_multi_user: form.sharedIpad.enabled,
    is_mandatory: form.mdmMandatory,
    await_device_configured: form.awaitDeviceConfigured,
    is_mdm_removable: form.mdmRemovable,
    auto_advance_setup: form.autoAdvance,
    support_phone_number: optText(form.supportPhone),
    support_email_address: optText(form.supportEmail),
    org_magic: optText(form.orgMagic),
    anchor_certs: form.anchorCerts.length ? form.anchorCerts.map(toBase64Der) : undefined,
    supervising_host_certs: form.supervisingHostCerts.length ? form.supervisingHostCerts.map(toBase64Der) : undefined,
    skip_setup_items: skip.items,
    department: optText(form.department),
    language: optText(form.language),
    region: optText(form.region),
    configuration_web_url: webUrl,
  };
  for (const k of Object.keys(profile) as (keyof AppleDepProfile)[]) if (profile[k] === undefined) delete profile[k];

  const s = form.sharedIpad;
  const sharedIpad: SharedDeviceSettings | undefined = s.enabled
    ? {
        ...(s.quotaSizeMb !== undefined ? { QuotaSize: s.quotaSizeMb } : s.residentUsers !== undefined ? { ResidentUsers: s.residentUsers } : {}),
        ...(s.userSessionTimeout !== undefined ? { UserSessionTimeout: s.userSessionTimeout } : {}),
        ...(s.temporarySessionTimeout !== undefined ? { TemporarySessionTimeout: s.temporarySessionTimeout } : {}),
        TemporarySessionOnly: s.temporarySessionOnly,
        ...(s.managedAppleIdDefaultDomains.length ? { ManagedAppleIDDefaultDomains: [...s.managedAppleIdDefaultDomains] } : {}),
        ...(s.onlineAuthenticationGracePeriodDays !== undefined ? { OnlineAuthenticationGracePeriod: s.onlineAuthenticationGracePeriodDays } : {}),
      }
    : undefined;

  const mdmSettings: DepMdmSettings = {
    ...(optText(form.description) ? { description: optText(form.description) } : {}),
    authentication: form.authentication,
    ...(form.minimumOs.enabled ? { minimumOs: form.minimumOs } : {}),
    ...(sharedIpad ? { sharedIpad } : {}),
    ...(form.autoLockTime !== undefined ? { autoLockTime: form.autoLockTime } : {}),
    ...(form.passcodeLockGracePeriod !== undefined ? { passcodeLockGracePeriod: form.passcodeLockGracePeriod } : {}),
    ...(optText(form.timeZone) ? { timeZone: optText(form.timeZone) } : {}),
    ...(form.awaitDeviceConfigured ? { awaitTimeLimitSeconds: Math.round(form.awaitTimeLimitMinutes * 60) } : {}),
    ...(optText(form.loginPageText) ? { loginPageText: optText(form.loginPageText) } : {}),
    ...(accountSetupInUse(form.macosAccounts) ? { macosAccounts: form.macosAccounts } : {}),
  };
  return { profile, skip, mdmSettings };
}
