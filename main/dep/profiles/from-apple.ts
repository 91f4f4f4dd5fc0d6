/**
 * Reads an existing ADE profile JSON (Apple's keys, e.g. exported from another MDM or NanoDEP's
 * `dep-profile.example.json`) into the Ivanti form model, so `--from-json` accepts either shape.
 * Fields Apple's JSON lacks keep the form defaults (form.ts).
 */
import type { AppleDepProfile } from './apple-profile';
import { defaultProfileForm, type DepProfileForm } from './form';

/** True when `v` looks like Apple's profile JSON (has `profile_name` or `url`) rather than the form model (`name`). */
export function isAppleProfileJson(v: unknown): v is Partial<AppleDepProfile> {
  return typeof v === 'object' && v !== null && ('profile_name' in v || ('url' in v && !('name' in v)));
}

/**
 * Maps Apple's profile JSON to the form. `configuration_web_url` becomes a Custom URL; `devices`
 * are returned apart (they are assignments, not profile content). Validate the result with
 * validateProfileForm; validate the input itself first with validateAppleProfile.
 */
export function appleProfileToForm(p: Partial<AppleDepProfile>): { form: DepProfileForm; devices: string[] } {
  const f = defaultProfileForm(p.profile_name ?? '');
  if (p.url !== undefined) f.url = p.url;
  if (p.is_supervised !== undefined) f.supervised = p.is_supervised;
  if (p.is_mdm_removable !== undefined) f.mdmRemovable = p.is_mdm_removable;
  if (p.is_mandatory !== undefined) f.mdmMandatory = p.is_mandatory;
  if (p.allow_pairing !== undefined) f.allowPairing = p.allow_pairing;
  if (p.is_multi_user !== undefined) f.sharedIpad.enabled = p.is_multi_user;
  if (p.await_device_configured !== undefined) f.awaitDeviceConfigured = p.await_device_configured;
  if (p.auto_advance_setup !== undefined) f.autoAdvance = p.auto_advance_setup;
  if (p.support_phone_number !== undefined) f.supportPhone = p.support_phone_number;
  if (p.support_email_address !== undefined) f.supportEmail = p.support_email_address;
  if (p.department !== undefined) f.department = p.department;
  if (p.org_magic !== undefined) f.orgMagic = p.org_magic;
  if (p.language !== undefined) f.language = p.language;
  if (p.region !== undefined) f.region = p.region;
  if (p.anchor_certs) f.anchorCerts = [...p.anchor_certs];
  if (p.supervising_host_certs) f.supervisingHostCerts = [...p.supervising_host_certs];
  if (p.skip_setup_items) f.skipSetupItems = [...p.skip_setup_items];
  if (p.configuration_web_url !== undefined) f.customEnrollment = { enabled: true, mode: 'custom', url: p.configuration_web_url };
  return { form: f, devices: p.devices ? [...p.devices] : [] };
}
