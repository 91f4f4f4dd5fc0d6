/**
 * Enrollment (ABM) end to end: the built renderer in Chromium with the real dispatcher and
 * services, against the DEP simulator (Apple's Device Assignment service on loopback). Adds a
 * server in the UI, downloads its public key, has the simulator issue a token for it, uploads it
 * (and a token for another consumer key, confirmed), Test Connection, Full Sync, creates a profile
 * in the editor (skip keys with an implied key, a validation error fixed), bulk-assigns devices,
 * Send now, exports CSV, and shows the offline state when Apple is unreachable.
 * Screenshots: enrollment-servers.png, enrollment-editor.png, enrollment-devices.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startDepSimulator, type DepSimulator } from '../support/dep-simulator';
import { startBench, type BenchFixture } from './bench-fixture';

// Browser element methods used inside evaluate callbacks (this file compiles without the DOM lib).
interface ScrollEl { scrollIntoView(o: unknown): void; scrollBy(x: number, y: number): void; scrollTo(x: number, y: number): void }

const DEVICES = 12;
let bench: BenchFixture;
let sim: DepSimulator;
let page: Page;
let pem = '';

before(async () => {
  sim = await startDepSimulator({ devices: DEVICES });
  bench = await startBench();
  page = bench.harness.page;
});

after(async () => {
  await bench?.close();
  await sim?.close().catch(() => undefined);
});

const toast = (text: string | RegExp) => page.getByTestId('toast').filter({ hasText: text });
const serverRow = () => page.getByTestId('dep-server-row').filter({ hasText: 'Bench ABM' });

async function download(click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(bench.tmp, dl.suggestedFilename());
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

/** The simulator's admin endpoint issues a token .p7m for the server's certificate. */
async function issueToken(rotate = false): Promise<Buffer> {
  const res = await fetch(`${sim.url}/_admin/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ certificate_pem: pem, rotate }) });
  assert.equal(res.status, 200);
  return Buffer.from(await res.arrayBuffer());
}

async function serverAction(label: string): Promise<void> {
  await serverRow().getByRole('button', { name: 'Actions for Bench ABM' }).click();
  await page.getByRole('menuitem', { name: label }).click();
}

test('servers: empty state, add a server, public key, token upload with consumer-key confirmation', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Enrollment (ABM)' }).click();
  await page.getByTestId('enrollment-empty').getByText('No ABM server yet').waitFor();

  await page.getByTestId('enrollment-empty').getByRole('button', { name: 'Add server' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add ABM server' });
  await dialog.getByLabel('Server name').fill('Bench ABM');
  await dialog.getByRole('button', { name: 'Advanced settings' }).click();
  await dialog.getByLabel('Device Assignment service URL').fill(sim.url);
  const key = await download(() => dialog.getByRole('button', { name: 'Add and download key' }).click());
  assert.equal(key.name, 'Bench-ABM-public-key.pem');
  assert.match(key.text, /^-----BEGIN CERTIFICATE-----/);
  pem = key.text;

  // The token dialog opens for the new server.
  const tokenDialog = page.getByRole('dialog', { name: /Upload new token/ });
  await tokenDialog.locator('input[name="dep-token-file"]').setInputFiles({ name: 'Bench_smime.p7m', mimeType: 'application/pkcs7-mime', buffer: await issueToken() });
  await tokenDialog.getByRole('button', { name: 'Upload token' }).click();
  await toast(/Token uploaded to “Bench ABM”/).waitFor();
  await serverRow().getByTestId('token-chip').waitFor();
  assert.doesNotMatch(await serverRow().textContent() ?? '', /No token yet/);

  // A token for another consumer key asks before it replaces the current one.
  await serverAction('Upload New Token');
  await tokenDialog.locator('input[name="dep-token-file"]').setInputFiles({ name: 'Other_smime.p7m', mimeType: 'application/pkcs7-mime', buffer: await issueToken(true) });
  await tokenDialog.getByRole('button', { name: 'Upload token' }).click();
  await page.getByTestId('consumer-key-confirm').getByText(/different MDM server/).waitFor();
  await page.getByRole('button', { name: 'Use the new consumer key' }).click();
  await toast(/new consumer key: run a Full Sync/).waitFor();

  // Download Public Key again from the actions.
  const again = await download(() => serverAction('Download Public Key'));
  assert.equal(again.text, pem);
});

test('servers: Test Connection, Full Sync with progress, search and sort', async () => {
  await serverAction('Test Connection');
  await toast(/Connected to Apple: StageBench Simulator/).waitFor();
  await serverRow().getByText('admin@example.com').waitFor();

  sim.fault('POST /server/devices', { delayMs: 600 });
  await serverAction('Device Enrollment Full Sync');
  await serverRow().getByTestId('sync-progress').waitFor();
  // While it runs, a second Full Sync is refused in the menu.
  await serverRow().getByRole('button', { name: 'Actions for Bench ABM' }).click();
  assert.equal(await page.getByRole('menuitem', { name: 'Full Sync running…' }).isDisabled(), true);
  await page.keyboard.press('Escape');
  await toast(new RegExp(`Full Sync of “Bench ABM”: ${DEVICES} devices received`)).waitFor();
  await serverRow().getByTestId('server-devices').filter({ hasText: String(DEVICES) }).waitFor();
  await serverRow().getByTestId('sync-progress').waitFor({ state: 'detached' });

  await page.getByLabel('Search servers').fill('no such server');
  await page.getByText('No server matches').waitFor();
  await page.getByLabel('Search servers').fill('bench');
  await serverRow().waitFor();
  await page.getByRole('button', { name: 'Token Expires' }).click();
  await page.getByLabel('Search servers').fill('');
  await bench.harness.screenshot('enrollment-servers');
});

test('profile editor: skip keys with implied keys, a validation error fixed, saved and queued', async () => {
  await serverAction('Add Device Enrollment Profile');
  const editor = page.getByTestId('profile-editor');
  await editor.getByLabel('Profile name').fill('Staff iPhones');
  await editor.getByLabel('Department').fill('IT');
  await editor.getByLabel('Support phone number').fill('+1 555 0100');
  await editor.getByLabel('MDM enrollment URL').fill('https://tenant.example.com/enroll/dep');

  const sa = page.getByTestId('setup-assistant');
  await sa.locator('[data-testid="pane-row"][data-key="Passcode"] input').check();
  await sa.locator('[data-testid="pane-row"][data-key="Siri"] input').check();
  // Passcode implies Biometric and Payment, shown with the reason.
  await sa.getByTestId('implied-keys').filter({ hasText: 'Biometric' }).waitFor();
  await sa.locator('[data-testid="pane-row"][data-key="Payment"]').getByTestId('implied-chip').waitFor();
  // Skip all on tvOS, filtered at tvOS 17.
  await sa.getByTestId('platform-tvOS').click();
  await sa.getByLabel('Minimum tvOS').fill('17.0');
  await sa.getByTestId('skip-all').click();
  await sa.getByTestId('platform-tvOS').filter({ hasText: /· (\d+)\/\1$/ }).waitFor();
  await sa.getByTestId('platform-iOS').click();

  // A custom enrollment URL over http is refused inline.
  await editor.getByLabel('Enable custom enrollment').check();
  await editor.getByLabel('Custom URL').check();
  await editor.getByLabel('Custom enrollment URL').fill('http://enroll.example.com/start');
  await editor.getByTestId('save-profile').click();
  await toast(/was not saved: 1 field needs attention/).waitFor();
  const urlHelp = editor.locator('p').filter({ hasText: /https/ }).filter({ hasText: /CONFIGURATION_WEB_URL_INVALID/ });
  await urlHelp.waitFor();
  await page.getByTestId('setup-assistant-card').evaluate((el: ScrollEl) => el.scrollIntoView({ block: 'start' }));
  await page.locator('main').evaluate((el: ScrollEl) => el.scrollBy(0, -150));
  await bench.harness.screenshot('enrollment-editor', { fullPage: false });

  await editor.getByLabel('Custom enrollment URL').fill('https://enroll.example.com/start');
  await urlHelp.waitFor({ state: 'detached' });
  await editor.getByTestId('save-profile').click();
  await toast(/“Staff iPhones” saved and queued/).waitFor();
  const row = page.getByTestId('dep-profile-row').filter({ hasText: 'Staff iPhones' });
  await row.getByTestId('default-chip').waitFor();
  assert.equal(await row.getByTestId('sync-chip').getAttribute('data-state'), 'pending');

  const detail = bench.services.dep.profiles.list()[0];
  const stored = bench.services.dep.profiles.get(detail.id);
  for (const k of ['Passcode', 'Siri', 'Biometric', 'Payment', 'TVHomeScreenSync']) assert.ok(stored.apple.skip_setup_items?.includes(k), `${k} skipped`);
  assert.equal(stored.apple.configuration_web_url, 'https://enroll.example.com/start');
});

test('devices: bulk assign, Send now to Apple, export to CSV', async () => {
  await page.getByRole('tab', { name: 'Devices' }).click();
  const devices = page.getByTestId('dep-devices');
  await devices.getByTestId('device-total').filter({ hasText: `${DEVICES} devices` }).waitFor();
  await devices.getByLabel('Search devices').fill('no-such-serial');
  await devices.getByTestId('device-total').filter({ hasText: '0 devices' }).waitFor();
  await devices.getByLabel('Search devices').fill('');
  await devices.getByTestId('device-total').filter({ hasText: `${DEVICES} devices` }).waitFor();
  await devices.getByRole('button', { name: 'Serial number' }).click();
  await devices.getByTestId('dep-device-row').first().waitFor();
  const rows = devices.getByTestId('dep-device-row');
  const readSerials = () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-serial') ?? ''));
  let serials = await readSerials();
  for (let i = 0; i < 50 && serials[0] < serials[serials.length - 1]; i++) serials = await new Promise((r) => setTimeout(r, 100)).then(readSerials);
  assert.equal(serials.length, DEVICES);
  assert.deepEqual(serials, [...serials].sort().reverse(), 'sorted by serial, descending');

  for (let i = 0; i < 5; i++) await rows.nth(i).getByRole('checkbox').check();
  const bar = devices.getByTestId('dep-bulk-bar');
  await bar.getByText('5 selected').waitFor();
  await bar.getByLabel('Assign to profile').click();
  await page.getByRole('option', { name: /Staff iPhones/ }).click();
  await bar.getByRole('button', { name: 'Assign' }).click();
  await toast(/5 devices assigned to “Staff iPhones”/).waitFor();
  await devices.getByTestId('dep-device-row').filter({ hasText: 'Pending send' }).nth(4).waitFor();
  await page.locator('main').evaluate((el: ScrollEl) => el.scrollTo(0, 0));
  await bench.harness.screenshot('enrollment-devices', { fullPage: false });

  const csv = await download(() => devices.getByRole('button', { name: 'Export to CSV' }).click());
  assert.match(csv.name, /^ade-devices-Bench-ABM-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = csv.text.trim().split(/\r?\n/);
  assert.equal(lines.length, DEVICES + 1);
  assert.match(lines[0], /^Serial Number,Model,/);
  assert.equal(lines.filter((l) => l.includes('Staff iPhones')).length, 5);

  await page.getByRole('tab', { name: 'Enrollment profiles' }).click();
  await page.getByTestId('send-now').filter({ hasText: 'Send now (2)' }).click();
  await toast(/Sent 2 changes to Apple/).waitFor();
  const row = page.getByTestId('dep-profile-row').filter({ hasText: 'Staff iPhones' });
  await row.getByTestId('sync-chip').and(page.locator('[data-state="synced"]')).waitFor();
  assert.equal(sim.profiles.size, 1);
  assert.equal(sim.assignments.at(-1)?.serials.length, 5);
  await row.getByTestId('profile-devices').filter({ hasText: '5' }).waitFor();
});

test('Send now while Apple is unreachable shows the offline state and keeps changes queued', async () => {
  await page.getByTestId('dep-profile-row').filter({ hasText: 'Staff iPhones' }).getByRole('button', { name: 'Staff iPhones', exact: true }).click();
  const editor = page.getByTestId('profile-editor');
  await editor.getByLabel('Department').fill('IT Bench');
  await editor.getByTestId('save-profile').click();
  await toast(/saved and queued/).waitFor();
  await sim.close();
  await page.getByTestId('send-now').click();
  await page.getByTestId('dep-offline').getByText(/cannot be reached/).waitFor();
  const row = page.getByTestId('dep-profile-row').filter({ hasText: 'Staff iPhones' });
  assert.equal(await row.getByTestId('sync-chip').getAttribute('data-state'), 'pending');
  assert.deepEqual(bench.harness.problems, []);
});
