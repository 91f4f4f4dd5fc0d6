import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistrationInputError } from '../../main/registration';
import { listAudit } from '../../main/store';
import { fixture } from './helpers';

const count = (db: ReturnType<typeof fixture>['db']): number => (db.prepare('SELECT COUNT(*) AS n FROM registration_users').get() as { n: number }).n;

test('users.add: email is the registration user name (normalised, unique), role and language validated, audited', () => {
  const { reg, db } = fixture();
  const u = reg.users.add({ email: '  Alice@Example.COM ', firstName: 'Alice', lastName: 'Martin' });
  assert.equal(u.email, 'alice@example.com');
  assert.equal(u.source, 'local');
  assert.equal(u.role, 'device-registration');
  assert.equal(reg.users.get('ALICE@example.com').id, u.id);
  assert.throws(() => reg.users.add({ email: 'alice@example.com' }), (e: unknown) => e instanceof RegistrationInputError && e.field === 'email' && /already exists/.test(e.message));
  assert.throws(() => reg.users.add({ email: 'not-an-email' }), (e: unknown) => e instanceof RegistrationInputError && e.field === 'email');
  assert.throws(() => reg.users.add({ email: 'b@example.com', role: 'admin' as never }), (e: unknown) => e instanceof RegistrationInputError && e.field === 'role');
  assert.throws(() => reg.users.add({ email: 'b@example.com', language: 'es' }), (e: unknown) => e instanceof RegistrationInputError && e.field === 'language');
  assert.equal(reg.users.add({ email: 'b@example.com', role: 'User Portal' as never, language: 'de-CH' }).language, 'de');
  assert.equal(count(db), 2);
  assert.deepEqual(listAudit(db, { actionPrefix: 'registration.user.created' }).map((a) => a.target).sort(), ['alice@example.com', 'b@example.com']);
  assert.deepEqual(reg.users.list('mart').map((x) => x.email), ['alice@example.com']);
  assert.deepEqual(reg.users.list('%').map((x) => x.email), [], '% is matched literally');
  reg.users.delete('b@example.com');
  assert.equal(count(db), 1);
  assert.equal(listAudit(db, { actionPrefix: 'registration.user.deleted' })[0].target, 'b@example.com');
});

const MIXED = [
  'E-Mail;Given Name;Surname;Account Source;Distinguished Name;User Portal Role;Locale;Department',
  'carol@example.com;Carol;Dubois;LDAP;CN=Carol Dubois,OU=Staff,DC=example,DC=com;device registration;fr-FR;Sales',
  'dave@example;Dave;;local;;;en;IT',
  'erin@example.com;Erin;Weiss;local;;superuser;de;IT',
  'frank@example.com;Frank;"Müller',
  'Jr.";local;;;de;IT',
  'CAROL@example.com;Carol;Again;ldap;CN=x,DC=example;;;',
  'gina@example.com;Gina;Rossi;local;CN=gina,DC=example;;;',
  'hank@example.com;Hank',
  'ivy@example.com;Ivy;Chen;;;user-portal;;',
].join('\r\n');

test('CSV import: header aliases, line numbers and fields of every bad row; nothing written without accept', () => {
  const { reg, db } = fixture();
  const r = reg.users.importCsv(MIXED);
  assert.equal(r.written, false);
  assert.equal(count(db), 0, 'a rejected batch writes nothing');
  assert.equal(listAudit(db).length, 0);
  assert.equal(r.rows, 8, 'a quoted field spanning two lines is one row');
  const errs = r.errors.map((e) => `${e.line}:${e.field}`);
  assert.deepEqual(errs, ['3:email', '4:role', '5:lastName', '7:email', '8:ldapDn', '9:row']);
  assert.match(r.errors.find((e) => e.line === 5)!.message, /control characters/);
  assert.match(r.errors.find((e) => e.line === 7)!.message, /already appears on line 2/);
  assert.match(r.errors.find((e) => e.line === 9)!.message, /has 2 fields but the header has 8/);
  assert.equal(r.rejected, 6);
  assert.ok(r.notes.some((n) => /Department/.test(n)));
});

