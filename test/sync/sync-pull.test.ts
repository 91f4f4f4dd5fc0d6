import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readCheckpoint } from '../../main/sync/checkpoint';
import { recordLocalChange, runSync, listMirrorDevices, SyncInputError } from '../../main/sync';
import { startTestTenant } from '../support/tenant';
import { admin, makeBench } from './support/helpers';

const tenant = await startTestTenant({ devices: 1234, users: 12 });
after(() => tenant.close());

test('pull: pages through every device and user; mirror matches the tenant (ids and revisions)', async () => {
  const b = makeBench(tenant.url, { rows: 100 });
  const r = await b.sync.syncNow();
  assert.equal(r.ok, true, r.error);
  assert.equal(r.pulled.device!.pages, 13);
  assert.equal(r.pulled.device!.upserted, 1234);
  assert.equal(r.pulled.user!.upserted, 12);
  const snap = tenant.store.snapshot();
  const mirror = listMirrorDevices(b.db, { limit: 10_000 }).map((d) => ({ id: d.id, revision: d.revision }));
  assert.deepEqual(mirror, snap.devices.map((d) => ({ id: d.id, revision: d.revision })));
  const s = b.sync.status();
  assert.equal(s.mirror.devices, 1234);
  assert.equal(s.online, true);
  assert.ok(s.lastSuccessAt);
  assert.equal(s.checkpoints.find((c) => c.stream === 'devices')!.sweepInProgress, false);
  await b.close();
});

test('pull: an interrupted sweep resumes at the checkpoint (page position + sweep id), never re-reading committed pages', async () => {
  const b = makeBench(tenant.url, { rows: 100 });
  let pages = 0;
  const first = await runSync(b.db, b.box, {
    rows: 100, retry: { baseDelayMs: 1, maxAttempts: 2 },
    afterPage: () => {
      if (++pages === 5) throw new Error('simulated crash after page 5');
    },
  });
  assert.equal(first.ok, false);
  assert.match(first.error!, /simulated crash/);
  const cp = readCheckpoint(b.db, 'devices');
  assert.equal(cp.nextStart, 500);
  assert.ok(cp.sweepId);
  assert.equal(b.sync.status().mirror.devices, 500);
  const before = tenant.requests.get('GET /api/v1/device') ?? 0;
  const starts: number[] = [];
  const second = await runSync(b.db, b.box, { rows: 100, afterPage: (stream, start) => void (stream === 'devices' && starts.push(start)) });
  assert.equal(second.ok, true, second.error);
  assert.equal(starts[0], 500, 'resumed at the checkpoint');
  assert.equal((tenant.requests.get('GET /api/v1/device') ?? 0) - before, 8);
  assert.equal(b.sync.status().mirror.devices, 1234);
  assert.equal(readCheckpoint(b.db, 'devices').sweepId, null);
  await b.close();
});

test('pull: records gone after a complete sweep are marked deleted; records with pending changes are kept as the bench has them', async () => {
  const b = makeBench(tenant.url, { rows: 500 });
  assert.equal((await b.sync.syncNow()).ok, true);
  await admin(tenant.url, 'DELETE', 'devices/5');
  await admin(tenant.url, 'PATCH', 'devices/6', { displayName: 'renamed on tenant' });
  await admin(tenant.url, 'PATCH', 'devices/8', { displayName: 'renamed too' });
  // Local change on device 8, and the tenant is unreachable for pushes this run.
  b.sync.local.updateDeviceAttributes('8', { shelf: 'A3' });
  tenant.faults.add({ endpoint: 'PUT /api/v1/device/{id}/customattributes', status: 400, times: 1 });
  const r = await b.sync.syncNow();
  assert.equal(r.ok, true, r.error);
  assert.equal(r.pulled.device!.deleted, 1);
  assert.equal(r.pulled.device!.skippedPending, 1);
  const byId = new Map(listMirrorDevices(b.db, { includeDeleted: true, limit: 10_000 }).map((d) => [d.id, d]));
  assert.ok(byId.get('5')!.deletedAt, 'device 5 tombstoned');
  assert.equal(byId.get('6')!.displayName, 'renamed on tenant');
  assert.notEqual(byId.get('8')!.displayName, 'renamed too', 'pending local change not overwritten');
  assert.equal((byId.get('8')!.record.customAttributes as Record<string, string>).shelf, 'A3');
  assert.equal(b.sync.status().failed, 1);
  tenant.faults.clear();
  await b.close();
});

