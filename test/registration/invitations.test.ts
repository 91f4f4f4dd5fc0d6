import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistrationInputError, RegistrationStateError } from '../../main/registration';
import { listAudit } from '../../main/store';
import { cacheBytes, decodeQr, fixture } from './helpers';

function setUp(pinLength = 8): ReturnType<typeof fixture> {
  const f = fixture();
  f.reg.settings.set({ serverUrl: 'https://mdm.example.com', pinLength, pinLifetimeHours: 24 });
  f.reg.users.add({ email: 'alice@example.com', firstName: 'Alice' });
  f.reg.users.add({ email: 'bob@example.com', firstName: 'Bob', language: 'de' });
  return f;
}

test('invite: PIN of the configured length shown once, stored only as a salted hash — not in the cache file or audit', async () => {
  const { reg, db, dir } = setUp(12);
  const { invitations } = await reg.invitations.invite(['alice@example.com', 'bob@example.com']);
  assert.equal(invitations.length, 2);
  for (const inv of invitations) {
    assert.match(inv.pin!, /^\d{12}$/);
    assert.equal(inv.registrationUrl, 'https://mdm.example.com/go');
    assert.equal(inv.pinExpiresAt, '2030-03-02T09:00:00.000Z', '24 h after the clock');
    assert.ok(inv.html.includes(inv.pin!), 'the invitation shows the PIN');
  }
  assert.equal(invitations[1].language, 'de', "default language is the user's");
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = cacheBytes(dir);
  const stored = db.prepare('SELECT pin_hash FROM registration_invitations').all() as { pin_hash: string }[];
  for (const inv of invitations) {
    assert.equal(bytes.indexOf(Buffer.from(inv.pin!)), -1, 'the clear PIN must not be anywhere in the cache files');
    assert.ok(stored.every((r) => !r.pin_hash.includes(inv.pin!)));
  }
  assert.equal(new Set(stored.map((r) => r.pin_hash.split('$')[4])).size, 2, 'each hash has its own salt');
  const audits = listAudit(db, { actionPrefix: 'registration.invitation.sent' });
  assert.equal(audits.length, 2);
  const allAudit = JSON.stringify(listAudit(db));
  for (const inv of invitations) assert.ok(!allAudit.includes(inv.pin!), 'no PIN in the audit trail');
  assert.deepEqual(reg.invitations.list().map((i) => [i.email, i.status, i.hasPin]).sort(), [['alice@example.com', 'sent', true], ['bob@example.com', 'sent', true]]);
  assert.ok(!JSON.stringify(reg.invitations.list()).includes(invitations[0].pin!), 'listing never shows the PIN');
});

test('verifyPin: single use; a used PIN cannot be reused; audited "PIN used"', async () => {
  const { reg, db } = setUp();
  const [inv] = (await reg.invitations.invite(['alice@example.com'])).invitations;
  const wrong = String((Number(inv.pin!.slice(-1)) + 1) % 10);
  assert.deepEqual(reg.verifyPin('alice@example.com', inv.pin!.slice(0, -1) + wrong), { ok: false, reason: 'mismatch', invitationId: inv.id });
  const ok = reg.verifyPin('ALICE@example.com', inv.pin!);
  assert.equal(ok.ok, true);
  assert.equal(reg.invitations.get(inv.id).status, 'used');
  assert.deepEqual(reg.verifyPin('alice@example.com', inv.pin!), { ok: false, reason: 'used', invitationId: inv.id });
  const used = listAudit(db, { actionPrefix: 'registration.pin.used' });
  assert.equal(used.length, 1);
  assert.match(used[0].detail, /^PIN used/);
  assert.equal(db.prepare('SELECT pin_hash FROM registration_invitations WHERE id = ?').pluck().get(inv.id), null, 'a closed invitation keeps no hash');
  await assert.rejects(reg.invitations.resend(inv.id), (e: unknown) => e instanceof RegistrationStateError && /already used/.test(e.message));
  assert.throws(() => reg.invitations.revoke(inv.id), RegistrationStateError);
  assert.deepEqual(reg.verifyPin('nobody@example.com', '1234'), { ok: false, reason: 'unknown-user' });
});

