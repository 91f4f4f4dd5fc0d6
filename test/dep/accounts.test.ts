import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import {
  buildAccountConfiguration, parsePasswordHash, passwordMatchesHash, saltedSha512Pbkdf2, validateAccountSetup, type MacAccountSetup,
} from '../../main/dep/accounts';
import { parseTypedPlistDict } from '../../main/profiles';

/** Runs python3 with the plist on stdin and the password in the environment (never argv). */
function python(script: string, input: Buffer, env: Record<string, string>): string {
  return execFileSync('python3', ['-c', script], { input, env: { ...process.env, ...env } }).toString().trim();
}

test('SALTED-SHA512-PBKDF2: entropy equals Python hashlib.pbkdf2_hmac over the plist\'s own salt and iterations', () => {
  const password = 'Sécret-Pässword 42!';
  const h = saltedSha512Pbkdf2(password);
  assert.equal(h.salt.length, 32);
  assert.equal(h.entropy.length, 128);
  assert.ok(h.iterations >= 20_000 && h.iterations <= 40_000);
  const script = `
import hashlib, os, plistlib, sys
d = plistlib.loads(sys.stdin.buffer.read())['SALTED-SHA512-PBKDF2']
assert len(d['salt']) == 32 and isinstance(d['iterations'], int)
dk = hashlib.pbkdf2_hmac('sha512', os.environ['PW'].encode('utf-8'), d['salt'], d['iterations'], 128)
print('match' if dk == d['entropy'] else 'differ', d['iterations'])`;
  assert.equal(python(script, h.plist, { PW: password }), `match ${h.iterations}`);
  assert.equal(python(script, h.plist, { PW: 'wrong password' }), `differ ${h.iterations}`);
  // our own parser and checker agree
  const back = parsePasswordHash(h.plist);
  assert.equal(back.iterations, h.iterations);
  assert.ok(passwordMatchesHash(password, back));
  assert.ok(!passwordMatchesHash('nope', back));
  assert.ok(!h.plist.toString('utf8').includes(password));
});

test('fixed salt and iterations are reproducible; bad inputs refused', () => {
  const salt = crypto.randomBytes(32);
  const a = saltedSha512Pbkdf2('pw-one', { salt, iterations: 25_000 });
  const b = saltedSha512Pbkdf2('pw-one', { salt, iterations: 25_000 });
  assert.ok(a.entropy.equals(b.entropy));
  assert.ok(!saltedSha512Pbkdf2('pw-two', { salt, iterations: 25_000 }).entropy.equals(a.entropy));
  assert.throws(() => saltedSha512Pbkdf2(''), /empty/);
  assert.throws(() => saltedSha512Pbkdf2('x', { salt: Buffer.alloc(16) }), /32 bytes/);
  assert.throws(() => saltedSha512Pbkdf2('x', { iterations: 1000 }), /20000–40000/);
  assert.throws(() => parsePasswordHash(Buffer.from('<plist version="1.0"><dict/></plist>')), /SALTED-SHA512-PBKDF2/);
});

const admin = { fullName: 'Bench Admin', accountName: 'benchadmin', hidden: true };
function setup(patch: Partial<MacAccountSetup>): MacAccountSetup {
  return { skipAdminAccountCreation: false, skipPrimaryAccountCreation: false, primaryAccountsAsRegularUsers: false, ...patch };
}
const rules = (s: MacAccountSetup, ctx: Partial<Parameters<typeof validateAccountSetup>[1]> = {}) =>
  validateAccountSetup(s, { awaitDeviceConfigured: true, hasStoredHash: false, ...ctx }).filter((i) => i.severity === 'error').map((i) => `${i.field}:${i.rule}`);