test('CSV import with accept: valid rows written in one go, rejected rows skipped and audited', () => {
  const { reg, db } = fixture();
  const r = reg.users.importCsv(MIXED, { acceptValidRows: true });
  assert.equal(r.written, true);
  assert.equal(r.created, 2);
  assert.deepEqual(reg.users.list().map((u) => u.email), ['carol@example.com', 'ivy@example.com']);
  const carol = reg.users.get('carol@example.com');
  assert.equal(carol.source, 'ldap');
  assert.equal(carol.ldapDn, 'CN=Carol Dubois,OU=Staff,DC=example,DC=com');
  assert.equal(carol.language, 'fr');
  assert.equal(carol.role, 'device-registration');
  assert.equal(reg.users.get('ivy@example.com').role, 'user-portal');
  const audits = listAudit(db, { actionPrefix: 'registration.user.imported' });
  assert.equal(audits.filter((a) => a.outcome === 'success').length, 2);
  assert.match(audits.find((a) => a.target === 'ivy@example.com')!.detail, /created local user from CSV line 10/);
  assert.match(audits.find((a) => a.outcome === 'failure')!.detail, /6 CSV row\(s\) rejected.*lines 3, 4, 5, 7, 8, 9/);
  assert.equal(count(db), 2);
});

test('LDAP users: identity fields read-only; re-import refreshes them; source cannot flip', () => {
  const { reg } = fixture();
  reg.users.importCsv('mail,givenName,sn,source,dn\nkim@example.com,Kim,Lee,ldap,"CN=Kim Lee,DC=example,DC=com"\n');
  const kim = reg.users.get('kim@example.com');
  for (const field of ['email', 'firstName', 'lastName'] as const) {
    assert.throws(() => reg.users.update(kim.id, { [field]: field === 'email' ? 'k@example.com' : 'X' }),
      (e: unknown) => e instanceof RegistrationInputError && e.field === field && /read-only.*LDAP directory/.test(e.message));
  }
  assert.equal(reg.users.update(kim.id, { role: 'none' }).role, 'none', 'the role is managed here, not in the directory');
  const again = reg.users.importCsv('mail,givenName,sn,source,dn\nkim@example.com,Kimberly,Lee,ldap,"CN=Kimberly Lee,DC=example,DC=com"\n');
  assert.equal(again.updated, 1);
  const k2 = reg.users.get('kim@example.com');
  assert.equal(k2.firstName, 'Kimberly');
  assert.equal(k2.role, 'none', 'a column the file does not have is left unchanged');
  const flip = reg.users.importCsv('email,source\nkim@example.com,local\n');
  assert.equal(flip.written, false);
  assert.deepEqual(flip.errors.map((e) => [e.line, e.field]), [[2, 'source']]);
  const local = reg.users.add({ email: 'lou@example.com', firstName: 'Lou' });
  assert.equal(reg.users.update(local.id, { firstName: 'Louise' }).firstName, 'Louise');
});

test('CSV file-level problems: no email column, unclosed quote, empty file — clear error, nothing written', () => {
  const { reg, db } = fixture();
  assert.throws(() => reg.users.importCsv('name,phone\nA,1\n'), (e: unknown) => e instanceof RegistrationInputError && e.field === 'file' && /no email column/.test(e.message));
  assert.throws(() => reg.users.importCsv('email,first name\na@example.com,"open\n'), (e: unknown) => e instanceof RegistrationInputError && /not valid CSV/.test(e.message));
  assert.throws(() => reg.users.importCsv(''), (e: unknown) => e instanceof RegistrationInputError && /empty/.test(e.message));
  assert.throws(() => reg.users.importCsv('email,mail\na@example.com,b@example.com\n'), /both map to email/);
  assert.equal(count(db), 0);
});

test('CSV export round-trips through import, and guards formula cells', () => {
  const { reg } = fixture();
  reg.users.add({ email: 'zed@example.com', firstName: '=HYPERLINK("http://evil")', lastName: 'Comma, "Quoted"', language: 'fr', role: 'user-portal' });
  reg.users.importCsv('email,first name,source,dn\nyan@example.com,Yan,ldap,"CN=Yan,DC=example"\n');
  const csv = reg.users.exportCsv();
  assert.match(csv.split('\r\n')[0], /^email,first name,last name,source,ldap dn,role,language,created at$/);
  assert.ok(csv.includes(`"'=HYPERLINK(""http://evil"")"`), 'a formula cell is prefixed with an apostrophe');
  const other = fixture();
  const r = other.reg.users.importCsv(csv);
  assert.equal(r.created, 2);
  for (const email of ['zed@example.com', 'yan@example.com']) {
    const a = reg.users.get(email);
    const b = other.reg.users.get(email);
    assert.deepEqual([b.firstName, b.lastName, b.source, b.ldapDn, b.role, b.language], [a.firstName, a.lastName, a.source, a.ldapDn, a.role, a.language]);
  }
});
