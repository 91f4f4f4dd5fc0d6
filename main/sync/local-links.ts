/**
 * Keeps the bench's own tables — registration users (`registration_users`) and the device
 * inventory (`inventory_devices`) — in step with what the tenant says, through the sync's
 * `hooks.afterApply` (called inside the sync's transaction for every record pulled, deleted,
 * acknowledged or taken from the tenant in a conflict). Wire it with
 *
 *   createSyncService(db, box, actor, { hooks: localLinkHooks(db, actor) })
 *
 * Links: a local row and its tenant record are tied by a `sync_entity_map` row (entity, local id →
 * tenant id): users by their `registration_users.id`, inventory entries by `inventory:<id>`. The
 * outbox writes these for bench-created records when a push is acknowledged; this module writes
 * them for rows it matches or creates from pulled records.
 *
 * Users (tenant account → registration user):
 * - linked row, or else the row with the account's email (not linked to another account, no
 *   outbox entries of its own) → email, names and source (`accountSource` LOCAL → local, LDAP →
 *   ldap) are refreshed from the tenant;
 * - no such row → a new row, origin `tenant` (migration 9), default role and language;
 * - account deleted on the tenant (or a conflict resolved with the tenant's deletion) → the linked
 *   row and its invitations are deleted;
 * - a row with local changes still in the outbox is left as the bench has it (the outbox wins
 *   until the tenant acknowledged or a conflict resolution decided).
 * - `enabled` has no local column and is not copied. A directory (LDAP) user deleted at the bench
 *   comes back with the next pull while the tenant still lists it: the directory owns those users.
 *
 * Devices (tenant device → inventory entry):
 * - linked entry, or else the newest entry with the same serial number or UDID (same side, Apple
 *   or Android) that is not linked to another tenant device → status from `registrationState`
 *   (ACTIVE → Active, RETIRED → Retired, WIPED → Wiped; an entry marked Reset stays Reset while
 *   the tenant still says ACTIVE, as Ivanti keeps a reset device active until it registers
 *   again), model and OS version refreshed;
 * - no such entry → a new entry, origin `tenant` (not audited per entry: the `sync.run` audit
 *   row counts what a pull brought), with the registration method from the tenant's
 *   record when it has one (`registrationMethod`, `registrationType`, `enrollmentType`,
 *   `enrollmentMethod`), else inferred: staged at this bench → Configurator/bench, listed by an
 *   ADE server → ABM, owner invited from this bench → invitation, otherwise in-app (Ivanti's
 *   self-service default). Devices on platforms or in states the inventory has no word for, or
 *   without serial/UDID/IMEI, are not added;
 * - a linked entry deleted at the bench is not brought back (deleting an entry is local only);
 * - a device gone from the tenant leaves the entry as it is: Ivanti retires devices and keeps
 *   their history, so the entry's own status says what happened.
 *
 * Each event is applied in a savepoint: a failure (e.g. a constraint) rolls back only that local
 * row's change, is written to the audit trail (`sync.local-link`, outcome failure) and never
 * stops the sync — the mirror stays right and the next pull tries again.
 */
import crypto from 'node:crypto';
import type { Db } from '../store';
import { appendAudit } from '../store/audit';
import { cachedStatement } from '../store/window';
import { benchStagedAt } from '../inventory/register';
import { findSameDevice, getEntry, insertEntry, setStatus } from '../inventory/repository';
import { PLATFORMS, type DeviceStatus, type InventoryDevice, type Platform, type RegistrationMethod } from '../inventory/types';
import { readSettings } from '../registration/settings';
import type { RegistrationUser, UserSource } from '../registration/types';
import { deleteUserRow, insertUser } from '../registration/users';
import type { SyncApplyEvent, SyncHooks } from './types';

/** The outbox entity id the inventory uses for entry `id`. */
export function inventoryEntityId(id: number): string {
  return `inventory:${id}`;
}

