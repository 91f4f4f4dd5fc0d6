/**
 * Cancelling a staging run from the Bench page: with slow devices (every lockdownd/MCInstall reply
 * delayed), Cancel stops each device after its current step; the summary says how many were
 * stopped, and no device received the enrollment profile half-way.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startBench, type BenchFixture } from './bench-fixture';

let bench: BenchFixture;

before(async () => {
  bench = await startBench({ emulator: { devices: 2, kinds: ['iphone', 'ipad'], knobs: () => ({ responseDelayMs: 150 }) } });
  const { services, pki } = bench;
  const identity = services.identities.importPkcs12(fs.readFileSync(pki.p12Path), pki.p12Password, 'Cancel signer');
  const built = services.profiles.build({
    name: 'Cancel run',
    identifier: 'com.example.e2e.cancel',
    os: 'ios',
    serverUrl: 'https://mdm.example.com/mdm',
    topic: 'com.apple.mgmt.External.e2e-cancel',
    scep: { url: 'https://mdm.example.com/scep', keysize: 2048, challenge: 'c' },
  });
  assert.ok(built.profile, JSON.stringify(built.issues));
  services.profiles.sign(built.profile.id, identity.id);
});

after(async () => {
  await bench?.close();
});

test('Cancel stops the remaining devices between steps and the summary says so', async () => {
  const { page } = bench.harness;
  await page.getByTestId('device-count').filter({ hasText: '2 devices' }).waitFor();
  await page.getByRole('switch', { name: /Join a Wi-Fi network/ }).or(page.getByLabel(/Join a Wi-Fi network/)).first().uncheck();
  await page.getByTestId('staging-form').getByRole('button', { name: 'Stage 2 devices' }).click();
  const progress = page.getByTestId('stage-progress');
  await progress.waitFor();
  assert.match((await progress.textContent()) ?? '', /0 of 2 finished/);
  await page.getByTestId('status-staging').filter({ hasText: 'Staging 0/2' }).waitFor();
  await bench.harness.screenshot('bench-staging', { fullPage: false });
  await progress.getByRole('button', { name: 'Cancel remaining' }).click();
  const summary = page.getByTestId('stage-summary');
  await summary.waitFor({ timeout: 60_000 });
  assert.match((await summary.textContent()) ?? '', /Cancelled: 0 of 2 devices staged, 2 stopped/);
  await progress.waitFor({ state: 'detached' });
  for (const card of await page.getByTestId('device-card').all()) {
    const states = await card.locator('[data-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step-state')));
    assert.ok(states.includes('failed') && states.includes('skipped'), `one step stopped, the rest skipped: ${states.join(',')}`);
    assert.equal(states.at(-1), 'skipped', 'verify never ran');
  }
  for (const device of bench.emulator.devices) {
    assert.ok(!device.profiles.some((p) => p.PayloadIdentifier === 'com.example.e2e.cancel'), `${device.udid} did not get the enrollment profile`);
  }
  await page.getByTestId('toast').filter({ hasText: /Staging cancelled/ }).waitFor();
  await bench.harness.screenshot('bench-cancelled', { fullPage: false });
  assert.deepEqual(bench.harness.problems, []);
});
