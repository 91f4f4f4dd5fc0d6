/**
 * The outbox of DEP profile sends (`dep_profile_outbox`, migration 3): edits are saved locally and
 * queued; {@link pushPending} sends them — "Define a Profile" (`POST /profile`) and "Assign a
 * Profile" (`/profile/devices`) — through the Device Assignment client (main/dep/api) when the
 * server is reachable, recording each outcome so the state stays visible. A network failure leaves
 * everything pending; Apple's refusal marks the item and its profile `error` with Apple's message.
 */
import crypto from 'node:crypto';
import type { Db } from '../../store/db';
import { appendAudit } from '../../store/audit';
import type { AppleDepProfile } from './apple-profile';
import { APPLE_PROFILE_LIMITS } from './apple-profile';
import { recordAssignmentResult, serialsOfProfile, upsertAssignments } from './assignments';
import { findProfile, markProfileDefined, setProfileSyncState } from './repository';

/**
 * The two Device Assignment calls the outbox needs. main/dep/api's DepClient satisfies it
 * (`defineProfile`, `assignProfile`); errors are DepApiError (`status` 0 = network/timeout).
 */
export interface DepProfileApi {
  defineProfile(profile: AppleDepProfile): Promise<{ profile_uuid: string; devices?: Record<string, string> }>;
  assignProfile(profileUuid: string, serials: readonly string[]): Promise<{ devices: Record<string, string> }>;
}

/** Outbox item kinds: define a profile, assign serials to a profile. */
export type OutboxKind = 'define' | 'assign';
/** Outbox item states. */
export type OutboxState = 'pending' | 'sent' | 'error';

/** One queued send, as shown to the admin. */
export interface OutboxItem {
  id: number;
  serverId: string;
  kind: OutboxKind;
  profileId: string;
  serials: string[];
  state: OutboxState;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
}

interface OutboxRow {
  id: number; server_id: string; kind: OutboxKind; profile_id: string; serials_json: string | null; state: OutboxState;
  attempts: number; last_error: string | null; created_at: string; updated_at: string; sent_at: string | null;
}

function decode(r: OutboxRow): OutboxItem {
  return {
    id: r.id, serverId: r.server_id, kind: r.kind, profileId: r.profile_id, serials: r.serials_json ? JSON.parse(r.serials_json) as string[] : [],
    state: r.state, attempts: r.attempts, lastError: r.last_error, createdAt: r.created_at, updatedAt: r.updated_at, sentAt: r.sent_at,
  };
}

/** Queues a Define a Profile for `profileId` unless one is already pending. */
export function enqueueDefine(db: Db, serverId: string, profileId: string, now: string): void {
  const existing = db.prepare("SELECT id FROM dep_profile_outbox WHERE profile_id = ? AND kind = 'define' AND state = 'pending'").get(profileId);
  if (existing) {
    db.prepare('UPDATE dep_profile_outbox SET updated_at = ? WHERE profile_id = ? AND kind = \'define\' AND state = \'pending\'').run(now, profileId);
    return;
  }
  db.prepare("INSERT INTO dep_profile_outbox (server_id, kind, profile_id, state, created_at, updated_at) VALUES (?, 'define', ?, 'pending', ?, ?)").run(serverId, profileId, now, now);
}

/** Queues Assign a Profile of `serials` to `profileId` (split into requests of ≤ 1000 serials). */
export function enqueueAssign(db: Db, serverId: string, profileId: string, serials: readonly string[], now: string): void {
  const stmt = db.prepare("INSERT INTO dep_profile_outbox (server_id, kind, profile_id, serials_json, state, created_at, updated_at) VALUES (?, 'assign', ?, ?, 'pending', ?, ?)");
  for (let i = 0; i < serials.length; i += APPLE_PROFILE_LIMITS.devicesPerRequest) {
    stmt.run(serverId, profileId, JSON.stringify(serials.slice(i, i + APPLE_PROFILE_LIMITS.devicesPerRequest)), now, now);
  }
}

/** Outbox items of a server (or all), oldest first; `states` filters (default: every state). */
export function listOutbox(db: Db, serverId?: string, states?: OutboxState[]): OutboxItem[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (serverId) { where.push('server_id = ?'); args.push(serverId); }
  if (states?.length) { where.push(`state IN (${states.map(() => '?').join(', ')})`); args.push(...states); }
  return (db.prepare(`SELECT * FROM dep_profile_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`).all(...args) as OutboxRow[]).map(decode);
}

