/**
 * Enrollment (ABM) profile editor, Certificates section and Organization magic, end to end: the
 * built renderer in Chromium with the real dispatcher and services. Certificates are generated
 * with openssl: an anchor CA (PEM) and a supervising host certificate (DER) are added through the
 * file pickers and listed with subject, expiry and SHA-256 (computed in main through
 * `dep:inspect-certificate`); a text file and a private key are refused with a clear error; an
 * over-long org_magic is flagged inline (MAGIC_INVALID). The saved profile's Apple JSON
 * (`app.dep.profiles.get`) carries anchor_certs, supervising_host_certs and org_magic; reopening
 * the profile lists the stored certificates, and removing one drops it from the Apple JSON.
 * Screenshot: enrollment-certificates.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startBench, type BenchFixture } from './bench-fixture';

interface ScrollEl { scrollIntoView(o: unknown): void; scrollBy(x: number, y: number): void }

let bench: BenchFixture;
let page: Page;
let anchorPem: Buffer;
let anchorDer: Buffer;
let hostDer: Buffer;
let keyPem: Buffer;

/** A self-signed certificate made by openssl (`req -x509`), PEM or DER, and its key. */
function opensslCert(dir: string, name: string, subject: string, outform: 'PEM' | 'DER'): { cert: Buffer; key: Buffer } {
  const key = path.join(dir, `${name}.key`);
  const cert = path.join(dir, `${name}.${outform === 'PEM' ? 'pem' : 'cer'}`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-outform', outform, '-days', '825', '-subj', subject, '-sha256'], { stdio: 'ignore' });
  return { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
}

before(async () => {
  bench = await startBench({ seed: (s) => { s.dep.servers.add({ name: 'Certs ABM' }); } });
  page = bench.harness.page;
  const dir = path.join(bench.tmp, 'certs');
  fs.mkdirSync(dir, { recursive: true });
  const anchor = opensslCert(dir, 'anchor', '/O=StageBench Test/CN=Bench Anchor Root CA', 'PEM');
  anchorPem = anchor.cert;
  keyPem = anchor.key;
  anchorDer = new X509Certificate(anchorPem).raw;
  hostDer = opensslCert(dir, 'host', '/CN=Bench Supervising Host', 'DER').cert;
});

after(async () => {
  await bench?.close();
});

const toast = (text: string | RegExp) => page.getByTestId('toast').filter({ hasText: text });
const fp = (der: Buffer) => new X509Certificate(der).fingerprint256;

test('certificates and organization magic: add from PEM/DER files, refuse non-certificates, saved in the Apple JSON', async () => {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Enrollment (ABM)' }).click();
  const server = page.getByTestId('dep-server-row').filter({ hasText: 'Certs ABM' });
  await server.getByRole('button', { name: 'Actions for Certs ABM' }).click();
  await page.getByRole('menuitem', { name: 'Add Device Enrollment Profile' }).click();
  const editor = page.getByTestId('profile-editor');
  await editor.getByLabel('Profile name').fill('Lab iPads');
  await editor.getByLabel('MDM enrollment URL').fill('https://tenant.example.com/enroll/dep');

  const anchors = editor.getByTestId('cert-list-anchorCerts');
  const hosts = editor.getByTestId('cert-list-supervisingHostCerts');
  await anchors.getByText('No certificates').waitFor();

  // A text file and a private key are refused with a clear error, nothing added.
  await anchors.locator('input[name="anchorCerts-file"]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a certificate at all\n') });
  await anchors.getByText(/"notes\.txt" is not a certificate: it is neither PEM text nor a DER X.509 certificate/).waitFor();
  await anchors.locator('input[name="anchorCerts-file"]').setInputFiles({ name: 'anchor.key', mimeType: 'application/x-pem-file', buffer: keyPem });
  await anchors.getByText(/"anchor\.key": PEM text holds no "BEGIN CERTIFICATE" block/).waitFor();
  assert.equal(await anchors.getByTestId('cert-item').count(), 0);

  // PEM anchor and DER supervising host certificate, listed with subject, expiry and SHA-256.
  await anchors.locator('input[name="anchorCerts-file"]').setInputFiles({ name: 'anchor.pem', mimeType: 'application/x-pem-file', buffer: anchorPem });
  const anchorRow = anchors.getByTestId('cert-item');
  await anchorRow.getByTestId('cert-subject').filter({ hasText: '/O=StageBench Test/CN=Bench Anchor Root CA' }).waitFor();
  assert.equal(await anchorRow.getAttribute('data-fingerprint'), fp(anchorDer));
  assert.match(await anchorRow.getByTestId('cert-sha256').textContent() ?? '', new RegExp(`SHA-256 ${fp(anchorDer)}`));
  assert.match(await anchorRow.getByTestId('cert-expiry').textContent() ?? '', /^Expires /);
  assert.equal(await anchors.getByText(/is not a certificate/).count(), 0, 'the earlier error is cleared');

  await hosts.locator('input[name="supervisingHostCerts-file"]').setInputFiles({ name: 'host.cer', mimeType: 'application/pkix-cert', buffer: hostDer });
  await hosts.getByTestId('cert-item').getByTestId('cert-subject').filter({ hasText: '/CN=Bench Supervising Host' }).waitFor();
  assert.equal(await hosts.getByTestId('cert-item').getAttribute('data-fingerprint'), fp(hostDer));

  // Organization magic: over Apple's 256 characters is flagged inline, then fixed.
  const magic = editor.getByLabel('Organization magic');
  await magic.fill('m'.repeat(257));
  const magicHelp = editor.locator('p').filter({ hasText: /MAGIC_INVALID/ });
  await magicHelp.filter({ hasText: /257 characters; Apple allows at most 256/ }).waitFor();
  await magic.fill('com.example.stagebench.lab');
  await magicHelp.waitFor({ state: 'detached' });
  await editor.getByText(/26\/256 characters/).waitFor();

  await page.getByTestId('certificates-card').evaluate((el: ScrollEl) => el.scrollIntoView({ block: 'start' }));
  await page.locator('main').evaluate((el: ScrollEl) => el.scrollBy(0, -100));
  await bench.harness.screenshot('enrollment-certificates', { fullPage: false });

  // The same certificate again is not added twice.
  await anchors.locator('input[name="anchorCerts-file"]').setInputFiles({ name: 'anchor-again.pem', mimeType: 'application/x-pem-file', buffer: anchorPem });
  await anchors.getByText(/already in the list/).waitFor();
  assert.equal(await anchors.getByTestId('cert-item').count(), 1);

  await editor.getByTestId('save-profile').click();
  await toast(/“Lab iPads” saved/).waitFor();
  const summary = bench.services.dep.profiles.list().find((p) => p.name === 'Lab iPads');
  assert.ok(summary, 'profile saved');
  const stored = bench.services.dep.profiles.get(summary.id);
  assert.deepEqual(stored.apple.anchor_certs, [anchorDer.toString('base64')]);
  assert.deepEqual(stored.apple.supervising_host_certs, [hostDer.toString('base64')]);
  assert.equal(stored.apple.org_magic, 'com.example.stagebench.lab');
});

