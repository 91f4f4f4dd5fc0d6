import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runStagebench } from '../cli/helpers';
import { cacheBytes, HAVE_POPPLER, pdfPages, tmpDir } from './helpers';

test('CLI end to end: settings, users import/add/list/export, invite with PDF, invitations, verify-pin', async () => {
  const dir = tmpDir('sb-reg-cli-');
  const env = { STAGEBENCH_DATA_DIR: path.join(dir, 'data'), STAGEBENCH_PASSPHRASE: 'bench passphrase for tests' };
  const sb = (...args: string[]): ReturnType<typeof runStagebench> => runStagebench(args, env);

  // Settings: valid change, then each kind of invalid input exits 2 naming the field and changes nothing.
  let r = await sb('registration', 'settings', 'set', '--server-url', 'https://mdm.example.com', '--pin-length', '7', '--pin-lifetime-hours', '48',
    '--in-app-requirement', 'user-and-pin', '--web-requirement', 'Password and Registration PIN', '--server-name-lookup', 'off', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.deepEqual([s.pinLength, s.pinLifetimeHours, s.webRequirement, s.registrationUrl, s.invitationNeedsPin], [7, 48, 'password-and-pin', 'https://mdm.example.com/go', true]);
  r = await sb('registration', 'settings', 'set', '--pin-length', '13');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Registration PIN length.*4 to 12/);
  r = await sb('registration', 'settings', 'set', '--in-app-requirement', 'token');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /inAppRequirement must be one of/);
  r = await sb('registration', 'settings', 'set', '--server-name-lookup', 'maybe');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--server-name-lookup must be on or off/);
  r = await sb('registration', 'settings', 'show');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Registration PIN length\s+7 digits/);
  assert.match(r.stdout, /Apple Web-based Registration Requirement\s+Password and Registration PIN/);

  // Users: a file with a bad row changes nothing; --accept-valid-rows imports the rest.
  const csv = path.join(dir, 'users.csv');
  fs.writeFileSync(csv, 'Email Address,First Name,Last Name,Source,DN\nann@example.com,Ann,Lee,local,\nnot-an-email,Bad,Row,local,\nbo@example.com,Bo,Ek,ldap,"CN=Bo Ek,DC=example,DC=com"\n');
  r = await sb('users', 'import', csv);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /line 3, email: email "not-an-email" is not an email address/);
  assert.match(r.stderr, /--accept-valid-rows/);
  assert.deepEqual(JSON.parse((await sb('users', 'list', '--format', 'json')).stdout), []);
  r = await sb('users', 'import', csv, '--accept-valid-rows', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([JSON.parse(r.stdout).created, JSON.parse(r.stdout).rejected], [2, 1]);
  r = await sb('users', 'add', '--email', 'Cy@Example.com', '--first-name', 'Cy', '--role', 'device-registration');
  assert.equal(r.code, 0, r.stderr);
  r = await sb('users', 'add', '--email', 'nope');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /email "nope" is not an email address/);
  r = await sb('users', 'list', '--search', 'ee', '--format', 'json');
  assert.deepEqual(JSON.parse(r.stdout).map((u: { email: string }) => u.email), ['ann@example.com']);
  const out = path.join(dir, 'export.csv');
  r = await sb('users', 'export', '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const exported = fs.readFileSync(out, 'utf8');
  assert.match(exported, /^email,first name,last name,source,ldap dn,role,language,created at\r\n/);
  assert.match(exported, /bo@example.com,Bo,Ek,ldap,"CN=Bo Ek,DC=example,DC=com",device-registration,en,/);
  assert.match(exported, /cy@example.com,Cy,/);

  // Invite: PINs printed once, PDF one page per user, nothing of the PIN in the cache.
  r = await sb('invite', 'ghost@example.com', 'ann@example.com');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no user "ghost@example.com"/);
  r = await sb('invite', 'ann@example.com', 'bo@example.com', '--platform', 'appletv');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Apple TV/);
  const pdf = path.join(dir, 'sheets.pdf');
  r = await sb('invite', 'ann@example.com', 'bo@example.com', '--pdf', pdf, '--language', 'de', '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const issued = JSON.parse(r.stdout).invitations as { id: string; email: string; pin: string; mirpUrl: string; language: string }[];
  assert.equal(issued.length, 2);
  for (const i of issued) {
    assert.match(i.pin, /^\d{7}$/);
    assert.equal(i.language, 'de');
    assert.equal(i.mirpUrl, `mirp://mdm.example.com?user=${encodeURIComponent(i.email)}&pin=${i.pin}`);
  }
  if (HAVE_POPPLER) assert.equal(pdfPages(pdf), 2);
  else assert.equal(fs.readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  r = await sb('invitations', 'list', '--format', 'json');
  const listed = JSON.parse(r.stdout) as { id: string; status: string }[];
  assert.deepEqual(listed.map((x) => x.status), ['sent', 'sent']);
  assert.ok(!r.stdout.includes(issued[0].pin) && !r.stdout.includes('"pin"'), 'the list never shows a PIN');
  const bytes = cacheBytes(env.STAGEBENCH_DATA_DIR);
  for (const i of issued) assert.equal(bytes.indexOf(Buffer.from(i.pin)), -1, 'no clear PIN in the cache');

  // verify-pin: the PIN comes from an env var; single use.
  const ann = issued.find((i) => i.email === 'ann@example.com')!;
  r = await runStagebench(['registration', 'verify-pin', '--email', 'ann@example.com', '--pin-env', 'REG_PIN'], { ...env, REG_PIN: ann.pin });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /PIN accepted/);
  r = await runStagebench(['registration', 'verify-pin', '--email', 'ann@example.com', '--pin-env', 'REG_PIN', '--format', 'json'], { ...env, REG_PIN: ann.pin });
  assert.equal(r.code, 1);
  assert.equal(JSON.parse(r.stdout).reason, 'used');

  // Resend / revoke.
  const bo = issued.find((i) => i.email === 'bo@example.com')!;
  r = await sb('invitations', 'resend', bo.id, '--format', 'json');
  assert.equal(r.code, 0, r.stderr);
  const resent = JSON.parse(r.stdout).invitations[0];
  assert.notEqual(resent.pin, bo.pin);
  assert.equal(resent.resendCount, 1);
  r = await runStagebench(['registration', 'verify-pin', '--email', 'bo@example.com', '--pin-env', 'REG_PIN'], { ...env, REG_PIN: bo.pin });
  assert.equal(r.code, 1, 'the old PIN stopped working');
  r = await sb('invitations', 'revoke', bo.id);
  assert.equal(r.code, 0, r.stderr);
  r = await sb('invitations', 'revoke', bo.id);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /revoked/);
  r = await sb('invitations', 'revoke', 'no-such-id');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no invitation with id no-such-id/);
  r = await sb('invitations', 'list', '--status', 'revoked');
  assert.equal(r.code, 0);
  assert.match(r.stdout, new RegExp(`${bo.id}\\s+bo@example.com\\s+revoked`));

  // Delete a user: audited, invitations go with them.
  r = await sb('users', 'delete', 'cy@example.com');
  assert.equal(r.code, 0, r.stderr);
});
