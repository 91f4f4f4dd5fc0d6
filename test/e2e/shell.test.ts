/**
 * The whole-product shell end to end (built renderer in Chromium, real dispatcher and services,
 * device emulator): every page, the status bar, the Devices and Audit tables (search, sort,
 * filters, columns, CSV export, selection), the command palette, keyboard shortcuts, drag and drop
 * of .mobileconfig / .p12 / .csv / .p7m files, and light/dark. A screenshot per page goes to
 * test-results/screenshots/<page>.png, plus dark.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startBench, type BenchFixture } from './bench-fixture';
import { seedShell, type ShellSeed } from './shell-seed';

// Browser globals used inside page.evaluate callbacks (this file compiles without the DOM lib).
interface El { textContent: string | null; getAttribute(n: string): string | null }
declare const window: { dispatchEvent(e: unknown): boolean };
declare const document: { querySelector(s: string): El | null; activeElement: El | null; body: unknown };
declare function getComputedStyle(e: unknown): { backgroundColor: string };
declare class DataTransfer { items: { add(f: unknown): void } }
declare class DragEvent { constructor(type: string, init: unknown) }
declare class File { constructor(parts: unknown[], name: string, init: unknown) }

let bench: BenchFixture;
let page: Page;
let seed: ShellSeed;

before(async () => {
  bench = await startBench({ seed: (services, pki) => void (seed = seedShell(services, pki)) });
  page = bench.harness.page;
});

after(async () => {
  await bench?.close();
});

async function openPage(label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: label }).click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

const total = () => page.getByTestId('table-total');
async function waitTotal(text: string): Promise<void> {
  await total().filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
}
const rows = () => page.getByTestId('table-row');

async function download(click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(bench.tmp, dl.suggestedFilename());
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

/** Dispatches a file drop on the window (as the OS does when a file is dragged in). */
async function drop(name: string, bytes: Buffer, type = 'application/octet-stream', finish = true): Promise<void> {
  await page.evaluate(
    ({ name, b64, type, finish }) => {
      const bin = atob(b64);
      const data = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([data], name, { type }));
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
      if (finish) window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { name, b64: bytes.toString('base64'), type, finish },
  );
}

test('status bar: tenant not configured, no sync yet, attached devices live', async () => {
  await page.getByTestId('status-devices').filter({ hasText: '3 devices attached' }).waitFor();
  assert.equal(await page.getByTestId('status-tenant').textContent(), 'Tenant not configured');
  assert.equal(await page.getByTestId('status-sync').textContent(), 'Sync: 0 pending');
  const extra = bench.emulator.attach('iphone');
  await page.getByTestId('status-devices').filter({ hasText: '4 devices attached' }).waitFor();
  bench.emulator.detach(extra.udid);
  await page.getByTestId('status-devices').filter({ hasText: '3 devices attached' }).waitFor();
});

