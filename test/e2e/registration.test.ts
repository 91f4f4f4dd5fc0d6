/**
 * Users & Invitations end to end (built renderer in Chromium, real dispatcher and services): add
 * users (one named `<script>alert(1)</script>`, shown as text), LDAP users read-only, CSV import
 * with the row report and "import the N valid rows", invite two users and see each one-time PIN
 * once with QR codes (decoded from the rendered page and compared with the registration URL),
 * print the invitation sheets to PDF, resend and revoke, the registration settings with inline
 * validation and Server Name Lookup, the template preview, a retire on the Devices page, and both
 * found in the Audit page. Screenshots: users.png, invitations.png, registration-settings.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Locator, Page } from 'playwright-core';
import { startBench, type BenchFixture } from './bench-fixture';

const SCRIPT_NAME = '<script>alert(1)</script>';
const SERVER = 'https://mdm.example.com';

let bench: BenchFixture;
let page: Page;
const dialogs: string[] = [];

before(async () => {
  bench = await startBench({
    emulator: { devices: 1, kinds: ['iphone'] },
    seed: (services) => {
      services.registration.settings.set({ serverUrl: SERVER });
      services.registration.users.importCsv('email,first_name,last_name,source,dn\ndana@corp.example.com,Dana,Directory,ldap,"CN=Dana Directory,OU=Staff,DC=corp,DC=example,DC=com"\n');
      services.inventory.register({
        platform: 'iOS', osVersion: '18.5', model: 'iPhone 15', serialNumber: 'RETIRE0001', udid: '00008030-00000000000000AA',
        owner: 'dana@corp.example.com', method: 'invitation', lastCheckIn: '2026-01-05T08:00:00Z',
      });
    },
  });
  page = bench.harness.page;
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});

after(async () => {
  await bench?.close();
});

async function openPage(label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: label }).click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

const tab = (name: string) => page.getByRole('tab', { name });
const userRow = (email: string) => page.locator(`[data-testid="user-row"][data-email="${email}"]`);

async function addUser(email: string, first: string, last: string): Promise<void> {
  await page.getByRole('button', { name: 'Add user' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add a user' });
  await dialog.getByLabel(/^Email/).fill(email);
  await dialog.getByLabel('First name').fill(first);
  await dialog.getByLabel('Last name').fill(last);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await dialog.waitFor({ state: 'detached' });
  await userRow(email).waitFor();
}

/** Decodes the QR code drawn by `img` (a screenshot of the element as rendered). */
async function decodeQr(img: Locator): Promise<string> {
  const png = PNG.sync.read(await img.screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  assert.ok(code, 'a QR code is readable in the rendered image');
  return code.data;
}

test('users: add (a <script> name stays text), LDAP identity read-only, field errors inline', async () => {
  await openPage('Users & Invitations');
  await userRow('dana@corp.example.com').waitFor();
  await addUser('alice@example.com', 'Alice', 'Smith');
  await addUser('script@example.com', SCRIPT_NAME, 'Tester');
  assert.match((await userRow('script@example.com').textContent()) ?? '', /<script>alert\(1\)<\/script> Tester/);
  assert.equal(await page.locator('script:text("alert(1)")').count(), 0);

  // Duplicate email: the service's message under the Email field.
  await page.getByRole('button', { name: 'Add user' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add a user' });
  await dialog.getByLabel(/^Email/).fill('ALICE@example.com');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await dialog.getByText(/already exists/).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // LDAP user: marker in the table, identity fields read-only, role editable.
  await userRow('dana@corp.example.com').getByTestId('source-ldap').waitFor();
  await userRow('dana@corp.example.com').getByText('Dana Directory').click();
  const edit = page.getByRole('dialog', { name: 'Edit dana@corp.example.com' });
  assert.match((await edit.textContent()) ?? '', /comes from the LDAP directory/);
  assert.equal(await edit.getByLabel('First name').getAttribute('readonly'), '');
  await edit.getByRole('button', { name: 'Cancel' }).click();

  // Search and sort.
  await page.getByRole('textbox', { name: 'Search users' }).fill('smith');
  await page.getByTestId('users-total').filter({ hasText: /^1 user$/ }).waitFor();
  await page.getByRole('textbox', { name: 'Search users' }).fill('');
  await page.getByTestId('users-total').filter({ hasText: /^3 users$/ }).waitFor();
  await page.getByRole('button', { name: 'Name' }).click();
  assert.equal(await page.getByTestId('user-row').first().getAttribute('data-email'), 'dana@corp.example.com');
});

test('users: CSV import reports rows to fix and imports the valid ones on request; CSV export', async () => {
  await page.locator('input[name="users-csv"]').setInputFiles({ name: 'more.csv', mimeType: 'text/csv', buffer: Buffer.from('email,first_name,last_name\nbob@example.com,Bob,Jones\nbroken,Eve,Bad\n') });
  await page.getByTestId('users-import').getByRole('button', { name: 'Import users' }).click();
  const errors = page.getByTestId('users-import-errors');
  await errors.waitFor();
  assert.match((await errors.textContent()) ?? '', /3email.*not an email address/);
  await page.getByRole('button', { name: 'Import the 1 valid row' }).click();
  await userRow('bob@example.com').waitFor();
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const file = path.join(bench.tmp, dl.suggestedFilename());
  await dl.saveAs(file);
  assert.match(dl.suggestedFilename(), /^users-\d{4}-\d{2}-\d{2}\.csv$/);
  assert.equal(fs.readFileSync(file, 'utf8').trim().split('\n').length, 5, 'header + 4 users');
  await bench.harness.screenshot('users');
});

let alicePin = '';

test('invitations: invite two users, PINs shown once with QR codes, printed to PDF', async () => {
  await userRow('alice@example.com').getByRole('checkbox').check();
  await userRow('script@example.com').getByRole('checkbox').check();
  await page.getByTestId('users-selection').getByRole('button', { name: 'Invite 2 users' }).click();
  const invite = page.getByRole('dialog', { name: 'Invite 2 users' });
  await invite.getByRole('button', { name: 'Send 2 invitations' }).click();
  const issued = page.getByRole('dialog', { name: '2 invitations sent' });
  await issued.waitFor();
  await issued.getByTestId('pin-once-warning').waitFor();
  const cards = issued.getByTestId('issued-invitation');
  assert.equal(await cards.count(), 2);
  const alice = issued.locator('[data-testid="issued-invitation"][data-email="alice@example.com"]');
  const script = issued.locator('[data-testid="issued-invitation"][data-email="script@example.com"]');
  alicePin = (await alice.getByTestId('issued-pin').textContent()) ?? '';
  const scriptPin = (await script.getByTestId('issued-pin').textContent()) ?? '';
  assert.match(alicePin, /^\d{6}$/, 'the default 6-digit PIN');
  assert.equal(await alice.getByTestId('issued-url').textContent(), `${SERVER}/go`);
  // QR codes decoded from the rendered page: the registration URL, and the mirp:// launch link.
  const qrs = alice.getByTestId('invitation-qr');
  assert.equal(await qrs.count(), 2);
  assert.equal(await decodeQr(qrs.nth(0)), `${SERVER}/go`);
  assert.equal(await decodeQr(qrs.nth(1)), `mirp://mdm.example.com?user=alice%40example.com&pin=${alicePin}`);
  await bench.harness.screenshot('invitations', { fullPage: false });

  // The PIN shown is the real one (the registration flow accepts it).
  assert.equal(bench.services.registration.verifyPin('script@example.com', scriptPin).ok, true);

  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), issued.getByRole('button', { name: 'Print invitation sheets' }).click()]);
  const pdfPath = path.join(bench.tmp, dl.suggestedFilename());
  await dl.saveAs(pdfPath);
  const pdf = fs.readFileSync(pdfPath);
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.match(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }), /^Pages:\s+2$/m);
  // The <script> name is printed as text on its sheet (HTML-escaped by the template engine).
  assert.match(execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }), /Hello <script>alert\(1\)<\/script> Tester,/);

  await issued.getByRole('button', { name: /^Done/ }).click();
  await issued.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('issued-pin').count(), 0);
  assert.ok(!((await page.locator('body').textContent()) ?? '').includes(alicePin), 'the PIN is gone once the dialog closes');
  assert.deepEqual(dialogs, [], 'no script ran');
});

