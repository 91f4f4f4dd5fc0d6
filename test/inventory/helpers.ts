/**
 * Test helpers for the inventory: a fresh cache (real SQLite file, all migrations) in a temp dir,
 * valid identifiers (IMEIs with a Luhn check digit, Apple UDIDs) and audit row reads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type AuditEntry, type Db } from '../../main/store';

/** A new temp directory. */
export function tmpDir(prefix = 'sb-inventory-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Opens a fresh cache in a new temp directory. */
export function freshDb(): { db: Db; dir: string } {
  const dir = tmpDir();
  return { db: openDatabase(dir), dir };
}

/** A 15-digit IMEI built from 14 digits plus the Luhn check digit (3GPP TS 23.003). */
export function imei(body14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    let d = Number(body14[i]);
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return body14 + String((10 - (sum % 10)) % 10);
}

/** An A12-style UDID (8 hex, dash, 16 hex) from a number. */
export function udid(n: number): string {
  return `00008030-${n.toString(16).toUpperCase().padStart(16, '0')}`;
}

/** Every audit row, oldest first. */
export function auditRows(db: Db): AuditEntry[] {
  return db.prepare('SELECT id, at, actor, action, target, outcome, detail FROM audit_log ORDER BY id').all() as AuditEntry[];
}

/** Row count of inventory_devices. */
export function inventoryCount(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM inventory_devices').get() as { n: number }).n;
}
