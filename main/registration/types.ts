/**
 * Shapes of the registration capability shared by the service, the CLI and the IPC layer. Every
 * value is JSON-safe: dates are ISO-8601 UTC strings, images are base64 PNG data URLs.
 *
 * Words follow Ivanti Neurons for MDM / Ivanti EPMM: Settings > Users & Devices > Device
 * Registration (registration PIN, In-App Registration Requirement, Apple Web-based Registration
 * Requirement, Server Name Lookup), users with `accountSource` LOCAL or LDAP, the User Portal role
 * with its Device Registration option.
 */

/** Languages with a shipped invitation template (resources/templates/invitation/<lang>.html). */
export const LANGUAGES = ['en', 'de', 'fr'] as const;
/** An invitation template language. */
export type Language = (typeof LANGUAGES)[number];

/** Where a user account comes from: added locally, or imported from an LDAP directory (identity fields read-only). */
export type UserSource = 'local' | 'ldap';

/**
 * User Portal role of a user: `none`; `user-portal` (the role without the Device Registration
 * option); `device-registration` (the User Portal role with the Device Registration option — the
 * user may register devices in the self-service User Portal).
 */
export type PortalRole = 'none' | 'user-portal' | 'device-registration';

/** A registration user. `email` is the registration user name (lower case, unique). */
export interface RegistrationUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  source: UserSource;
  /** Distinguished name of a directory user; null for local users. */
  ldapDn: string | null;
  role: PortalRole;
  language: Language;
  createdAt: string;
  updatedAt: string;
}

/** Input of users.add: a local user. `role` defaults to `device-registration`, `language` to the settings' default. */
export interface NewUserInput {
  email: string;
  firstName?: string;
  lastName?: string;
  role?: PortalRole;
  language?: string;
  /**
   * Invite at creation: the tenant account is created with Ivanti's `sendInvite=true` (the tenant
   * sends its invitation when the create is pushed). Default false: invite later with
   * invitations.invite, which also queues a tenant invite.
   */
  sendInvite?: boolean;
}

/** Fields users.update may change. Email, names and DN of LDAP users are read-only (change them in the directory). */
export interface UserPatch {
  email?: string;
  firstName?: string;
  lastName?: string;
  role?: PortalRole;
  language?: string;
}

/**
 * The In-App / Apple Web-based Registration Requirement: `password` (user name and password),
 * `pin` (Registration PIN), `password-and-pin` (user name, password and Registration PIN),
 * `user-and-pin` (user name and Registration PIN).
 */
export type RegistrationRequirement = 'password' | 'pin' | 'password-and-pin' | 'user-and-pin';

/** Ivanti's labels for each requirement value. */
export const REQUIREMENT_LABELS: Record<RegistrationRequirement, string> = {
  password: 'Password',
  pin: 'Registration PIN',
  'password-and-pin': 'Password and Registration PIN',
  'user-and-pin': 'User and Registration PIN',
};

/**
 * Registration URL form: `epmm` → `<server>/go` (EPMM self-service registration), `neurons` →
 * `<server>/ireg/index.html` (Neurons for MDM iReg, as the CPS API's `registrationUrl` returns
 * it), `custom` → `customRegistrationUrl`.
 */
export type RegistrationUrlStyle = 'epmm' | 'neurons' | 'custom';

/** Device Registration settings (one row). */
export interface RegistrationSettings {
  /** Tenant server URL, `https://host[:port]` (no path); null until set — inviting needs it. */
  serverUrl: string | null;
  registrationUrlStyle: RegistrationUrlStyle;
  /** Used when `registrationUrlStyle` is `custom`: an https URL. */
  customRegistrationUrl: string | null;
  /** Registration PIN length in digits, 4–12. */
  pinLength: number;
  /** Registration PIN lifetime in hours, 1–4320 (EPMM's "Passcode Expiry" maximum). */
  pinLifetimeHours: number;
  inAppRequirement: RegistrationRequirement;
  webRequirement: RegistrationRequirement;
  /** "Allow silent in-app registration only". */
  silentInAppOnly: boolean;
  /** "Silent in-app registration time limit (minutes)", 1–10080; default 240. */
  silentInAppMinutes: number;
  /** SAML-based registration for Apple Web-based registration (the user signs in at the identity provider). */
  samlWebRegistration: boolean;
  /** "Send email to device user if the MDM profile is not installed". */
  emailIfProfileNotInstalled: boolean;
  /** Server Name Lookup: invitations ask for the email domain instead of the full server URL. */
  serverNameLookup: boolean;
  /** Language of invitations for users without one. */
  defaultLanguage: Language;
  updatedAt: string;
}

/** Partial settings for settings.set. */
export type RegistrationSettingsPatch = Partial<Omit<RegistrationSettings, 'updatedAt'>>;

/** Platform an invitation targets. Apple TV is not invited: it registers only through Apple Configurator-style staging. */
export type InvitationPlatform = 'ios' | 'macos';

/**
 * Invitation status: `sent` (open), `used` (PIN verified), `expired` (PIN lifetime passed),
 * `revoked`, `superseded` (a newer invitation for the same user replaced it), `locked` (too many
 * wrong PINs).
 */
export type InvitationStatus = 'sent' | 'used' | 'expired' | 'revoked' | 'superseded' | 'locked';

/** A stored invitation (never the PIN). */
export interface InvitationRow {
  id: string;
  userId: string;
  email: string;
  platform: InvitationPlatform;
  language: Language;
  registrationUrl: string;
  /** Whether a registration PIN was issued. */
  hasPin: boolean;
  pinExpiresAt: string | null;
  status: InvitationStatus;
  failedAttempts: number;
  resendCount: number;
  createdAt: string;
  lastSentAt: string;
  closedAt: string | null;
}

/**
 * An invitation as issued (invite or resend): the row plus what the user receives — the PIN in
 * clear (shown this once, never stored), QR codes as PNG data URLs and the rendered HTML.
 */
export interface IssuedInvitation extends InvitationRow {
  /** The registration PIN, or null when the settings call for none. */
  pin: string | null;
  /** `mirp://<host>?user=…&pin=…` launch link for Mobile@Work / Go on iOS, or null. */
  mirpUrl: string | null;
  /** QR code of the registration URL (PNG data URL). */
  registrationQr: string;
  /** QR code of the mirp link (PNG data URL), or null. */
  mirpQr: string | null;
  /** What the invitation asks the user to enter in the app: the server URL, or the email domain with Server Name Lookup. */
  serverEntry: string;
  /** The invitation rendered from the language's template (an HTML document). */
  html: string;
}

/** Outcome of verifyPin. */
export type PinCheck =
  | { ok: true; invitationId: string; userId: string; email: string }
  | { ok: false; reason: 'unknown-user' | 'no-invitation' | 'no-pin' | 'expired' | 'used' | 'revoked' | 'superseded' | 'locked' | 'mismatch'; invitationId?: string };
