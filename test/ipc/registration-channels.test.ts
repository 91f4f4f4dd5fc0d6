/**
 * The Users & Invitations channels over the real services (temporary data dir): users add / list /
 * update (LDAP identity read-only) / export, settings with field errors (`E_FIELD_…` codes),
 * template get / preview (HTML-escaped), invite / resend / revoke with PINs only in the results,
 * and printing sheets to PDF.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppServices, type AppServices } from '../../main/app/services';
import { createDispatcher, type Dispatch } from '../../main/ipc/dispatch';
import { fieldErrorCode } from '../../main/ipc/handlers-registration';
import { openKeyring, passphraseWrapper } from '../../main/secrets';

let tmp: string;
let services: AppServices;
let dispatch: Dispatch;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stagebench-reg-ipc-'));
  const dataDir = path.join(tmp, 'data');
  services = createAppServices({ dataDir, secretBox: openKeyring(dataDir, [passphraseWrapper('reg ipc passphrase')]), actor: 'test', usbmuxAddress: '127.0.0.1:1' });
  dispatch = createDispatcher(services, { version: '1.0.0', usbmuxAddress: '127.0.0.1:1' });
});

after(() => {
  services?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function ok<T = unknown>(channel: string, args?: unknown): Promise<T> {
  const r = await dispatch(channel, args);
  if (!r.ok) assert.fail(`${channel}: ${r.error.message} [${r.error.code}]`);
  return r.value as T;
}

test('field error codes', () => {
  assert.equal(fieldErrorCode('pinLength'), 'E_FIELD_PIN_LENGTH');
  assert.equal(fieldErrorCode('email'), 'E_FIELD_EMAIL');
  assert.equal(fieldErrorCode(''), 'E_FIELD_INPUT');
});

test('users: add, list with search, field errors, LDAP identity read-only, export', async () => {
  await ok('users:add', { email: 'Alice@Example.com', firstName: 'Alice', lastName: 'Smith' });
  const dup = await dispatch('users:add', { email: 'alice@example.com' });
  assert.equal(dup.ok, false);
  if (!dup.ok) assert.equal(dup.error.code, 'E_FIELD_EMAIL');
  services.registration.users.importCsv('email,first_name,last_name,source,dn\ndir@example.com,Dee,Dir,ldap,"CN=Dee,DC=example,DC=com"\n');
  const found = await ok<{ email: string }[]>('users:list', { search: 'smith' });
  assert.deepEqual(found.map((u) => u.email), ['alice@example.com']);
  const ldap = await dispatch('users:update', { user: 'dir@example.com', patch: { firstName: 'D' } });
  assert.equal(ldap.ok, false);
  if (!ldap.ok) assert.equal(ldap.error.code, 'E_FIELD_FIRST_NAME');
  await ok('users:update', { user: 'dir@example.com', patch: { role: 'user-portal' } });
  const file = await ok<{ filename: string; base64: string; rows: number }>('users:export-csv');
  assert.equal(file.rows, 2);
  assert.match(Buffer.from(file.base64, 'base64').toString('utf8'), /dir@example\.com/);
});

test('settings: view, validation message on the field, derived registration URL', async () => {
  const v0 = await ok<{ registrationUrl: string | null }>('registration:settings-get');
  assert.equal(v0.registrationUrl, null);
  const bad = await dispatch('registration:settings-set', { pinLength: 99 });
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.error.code, 'E_FIELD_PIN_LENGTH');
    assert.match(bad.error.message, /4 to 12/);
  }
  const v = await ok<{ registrationUrl: string; settings: { pinLength: number } }>('registration:settings-set', { serverUrl: 'mdm.example.com', pinLength: 6 });
  assert.equal(v.registrationUrl, 'https://mdm.example.com/go');
  assert.equal(v.settings.pinLength, 6);
});

test('templates: get with placeholders, preview escapes, bad template is a field error', async () => {
  const t = await ok<{ template: { html: string }; placeholders: Record<string, string> }>('registration:template-get', { language: 'en' });
  assert.ok(t.placeholders.PASSCODE);
  const p = await ok<{ html: string }>('registration:template-preview', { language: 'en', html: '<p>$USER_NAME$ <b>hi</b></p>' });
  assert.match(p.html, /Alex Example <b>hi<\/b>/);
});

test('invitations: invite shows the PIN once, list never does, resend, revoke, sheets PDF', async () => {
  const r = await ok<{ invitations: { id: string; pin: string; registrationQr: string; html: string; language: string }[] }>('invitations:invite', { users: ['alice@example.com'] });
  const inv = r.invitations[0];
  assert.match(inv.pin, /^\d{6}$/);
  assert.match(inv.registrationQr, /^data:image\/png;base64,/);
  const list = await ok<Record<string, unknown>[]>('invitations:list');
  assert.equal(list.length, 1);
  assert.equal('pin' in list[0], false);
  assert.ok(!JSON.stringify(list).includes(inv.pin));
  const again = await ok<{ invitations: { pin: string }[] }>('invitations:resend', { id: inv.id });
  assert.match(again.invitations[0].pin, /^\d{6}$/);
  const pdf = await ok<{ base64: string; sheets: number }>('invitations:sheets-pdf', { sheets: [{ html: inv.html, language: inv.language }] });
  assert.equal(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString(), '%PDF-');
  const revoked = await ok<{ status: string }>('invitations:revoke', { id: inv.id });
  assert.equal(revoked.status, 'revoked');
  const twice = await dispatch('invitations:revoke', { id: inv.id });
  assert.equal(twice.ok, false);
});
