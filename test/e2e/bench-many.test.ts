/**
 * Bench with eight emulated devices and a blueprint made in the UI: apply it to all of them, one
 * device is unplugged mid-run (its InstallProfile request) and re-attached — the run waits for it
 * and resumes where it stopped — every device finishes, the UI keeps answering while the run goes,
 * the per-device log tells the unplug story. Then auto-apply runs the blueprint on a newly attached
 * device, a .mobileconfig dropped on a tile is installed, and the Organizations page creates an
 * organization and exports its certificate.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startBench, type BenchFixture } from './bench-fixture';

let bench: BenchFixture;
let profileName = '';
const UNPLUG_INDEX = 3;

before(async () => {
  bench = await startBench({
    emulator: {
      devices: 8,
      kinds: ['iphone', 'ipad'],
      seed: 'e2e-bench-many',
      knobs: (i) => (i === UNPLUG_INDEX ? { responseDelayMs: 20, detachAfter: { request: 'InstallProfile' } } : { responseDelayMs: 20 }),
    },
  });
  const { services, pki } = bench;
  const identity = services.identities.importPkcs12(fs.readFileSync(pki.p12Path), pki.p12Password, 'Bench signer');
  const built = services.profiles.build({
    name: 'Acme MDM enrollment',
    identifier: 'com.example.e2e.many',
    os: 'ios',
    serverUrl: 'https://mdm.example.com/mdm',
    topic: 'com.apple.mgmt.External.e2e-many',
    scep: { url: 'https://mdm.example.com/scep', keysize: 2048, challenge: 'c' },
  });
  assert.ok(built.profile, JSON.stringify(built.issues));
  services.profiles.sign(built.profile.id, identity.id);
  profileName = built.profile.name;
});

after(async () => {
  await bench?.close();
});

test('a blueprint from the UI runs on 8 devices; the unplugged one resumes; logs, auto-apply and drop-to-install work', async () => {
  const { page } = bench.harness;
  const emu = bench.emulator;
  const unplugged = emu.devices[UNPLUG_INDEX].udid;
  await page.getByTestId('device-count').filter({ hasText: '8 devices' }).waitFor();

  // Create the blueprint in the UI.
  const card = page.getByTestId('blueprint-card');
  await card.getByTestId('blueprint-empty').waitFor();
  await card.getByRole('button', { name: 'New blueprint' }).click();
  const form = page.getByTestId('new-blueprint-form');
  await form.getByLabel(/^Blueprint name/).fill('Lab iPhones');
  await form.getByTestId('blueprint-add-step').getByRole('button', { name: 'Enrollment profile' }).click();
  await form.getByTestId('blueprint-add-step').getByRole('button', { name: 'Device name' }).click();
  await form.getByLabel(/^Enrollment profile/).click();
  await page.getByRole('option', { name: profileName }).click();
  await form.getByLabel(/^Device name/).fill('Lab-{counter}');
  await form.getByRole('button', { name: 'Save blueprint' }).click();
  await form.waitFor({ state: 'detached' });
  await card.getByTestId('blueprint-steps').filter({ hasText: `Enrollment profile “${profileName}”` }).waitFor();

  // Apply to all eight.
  await card.getByRole('button', { name: 'Apply to all 8 devices' }).click();
  await card.getByTestId('blueprint-running').waitFor();
  const victim = page.locator(`[data-testid="device-card"][data-udid="${unplugged}"]`);
  await victim.getByText('Reconnect', { exact: true }).waitFor({ timeout: 60_000 });
  assert.match((await victim.getByTestId('device-message').textContent()) ?? '', /reconnect it within/);

  await victim.getByText('Unplugged', { exact: true }).waitFor();
  await card.getByTestId('blueprint-running').filter({ hasText: '1 unplugged' }).waitFor();
  // The UI answers while the run waits: selection, counts and the log drawer respond at once.
  const t0 = Date.now();
  await page.getByRole('checkbox', { name: /^Select / }).first().check();
  await page.getByTestId('device-selected-count').filter({ hasText: '1 selected' }).waitFor({ timeout: 2000 });
  await page.getByRole('checkbox', { name: /^Select / }).first().uncheck();
  assert.ok(Date.now() - t0 < 2000, `selection took ${Date.now() - t0} ms during the run`);
  await victim.scrollIntoViewIfNeeded();
  await bench.harness.screenshot('bench-blueprints', { fullPage: false });

  emu.attach(unplugged);
  await card.getByTestId('blueprint-summary').filter({ hasText: 'Last run: 8 of 8 finished' }).waitFor({ timeout: 120_000 });
  assert.match((await card.getByTestId('blueprint-summary').textContent()) ?? '', /1 resumed after a reconnect/);
  // Progress events may trail the summary by a moment: wait for every tile to settle, then check.
  await page.locator('[data-testid="device-card"][data-state="done"]').nth(7).waitFor({ timeout: 30_000 });
  for (const c of await page.getByTestId('device-card').all()) assert.equal(await c.getAttribute('data-state'), 'done');
  for (const d of emu.devices) {
    assert.ok(d.profiles.some((p) => p.PayloadIdentifier === 'com.example.e2e.many'), `${d.udid} has the enrollment profile`);
  }
  const names = new Set(emu.devices.map((d) => String(d.defaultOverrides.DeviceName)));
  assert.equal(names.size, 8, `every device got its own name: ${[...names].join(', ')}`);

  // The per-device log of the unplugged device tells what happened.
  await victim.getByRole('button', { name: /^Log of / }).click();
  const drawer = page.getByTestId('device-log-drawer');
  await drawer.getByText(/device detached/).first().waitFor();
  await drawer.getByText(/re-attached; resuming/).first().waitFor();
  await bench.harness.screenshot('bench-log-drawer', { fullPage: false });
  await drawer.getByRole('button', { name: 'Close the log' }).click();
  await drawer.waitFor({ state: 'detached' });

  // Auto-apply: a newly attached device runs the blueprint without a click.
  await card.getByRole('switch').click();
  await card.getByText('Auto-apply “Lab iPhones” to newly attached devices').waitFor();
  const fresh = emu.attach('iphone');
  const freshCard = page.locator(`[data-testid="device-card"][data-udid="${fresh.udid}"]`);
  await freshCard.waitFor();
  await freshCard.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
  assert.ok(fresh.profiles.some((p) => p.PayloadIdentifier === 'com.example.e2e.many'));
  await card.getByRole('switch').click();
  await card.getByText('Auto-apply to newly attached devices', { exact: true }).waitFor();

  // Drop a .mobileconfig on a tile: it is installed on that device.
  const wifi = bench.services.profiles.importFile(
    Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>PayloadContent</key><array><dict><key>PayloadType</key><string>com.apple.wifi.managed</string><key>PayloadIdentifier</key><string>com.example.drop.wifi.p</string>
<key>PayloadUUID</key><string>9A1F7C3E-4B55-4C8B-9E51-2C1D7A0B6F10</string><key>PayloadVersion</key><integer>1</integer><key>SSID_STR</key><string>Drop</string><key>EncryptionType</key><string>None</string></dict></array>
<key>PayloadDisplayName</key><string>Dropped Wi-Fi</string><key>PayloadIdentifier</key><string>com.example.drop.wifi</string><key>PayloadType</key><string>Configuration</string>
<key>PayloadUUID</key><string>0B2C5E7A-1D34-4F6A-8B9C-3E4F5A6B7C8D</string><key>PayloadVersion</key><integer>1</integer>
</dict></plist>`),
    'seed',
  );
  const bytes = bench.services.profiles.get(wifi.id).bytes.toString('base64');
  const target = emu.devices[0];
  const tile = page.locator(`[data-testid="device-card"][data-udid="${target.udid}"]`);
  // Runs in the page (DOM types are not in the test's tsconfig).
  type PageGlobals = { DataTransfer: new () => { items: { add(f: unknown): void } }; File: new (parts: unknown[], name: string, o: { type: string }) => unknown };
  const dt = await page.evaluateHandle((b64) => {
    const g = globalThis as unknown as PageGlobals;
    const data = new g.DataTransfer();
    const raw = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    data.items.add(new g.File([raw], 'Dropped Wi-Fi.mobileconfig', { type: 'application/x-apple-aspen-config' }));
    return data;
  }, bytes);
  await tile.dispatchEvent('dragover', { dataTransfer: dt });
  await tile.dispatchEvent('drop', { dataTransfer: dt });
  await page.getByTestId('toast').filter({ hasText: /installed on/ }).waitFor({ timeout: 30_000 });
  assert.ok(target.profiles.some((p) => p.PayloadIdentifier === 'com.example.drop.wifi'));
  assert.equal(await page.getByTestId('drop-overlay').count(), 0, 'the window-wide overlay did not take the drop');
  assert.deepEqual(bench.harness.problems, []);
});

test('Organizations: create one with a new supervision identity and export its certificate (never the key)', async () => {
  const { page } = bench.harness;
  await page.getByRole('button', { name: /^Organizations/ }).first().click();
  await page.getByTestId('organizations-empty').waitFor();
  await page.getByTestId('organizations-empty').getByRole('button', { name: 'New organization' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/^Organization name/).fill('Acme Schools');
  await dialog.getByLabel(/^Department/).fill('IT Services');
  await dialog.getByLabel(/^E-mail/).fill('it@acme.example');
  await dialog.getByRole('button', { name: 'Create organization' }).click();
  const row = page.getByTestId('organization-row').filter({ hasText: 'Acme Schools' });
  await row.waitFor();
  const download = page.waitForEvent('download');
  await row.getByRole('button', { name: /Export the certificate/ }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /^Acme-Schools-supervision\.cer$/);
  const der = fs.readFileSync((await file.path())!);
  assert.equal(der[0], 0x30, 'DER certificate');
  assert.ok(!der.toString('latin1').includes('PRIVATE KEY'));
  assert.deepEqual(bench.services.supervision.organizations.exportCertificate('Acme Schools'), der);
  await page.getByTestId('toast').filter({ hasText: /private key stays sealed/ }).waitFor();
  await bench.harness.screenshot('organizations', { fullPage: false });
  assert.deepEqual(bench.harness.problems, []);
});
