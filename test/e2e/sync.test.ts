/**
 * Sync page against the reference tenant (test/support/tenant, in process): configure the
 * connection in the UI (the password is never shown again), Sync now mirrors devices and users,
 * a local edit that the tenant also changed becomes a conflict shown with both versions and is
 * resolved from the UI, and stopping the tenant shows the offline banner.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestTenant, TENANT_PASSWORD, TENANT_USER, type TenantServer } from '../support/tenant';
import { startBench, type BenchFixture } from './bench-fixture';

let bench: BenchFixture;
let tenant: TenantServer;
let tenantUp = true;

async function admin(method: string, route: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${tenant.url}/__admin/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`admin ${method} ${route}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

before(async () => {
  tenant = await startTestTenant({ devices: 25, users: 12 });
  bench = await startBench({ emulator: { devices: 1, kinds: ['iphone'] } });
});

after(async () => {
  await bench?.close();
  if (tenantUp) await tenant?.close();
});

test('configure, sync, resolve a conflict from the UI, and see the offline banner', async () => {
  const { page } = bench.harness;
  await page.getByTestId('status-tenant').filter({ hasText: 'Tenant not configured' }).waitFor();
  await page.getByRole('button', { name: /^Sync/ }).first().click();
  const form = page.getByTestId('tenant-form');
  await form.waitFor();
  await form.getByLabel(/^Tenant URL/).fill(tenant.url);
  await form.getByLabel(/^API user/).fill(TENANT_USER);
  await form.getByLabel(/^Password/).fill(TENANT_PASSWORD);
  await form.getByRole('button', { name: 'Connect tenant' }).click();

  // Saving syncs at once: devices and users are mirrored.
  const status = page.getByTestId('sync-status');
  await status.waitFor();
  await page.getByTestId('sync-devices').filter({ hasText: '25' }).waitFor({ timeout: 30_000 });
  await page.getByTestId('sync-users').filter({ hasText: '12' }).waitFor();
  await page.getByTestId('sync-online').filter({ hasText: 'Online' }).waitFor();
  assert.match((await page.getByTestId('sync-last').textContent()) ?? '', /Last successful sync/);
  await page.getByTestId('status-tenant').filter({ hasText: 'Tenant online' }).waitFor();
  const html = await page.content();
  assert.ok(!html.includes(TENANT_PASSWORD), 'the password is never shown again');
  assert.ok(!bench.services.audit(100).some((a) => JSON.stringify(a).includes(TENANT_PASSWORD)), 'nor written to the audit trail');
  await bench.harness.screenshot('sync');

  // A local edit, then the tenant's admin changes the same record: the next sync finds a conflict.
  bench.services.sync.local.updateUser('1', { firstName: 'Bench' });
  await admin('PATCH', 'accounts/1', { firstName: 'Console' });
  await page.getByRole('button', { name: 'Sync now' }).click();
  const conflict = page.getByTestId('sync-conflict');
  await conflict.waitFor({ timeout: 30_000 });
  assert.equal(await conflict.getByTestId('conflict-mine').first().textContent(), 'Bench');
  assert.equal(await conflict.getByTestId('conflict-theirs').first().textContent(), 'Console');
  await page.getByTestId('sync-conflicts').filter({ hasText: '1' }).waitFor();
  await page.getByTestId('outbox-row').filter({ hasText: 'Conflict' }).waitFor();
  await bench.harness.screenshot('sync-conflict');

  await conflict.getByRole('button', { name: 'Keep mine' }).click();
  await page.getByTestId('sync-no-conflicts').waitFor();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.getByTestId('sync-outbox-empty').waitFor({ timeout: 30_000 });
  assert.equal(tenant.store.account(1)?.firstName, 'Bench', 'keep mine was pushed to the tenant');

  // The tenant goes away: Sync now fails as offline, the banner explains, the status bar says offline.
  await tenant.close();
  tenantUp = false;
  await page.getByRole('button', { name: 'Sync now' }).click();
  const banner = page.getByTestId('offline-banner');
  await banner.waitFor({ timeout: 60_000 });
  assert.match((await banner.textContent()) ?? '', /Tenant offline/);
  await page.getByTestId('status-tenant').filter({ hasText: 'Tenant offline' }).waitFor();
  await page.getByTestId('sync-online').filter({ hasText: 'Offline' }).waitFor();
  await page.getByRole('button', { name: /^Bench/ }).first().click();
  await banner.waitFor();
  await bench.harness.screenshot('offline', { fullPage: false });
  assert.deepEqual(bench.harness.problems, []);
});
