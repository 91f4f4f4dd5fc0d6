/**
 * The reference tenant's store: a real SQLite file (better-sqlite3) holding device spaces,
 * devices and accounts as the Ivanti Neurons for MDM v1 API shows them, with a per-record
 * `revision` taken from one monotonic counter (bumped by every write), the stored responses of
 * idempotency keys, and an apply log (one row per write actually applied) that tests read to prove
 * nothing was applied twice.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/** A device space. */
export interface PartitionRow {
  id: string;
  name: string;
  defaultPartition: boolean;
}

/** A device record as served (JSON object). */
export type DeviceRecord = Record<string, unknown> & { id: number; revision: number };
/** An account record as served. */
export type AccountRecord = Record<string, unknown> & { id: number; uid: string; revision: number };

/** A stored idempotent response. */
export interface StoredResponse {
  fingerprint: string;
  status: number;
  etag: string | null;
  body: string;
}

/** One applied write. */
export interface ApplyLogRow {
  seq: number;
  key: string | null;
  method: string;
  path: string;
  recordId: string;
}

/** Default device spaces: the default partition and a second one. */
export const DEFAULT_PARTITION_ID = '100001';
export const LAB_PARTITION_ID = '100002';

const MODELS = [
  { model: 'iPhone15,2', platform: 'IOS', name: 'iPhone' },
  { model: 'iPad13,1', platform: 'IOS', name: 'iPad' },
  { model: 'AppleTV5,3', platform: 'TVOS', name: 'Apple TV' },
];

/** The store. Create with openTenantStore. */
export class TenantStore {
  readonly db: Database.Database;
  private readonly stmts;

