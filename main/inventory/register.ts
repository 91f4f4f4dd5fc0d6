/**
 * Registration and re-registration rules. A registration names a device by serial, UDID and / or
 * IMEI; entries of the tenant's inventory sharing any of them are the same device, and the
 * re-registration needs no manual clearing of the old entry (seed "Re-registering Android devices"):
 *
 * - Android 10 and later: a new entry is added and is the only Active one; older Active / Reset
 *   entries of the device become Retired ("multiple entries will be displayed; only the latest
 *   entry will be active and older entries will be in a retired state"). Retired / Wiped stay.
 * - Android 9 and earlier: "a single entry will be shown after re-registration" — the newest
 *   entry is updated in place (Active again) and any other entries of the device are removed.
 * - Apple platforms (iOS, iPadOS, macOS, tvOS, visionOS): re-enrolling the device (seed
 *   "Re-enrolling iOS devices") keeps one record, so re-registration replaces the existing entry
 *   in place, like Android 9; extra entries are removed.
 *
 * Runs inside the caller's transaction; returns what changed so the caller can audit it.
 */
import type { Db } from '../store/db';
import { cachedStatement } from '../store/window';
import type { ResolvedOwner } from './owners';
import { deleteEntry, findSameDevice, getEntry, insertEntry, replaceEntry, setStatus, type EntryValues } from './repository';
import type { InventoryDevice, RegisterResult } from './types';
import type { ValidRegistration } from './validate';

/** Last time the bench staged the device with `udid` (either letter case), or null. */
export function benchStagedAt(db: Db, udid: string | null): string | null {
  if (!udid) return null;
  const row = cachedStatement(db, 'SELECT MAX(last_staged_at) AS at FROM devices WHERE udid IN (?, ?)').get(udid.toUpperCase(), udid.toLowerCase()) as { at: string | null };
  return row.at;
}

/**
 * Applies a validated registration at time `now` (ISO-8601). Returns the Active entry and the ids
 * retired or removed by the rules above, plus the entries as they were before (for the audit).
 */
export function applyRegistration(db: Db, v: ValidRegistration, owner: ResolvedOwner, now: string): RegisterResult & { previous: InventoryDevice[] } {
  const values: EntryValues = {
    platform: v.platform, model: v.model, osVersion: v.osVersion, serialNumber: v.serialNumber, udid: v.udid, imei: v.imei,
    ownerEmail: owner.email, ownerUserId: owner.userId, registrationMethod: v.method, registeredAt: now,
    lastCheckIn: v.lastCheckIn ?? now, lastStagedAt: benchStagedAt(db, v.udid),
  };
  const android = v.platform === 'Android';
  const previous = findSameDevice(db, v, android);
  if (previous.length === 0) {
    const id = insertEntry(db, values);
    return { device: getEntry(db, id)!, reRegistered: false, rule: 'new', retiredIds: [], removedIds: [], previous };
  }
  if (android && v.osMajor >= 10) {
    const retiredIds: number[] = [];
    for (const old of previous) {
      if (old.status === 'Active' || old.status === 'Reset') {
        setStatus(db, old.id, 'Retired', now);
        retiredIds.push(old.id);
      }
    }
    const id = insertEntry(db, values);
    return { device: getEntry(db, id)!, reRegistered: true, rule: 'added-latest', retiredIds, removedIds: [], previous };
  }
  const [keep, ...extra] = previous;
  for (const old of extra) deleteEntry(db, old.id);
  replaceEntry(db, keep.id, values);
  return { device: getEntry(db, keep.id)!, reRegistered: true, rule: 'replaced', retiredIds: [], removedIds: extra.map((e) => e.id), previous };
}
