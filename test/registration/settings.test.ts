import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistrationInputError } from '../../main/registration';
import { listAudit } from '../../main/store';
import { fixture } from './helpers';

function rejects(fn: () => unknown, field: string, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof RegistrationInputError && err.field === field && pattern.test(err.message) && err.exitCode === 2);
}

test('defaults follow the Device Registration page: 240-minute silent limit, PIN required, server not set', () => {
  const { reg } = fixture();
  const s = reg.settings.get();
  assert.equal(s.silentInAppMinutes, 240);
  assert.equal(s.pinLength, 6);
  assert.equal(s.inAppRequirement, 'user-and-pin');
  assert.equal(s.serverUrl, null);
  assert.equal(reg.settings.registrationUrl(), null);
  assert.equal(reg.settings.invitationNeedsPin(), true);
});

test('PIN length is a whole number 4–12 and PIN lifetime 1–4320 hours', () => {
  const { reg } = fixture();
  for (const n of [4, 12]) assert.equal(reg.settings.set({ pinLength: n }).pinLength, n);
  for (const bad of [3, 13, 6.5, Number.NaN]) rejects(() => reg.settings.set({ pinLength: bad }), 'pinLength', /4 to 12/);
  assert.equal(reg.settings.set({ pinLifetimeHours: 4320 }).pinLifetimeHours, 4320);
  for (const bad of [0, 4321, 1.5]) rejects(() => reg.settings.set({ pinLifetimeHours: bad }), 'pinLifetimeHours', /1 to 4320/);
  assert.equal(reg.settings.get().pinLength, 12, 'a rejected change leaves the settings alone');
});

test('requirements take the four Ivanti values; silent in-app time limit 1–10080 minutes', () => {
  const { reg } = fixture();
  for (const r of ['password', 'pin', 'password-and-pin', 'user-and-pin'] as const) {
    assert.equal(reg.settings.set({ inAppRequirement: r, webRequirement: r }).webRequirement, r);
  }
  rejects(() => reg.settings.set({ inAppRequirement: 'token' as never }), 'inAppRequirement', /password, pin, password-and-pin, user-and-pin/);
  rejects(() => reg.settings.set({ webRequirement: 'Password' as never }), 'webRequirement', /one of/);
  assert.equal(reg.settings.set({ silentInAppOnly: true, silentInAppMinutes: 30 }).silentInAppMinutes, 30);
  rejects(() => reg.settings.set({ silentInAppMinutes: 0 }), 'silentInAppMinutes', /1 to 10080/);
  rejects(() => reg.settings.set({ serverNameLookup: 'yes' as never }), 'serverNameLookup', /on or off/);
  rejects(() => reg.settings.set({ bogus: 1 } as never), 'bogus', /not a registration setting/);
});

test('a registration PIN is issued when a requirement asks for one; SAML replaces the web PIN', () => {
  const { reg } = fixture();
  reg.settings.set({ inAppRequirement: 'password', webRequirement: 'password' });
  assert.equal(reg.settings.invitationNeedsPin(), false);
  reg.settings.set({ webRequirement: 'password-and-pin' });
  assert.equal(reg.settings.invitationNeedsPin(), true);
  reg.settings.set({ samlWebRegistration: true });
  assert.equal(reg.settings.invitationNeedsPin(), false, 'with SAML-based web registration the IdP authenticates, not a PIN');
  reg.settings.set({ inAppRequirement: 'user-and-pin' });
  assert.equal(reg.settings.invitationNeedsPin(), true);
});

test('server URL: https origin only; registration URL style EPMM /go, Neurons /ireg, custom', () => {
  const { reg } = fixture();
  assert.equal(reg.settings.set({ serverUrl: 'mdm.example.com' }).serverUrl, 'https://mdm.example.com');
  assert.equal(reg.settings.registrationUrl(), 'https://mdm.example.com/go');
  reg.settings.set({ serverUrl: 'https://Tenant.Example.com:8443/' });
  assert.equal(reg.settings.get().serverUrl, 'https://tenant.example.com:8443');
  reg.settings.set({ registrationUrlStyle: 'neurons' });
  assert.equal(reg.settings.registrationUrl(), 'https://tenant.example.com:8443/ireg/index.html');
  rejects(() => reg.settings.set({ serverUrl: 'http://mdm.example.com' }), 'serverUrl', /https/);
  rejects(() => reg.settings.set({ serverUrl: 'https://mdm.example.com/go' }), 'serverUrl', /server address only/);
  rejects(() => reg.settings.set({ serverUrl: 'https://admin:pw@mdm.example.com' }), 'serverUrl', /user name or password/);
  rejects(() => reg.settings.set({ registrationUrlStyle: 'custom' }), 'customRegistrationUrl', /needs customRegistrationUrl/);
  rejects(() => reg.settings.set({ registrationUrlStyle: 'custom', customRegistrationUrl: 'http://x.example.com/reg' }), 'customRegistrationUrl', /https/);
  reg.settings.set({ registrationUrlStyle: 'custom', customRegistrationUrl: 'https://enroll.example.com/start' });
  assert.equal(reg.settings.registrationUrl(), 'https://enroll.example.com/start');
  rejects(() => reg.settings.set({ defaultLanguage: 'es' as never }), 'defaultLanguage', /en, de, fr/);
});

test('changes are audited with old → new values; an unchanged set writes nothing', () => {
  const { reg, db } = fixture();
  reg.settings.set({ pinLength: 8, serverNameLookup: true });
  reg.settings.set({ pinLength: 8 });
  const rows = listAudit(db, { actionPrefix: 'registration.settings' });
  assert.equal(rows.length, 1);
  assert.match(rows[0].detail, /pinLength: 6 → 8/);
  assert.match(rows[0].detail, /serverNameLookup: false → true/);
  assert.equal(rows[0].actor, 'test:admin');
});