test('Devices: inventory table with search, sort, filter chips, columns, CSV export, selection and a bulk retire', async () => {
  await openPage('Devices');
  assert.match((await page.getByTestId('devices-source').textContent()) ?? '', /Tenant device inventory/);
  const all = seed.serials.length;
  await waitTotal(`${all} devices`);
  await page.getByTestId('data-table').and(page.locator('[data-ready="true"]')).waitFor();
  const shown = await rows().count();
  assert.ok(shown > 10 && shown < 80, `only the rows in view are in the DOM (${shown})`);
  await bench.harness.screenshot('devices');

  // Scrolling to the end loads that window (default sort: last check-in, newest first).
  await page.getByRole('grid').evaluate((el) => (el as unknown as { scrollTo(o: unknown): void; scrollHeight: number }).scrollTo({ top: (el as unknown as { scrollHeight: number }).scrollHeight }));
  await rows().filter({ hasText: 'SEED000000' }).waitFor();

  // Sort by serial number (header click): ascending, then descending.
  const serialHeader = page.getByRole('columnheader', { name: 'Serial number' });
  await serialHeader.getByRole('button').click();
  await page.waitForFunction(() => document.querySelector('[role="row"][data-key]')?.textContent?.includes('SEED000000'));
  assert.equal(await serialHeader.getAttribute('aria-sort'), 'ascending');
  await serialHeader.getByRole('button').click();
  await page.waitForFunction(() => document.querySelector('[role="row"][data-key]')?.textContent?.includes('SEED000239'));
  assert.equal(await serialHeader.getAttribute('aria-sort'), 'descending');

  // Search (debounced) by serial.
  const search = page.getByRole('textbox', { name: 'Search the table' });
  await search.fill('SEED000042');
  await waitTotal('1 device');
  assert.match((await rows().first().textContent()) ?? '', /iPhone 15/);
  await search.fill('');
  await waitTotal(`${all} devices`);

  // Filter chips: platform iPadOS; then export what the filter matches.
  await page.getByTestId('filter-platform').click();
  await page.getByRole('menuitem', { name: 'iPadOS' }).click();
  await page.keyboard.press('Escape');
  await waitTotal(`${all / 3} devices`);
  assert.match((await page.getByTestId('filter-platform').textContent()) ?? '', /Platform: iPadOS/);
  const exported = await download(() => page.getByRole('button', { name: 'Export CSV' }).click());
  assert.match(exported.name, /^devices-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = exported.text.trim().split('\n');
  assert.match(lines[0], /^id,platform,model,/);
  assert.equal(lines.length - 1, all / 3);
  assert.ok(lines.slice(1).every((l) => l.includes(',iPadOS,')), 'only iPads exported');
  await page.getByTestId('filter-platform').locator('.MuiChip-deleteIcon').click();
  await waitTotal(`${all} devices`);

  // Column choice: hide Owner, then bring it back.
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByTestId('column-choice').filter({ hasText: 'Owner' }).click();
  await page.keyboard.press('Escape');
  assert.equal(await page.getByRole('columnheader', { name: 'Owner' }).count(), 0);
  await page.getByRole('button', { name: 'Columns' }).click();
  await page.getByTestId('column-choice').filter({ hasText: 'Owner' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('columnheader', { name: 'Owner' }).waitFor();

  // Select three rows (click, then Shift+click), export them, then retire them.
  const firstKeys = await rows().evaluateAll((els) => els.slice(0, 3).map((e) => (e as unknown as El).getAttribute('data-key')));
  await rows().nth(0).getByRole('checkbox').click();
  await rows().nth(2).getByRole('checkbox').click({ modifiers: ['Shift'] });
  const bar = page.getByTestId('bulk-bar');
  await bar.filter({ hasText: '3 selected' }).waitFor();
  await bench.harness.screenshot('devices-selection', { fullPage: false });
  const selected = await download(() => bar.getByRole('button', { name: 'Export selected' }).click());
  assert.equal(selected.text.trim().split('\n').length, 4);
  await bar.getByRole('button', { name: 'Retire' }).click();
  const confirm = page.getByRole('dialog', { name: /Retire 3 devices/ });
  await confirm.getByRole('button', { name: 'Retire' }).click();
  await page.getByTestId('toast').filter({ hasText: 'Retire: 3 done' }).waitFor();
  await bar.waitFor({ state: 'detached' });
  for (const key of firstKeys) assert.equal(bench.services.inventory.get(Number(key))?.status, 'Retired');
  await page.getByTestId('filter-status').click();
  await page.getByRole('menuitem', { name: 'Retired' }).click();
  await page.keyboard.press('Escape');
  await waitTotal('3 devices');
  await page.getByTestId('filter-status').locator('.MuiChip-deleteIcon').click();
});

test('Audit: read-only table filtered by outcome, actor and text, exported to CSV', async () => {
  await openPage('Audit');
  await page.getByTestId('data-table').and(page.locator('[data-ready="true"]')).waitFor();
  assert.ok((await rows().count()) >= 3);
  assert.equal(await page.getByRole('checkbox', { name: /Select/ }).count(), 0, 'no selection on a read-only table');
  await bench.harness.screenshot('audit');
  await page.getByTestId('filter-outcome').click();
  await page.getByRole('menuitem', { name: 'Failure' }).click();
  await page.keyboard.press('Escape');
  await waitTotal('1 event');
  assert.match((await rows().first().textContent()) ?? '', /Trust prompt/);
  await page.getByTestId('filter-outcome').locator('.MuiChip-deleteIcon').click();
  await page.getByRole('textbox', { name: 'Search the table' }).fill('profile.sign');
  await waitTotal('1 event');
  const csv = await download(() => page.getByRole('button', { name: 'Export CSV' }).click());
  assert.match(csv.name, /^audit-/);
  const lines = csv.text.trim().split('\n');
  assert.equal(lines[0], 'id,at,actor,action,target,outcome,detail');
  assert.equal(lines.length, 2);
  assert.match(lines[1], /profile\.sign/);
  await page.getByRole('textbox', { name: 'Search the table' }).fill('');
});

test('pages with nothing set up yet say what they will hold and what to do next', async () => {
  for (const [label, id, name, text] of [
    ['Enrollment (ABM)', 'enrollment-empty', 'enrollment', /Automated Device Enrollment/],
    ['Sync', 'sync-configure', 'sync', /Connect your tenant/],
  ] as const) {
    await openPage(label);
    const empty = page.getByTestId(id);
    await empty.waitFor();
    assert.match((await empty.textContent()) ?? '', text);
    assert.ok((await empty.getByRole('button').count()) >= 1, `${label} offers a next step`);
    await bench.harness.screenshot(name);
  }
  await page.getByTestId('sync-page').getByRole('button', { name: /keep staging at the bench/i }).click();
  await page.getByRole('heading', { level: 1, name: 'Bench' }).waitFor();
});

test('Users & Invitations: a CSV import is all or nothing, and shows the rows to fix', async () => {
  await openPage('Users & Invitations');
  const card = page.getByTestId('users-import');
  await page.locator('input[name="users-csv"]').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from('email,first_name,last_name\ncarol@example.com,Carol,King\nnot-an-email,Dan,Brown\n') });
  await card.getByRole('button', { name: 'Import users' }).click();
  const result = page.getByTestId('users-import-result');
  await result.filter({ hasText: /Nothing imported: 1 of 2 rows need fixing/ }).waitFor();
  assert.match((await card.textContent()) ?? '', /email/);
  assert.equal(bench.services.registration.users.list('carol@example.com').length, 0, 'nothing written');
  await card.getByRole('switch', { name: /Import the valid rows/ }).or(card.getByLabel(/Import the valid rows/)).first().check();
  await card.getByRole('button', { name: 'Import users' }).click();
  await result.filter({ hasText: /1 added/ }).waitFor();
  assert.equal(bench.services.registration.users.list('carol@example.com').length, 1);
  await bench.harness.screenshot('users-import');
});

test('Enrollment (ABM): adding a server downloads its public key for Apple Business Manager', async () => {
  await openPage('Enrollment (ABM)');
  await page.getByRole('button', { name: 'Add server' }).first().click();
  await page.locator('input[name="dep-server-name"]').fill('Main campus');
  const key = await download(() => page.getByRole('button', { name: 'Add and download key' }).click());
  await page.getByRole('dialog', { name: /Upload new token/ }).getByRole('button', { name: 'Cancel' }).click();
  assert.equal(key.name, 'Main-campus-public-key.pem');
  assert.match(key.text, /-----BEGIN CERTIFICATE-----/);
  const row = page.getByTestId('dep-server-row').filter({ hasText: 'Main campus' });
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /No token/);
  await bench.harness.screenshot('enrollment');
});

