/**
 * The Ivanti "Device Enrollment profile" form model (Admin > Apple > Device Enrollment > Create New
 * Profile / Edit Profile / Edit Authentication), in Ivanti's words. It holds more than Apple's ADE
 * profile JSON: fields the MDM applies itself after or during enrollment (minimum OS rule, Shared
 * iPad settings, time zone, auto-lock, account setup) — see to-apple.ts for the split.
 * Stored as JSON in `dep_profiles.form_json`; it never holds a password.
 */
import { emptyAccountSetup, type MacAccountSetup } from '../accounts/account-setup';

/** Edit Authentication: "Prompt user for registration / login", or "Skip user login" with one defined user or the anonymous user. */
export type DepAuthentication =
  | { mode: 'prompt' }
  | { mode: 'skip'; assignTo: 'defined'; user: string }
  | { mode: 'skip'; assignTo: 'anonymous' };

/** Custom Enrollment: off, the Ivanti-hosted web page, or a custom https URL (both → Apple `configuration_web_url`). */
export interface CustomEnrollment {
  enabled: boolean;
  mode: 'hosted' | 'custom';
  /** Custom URL (mode `custom`), https. */
  url?: string;
}

/** One platform's minimum OS: `osVersion` like `17.1` (optionally `17.1 (a)`), optional `buildVersion` like `21B91`. */
export interface MinimumOsVersion {
  osVersion: string;
  buildVersion?: string;
}

/**
 * "Require minimum OS version for enrollment": per platform (Ivanti shows iOS 17+ and macOS 14+,
 * the versions whose devices honour `com.apple.softwareupdate.required`), and the message shown to
 * the user. When the build is inconsistent with the OS version, the OS version wins (Apple).
 */
export interface MinimumOsRequirement {
  enabled: boolean;
  iOS?: MinimumOsVersion;
  macOS?: MinimumOsVersion;
  message?: string;
}

/**
 * Shared iPad for Business (Multi-User, iOS 13.4+). Quota Size (MB) and Resident Users exclude
 * each other: when both are given, Quota Size wins. Timeouts are seconds: 0 = device default, or
 * ≥ 30; 1–29 are invalid. Online Authentication Grace Period is in days (0 = always online).
 */
export interface SharedIpadSettings {
  enabled: boolean;
  quotaSizeMb?: number;
  residentUsers?: number;
  userSessionTimeout?: number;
  temporarySessionTimeout?: number;
  temporarySessionOnly: boolean;
  managedAppleIdDefaultDomains: string[];
  onlineAuthenticationGracePeriodDays?: number;
}

/** The whole form. Booleans use Ivanti's labels; Apple key in brackets where one exists. */
export interface DepProfileForm {
  /** Name [profile_name]. */
  name: string;
  /** Description (Ivanti only). */
  description?: string;
  /** Department [department]. */
  department?: string;
  /** MDM enrollment URL [url]; default: the tenant's ADE enrollment URL from the service options. */
  url?: string;
  /** [org_magic]. */
  orgMagic?: string;
  /** Supervised Mode [is_supervised]; on by default (always on for iOS 13+ and macOS 10.15+). */
  supervised: boolean;
  /** MDM Removable [is_mdm_removable]; not applicable to Shared iPads. */
  mdmRemovable: boolean;
  /** MDM Mandatory [is_mandatory]; ignored for macOS (Ivanti supports only optional enrollment there). */
  mdmMandatory: boolean;
  /** Allow Pairing [allow_pairing]; not applicable to iOS 13+ / macOS 10.15+. */
  allowPairing: boolean;
  /** Certificates: anchor certificates [anchor_certs], base64 DER. */
  anchorCerts: string[];
  /** Supervising host certificates [supervising_host_certs], base64 DER. */
  supervisingHostCerts: string[];
  /** Support Phone Number [support_phone_number]. */
  supportPhone?: string;
  /** Support Email Address [support_email_address]. */
  supportEmail?: string;
  customEnrollment: CustomEnrollment;
  minimumOs: MinimumOsRequirement;
  sharedIpad: SharedIpadSettings;
  /** Auto Lock Time, seconds (iOS 17+), ≥ 120. */
  autoLockTime?: number;
  /** Passcode Lock Grace Period, seconds, 0–14400. */
  passcodeLockGracePeriod?: number;
  /** Time Zone, IANA name such as `Pacific/Midway`. */
  timeZone?: string;
  /** "Wait until configurations and high priority applications are pushed" [await_device_configured]. */
  awaitDeviceConfigured: boolean;
  /** Its Time Limit in minutes: default 3, maximum 10. */
  awaitTimeLimitMinutes: number;
  /** Auto advance setup [auto_advance_setup]: tvOS and macOS 11+ (needs Ethernet). */
  autoAdvance: boolean;
  /** [language] ISO 639, tvOS and macOS 11+. */
  language?: string;
  /** [region] ISO 3166-1 alpha-2, tvOS and macOS 11+. */
  region?: string;
  /** Setup Assistant panes the admin chose to skip (Apple key names); conventions add implied keys. */
  skipSetupItems: string[];
  /** "Show custom text on the Login page". */
  loginPageText?: string;
  authentication: DepAuthentication;
  macosAccounts: MacAccountSetup;
}

/** Default of Await Device Configuration's Time Limit (minutes). */
export const AWAIT_TIME_LIMIT_DEFAULT_MINUTES = 3;
/** Maximum Time Limit (minutes). */
export const AWAIT_TIME_LIMIT_MAX_MINUTES = 10;

/**
 * A new form with Ivanti's defaults: Supervised on, MDM Mandatory on, MDM Removable on, Allow
 * Pairing on, Await off with a 3-minute limit, prompt-user authentication, no skipped panes.
 */
export function defaultProfileForm(name = ''): DepProfileForm {
  return {
    name,
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
    awaitTimeLimitMinutes: AWAIT_TIME_LIMIT_DEFAULT_MINUTES,
    autoAdvance: false,
    skipSetupItems: [],
    authentication: { mode: 'prompt' },
    macosAccounts: emptyAccountSetup(),
  };
}

/**
 * Fills a partial form (e.g. JSON from the renderer or `--from-json`) with the defaults, nested
 * sections merged field by field. Does not validate.
 */
export function completeProfileForm(partial: Partial<DepProfileForm> & { name?: string }): DepProfileForm {
  const d = defaultProfileForm(partial.name ?? '');
  return {
    ...d,
    ...partial,
    customEnrollment: { ...d.customEnrollment, ...(partial.customEnrollment ?? {}) },
    minimumOs: { ...d.minimumOs, ...(partial.minimumOs ?? {}) },
    sharedIpad: { ...d.sharedIpad, ...(partial.sharedIpad ?? {}) },
    macosAccounts: { ...d.macosAccounts, ...(partial.macosAccounts ?? {}) },
    authentication: partial.authentication ?? d.authentication,
    anchorCerts: partial.anchorCerts ?? d.anchorCerts,
    supervisingHostCerts: partial.supervisingHostCerts ?? d.supervisingHostCerts,
    skipSetupItems: partial.skipSetupItems ?? d.skipSetupItems,
  };
}