/**
 * Ties registration user `localId` (email `email`) to the mirrored tenant account with that
 * uid or email, when it is not tied yet, has no outbox entries (a bench-created user is tied when
 * its create is acknowledged) and the account is not tied to another user. Call inside the write
 * transaction before recording a change of a user that may have come from elsewhere (directory
 * import, a cache older than the sync). Returns the tenant id it is tied to, or null.
 */
export function bindUserToTenant(db: Db, localId: string, email: string): string | null {
  const mapped = cachedStatement(db, "SELECT tenant_id FROM sync_entity_map WHERE entity = 'user' AND local_id = ?").pluck().get(localId) as string | undefined;
  if (mapped) return mapped;
  if (cachedStatement(db, "SELECT 1 FROM sync_outbox WHERE entity = 'user' AND entity_id = ? LIMIT 1").get(localId)) return null;
  const tenantId = (cachedStatement(db, 'SELECT id FROM tenant_users WHERE deleted_at IS NULL AND uid = ? ORDER BY CAST(id AS INTEGER) LIMIT 1').pluck().get(email)
    ?? cachedStatement(db, 'SELECT id FROM tenant_users WHERE deleted_at IS NULL AND email_address = ? ORDER BY CAST(id AS INTEGER) LIMIT 1').pluck().get(email)) as string | undefined;
  if (!tenantId || linkedUserIds(db, tenantId).length) return null;
  cachedStatement(db, "INSERT OR IGNORE INTO sync_entity_map (entity, local_id, tenant_id) VALUES ('user', ?, ?)").run(localId, tenantId);
  return tenantId;
}

/**
 * The sync hooks that keep registration users and the inventory in step with the tenant (see the
 * module comment). `actor` goes to the audit rows of local changes made from tenant data.
 */
export function localLinkHooks(db: Db, actor: string): SyncHooks {
  return {
    afterApply(event) {
      const apply = db.transaction(() => (event.entity === 'user' ? applyUser(db, event, actor) : applyDevice(db, event, actor)));
      try {
        apply();
      } catch (err) {
        appendAudit(db, {
          actor, action: 'sync.local-link', target: `${event.entity}:${event.tenantId}`, outcome: 'failure',
          detail: `${event.kind}: local ${event.entity === 'user' ? 'registration user' : 'inventory entry'} not updated: ${(err as Error).message}`,
        });
      }
    },
  };
}

// ---- shared --------------------------------------------------------------------------------

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null);

/** Whether any outbox entry (any state) concerns one of `ids` (local or tenant ids) of `entity`. */
function hasLocalChanges(db: Db, entity: 'user' | 'device', ids: readonly string[]): boolean {
  const stmt = cachedStatement(db, `SELECT 1 FROM sync_outbox o LEFT JOIN sync_entity_map m ON m.entity = o.entity AND m.local_id = o.entity_id
      WHERE o.entity = ? AND (o.entity_id = ? OR m.tenant_id = ?) LIMIT 1`);
  return ids.some((id) => stmt.get(entity, id, id) !== undefined);
}

function link(db: Db, entity: 'user' | 'device', localId: string, tenantId: string): void {
  cachedStatement(db, 'INSERT OR REPLACE INTO sync_entity_map (entity, local_id, tenant_id) VALUES (?, ?, ?)').run(entity, localId, tenantId);
}

// ---- users ---------------------------------------------------------------------------------

interface LocalUserRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  source: UserSource;
  origin: 'bench' | 'tenant';
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;
const name = (v: unknown): string => (typeof v === 'string' ? v.replace(CONTROL, '').trim().slice(0, 128) : '');

/** Registration users tied to tenant account `tenantId`. */
function linkedUserIds(db: Db, tenantId: string): string[] {
  return cachedStatement(db, `SELECT u.id FROM sync_entity_map m JOIN registration_users u ON u.id = m.local_id
      WHERE m.entity = 'user' AND m.tenant_id = ?`).pluck().all(tenantId) as string[];
}

