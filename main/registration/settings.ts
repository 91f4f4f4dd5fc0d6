/**
 * Device Registration settings (Ivanti: Settings > Users & Devices > Device Registration): read,
 * validate and change the single settings row, and the rules derived from it — which
 * registration URL invitations carry and whether they carry a registration PIN.
 */
import type { Db } from '../store';
import { RegistrationInputError } from './errors';
import {
  LANGUAGES, REQUIREMENT_LABELS, type Language, type RegistrationRequirement, type RegistrationSettings,
  type RegistrationSettingsPatch, type RegistrationUrlStyle,
} from './types';

/** Registration PIN length bounds, digits. */
export const PIN_LENGTH_MIN = 4;
export const PIN_LENGTH_MAX = 12;
/** Registration PIN lifetime bounds, hours (4320 h is EPMM's "Passcode Expiry" maximum). */
export const PIN_LIFETIME_MIN_HOURS = 1;
export const PIN_LIFETIME_MAX_HOURS = 4320;
/** Silent in-app registration time limit bounds, minutes (Ivanti's default is 240). */
export const SILENT_MINUTES_MIN = 1;
export const SILENT_MINUTES_MAX = 10080;

const REQUIREMENTS = Object.keys(REQUIREMENT_LABELS) as RegistrationRequirement[];
const STYLES: RegistrationUrlStyle[] = ['epmm', 'neurons', 'custom'];

interface SettingsRow {
  server_url: string | null;
  registration_url_style: RegistrationUrlStyle;
  custom_registration_url: string | null;
  pin_length: number;
  pin_lifetime_hours: number;
  in_app_requirement: RegistrationRequirement;
  web_requirement: RegistrationRequirement;
  silent_in_app_only: number;
  silent_in_app_minutes: number;
  saml_web_registration: number;
  email_if_profile_not_installed: number;
  server_name_lookup: number;
  default_language: Language;
  updated_at: string;
}

/** Reads the settings row (migration 4 inserts it with the defaults). */
export function readSettings(db: Db): RegistrationSettings {
  const r = db.prepare('SELECT * FROM registration_settings WHERE id = 1').get() as SettingsRow;
  return {
    serverUrl: r.server_url,
    registrationUrlStyle: r.registration_url_style,
    customRegistrationUrl: r.custom_registration_url,
    pinLength: r.pin_length,
    pinLifetimeHours: r.pin_lifetime_hours,
    inAppRequirement: r.in_app_requirement,
    webRequirement: r.web_requirement,
    silentInAppOnly: r.silent_in_app_only === 1,
    silentInAppMinutes: r.silent_in_app_minutes,
    samlWebRegistration: r.saml_web_registration === 1,
    emailIfProfileNotInstalled: r.email_if_profile_not_installed === 1,
    serverNameLookup: r.server_name_lookup === 1,
    defaultLanguage: r.default_language,
    updatedAt: r.updated_at,
  };
}

/**
 * Validates `patch` merged over `current` and returns the merged settings. Throws
 * RegistrationInputError naming the first bad field: PIN length not a whole number 4–12, lifetime
 * not 1–4320 h, unknown requirement, silent time limit not 1–10080 min, server URL not
 * `https://host[:port]`, custom style without an https custom URL, unknown language.
 */
export function validateSettings(current: RegistrationSettings, patch: RegistrationSettingsPatch): RegistrationSettings {
  const known = new Set(Object.keys(current));
  for (const key of Object.keys(patch)) {
    if (!known.has(key) || key === 'updatedAt') throw new RegistrationInputError(key, `${key} is not a registration setting`);
  }
  const next: RegistrationSettings = { ...current, ...stripUndefined(patch) };
  intIn(next.pinLength, 'pinLength', PIN_LENGTH_MIN, PIN_LENGTH_MAX, 'Registration PIN length (digits)');
  intIn(next.pinLifetimeHours, 'pinLifetimeHours', PIN_LIFETIME_MIN_HOURS, PIN_LIFETIME_MAX_HOURS, 'Registration PIN lifetime (hours)');
  intIn(next.silentInAppMinutes, 'silentInAppMinutes', SILENT_MINUTES_MIN, SILENT_MINUTES_MAX, 'Silent in-app registration time limit (minutes)');
  for (const field of ['inAppRequirement', 'webRequirement'] as const) {
    if (!REQUIREMENTS.includes(next[field])) {
      throw new RegistrationInputError(field, `${field} must be one of ${REQUIREMENTS.join(', ')} (${Object.values(REQUIREMENT_LABELS).join(' / ')}), not "${String(next[field])}"`);
    }
  }
  for (const field of ['silentInAppOnly', 'samlWebRegistration', 'emailIfProfileNotInstalled', 'serverNameLookup'] as const) {
    if (typeof next[field] !== 'boolean') throw new RegistrationInputError(field, `${field} must be on or off (true or false)`);
  }
  if (!STYLES.includes(next.registrationUrlStyle)) {
    throw new RegistrationInputError('registrationUrlStyle', `registrationUrlStyle must be epmm (…/go), neurons (…/ireg/index.html) or custom, not "${String(next.registrationUrlStyle)}"`);
  }
  if (next.serverUrl !== null) next.serverUrl = normalizeServerUrl(next.serverUrl);
  if (next.customRegistrationUrl !== null && next.customRegistrationUrl !== undefined) {
    next.customRegistrationUrl = httpsUrl(next.customRegistrationUrl, 'customRegistrationUrl');
  } else {
    next.customRegistrationUrl = null;
  }
  if (next.registrationUrlStyle === 'custom' && !next.customRegistrationUrl) {
    throw new RegistrationInputError('customRegistrationUrl', 'the custom registration URL style needs customRegistrationUrl (an https URL)');
  }
  if (!LANGUAGES.includes(next.defaultLanguage)) {
    throw new RegistrationInputError('defaultLanguage', `defaultLanguage must be one of ${LANGUAGES.join(', ')}, not "${String(next.defaultLanguage)}"`);
  }
  return next;
}

