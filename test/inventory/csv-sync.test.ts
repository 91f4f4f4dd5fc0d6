import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { seedInventory } from '../../bench/inventory-table';
import { createInventoryService } from '../../main/inventory';
import { markDeviceStaged, recordDeviceSeen } from '../../main/store';
import { auditRows, freshDb, udid } from './helpers';

test('CSV export: header, every matching row in the query order, quoting of commas and quotes', async () => {
  const { db, dir } = freshDb();
  const inv = createInventoryService(db, 'test');
  seedInventory(db, 1200, 3);
  const tricky = inv.register({ platform: 'macOS', osVersion: '15.1', serialNumber: 'C02CSV0001', owner: 'csv@example.com', method: 'ABM', model: 'MacBook "Pro", 14-inch' }).device;
  const file = path.join(dir, 'out.csv');
  const n = await inv.exportCsvFile(file, { status: 'Active', sort: 'lastCheckIn', desc: true });
  const records = parse(fs.readFileSync(file), { columns: true }) as Record<string, string>[];
  const all = inv.list({ status: 'Active', sort: 'lastCheckIn', desc: true, limit: 1000 });
  assert.equal(n, all.total);
  assert.equal(records.length, all.total);
  assert.deepEqual(records.slice(0, 1000).map((r) => Number(r.id)), all.rows.map((d) => d.id), 'same order as the table');
  const rest = inv.list({ status: 'Active', sort: 'lastCheckIn', desc: true, limit: 1000, offset: 1000 });
  assert.deepEqual(records.slice(1000).map((r) => Number(r.id)), rest.rows.map((d) => d.id));
  assert.deepEqual(Object.keys(records[0]), ['id', 'platform', 'model', 'os_version', 'serial_number', 'udid', 'imei', 'owner_email', 'owner_user_id',
    'registration_method', 'status', 'registered_at', 'status_changed_at', 'last_check_in', 'last_staged_at']);
  const row = records.find((r) => Number(r.id) === tricky.id)!;
  assert.equal(row.model, 'MacBook "Pro", 14-inch');
  assert.equal(row.serial_number, 'C02CSV0001');
  assert.equal(row.udid, '', 'NULL exports as an empty field');
  assert.equal(row.status, 'Active');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
});

test('CSV export streams with backpressure and leaves the connection usable between batches', async () => {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'test');
  seedInventory(db, 2500, 4);
  const out = new PassThrough({ highWaterMark: 1024 });
  let chunks = 0;
  let queriedMidway = false;
  out.on('data', () => {
    chunks++;
    if (chunks === 5) {
      out.pause();
      // Another query while the export is between batches must not hit "connection is busy".
      assert.equal(inv.list({ limit: 1 }).total, 2500);
      queriedMidway = true;
      setTimeout(() => out.resume(), 5);
    }
  });
  const n = await inv.exportCsv(out, {});
  assert.equal(n, 2500);
  assert.ok(queriedMidway);
  assert.ok(chunks > 10);
});

test('CSV export: a bad query is refused before any file is written', async () => {
  const { db, dir } = freshDb();
  const inv = createInventoryService(db, 'test');
  const file = path.join(dir, 'bad.csv');
  await assert.rejects(async () => inv.exportCsvFile(file, { sort: 'nope' as never }), { field: 'sort' });
  assert.equal(fs.existsSync(file), false);
});

test('bench sync: staged devices appear as Configurator/bench entries; known ones get last staged time', () => {
  const { db } = freshDb();
  const inv = createInventoryService(db, 'cli:bench');
  const known = inv.register({ platform: 'iOS', osVersion: '17.4', serialNumber: 'KNOWN00001', udid: udid(1), owner: 'a@example.com', method: 'invitation' }).device;
  const abm = inv.register({ platform: 'iPadOS', osVersion: '18.1', serialNumber: 'ABMSERIAL1', method: 'ABM' }).device;
  recordDeviceSeen(db, { udid: udid(1).toLowerCase(), serialNumber: 'KNOWN00001', productType: 'iPhone15,2', productVersion: '17.4', deviceClass: 'iPhone' });
  recordDeviceSeen(db, { udid: udid(2), serialNumber: 'ABMSERIAL1', productType: 'iPad13,1', productVersion: '18.1', deviceClass: 'iPad' });
  recordDeviceSeen(db, { udid: udid(3), serialNumber: 'NEWTV00001', productType: 'AppleTV11,1', productVersion: '18.0', deviceClass: 'AppleTV' });
  recordDeviceSeen(db, { udid: udid(4), serialNumber: 'NOTSTAGED1', productType: 'iPhone14,5', productVersion: '17.0', deviceClass: 'iPhone' });
  recordDeviceSeen(db, { udid: udid(5), deviceClass: 'Watch' });
  markDeviceStaged(db, udid(1).toLowerCase(), '2025-03-01T10:00:00.000Z');
  markDeviceStaged(db, udid(2), '2025-03-01T11:00:00.000Z');
  markDeviceStaged(db, udid(3), '2025-03-01T12:00:00.000Z');
  markDeviceStaged(db, udid(5), '2025-03-01T13:00:00.000Z');

  const page = inv.list({ sort: 'id' });
  assert.equal(page.total, 3, 'the unknown Watch and the never-staged iPhone are not added');
  assert.equal(inv.get(known.id)!.lastStagedAt, '2025-03-01T10:00:00.000Z', 'matched by UDID whatever its letter case');
  assert.equal(inv.get(abm.id)!.lastStagedAt, '2025-03-01T11:00:00.000Z');
  assert.equal(inv.get(abm.id)!.udid, udid(2), 'UDID learnt from the bench, matched by serial');
  const tv = page.rows[2];
  assert.equal(tv.platform, 'tvOS');
  assert.equal(tv.registrationMethod, 'Configurator/bench');
  assert.equal(tv.status, 'Active');
  assert.equal(tv.serialNumber, 'NEWTV00001');
  assert.equal(tv.lastStagedAt, '2025-03-01T12:00:00.000Z');
  assert.ok(auditRows(db).some((r) => r.action === 'inventory.register' && r.target === `inventory:${tv.id}` && /staged at this bench/.test(r.detail)));

  const again = inv.syncFromBench();
  assert.deepEqual([again.added.length, again.updated], [0, 0], 'nothing new: nothing written');
  markDeviceStaged(db, udid(3), '2025-04-01T09:00:00.000Z');
  assert.equal(inv.syncFromBench().updated, 1);
  assert.equal(inv.get(tv.id)!.lastStagedAt, '2025-04-01T09:00:00.000Z');
  assert.equal(inv.list({ sort: 'lastStagedAt', desc: true, limit: 1 }).rows[0].id, tv.id);
});
