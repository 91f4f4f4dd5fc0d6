/**
 * The dispatcher over the real application services (temporary data dir, passphrase secret box,
 * an openssl-made PKCS#12): transport conversions (base64, dates) and error envelopes as the
 * renderer sees them — including that a wrong p12 password never appears in the error text.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppServices, type AppServices } from '../../main/app/services';
import { createDispatcher, type Dispatch } from '../../main/ipc/dispatch';
import type { ChannelOutput, EventName } from '../../main/ipc/contract';
import { openKeyring, passphraseWrapper } from '../../main/secrets';
import { makeTestPki, type TestPki } from '../support/pki';

let tmp: string;
let services: AppServices;
let dispatch: Dispatch;
let pki: TestPki;
const emitted: EventName[] = [];

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stagebench-ipc-'));
  pki = makeTestPki(path.join(tmp, 'pki'), { keyType: 'rsa', p12Password: 'p12-secret-for-ipc' });
  const dataDir = path.join(tmp, 'data');
  services = createAppServices({ dataDir, secretBox: openKeyring(dataDir, [passphraseWrapper('ipc test passphrase')]), actor: 'test', usbmuxAddress: '127.0.0.1:1' });
  dispatch = createDispatcher(services, { version: '9.9.9', usbmuxAddress: '127.0.0.1:1', emit: (e) => emitted.push(e) });
});

after(() => {
  services?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function ok<T>(channel: string, args?: unknown): Promise<T> {
  const res = await dispatch(channel, args);
  assert.ok(res.ok, `${channel} failed: ${JSON.stringify(res)}`);
  return res.value as T;
}

test('app:info reports version, data dir and usbmuxd address', async () => {
  const info = await ok<ChannelOutput<'app:info'>>('app:info');
  assert.deepEqual(info, { name: 'StageBench', version: '9.9.9', dataDir: path.join(tmp, 'data'), usbmuxdAddress: '127.0.0.1:1' });
});

test('identities:import: wrong password → envelope without the password; right one → row without key material', async () => {
  const p12Base64 = fs.readFileSync(pki.p12Path).toString('base64');
  const bad = await dispatch('identities:import', { p12Base64, password: 'wrong-password-xyz', label: 'Lab' });
  assert.ok(!bad.ok);
  assert.match(bad.error.message, /password/i);
  assert.doesNotMatch(JSON.stringify(bad), /wrong-password-xyz|p12-secret-for-ipc|\n\s+at /);

  const row = await ok<ChannelOutput<'identities:import'>>('identities:import', { p12Base64, password: pki.p12Password, label: 'Lab signer' });
  assert.equal(row.label, 'Lab signer');
  assert.match(row.subject, /StageBench Test Profile Signer/);
  assert.doesNotMatch(JSON.stringify(row), /PRIVATE|BEGIN/);
  assert.deepEqual((await ok<ChannelOutput<'identities:list'>>('identities:list')).map((i) => i.id), [row.id]);
});

test('profiles: build (issues, then saved), sign, get, export, verify through the envelope', async () => {
  const spec = {
    name: 'IPC enrollment',
    identifier: 'com.example.ipc.enroll',
    os: 'ios',
    serverUrl: 'http://mdm.example.com/mdm',
    topic: 'com.apple.mgmt.External.ipc',
    scep: { url: 'https://mdm.example.com/scep', keysize: 2048, challenge: 'scep-secret' },
    anchors: [{ filename: 'root.pem', base64: Buffer.from(pki.rootPem).toString('base64') }],
    removalDate: '2031-01-31',
  };
  const invalid = await ok<ChannelOutput<'profiles:build'>>('profiles:build', spec);
  assert.equal(invalid.profile, null);
  assert.ok(invalid.issues.some((i) => i.payloadType === 'com.apple.mdm' && i.key === 'ServerURL' && i.severity === 'error'));

  const built = await ok<ChannelOutput<'profiles:build'>>('profiles:build', { ...spec, serverUrl: 'https://mdm.example.com/mdm' });
  assert.ok(built.profile);
  assert.match(built.xml, /<key>RemovalDate<\/key>\s*<date>2031-01-31T00:00:00Z<\/date>/);
  assert.match(built.xml, /com\.apple\.security\.root/);

  const identity = (await ok<ChannelOutput<'identities:list'>>('identities:list'))[0];
  const signed = await ok<ChannelOutput<'profiles:sign'>>('profiles:sign', { profileId: built.profile.id, identityId: identity.id });
  assert.equal(signed.signed, true);
  const again = await dispatch('profiles:sign', { profileId: signed.id, identityId: identity.id });
  assert.ok(!again.ok);
  assert.match(again.error.message, /already signed/);

  const got = await ok<ChannelOutput<'profiles:get'>>('profiles:get', { id: signed.id });
  assert.equal(got.profile.id, signed.id);
  assert.match(got.xml, /^<\?xml/);

  const file = await ok<ChannelOutput<'profiles:export'>>('profiles:export', { id: signed.id });
  assert.equal(file.mimeType, 'application/x-apple-aspen-config');
  assert.match(file.filename, /\.signed\.mobileconfig$/);
  assert.equal(Buffer.from(file.base64, 'base64')[0], 0x30);

  const verified = await ok<ChannelOutput<'profiles:verify'>>('profiles:verify', { bytesBase64: file.base64, caPem: pki.rootPem });
  assert.equal(verified.valid, true);
  assert.equal(verified.caChecked, true);
  assert.equal(verified.identifier, 'com.example.ipc.enroll');
  assert.match(verified.signingTime ?? '', /^\d{4}-\d\d-\d\dT/);
  const otherCa = makeTestPki(path.join(tmp, 'other'), { keyType: 'ec' });
  const untrusted = await ok<ChannelOutput<'profiles:verify'>>('profiles:verify', { bytesBase64: file.base64, caPem: otherCa.rootPem });
  assert.equal(untrusted.valid, false);
  assert.ok(untrusted.problems.length > 0);
});

test('unknown ids and unreachable usbmuxd come back as envelopes', async () => {
  const missing = await dispatch('profiles:get', { id: 'no-such-profile' });
  assert.ok(!missing.ok);
  assert.match(missing.error.message, /no-such-profile/);
  const devices = await dispatch('devices:list', undefined);
  assert.ok(!devices.ok);
  assert.match(devices.error.message, /usbmuxd/i);
  assert.doesNotMatch(devices.error.message, /\n\s+at /);
  const stage = await dispatch('stage:run', { wifi: { ssid: 'Lab', password: 'wifi-secret-1', encryption: 'WPA2' }, enrollmentProfileId: 'nope' });
  assert.ok(!stage.ok);
  assert.doesNotMatch(stage.error.message, /wifi-secret-1/);
  assert.deepEqual(emitted, [], 'no progress events without a run');
});

test('dep:inspect-certificate: PEM bundle and DER → base64 DER with subject, expiry, SHA-256; a non-certificate → E_NOT_A_CERTIFICATE', async () => {
  const { X509Certificate } = await import('node:crypto');
  type Out = ChannelOutput<'dep:inspect-certificate'>;
  const bundle = `${pki.rootPem}\n${pki.intermediatePem}`;
  const pem = await ok<Out>('dep:inspect-certificate', { bytesBase64: Buffer.from(bundle).toString('base64'), fileName: 'chain.pem' });
  const root = new X509Certificate(pki.rootPem);
  assert.equal(pem.certificates.length, 2);
  assert.equal(pem.certificates[0].base64Der, root.raw.toString('base64'));
  assert.equal(pem.certificates[0].fingerprintSha256, root.fingerprint256);
  assert.match(pem.certificates[0].subject, /^\/.*CN=/);
  assert.equal(pem.certificates[0].notAfter, new Date(root.validTo).toISOString());
  assert.equal(pem.certificates[0].expired, false);

  const der = await ok<Out>('dep:inspect-certificate', { bytesBase64: root.raw.toString('base64') });
  assert.deepEqual(der.certificates, [pem.certificates[0]]);

  for (const [bytes, name, why] of [
    [Buffer.from('hello, not a certificate'), 'notes.txt', /"notes\.txt" is not a certificate/],
    [fs.readFileSync(pki.rootKeyPath), 'root.key', /"root\.key": PEM text holds no "BEGIN CERTIFICATE" block/],
    [Buffer.from([0x30, 0x03, 0x02, 0x01, 0x05]), 'junk.der', /"junk\.der" is not a certificate/],
  ] as const) {
    const res = await dispatch('dep:inspect-certificate', { bytesBase64: bytes.toString('base64'), fileName: name });
    assert.ok(!res.ok, name);
    assert.equal(res.error.code, 'E_NOT_A_CERTIFICATE', name);
    assert.match(res.error.message, why);
    assert.doesNotMatch(res.error.message, /PRIVATE KEY|\n\s+at /);
  }
});
