/**
 * The shell's channels over the real services (temporary data dir): windowed tables (Devices over
 * the inventory, Audit, the bench-cache device table), CSV export, bulk actions, workstation
 * settings, global search, staging cancellation — and the input checks at the boundary.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppServices, type AppServices } from '../../main/app/services';
import { createDispatcher, type Dispatch } from '../../main/ipc/dispatch';
import { RunningStages } from '../../main/ipc/stage-cancel';
import { benchDevicesTable } from '../../main/ipc/tables';
import { openKeyring, passphraseWrapper } from '../../main/secrets';
import { appendAudit, recordDeviceSeen, markDeviceStaged } from '../../main/store';

let tmp: string;
let services: AppServices;
let dispatch: Dispatch;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stagebench-shell-ipc-'));
  const dataDir = path.join(tmp, 'data');
  services = createAppServices({ dataDir, secretBox: openKeyring(dataDir, [passphraseWrapper('shell ipc passphrase')]), actor: 'test', usbmuxAddress: '127.0.0.1:1' });
  dispatch = createDispatcher(services, { version: '1.0.0', usbmuxAddress: '127.0.0.1:1' });
  for (let i = 0; i < 450; i++) {
    services.inventory.register({
      platform: i % 2 ? 'iOS' : 'macOS', osVersion: '18.5', model: i % 2 ? 'iPhone 16' : 'Mac mini (M4)', serialNumber: `SN${String(i).padStart(5, '0')}`,
      udid: `00008030-${String(i).padStart(16, "0")}`, owner: `u${i % 7}@example.com`, method: 'invitation', lastCheckIn: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    });
  }
  appendAudit(services.db, { actor: 'alice', action: 'profile.sign', target: 'com.example.x', outcome: 'failure', detail: 'needs 100% care_' });
});

after(() => {
  services?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function ok<T>(channel: string, args?: unknown): Promise<T> {
  const res = await dispatch(channel, args);
  assert.ok(res.ok, `${channel} failed: ${JSON.stringify(res)}`);
  return res.value as T;
}

type Win = { rows: Record<string, unknown>[]; total: number; offset: number };

test('Devices reads the inventory in windows: total, offset, sort, search and filters', async () => {
  const d = await ok<{ source: string; rowKey: string; actions: { id: string }[] }>('table:describe', { table: 'devices' });
  assert.equal(d.source, 'inventory');
  assert.deepEqual(d.actions.map((a) => a.id), ['retire', 'wipe', 'reset', 'delete']);
  const first = await ok<Win>('table:query', { table: 'devices', offset: 0, limit: 100, sort: 'serialNumber', desc: false });
  assert.equal(first.total, 450);
  assert.equal(first.rows.length, 100);
  assert.equal(first.rows[0].serialNumber, 'SN00000');
  const deep = await ok<Win>('table:query', { table: 'devices', offset: 400, limit: 100, sort: 'serialNumber', desc: false });
  assert.deepEqual([deep.rows.length, deep.rows[0].serialNumber, deep.offset], [50, 'SN00400', 400]);
  const found = await ok<Win>('table:query', { table: 'devices', offset: 0, limit: 10, search: 'SN0012', sort: 'serialNumber' });
  assert.deepEqual(found.rows.map((r) => r.serialNumber), Array.from({ length: 10 }, (_, i) => `SN0012${i}`));
  const macs = await ok<Win>('table:query', { table: 'devices', offset: 0, limit: 5, filters: { platform: ['macOS'] }, sort: 'lastCheckIn', desc: true });
  assert.equal(macs.total, 225);
  assert.ok(macs.rows.every((r) => r.platform === 'macOS'));
});

test('bulk actions and CSV export of the filter or of the selection', async () => {
  const res = await ok<{ succeeded: number; failed: number; results: { ok: boolean; message?: string }[] }>('table:action', { table: 'devices', action: 'delete', keys: ['1'] });
  assert.deepEqual([res.succeeded, res.failed], [0, 1], 'an Active entry cannot be deleted');
  assert.ok(res.results[0].message);
  const retired = await ok<{ succeeded: number }>('table:action', { table: 'devices', action: 'retire', keys: ['1', '2'] });
  assert.equal(retired.succeeded, 2);
  const all = await ok<{ filename: string; base64: string; rows: number }>('table:export', { table: 'devices', sort: 'serialNumber', filters: { status: ['Retired'] } });
  assert.equal(all.rows, 2);
  const lines = Buffer.from(all.base64, 'base64').toString('utf8').trim().split('\n');
  assert.equal(lines.length, 3);
  const sel = await ok<{ rows: number }>('table:export', { table: 'devices', keys: ['3', '4', '5'] });
  assert.equal(sel.rows, 3);
  const bad = await dispatch('table:action', { table: 'audit', action: 'delete', keys: ['1'] });
  assert.ok(!bad.ok && /read-only/.test(bad.error.message));
});

test('Audit: filters by outcome and actor, searches text literally, exports CSV', async () => {
  const w = await ok<Win>('table:query', { table: 'audit', offset: 0, limit: 50, filters: { outcome: ['failure'], actor: ['alice'] } });
  assert.equal(w.total, 1);
  assert.equal(w.rows[0].action, 'profile.sign');
  assert.equal((await ok<Win>('table:query', { table: 'audit', offset: 0, limit: 50, search: '100% care_' })).total, 1);
  assert.equal((await ok<Win>('table:query', { table: 'audit', offset: 0, limit: 50, search: '100_ care' })).total, 0, '_ is literal');
  const newest = await ok<Win>('table:query', { table: 'audit', offset: 0, limit: 1, sort: 'at', desc: true });
  assert.equal(newest.rows[0].action, 'inventory.retire');
  const csv = await ok<{ base64: string; rows: number }>('table:export', { table: 'audit', filters: { outcome: ['failure'] } });
  assert.ok(csv.rows >= 1);
  assert.match(Buffer.from(csv.base64, 'base64').toString('utf8'), /^id,at,actor,action,target,outcome,detail\n/);
});

test('the boundary refuses unknown tables, filters and sorts, and oversized windows', async () => {
  const cases: [unknown, RegExp][] = [
    [{ table: 'secrets', offset: 0, limit: 10 }, /table/],
    [{ table: 'devices', offset: 0, limit: 5000 }, /limit/],
    [{ table: 'devices', offset: 0, limit: 10, filters: { owner_email: ['x'] } }, /unknown filter "owner_email"/],
    [{ table: 'audit', offset: 0, limit: 10, sort: 'detail; DROP TABLE audit_log' }, /cannot sort/],
  ];
  for (const [args, re] of cases) {
    const r = await dispatch('table:query', args);
    assert.ok(!r.ok, JSON.stringify(args));
    assert.match(r.error.message, re);
    assert.equal(r.error.code, 'E_INVALID_INPUT');
  }
});

test('bench-cache device table (before the inventory): windows, NULLs last, filters, export', async () => {
  for (let i = 0; i < 30; i++) {
    recordDeviceSeen(services.db, { udid: `B-${String(i).padStart(2, '0')}`, serialNumber: i % 10 === 0 ? null : `S${String(i).padStart(2, '0')}`, deviceClass: i % 2 ? 'iPad' : 'iPhone' }, new Date(Date.UTC(2026, 1, 1, 0, i)).toISOString());
    if (i % 3 === 0) markDeviceStaged(services.db, `B-${String(i).padStart(2, '0')}`);
  }
  const t = benchDevicesTable(services.db);
  assert.deepEqual(t.describe().filters[0].options.map((o) => o.value), ['iPad', 'iPhone']);
  const asc = t.query({ offset: 0, limit: 30, sort: 'serialNumber', desc: false });
  assert.equal(asc.total, 30);
  assert.equal(asc.rows[0].serialNumber, 'S01');
  assert.deepEqual(asc.rows.slice(-3).map((r) => r.serialNumber), [null, null, null], 'devices without a serial sort last');
  const desc = t.query({ offset: 0, limit: 30, sort: 'serialNumber', desc: true });
  assert.equal(desc.rows[0].serialNumber, 'S29');
  assert.equal(desc.rows.at(-1)?.serialNumber, null);
  const staged = t.query({ offset: 0, limit: 30, filters: { staged: ['staged'], deviceClass: ['iPhone'] } });
  assert.equal(staged.total, 5);
  assert.ok(staged.rows.every((r) => r.staged === true && r.deviceClass === 'iPhone'));
  const newer = t.query({ offset: 0, limit: 2 });
  assert.equal(newer.rows[0].udid, 'B-29', 'default: last seen, newest first');
  // Windows stay consistent after a write (the ordered-key snapshot is rebuilt).
  recordDeviceSeen(services.db, { udid: 'B-00' }, new Date(Date.UTC(2027, 0, 1)).toISOString());
  assert.equal(t.query({ offset: 0, limit: 1 }).rows[0].udid, 'B-00');
  const csv = await t.exportCsv({ filters: { deviceClass: ['iPad'] } });
  assert.equal(csv.rows, 15);
});

test('workstation settings, app status and global search', async () => {
  assert.deepEqual(await ok('settings:get'), { organizationName: '', setupCompletedAt: null });
  const saved = await ok<{ organizationName: string; setupCompletedAt: string | null }>('settings:set', { organizationName: '  Example Corp  ', setupCompleted: true });
  assert.equal(saved.organizationName, 'Example Corp');
  assert.ok(saved.setupCompletedAt);
  assert.equal(fs.statSync(path.join(services.dataDir, 'ui-settings.json')).mode & 0o777, 0o600);
  const status = await ok<{ tenant: { state: string }; pendingSync: number | null; features: Record<string, boolean> }>('app:status');
  assert.equal(status.tenant.state, 'not-configured');
  assert.deepEqual(status.features, { inventory: true, sync: true, users: true, ade: true });
  const hits = await ok<{ devices: { serialNumber: string }[] }>('search:global', { query: 'SN00042' });
  assert.deepEqual(hits.devices.map((d) => d.serialNumber), ['SN00042']);
  assert.deepEqual(await ok('search:global', { query: '  ' }), { devices: [], profiles: [] });
  assert.deepEqual(await ok('stage:cancel'), { cancelled: 0 });
});

test('running stages: cancelAll aborts the signal of every run in flight and counts them', async () => {
  const stages = new RunningStages();
  const seen: { signal?: AbortSignal } = {};
  let release!: () => void;
  const run = stages.run((signal) => {
    seen.signal = signal;
    return new Promise<string>((r) => (release = () => r('finished')));
  });
  assert.equal(stages.size, 1);
  assert.equal(stages.cancelAll(), 1);
  assert.equal(seen.signal?.aborted, true);
  release();
  assert.equal(await run, 'finished');
  assert.equal(stages.size, 0);
  assert.equal(stages.cancelAll(), 0);
});
