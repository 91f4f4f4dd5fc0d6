/**
 * SQL access to `inventory_devices` (migration 5): row mapping, lookups by id and by device
 * identity, inserts, in-place updates, status changes and deletes. No rules here — callers
 * validate and run these inside one transaction.
 */
import type { Db } from '../store/db';
import { cachedStatement } from '../store/window';
import type { DeviceStatus, InventoryDevice } from './types';

/** SELECT list mapping columns to InventoryDevice fields (table alias `d`). */
export const DEVICE_COLUMNS = `d.id, d.platform, d.model, d.os_version AS osVersion, d.serial_number AS serialNumber, d.udid,
  d.imei, d.owner_email AS ownerEmail, d.owner_user_id AS ownerUserId, d.registration_method AS registrationMethod,
  d.status, d.registered_at AS registeredAt, d.status_changed_at AS statusChangedAt, d.last_check_in AS lastCheckIn,
  d.last_staged_at AS lastStagedAt`;

/** Column values of a new or re-registered entry. */
export interface EntryValues {
  platform: string;
  model: string;
  osVersion: string;
  serialNumber: string | null;
  udid: string | null;
  imei: string | null;
  ownerEmail: string | null;
  ownerUserId: string | null;
  registrationMethod: string;
  registeredAt: string;
  lastCheckIn: string | null;
  lastStagedAt: string | null;
}

/** One entry by id, or null. */
export function getEntry(db: Db, id: number): InventoryDevice | null {
  return (cachedStatement(db, `SELECT ${DEVICE_COLUMNS} FROM inventory_devices d WHERE d.id = ?`).get(id) as InventoryDevice | undefined) ?? null;
}

/**
 * Entries of the same physical device: any identifier (serial, UDID, IMEI; case-insensitive)
 * equal, on the same side (Apple or Android). Newest first (highest id).
 */
export function findSameDevice(db: Db, ids: { serialNumber: string | null; udid: string | null; imei: string | null }, android: boolean): InventoryDevice[] {
  const sql = `SELECT ${DEVICE_COLUMNS} FROM inventory_devices d
    WHERE (d.serial_number = @serial OR d.udid = @udid OR d.imei = @imei) AND (d.platform = 'Android') = @android
    ORDER BY d.id DESC`;
  return cachedStatement(db, sql).all({ serial: ids.serialNumber, udid: ids.udid, imei: ids.imei, android: android ? 1 : 0 }) as InventoryDevice[];
}

/** Inserts an Active entry; returns its id. */
export function insertEntry(db: Db, v: EntryValues): number {
  const info = cachedStatement(db, `INSERT INTO inventory_devices (platform, model, os_version, serial_number, udid, imei, owner_email,
      owner_user_id, registration_method, status, registered_at, status_changed_at, last_check_in, last_staged_at)
    VALUES (@platform, @model, @osVersion, @serialNumber, @udid, @imei, @ownerEmail, @ownerUserId, @registrationMethod, 'Active',
      @registeredAt, @registeredAt, @lastCheckIn, @lastStagedAt)`).run(v);
  return Number(info.lastInsertRowid);
}

/** Overwrites entry `id` with a new registration (status Active). Identifiers unknown now keep their old value. */
export function replaceEntry(db: Db, id: number, v: EntryValues): void {
  cachedStatement(db, `UPDATE inventory_devices SET platform = @platform, model = @model, os_version = @osVersion,
      serial_number = COALESCE(@serialNumber, serial_number), udid = COALESCE(@udid, udid), imei = COALESCE(@imei, imei),
      owner_email = @ownerEmail, owner_user_id = @ownerUserId, registration_method = @registrationMethod, status = 'Active',
      registered_at = @registeredAt, status_changed_at = @registeredAt, last_check_in = @lastCheckIn,
      last_staged_at = COALESCE(@lastStagedAt, last_staged_at)
    WHERE id = @id`).run({ ...v, id });
}

/** Sets the status of entry `id` at time `at`. */
export function setStatus(db: Db, id: number, status: DeviceStatus, at: string): void {
  cachedStatement(db, 'UPDATE inventory_devices SET status = ?, status_changed_at = ? WHERE id = ?').run(status, at, id);
}

/** Deletes entry `id`. */
export function deleteEntry(db: Db, id: number): void {
  cachedStatement(db, 'DELETE FROM inventory_devices WHERE id = ?').run(id);
}

/** True when the cache has the registration users table (migration 4). */
export function hasRegistrationUsers(db: Db): boolean {
  return cachedStatement(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'registration_users'").get() !== undefined;
}
