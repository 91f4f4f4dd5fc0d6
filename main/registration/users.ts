/**
 * The registration users table: local users and users imported from an LDAP directory (Ivanti
 * `accountSource` LOCAL / LDAP). For LDAP users the identity fields (email, first and last name,
 * DN) are read-only here: the directory owns them and a re-import refreshes them.
 */
import type { Db } from '../store';
import { RegistrationInputError } from './errors';
import type { Language, PortalRole, RegistrationUser, UserSource } from './types';

interface UserDbRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  source: UserSource;
  ldap_dn: string | null;
  user_portal: number;
  device_registration: number;
  language: Language;
  created_at: string;
  updated_at: string;
}

/** Maps a role to the (user_portal, device_registration) flags. */
export function roleFlags(role: PortalRole): [number, number] {
  return role === 'none' ? [0, 0] : role === 'user-portal' ? [1, 0] : [1, 1];
}

function toUser(r: UserDbRow): RegistrationUser {
  return {
    id: r.id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    source: r.source,
    ldapDn: r.ldap_dn,
    role: r.user_portal ? (r.device_registration ? 'device-registration' : 'user-portal') : 'none',
    language: r.language,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Inserts a validated user (one statement). */
export function insertUser(db: Db, u: RegistrationUser): void {
  const [portal, devReg] = roleFlags(u.role);
  db.prepare(
    `INSERT INTO registration_users (id, email, first_name, last_name, source, ldap_dn, user_portal, device_registration, language, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(u.id, u.email, u.firstName, u.lastName, u.source, u.ldapDn, portal, devReg, u.language, u.createdAt, u.updatedAt);
}

/** Rewrites every field but id and createdAt of an existing user (one statement). */
export function replaceUser(db: Db, u: RegistrationUser): void {
  const [portal, devReg] = roleFlags(u.role);
  db.prepare(
    `UPDATE registration_users SET email = ?, first_name = ?, last_name = ?, source = ?, ldap_dn = ?, user_portal = ?,
       device_registration = ?, language = ?, updated_at = ? WHERE id = ?`,
  ).run(u.email, u.firstName, u.lastName, u.source, u.ldapDn, portal, devReg, u.language, u.updatedAt, u.id);
}

/** The user with this id or (case-insensitive) email, or null. */
export function findUser(db: Db, ref: string): RegistrationUser | null {
  const r = db.prepare('SELECT * FROM registration_users WHERE id = ? OR email = ?').get(ref, ref.trim().toLowerCase()) as UserDbRow | undefined;
  return r ? toUser(r) : null;
}

/** Like findUser but throws RegistrationInputError (field `field`) naming the unknown reference. */
export function requireUser(db: Db, ref: string, field = 'user'): RegistrationUser {
  const u = findUser(db, ref);
  if (!u) throw new RegistrationInputError(field, `no user "${ref}"; add it (stagebench users add --email …) or import it (stagebench users import FILE.csv)`);
  return u;
}

/**
 * Users ordered by email; `search` matches a substring of email, first or last name
 * (case-insensitive; `%` and `_` are literal).
 */
export function listUsers(db: Db, search?: string): RegistrationUser[] {
  const s = search?.trim();
  if (!s) return (db.prepare('SELECT * FROM registration_users ORDER BY email').all() as UserDbRow[]).map(toUser);
  const like = `%${s.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return (db.prepare(
    `SELECT * FROM registration_users WHERE lower(email) LIKE @q ESCAPE '\\' OR lower(first_name) LIKE @q ESCAPE '\\'
       OR lower(last_name) LIKE @q ESCAPE '\\' OR lower(first_name || ' ' || last_name) LIKE @q ESCAPE '\\' ORDER BY email`,
  ).all({ q: like }) as UserDbRow[]).map(toUser);
}

/** Deletes a user (their invitations go with them). Returns whether a row was deleted. */
export function deleteUserRow(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM registration_users WHERE id = ?').run(id).changes > 0;
}
