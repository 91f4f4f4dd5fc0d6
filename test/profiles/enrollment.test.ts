import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildEnrollmentProfile, buildWifiProfile, parseSubject, ProfileSpecError, PlistReal, stablePayloadUUID, type TypedPlistDict } from '../../main/profiles';
import { makeTestPki } from '../support/pki';
import { baseSpec } from './helpers';

const payloadsOf = (p: TypedPlistDict) => p.PayloadContent as TypedPlistDict[];
const byType = (p: TypedPlistDict, t: string) => payloadsOf(p).find((x) => x.PayloadType === t)!;

test('SCEP enrollment profile: MDM points at the SCEP payload, Apple key names with spaces', () => {
  const { profile, issues } = buildEnrollmentProfile(baseSpec({ serverCapabilities: ['com.apple.mdm.per-user-connections'] }));
  assert.deepEqual(issues, []);
  const scep = byType(profile, 'com.apple.security.scep');
  const mdm = byType(profile, 'com.apple.mdm');
  assert.equal(mdm.IdentityCertificateUUID, scep.PayloadUUID);
  assert.equal(mdm.AccessRights, 8191);
  assert.equal(mdm.SignMessage, true);
  assert.equal(mdm.CheckOutWhenRemoved, true);
  assert.deepEqual(mdm.ServerCapabilities, ['com.apple.mdm.per-user-connections']);
  const content = scep.PayloadContent as TypedPlistDict;
  assert.equal(content['Key Type'], 'RSA');
  assert.equal(content['Key Usage'], 5);
  assert.equal(content.Keysize, 2048);
  assert.equal(content.KeyType, undefined);
  assert.deepEqual(content.Subject, [[['O', 'Example Corp']], [['CN', '%SerialNumber%']]]);
  assert.equal(profile.PayloadIdentifier, 'com.example.enroll');
  assert.equal(mdm.PayloadIdentifier, 'com.example.enroll.mdm');
});

test('PayloadUUIDs are stable across rebuilds and differ between roles and profiles', () => {
  const a = buildEnrollmentProfile(baseSpec({ wifi: { ssid: 'Lab', password: 'password1' } }));
  const b = buildEnrollmentProfile(baseSpec({ wifi: { ssid: 'Lab', password: 'password1' }, challenge: undefined } as never));
  const uuids = (p: TypedPlistDict) => [p.PayloadUUID, ...payloadsOf(p).map((x) => x.PayloadUUID)];
  assert.deepEqual(uuids(a.profile), uuids(b.profile));
  assert.equal(new Set(uuids(a.profile)).size, uuids(a.profile).length);
  assert.ok(a.xml.equals(b.xml), 'same spec → identical XML');
  const other = buildEnrollmentProfile(baseSpec({ identifier: 'com.example.other' }));
  assert.notEqual(other.profile.PayloadUUID, a.profile.PayloadUUID);
  assert.equal(a.profile.PayloadUUID, stablePayloadUUID('com.example.enroll', 'profile'));
  assert.match(String(a.profile.PayloadUUID), /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
});

test('anchors, ACME, PKCS#12, Wi-Fi and expiry payloads', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-enroll-'));
  try {
    const pki = makeTestPki(dir, { keyType: 'ec' });
    const derRoot = Buffer.from(pki.rootPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const built = buildEnrollmentProfile(baseSpec({
      scep: undefined,
      acme: { directoryUrl: 'https://acme.example.com/directory', clientIdentifier: 'client-1', subject: '/CN=device' },
      anchors: [pki.rootPem + pki.intermediatePem, derRoot],
      wifi: { ssid: 'Staging Lab', password: 'supersecret', hidden: true },
      expiresInSeconds: 7200,
      removalDate: new Date('2032-01-01T00:00:00Z'),
    }));
    assert.deepEqual(built.issues, []);
    const roots = payloadsOf(built.profile).filter((p) => p.PayloadType === 'com.apple.security.root');
    assert.equal(roots.length, 2, 'duplicate root given as DER is de-duplicated');
    assert.ok((roots[0].PayloadContent as Buffer).equals(derRoot));
    const acme = byType(built.profile, 'com.apple.security.acme');
    assert.equal(acme.KeyType, 'ECSECPrimeRandom');
    assert.equal(acme.KeySize, 256);
    assert.equal(byType(built.profile, 'com.apple.mdm').IdentityCertificateUUID, acme.PayloadUUID);
    const wifi = byType(built.profile, 'com.apple.wifi.managed');
    assert.equal(wifi.SSID_STR, 'Staging Lab');
    assert.equal(wifi.EncryptionType, 'WPA2');
    assert.equal(wifi.HIDDEN_NETWORK, true);
    assert.equal(wifi.PayloadIdentifier, 'com.example.enroll.wifi.staging-lab');
    assert.ok(built.profile.DurationUntilRemoval instanceof PlistReal);

    const p12 = buildEnrollmentProfile(baseSpec({ scep: undefined, pkcs12: { p12: fs.readFileSync(pki.p12Path), password: pki.p12Password } }));
    assert.deepEqual(p12.issues, []);
    assert.equal(byType(p12.profile, 'com.apple.mdm').IdentityCertificateUUID, byType(p12.profile, 'com.apple.security.pkcs12').PayloadUUID);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('standalone Wi-Fi profile: <prefix>.wifi.<sanitised SSID>, only a wifi payload', () => {
  const w = buildWifiProfile({ prefix: 'com.example.staging', ssid: 'Büro WLAN #2', password: 'password!', encryption: 'WPA3' });
  assert.equal(w.identifier, 'com.example.staging.wifi.buro-wlan-2');
  assert.deepEqual(w.issues, []);
  assert.deepEqual(payloadsOf(w.profile).map((p) => p.PayloadType), ['com.apple.wifi.managed']);
  assert.equal(buildWifiProfile({ prefix: 'com.example.staging', ssid: 'Büro WLAN #2' }).uuid, w.uuid);
  assert.throws(() => buildWifiProfile({ prefix: 'com.example', ssid: '' }), ProfileSpecError);
  assert.throws(() => buildWifiProfile({ prefix: 'com.example', ssid: 'x', password: 'short', encryption: 'WPA2' }), /8–63/);
  assert.throws(() => buildWifiProfile({ prefix: 'not a prefix', ssid: 'x' }), /reverse-DNS/);
});

test('bad specs raise ProfileSpecError with what to do', () => {
  assert.throws(() => buildEnrollmentProfile(baseSpec({ scep: undefined })), /exactly one of SCEP/);
  assert.throws(() => buildEnrollmentProfile(baseSpec({ acme: { directoryUrl: 'https://a', clientIdentifier: 'c', subject: '/CN=x' } })), /several device identities/);
  assert.throws(() => buildEnrollmentProfile(baseSpec({ identifier: 'enroll' })), /reverse-DNS/);
  assert.throws(() => buildEnrollmentProfile(baseSpec({ anchors: ['not a cert'] })), (e: Error) => e instanceof ProfileSpecError && /anchor #1/.test(e.message));
  assert.throws(() => buildEnrollmentProfile(baseSpec({ expiresInSeconds: -5 })), /positive number of seconds/);
  assert.throws(() => buildEnrollmentProfile(baseSpec({ scep: { url: 'https://x', subject: 'CN=x' } })), /must start with "\/"/);
  assert.deepEqual(parseSubject('/CN=a\\/b+UID=7/O=Org'), [[['CN', 'a/b'], ['UID', '7']], [['O', 'Org']]]);
});
