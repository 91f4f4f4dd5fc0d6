// MCInstall reply parsing: ErrorChain / special statuses → MCInstallError, GetProfileList typing
// (../shared/reference/device-protocols.md §3.1, §3.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MCInstallError, parseErrorChain, parseProfileList } from '../../main/apple/mcinstall';
import { MalformedMessageError } from '../../main/apple/wire';

test('Status Error with an ErrorChain gives domain, code and LocalizedDescription of the first link', () => {
  const chain = parseErrorChain([
    { ErrorDomain: 'MCInstallationErrorDomain', ErrorCode: 4001, LocalizedDescription: 'Profile Installation Failed', USEnglishDescription: 'x' },
    { ErrorDomain: 'MCProfileErrorDomain', ErrorCode: 1009, LocalizedDescription: 'The profile is not valid.' },
    'junk',
  ]);
  assert.equal(chain.length, 2);
  const e = new MCInstallError('InstallProfile', 'Error', chain);
  assert.equal(e.domain, 'MCInstallationErrorDomain');
  assert.equal(e.code, 4001);
  assert.equal(e.description, 'Profile Installation Failed');
  assert.match(e.message, /InstallProfile failed: Profile Installation Failed \(MCInstallationErrorDomain 4001\); caused by The profile is not valid\. \(MCProfileErrorDomain 1009\)/);
});

test('known codes get an operator hint (14002 = erase first)', () => {
  const e = new MCInstallError('SetCloudConfiguration', 'Error', parseErrorChain([{ ErrorDomain: 'DMCTunnelErrorDomain', ErrorCode: 14002, LocalizedDescription: 'Already configured' }]));
  assert.match(e.message, /erase the device first/);
});

test('special statuses without ErrorChain are explained', () => {
  assert.match(new MCInstallError('Escalate', 'CertificateRejected').message, /SupervisorHostCertificates/);
  assert.match(new MCInstallError('InstallProfile', 'ErrorPayloadEmpty').message, /empty payload/);
  assert.match(new MCInstallError('X', 'CommandFormatError').message, /did not understand/);
  assert.match(new MCInstallError('X', 'Weird').message, /Weird: the device gave no ErrorChain/);
});

test('GetProfileList reply is typed; non-dictionary entries are dropped', () => {
  const l = parseProfileList({
    Status: 'Acknowledged',
    OrderedIdentifiers: ['a', 'b'],
    ProfileManifest: { a: { Description: 'A', IsActive: true }, b: 'junk' },
    ProfileMetadata: { a: { PayloadDisplayName: 'A', PayloadUUID: 'U', PayloadVersion: 1, PayloadRemovalDisallowed: false } },
  });
  assert.deepEqual(l.OrderedIdentifiers, ['a', 'b']);
  assert.equal(l.ProfileManifest.a.IsActive, true);
  assert.equal(l.ProfileManifest.b, undefined);
  assert.equal(l.ProfileMetadata.a.PayloadUUID, 'U');
  assert.equal(l.ProfileMetadata.a.PayloadVersion, 1);
  assert.deepEqual(parseProfileList({ Status: 'Acknowledged' }).OrderedIdentifiers, []);
  assert.throws(() => parseProfileList({ OrderedIdentifiers: [1] }), MalformedMessageError);
});
