/**
 * Devices seen at this bench: identity (UDID, serial, ECID) and what lockdownd reported
 * (ProductType, ProductVersion, DeviceClass, DeviceName), with first/last seen times.
 */
import type { Db } from './db';

/** A cached device. Times are ISO-8601 UTC; fields are null until the device reported them. */
export interface DeviceRecord {
  udid: string;
  serialNumber: string | null;
  uniqueChipId: string | null;
  productType: string | null;
  productVersion: string | null;
  deviceClass: string | null;
  deviceName: string | null;
  firstSeen: string;
  lastSeen: string;
  lastStagedAt: string | null;
}

/** What a sighting may add; absent fields keep their cached value. */
export interface DeviceSighting {
  udid: string;
  serialNumber?: string | null;
  uniqueChipId?: string | null;
  productType?: string | null;
  productVersion?: string | null;
  deviceClass?: string | null;
  deviceName?: string | null;
}

const COLUMNS = `udid, serial_number AS serialNumber, unique_chip_id AS uniqueChipId, product_type AS productType,
  product_version AS productVersion, device_class AS deviceClass, device_name AS deviceName,
  first_seen AS firstSeen, last_seen AS lastSeen, last_staged_at AS lastStagedAt`;

/** Records a sighting: inserts the device or updates last_seen and any newly known fields. */
export function recordDeviceSeen(db: Db, s: DeviceSighting, at = new Date().toISOString()): void {
  db.prepare(
    `INSERT INTO devices (udid, serial_number, unique_chip_id, product_type, product_version, device_class, device_name, first_seen, last_seen)
     VALUES (@udid, @serialNumber, @uniqueChipId, @productType, @productVersion, @deviceClass, @deviceName, @at, @at)
     ON CONFLICT(udid) DO UPDATE SET
       serial_number   = COALESCE(excluded.serial_number, serial_number),
       unique_chip_id  = COALESCE(excluded.unique_chip_id, unique_chip_id),
       product_type    = COALESCE(excluded.product_type, product_type),
       product_version = COALESCE(excluded.product_version, product_version),
       device_class    = COALESCE(excluded.device_class, device_class),
       device_name     = COALESCE(excluded.device_name, device_name),
       last_seen       = excluded.last_seen`,
  ).run({
    udid: s.udid,
    serialNumber: s.serialNumber ?? null,
    uniqueChipId: s.uniqueChipId ?? null,
    productType: s.productType ?? null,
    productVersion: s.productVersion ?? null,
    deviceClass: s.deviceClass ?? null,
    deviceName: s.deviceName ?? null,
    at,
  });
}

/** Marks a device as staged now. */
export function markDeviceStaged(db: Db, udid: string, at = new Date().toISOString()): void {
  db.prepare('UPDATE devices SET last_staged_at = ? WHERE udid = ?').run(at, udid);
}

/** One device by UDID, or null. */
export function getDevice(db: Db, udid: string): DeviceRecord | null {
  return (db.prepare(`SELECT ${COLUMNS} FROM devices WHERE udid = ?`).get(udid) as DeviceRecord | undefined) ?? null;
}

/** Every cached device, most recently seen first. */
export function listDevices(db: Db): DeviceRecord[] {
  return db.prepare(`SELECT ${COLUMNS} FROM devices ORDER BY last_seen DESC, udid`).all() as DeviceRecord[];
}
