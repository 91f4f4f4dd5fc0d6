/**
 * Field rules for registration users, shared by users.add, users.update and the CSV import:
 * each parser returns the normalised value or throws RegistrationInputError naming the field.
 */
import { RegistrationInputError } from './errors';
import { LANGUAGES, type Language, type PortalRole, type UserSource } from './types';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Email address = registration user name: trimmed, lower case, ≤ 254 characters, `local@domain.tld`. */
export function parseEmail(value: unknown, field = 'email'): string {
  const v = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (!v) throw new RegistrationInputError(field, `${field} is required: the user's email address is the registration user name`);
  if (v.length > 254 || !EMAIL.test(v)) throw new RegistrationInputError(field, `${field} "${v}" is not an email address (name@example.com)`);
  return v;
}

/** A first or last name: trimmed, ≤ 128 characters, no control characters; empty allowed. */
export function parseName(value: unknown, field: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new RegistrationInputError(field, `${field} must be text`);
  const v = value.trim();
  if (v.length > 128) throw new RegistrationInputError(field, `${field} is longer than 128 characters`);
  if (CONTROL.test(v)) throw new RegistrationInputError(field, `${field} contains control characters`);
  return v;
}

/**
 * User Portal role: `none`, `user-portal`, or `device-registration` (User Portal role with the
 * Device Registration option). Also accepts Ivanti's labels ("User Portal", "User Portal +
 * Device Registration", "Device Registration") in any case and spacing; empty → `fallback`.
 */
export function parseRole(value: unknown, field = 'role', fallback: PortalRole = 'device-registration'): PortalRole {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return fallback;
  const key = String(value).toLowerCase().replace(/[^a-z]/g, '');
  const map: Record<string, PortalRole> = {
    none: 'none', no: 'none',
    userportal: 'user-portal', portal: 'user-portal',
    deviceregistration: 'device-registration', userportaldeviceregistration: 'device-registration',
    userportalwithdeviceregistration: 'device-registration', userportalanddeviceregistration: 'device-registration',
  };
  const role = map[key];
  if (!role) throw new RegistrationInputError(field, `${field} "${String(value)}" is not a role; use none, user-portal or device-registration (User Portal with the Device Registration option)`);
  return role;
}

/** Invitation language: en, de or fr; a region suffix is dropped (de-CH → de); empty → `fallback`. */
export function parseLanguage(value: unknown, field = 'language', fallback: Language = 'en'): Language {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return fallback;
  const v = String(value).trim().toLowerCase().split(/[-_]/)[0] as Language;
  if (!LANGUAGES.includes(v)) throw new RegistrationInputError(field, `${field} "${String(value)}" has no invitation template; use one of ${LANGUAGES.join(', ')}`);
  return v;
}

/** Account source: `local` or `ldap` (also LOCAL, LDAP, directory, AD); empty → `local`. */
export function parseSource(value: unknown, field = 'source'): UserSource {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return 'local';
  const v = String(value).trim().toLowerCase();
  if (v === 'local') return 'local';
  if (v === 'ldap' || v === 'directory' || v === 'ad' || v === 'active directory') return 'ldap';
  throw new RegistrationInputError(field, `${field} "${String(value)}" must be local or ldap`);
}

/** An LDAP distinguished name (e.g. `CN=Alice,OU=Staff,DC=example,DC=com`): trimmed, ≤ 1024 characters, contains `=`. */
export function parseDn(value: unknown, field = 'ldapDn'): string | null {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
  const v = String(value).trim();
  if (v.length > 1024 || !v.includes('=') || CONTROL.test(v)) throw new RegistrationInputError(field, `${field} "${v}" is not an LDAP distinguished name (CN=…,DC=…)`);
  return v;
}
