/**
 * Device sync into a real SQLite cache against the DEP simulator: full listing and incremental
 * sync, cursor persistence per committed page, crash resume, every cursor error path, churn,
 * duplicate serials by op_date, pruning, and the crash-safe sync lock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { DepApiError, DepInputError, getSyncState, SyncInProgressError, type SyncProgress } from '../../main/dep';
import { depFixture, deviceCount, syncRow } from './helpers';

test('full sync: pages of 1000, cursor and phase stored, Apple fields kept; then incremental', async (t) => {
  const f = await depFixture(t, { devices: 2500 });
  const progress: SyncProgress[] = [];
  const r = await f.svc.sync(f.serverId, { onProgress: (p) => progress.push(p) });
  assert.equal(r.mode, 'full');
  assert.equal(r.received, 2500);
  assert.equal(r.added, 2500);
  assert.equal(r.pages, 4, '3 listing pages + 1 sync page');
  const listing = f.sim.requests.filter((q) => q.path === '/server/devices');
  assert.deepEqual(listing.map((q) => (q.body as { limit: number }).limit), [1000, 1000, 1000]);
  assert.equal(deviceCount(f.db, f.serverId), 2500);
  const st = syncRow(f.db, f.serverId);
  assert.equal(st.phase, 'sync');
  assert.equal(st.cursor, r.cursor);
  assert.equal(st.lock_owner, null, 'lock released');
  assert.ok(progress.some((p) => /page 2: 2000 devices/.test(p.message)));
  const one = f.svc.devices({ serverId: 'main', search: [...f.sim.store.devices.keys()][1] })[0];
  const src = f.sim.store.devices.get(one.serial_number)!;
  for (const k of ['model', 'description', 'color', 'asset_tag', 'os', 'device_family', 'profile_status', 'device_assigned_by'] as const) assert.equal(one[k], src[k], k);
  assert.equal(one.device_assigned_date, new Date(src.device_assigned_date!).toISOString());
  const server = f.svc.get(f.serverId);
  assert.equal(server.deviceCount, 2500);
  assert.equal(server.lastSyncStatus, 'succeeded');

  const again = await f.svc.sync(f.serverId);
  assert.equal(again.mode, 'incremental');
  assert.equal(again.received, 0);
  assert.equal(f.sim.requests.filter((q) => q.path === '/server/devices').length, 3, 'no new listing');
});

test('churn: added, modified and deleted devices are applied by an incremental sync', async (t) => {
  const f = await depFixture(t, { devices: 20 });
  await f.svc.sync(f.serverId);
  const serials = [...f.sim.store.devices.keys()];
  const added = f.sim.store.add(3);
  f.sim.store.modify(serials.slice(0, 2), { color: 'RED', asset_tag: 'NEW' });
  f.sim.store.remove(serials.slice(10, 12));
  const r = await f.svc.sync(f.serverId, { limit: 2 });
  assert.deepEqual({ added: r.added, modified: r.modified, deleted: r.deleted, pages: r.pages }, { added: 3, modified: 2, deleted: 2, pages: 4 });
  assert.equal(deviceCount(f.db, f.serverId), 21);
  const rows = new Map(f.svc.devices({ serverId: f.serverId }).map((d) => [d.serial_number, d]));
  assert.equal(rows.get(serials[0])!.color, 'RED');
  assert.equal(rows.get(serials[0])!.op_type, 'modified');
  assert.ok(rows.has(added[2]));
  assert.ok(!rows.has(serials[10]) && !rows.has(serials[11]));
});

test('a serial seen several times is resolved by the latest op_date (within and across pages)', async (t) => {
  const f = await depFixture(t, { devices: 3 });
  await f.svc.sync(f.serverId);
  const [a, b] = [...f.sim.store.devices.keys()];
  const base = { model: 'iPhone 15', os: 'iOS' };
  f.sim.store.inject([
    { serial_number: a, ...base, color: 'RED', op_type: 'modified', op_date: '2025-03-02T00:00:00Z' },
    { serial_number: a, ...base, color: 'BLUE', op_type: 'modified', op_date: '2025-03-01T00:00:00Z' },
    { serial_number: b, ...base, color: 'GREEN', op_type: 'modified', op_date: '2025-03-05T00:00:00Z' },
  ]);
  const r1 = await f.svc.sync(f.serverId, { limit: 1000 });
  assert.equal(r1.superseded, 1);
  // Across pages (limit 1): an older deletion after a newer modification is ignored.
  f.sim.store.inject([
    { serial_number: b, ...base, op_type: 'deleted', op_date: '2025-03-04T00:00:00Z' },
    { serial_number: a, ...base, color: 'BLACK', op_type: 'modified', op_date: '2025-02-01T00:00:00Z' },
  ]);
  const r2 = await f.svc.sync(f.serverId, { limit: 1 });
  assert.equal(r2.superseded, 2);
  const rows = new Map(f.svc.devices().map((d) => [d.serial_number, d]));
  assert.equal(rows.get(a)!.color, 'RED');
  assert.equal(rows.get(a)!.op_date, '2025-03-02T00:00:00.000Z');
  assert.equal(rows.get(b)!.color, 'GREEN');
});

test('the cursor is stored after each committed page; a failed sync resumes from it', async (t) => {
  const f = await depFixture(t, { devices: 2500 });
  let afterFirst: string | null = null;
  await assert.rejects(
    f.svc.sync(f.serverId, {
      onProgress: (p) => {
        if (p.page !== 1) return;
        afterFirst = getSyncState(f.db, f.serverId).cursor;
        f.sim.fault('POST /server/devices', { status: 500, body: 'INTERNAL' }); // page 2 fails
      },
    }),
    (e: unknown) => e instanceof DepApiError && /HTTP 500/.test(e.message),
  );
  assert.equal(deviceCount(f.db, f.serverId), 1000);
  const st = getSyncState(f.db, f.serverId);
  assert.equal(st.phase, 'fetch');
  assert.ok(afterFirst);
  assert.equal(st.cursor, afterFirst, 'stored cursor = the cursor of the last committed page');
  const srv = f.svc.get(f.serverId);
  assert.equal(srv.lastSyncStatus, 'failed');
  assert.match(srv.lastSyncError ?? '', /HTTP 500/);
  assert.equal(syncRow(f.db, f.serverId).lock_owner, null, 'lock released after failure');

  f.sim.requests.length = 0;
  const r = await f.svc.sync(f.serverId);
  const first = f.sim.requests.find((q) => q.path === '/server/devices')!;
  assert.equal((first.body as { cursor: string }).cursor, afterFirst, 'resumed with the stored cursor');
  assert.equal(r.mode, 'incremental');
  assert.equal(r.received, 1500);
  assert.equal(deviceCount(f.db, f.serverId), 2500);
  assert.equal(f.svc.get(f.serverId).lastSyncStatus, 'succeeded');
});

test('a page that fails to commit leaves neither its devices nor its cursor', async (t) => {
  const f = await depFixture(t, { devices: 30 });
  const serials = [...f.sim.store.devices.keys()];
  f.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON dep_devices WHEN NEW.serial_number = '${serials[15]}' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
  let afterFirst: string | null = null;
  await assert.rejects(f.svc.sync(f.serverId, { limit: 10, onProgress: (p) => { if (p.page === 1) afterFirst = getSyncState(f.db, f.serverId).cursor; } }), /disk trouble/);
  assert.equal(deviceCount(f.db, f.serverId), 10);
  assert.equal(getSyncState(f.db, f.serverId).cursor, afterFirst);
  f.db.exec('DROP TRIGGER boom');
  await f.svc.sync(f.serverId, { limit: 10 });
  assert.equal(deviceCount(f.db, f.serverId), 30);
});

test('EXHAUSTED_CURSOR from /server/devices switches to /devices/sync', async (t) => {
  const f = await depFixture(t, { devices: 5 });
  let listingCursor: string | null = null;
  await f.svc.sync(f.serverId, { onProgress: (p) => { if (p.phase === 'fetch' && p.page === 1) listingCursor = getSyncState(f.db, f.serverId).cursor; } });
  assert.ok(listingCursor);
  // As if the process stopped right after the last listing page, before switching phase.
  f.db.prepare("UPDATE dep_sync_state SET phase = 'fetch', cursor = ? WHERE server_id = ?").run(listingCursor, f.serverId);
  f.sim.store.add(2);
  f.sim.requests.length = 0;
  const r = await f.svc.sync(f.serverId);
  assert.equal(r.exhaustedSwitch, true);
  assert.equal(r.mode, 'incremental');
  assert.equal(r.added, 2);
  assert.deepEqual(f.sim.requests.filter((q) => q.path !== '/session').map((q) => `${q.path} ${q.status}`), ['/server/devices 400', '/devices/sync 200']);
  assert.equal(deviceCount(f.db, f.serverId), 7);
});

test('EXPIRED_CURSOR, INVALID_CURSOR and CURSOR_REQUIRED clear the cursor and restart a full listing', async (t) => {
  const f = await depFixture(t, { devices: 12 });
  await f.svc.sync(f.serverId);
  for (const provoke of [
    () => f.sim.expireCursors(),
    () => f.db.prepare("UPDATE dep_sync_state SET cursor = 'BOGUS' WHERE server_id = ?").run(f.serverId),
    () => f.sim.fault('POST /devices/sync', { status: 400, body: 'CURSOR_REQUIRED' }),
  ]) {
    provoke();
    f.sim.store.add(1);
    const before = f.sim.requests.filter((q) => q.path === '/server/devices').length;
    const r = await f.svc.sync(f.serverId, { limit: 5 });
    assert.equal(r.cursorResets, 1);
    assert.equal(r.mode, 'full');
    assert.equal(f.sim.requests.filter((q) => q.path === '/server/devices').length - before, Math.ceil(f.sim.store.devices.size / 5));
    assert.equal(deviceCount(f.db, f.serverId), f.sim.store.devices.size);
    assert.equal(getSyncState(f.db, f.serverId).phase, 'sync');
  }
});

test('a cursor expiring after its TTL is detected by age too', async (t) => {
  const f = await depFixture(t, { devices: 4, cursorTtlMs: 200 });
  await f.svc.sync(f.serverId);
  await new Promise((r) => setTimeout(r, 300));
  const r = await f.svc.sync(f.serverId);
  assert.equal(r.cursorResets, 1);
  assert.equal(deviceCount(f.db, f.serverId), 4);
});

test('Full Sync relists everything and prunes devices Apple no longer returns', async (t) => {
  const f = await depFixture(t, { devices: 8 });
  await f.svc.sync(f.serverId);
  const gone = [...f.sim.store.devices.keys()][3];
  f.sim.store.devices.delete(gone); // released in ABM without a sync record reaching us
  const inc = await f.svc.sync(f.serverId);
  assert.equal(inc.pruned, 0);
  assert.equal(deviceCount(f.db, f.serverId), 8);
  const full = await f.svc.sync(f.serverId, { full: true });
  assert.equal(full.mode, 'full');
  assert.equal(full.pruned, 1);
  assert.equal(deviceCount(f.db, f.serverId), 7);
  assert.equal(f.svc.devices({ search: gone }).length, 0);
});

test('sync lock: a second sync is refused while one runs; the lock is released afterwards', async (t) => {
  const f = await depFixture(t, { devices: 3 });
  f.sim.fault('POST /server/devices', { delayMs: 300 });
  const first = f.svc.sync(f.serverId, { full: true });
  await new Promise((r) => setTimeout(r, 100));
  await assert.rejects(f.svc.sync(f.serverId, { full: true }), (e: unknown) => e instanceof SyncInProgressError && /already in progress/.test(e.message));
  assert.throws(() => f.svc.delete(f.serverId), SyncInProgressError);
  const r = await first;
  assert.equal(r.received, 3);
  assert.equal(syncRow(f.db, f.serverId).lock_owner, null);
  await f.svc.sync(f.serverId, { full: true });
});

test('stale locks of crashed syncs are taken over: dead pid on this host, or old heartbeat elsewhere', async (t) => {
  const f = await depFixture(t, { devices: 3 });
  const setLock = (pid: number, host: string, beatAgoMs: number): void => {
    const at = new Date(Date.now() - beatAgoMs).toISOString();
    f.db.prepare('UPDATE dep_sync_state SET lock_owner = ?, lock_pid = ?, lock_host = ?, lock_acquired_at = ?, lock_heartbeat_at = ? WHERE server_id = ?').run('crashed', pid, host, at, at, f.serverId);
  };
  setLock(2 ** 22 + 12345, os.hostname(), 1000); // a pid that does not exist
  assert.equal((await f.svc.sync(f.serverId)).tookOverStaleLock, true);
  setLock(1, 'other-host', 11 * 60_000);
  assert.equal((await f.svc.sync(f.serverId)).tookOverStaleLock, true);
  setLock(1, 'other-host', 1000);
  await assert.rejects(f.svc.sync(f.serverId), (e: unknown) => e instanceof SyncInProgressError && /process 1 on other-host/.test(e.message));
  assert.equal(syncRow(f.db, f.serverId).lock_owner, 'crashed', 'a refused sync leaves the live lock alone');
});

test('bad page limits are invalid input', async (t) => {
  const f = await depFixture(t, { devices: 1 });
  await assert.rejects(f.svc.sync(f.serverId, { limit: 1001 }), (e: unknown) => e instanceof DepInputError && /1 to 1000/.test(e.message));
  await assert.rejects(f.svc.sync(f.serverId, { limit: 0 }), DepInputError);
  assert.equal(f.sim.requests.length, 0, 'nothing was sent');
});
