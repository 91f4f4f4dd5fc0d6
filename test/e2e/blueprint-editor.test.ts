/**
 * The New-blueprint dialog builds a full blueprint: steps added out of order and moved into place,
 * prepare (manual, supervised by an organization created on the Organizations page, skip keys
 * picked per platform), language / region / time zone from the IANA list, a device-name pattern.
 * The service's issues show under the step they concern (an erase that is not last, a bad
 * region). The blueprint then runs on two emulated devices, and what the devices report over
 * lockdownd / MCInstall is checked: a supervised cloud configuration naming the organization,
 * Language / Locale / TimeZone, DeviceName. Finally a blueprint is deleted from the Bench.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBench, type BenchFixture } from './bench-fixture';

let bench: BenchFixture;

before(async () => {
  bench = await startBench({ emulator: { devices: 2, kinds: ['iphone', 'ipad'], seed: 'e2e-blueprint-editor', knobs: () => ({ responseDelayMs: 10 }) } });
});

after(async () => {
  await bench?.close();
});

test('a blueprint with prepare (supervised), locale and a name pattern, built in the dialog, runs on 2 devices', async () => {
  const { page } = bench.harness;
  const emu = bench.emulator;
  await page.getByTestId('device-count').filter({ hasText: '2 devices' }).waitFor({ timeout: 90_000 });

  // An organization, made on the Organizations page.
  await page.getByRole('button', { name: /^Organizations/ }).first().click();
  await page.getByTestId('organizations-empty').getByRole('button', { name: 'New organization' }).click();
  const orgDialog = page.getByRole('dialog');
  await orgDialog.getByLabel(/^Organization name/).fill('Acme Schools');
  await orgDialog.getByRole('button', { name: 'Create organization' }).click();
  await page.getByTestId('organization-row').filter({ hasText: 'Acme Schools' }).waitFor();
  await page.getByRole('button', { name: /^Bench/ }).first().click();

  const card = page.getByTestId('blueprint-card');
  await card.getByTestId('blueprint-empty').waitFor();
  await card.getByRole('button', { name: 'New blueprint' }).click();
  const form = page.getByTestId('new-blueprint-form');
  const add = form.getByTestId('blueprint-add-step');
  await form.getByLabel(/^Blueprint name/).fill('Acme iPads');
  // Out of order on purpose: device name, language, erase, prepare.
  for (const step of ['Device name', 'Language & time zone', 'Erase', 'Prepare']) await add.getByRole('button', { name: step, exact: true }).click();
  const steps = form.getByTestId('blueprint-step');
  assert.equal(await steps.count(), 4);

  await form.getByLabel(/^Device name/).fill('Acme-{counter}');
  await form.getByRole('combobox', { name: 'Language' }).fill('de');
  await form.getByLabel(/^Region/).fill('de-DE'); // wrong form: the service says so under the step
  const tz = form.getByRole('combobox', { name: 'Time zone' });
  await tz.fill('America/New_Y');
  await page.getByRole('option', { name: 'America/New_York' }).click();
  await form.getByLabel('I understand: devices are wiped').check();
  await form.getByTestId('erase-warning').waitFor();

  // Prepare: manual, supervised by Acme Schools, skip chosen panes (grouped by platform).
  const prepare = steps.nth(3);
  await prepare.getByLabel(/^Organization/).click();
  await page.getByRole('option', { name: 'Acme Schools' }).click();
  await prepare.getByLabel(/^Setup Assistant/).click();
  await page.getByRole('option', { name: 'Skip chosen panes…' }).click();
  const panes = prepare.getByRole('combobox', { name: 'Panes to skip' });
  await panes.click();
  const listbox = page.getByRole('listbox');
  await listbox.getByText('iOS / iPadOS', { exact: true }).waitFor();
  await listbox.getByText('tvOS', { exact: true }).waitFor();
  await panes.fill('Privacy');
  await page.getByRole('option', { name: /\(Privacy\)$/ }).first().click();
  await panes.fill('Location');
  await page.getByRole('option', { name: /\(Location\)$/ }).first().click();
  await page.keyboard.press('Escape');

  // Prepare to the top (three moves up), erase stays in the middle for now.
  for (const n of [4, 3, 2]) await form.getByRole('button', { name: `Move step ${n} up` }).click();
  const order = async () => (await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).join(',');
  assert.equal(await order(), 'prepare,device-name,locale,erase');
  await form.getByRole('button', { name: 'Move step 4 up' }).click();
  assert.equal(await order(), 'prepare,device-name,erase,locale');

  // The service refuses the erase in the middle and the region; each message under its step.
  await form.getByRole('button', { name: 'Save blueprint' }).click();
  await steps.nth(2).getByTestId('blueprint-step-error').filter({ hasText: 'erase must be the last action' }).waitFor();
  await steps.nth(3).getByTestId('blueprint-step-error').filter({ hasText: 'region is a locale identifier' }).waitFor();
  assert.equal(await steps.nth(0).getByTestId('blueprint-step-error').count(), 0);
  await bench.harness.screenshot('blueprint-editor-errors', { fullPage: false });

  await form.getByRole('button', { name: 'Remove step 3' }).click();
  await form.getByLabel(/^Region/).fill('de_DE');
  assert.equal(await order(), 'prepare,device-name,locale');
  await bench.harness.screenshot('blueprint-editor', { fullPage: false });
  await form.getByRole('button', { name: 'Save blueprint' }).click();
  await form.waitFor({ state: 'detached' });
  const chips = card.getByTestId('blueprint-steps');
  await chips.filter({ hasText: '1. Prepare (manual, supervised, skip 2 panes)' }).waitFor();
  assert.match((await chips.textContent()) ?? '', /2\. Device name Acme-\{counter\}.*3\. Locale de · de_DE · America\/New_York/);
  const org = bench.services.supervision.organizations.list()[0];
  assert.deepEqual(bench.services.blueprints.get('Acme iPads').actions[0], { type: 'prepare', supervised: true, organizationId: org.id, skipSetup: ['Privacy', 'Location'] });

  // Apply to both devices.
  await card.getByRole('button', { name: 'Apply to all 2 devices' }).click();
  await card.getByTestId('blueprint-summary').filter({ hasText: 'Last run: 2 of 2 finished' }).waitFor({ timeout: 120_000 });

  const names = new Set<string>();
  for (const dev of emu.devices) {
    // What the device reports: MCInstall GetCloudConfiguration and lockdownd GetValue.
    const v = await bench.services.supervision.getValues(dev.udid, ['IsSupervised', 'OrganizationName', 'CloudConfiguration', 'com.apple.international:Language', 'com.apple.international:Locale', 'TimeZone', 'DeviceName'], org.id);
    assert.equal(v.IsSupervised, true, `${dev.udid} supervised`);
    assert.equal(v.OrganizationName, 'Acme Schools');
    const cc = v.CloudConfiguration as Record<string, unknown>;
    assert.equal(cc.IsSupervised, true);
    assert.deepEqual([...(cc.SkipSetup as string[])].sort(), ['Location', 'Privacy']);
    assert.equal(v['com.apple.international:Language'], 'de');
    assert.equal(v['com.apple.international:Locale'], 'de_DE');
    assert.equal(v.TimeZone, 'America/New_York');
    assert.match(String(v.DeviceName), /^Acme-[12]$/);
    names.add(String(v.DeviceName));
    assert.equal(dev.cloudConfiguration?.OrganizationName, 'Acme Schools');
  }
  assert.deepEqual([...names].sort(), ['Acme-1', 'Acme-2']);
  assert.deepEqual(bench.harness.problems, []);
});

test('the ADE prepare mode and deleting a blueprint from the Bench', async () => {
  const { page } = bench.harness;
  const card = page.getByTestId('blueprint-card');
  await card.getByRole('button', { name: 'New blueprint' }).click();
  const form = page.getByTestId('new-blueprint-form');
  await form.getByLabel(/^Blueprint name/).fill('ADE only');
  await form.getByTestId('blueprint-add-step').getByRole('button', { name: 'Prepare', exact: true }).click();
  await form.getByLabel(/^Prepare mode/).click();
  await page.getByRole('option', { name: 'Automated Device Enrollment (ADE)' }).click();
  assert.equal(await form.getByLabel(/^Organization/).count(), 0, 'ADE takes supervision from Apple Business Manager');
  await form.getByRole('button', { name: 'Save blueprint' }).click();
  await form.waitFor({ state: 'detached' });
  await card.getByTestId('blueprint-steps').filter({ hasText: 'Prepare (Automated Device Enrollment)' }).waitFor();
  assert.deepEqual(bench.services.blueprints.get('ADE only').actions, [{ type: 'prepare', options: { dep: true } }]);

  await card.getByRole('button', { name: 'Delete blueprint ADE only' }).click();
  const confirm = page.getByTestId('delete-blueprint-dialog');
  await confirm.getByRole('button', { name: 'Delete blueprint' }).click();
  await page.getByTestId('toast').filter({ hasText: 'Blueprint “ADE only” deleted' }).waitFor();
  assert.deepEqual(bench.services.blueprints.list().map((b) => b.name), ['Acme iPads']);
  assert.deepEqual(bench.harness.problems, []);
});