test('invitations: statuses, resend shows a new PIN once, revoke', async () => {
  await tab('Invitations').click();
  const row = (email: string) => page.locator(`[data-testid="invitation-row"][data-email="${email}"]`);
  await row('alice@example.com').waitFor();
  assert.equal(await row('alice@example.com').getAttribute('data-status'), 'sent');
  assert.match((await row('alice@example.com').textContent()) ?? '', /Pending/);
  assert.match((await row('script@example.com').textContent()) ?? '', /Used/);
  assert.ok(!((await page.getByTestId('invitations-card').textContent()) ?? '').includes(alicePin));

  await row('alice@example.com').getByRole('button', { name: 'Resend' }).click();
  const resent = page.getByRole('dialog', { name: 'Invitation resent' });
  const newPin = (await resent.getByTestId('issued-pin').textContent()) ?? '';
  assert.match(newPin, /^\d{6}$/);
  assert.equal(bench.services.registration.verifyPin('alice@example.com', alicePin).ok, false, 'the old PIN stopped working');
  await resent.getByRole('button', { name: /^Done/ }).click();
  await row('alice@example.com').filter({ hasText: /Pending/ }).waitFor();

  await row('alice@example.com').getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog', { name: /Revoke the invitation of alice@example.com/ }).getByRole('button', { name: 'Revoke' }).click();
  await row('alice@example.com').and(page.locator('[data-status="revoked"]')).waitFor();
  assert.equal(bench.services.registration.verifyPin('alice@example.com', newPin).ok, false);
  await bench.harness.screenshot('invitations-list');
  await page.getByRole('button', { name: /^Revoked/ }).click();
  assert.equal(await page.getByTestId('invitation-row').count(), 1);
});