/** Puts a server's `error` items back to `pending` (after the admin fixed the cause). Returns how many. */
export function requeueErrors(db: Db, serverId: string, now: string): number {
  return db.prepare("UPDATE dep_profile_outbox SET state = 'pending', updated_at = ? WHERE server_id = ? AND state = 'error'").run(now, serverId).changes;
}

/** What happened to one item in a push. */
export interface PushItemOutcome {
  id: number;
  kind: OutboxKind;
  profileId: string;
  profileName: string;
  outcome: 'sent' | 'error' | 'waiting' | 'unreachable';
  message: string;
  /** Apple's per-device statuses (assign; define with devices). */
  devices?: Record<string, string>;
  /** Apple's profile_uuid (define). */
  profileUuid?: string;
}

/** Result of {@link pushPending}. `unreachable` = the server could not be reached; the rest stays pending. */
export interface PushReport {
  serverId: string;
  sent: number;
  failed: number;
  remaining: number;
  unreachable: boolean;
  items: PushItemOutcome[];
}

/** Options of {@link pushPending}: actor for the audit trail and clock. */
export interface PushOptions {
  actor: string;
  now?: () => Date;
}

function isNetworkError(err: unknown): boolean {
  const e = err as { name?: string; status?: unknown };
  if (e?.name === 'DepApiError') return e.status === 0;
  return e instanceof TypeError && /fetch failed|ECONNREFUSED|ENOTFOUND|network/i.test(String((err as Error).message));
}

function errorText(err: unknown): string {
  return (err as Error)?.message ?? String(err);
}

/**
 * Sends the server's pending outbox items in order through `api`. Define: records Apple's
 * profile_uuid (state synced); when a profile is redefined under a new uuid, every device on it
 * is queued again for assignment to the new uuid. Assign: sends the serials still on that profile
 * and records each device's status (SUCCESS → synced; NOT_ACCESSIBLE / FAILED → error; THROTTLED →
 * stays pending) in `dep_profile_assignments` and in migration 2's `dep_assignment_results`.
 * Stops at the first network failure (`unreachable`), leaving the rest pending. Never throws for
 * Apple's or the network's errors; they are in the report.
 */
