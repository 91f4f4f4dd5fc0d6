import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listMirrorUsers, type SyncService } from '../../main/sync';
import { listAudit } from '../../main/store';
import { startTestTenant, openTenantStore, startTenantServer, TENANT_PASSWORD, TENANT_USER } from '../support/tenant';
import { admin, makeBench } from './support/helpers';

const tenant = await startTestTenant({ devices: 40, users: 4 });
after(() => tenant.close());

const account = (id: string | number): Record<string, unknown> => tenant.store.account(Number(id))!;
const appliedKeys = (): Map<string, number> => {
  const m = new Map<string, number>();
  for (const r of tenant.store.applyLog()) if (r.key) m.set(r.key, (m.get(r.key) ?? 0) + 1);
  return m;
};
const mirroredUser = (s: SyncService, email: string) => s.users({ limit: 10_000 }).find((u) => u.emailAddress === email);

test('push: create + invite queued offline on a local id are sent in order, mapped to the tenant id, acknowledged, then deleted from the outbox', async () => {
  const b = makeBench(tenant.url);
  assert.equal((await b.sync.syncNow()).ok, true);
  const create = b.sync.local.createUser({ emailAddress: 'ann@example.com', firstName: 'Ann' });
  const invite = b.sync.recordLocalChange({ entity: 'user', entityId: create.entityId, op: 'invite' });
  assert.equal(b.sync.status().pending, 2);
  const r = await b.sync.syncNow();
  assert.equal(r.ok, true, r.error);
  assert.equal(r.pushed, 2);
  assert.equal(b.sync.status().pending, 0);
  const u = mirroredUser(b.sync, 'ann@example.com')!;
  assert.ok(u, 'mirrored after pull');
  const t = account(u.id);
  assert.equal(t.firstName, 'Ann');
  assert.equal(t.inviteState, 'SENT');
  assert.equal(t.inviteResendCount, 1);
  assert.equal(u.revision, String(t.revision));
  const acks = b.db.prepare('SELECT mutation_id, tenant_id FROM sync_acks ORDER BY seq').all() as { mutation_id: string; tenant_id: string }[];
  assert.deepEqual(acks.map((a) => a.mutation_id), [create.mutationId, invite.mutationId]);
  assert.ok(acks.every((a) => a.tenant_id === u.id));
  assert.equal(b.db.prepare('SELECT tenant_id FROM sync_entity_map WHERE local_id = ?').pluck().get(create.entityId), u.id);
  await b.close();
});

test('idempotency: connection dropped after the tenant applied (create, invite, retire) — retried with the same key, applied once', async () => {
  const b = makeBench(tenant.url);
  assert.equal((await b.sync.syncNow()).ok, true);
  const c = b.sync.local.createUser({ emailAddress: 'bob@example.com' });
  const inv = b.sync.recordLocalChange({ entity: 'user', entityId: c.entityId, op: 'invite' });
  const ret = b.sync.local.retireDevice('11', 'lost');
  tenant.faults.add(
    { endpoint: 'POST /api/v1/accounts', drop: true, when: 'after' },
    { endpoint: 'PUT /api/v1/account/invite', truncate: true, when: 'after' },
    { endpoint: 'PUT /api/v1/device/retire', status: 503, when: 'after' },
  );
  const r = await b.sync.syncNow();
  assert.equal(r.ok, true, r.error);
  assert.equal(tenant.faults.list().reduce((s, x) => s + x.fired, 0), 3, 'every fault fired');
  const keys = appliedKeys();
  for (const e of [c, inv, ret]) assert.equal(keys.get(e.mutationId), 1, `${e.op} applied exactly once`);
  const u = tenant.store.accountByUid('bob@example.com')!;
  assert.equal(u.inviteResendCount, 1, 'invite counted once');
  assert.equal(tenant.store.device(11)!.registrationState, 'RETIRED');
  tenant.faults.clear();
  await b.close();
});