test('Settings: organization name is saved in the workstation settings', async () => {
  await openPage('Settings');
  await page.locator('input[name="organization-name"]').fill('Example Corp IT');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('toast').filter({ hasText: 'Organization name saved' }).waitFor();
  const stored = JSON.parse(fs.readFileSync(path.join(bench.services.dataDir, 'ui-settings.json'), 'utf8')) as { organizationName: string };
  assert.equal(stored.organizationName, 'Example Corp IT');
  await bench.harness.screenshot('settings');
});

test('command palette (Ctrl+K) finds a device by serial and opens it on Devices', async () => {
  await openPage('Bench');
  await page.keyboard.press('Control+k');
  const input = page.getByRole('textbox', { name: 'Search everything' });
  await input.fill('SEED000125');
  await page.getByTestId('palette-entry').filter({ hasText: 'SEED000125' }).filter({ hasText: 'Apple TV 4K' }).waitFor();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Search the table' }).inputValue(), 'SEED000125');
  await waitTotal('1 device');

  // Pages and profiles are found too.
  await page.keyboard.press('Control+k');
  await input.fill('shell enroll');
  await page.getByTestId('palette-entry').filter({ hasText: 'Shell enrollment' }).filter({ hasText: 'signed' }).waitFor();
  await input.fill('audit');
  await page.getByTestId('palette-entry').filter({ hasText: 'Audit' }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
});

test('keyboard shortcuts: ? shows them, Alt+digit switches pages, / focuses the table search', async () => {
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Shift+?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  assert.match((await help.textContent()) ?? '', /Search devices, profiles and pages/);
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  await page.keyboard.press('Alt+3');
  await page.getByRole('heading', { level: 1, name: 'Devices' }).waitFor();
  await page.getByTestId('data-table').and(page.locator('[data-ready="true"]')).waitFor();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'table-search');
});