test('expiry follows the injected clock: an expired PIN is refused and audited "PIN expired"', async () => {
  const { reg, db, clock } = setUp();
  const [a, b] = (await reg.invitations.invite(['alice@example.com', 'bob@example.com'])).invitations;
  clock.advanceHours(23.99);
  assert.equal(reg.invitations.get(a.id).status, 'sent');
  clock.advanceHours(0.01);
  assert.deepEqual(reg.verifyPin('alice@example.com', a.pin!), { ok: false, reason: 'expired', invitationId: a.id });
  assert.deepEqual(reg.verifyPin('alice@example.com', a.pin!), { ok: false, reason: 'expired', invitationId: a.id });
  const listed = reg.invitations.list();
  assert.equal(listed.find((i) => i.id === b.id)!.status, 'expired', 'listing expires due PINs');
  const expired = listAudit(db, { actionPrefix: 'registration.pin.expired' });
  assert.equal(expired.length, 3);
  assert.ok(expired.every((e) => /^PIN expired/.test(e.detail)));
  // Resend gives a new PIN with a new lifetime; the old PIN stays dead.
  const [again] = (await reg.invitations.resend(a.id)).invitations;
  assert.notEqual(again.pin, a.pin);
  assert.equal(again.resendCount, 1);
  assert.equal(again.pinExpiresAt, new Date(clock.t + 24 * 3_600_000).toISOString());
  assert.deepEqual(reg.verifyPin('alice@example.com', a.pin!), { ok: false, reason: 'mismatch', invitationId: a.id });
  assert.equal(reg.verifyPin('alice@example.com', again.pin!).ok, true);
});

test('resend invalidates the old PIN; revoke stops the PIN; a new invitation supersedes the open one', async () => {
  const { reg, db } = setUp();
  const [first] = (await reg.invitations.invite(['bob@example.com'])).invitations;
  const [resent] = (await reg.invitations.resend(first.id)).invitations;
  assert.equal(resent.id, first.id);
  assert.notEqual(resent.pin, first.pin);
  assert.equal(listAudit(db, { actionPrefix: 'registration.invitation.resent' }).length, 1);
  assert.equal(reg.verifyPin('bob@example.com', first.pin!).ok, false);
  const revoked = reg.invitations.revoke(first.id);
  assert.equal(revoked.status, 'revoked');
  assert.deepEqual(reg.verifyPin('bob@example.com', resent.pin!), { ok: false, reason: 'revoked', invitationId: first.id });
  assert.equal(listAudit(db, { actionPrefix: 'registration.invitation.revoked' }).length, 1);
  await assert.rejects(reg.invitations.resend(first.id), /revoked; invite the user again/);

  const [one] = (await reg.invitations.invite(['alice@example.com'])).invitations;
  const [two] = (await reg.invitations.invite(['alice@example.com'])).invitations;
  assert.equal(reg.invitations.get(one.id).status, 'superseded');
  assert.equal(reg.verifyPin('alice@example.com', one.pin!).ok, false);
  assert.equal(reg.verifyPin('alice@example.com', two.pin!).ok, true);
  assert.throws(() => reg.invitations.revoke('no-such-id'), (e: unknown) => e instanceof RegistrationInputError && e.field === 'id');
});

test('wrong PINs lock the invitation after 5 tries; resend unlocks with a new PIN', async () => {
  const { reg } = setUp(4);
  const [inv] = (await reg.invitations.invite(['alice@example.com'])).invitations;
  const wrong = inv.pin === '0000' ? '1111' : '0000';
  for (let i = 1; i <= 4; i++) assert.equal((reg.verifyPin('alice@example.com', wrong) as { reason: string }).reason, 'mismatch');
  assert.equal((reg.verifyPin('alice@example.com', wrong) as { reason: string }).reason, 'locked');
  assert.equal((reg.verifyPin('alice@example.com', inv.pin!) as { reason: string }).reason, 'locked', 'even the right PIN is refused once locked');
  const [fresh] = (await reg.invitations.resend(inv.id)).invitations;
  assert.equal(reg.verifyPin('alice@example.com', fresh.pin!).ok, true);
});

