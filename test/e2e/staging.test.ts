/**
 * End to end through the real renderer (Chromium), the real dispatcher and services, and the
 * device emulator: import a signing identity made with openssl, build a profile (first with an
 * error shown inline, then valid), sign, preview, export and verify it on the Profiles page; then
 * watch devices come and go live and stage three devices from the Bench page until each finishes.
 * Assertions are on the DOM (and on what the emulated devices received).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startBench, type BenchFixture } from './bench-fixture';

let bench: BenchFixture;
let page: Page;

before(async () => {
  bench = await startBench();
  page = bench.harness.page;
});

after(async () => {
  await bench?.close();
});

const field = (name: string): Locator => page.locator(`input[name="${name}"]`);

/** The helper text MUI links to an input through aria-describedby. */
async function helperText(input: Locator): Promise<string> {
  const id = await input.getAttribute('aria-describedby');
  assert.ok(id, 'field has no helper text');
  return (await page.locator(`[id="${id.split(' ')[0]}"]`).textContent()) ?? '';
}

async function openPage(label: 'Bench' | 'Profiles'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: label }).click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

test('shell shows every area and the workstation facts', async () => {
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  const labels = (await nav.getByRole('button').allTextContents()).map((t) => t.replace(/\d+$/, ''));
  assert.deepEqual(labels, ['Bench', 'Profiles', 'Devices', 'Users & Invitations', 'Enrollment (ABM)', 'Sync', 'Audit', 'Organizations', 'Settings']);
  await page.getByText(`usbmuxd ${bench.emulator.address}`).waitFor();
  await page.getByText('v0.1.0-e2e').waitFor();
});

