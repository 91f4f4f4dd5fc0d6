import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, mirpUrl, qrPng, RegistrationInputError, renderTemplate, validateTemplate, PLACEHOLDERS, SECTION_FLAGS } from '../../main/registration';
import { decodeQr, fixture } from './helpers';

test('QR round trip: PNG from qrcode decodes (jsQR) to the exact text, including a percent-encoded mirp link', async () => {
  const link = mirpUrl('mdm.example.com:8443', 'o\'brien+test@example.com', '0042');
  assert.equal(link, 'mirp://mdm.example.com:8443?user=o\'brien%2Btest%40example.com&pin=0042');
  const parsed = new URL(link);
  assert.equal(parsed.searchParams.get('user'), 'o\'brien+test@example.com');
  assert.equal(parsed.searchParams.get('pin'), '0042');
  for (const text of ['https://mdm.example.com/go', link, 'https://tenant.example.com/ireg/index.html']) {
    const png = await qrPng(text);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(decodeQr(png), text);
  }
});

test('template values are HTML-escaped: a user named <script>alert(1)</script> renders as text', async () => {
  const { reg } = fixture();
  reg.settings.set({ serverUrl: 'https://mdm.example.com' });
  reg.users.add({ email: 'x@example.com', firstName: '<script>alert(1)</script>', lastName: '"><img src=x onerror=alert(2)>' });
  const [inv] = (await reg.invitations.invite(['x@example.com'])).invitations;
  assert.ok(!inv.html.includes('<script>alert(1)</script>'));
  assert.ok(inv.html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(!inv.html.includes('<img src=x'));
  assert.ok(inv.html.includes('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;'));
  assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  // One pass: a value that looks like a placeholder is not expanded.
  const ctx = {
    values: Object.fromEntries(Object.keys(PLACEHOLDERS).map((k) => [k, ''])) as Record<keyof typeof PLACEHOLDERS, string>,
    flags: Object.fromEntries(Object.keys(SECTION_FLAGS).map((k) => [k, false])) as Record<keyof typeof SECTION_FLAGS, boolean>,
  };
  ctx.values.USER_NAME = '$PASSCODE$';
  ctx.values.PASSCODE = '999999';
  assert.equal(renderTemplate('<p>$USER_NAME$</p>', ctx), '<p>$PASSCODE$</p>');
});

test('sections follow flags, nest, and invert', () => {
  const values = Object.fromEntries(Object.keys(PLACEHOLDERS).map((k) => [k, k.toLowerCase()])) as Record<keyof typeof PLACEHOLDERS, string>;
  const flags = Object.fromEntries(Object.keys(SECTION_FLAGS).map((k) => [k, false])) as Record<keyof typeof SECTION_FLAGS, boolean>;
  const tpl = 'A<!--if:PASSCODE-->[pin $PASSCODE$<!--if:MIRP-->+mirp<!--end:MIRP-->]<!--end:PASSCODE--><!--if:!PASSCODE-->[no pin]<!--end:!PASSCODE-->Z';
  validateTemplate(tpl);
  assert.equal(renderTemplate(tpl, { values, flags }), 'A[no pin]Z');
  assert.equal(renderTemplate(tpl, { values, flags: { ...flags, PASSCODE: true } }), 'A[pin passcode]Z');
  assert.equal(renderTemplate(tpl, { values, flags: { ...flags, PASSCODE: true, MIRP: true } }), 'A[pin passcode+mirp]Z');
});

test('template validation names the problem', () => {
  const bad: [string, RegExp][] = [
    ['<p>$PASSWORD$</p>', /unknown placeholder \$PASSWORD\$/],
    ['<!--if:PASSCODE-->x', /section PASSCODE is not closed/],
    ['<!--if:PASSCODE-->x<!--end:MIRP-->', /does not close/],
    ['<!--if:FOO-->x<!--end:FOO-->', /unknown section/],
    ['<script>alert(1)</script>', /scripts are not allowed/],
    ['<img src="$QR_IMAGE$" onload="x()">', /event handlers/],
    ['<img src="https://api.qrserver.com/v1/create-qr-code/?data=$PASSCODE$">', /must not load from the network/],
    ['<a href="javascript:alert(1)">x</a>', /javascript:/],
    ['<html><body>x</body></html>', /remove <html>/],
  ];
  for (const [tpl, msg] of bad) {
    assert.throws(() => validateTemplate(tpl), (e: unknown) => e instanceof RegistrationInputError && e.field === 'template' && msg.test(e.message), tpl);
  }
});

test('shipped templates en, de, fr are valid, translated, and carry every required placeholder', async () => {
  const { reg } = fixture();
  reg.settings.set({ serverUrl: 'https://mdm.example.com' });
  const words = { en: 'Registration PIN', de: 'Registrierungs-PIN', fr: 'Code PIN d’enregistrement' };
  for (const lang of ['en', 'de', 'fr'] as const) {
    const t = reg.templates.get(lang);
    assert.equal(t.custom, false);
    validateTemplate(t.html);
    for (const p of ['$SERVER_URL$', '$USER_ID$', '$PASSCODE$', '$PASSCODE_TTL$', '$QR_IMAGE$']) assert.ok(t.html.includes(p), `${lang} lacks ${p}`);
    const html = await reg.templates.preview(lang);
    assert.ok(html.includes(words[lang]), `${lang} preview`);
    assert.ok(html.includes('alex.example@example.com'));
    assert.match(html, new RegExp(`<html lang="${lang}">`));
    assert.match(html, /Content-Security-Policy/);
  }
});

test('admin templates: saved per language after validation, previewed live, reset to the shipped one', async () => {
  const { reg } = fixture();
  const custom = '<h1>Hi $USER_NAME$</h1><!--if:PASSCODE--><p>PIN $PASSCODE$ for $PASSCODE_TTL$ h</p><!--end:PASSCODE--><img src="$QR_IMAGE$">';
  assert.throws(() => reg.templates.save('de', '<p>$NOPE$</p>'), /unknown placeholder/);
  assert.equal(reg.templates.get('de').custom, false, 'a rejected template is not stored');
  reg.templates.save('de', custom);
  assert.equal(reg.templates.get('de').custom, true);
  const html = await reg.templates.preview('de');
  assert.match(html, /<h1>Hi Alex Example<\/h1><p>PIN 123456 for 72 h<\/p>/);
  const img = /<img src="(data:image\/png;base64,[^"]+)">/.exec(html)![1];
  assert.equal(decodeQr(img), 'https://mdm.example.com/go');
  const unsaved = await reg.templates.preview('fr', '<p>$USER_ID$</p>');
  assert.match(unsaved, /<p>alex\.example@example\.com<\/p>/);
  reg.templates.reset('de');
  assert.equal(reg.templates.get('de').custom, false);
});
