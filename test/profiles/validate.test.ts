import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoErrors,
  buildEnrollmentProfile,
  buildTypedPlist,
  parseTypedPlistDict,
  PlistReal,
  ProfileValidationError,
  validateProfile,
  type TypedPlistDict,
  type ValidateOptions,
  type ValidationIssue,
} from '../../main/profiles';
import { baseSpec } from './helpers';

/** A fresh valid profile (deep copy via XML round trip) for mutation. */
function fresh(): TypedPlistDict {
  return parseTypedPlistDict(buildEnrollmentProfile(baseSpec()).xml);
}
const payload = (p: TypedPlistDict, type: string) => (p.PayloadContent as TypedPlistDict[]).find((x) => x.PayloadType === type)!;
const errors = (p: TypedPlistDict, o: ValidateOptions = { os: 'ios' }) => validateProfile(p, o).filter((i) => i.severity === 'error');

function expectIssue(issues: ValidationIssue[], rule: string, payloadType: string, key: string | undefined, message: RegExp): ValidationIssue {
  const hit = issues.find((i) => i.rule === rule && i.payloadType === payloadType && i.key === key);
  assert.ok(hit, `expected a ${rule} issue on ${payloadType} ${key ?? ''}; got ${JSON.stringify(issues, null, 1)}`);
  assert.match(hit.message, message);
  if (payloadType !== 'Configuration') assert.ok(hit.payloadIdentifier?.startsWith('com.example.enroll.'), 'issue names the PayloadIdentifier');
  return hit;
}

test('a built profile validates clean, also after an XML round trip', () => {
  assert.deepEqual(validateProfile(fresh(), { os: 'ios', minOsVersion: '16.0' }), []);
  assert.deepEqual(validateProfile(fresh(), { os: 'macos' }), []);
});

test('required: missing ServerURL is named on com.apple.mdm', () => {
  const p = fresh();
  delete payload(p, 'com.apple.mdm').ServerURL;
  expectIssue(errors(p), 'required', 'com.apple.mdm', 'ServerURL', /required key ServerURL is missing/);
});

test('required: nested SCEP PayloadContent.URL', () => {
  const p = fresh();
  delete (payload(p, 'com.apple.security.scep').PayloadContent as TypedPlistDict).URL;
  expectIssue(errors(p), 'required', 'com.apple.security.scep', 'PayloadContent.URL', /missing/);
});

test('type: DurationUntilRemoval as <integer> is rejected (must be <real>)', () => {
  const p = fresh();
  p.DurationUntilRemoval = 3600;
  expectIssue(errors(p), 'type', 'Configuration', 'DurationUntilRemoval', /must be <real> but is <integer>.*<real>3600<\/real>/);
  p.DurationUntilRemoval = new PlistReal(3600);
  assert.deepEqual(errors(p), []);
});

test('type: integer given as real, string as boolean, data and date checks', () => {
  const p = fresh();
  (payload(p, 'com.apple.security.scep').PayloadContent as TypedPlistDict).Keysize = new PlistReal(2048);
  payload(p, 'com.apple.mdm').SignMessage = 'yes';
  (payload(p, 'com.apple.security.scep').PayloadContent as TypedPlistDict).CAFingerprint = 'AB:CD';
  p.RemovalDate = '2030-01-01';
  const e = errors(p);
  expectIssue(e, 'type', 'com.apple.security.scep', 'PayloadContent.Keysize', /<integer> but is <real>/);
  expectIssue(e, 'type', 'com.apple.mdm', 'SignMessage', /<boolean> but is <string>/);
  expectIssue(e, 'type', 'com.apple.security.scep', 'PayloadContent.CAFingerprint', /<data> but is <string>/);
  expectIssue(e, 'type', 'Configuration', 'RemovalDate', /<date> but is <string>/);
});

test('rangelist: Keysize 3072 is not an allowed value', () => {
  const p = fresh();
  (payload(p, 'com.apple.security.scep').PayloadContent as TypedPlistDict).Keysize = 3072;
  expectIssue(errors(p), 'rangelist', 'com.apple.security.scep', 'PayloadContent.Keysize', /allowed values: 1024, 2048, 4096/);
});

test('rangelist on array items: unknown ServerCapabilities value', () => {
  const p = fresh();
  payload(p, 'com.apple.mdm').ServerCapabilities = ['com.apple.mdm.per-user-connections', 'com.apple.mdm.bogus'];
  expectIssue(errors(p), 'rangelist', 'com.apple.mdm', 'ServerCapabilities[1]', /com.apple.mdm.bogus/);
});

