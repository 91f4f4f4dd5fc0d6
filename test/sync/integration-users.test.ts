/**
 * Registration users ↔ tenant accounts, end to end: the registration service queues its changes in
 * the outbox in the same transaction as its writes, `stagebench sync --once` (a child process) or
 * the app's sync service pushes them to the reference tenant, and pulled accounts come back into
 * registration_users through the app's sync hooks (main/sync/local-links.ts).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppServices, type AppServices } from '../../main/app/services';
import { createRegistrationService, type RegistrationService } from '../../main/registration';
import { openHeadlessSecretBox } from '../../main/secrets';
import { listOutbox } from '../../main/sync';
import { startTestTenant, TENANT_PASSWORD, TENANT_USER } from '../support/tenant';
import { admin } from './support/helpers';
import { runStagebench } from '../cli/helpers';

const tenant = await startTestTenant({ devices: 3, users: 2 });
after(() => tenant.close());

interface Bench {
  dir: string;
  env: Record<string, string>;
  app: AppServices;
  reg: RegistrationService;
  close(): void;
}

/** A bench whose app services (and so the sync hooks) run in this process, configured for the tenant. */
function bench(): Bench {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-int-users-'));
  const env = { STAGEBENCH_DATA_DIR: dir, STAGEBENCH_PASSPHRASE: 'integration-pass' };
  const box = openHeadlessSecretBox(dir, env);
  const app = createAppServices({ dataDir: dir, secretBox: box, actor: 'test:admin' });
  app.sync.configure({ url: tenant.url, user: TENANT_USER, password: TENANT_PASSWORD });
  const reg = createRegistrationService(app.db, box, 'test:admin', { pinHashParams: { N: 1 << 10, r: 8, p: 1 } });
  reg.settings.set({ serverUrl: 'https://mdm.example.com' });
  return { dir, env, app, reg, close: () => app.close() };
}

const accountsWithUid = (uid: string): Record<string, unknown>[] =>
  (tenant.store.db.prepare('SELECT json FROM accounts WHERE uid = ? COLLATE NOCASE').pluck().all(uid) as string[]).map((j) => JSON.parse(j) as Record<string, unknown>);
const creates = (): number => tenant.store.applyLog().filter((r) => r.path === '/api/v1/accounts').length;