test('Profiles: import identity, build with inline errors, sign, preview, export, verify', async () => {
  await openPage('Profiles');
  const p12 = fs.readFileSync(bench.pki.p12Path);

  // A wrong password is refused with a message that does not echo it.
  await field('p12').setInputFiles({ name: 'signer.p12', mimeType: 'application/x-pkcs12', buffer: p12 });
  await field('identity-label').fill('E2E signer');
  await field('p12-password').fill('definitely-wrong-password');
  await page.getByRole('button', { name: 'Import identity' }).click();
  const identities = page.getByTestId('identities');
  const refusal = identities.getByRole('alert');
  await refusal.waitFor();
  assert.match((await refusal.textContent()) ?? '', /password/i);
  assert.doesNotMatch((await refusal.textContent()) ?? '', /definitely-wrong-password/);
  assert.equal(await field('p12-password').inputValue(), '', 'password field cleared after the attempt');

  await field('p12-password').fill(bench.pki.p12Password);
  await page.getByRole('button', { name: 'Import identity' }).click();
  await identities.getByTestId('identity-row').filter({ hasText: 'E2E signer' }).waitFor();
  assert.match((await identities.getByTestId('identity-row').textContent()) ?? '', /StageBench Test Profile Signer/);

  // Build with an http:// server URL and a bad topic: the service's issues land on those fields.
  await field('name').fill('E2E enrollment');
  await field('identifier').fill('com.example.e2e.enroll');
  await field('organization').fill('StageBench QA');
  await field('mdm.serverUrl').fill('http://mdm.example.com/mdm');
  await field('mdm.checkInUrl').fill('https://mdm.example.com/checkin');
  await field('mdm.topic').fill('not.a.topic');
  await field('scep.url').fill('https://mdm.example.com/scep');
  await field('scep.challenge').fill('scep-challenge-e2e');
  await field('scep.subject').fill('/O=StageBench QA/CN=%SerialNumber%');
  await field('anchors').setInputFiles(bench.pki.rootPath);
  await page.getByText('root.pem').waitFor();
  await page.getByRole('button', { name: 'Validate and build' }).click();
  await page.getByTestId('build-errors').waitFor();
  assert.equal(await field('mdm.serverUrl').getAttribute('aria-invalid'), 'true');
  assert.match(await helperText(field('mdm.serverUrl')), /https:\/\//);
  assert.equal(await field('mdm.topic').getAttribute('aria-invalid'), 'true');
  assert.match(await helperText(field('mdm.topic')), /com\.apple\.mgmt\./);
  assert.equal(await field('name').getAttribute('aria-invalid'), 'false');
  assert.equal(await page.getByTestId('profile-row').count(), 0, 'nothing saved while there are errors');
  await bench.harness.screenshot('profiles-errors');

  await field('mdm.serverUrl').fill('https://mdm.example.com/mdm');
  await field('mdm.topic').fill('com.apple.mgmt.External.e2e-0001');
  await page.getByRole('button', { name: 'Validate and build' }).click();
  const built = page.getByTestId('build-success');
  await built.waitFor();
  assert.equal(await field('mdm.serverUrl').getAttribute('aria-invalid'), 'false');
  await page.getByTestId('profile-row').filter({ hasText: 'com.example.e2e.enroll' }).waitFor();

  // Sign from the build result with the imported identity.
  await built.getByRole('button', { name: 'Sign…' }).click();
  const dialog = page.getByRole('dialog', { name: /Sign/ });
  await dialog.getByText('E2E signer', { exact: false }).waitFor();
  await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  const signedRow = page.locator('[data-testid="profile-row"][data-signed="true"]');
  await signedRow.waitFor();
  assert.match((await signedRow.textContent()) ?? '', /Signed/);

  // Preview the signed profile's XML.
  await signedRow.getByRole('button', { name: 'Preview' }).click();
  const xml = page.getByTestId('xml-preview');
  await xml.waitFor();
  const xmlText = (await xml.textContent()) ?? '';
  for (const s of ['com.example.e2e.enroll', 'com.apple.mdm', 'com.apple.security.scep', 'com.apple.security.root', 'https://mdm.example.com/mdm']) {
    assert.ok(xmlText.includes(s), `XML preview lacks ${s}`);
  }
  assert.ok(!xmlText.includes('scep-challenge-e2e'), 'the SCEP challenge is masked in the preview');
  assert.match(xmlText, /<key>Challenge<\/key>\s*<string>••••••••<\/string>/);
  await bench.harness.screenshot('profiles-preview', { fullPage: false });
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await xml.waitFor({ state: 'detached' });

  // Export downloads the signed CMS through a Blob URL.
  const [download] = await Promise.all([page.waitForEvent('download'), signedRow.getByRole('button', { name: 'Export' }).click()]);
  assert.match(download.suggestedFilename(), /\.signed\.mobileconfig$/);
  const exported = path.join(bench.tmp, download.suggestedFilename());
  await download.saveAs(exported);
  const der = fs.readFileSync(exported);
  assert.equal(der[0], 0x30, 'exported file is DER (CMS SignedData)');
  assert.ok(der.includes(Buffer.from('com.example.e2e.enroll')), 'signed content is attached');

  // Verify the exported file against the test root CA.
  await field('verify-file').setInputFiles(exported);
  await field('verify-ca').setInputFiles(bench.pki.rootPath);
  await page.getByTestId('verify').getByRole('button', { name: 'Verify' }).click();
  const result = page.getByTestId('verify-result');
  await result.waitFor();
  const verified = (await result.textContent()) ?? '';
  assert.match(verified, /Signature valid and trusted by the given CA/);
  assert.match(verified, /StageBench Test Profile Signer/);
  assert.match(verified, /com\.apple\.mdm/);
  await bench.harness.screenshot('profiles');
});

test('Bench: devices appear and disappear live, then three devices are staged', async () => {
  await openPage('Bench');
  const cards = page.getByTestId('device-card');
  await page.getByTestId('device-count').filter({ hasText: '3 devices' }).waitFor();
  const models = (await cards.allTextContents()).join('\n');
  for (const s of ['iPhone15,2', 'iPad', 'AppleTV', 'iOS 17.5.1']) assert.ok(models.includes(s), `device cards lack ${s}`);
  for (const kind of ['iPhone', 'iPad', 'Apple TV']) assert.equal(await cards.locator(`svg title:text-is("${kind}")`).count(), 1, `one ${kind} icon`);

  // Live: plug in a fourth device, then unplug it.
  const extra = bench.emulator.attach('iphone');
  await page.locator(`[data-testid="device-card"][data-udid="${extra.udid}"]`).waitFor();
  await page.getByTestId('device-count').filter({ hasText: '4 devices' }).waitFor();
  bench.emulator.detach(extra.udid);
  await page.locator(`[data-testid="device-card"][data-udid="${extra.udid}"]`).waitFor({ state: 'detached' });
  await page.getByTestId('device-count').filter({ hasText: '3 devices' }).waitFor();
  await bench.harness.screenshot('bench-ready');

  // Stage with Wi-Fi and the signed enrollment profile (preselected as the only signed one).
  const form = page.getByTestId('staging-form');
  await field('wifi-ssid').fill('StageLab');
  await field('wifi-password').fill('lab-wifi-passphrase');
  assert.match((await form.textContent()) ?? '', /E2E enrollment — com\.example\.e2e\.enroll/);
  await form.getByRole('button', { name: 'Stage 3 devices' }).click();

  const summary = page.getByTestId('stage-summary');
  await summary.waitFor({ timeout: 60_000 });
  assert.match((await summary.textContent()) ?? '', /All 3 devices staged/);
  assert.equal(await page.getByTestId('summary-row').count(), 3);
  for (const card of await cards.all()) {
    assert.equal(await card.getAttribute('data-state'), 'done', `card ${await card.getAttribute('data-udid')}`);
    const states = await card.locator('[data-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step-state')));
    assert.deepEqual(states, ['done', 'done', 'done', 'done', 'done']);
    assert.match((await card.textContent()) ?? '', /Staged/);
    assert.match((await card.textContent()) ?? '', /Paired/);
  }
  for (const device of bench.emulator.devices) {
    const ids = device.profiles.map((p) => p.PayloadIdentifier);
    assert.ok(ids.includes('com.example.e2e.enroll'), `${device.udid} has the enrollment profile (${ids.join(', ')})`);
    assert.equal(device.profiles.find((p) => p.PayloadIdentifier === 'com.example.e2e.enroll')?.signed, true, 'installed signed');
    assert.ok(ids.some((id) => /stagelab/i.test(id)), `${device.udid} has the Wi-Fi profile (${ids.join(', ')})`);
  }
  await bench.harness.screenshot('bench');
  await page.emulateMedia({ colorScheme: 'dark' });
  await bench.harness.screenshot('bench-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // Unplug everything: the empty state explains what to do.
  for (const d of bench.emulator.devices) bench.emulator.detach(d.udid);
  const empty = page.getByTestId('bench-empty');
  await empty.waitFor();
  assert.match((await empty.textContent()) ?? '', /No devices connected/);
  assert.match((await empty.textContent()) ?? '', /usbmuxd/);
  await bench.harness.screenshot('bench-empty');
});

test('the renderer ran without page errors, console errors or CSP violations', () => {
  assert.deepEqual(bench.harness.problems, []);
});