function userRow(db: Db, id: string): LocalUserRow | null {
  return (cachedStatement(db, 'SELECT id, email, first_name, last_name, source, origin FROM registration_users WHERE id = ?').get(id) as LocalUserRow | undefined) ?? null;
}

function applyUser(db: Db, e: SyncApplyEvent, actor: string): void {
  const gone = e.kind === 'deleted' || (e.record === null && (e.kind === 'theirs' ? e.op !== 'create' : e.op === 'delete'));
  const linked = linkedUserIds(db, e.tenantId);
  if (e.localId && userRow(db, e.localId) && !linked.includes(e.localId)) linked.push(e.localId);
  if (gone) {
    for (const id of linked) {
      const row = userRow(db, id);
      if (!row || hasLocalChanges(db, 'user', [id, e.tenantId])) continue;
      deleteUserRow(db, id);
      appendAudit(db, { actor, action: 'registration.user.deleted', target: row.email, outcome: 'success', detail: `deleted on the tenant (account ${e.tenantId}); the bench's copy and its invitations removed` });
    }
    return;
  }
  const rec = e.record;
  if (!rec) return;
  const email = text(rec.emailAddress)?.toLowerCase() ?? null;
  const source: UserSource | null = rec.accountSource === 'LDAP' ? 'ldap' : rec.accountSource === 'LOCAL' ? 'local' : null;
  let id = linked[0] ?? null;
  if (!id) {
    if (!email || email.length > 254 || !EMAIL.test(email)) return; // not representable as a registration user
    const byEmail = userRow(db, (cachedStatement(db, 'SELECT id FROM registration_users WHERE email = ?').pluck().get(email) as string | undefined) ?? '');
    if (byEmail) {
      const tiedElsewhere = cachedStatement(db, "SELECT 1 FROM sync_entity_map WHERE entity = 'user' AND local_id = ? AND tenant_id <> ?").get(byEmail.id, e.tenantId);
      if (tiedElsewhere || hasLocalChanges(db, 'user', [byEmail.id])) return;
      link(db, 'user', byEmail.id, e.tenantId);
      id = byEmail.id;
    } else {
      const at = new Date().toISOString();
      const user: RegistrationUser = {
        id: crypto.randomUUID(), email, firstName: name(rec.firstName), lastName: name(rec.lastName), source: source ?? 'local',
        ldapDn: null, role: 'device-registration', language: readSettings(db).defaultLanguage, createdAt: at, updatedAt: at,
      };
      insertUser(db, user);
      cachedStatement(db, "UPDATE registration_users SET origin = 'tenant' WHERE id = ?").run(user.id);
      link(db, 'user', user.id, e.tenantId);
      appendAudit(db, { actor, action: 'registration.user.created', target: email, outcome: 'success', detail: `${user.source} user from the tenant (account ${e.tenantId})` });
      return;
    }
  }
  const row = userRow(db, id)!;
  if (hasLocalChanges(db, 'user', [id, e.tenantId])) return;
  const next = {
    email: email && EMAIL.test(email) && email !== row.email && !cachedStatement(db, 'SELECT 1 FROM registration_users WHERE email = ?').get(email) ? email : row.email,
    first_name: rec.firstName === undefined ? row.first_name : name(rec.firstName),
    last_name: rec.lastName === undefined ? row.last_name : name(rec.lastName),
    source: source ?? row.source,
  };
  const changed = (['email', 'first_name', 'last_name', 'source'] as const).filter((k) => next[k] !== row[k]);
  if (!changed.length) return;
  cachedStatement(db, `UPDATE registration_users SET email = @email, first_name = @first_name, last_name = @last_name, source = @source,
      ldap_dn = CASE WHEN @source = 'ldap' THEN ldap_dn ELSE NULL END, updated_at = @at WHERE id = @id`).run({ ...next, at: new Date().toISOString(), id });
  appendAudit(db, { actor, action: 'registration.user.updated', target: next.email, outcome: 'success', detail: `changed ${changed.join(', ')} as the tenant has it (account ${e.tenantId})` });
}

