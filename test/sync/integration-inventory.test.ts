/**
 * Device inventory ↔ tenant devices, end to end against the reference tenant: retire and wipe in
 * the inventory are queued in the outbox in the same transaction as the status change and reach
 * the tenant on sync (once, also when the answer is lost); pulled devices appear in the inventory
 * and tenant-side retires show locally, through the app's sync hooks (main/sync/local-links.ts).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppServices, type AppServices } from '../../main/app/services';
import type { InventoryDevice } from '../../main/inventory';
import { openHeadlessSecretBox } from '../../main/secrets';
import { listAudit } from '../../main/store';
import { listOutbox } from '../../main/sync';
import { startTestTenant, TENANT_PASSWORD, TENANT_USER } from '../support/tenant';
import { admin } from './support/helpers';
import { runStagebench } from '../cli/helpers';

const tenant = await startTestTenant({ devices: 9 });
after(() => tenant.close());

interface Bench {
  env: Record<string, string>;
  app: AppServices;
  close(): void;
}

function bench(): Bench {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-int-inv-'));
  const env = { STAGEBENCH_DATA_DIR: dir, STAGEBENCH_PASSPHRASE: 'integration-pass' };
  const app = createAppServices({ dataDir: dir, secretBox: openHeadlessSecretBox(dir, env), actor: 'test:admin' });
  app.sync.configure({ url: tenant.url, user: TENANT_USER, password: TENANT_PASSWORD });
  return { env, app, close: () => app.close() };
}

const serialOf = (id: number): string => String(tenant.store.device(id)!.serialNumber);
const entriesWithSerial = (b: Bench, serial: string): InventoryDevice[] => b.app.inventory.list({ search: serial, limit: 100 }).rows.filter((d) => d.serialNumber === serial);
const origin = (b: Bench, id: number): string => b.app.db.prepare('SELECT origin FROM inventory_devices WHERE id = ?').pluck().get(id) as string;
const applied = (route: string, deviceId: number): number => tenant.store.applyLog().filter((r) => r.path === route && r.recordId === String(deviceId)).length;

test('device registered and retired at the bench before any sync → `stagebench sync --once` → the tenant shows it retired; the pull links the entry, no duplicate', async () => {
  const b = bench();
  const serial = serialOf(3);
  const reg = b.app.inventory.register({ platform: 'iOS', osVersion: '17.5', serialNumber: serial, method: 'Configurator/bench' });
  const res = b.app.inventory.retire([reg.device.id]);
  assert.equal(res.succeeded, 1);
  const [entry] = listOutbox(b.app.db);
  assert.equal(entry.entity, 'device');
  assert.equal(entry.entityId, `inventory:${reg.device.id}`);
  assert.equal(entry.op, 'retire');
  assert.deepEqual(entry.payload, { serialNumber: serial });

  const r = await runStagebench(['sync', '--once'], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(tenant.store.device(3)!.registrationState, 'RETIRED');
  assert.equal(applied('/api/v1/device/retire', 3), 1, 'retired once');
  assert.equal(listOutbox(b.app.db).length, 0);

  const same = entriesWithSerial(b, serial);
  assert.equal(same.length, 1, 'the pulled device is the bench entry, linked, not a second entry');
  assert.equal(same[0].status, 'Retired');
  assert.equal(origin(b, same[0].id), 'bench');
  assert.equal(b.app.db.prepare("SELECT tenant_id FROM sync_entity_map WHERE entity = 'device' AND local_id = ?").pluck().get(`inventory:${reg.device.id}`), '3');

  // Every other tenant device of the device space is in the inventory now.
  const all = b.app.inventory.list({ limit: 100 }).rows;
  assert.equal(all.length, tenant.store.snapshot().devices.length);
  const ipad = entriesWithSerial(b, serialOf(1))[0];
  assert.equal(ipad.platform, 'iPadOS');
  assert.equal(ipad.model, 'iPad13,1');
  assert.equal(ipad.status, 'Active');
  assert.equal(ipad.registrationMethod, 'in-app', 'not given by the tenant, nothing else known: in-app');
  assert.equal(origin(b, ipad.id), 'tenant');
  assert.equal(entriesWithSerial(b, serialOf(2))[0].platform, 'tvOS');
  b.close();
});

test('bulk retire + wipe of pulled devices: one transaction each with their outbox entries; the answer lost after the tenant applied → applied once', async () => {
  const b = bench();
  assert.equal((await b.app.sync.syncNow()).ok, true);
  const e4 = entriesWithSerial(b, serialOf(4))[0];
  const e5 = entriesWithSerial(b, serialOf(5))[0];
  const e7 = entriesWithSerial(b, serialOf(7))[0];
  const bulk = b.app.inventory.retire([e4.id, e7.id, 999_999]);
  assert.equal(bulk.succeeded, 2);
  assert.equal(bulk.failed, 1, 'the unknown id is refused, the others go ahead');
  b.app.inventory.wipe([e5.id]);
  assert.deepEqual(listOutbox(b.app.db).map((e) => [e.entityId, e.op]), [[`inventory:${e4.id}`, 'retire'], [`inventory:${e7.id}`, 'retire'], [`inventory:${e5.id}`, 'wipe']]);

  tenant.faults.add({ endpoint: 'PUT /api/v1/device/retire', drop: true, when: 'after' }, { endpoint: 'PUT /api/v1/device/wipe', truncate: true, when: 'after' });
  const r = await b.app.sync.syncNow();
  tenant.faults.clear();
  assert.equal(r.ok, true, r.error);
  assert.equal(r.pushed, 3);
  assert.equal(tenant.store.device(4)!.registrationState, 'RETIRED');
  assert.equal(tenant.store.device(7)!.registrationState, 'RETIRED');
  assert.equal(tenant.store.device(5)!.registrationState, 'WIPED');
  assert.equal(applied('/api/v1/device/retire', 4), 1);
  assert.equal(applied('/api/v1/device/wipe', 5), 1);
  assert.equal(b.app.inventory.get(e4.id)!.status, 'Retired');
  assert.equal(b.app.inventory.get(e5.id)!.status, 'Wiped');
  assert.equal(listOutbox(b.app.db).length, 0);
  b.close();
});

test('tenant-side changes are pulled into the inventory: a retire shows as Retired (audited), new devices appear with the tenant\'s registration method', async () => {
  const b = bench();
  assert.equal((await b.app.sync.syncNow()).ok, true);
  const e6 = entriesWithSerial(b, serialOf(6))[0];
  assert.equal(e6.status, 'Active');
  await admin(tenant.url, 'PATCH', 'devices/6', { registrationState: 'RETIRED' });
  const { firstId } = await admin<{ firstId: number }>(tenant.url, 'POST', 'devices', { count: 1 });
  await admin(tenant.url, 'PATCH', `devices/${firstId}`, { registrationMethod: 'DEP' });

  assert.equal((await b.app.sync.syncNow()).ok, true);
  assert.equal(b.app.inventory.get(e6.id)!.status, 'Retired');
  const audit = listAudit(b.app.db, { actionPrefix: 'inventory.retire', target: `inventory:${e6.id}` });
  assert.equal(audit.length, 1);
  assert.match(audit[0].detail, /Active → Retired as the tenant has it \(device 6\)/);
  assert.equal(listOutbox(b.app.db).length, 0, 'a tenant-side change is not pushed back');
  const added = entriesWithSerial(b, serialOf(firstId))[0];
  assert.ok(added, 'the new tenant device is in the inventory');
  assert.equal(added.registrationMethod, 'ABM');
  b.close();
});

test('deleting a retired entry is local only: nothing is queued, the tenant keeps the device, the pull does not bring the entry back', async () => {
  const b = bench();
  assert.equal((await b.app.sync.syncNow()).ok, true);
  const e8 = entriesWithSerial(b, serialOf(8))[0];
  b.app.inventory.retire([e8.id]);
  assert.equal((await b.app.sync.syncNow()).ok, true);
  assert.equal(tenant.store.device(8)!.registrationState, 'RETIRED');
  const del = b.app.inventory.delete([e8.id]);
  assert.equal(del.succeeded, 1);
  assert.equal(listOutbox(b.app.db).length, 0, 'no tenant change for a delete');
  assert.equal((await b.app.sync.syncNow()).ok, true);
  assert.ok(tenant.store.device(8), 'the tenant keeps the device (history)');
  assert.equal(entriesWithSerial(b, serialOf(8)).length, 0, 'not brought back');
  b.close();
});

test('a failed local write leaves no outbox entry: a bulk retire that fails part-way rolls back every status change and every entry', async () => {
  const b = bench();
  assert.equal((await b.app.sync.syncNow()).ok, true);
  const e1 = entriesWithSerial(b, serialOf(1))[0];
  const e9 = entriesWithSerial(b, serialOf(9))[0];
  b.app.db.exec(`CREATE TEMP TRIGGER fail_retire_audit BEFORE INSERT ON audit_log WHEN NEW.action = 'inventory.retire' AND NEW.target = 'inventory:${e9.id}'
    BEGIN SELECT RAISE(ABORT, 'audit refused'); END`);
  assert.throws(() => b.app.inventory.retire([e1.id, e9.id]), /audit refused/);
  assert.equal(b.app.inventory.get(e1.id)!.status, 'Active', 'the first entry rolled back too');
  assert.equal(b.app.inventory.get(e9.id)!.status, 'Active');
  assert.equal(listOutbox(b.app.db).length, 0, 'no outbox entry');
  assert.equal((await b.app.sync.syncNow()).ok, true);
  assert.equal(tenant.store.device(1)!.registrationState, 'ACTIVE');
  b.close();
});