test('invite validates everything first: unknown user, no User Portal role, Apple TV, no server URL — nothing written', async () => {
  const f = fixture();
  f.reg.users.add({ email: 'alice@example.com' });
  await assert.rejects(f.reg.invitations.invite(['alice@example.com']), (e: unknown) => e instanceof RegistrationInputError && e.field === 'serverUrl');
  f.reg.settings.set({ serverUrl: 'https://mdm.example.com' });
  await assert.rejects(f.reg.invitations.invite(['alice@example.com', 'ghost@example.com']), (e: unknown) => e instanceof RegistrationInputError && e.field === 'user' && /ghost@example.com/.test(e.message));
  f.reg.users.add({ email: 'norole@example.com', role: 'none' });
  await assert.rejects(f.reg.invitations.invite(['alice@example.com', 'norole@example.com']), /no User Portal role/);
  await assert.rejects(f.reg.invitations.invite(['alice@example.com'], { platform: 'tvos' }), (e: unknown) => e instanceof RegistrationInputError && e.field === 'platform' && /Apple Configurator/.test(e.message));
  await assert.rejects(f.reg.invitations.invite(['alice@example.com'], { language: 'it' }), (e: unknown) => e instanceof RegistrationInputError && e.field === 'language');
  assert.equal(f.db.prepare('SELECT COUNT(*) FROM registration_invitations').pluck().get(), 0);
  assert.equal(listAudit(f.db, { actionPrefix: 'registration.invitation' }).length, 0);
});

test('settings decide PIN, mirp link and what the user enters (Server Name Lookup)', async () => {
  const { reg } = setUp(6);
  // In-app requirement with PIN, iOS: mirp link with percent-encoded user and PIN.
  const [ios] = (await reg.invitations.invite(['alice@example.com'])).invitations;
  assert.equal(ios.mirpUrl, `mirp://mdm.example.com?user=alice%40example.com&pin=${ios.pin}`);
  assert.equal(decodeQr(ios.mirpQr!), ios.mirpUrl);
  assert.equal(decodeQr(ios.registrationQr), 'https://mdm.example.com/go');
  assert.equal(ios.serverEntry, 'https://mdm.example.com');
  assert.match(ios.html, /server URL <strong>https:\/\/mdm\.example\.com<\/strong>/);
  // macOS registers on the web: no mirp link.
  const [mac] = (await reg.invitations.invite(['bob@example.com'], { platform: 'macos' })).invitations;
  assert.equal(mac.mirpUrl, null);
  assert.ok(mac.pin);
  // Server Name Lookup on: the invitation asks for the email domain.
  reg.settings.set({ serverNameLookup: true, registrationUrlStyle: 'neurons' });
  const [snl] = (await reg.invitations.invite(['alice@example.com'], { language: 'en' })).invitations;
  assert.equal(snl.serverEntry, 'example.com');
  assert.match(snl.html, /email domain <strong>example\.com<\/strong>/);
  assert.doesNotMatch(snl.html, /Server URL/);
  assert.equal(decodeQr(snl.registrationQr), 'https://mdm.example.com/ireg/index.html');
  // Password only: no PIN at all, nothing to verify.
  reg.settings.set({ inAppRequirement: 'password', webRequirement: 'password' });
  const [nopin] = (await reg.invitations.invite(['alice@example.com'])).invitations;
  assert.equal(nopin.pin, null);
  assert.equal(nopin.mirpUrl, null);
  assert.equal(nopin.hasPin, false);
  assert.doesNotMatch(nopin.html, /Registration PIN/);
  assert.deepEqual(reg.verifyPin('alice@example.com', '123456'), { ok: false, reason: 'no-pin', invitationId: nopin.id });
  // Web requirement asks for the PIN but in-app does not: PIN issued, no mirp link.
  reg.settings.set({ webRequirement: 'user-and-pin' });
  const [webpin] = (await reg.invitations.invite(['alice@example.com'])).invitations;
  assert.ok(webpin.pin);
  assert.equal(webpin.mirpUrl, null);
});