test('range: Wi-Fi ProxyServerPort above 65535', () => {
  const built = buildEnrollmentProfile(baseSpec({ wifi: { ssid: 'Lab' } }));
  const p = parseTypedPlistDict(built.xml);
  payload(p, 'com.apple.wifi.managed').ProxyServerPort = 70000;
  expectIssue(errors(p), 'range', 'com.apple.wifi.managed', 'ProxyServerPort', /between 0 and 65535/);
});

test('format: IdentityCertificateUUID must look like a UUID', () => {
  const p = fresh();
  payload(p, 'com.apple.mdm').IdentityCertificateUUID = 'not-a-uuid';
  const e = errors(p);
  expectIssue(e, 'format', 'com.apple.mdm', 'IdentityCertificateUUID', /does not match the required format/);
});

test('repetition: SCEP subject pairs need exactly two strings', () => {
  const p = fresh();
  (payload(p, 'com.apple.security.scep').PayloadContent as TypedPlistDict).Subject = [[['CN']]];
  expectIssue(errors(p), 'repetition', 'com.apple.security.scep', 'PayloadContent.Subject[0][0]', /needs 2/);
});

test('os-support: payload and key level, with minimum OS version', () => {
  const p = fresh();
  payload(p, 'com.apple.mdm').ManagedAppleID = 'user@example.com';
  expectIssue(errors(p, { os: 'ios', minOsVersion: '18.0' }), 'os-support', 'com.apple.mdm', 'ManagedAppleID', /removed in iOS 18.0/);
  expectIssue(errors(p, { os: 'tvos' }), 'os-support', 'com.apple.mdm', 'ManagedAppleID', /not supported on tvOS/);
  expectIssue(errors(p, { os: 'ios', minOsVersion: '12.0' }), 'os-support', 'com.apple.mdm', 'ManagedAppleID', /introduced in iOS 13.1/);
  // Payload level: ACME needs iOS 16.
  const acme = buildEnrollmentProfile(baseSpec({ scep: undefined, acme: { directoryUrl: 'https://a.example', clientIdentifier: 'c', subject: '/CN=x' }, minOsVersion: '15.0' }));
  expectIssue(acme.issues, 'os-support', 'com.apple.security.acme', undefined, /introduced in iOS 16.0/);
  // Top-level key: PayloadRemovalDisallowed is n/a on visionOS (TopLevel.yaml).
  const top = fresh();
  top.PayloadRemovalDisallowed = true;
  expectIssue(errors(top, { os: 'visionOS' }), 'os-support', 'Configuration', 'PayloadRemovalDisallowed', /not supported on visionOS/);
  assert.deepEqual(errors(top, { os: 'ios' }), []);
});

test('identity-ref: IdentityCertificateUUID must name an identity payload in the profile', () => {
  const p = fresh();
  payload(p, 'com.apple.mdm').IdentityCertificateUUID = '00000000-0000-0000-0000-000000000000';
  expectIssue(errors(p), 'identity-ref', 'com.apple.mdm', 'IdentityCertificateUUID', /names no payload in this profile/);
  const q = fresh();
  payload(q, 'com.apple.mdm').IdentityCertificateUUID = payload(q, 'com.apple.mdm').PayloadUUID;
  expectIssue(errors(q), 'identity-ref', 'com.apple.mdm', 'IdentityCertificateUUID', /com.apple.mdm payload, which holds no identity/);
});

test('topic: must start with com.apple.mgmt.', () => {
  const p = fresh();
  payload(p, 'com.apple.mdm').Topic = 'com.example.push';
  expectIssue(errors(p), 'topic', 'com.apple.mdm', 'Topic', /must start with "com.apple.mgmt."/);
});

test('https: ServerURL and CheckInURL', () => {
  const p = fresh();
  payload(p, 'com.apple.mdm').ServerURL = 'http://mdm.example.com/mdm';
  payload(p, 'com.apple.mdm').CheckInURL = 'https://';
  const e = errors(p);
  expectIssue(e, 'https', 'com.apple.mdm', 'ServerURL', /must be an https:\/\/ URL/);
  expectIssue(e, 'https', 'com.apple.mdm', 'CheckInURL', /https/);
  assert.equal(e.filter((i) => i.key === 'ServerURL').length, 1, 'no duplicate format issue');
});

