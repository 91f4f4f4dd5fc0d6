/**
 * Apple's ADE profile JSON as sent to "Define a Profile" (`POST https://mdmenrollment.apple.com/profile`):
 * key names, types and limits from AppleDocs `profile` object, ADS `dep/schemas/Profile.json` and
 * NanoDEP `godep/schema.go` (../shared/reference/automated-device-enrollment.md §2.1).
 */

/**
 * The profile body. Every key is Apple's. `devices` (serials assigned in the same call) is never
 * stored with the profile: assignments travel separately. `profile_uuid` only appears in GET
 * `/profile` responses.
 */
export interface AppleDepProfile {
  profile_name: string;
  url: string;
  allow_pairing?: boolean;
  is_supervised?: boolean;
  is_multi_user?: boolean;
  is_mandatory?: boolean;
  await_device_configured?: boolean;
  is_mdm_removable?: boolean;
  auto_advance_setup?: boolean;
  support_phone_number?: string;
  support_email_address?: string;
  org_magic?: string;
  anchor_certs?: string[];
  supervising_host_certs?: string[];
  skip_setup_items?: string[];
  department?: string;
  language?: string;
  region?: string;
  configuration_web_url?: string;
  do_not_use_profile_from_backup?: boolean;
  is_return_to_service?: boolean;
  devices?: string[];
}

/** JSON type of each Apple key, used to check `--from-json` input before anything else. */
export const APPLE_PROFILE_KEY_TYPES: Readonly<Record<keyof AppleDepProfile, 'string' | 'boolean' | 'string[]'>> = {
  profile_name: 'string',
  url: 'string',
  allow_pairing: 'boolean',
  is_supervised: 'boolean',
  is_multi_user: 'boolean',
  is_mandatory: 'boolean',
  await_device_configured: 'boolean',
  is_mdm_removable: 'boolean',
  auto_advance_setup: 'boolean',
  support_phone_number: 'string',
  support_email_address: 'string',
  org_magic: 'string',
  anchor_certs: 'string[]',
  supervising_host_certs: 'string[]',
  skip_setup_items: 'string[]',
  department: 'string',
  language: 'string',
  region: 'string',
  configuration_web_url: 'string',
  do_not_use_profile_from_backup: 'boolean',
  is_return_to_service: 'boolean',
  devices: 'string[]',
};

/**
 * Apple's limits (characters; `url` counts URL-encoded characters). Define-a-Profile answers 400 with
 * the code in the comment when exceeded.
 */
export const APPLE_PROFILE_LIMITS = {
  /** CONFIG_NAME_INVALID */
  profile_name: 125,
  /** CONFIG_URL_INVALID */
  url: 2000,
  /** DEPARTMENT_INVALID */
  department: 125,
  /** SUPPORT_PHONE_INVALID */
  support_phone_number: 50,
  /** SUPPORT_EMAIL_INVALID */
  support_email_address: 250,
  /** MAGIC_INVALID */
  org_magic: 256,
  /** Devices per assign request (AppleDocs `assign-profile`: keep requests to ≤ 1000 devices). */
  devicesPerRequest: 1000,
} as const;

/** Counts user-perceived characters as Apple counts "UTF-8 characters": Unicode code points. */
export function charCount(s: string): number {
  return [...s].length;
}
