/**
 * The registration_invitations table: one row per invitation, holding the salted PIN hash while
 * the invitation is open and nothing of the PIN once it closes (used, expired, revoked,
 * superseded, locked).
 */
import type { Db } from '../store';
import { RegistrationInputError } from './errors';
import type { InvitationPlatform, InvitationRow, InvitationStatus, Language } from './types';

interface InvitationDbRow {
  id: string;
  user_id: string;
  email: string;
  platform: InvitationPlatform;
  language: Language;
  registration_url: string;
  pin_hash: string | null;
  pin_expires_at: string | null;
  status: InvitationStatus;
  failed_attempts: number;
  resend_count: number;
  created_at: string;
  last_sent_at: string;
  closed_at: string | null;
}

/** A stored invitation with its PIN hash (internal: never leaves the service). */
export interface StoredInvitation extends InvitationRow {
  pinHash: string | null;
}

const SELECT = `SELECT i.*, u.email FROM registration_invitations i JOIN registration_users u ON u.id = i.user_id`;

function toStored(r: InvitationDbRow): StoredInvitation {
  return {
    id: r.id,
    userId: r.user_id,
    email: r.email,
    platform: r.platform,
    language: r.language,
    registrationUrl: r.registration_url,
    hasPin: r.pin_expires_at !== null,
    pinExpiresAt: r.pin_expires_at,
    status: r.status,
    failedAttempts: r.failed_attempts,
    resendCount: r.resend_count,
    createdAt: r.created_at,
    lastSentAt: r.last_sent_at,
    closedAt: r.closed_at,
    pinHash: r.pin_hash,
  };
}

/** Drops the PIN hash: the public row. */
export function publicRow(s: StoredInvitation): InvitationRow {
  const { pinHash: _pinHash, ...row } = s;
  return row;
}

/** Inserts a new open invitation. */
export function insertInvitation(db: Db, i: StoredInvitation): void {
  db.prepare(
    `INSERT INTO registration_invitations (id, user_id, platform, language, registration_url, pin_hash, pin_expires_at, status,
       failed_attempts, resend_count, created_at, last_sent_at, closed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'sent', 0, 0, ?, ?, NULL)`,
  ).run(i.id, i.userId, i.platform, i.language, i.registrationUrl, i.pinHash, i.pinExpiresAt, i.createdAt, i.lastSentAt);
}

/** Marks every open invitation of a user superseded (their PINs stop working). Returns the ids. */
export function supersedeOpen(db: Db, userId: string, at: string): string[] {
  const ids = (db.prepare(`SELECT id FROM registration_invitations WHERE user_id = ? AND status IN ('sent', 'expired', 'locked')`).all(userId) as { id: string }[]).map((r) => r.id);
  db.prepare(`UPDATE registration_invitations SET status = 'superseded', pin_hash = NULL, closed_at = ? WHERE user_id = ? AND status IN ('sent', 'expired', 'locked')`).run(at, userId);
  return ids;
}

/** Reissues an invitation: new PIN hash and expiry, open again, attempts reset, resend count + 1. */
export function reissueInvitation(db: Db, id: string, registrationUrl: string, pinHash: string | null, pinExpiresAt: string | null, at: string): void {
  db.prepare(
    `UPDATE registration_invitations SET registration_url = ?, pin_hash = ?, pin_expires_at = ?, status = 'sent', failed_attempts = 0,
       resend_count = resend_count + 1, last_sent_at = ?, closed_at = NULL WHERE id = ?`,
  ).run(registrationUrl, pinHash, pinExpiresAt, at, id);
}

/** Closes an invitation with `status`, dropping its PIN hash. */
export function closeInvitation(db: Db, id: string, status: Exclude<InvitationStatus, 'sent'>, at: string): void {
  db.prepare('UPDATE registration_invitations SET status = ?, pin_hash = NULL, closed_at = ? WHERE id = ?').run(status, at, id);
}

/** Records a wrong PIN; returns the new attempt count. */
export function countFailedAttempt(db: Db, id: string): number {
  db.prepare('UPDATE registration_invitations SET failed_attempts = failed_attempts + 1 WHERE id = ?').run(id);
  return (db.prepare('SELECT failed_attempts FROM registration_invitations WHERE id = ?').get(id) as { failed_attempts: number }).failed_attempts;
}

/** One invitation, or null. */
export function findInvitation(db: Db, id: string): StoredInvitation | null {
  const r = db.prepare(`${SELECT} WHERE i.id = ?`).get(id) as InvitationDbRow | undefined;
  return r ? toStored(r) : null;
}

/** One invitation; throws RegistrationInputError (field id) naming an unknown id. */
export function requireInvitation(db: Db, id: string): StoredInvitation {
  const i = findInvitation(db, id);
  if (!i) throw new RegistrationInputError('id', `no invitation with id ${id}; list them with \`stagebench invitations list\``);
  return i;
}

/** The user's newest invitation that was not superseded, or null. */
export function currentInvitation(db: Db, userId: string): StoredInvitation | null {
  const r = db.prepare(`${SELECT} WHERE i.user_id = ? AND i.status <> 'superseded' ORDER BY i.created_at DESC, i.rowid DESC LIMIT 1`).get(userId) as InvitationDbRow | undefined;
  return r ? toStored(r) : null;
}

/** Open invitations whose PIN lifetime has passed at `now` (ISO). */
export function dueForExpiry(db: Db, now: string): StoredInvitation[] {
  return (db.prepare(`${SELECT} WHERE i.status = 'sent' AND i.pin_expires_at IS NOT NULL AND i.pin_expires_at <= ?`).all(now) as InvitationDbRow[]).map(toStored);
}

/** Invitations, newest first, optionally of one user and/or one status. */
export function listInvitations(db: Db, filter: { userId?: string; status?: InvitationStatus } = {}): InvitationRow[] {
  const where: string[] = [];
  const args: string[] = [];
  if (filter.userId) {
    where.push('i.user_id = ?');
    args.push(filter.userId);
  }
  if (filter.status) {
    where.push('i.status = ?');
    args.push(filter.status);
  }
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.created_at DESC, i.rowid DESC`;
  return (db.prepare(sql).all(...args) as InvitationDbRow[]).map((r) => publicRow(toStored(r)));
}