test('account setup rules: admin needed for skip-primary and regular-user, passwords twice, names, Await', () => {
  assert.deepEqual(rules(setup({ skipAdminAccountCreation: true })), []);
  assert.deepEqual(rules(setup({ skipPrimaryAccountCreation: true })), ['macosAccounts.skipPrimaryAccountCreation:SKIP_PRIMARY_NEEDS_ADMIN']);
  assert.deepEqual(rules(setup({ primaryAccountsAsRegularUsers: true })), ['macosAccounts.primaryAccountsAsRegularUsers:REGULAR_USER_NEEDS_ADMIN']);
  assert.deepEqual(rules(setup({ skipAdminAccountCreation: true, managedAdmin: admin }), { password: { password: 'abcdefgh', confirmPassword: 'abcdefgh' } }), ['macosAccounts.managedAdmin:ADMIN_WITH_SKIP_ADMIN']);
  assert.deepEqual(rules(setup({ managedAdmin: admin })), ['macosAccounts.managedAdmin.password:PASSWORD_REQUIRED']);
  assert.deepEqual(rules(setup({ managedAdmin: admin }), { hasStoredHash: true }), []);
  assert.deepEqual(rules(setup({ managedAdmin: admin }), { password: { password: 'abcdefgh', confirmPassword: 'abcdefgX' } }), ['macosAccounts.managedAdmin.confirmPassword:PASSWORD_MISMATCH']);
  assert.deepEqual(rules(setup({ managedAdmin: { ...admin, accountName: 'bench admin' } }), { hasStoredHash: true }), ['macosAccounts.managedAdmin.accountName:SHORT_NAME_FORMAT']);
  assert.deepEqual(rules(setup({ managedAdmin: { ...admin, accountName: 'root' } }), { hasStoredHash: true }), ['macosAccounts.managedAdmin.accountName:SHORT_NAME_RESERVED']);
  assert.deepEqual(rules(setup({ managedAdmin: admin, primaryAccount: { fullName: 'A', shortName: 'benchadmin', preventModification: false } }), { hasStoredHash: true }), ['macosAccounts.primaryAccount.shortName:SHORT_NAME_DUPLICATE']);
  assert.deepEqual(rules(setup({ managedAdmin: admin, skipPrimaryAccountCreation: true, primaryAccount: { fullName: 'A', shortName: 'user', preventModification: false } }), { hasStoredHash: true }), ['macosAccounts.primaryAccount:PRIMARY_WITH_SKIP_PRIMARY']);
  assert.deepEqual(rules(setup({ managedAdmin: admin }), { hasStoredHash: true, awaitDeviceConfigured: false }), ['awaitDeviceConfigured:ACCOUNT_SETUP_NEEDS_AWAIT']);
});

test('AccountConfiguration command: Apple key names, passwordHash data, ManagedLocalUserShortName, LockPrimaryAccountInfo', () => {
  const h = saltedSha512Pbkdf2('abcdefgh');
  const skipPrimary = buildAccountConfiguration(setup({ managedAdmin: admin, skipPrimaryAccountCreation: true }), h.plist);
  assert.equal(skipPrimary.RequestType, 'AccountConfiguration');
  assert.equal(skipPrimary.SkipPrimarySetupAccountCreation, true);
  assert.equal(skipPrimary.ManagedLocalUserShortName, 'benchadmin');
  const acct = (skipPrimary.AutoSetupAdminAccounts as Record<string, unknown>[])[0];
  assert.deepEqual({ shortName: acct.shortName, fullName: acct.fullName, hidden: acct.hidden }, { shortName: 'benchadmin', fullName: 'Bench Admin', hidden: true });
  assert.ok((acct.passwordHash as Buffer).equals(h.plist));
  assert.equal(parseTypedPlistDict(acct.passwordHash as Buffer)['SALTED-SHA512-PBKDF2'] !== undefined, true);
  const regular = buildAccountConfiguration(setup({ managedAdmin: admin, primaryAccountsAsRegularUsers: true, primaryAccount: { fullName: 'Jane Doe', shortName: 'jane', preventModification: true } }), h.plist);
  assert.equal(regular.SetPrimarySetupAccountAsRegularUser, true);
  assert.equal(regular.PrimaryAccountFullName, 'Jane Doe');
  assert.equal(regular.PrimaryAccountUserName, 'jane');
  assert.equal(regular.LockPrimaryAccountInfo, true);
  assert.equal(regular.DontAutoPopulatePrimaryAccountInfo, false);
  assert.equal(regular.ManagedLocalUserShortName, undefined);
  assert.throws(() => buildAccountConfiguration(setup({ managedAdmin: admin })), /no password hash/);
});