test('user added and invited offline → reconnect → `stagebench sync --once` → the tenant has the account exactly once, invited; the local user is linked', async () => {
  const b = bench();
  const u = b.reg.users.add({ email: 'Offline.Ann@Example.com', firstName: 'Ann', lastName: 'Lee' });
  await b.reg.invitations.invite([u.email]);
  const queued = listOutbox(b.app.db);
  assert.deepEqual(queued.map((e) => [e.entity, e.entityId, e.op]), [['user', u.id, 'create'], ['user', u.id, 'invite']]);
  assert.deepEqual(queued[0].payload, { emailAddress: 'offline.ann@example.com', firstName: 'Ann', lastName: 'Lee', accountSource: 'LOCAL', sendInvite: false });

  tenant.faults.add({ endpoint: '*', drop: true, times: Infinity });
  let r = await runStagebench(['sync', '--once'], b.env);
  tenant.faults.clear();
  assert.equal(r.code, 1, 'offline: the sync fails');
  assert.match(r.stderr, /offline: local changes stay queued/);
  assert.equal(listOutbox(b.app.db).length, 2, 'nothing lost while offline');
  assert.equal(accountsWithUid(u.email).length, 0);

  r = await runStagebench(['sync', '--once'], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /pushed 2/);
  const accounts = accountsWithUid(u.email);
  assert.equal(accounts.length, 1, 'exactly one account');
  assert.equal(accounts[0].firstName, 'Ann');
  assert.equal(accounts[0].accountSource, 'LOCAL');
  assert.equal(accounts[0].inviteState, 'SENT');
  assert.ok(accounts[0].inviteLastSentAt, 'the invitation went out');
  assert.equal(tenant.store.applyLog().filter((x) => x.path === '/api/v1/account/invite' && x.recordId === String(accounts[0].id)).length, 1, 'the invite was sent once');
  assert.equal(listOutbox(b.app.db).length, 0);
  assert.equal(b.app.db.prepare("SELECT tenant_id FROM sync_entity_map WHERE entity = 'user' AND local_id = ?").pluck().get(u.id), String(accounts[0].id));
  // The pull that followed did not add a second local row for the pushed account.
  assert.equal(b.app.db.prepare('SELECT COUNT(*) FROM registration_users WHERE email = ?').pluck().get(u.email), 1);
  assert.equal(b.app.db.prepare('SELECT origin FROM registration_users WHERE id = ?').pluck().get(u.id), 'bench');

  // Running again changes nothing on the tenant.
  const applied = tenant.store.applyLog().length;
  r = await runStagebench(['sync', '--once'], b.env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(tenant.store.applyLog().length, applied);
  b.close();
});

test('connection drops after the tenant applied the create (every answer lost, then back) → one account, one apply', async () => {
  const b = bench();
  const u = b.reg.users.add({ email: 'dropped.dan@example.com', sendInvite: true });
  const [entry] = listOutbox(b.app.db);
  assert.equal(entry.payload.sendInvite, true, 'invited at creation: sendInvite on the create');
  const before = creates();
  tenant.faults.add({ endpoint: 'POST /api/v1/accounts', drop: true, when: 'after', times: Infinity });
  const r1 = await b.app.sync.syncNow();
  tenant.faults.clear();
  assert.equal(r1.ok, false);
  assert.equal(r1.errorKind, 'TenantUnavailableError');
  assert.equal(creates() - before, 1, 'the tenant applied it');
  assert.equal(listOutbox(b.app.db).length, 1, 'still queued: the bench never heard back');

  const r2 = await b.app.sync.syncNow();
  assert.equal(r2.ok, true, r2.error);
  assert.equal(creates() - before, 1, 'the retry replayed the stored answer: not applied twice');
  const accounts = accountsWithUid(u.email);
  assert.equal(accounts.length, 1);
  assert.equal(accounts[0].inviteState, 'SENT');
  assert.equal(tenant.store.applyLog().filter((x) => x.key === entry.mutationId).length, 1);
  assert.equal(b.app.db.prepare('SELECT COUNT(*) FROM registration_users WHERE email = ?').pluck().get(u.email), 1);
  b.close();
});

test('update and delete of a local user reach the tenant; directory (LDAP) users from a CSV are never pushed as creates', async () => {
  const b = bench();
  const csv = [
    'email,firstName,lastName,source,ldapDn',
    'csv.local@example.com,Cas,Local,local,',
    'csv.dir@example.com,Dee,Directory,ldap,"CN=Dee,OU=Staff,DC=example,DC=com"',
  ].join('\n');
  const res = b.reg.users.importCsv(csv);
  assert.equal(res.written, true, JSON.stringify(res.errors));
  assert.equal(res.created, 2);
  const ops = listOutbox(b.app.db).map((e) => [e.op, e.payload.emailAddress]);
  assert.deepEqual(ops, [['create', 'csv.local@example.com']], 'one create, for the local user only');

  const local = b.reg.users.get('csv.local@example.com');
  b.reg.users.update(local.id, { firstName: 'Cassie', role: 'user-portal' });
  b.reg.users.update(local.id, { language: 'de' });
  assert.deepEqual(listOutbox(b.app.db).map((e) => [e.op, e.payload]).slice(1), [['update', { firstName: 'Cassie' }]], 'role and language stay local');
  assert.equal((await b.app.sync.syncNow()).ok, true);
  const [acct] = accountsWithUid('csv.local@example.com');
  assert.equal(acct.firstName, 'Cassie');
  assert.equal(accountsWithUid('csv.dir@example.com').length, 0, 'the directory user is not created by the bench');

  b.reg.users.delete(local.id);
  assert.equal(listOutbox(b.app.db).at(-1)!.op, 'delete');
  assert.equal((await b.app.sync.syncNow()).ok, true);
  assert.equal(accountsWithUid('csv.local@example.com').length, 0, 'deleted on the tenant');
  assert.equal(b.reg.users.list('csv.local').length, 0, 'and not brought back by the pull');

  b.reg.users.delete('csv.dir@example.com');
  assert.equal(listOutbox(b.app.db).length, 0, 'deleting a directory user is local only');
  b.close();
});

test('directory user already on the tenant: invite is tied to the existing account by email and pushed as an invite', async () => {
  const b = bench();
  const made = await admin<{ id: number }>(tenant.url, 'POST', 'accounts', { emailAddress: 'ldap.lou@example.com', accountSource: 'LDAP', firstName: 'Lou' });
  const res = b.reg.users.importCsv('email,firstName,source,ldapDn\nldap.lou@example.com,Lou,ldap,"CN=Lou,DC=example,DC=com"\n');
  assert.equal(res.created, 1);
  assert.equal(listOutbox(b.app.db).length, 0);
  assert.equal((await b.app.sync.syncNow()).ok, true, 'the pull links the directory user to its account');
  const local = b.reg.users.get('ldap.lou@example.com');
  assert.equal(local.source, 'ldap');
  assert.equal(local.ldapDn, 'CN=Lou,DC=example,DC=com', 'the DN stays');
  await b.reg.invitations.invite([local.email]);
  assert.equal((await b.app.sync.syncNow()).ok, true);
  assert.equal(b.app.sync.status().conflicts, 0);
  assert.equal(tenant.store.account(made.id)!.inviteResendCount, 1);
  assert.equal(accountsWithUid('ldap.lou@example.com').length, 1);
  b.close();
});

test('tenant-side changes are pulled into registration_users: new accounts (origin tenant), renamed, deleted', async () => {
  const b = bench();
  const made = await admin<{ id: number }>(tenant.url, 'POST', 'accounts', { emailAddress: 'console.cat@example.com', firstName: 'Cat', lastName: 'Console' });
  assert.equal((await b.app.sync.syncNow()).ok, true);
  const row = () => b.app.db.prepare('SELECT id, email, first_name, last_name, source, origin FROM registration_users WHERE email = ?').get('console.cat@example.com') as
    { id: string; first_name: string; source: string; origin: string } | undefined;
  assert.equal(row()?.origin, 'tenant');
  assert.equal(row()?.source, 'local');
  assert.equal(row()?.first_name, 'Cat');
  assert.equal(b.reg.users.list().length, tenant.store.snapshot().accounts.length, 'every tenant account is a registration user');
  assert.equal(listOutbox(b.app.db).length, 0, 'pulled users are not pushed back');

  await admin(tenant.url, 'PATCH', `accounts/${made.id}`, { firstName: 'Catherine' });
  assert.equal((await b.app.sync.syncNow()).ok, true);
  assert.equal(row()?.first_name, 'Catherine');

  // A bench edit of a pulled user is pushed against the account (mapped through the link).
  b.reg.users.update('console.cat@example.com', { lastName: 'Bench' });
  assert.equal((await b.app.sync.syncNow()).ok, true);
  assert.equal(tenant.store.account(made.id)!.lastName, 'Bench');

  // An invitation of the user goes with it when the tenant deletes the account.
  await b.reg.invitations.invite(['console.cat@example.com']);
  assert.equal((await b.app.sync.syncNow()).ok, true);
  await admin(tenant.url, 'DELETE', `accounts/${made.id}`);
  assert.equal((await b.app.sync.syncNow()).ok, true);
  assert.equal(row(), undefined, 'deleted locally too');
  assert.equal(b.app.db.prepare("SELECT COUNT(*) FROM registration_invitations i WHERE NOT EXISTS (SELECT 1 FROM registration_users u WHERE u.id = i.user_id)").pluck().get(), 0);
  b.close();
});

test('a failed local write leaves no outbox entry: the user, its audit row and its create roll back together', async () => {
  const b = bench();
  b.app.db.exec(`CREATE TEMP TRIGGER fail_user_audit BEFORE INSERT ON audit_log WHEN NEW.action = 'registration.user.created' AND NEW.target = 'rollback.rae@example.com'
    BEGIN SELECT RAISE(ABORT, 'audit refused'); END`);
  assert.throws(() => b.reg.users.add({ email: 'rollback.rae@example.com' }), /audit refused/);
  assert.equal(b.reg.users.list('rollback.rae').length, 0);
  assert.equal(listOutbox(b.app.db).length, 0, 'no outbox entry');

  const ok = b.reg.users.add({ email: 'kept.kim@example.com' });
  b.app.db.exec(`CREATE TEMP TRIGGER fail_invite BEFORE INSERT ON audit_log WHEN NEW.action = 'registration.invitation.sent'
    BEGIN SELECT RAISE(ABORT, 'invite audit refused'); END`);
  await assert.rejects(b.reg.invitations.invite([ok.email]), /invite audit refused/);
  assert.deepEqual(listOutbox(b.app.db).map((e) => e.op), ['create'], 'the invite was not queued');
  assert.equal(b.reg.invitations.list({ user: ok.email }).length, 0);
  b.close();
});
