/**
 * Device owners: an owner is kept as the user's email (the Ivanti user name) plus, when the cache
 * holds registration users (migration 4, `registration_users(id, email, ...)`), that user's id.
 */
import type { Db } from '../store/db';
import { cachedStatement } from '../store/window';
import { hasRegistrationUsers } from './repository';
import { InventoryInputError } from './validate';

/** A resolved owner. Both null for a device registered without a user (Device Enrollment, bench). */
export interface ResolvedOwner {
  email: string | null;
  userId: string | null;
}

/**
 * Resolves `owner` (an email, or a registration user id): an email is looked up case-insensitively
 * for its user id (null when the user is not cached); an id must name a cached user. Throws
 * InventoryInputError (field `owner`) for an id that names no user, or a non-email when the cache
 * has no registration users.
 */
export function resolveOwner(db: Db, owner: string | null): ResolvedOwner {
  if (!owner) return { email: null, userId: null };
  const users = hasRegistrationUsers(db);
  if (owner.includes('@')) {
    if (!users) return { email: owner, userId: null };
    const row = cachedStatement(db, 'SELECT id FROM registration_users WHERE email = ? COLLATE NOCASE').get(owner) as { id: string | number } | undefined;
    return { email: owner, userId: row ? String(row.id) : null };
  }
  if (!users) throw new InventoryInputError('owner', `owner "${owner}" is not an email address; give the owner's email`);
  const row = cachedStatement(db, 'SELECT id, email FROM registration_users WHERE id = ?').get(owner) as { id: string | number; email: string } | undefined;
  if (!row) throw new InventoryInputError('owner', `no registration user has id "${owner}"; give the owner's email or an existing user id`);
  return { email: row.email, userId: String(row.id) };
}