// ---- devices -------------------------------------------------------------------------------

const STATE: Record<string, DeviceStatus> = { ACTIVE: 'Active', RETIRED: 'Retired', WIPED: 'Wiped' };

/** Inventory status of a tenant `registrationState`, or null when the inventory has no word for it. */
export function statusOfTenantState(state: unknown): DeviceStatus | null {
  return typeof state === 'string' ? STATE[state.toUpperCase()] ?? null : null;
}

/** Inventory platform of a tenant device (`platformType`, iPads told apart by `deviceModel`), or null. */
export function platformOfTenantDevice(rec: Record<string, unknown>): Platform | null {
  const p = (text(rec.platformType) ?? '').toUpperCase().replace(/[^A-Z]/g, '');
  const model = text(rec.deviceModel) ?? '';
  if (p === 'IOS' || p === 'IPADOS' || p === 'IPHONE' || p === 'IPAD') return /^iPad/i.test(model) || p.startsWith('IPAD') ? 'iPadOS' : 'iOS';
  if (p === 'MACOS' || p === 'OSX' || p === 'MAC') return 'macOS';
  if (p === 'TVOS' || p === 'APPLETV') return 'tvOS';
  if (p === 'VISIONOS') return 'visionOS';
  if (p === 'ANDROID') return 'Android';
  const direct = PLATFORMS.find((x) => x.toUpperCase() === p);
  return direct ?? null;
}

/** Registration method named by the tenant's record, or null when it names none the inventory knows. */
export function methodOfTenantDevice(rec: Record<string, unknown>): RegistrationMethod | null {
  for (const field of ['registrationMethod', 'registrationType', 'enrollmentType', 'enrollmentMethod']) {
    const v = (text(rec[field]) ?? '').toUpperCase().replace(/[^A-Z]/g, '');
    if (!v) continue;
    if (/DEP|ADE|ABM|DEVICEENROLLMENT|AUTOMATED/.test(v)) return 'ABM';
    if (/CONFIGURATOR|BENCH/.test(v)) return 'Configurator/bench';
    if (/INVIT|IREG|WEB/.test(v)) return 'invitation';
    if (/INAPP|APP|GO|MOBILEWORK|SELF/.test(v)) return 'in-app';
  }
  return null;
}

function inferMethod(db: Db, serial: string | null, udid: string | null, owner: string | null): RegistrationMethod {
  if (benchStagedAt(db, udid)) return 'Configurator/bench';
  if (serial && cachedStatement(db, 'SELECT 1 FROM dep_devices WHERE serial_number = ? COLLATE NOCASE LIMIT 1').get(serial)) return 'ABM';
  if (owner && cachedStatement(db, `SELECT 1 FROM registration_invitations i JOIN registration_users u ON u.id = i.user_id WHERE u.email = ? LIMIT 1`).get(owner.toLowerCase())) return 'invitation';
  return 'in-app';
}

/** Inventory ids tied to tenant device `tenantId` (entries deleted at the bench included). */
function linkedEntryIds(db: Db, tenantId: string): number[] {
  return (cachedStatement(db, "SELECT local_id FROM sync_entity_map WHERE entity = 'device' AND tenant_id = ? AND local_id LIKE 'inventory:%'").pluck().all(tenantId) as string[])
    .map((l) => Number(l.slice('inventory:'.length))).filter((n) => Number.isInteger(n) && n > 0);
}

function describe(d: Pick<InventoryDevice, 'platform' | 'model' | 'serialNumber' | 'udid'>): string {
  return `${d.platform} ${d.model || 'device'} (${[d.serialNumber && `serial ${d.serialNumber}`, d.udid && `UDID ${d.udid}`].filter(Boolean).join(', ')})`;
}

