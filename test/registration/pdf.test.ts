import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cropPng, decodeQr, fixture, HAVE_POPPLER, pdfPagePng, pdfPages, pdfPageText, tmpDir } from './helpers';

const NEEDS = 'poppler-utils (pdfinfo, pdftotext, pdftoppm) is needed to inspect PDFs: apt-get install poppler-utils';

test('invitation sheets: Chromium prints one A4 page per user with the PIN, user and a readable QR code', async () => {
  assert.ok(HAVE_POPPLER, NEEDS);
  const { reg, db } = fixture();
  reg.settings.set({ serverUrl: 'https://mdm.example.com', pinLength: 8 });
  const emails = ['ana@example.com', 'ben@example.com', 'chloe@example.com'];
  emails.forEach((email, i) => reg.users.add({ email, firstName: ['Ana', 'Ben', 'Chloé'][i], language: (['en', 'de', 'fr'] as const)[i] }));
  const { invitations, pdf } = await reg.invitations.invite(emails, { pdf: true });
  assert.ok(pdf);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const file = path.join(tmpDir(), 'sheets.pdf');
  fs.writeFileSync(file, pdf);
  assert.equal(pdfPages(file), 3);
  invitations.forEach((inv, i) => {
    const text = pdfPageText(file, i + 1);
    assert.ok(text.includes(inv.email), `page ${i + 1} names ${inv.email}`);
    assert.ok(text.includes(inv.pin!), `page ${i + 1} shows the PIN`);
    for (const other of invitations.filter((o) => o !== inv)) assert.ok(!text.includes(other.pin!), `page ${i + 1} shows only its own PIN`);
  });
  assert.match(pdfPageText(file, 2), /Registrierungs-PIN/);
  assert.match(pdfPageText(file, 3), /Code PIN d’enregistrement/);
  // Page 1 (iOS): registration URL QR on the left, mirp QR beside it.
  const page1 = pdfPagePng(file, 1);
  assert.equal(decodeQr(cropPng(page1, 0, 0.33)), invitations[0].registrationUrl);
  assert.equal(decodeQr(cropPng(page1, 0.33, 0.66)), invitations[0].mirpUrl);
  assert.equal(invitations[0].mirpUrl, `mirp://mdm.example.com?user=ana%40example.com&pin=${invitations[0].pin}`);
  assert.match(JSON.stringify(db.prepare("SELECT detail FROM audit_log WHERE action = 'registration.invitation.sent'").pluck().all()), /printed to PDF/);
});

test('a macOS resend prints one page whose only QR code is the registration URL; a failed print changes nothing', async () => {
  assert.ok(HAVE_POPPLER, NEEDS);
  const { reg, db } = fixture({ chromiumPath: '/nonexistent/chromium' });
  reg.settings.set({ serverUrl: 'https://mdm.example.com', registrationUrlStyle: 'neurons' });
  reg.users.add({ email: 'dana@example.com' });
  await assert.rejects(reg.invitations.invite(['dana@example.com'], { pdf: true, platform: 'macos' }), /Chromium .* not found .*STAGEBENCH_CHROMIUM/);
  assert.equal(db.prepare('SELECT COUNT(*) FROM registration_invitations').pluck().get(), 0, 'nothing written when printing fails');

  const ok = fixture();
  ok.reg.settings.set({ serverUrl: 'https://mdm.example.com', registrationUrlStyle: 'neurons' });
  ok.reg.users.add({ email: 'dana@example.com' });
  const [inv] = (await ok.reg.invitations.invite(['dana@example.com'], { platform: 'macos' })).invitations;
  const { invitations, pdf } = await ok.reg.invitations.resend(inv.id, { pdf: true });
  const file = path.join(tmpDir(), 'one.pdf');
  fs.writeFileSync(file, pdf!);
  assert.equal(pdfPages(file), 1);
  assert.equal(decodeQr(pdfPagePng(file, 1)), 'https://mdm.example.com/ireg/index.html');
  assert.ok(pdfPageText(file, 1).includes(invitations[0].pin!));
});