test('idempotency: the tenant applied but every answer was lost — entry stays queued; the next sync gets the stored answer, no second apply', async () => {
  const b = makeBench(tenant.url);
  assert.equal((await b.sync.syncNow()).ok, true);
  const c = b.sync.local.createUser({ emailAddress: 'cy@example.com' });
  tenant.faults.add({ endpoint: 'POST /api/v1/accounts', drop: true, when: 'after', times: Infinity });
  const r1 = await b.sync.syncNow();
  assert.equal(r1.ok, false);
  assert.equal(r1.errorKind, 'TenantUnavailableError');
  const [entry] = b.sync.outbox();
  assert.equal(entry.mutationId, c.mutationId);
  assert.equal(entry.attempts, 1);
  assert.match(entry.lastError!, /connection dropped|ECONNRESET|socket hang up/);
  tenant.faults.clear();
  const r2 = await b.sync.syncNow();
  assert.equal(r2.ok, true, r2.error);
  assert.equal(appliedKeys().get(c.mutationId), 1);
  assert.equal(tenant.store.accountPage(0, 500, { field: 'UID', value: 'cy@example.com' }).total, 1);
  assert.equal(b.sync.outbox().length, 0);
  await b.close();
});

test('conflict "changed": kept and shown, the tenant record is not overwritten; keep-mine pushes over it, take-theirs drops mine', async () => {
  const b = makeBench(tenant.url);
  assert.equal((await b.sync.syncNow()).ok, true);
  b.sync.local.updateUser('1', { firstName: 'Mine' });
  b.sync.local.updateUser('2', { lastName: 'MineToo' });
  await admin(tenant.url, 'PATCH', 'accounts/1', { firstName: 'Theirs' });
  await admin(tenant.url, 'PATCH', 'accounts/2', { lastName: 'TheirsToo' });
  const r = await b.sync.syncNow();
  assert.equal(r.ok, true, r.error);
  assert.equal(r.conflicts, 2);
  assert.equal(account(1).firstName, 'Theirs', 'not silently overwritten');
  assert.equal(b.sync.status().conflicts, 2);
  const [c2, c1] = b.sync.conflicts();
  assert.equal(c1.kind, 'changed');
  assert.deepEqual(c1.mine, { op: 'update', payload: { firstName: 'Mine' } });
  assert.equal(c1.theirs!.firstName, 'Theirs');
  assert.notEqual(c1.baseRevision, c1.theirRevision);
  // Pull leaves the records with open conflicts as the bench has them.
  assert.equal(mirroredUser(b.sync, String(account(1).emailAddress))!.firstName, 'Mine');

  b.sync.resolve(c1.id, 'keep-mine');
  b.sync.resolve(c2.id, 'take-theirs');
  assert.throws(() => b.sync.resolve(c2.id, 'keep-mine'), /already resolved/);
  const r2 = await b.sync.syncNow();
  assert.equal(r2.ok, true, r2.error);
  assert.equal(r2.conflicts, 0);
  assert.equal(account(1).firstName, 'Mine', 'keep-mine pushed');
  assert.equal(account(2).lastName, 'TheirsToo', 'take-theirs left the tenant alone');
  const users = new Map(listMirrorUsers(b.db).map((u) => [u.id, u]));
  assert.equal(users.get('1')!.firstName, 'Mine');
  assert.equal(users.get('2')!.lastName, 'TheirsToo');
  assert.equal(users.get('1')!.revision, String(account(1).revision));
  assert.equal(b.sync.status().conflicts, 0);
  assert.equal(listAudit(b.db, { actionPrefix: 'sync.resolve' }).length, 2);
  await b.close();
});

test('conflict "deleted": a device deleted on the tenant cannot be kept; take-theirs tombstones it. A deleted user is re-created by keep-mine', async () => {
  const b = makeBench(tenant.url);
  assert.equal((await b.sync.syncNow()).ok, true);
  const acct = await admin<{ id: number }>(tenant.url, 'POST', 'accounts', { emailAddress: 'dee@example.com', firstName: 'Dee' });
  assert.equal((await b.sync.syncNow()).ok, true);
  b.sync.local.wipeDevice('30');
  b.sync.local.updateUser(String(acct.id), { lastName: 'Local' });
  await admin(tenant.url, 'DELETE', 'devices/30');
  await admin(tenant.url, 'DELETE', `accounts/${acct.id}`);
  const r = await b.sync.syncNow();
  assert.equal(r.conflicts, 2);
  const conflicts = b.sync.conflicts();
  const dev = conflicts.find((c) => c.entity === 'device')!;
  const usr = conflicts.find((c) => c.entity === 'user')!;
  assert.equal(dev.kind, 'deleted');
  assert.equal(dev.theirs, null);
  assert.throws(() => b.sync.resolve(dev.id, 'keep-mine'), /cannot be brought back/);
  b.sync.resolve(dev.id, 'take-theirs');
  b.sync.resolve(usr.id, 'keep-mine');
  const r2 = await b.sync.syncNow();
  assert.equal(r2.ok, true, r2.error);
  assert.ok(b.sync.devices({ includeDeleted: true, limit: 1000 }).find((d) => d.id === '30')!.deletedAt);
  const again = tenant.store.accountByUid('dee@example.com')!;
  assert.ok(again, 're-created');
  assert.notEqual(again.id, acct.id);
  assert.equal(again.firstName, 'Dee');
  assert.equal(again.lastName, 'Local');
  assert.equal(b.sync.outbox().length, 0);
  await b.close();
});