function applyDevice(db: Db, e: SyncApplyEvent, actor: string): void {
  const rec = e.record;
  if (!rec || e.kind === 'deleted') return; // gone from the tenant: the entry keeps its own status (module comment)
  const tenantId = e.tenantId;
  const linked = linkedEntryIds(db, tenantId);
  if (e.localId?.startsWith('inventory:')) {
    const n = Number(e.localId.slice('inventory:'.length));
    if (Number.isInteger(n) && !linked.includes(n)) linked.push(n);
  }
  const serial = text(rec.serialNumber);
  const udid = text(rec.udid);
  const imei = text(rec.imei);
  const status = statusOfTenantState(rec.registrationState);
  let entry: InventoryDevice | null;
  if (linked.length) {
    entry = linked.map((id) => getEntry(db, id)).filter((x): x is InventoryDevice => x !== null).sort((a, b) => b.id - a.id)[0] ?? null;
    if (!entry) return; // deleted at the bench: not brought back
  } else {
    const platform = platformOfTenantDevice(rec);
    if (!platform || (!serial && !udid && !imei)) return;
    const tiedElsewhere = cachedStatement(db, "SELECT 1 FROM sync_entity_map WHERE entity = 'device' AND local_id = ? AND tenant_id <> ?");
    entry = findSameDevice(db, { serialNumber: serial, udid, imei }, platform === 'Android')
      .find((d) => !tiedElsewhere.get(inventoryEntityId(d.id), tenantId)) ?? null;
    if (!entry) {
      if (!status) return;
      const now = new Date().toISOString();
      const owner = text(rec.emailAddress);
      const ownerEmail = owner && owner.includes('@') ? owner : null;
      const ownerUserId = ownerEmail ? (cachedStatement(db, 'SELECT id FROM registration_users WHERE email = ?').pluck().get(ownerEmail.toLowerCase()) as string | undefined) ?? null : null;
      const given = methodOfTenantDevice(rec);
      const method = given ?? inferMethod(db, serial, udid, ownerEmail);
      const registeredAt = text(rec.registeredAt) ?? text(rec.createdAt) ?? text(rec.modifiedAt) ?? now;
      const id = insertEntry(db, {
        platform, model: text(rec.deviceModel) ?? '', osVersion: text(rec.osVersion) ?? '', serialNumber: serial, udid: platform === 'Android' ? null : udid, imei,
        ownerEmail, ownerUserId, registrationMethod: method, registeredAt, lastCheckIn: text(rec.lastCheckIn) ?? text(rec.lastCheckInTime) ?? null,
        lastStagedAt: benchStagedAt(db, udid),
      });
      cachedStatement(db, "UPDATE inventory_devices SET origin = 'tenant' WHERE id = ?").run(id);
      if (status !== 'Active') setStatus(db, id, status, now);
      link(db, 'device', inventoryEntityId(id), tenantId);
      // Not audited one by one: a first pull brings every tenant device (100,000 on a large
      // tenant); the run's own audit row (sync.run) counts them.
      return;
    }
    link(db, 'device', inventoryEntityId(entry.id), tenantId);
  }
  if (hasLocalChanges(db, 'device', [inventoryEntityId(entry.id), tenantId])) return;
  const model = text(rec.deviceModel);
  const os = text(rec.osVersion);
  if ((model && model !== entry.model) || (os && os !== entry.osVersion)) {
    cachedStatement(db, 'UPDATE inventory_devices SET model = ?, os_version = ? WHERE id = ?').run(model ?? entry.model, os ?? entry.osVersion, entry.id);
  }
  if (!status || status === entry.status || (status === 'Active' && entry.status === 'Reset')) return;
  const now = new Date().toISOString();
  setStatus(db, entry.id, status, now);
  const verb = status === 'Retired' ? 'retire' : status === 'Wiped' ? 'wipe' : 'reactivate';
  appendAudit(db, {
    actor, at: now, action: `inventory.${verb}`, target: inventoryEntityId(entry.id), outcome: 'success',
    detail: `${describe(entry)}: ${entry.status} → ${status} as the tenant has it (device ${tenantId})`,
  });
}