test('drag and drop: .mobileconfig is verified and installed on a device; .p12, .csv and .p7m are routed', async () => {
  await openPage('Bench');
  const exported = bench.services.profiles.export(seed.signedProfileId);
  await drop(exported.fileName, exported.bytes, 'application/x-apple-aspen-config', false);
  await page.getByTestId('drop-overlay').waitFor();
  await bench.harness.screenshot('drop-overlay', { fullPage: false });
  await drop(exported.fileName, exported.bytes, 'application/x-apple-aspen-config');
  const dialog = page.getByTestId('mobileconfig-dialog');
  await dialog.waitFor();
  await page.getByTestId('mobileconfig-verdict').filter({ hasText: 'Signed, and the signature verifies' }).waitFor();
  assert.match((await dialog.textContent()) ?? '', /com\.example\.e2e\.shell/);
  assert.match((await dialog.textContent()) ?? '', /com\.apple\.mdm/);
  await bench.harness.screenshot('drop-mobileconfig', { fullPage: false });
  const target = bench.emulator.devices[0];
  await page.getByRole('dialog').getByRole('button', { name: 'Install on device' }).click();
  await page.getByTestId('toast').filter({ hasText: /installed on/ }).waitFor();
  assert.ok(target.profiles.some((p) => p.PayloadIdentifier === 'com.example.e2e.shell'), 'the first attached device received the profile');

  await drop('signer.p12', fs.readFileSync(bench.pki.p12Path), 'application/x-pkcs12');
  const identity = page.getByRole('dialog', { name: 'Import signing identity' });
  await identity.waitFor();
  assert.match((await identity.textContent()) ?? '', /signer\.p12/);
  await identity.getByRole('button', { name: 'Cancel' }).click();

  await drop('users.csv', Buffer.from('email,first_name,last_name\nalice@example.com,Alice,Smith\nbob@example.com,Bob,Jones\n'), 'text/csv');
  await page.getByTestId('toast').filter({ hasText: 'users.csv: 2 users added, 0 updated, 0 unchanged' }).waitFor();
  assert.equal(bench.services.registration.users.list('alice@example.com').length, 1);
  await drop('server-token.p7m', Buffer.from('MIME-Version: 1.0\n'), 'application/pkcs7-mime');
  await page.getByTestId('toast').filter({ hasText: /^server-token\.p7m: / }).waitFor();
});

test('light/dark follows the OS and the manual choice overrides it', async () => {
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction((before) => getComputedStyle(document.body).backgroundColor !== before, light);
  const dark = await bg();
  await openPage('Devices');
  await page.getByTestId('data-table').and(page.locator('[data-ready="true"]')).waitFor();
  await bench.harness.screenshot('dark');
  await page.getByRole('button', { name: 'Appearance' }).click();
  await page.getByRole('menuitem', { name: 'Light' }).click();
  await page.waitForFunction((d) => getComputedStyle(document.body).backgroundColor !== d, dark);
  assert.equal(await bg(), light, 'Light overrides the dark OS setting');
  await page.keyboard.press('Control+Shift+L');
  await page.waitForFunction((l) => getComputedStyle(document.body).backgroundColor !== l, light);
  await page.getByRole('button', { name: 'Appearance' }).click();
  await page.getByRole('menuitem', { name: 'Follow the system' }).click();
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction((l) => getComputedStyle(document.body).backgroundColor === l, light);
});

test('the renderer ran without page errors, console errors or CSP violations', () => {
  assert.deepEqual(bench.harness.problems, []);
});
