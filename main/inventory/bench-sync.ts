/**
 * Brings the bench's staging history into the inventory: every device in `devices` (store/devices.ts)
 * with a `last_staged_at` gets that time on its inventory entries (matched by UDID, else by serial
 * on an Apple entry without UDID); a staged device the inventory does not know yet is added as an
 * Active entry registered by "Configurator/bench" with no owner.
 *
 * Platform comes from lockdownd's DeviceClass (iPhone / iPod → iOS, iPad → iPadOS, AppleTV → tvOS,
 * RealityDevice → visionOS) or a ProductType starting with "Mac" / "iMac" (macOS); a device of
 * another class is skipped. Only devices staged since the inventory last saw them are read, so a
 * sync with nothing new costs one indexed query.
 */
import type { Db } from '../store/db';
import { cachedStatement } from '../store/window';
import { getEntry, insertEntry } from './repository';
import type { InventoryDevice, Platform } from './types';

/** What a sync did: entries added, entries whose staging time changed, devices skipped (unknown class). */
export interface BenchSyncResult {
  added: InventoryDevice[];
  updated: number;
  skipped: string[];
}

interface StagedRow {
  udid: string;
  serialNumber: string | null;
  productType: string | null;
  productVersion: string | null;
  deviceClass: string | null;
  lastStagedAt: string;
}

/** Platform of a device seen over USB, from lockdownd DeviceClass / ProductType; null when unknown. */
export function platformOfBenchDevice(deviceClass: string | null, productType: string | null): Platform | null {
  switch ((deviceClass ?? '').toLowerCase()) {
    case 'iphone':
    case 'ipod':
      return 'iOS';
    case 'ipad':
      return 'iPadOS';
    case 'appletv':
      return 'tvOS';
    case 'realitydevice':
      return 'visionOS';
    default:
      return /^(i?mac|macbook)/i.test(productType ?? '') ? 'macOS' : null;
  }
}

/** Runs the sync inside the caller's transaction. */
export function syncStagedDevices(db: Db): BenchSyncResult {
  const pending = cachedStatement(db, `SELECT d.udid, d.serial_number AS serialNumber, d.product_type AS productType,
      d.product_version AS productVersion, d.device_class AS deviceClass, d.last_staged_at AS lastStagedAt
    FROM devices d
    WHERE d.last_staged_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM inventory_devices i WHERE i.udid = d.udid AND i.last_staged_at >= d.last_staged_at)`).all() as StagedRow[];
  const result: BenchSyncResult = { added: [], updated: 0, skipped: [] };
  for (const dev of pending) {
    const byUdid = cachedStatement(db, 'UPDATE inventory_devices SET last_staged_at = ? WHERE udid = ? AND (last_staged_at IS NULL OR last_staged_at < ?)')
      .run(dev.lastStagedAt, dev.udid, dev.lastStagedAt);
    if (byUdid.changes > 0) {
      result.updated += byUdid.changes;
      continue;
    }
    if (dev.serialNumber) {
      const bySerial = cachedStatement(db, `UPDATE inventory_devices SET udid = ?, last_staged_at = ?
        WHERE serial_number = ? AND udid IS NULL AND platform <> 'Android'`).run(dev.udid.toUpperCase(), dev.lastStagedAt, dev.serialNumber);
      if (bySerial.changes > 0) {
        result.updated += bySerial.changes;
        continue;
      }
    }
    const platform = platformOfBenchDevice(dev.deviceClass, dev.productType);
    if (!platform) {
      result.skipped.push(dev.udid);
      continue;
    }
    const id = insertEntry(db, {
      platform, model: dev.productType ?? '', osVersion: dev.productVersion ?? '', serialNumber: dev.serialNumber,
      udid: dev.udid.toUpperCase(), imei: null, ownerEmail: null, ownerUserId: null, registrationMethod: 'Configurator/bench',
      registeredAt: dev.lastStagedAt, lastCheckIn: dev.lastStagedAt, lastStagedAt: dev.lastStagedAt,
    });
    result.added.push(getEntry(db, id)!);
  }
  return result;
}