test('reopened profile lists its stored certificates; removing one drops it from the Apple JSON', async () => {
  await page.getByTestId('dep-profile-row').filter({ hasText: 'Lab iPads' }).getByRole('button', { name: 'Lab iPads', exact: true }).click();
  const editor = page.getByTestId('profile-editor');
  const hosts = editor.getByTestId('cert-list-supervisingHostCerts');
  await editor.getByTestId('cert-list-anchorCerts').getByTestId('cert-subject').filter({ hasText: 'Bench Anchor Root CA' }).waitFor();
  await hosts.getByTestId('cert-subject').filter({ hasText: 'Bench Supervising Host' }).waitFor();
  assert.equal(await editor.getByLabel('Organization magic').inputValue(), 'com.example.stagebench.lab');

  await hosts.getByRole('button', { name: 'Remove /CN=Bench Supervising Host' }).click();
  await hosts.getByText('No certificates').waitFor();
  await editor.getByTestId('save-profile').click();
  await toast(/“Lab iPads” saved/).waitFor();
  const summary = bench.services.dep.profiles.list().find((p) => p.name === 'Lab iPads')!;
  const stored = bench.services.dep.profiles.get(summary.id);
  assert.deepEqual(stored.apple.anchor_certs, [anchorDer.toString('base64')]);
  assert.equal(stored.apple.supervising_host_certs, undefined);
  assert.deepEqual(bench.harness.problems, []);
});