export async function pushPending(db: Db, serverId: string, api: DepProfileApi, opts: PushOptions): Promise<PushReport> {
  const now = () => (opts.now ?? (() => new Date()))().toISOString();
  const report: PushReport = { serverId, sent: 0, failed: 0, remaining: 0, unreachable: false, items: [] };
  const batchId = crypto.randomUUID();
  const resultStmt = db.prepare("INSERT INTO dep_assignment_results (server_id, batch_id, action, profile_uuid, serial_number, status, at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const bump = db.prepare('UPDATE dep_profile_outbox SET attempts = attempts + 1, updated_at = ? WHERE id = ?');
  const finish = db.prepare('UPDATE dep_profile_outbox SET state = ?, last_error = ?, updated_at = ?, sent_at = CASE WHEN ? = \'sent\' THEN ? ELSE sent_at END WHERE id = ?');
  const failedDefines = new Set<string>();

  const nextPending = db.prepare("SELECT * FROM dep_profile_outbox WHERE server_id = ? AND state = 'pending' AND id > ? ORDER BY id LIMIT 1");
  // One pass in id order; items queued during the pass (reassignment after a redefinition) are reached too.
  for (let lastId = 0; ;) {
    const row = nextPending.get(serverId, lastId) as OutboxRow | undefined;
    if (!row) break;
    const item = decode(row);
    lastId = item.id;
    const profile = findProfile(db, item.profileId);
    if (!profile) continue; // deleted: its items cascade away
    const base = { id: item.id, kind: item.kind, profileId: profile.id, profileName: profile.name };
    if (report.unreachable) {
      report.items.push({ ...base, outcome: 'unreachable', message: 'not sent: the server is unreachable' });
      continue;
    }
    if (item.kind === 'assign' && (!profile.profileUuid || failedDefines.has(profile.id))) {
      report.items.push({ ...base, outcome: 'waiting', message: `waiting for profile "${profile.name}" to be defined at Apple` });
      continue;
    }
    bump.run(now(), item.id);
    try {
      if (item.kind === 'define') {
        const body: AppleDepProfile = { ...profile.apple };
        delete body.devices;
        const res = await api.defineProfile(body);
        if (!res || typeof res.profile_uuid !== 'string' || res.profile_uuid === '') throw new Error('Apple answered without a profile_uuid');
        const at = now();
        db.transaction(() => {
          const previous = profile.profileUuid;
          markProfileDefined(db, profile.id, res.profile_uuid, at);
          finish.run('sent', null, at, 'sent', at, item.id);
          const serials = serialsOfProfile(db, profile.id);
          if (previous !== res.profile_uuid && serials.length && previous !== null) {
            db.prepare("DELETE FROM dep_profile_outbox WHERE profile_id = ? AND kind = 'assign' AND state = 'pending'").run(profile.id);
            upsertAssignments(db, profile.serverId, profile.id, serials, at);
            enqueueAssign(db, profile.serverId, profile.id, serials, at);
          }
          appendAudit(db, { actor: opts.actor, action: 'dep.profile.define', target: profile.id, outcome: 'success', detail: `profile "${profile.name}" defined as ${res.profile_uuid}` });
        })();
        report.sent++;
        report.items.push({ ...base, outcome: 'sent', message: `defined as ${res.profile_uuid}`, profileUuid: res.profile_uuid });
      } else {
        const onProfile = new Set(serialsOfProfile(db, profile.id));
        const serials = item.serials.filter((s) => onProfile.has(s));
        const at0 = now();
        if (serials.length === 0) {
          finish.run('sent', null, at0, 'sent', at0, item.id);
          report.sent++;
          report.items.push({ ...base, outcome: 'sent', message: 'nothing to send: the devices moved to other profiles' });
          continue;
        }
        const res = await api.assignProfile(profile.profileUuid!, serials);
        const at = now();
        const statuses: Record<string, string> = {};
        db.transaction(() => {
          for (const s of serials) {
            const status = res?.devices?.[s] ?? 'FAILED';
            statuses[s] = status;
            resultStmt.run(profile.serverId, batchId, 'assign', profile.profileUuid, s, status, at, opts.actor);
            if (status !== 'THROTTLED') recordAssignmentResult(db, profile.serverId, profile.id, s, status, at);
          }
          const throttled = serials.filter((s) => statuses[s] === 'THROTTLED');
          if (throttled.length) {
            db.prepare('UPDATE dep_profile_outbox SET serials_json = ?, last_error = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(throttled), `${throttled.length} device(s) THROTTLED by Apple; push again later`, at, item.id);
          } else {
            finish.run('sent', null, at, 'sent', at, item.id);
          }
          const bad = serials.filter((s) => statuses[s] !== 'SUCCESS' && statuses[s] !== 'THROTTLED');
          appendAudit(db, { actor: opts.actor, action: 'dep.profile.assign', target: profile.id, outcome: bad.length ? 'failure' : 'success', detail: `${serials.length} device(s) to ${profile.profileUuid}: ${Object.entries(countBy(Object.values(statuses))).map(([k, v]) => `${k} ${v}`).join(', ')}` });
        })();
        const throttledLeft = Object.values(statuses).includes('THROTTLED');
        if (!throttledLeft) report.sent++;
        report.items.push({ ...base, outcome: throttledLeft ? 'waiting' : 'sent', message: `${serials.length} device(s): ${Object.entries(countBy(Object.values(statuses))).map(([k, v]) => `${k} ${v}`).join(', ')}`, devices: statuses });
      }
    } catch (err) {
      const at = now();
      if (isNetworkError(err)) {
        report.unreachable = true;
        report.items.push({ ...base, outcome: 'unreachable', message: errorText(err) });
        continue;
      }
      const message = errorText(err);
      db.transaction(() => {
        finish.run('error', message, at, 'error', at, item.id);
        if (item.kind === 'define') setProfileSyncState(db, profile.id, 'error', message, at);
        appendAudit(db, { actor: opts.actor, action: `dep.profile.${item.kind}`, target: profile.id, outcome: 'failure', detail: message.slice(0, 500) });
      })();
      if (item.kind === 'define') failedDefines.add(profile.id);
      report.failed++;
      report.items.push({ ...base, outcome: 'error', message });
    }
  }
  report.remaining = listOutbox(db, serverId, ['pending']).length;
  return report;
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