test('registration settings: inline validation, Server Name Lookup entry, saved', async () => {
  await tab('Registration settings').click();
  const form = page.getByTestId('registration-settings');
  await form.getByLabel('PIN length (digits)').fill('99');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await form.getByText(/Registration PIN length \(digits\) must be a whole number from 4 to 12/).first().waitFor();
  await form.getByLabel('PIN length (digits)').fill('8');
  assert.match((await page.getByTestId('server-entry-preview').textContent()) ?? '', /enter: https:\/\/mdm\.example\.com/);
  await form.getByRole('switch', { name: 'Server Name Lookup' }).or(form.getByRole('checkbox', { name: 'Server Name Lookup' })).first().check();
  assert.match((await page.getByTestId('server-entry-preview').textContent()) ?? '', /enter: example\.com/);
  await form.getByLabel('In-App Registration Requirement').click();
  await page.getByRole('option', { name: 'User and Registration PIN' }).click();
  await form.getByRole('button', { name: 'Save settings' }).click();
  await page.getByTestId('toast').filter({ hasText: 'Registration settings saved' }).waitFor();
  const s = bench.services.registration.settings.get();
  assert.equal(s.pinLength, 8);
  assert.equal(s.serverNameLookup, true);
  assert.equal(s.inAppRequirement, 'user-and-pin');
  await tab('Registration settings').scrollIntoViewIfNeeded();
  await bench.harness.screenshot('registration-settings');
});

test('invitation template: live preview follows the editor and the settings; template errors inline', async () => {
  await tab('Invitation template').click();
  const frame = page.frameLocator('[data-testid="template-preview"]');
  await frame.getByText('Hello Alex Example,').waitFor();
  await frame.getByText('example.com').first().waitFor();
  await bench.harness.screenshot('invitation-template');
  const editor = page.getByRole('textbox', { name: 'Template HTML' });
  await editor.fill('<h1>Hello $FIRST_NAME$</h1><p>Enter $SERVER_ENTRY$</p>');
  await frame.getByText('Hello Alex').waitFor();
  await frame.getByText('Enter example.com').waitFor();
  await editor.fill('<p>$NOPE$</p>');
  assert.match((await page.getByTestId('template-problem').textContent()) ?? '', /unknown placeholder \$NOPE\$/);
});

test('devices: retire a device; audit shows the invitation and the retire', async () => {
  await openPage('Devices');
  const row = page.getByTestId('table-row').filter({ hasText: 'RETIRE0001' });
  await row.getByRole('checkbox').click();
  await page.getByTestId('bulk-bar').getByRole('button', { name: 'Retire' }).click();
  await page.getByRole('dialog', { name: /Retire 1 device/ }).getByRole('button', { name: 'Retire' }).click();
  await page.getByTestId('toast').filter({ hasText: 'Retire: 1 done' }).waitFor();

  await openPage('Audit');
  const search = page.getByRole('textbox', { name: 'Search the table' });
  await search.fill('registration.invitation.sent');
  await page.getByTestId('table-total').filter({ hasText: /^2 events$/ }).waitFor();
  assert.match((await page.getByTestId('table-row').first().textContent()) ?? '', /@example\.com/);
  await search.fill('inventory.retire');
  await page.getByTestId('table-total').filter({ hasText: /^1 event$/ }).waitFor();
  assert.match((await page.getByTestId('table-row').first().textContent()) ?? '', /RETIRE0001|inventory:/);
  assert.deepEqual(bench.harness.problems.filter((p) => !/favicon/.test(p)), []);
});
