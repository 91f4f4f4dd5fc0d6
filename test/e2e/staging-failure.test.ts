/**
 * A staging run where one device refuses the Trust prompt: the Bench page shows that device as
 * failed with the reason, the others as staged, and a partial summary. The signed enrollment
 * profile is prepared through the services (the Profiles page flow is covered in staging.test.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startBench, type BenchFixture } from './bench-fixture';

let bench: BenchFixture;

before(async () => {
  bench = await startBench({ emulator: { devices: 3, knobs: (index) => (index === 1 ? { trust: 'deny' } : {}) } });
  const { services, pki } = bench;
  const identity = services.identities.importPkcs12(fs.readFileSync(pki.p12Path), pki.p12Password, 'Failure signer');
  const built = services.profiles.build({
    name: 'Failure run',
    identifier: 'com.example.e2e.failure',
    os: 'ios',
    serverUrl: 'https://mdm.example.com/mdm',
    topic: 'com.apple.mgmt.External.e2e-0002',
    scep: { url: 'https://mdm.example.com/scep', keysize: 2048, challenge: 'c' },
  });
  assert.ok(built.profile, JSON.stringify(built.issues));
  services.profiles.sign(built.profile.id, identity.id);
});

after(async () => {
  await bench?.close();
});

test('a device that denies trust fails with its reason while the others are staged', async () => {
  const { page } = bench.harness;
  const denied = bench.emulator.devices[1];
  await page.getByTestId('device-count').filter({ hasText: '3 devices' }).waitFor();
  await page.getByRole('switch', { name: /Join a Wi-Fi network/ }).or(page.getByLabel(/Join a Wi-Fi network/)).first().uncheck();
  const form = page.getByTestId('staging-form');
  assert.match((await form.textContent()) ?? '', /Failure run — com\.example\.e2e\.failure/);
  await form.getByRole('button', { name: 'Stage 3 devices' }).click();

  const summary = page.getByTestId('stage-summary');
  await summary.waitFor({ timeout: 60_000 });
  assert.match((await summary.textContent()) ?? '', /2 of 3 devices staged, 1 failed/);
  const failedRow = summary.locator(`[data-testid="summary-row"][data-udid="${denied.udid}"]`);
  assert.match((await failedRow.textContent()) ?? '', /Failed/);
  assert.match((await failedRow.textContent()) ?? '', /pair/i);

  const card = page.locator(`[data-testid="device-card"][data-udid="${denied.udid}"]`);
  assert.equal(await card.getAttribute('data-state'), 'failed');
  assert.equal(await card.locator('[data-step="pair"]').getAttribute('data-step-state'), 'failed');
  assert.equal(await card.locator('[data-step="verify"]').getAttribute('data-step-state'), 'skipped');
  assert.match((await card.getByTestId('device-message').textContent()) ?? '', /Don't Trust|UserDeniedPairing/, 'the card shows why pairing failed');
  for (const d of bench.emulator.devices.filter((x) => x.udid !== denied.udid)) {
    const ok = page.locator(`[data-testid="device-card"][data-udid="${d.udid}"]`);
    assert.equal(await ok.getAttribute('data-state'), 'done');
    assert.equal(await ok.locator('[data-step="wifi-profile"]').getAttribute('data-step-state'), 'skipped', 'Wi-Fi turned off');
  }
  assert.equal(denied.profiles.length, 0, 'nothing installed on the device that refused trust');
  await bench.harness.screenshot('bench-failure');
  assert.deepEqual(bench.harness.problems, []);
});
