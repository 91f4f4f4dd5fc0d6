/**
 * First run: a new bench opens the setup wizard; the admin names the organization, imports the
 * signing identity, skips the tenant, and is led to build the enrollment profile. The wizard does
 * not come back once finished.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startBench, type BenchFixture } from './bench-fixture';

let bench: BenchFixture;

before(async () => {
  bench = await startBench({ firstRun: true, emulator: { devices: 1, kinds: ['iphone'] } });
});

after(async () => {
  await bench?.close();
});

test('the setup wizard leads a new bench from organization to its first staged device', async () => {
  const { page } = bench.harness;
  const wizard = page.getByTestId('setup-wizard');
  await wizard.waitFor();
  await bench.harness.screenshot('setup-wizard', { fullPage: false });
  await page.locator('input[name="setup-organization"]').fill('Example Corp IT');
  await page.getByRole('button', { name: 'Continue' }).click();

  // Signing identity: wrong password first (refused, not echoed), then the right one.
  await page.locator('input[name="dialog-p12"]').setInputFiles(bench.pki.p12Path);
  await page.locator('input[name="dialog-p12-password"]').fill('not-the-password');
  await wizard.getByRole('button', { name: 'Import identity' }).click();
  const refusal = wizard.getByRole('alert');
  await refusal.waitFor();
  assert.doesNotMatch((await refusal.textContent()) ?? '', /not-the-password/);
  await page.locator('input[name="dialog-p12-password"]').fill(bench.pki.p12Password);
  await wizard.getByRole('button', { name: 'Import identity' }).click();
  await page.getByTestId('setup-identity-done').waitFor();
  await page.getByRole('button', { name: 'Continue' }).click();

  // Tenant: optional.
  await page.getByRole('button', { name: 'Skip for now' }).click();

  // First device: identity done, no signed profile yet, one device attached.
  const checks = page.getByTestId('setup-check');
  await checks.first().waitFor();
  assert.deepEqual(await checks.evaluateAll((els) => els.map((e) => e.getAttribute('data-done'))), ['true', 'false', 'true', 'false']);
  await bench.harness.screenshot('setup-wizard-done', { fullPage: false });
  await page.getByRole('button', { name: 'Finish and build the profile' }).click();
  await wizard.waitFor({ state: 'detached' });
  await page.getByRole('heading', { level: 1, name: 'Profiles' }).waitFor();

  const stored = JSON.parse(fs.readFileSync(path.join(bench.services.dataDir, 'ui-settings.json'), 'utf8')) as { organizationName: string; setupCompletedAt: string | null };
  assert.equal(stored.organizationName, 'Example Corp IT');
  assert.ok(stored.setupCompletedAt);
  assert.equal(bench.services.identities.list().length, 1);

  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Profiles' }).waitFor();
  await page.waitForTimeout(500);
  assert.equal(await wizard.count(), 0, 'the wizard does not come back');
  assert.deepEqual(bench.harness.problems, []);
});