/** Writes validated settings (one statement; the caller wraps it in a transaction with its audit row). */
export function writeSettings(db: Db, s: RegistrationSettings, at: string): void {
  db.prepare(
    `UPDATE registration_settings SET server_url = ?, registration_url_style = ?, custom_registration_url = ?, pin_length = ?,
       pin_lifetime_hours = ?, in_app_requirement = ?, web_requirement = ?, silent_in_app_only = ?, silent_in_app_minutes = ?,
       saml_web_registration = ?, email_if_profile_not_installed = ?, server_name_lookup = ?, default_language = ?, updated_at = ?
     WHERE id = 1`,
  ).run(
    s.serverUrl, s.registrationUrlStyle, s.customRegistrationUrl, s.pinLength, s.pinLifetimeHours, s.inAppRequirement,
    s.webRequirement, bit(s.silentInAppOnly), s.silentInAppMinutes, bit(s.samlWebRegistration), bit(s.emailIfProfileNotInstalled),
    bit(s.serverNameLookup), s.defaultLanguage, at,
  );
}

/** Fields that differ between two settings values, as `name: old → new` (settings hold no secrets). */
export function describeChanges(before: RegistrationSettings, after: RegistrationSettings): string[] {
  return (Object.keys(after) as (keyof RegistrationSettings)[])
    .filter((k) => k !== 'updatedAt' && before[k] !== after[k])
    .map((k) => `${k}: ${String(before[k])} → ${String(after[k])}`);
}

/** Whether a requirement asks the device user for a registration PIN. */
export function requirementNeedsPin(r: RegistrationRequirement): boolean {
  return r !== 'password';
}

/** Whether a requirement asks the device user for a password. */
export function requirementNeedsPassword(r: RegistrationRequirement): boolean {
  return r === 'password' || r === 'password-and-pin';
}

/**
 * Whether invitations carry a one-time registration PIN: the In-App Registration Requirement asks
 * for one, or the Apple Web-based Registration Requirement does and SAML-based registration is off
 * (with SAML the user authenticates at the identity provider instead).
 */
export function invitationNeedsPin(s: RegistrationSettings): boolean {
  return requirementNeedsPin(s.inAppRequirement) || (!s.samlWebRegistration && requirementNeedsPin(s.webRequirement));
}

/**
 * The registration URL invitations carry: EPMM `https://host/go`, Neurons
 * `https://host/ireg/index.html`, or the custom URL. Throws RegistrationInputError (field
 * serverUrl) when the server URL is not set yet.
 */
export function registrationUrl(s: RegistrationSettings): string {
  if (s.registrationUrlStyle === 'custom' && s.customRegistrationUrl) return s.customRegistrationUrl;
  if (!s.serverUrl) {
    throw new RegistrationInputError('serverUrl', 'the tenant server URL is not set; set it first (stagebench registration settings set --server-url https://mdm.example.com)');
  }
  return s.registrationUrlStyle === 'neurons' ? `${s.serverUrl}/ireg/index.html` : `${s.serverUrl}/go`;
}

/**
 * Normalises a tenant server URL to `https://host[:port]`. A bare host name gets `https://`.
 * Throws RegistrationInputError (field serverUrl) for http, a path, query, credentials or no host.
 */
export function normalizeServerUrl(value: string): string {
  const raw = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new RegistrationInputError('serverUrl', `serverUrl "${value}" is not a URL; give the tenant address, e.g. https://mdm.example.com`);
  }
  if (u.protocol !== 'https:') throw new RegistrationInputError('serverUrl', `serverUrl must use https, not ${u.protocol.replace(':', '')}`);
  if (!u.hostname) throw new RegistrationInputError('serverUrl', 'serverUrl has no host name');
  if (u.username || u.password) throw new RegistrationInputError('serverUrl', 'serverUrl must not carry a user name or password');
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) {
    throw new RegistrationInputError('serverUrl', `serverUrl must be the server address only (https://${u.host}); the registration path (/go or /ireg/…) follows from registrationUrlStyle`);
  }
  return `https://${u.host}`;
}

function httpsUrl(value: string, field: string): string {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    throw new RegistrationInputError(field, `${field} "${value}" is not a URL`);
  }
  if (u.protocol !== 'https:') throw new RegistrationInputError(field, `${field} must use https`);
  if (u.username || u.password) throw new RegistrationInputError(field, `${field} must not carry a user name or password`);
  return u.toString();
}

function intIn(v: unknown, field: string, min: number, max: number, label: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new RegistrationInputError(field, `${label} must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}`);
  }
}

function bit(b: boolean): number {
  return b ? 1 : 0;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