test('conflict on create (uid exists): keep-mine adopts the existing account and pushes my names; later changes follow the mapping', async () => {
  const b = makeBench(tenant.url);
  assert.equal((await b.sync.syncNow()).ok, true);
  await admin(tenant.url, 'POST', 'accounts', { emailAddress: 'eve@example.com', firstName: 'Tenant' });
  const c = b.sync.local.createUser({ emailAddress: 'eve@example.com', firstName: 'Bench' });
  b.sync.recordLocalChange({ entity: 'user', entityId: c.entityId, op: 'update', payload: { lastName: 'After' } });
  const other = b.sync.local.updateDeviceAttributes('12', { shelf: 'B1' });
  const r = await b.sync.syncNow();
  assert.equal(r.conflicts, 1);
  assert.equal(r.pushed, 1, 'the other entity is not held up');
  assert.equal(appliedKeys().get(other.mutationId), 1);
  assert.equal(b.sync.outbox().length, 2, 'the create and the update held behind it');
  const [conf] = b.sync.conflicts();
  assert.equal(conf.op, 'create');
  assert.equal(conf.theirs!.firstName, 'Tenant');
  b.sync.resolve(conf.id, 'keep-mine');
  const r2 = await b.sync.syncNow();
  assert.equal(r2.ok, true, r2.error);
  assert.equal(r2.conflicts, 0, 'my own update is rebased on my own change, not a conflict');
  const t = tenant.store.accountByUid('eve@example.com')!;
  assert.equal(t.firstName, 'Bench');
  assert.equal(t.lastName, 'After');
  assert.equal(tenant.store.accountPage(0, 500, { field: 'UID', value: 'eve@example.com' }).total, 1);
  await b.close();
});

test('offline edits then reconnect: nothing lost, status shows offline then online', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-tenant-off-'));
  const file = path.join(dir, 'tenant.sqlite3');
  let store = openTenantStore(file);
  store.seedDevices(20);
  let server = await startTenantServer({ store, user: TENANT_USER, password: TENANT_PASSWORD });
  const port = server.port;
  const b = makeBench(server.url);
  assert.equal((await b.sync.syncNow()).ok, true);
  await server.close();
  store.close();
  const made = [
    b.sync.local.retireDevice('3'),
    b.sync.local.updateDeviceAttributes('4', { lab: 'offline' }),
    b.sync.local.createUser({ emailAddress: 'off@example.com' }),
  ];
  const r = await b.sync.syncNow();
  assert.equal(r.ok, false);
  assert.equal(r.errorKind, 'TenantUnavailableError');
  let s = b.sync.status();
  assert.equal(s.online, false);
  assert.equal(s.pending, 3);
  assert.match(s.lastError!, /ECONNREFUSED/);
  const probe = await b.sync.probe();
  assert.equal(probe.online, false);
  store = openTenantStore(file);
  server = await startTenantServer({ store, user: TENANT_USER, password: TENANT_PASSWORD, port });
  assert.equal((await b.sync.probe()).online, true);
  const r2 = await b.sync.syncNow();
  assert.equal(r2.ok, true, r2.error);
  assert.equal(r2.pushed, 3);
  s = b.sync.status();
  assert.equal(s.online, true);
  assert.equal(s.pending, 0);
  const keys = new Set(store.applyLog().map((x) => x.key));
  for (const e of made) assert.ok(keys.has(e.mutationId));
  assert.equal(store.device(3)!.registrationState, 'RETIRED');
  await server.close();
  store.close();
  await b.close();
});