test('access-rights: zero, 2 without 1, 128 without 64, above 8191', () => {
  const check = (v: number, re: RegExp) => {
    const p = fresh();
    payload(p, 'com.apple.mdm').AccessRights = v;
    expectIssue(errors(p), 'access-rights', 'com.apple.mdm', 'AccessRights', re);
  };
  check(0, /must not be 0/);
  check(2, /2 \(install\/remove profiles\) without 1/);
  check(1 | 128, /128 .* without 64/);
  check(16384, /outside 1–8191/);
  const ok = fresh();
  payload(ok, 'com.apple.mdm').AccessRights = 1 | 2 | 64 | 128;
  assert.deepEqual(errors(ok), []);
});

test('duplicate-uuid and duplicate-identifier across the profile', () => {
  const p = fresh();
  payload(p, 'com.apple.mdm').PayloadUUID = p.PayloadUUID;
  payload(p, 'com.apple.security.scep').PayloadIdentifier = 'com.example.enroll.mdm';
  const e = errors(p);
  expectIssue(e, 'duplicate-uuid', 'com.apple.mdm', 'PayloadUUID', /also used by the profile \(top level\)/);
  const dup = e.find((i) => i.rule === 'duplicate-identifier');
  assert.ok(dup && /com.example.enroll.mdm is also used by/.test(dup.message) && dup.key === 'PayloadIdentifier');
});

test('single-mdm: a second com.apple.mdm payload', () => {
  const p = fresh();
  const extra = { ...payload(p, 'com.apple.mdm'), PayloadUUID: '11111111-2222-3333-4444-555555555555', PayloadIdentifier: 'com.example.enroll.mdm2' };
  (p.PayloadContent as TypedPlistDict[]).push(extra);
  const hit = errors(p).find((i) => i.rule === 'single-mdm');
  assert.ok(hit);
  assert.equal(hit.payloadType, 'com.apple.mdm');
  assert.equal(hit.payloadIdentifier, 'com.example.enroll.mdm2');
});

test('unknown keys: near-miss names are errors with a suggestion, others warnings', () => {
  const p = fresh();
  const c = payload(p, 'com.apple.security.scep').PayloadContent as TypedPlistDict;
  c.KeyType = c['Key Type'];
  delete c['Key Type'];
  payload(p, 'com.apple.mdm').X_Custom = 'x';
  const all = validateProfile(p, { os: 'ios' });
  expectIssue(all, 'unknown-key', 'com.apple.security.scep', 'PayloadContent.KeyType', /did you mean "Key Type"/);
  const warn = all.find((i) => i.key === 'X_Custom');
  assert.equal(warn?.severity, 'warning');
});

test('unknown payload type and top-level PayloadType/PayloadVersion values', () => {
  const p = fresh();
  (p.PayloadContent as TypedPlistDict[]).push({ PayloadType: 'com.apple.nonexistent', PayloadVersion: 1, PayloadIdentifier: 'com.example.enroll.x', PayloadUUID: 'AAAAAAAA-0000-0000-0000-000000000000' });
  p.PayloadVersion = 2;
  const e = errors(p);
  expectIssue(e, 'unknown-payload', 'com.apple.nonexistent', 'PayloadType', /not in Apple's schema/);
  expectIssue(e, 'rangelist', 'Configuration', 'PayloadVersion', /allowed values: 1/);
});

test('ProfileValidationError carries the issues; assertNoErrors lets warnings pass', () => {
  const p = fresh();
  payload(p, 'com.apple.mdm').Topic = 'bad';
  const issues = validateProfile(p, { os: 'ios' });
  assert.throws(() => assertNoErrors(issues), (e: Error) => e instanceof ProfileValidationError && e.issues === issues && /com.apple.mdm com.example.enroll.mdm\] Topic/.test(e.message));
  assertNoErrors([{ severity: 'warning', rule: 'unknown-key', payloadType: 'com.apple.mdm', message: 'x' }]);
  // The builder reports rather than throws; validation also works on re-parsed XML.
  const b = buildEnrollmentProfile(baseSpec({ topic: 'wrong' }));
  expectIssue(b.issues, 'topic', 'com.apple.mdm', 'Topic', /com.apple.mgmt/);
  assert.ok(buildTypedPlist(b.profile).equals(b.xml));
});