test('pull: a record skipped by offset paging (another deleted mid-sweep) is confirmed, not deleted', async () => {
  const b = makeBench(tenant.url, { rows: 100 });
  assert.equal((await b.sync.syncNow()).ok, true);
  let deletedOne = false;
  const gets = tenant.requests.get('GET /api/v1/device/{id}') ?? 0;
  const r = await runSync(b.db, b.box, {
    rows: 100,
    afterPage: (stream, start) => {
      if (stream === 'devices' && start === 0 && !deletedOne) {
        deletedOne = true;
        tenant.store.deleteDevice(20); // already seen this sweep; shifts later offsets by one, so one device is skipped
      }
    },
  });
  assert.equal(r.ok, true, r.error);
  assert.equal(r.pulled.device!.deleted, 0, 'the skipped device is not taken for deleted');
  assert.equal((tenant.requests.get('GET /api/v1/device/{id}') ?? 0) - gets, 1, 'the one unseen device was confirmed by a direct read');
  const live = new Set(listMirrorDevices(b.db, { limit: 10_000 }).map((d) => d.id));
  for (const d of tenant.store.snapshot().devices) assert.ok(live.has(d.id), `device ${d.id} still mirrored`);
  const next = await b.sync.syncNow();
  assert.equal(next.pulled.device!.deleted, 1, 'device 20 is gone from the next complete sweep');
  assert.equal(new Set(listMirrorDevices(b.db, { limit: 10_000 }).map((d) => d.id)).has('20'), false);
  await b.close();
});

test('recordLocalChange: bad input is refused with a clear message and nothing is written; it joins the caller\'s transaction', () => {
  const b = makeBench(tenant.url);
  const bad: [unknown, RegExp][] = [
    [{ entity: 'printer', entityId: '1', op: 'retire' }, /entity must be one of device, user/],
    [{ entity: 'device', entityId: '1', op: 'create' }, /op for device must be one of retire, wipe, update/],
    [{ entity: 'device', entityId: '', op: 'retire' }, /entityId must be a non-empty string/],
    [{ entity: 'user', entityId: 'x', op: 'create', payload: {} }, /emailAddress is required/],
    [{ entity: 'user', entityId: 'x', op: 'create', payload: { emailAddress: 'nope' } }, /must be an email address/],
    [{ entity: 'user', entityId: '1', op: 'update', payload: { password: 'x' } }, /unknown payload field "password"/],
    [{ entity: 'user', entityId: '1', op: 'update', payload: {} }, /at least one of/],
    [{ entity: 'device', entityId: '1', op: 'update', payload: { attributes: { 'bad/name': 'x' } } }, /attribute name/],
    [{ entity: 'user', entityId: '1', op: 'invite', baseRevision: 7 }, /baseRevision must be a string/],
  ];
  for (const [change, msg] of bad) {
    assert.throws(() => recordLocalChange(b.db, change as never), (e: Error) => e instanceof SyncInputError && msg.test(e.message), JSON.stringify(change));
  }
  assert.equal(b.sync.outbox().length, 0);
  b.db.exec('CREATE TABLE t (x TEXT)');
  assert.throws(() => b.db.transaction(() => {
    b.db.prepare('INSERT INTO t VALUES (?)').run('local row');
    recordLocalChange(b.db, { entity: 'user', entityId: 'L1', op: 'create', payload: { emailAddress: 'l1@example.com' } });
    throw new Error('caller fails after recording');
  })(), /caller fails/);
  assert.equal(b.sync.outbox().length, 0, 'outbox entry rolled back with the caller');
  assert.equal(b.db.prepare('SELECT COUNT(*) FROM t').pluck().get(), 0);
  const e = b.db.transaction(() => {
    b.db.prepare('INSERT INTO t VALUES (?)').run('local row');
    return recordLocalChange(b.db, { entity: 'user', entityId: 'L1', op: 'create', payload: { emailAddress: 'l1@example.com' } });
  })();
  assert.match(e.mutationId, /^[0-9a-f-]{36}$/);
  assert.equal(e.payload.sendInvite, true);
  assert.equal(b.sync.outbox().length, 1);
  void b.close();
});

test('a device change named by serial number (inventory-style local id) is bound to the mirrored tenant device and pushed with its revision', async () => {
  const b = makeBench(tenant.url);
  assert.equal((await b.sync.syncNow()).ok, true);
  const dev = listMirrorDevices(b.db, { limit: 50 }).find((d) => d.id === '40')!;
  const e = recordLocalChange(b.db, { entity: 'device', entityId: 'inventory:77', op: 'retire', payload: { serialNumber: dev.serialNumber!.toLowerCase() } });
  assert.equal(e.baseRevision, dev.revision);
  const r = await b.sync.syncNow();
  assert.equal(r.ok, true, r.error);
  assert.equal(r.pushed, 1);
  assert.equal(tenant.store.device(40)!.registrationState, 'RETIRED');
  assert.equal(b.db.prepare("SELECT tenant_id FROM sync_acks WHERE mutation_id = ?").pluck().get(e.mutationId), '40');
  await b.close();
});