test('401 stops the sync with a clear message; nothing is sent or lost; the password is sealed at rest and never logged', async () => {
  const b = makeBench(tenant.url, { password: 'not-the-password-xyz' });
  b.sync.local.createUser({ emailAddress: 'auth@example.com' });
  const r = await b.sync.syncNow();
  assert.equal(r.ok, false);
  assert.equal(r.errorKind, 'TenantAuthError');
  assert.match(r.error!, /refused the user name or password \(HTTP 401\)/);
  const s = b.sync.status();
  assert.equal(s.pending, 1);
  assert.match(s.lastError!, /401/);
  assert.equal(b.sync.outbox()[0].attempts, 0);
  b.db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = Buffer.concat(fs.readdirSync(b.dir).map((f) => fs.readFileSync(path.join(b.dir, f))));
  assert.equal(bytes.includes(Buffer.from('not-the-password-xyz')), false, 'no plaintext password in the data dir');
  assert.equal(JSON.stringify(listAudit(b.db)).includes('not-the-password-xyz'), false);
  assert.equal(JSON.stringify(b.sync.settings()).includes('not-the-password-xyz'), false);
  assert.throws(() => b.sync.configure({ url: 'http://tenant.example.com', user: 'a', password: 'b' }), /must use https/);
  assert.throws(() => b.sync.configure({ url: tenant.url, user: '', password: 'b' }), /user is empty/);
  await b.close();
});

test('two benches edit the same records against one tenant: no update lost, conflicts surfaced, both converge', async () => {
  const a = makeBench(tenant.url);
  const b = makeBench(tenant.url);
  assert.equal((await a.sync.syncNow()).ok, true);
  assert.equal((await b.sync.syncNow()).ok, true);
  a.sync.local.updateUser('3', { firstName: 'FromA' });
  a.sync.local.updateDeviceAttributes('15', { owner: 'A' });
  b.sync.local.updateUser('3', { lastName: 'FromB' });
  b.sync.local.updateDeviceAttributes('16', { owner: 'B' });
  b.sync.local.retireDevice('15');
  const ca = b.sync.local.createUser({ emailAddress: 'twin-b@example.com' });
  const cb = a.sync.local.createUser({ emailAddress: 'twin-a@example.com' });
  assert.equal((await a.sync.syncNow()).conflicts, 0);
  const rb = await b.sync.syncNow();
  assert.equal(rb.conflicts, 2, 'user 3 and device 15 changed by A since B read them');
  for (const c of b.sync.conflicts()) b.sync.resolve(c.id, 'keep-mine');
  assert.equal((await b.sync.syncNow()).ok, true);
  assert.equal((await a.sync.syncNow()).ok, true);
  const u3 = account(3);
  assert.equal(u3.firstName, 'FromA');
  assert.equal(u3.lastName, 'FromB');
  const d15 = tenant.store.device(15)!;
  assert.equal((d15.customAttributes as Record<string, string>).owner, 'A');
  assert.equal(d15.registrationState, 'RETIRED');
  assert.equal((tenant.store.device(16)!.customAttributes as Record<string, string>).owner, 'B');
  const keys = appliedKeys();
  assert.equal(keys.get(ca.mutationId), 1);
  assert.equal(keys.get(cb.mutationId), 1);
  const snap = tenant.store.snapshot();
  for (const bench of [a, b]) {
    assert.equal(bench.sync.outbox().length, 0);
    assert.deepEqual(bench.sync.users({ limit: 10_000 }).map((u) => [u.id, u.revision]), snap.accounts.map((x) => [x.id, x.revision]));
    assert.deepEqual(bench.sync.devices({ limit: 10_000 }).map((d) => [d.id, d.revision]), snap.devices.map((x) => [x.id, x.revision]));
  }
  await a.close();
  await b.close();
});

test('runner: one sync at a time (calls during a run share one follow-up run); a local change triggers a sync', async () => {
  const b = makeBench(tenant.url, { debounceMs: 20, intervalMs: 3_600_000 });
  const before = tenant.requests.get('GET /api/v1/tenant/partition/device') ?? 0;
  const [r1, r2, r3] = await Promise.all([b.sync.syncNow(), b.sync.syncNow(), b.sync.syncNow()]);
  assert.ok(r1.ok && r2.ok && r3.ok);
  assert.equal(r2, r3, 'queued callers share the follow-up run');
  assert.equal((tenant.requests.get('GET /api/v1/tenant/partition/device') ?? 0) - before, 2);
  const seen: number[] = [];
  b.sync.onStatus((s) => seen.push(s.pending));
  b.sync.start();
  await new Promise((r) => setTimeout(r, 300));
  const e = b.sync.local.updateDeviceAttributes('17', { trigger: 'yes' });
  for (let i = 0; i < 100 && b.sync.status().pending > 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(b.sync.status().pending, 0, 'pushed by the triggered run');
  assert.equal(appliedKeys().get(e.mutationId), 1);
  assert.ok(seen.length > 0, 'status listeners called');
  await b.close();
});