  /** Opens or creates the SQLite file at `file`. */
  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS partitions (id TEXT PRIMARY KEY, name TEXT NOT NULL, is_default INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS devices (id INTEGER PRIMARY KEY AUTOINCREMENT, partition_id TEXT NOT NULL, revision INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS devices_by_partition ON devices(partition_id, id);
      CREATE TABLE IF NOT EXISTS accounts (id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE COLLATE NOCASE, revision INTEGER NOT NULL, json TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, status INTEGER NOT NULL, etag TEXT, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS apply_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT, method TEXT NOT NULL, path TEXT NOT NULL, record_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT OR IGNORE INTO meta (key, value) VALUES ('revision', 0);
    `);
    this.db.prepare('INSERT OR IGNORE INTO partitions (id, name, is_default) VALUES (?, ?, 1)').run(DEFAULT_PARTITION_ID, 'Default Device Space');
    this.db.prepare('INSERT OR IGNORE INTO partitions (id, name, is_default) VALUES (?, ?, 0)').run(LAB_PARTITION_ID, 'Lab');
    this.stmts = {
      nextRev: this.db.prepare("UPDATE meta SET value = value + 1 WHERE key = 'revision' RETURNING value"),
      devicePage: this.db.prepare('SELECT json FROM devices WHERE partition_id = ? ORDER BY id LIMIT ? OFFSET ?').pluck(),
      deviceCount: this.db.prepare('SELECT COUNT(*) FROM devices WHERE partition_id = ?').pluck(),
      device: this.db.prepare('SELECT json FROM devices WHERE id = ?').pluck(),
      deviceUpdate: this.db.prepare('UPDATE devices SET revision = ?, json = ? WHERE id = ?'),
      deviceInsert: this.db.prepare('INSERT INTO devices (partition_id, revision, json) VALUES (?, 0, ?)'),
      accountPage: this.db.prepare('SELECT json FROM accounts ORDER BY id LIMIT ? OFFSET ?').pluck(),
      accountCount: this.db.prepare('SELECT COUNT(*) FROM accounts').pluck(),
      account: this.db.prepare('SELECT json FROM accounts WHERE id = ?').pluck(),
      accountByUid: this.db.prepare('SELECT json FROM accounts WHERE uid = ?').pluck(),
      accountUpdate: this.db.prepare('UPDATE accounts SET revision = ?, uid = ?, json = ? WHERE id = ?'),
      idemGet: this.db.prepare('SELECT fingerprint, status, etag, body FROM idempotency WHERE key = ?'),
      idemPut: this.db.prepare('INSERT INTO idempotency (key, fingerprint, status, etag, body) VALUES (?, ?, ?, ?, ?)'),
      applyLog: this.db.prepare('INSERT INTO apply_log (key, method, path, record_id) VALUES (?, ?, ?, ?)'),
    };
  }

  /** A new revision number (call inside a transaction with the write). */
  nextRevision(): number {
    return (this.stmts.nextRev.get() as { value: number }).value;
  }

  /** Device spaces. */
  partitions(): PartitionRow[] {
    return (this.db.prepare('SELECT id, name, is_default FROM partitions ORDER BY id').all() as { id: string; name: string; is_default: number }[])
      .map((r) => ({ id: r.id, name: r.name, defaultPartition: r.is_default === 1 }));
  }

  /** Whether device space `id` exists. */
  hasPartition(id: string): boolean {
    return this.partitions().some((p) => p.id === id);
  }

  /**
   * Adds `count` deterministic devices to `partitionId` in one transaction (serials `F…`, UDIDs
   * from SHA-1 of the index, models cycling iPhone/iPad/Apple TV). Returns the first new id.
   */
  seedDevices(count: number, partitionId = DEFAULT_PARTITION_ID): number {
    let first = 0;
    this.db.transaction(() => {
      const base = (this.db.prepare('SELECT COALESCE(MAX(id), 0) FROM devices').pluck().get() as number);
      for (let i = 0; i < count; i++) {
        const n = base + i + 1;
        const m = MODELS[n % MODELS.length];
        const rev = this.nextRevision();
        const info = this.stmts.deviceInsert.run(partitionId, '{}');
        const id = Number(info.lastInsertRowid);
        if (i === 0) first = id;
        const rec: DeviceRecord = {
          id, guid: crypto.createHash('md5').update(`guid${id}`).digest('hex'),
          serialNumber: `F${id.toString(36).toUpperCase().padStart(10, '0')}`,
          udid: crypto.createHash('sha1').update(`udid${id}`).digest('hex'),
          deviceModel: m.model, platformType: m.platform, osVersion: '17.5', registrationState: 'ACTIVE',
          emailAddress: `user${id % 997}@example.com`, displayName: `${m.name} ${id}`,
          modifiedAt: new Date(1_700_000_000_000 + rev * 1000).toISOString(), revision: rev, customAttributes: {},
        };
        this.stmts.deviceUpdate.run(rev, JSON.stringify(rec), id);
      }
    })();
    return first;
  }

  /** Adds `count` accounts `seed<i>@example.com` (inviteState SENT). */
  seedAccounts(count: number): void {
    this.db.transaction(() => {
      for (let i = 0; i < count; i++) this.insertAccount({ emailAddress: `seed${i}-${crypto.randomUUID().slice(0, 8)}@example.com` }, true);
    })();
  }

  /** One page of device JSON strings and the total, for `partitionId`. */
  devicePage(partitionId: string, start: number, rows: number, fq?: { field: string; value: string }): { total: number; json: string[] } {
    if (fq) {
      const all = (this.db.prepare(`SELECT json FROM devices WHERE partition_id = ? AND CAST(json_extract(json, ?) AS TEXT) = ? ORDER BY id`).pluck().all(partitionId, `$.${fq.field}`, fq.value) as string[]);
      return { total: all.length, json: all.slice(start, start + rows) };
    }
    return { total: this.stmts.deviceCount.get(partitionId) as number, json: this.stmts.devicePage.all(partitionId, rows, start) as string[] };
  }

  /** One device, or null. */
  device(id: number): DeviceRecord | null {
    const j = this.stmts.device.get(id) as string | undefined;
    return j ? (JSON.parse(j) as DeviceRecord) : null;
  }

  /** Partition of device `id`, or null. */
  devicePartition(id: number): string | null {
    return (this.db.prepare('SELECT partition_id FROM devices WHERE id = ?').pluck().get(id) as string | undefined) ?? null;
  }

  /** Replaces a device's fields with `patch`, bumping its revision; returns the new record (null if absent). */
  patchDevice(id: number, patch: Record<string, unknown>): DeviceRecord | null {
    const cur = this.device(id);
    if (!cur) return null;
    const rev = this.nextRevision();
    const next: DeviceRecord = { ...cur, ...patch, id, revision: rev, modifiedAt: new Date().toISOString() };
    this.stmts.deviceUpdate.run(rev, JSON.stringify(next), id);
    return next;
  }

  /** Deletes device `id`; true when it existed. */
  deleteDevice(id: number): boolean {
    return this.db.prepare('DELETE FROM devices WHERE id = ?').run(id).changes > 0;
  }

  /** One page of account JSON strings and the total. */
  accountPage(start: number, rows: number, fq?: { field: string; value: string }): { total: number; json: string[] } {
    if (fq) {
      const field = fq.field.toUpperCase() === 'UID' ? 'uid' : fq.field;
      const all = (this.db.prepare(`SELECT json FROM accounts WHERE lower(CAST(json_extract(json, ?) AS TEXT)) = lower(?) ORDER BY id`).pluck().all(`$.${field}`, fq.value) as string[]);
      return { total: all.length, json: all.slice(start, start + rows) };
    }
    return { total: this.stmts.accountCount.get() as number, json: this.stmts.accountPage.all(rows, start) as string[] };
  }

  /** One account, or null. */
  account(id: number): AccountRecord | null {
    const j = this.stmts.account.get(id) as string | undefined;
    return j ? (JSON.parse(j) as AccountRecord) : null;
  }

  /** The account with `uid` (case-insensitive), or null. */
  accountByUid(uid: string): AccountRecord | null {
    const j = this.stmts.accountByUid.get(uid) as string | undefined;
    return j ? (JSON.parse(j) as AccountRecord) : null;
  }

  /** Creates an account (Create User without Password); caller checks uid uniqueness. */
  insertAccount(a: { emailAddress: string; uid?: string; firstName?: string; lastName?: string; accountSource?: string }, sendInvite: boolean): AccountRecord {
    const rev = this.nextRevision();
    const now = new Date().toISOString();
    const uid = a.uid ?? a.emailAddress;
    const info = this.db.prepare('INSERT INTO accounts (uid, revision, json) VALUES (?, ?, ?)').run(uid, rev, '{}');
    const id = Number(info.lastInsertRowid);
    const rec: AccountRecord = {
      id, uid, emailAddress: a.emailAddress, firstName: a.firstName ?? '', lastName: a.lastName ?? '', accountSource: a.accountSource ?? 'LOCAL',
      inviteState: sendInvite ? 'SENT' : 'NOT_SENT', inviteResendCount: 0, inviteLastSentAt: sendInvite ? now : null,
      enabled: true, locked: false, createdAt: now, createdBy: 'api', modifiedAt: now, modifiedBy: 'api', revision: rev,
    };
    this.stmts.accountUpdate.run(rev, uid, JSON.stringify(rec), id);
    return rec;
  }

  /** Replaces an account's fields with `patch`, bumping its revision; null if absent. */
  patchAccount(id: number, patch: Record<string, unknown>): AccountRecord | null {
    const cur = this.account(id);
    if (!cur) return null;
    const rev = this.nextRevision();
    const next: AccountRecord = { ...cur, ...patch, id, revision: rev, modifiedAt: new Date().toISOString() };
    this.stmts.accountUpdate.run(rev, next.uid, JSON.stringify(next), id);
    return next;
  }

  /** Deletes account `id`; true when it existed. */
  deleteAccount(id: number): boolean {
    return this.db.prepare('DELETE FROM accounts WHERE id = ?').run(id).changes > 0;
  }

  /** The stored response of idempotency key `key`, or null. */
  idempotent(key: string): StoredResponse | null {
    return (this.stmts.idemGet.get(key) as StoredResponse | undefined) ?? null;
  }

  /** Records the response of `key` and the apply-log row (call inside the write's transaction). */
  recordApplied(key: string | null, fingerprint: string, method: string, path: string, recordId: string, res: { status: number; etag: string | null; body: string }): void {
    if (key) this.stmts.idemPut.run(key, fingerprint, res.status, res.etag, res.body);
    this.stmts.applyLog.run(key, method, path, recordId);
  }

  /** The apply log, oldest first. */
  applyLog(): ApplyLogRow[] {
    return (this.db.prepare('SELECT seq, key, method, path, record_id AS recordId FROM apply_log ORDER BY seq').all() as ApplyLogRow[]);
  }

  /** `{id, revision}` of every device (all partitions) and account, for convergence checks. */
  snapshot(): { devices: { id: string; revision: string; partitionId: string }[]; accounts: { id: string; revision: string }[] } {
    return {
      devices: (this.db.prepare('SELECT id, revision, partition_id AS partitionId FROM devices ORDER BY id').all() as { id: number; revision: number; partitionId: string }[])
        .map((r) => ({ id: String(r.id), revision: String(r.revision), partitionId: r.partitionId })),
      accounts: (this.db.prepare('SELECT id, revision FROM accounts ORDER BY id').all() as { id: number; revision: number }[]).map((r) => ({ id: String(r.id), revision: String(r.revision) })),
    };
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}

/** Opens the store at `file`, or in a new temporary directory when omitted. */
export function openTenantStore(file?: string): TenantStore {
  const f = file ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-tenant-')), 'tenant.sqlite3');
  return new TenantStore(f);
}
