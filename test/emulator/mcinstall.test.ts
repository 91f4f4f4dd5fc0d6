/**
 * MCInstall on the emulator through a minimal in-test client (raw frames over TLS): signed and
 * tampered profiles (openssl cms, RSA and ECDSA), structural checks, replace-in-place, profile list,
 * removal in both identifier forms, cloud configuration, unknown requests, and the request log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { encodeBinaryPlist, encodeXmlPlist, type PlistDict } from '../../main/apple/wire';
import { startEmulator, type EmulatedDevice, type Emulator } from '../support/emulator';
import { LockdownTestClient, openService, type ServiceTestClient } from './helpers/lockdown-client';
import { makeSigner, signDer, type OpensslSigner } from './helpers/openssl-cms';
import { makePairRecord, type TestPairRecord } from './helpers/pair-record';

const MCINSTALL = 'com.apple.mobile.MCInstall';

function wifiProfile(displayName = 'Lab Wi-Fi'): PlistDict {
  return {
    PayloadType: 'Configuration', PayloadIdentifier: 'com.example.wifi', PayloadUUID: '6D1B3B5E-2D0A-4C2B-9C8A-1F0E6B0C1A01',
    PayloadVersion: 1, PayloadDisplayName: displayName, PayloadDescription: 'Joins the staging network',
    PayloadContent: [{
      PayloadType: 'com.apple.wifi.managed', PayloadIdentifier: 'com.example.wifi.payload', PayloadUUID: '6D1B3B5E-2D0A-4C2B-9C8A-1F0E6B0C1A02',
      PayloadVersion: 1, SSID_STR: 'staging', EncryptionType: 'WPA2', Password: 'not-a-real-secret', AutoJoin: true,
    }],
  };
}

function enrollmentProfile(identityRef = 'A0000000-0000-4000-8000-000000000002'): PlistDict {
  return {
    PayloadType: 'Configuration', PayloadIdentifier: 'com.example.mdm', PayloadUUID: 'A0000000-0000-4000-8000-000000000001',
    PayloadVersion: 1, PayloadDisplayName: 'MDM Enrollment', PayloadRemovalDisallowed: true,
    PayloadContent: [
      { PayloadType: 'com.apple.security.pkcs12', PayloadIdentifier: 'com.example.mdm.identity', PayloadUUID: 'A0000000-0000-4000-8000-000000000002', PayloadVersion: 1, PayloadContent: Buffer.from([1, 2, 3]) },
      {
        PayloadType: 'com.apple.mdm', PayloadIdentifier: 'com.example.mdm.payload', PayloadUUID: 'A0000000-0000-4000-8000-000000000003', PayloadVersion: 1,
        IdentityCertificateUUID: identityRef, ServerURL: 'https://mdm.example.com/mdm', CheckInURL: 'https://mdm.example.com/checkin',
        Topic: 'com.apple.mgmt.External.0000', AccessRights: 8191, SignMessage: true,
      },
    ],
  };
}

describe('emulated MCInstall', () => {
  let emu: Emulator;
  let device: EmulatedDevice;
  let rec: TestPairRecord;
  let svc: ServiceTestClient;
  let rsaSigner: OpensslSigner;
  let ecSigner: OpensslSigner;

  before(async () => {
    emu = await startEmulator({ devices: 1, kinds: ['iphone'], knobs: { cloudConfiguration: { IsSupervised: false, AllowPairing: true, SkipSetup: ['Location'] } } });
    device = emu.devices[0];
    const ld = await LockdownTestClient.open(emu.address, device.deviceId);
    const pem = Buffer.from((await ld.call({ Request: 'GetValue', Key: 'DevicePublicKey' })).Value as Uint8Array).toString();
    rec = makePairRecord(pem, { hash: 'sha1' });
    assert.equal((await ld.pair(rec)).Error, undefined);
    ld.close();
    svc = await openService(emu.address, device.deviceId, rec, MCINSTALL);
    rsaSigner = makeSigner('rsa');
    ecSigner = makeSigner('ec');
  });
  after(async () => {
    svc.close();
    rsaSigner.cleanup();
    ecSigner.cleanup();
    await emu.close();
  });

  it('greets, flushes and lists no profiles at first', async () => {
    assert.equal((await svc.call({ RequestType: 'HelloHostIdentifier' })).Status, 'Acknowledged');
    assert.equal((await svc.call({ RequestType: 'Flush' })).Status, 'Acknowledged');
    const list = await svc.call({ RequestType: 'GetProfileList' });
    assert.deepEqual(list, { Status: 'Acknowledged', OrderedIdentifiers: [], ProfileManifest: {}, ProfileMetadata: {} });
  });

  it('installs an RSA-signed Wi-Fi profile and an ECDSA-signed enrollment profile, in that order', async () => {
    const wifi = signDer(rsaSigner, encodeXmlPlist(wifiProfile()));
    assert.equal(wifi[0], 0x30);
    assert.deepEqual(await svc.call({ RequestType: 'InstallProfile', Payload: wifi }), { Status: 'Acknowledged' });
    const mdm = signDer(ecSigner, encodeXmlPlist(enrollmentProfile()));
    assert.deepEqual(await svc.call({ RequestType: 'InstallProfile', Payload: mdm }), { Status: 'Acknowledged' });
    assert.deepEqual(device.profiles.map((p) => [p.PayloadIdentifier, p.signed]), [['com.example.wifi', true], ['com.example.mdm', true]]);
    const installs = device.requestLog.filter((e) => e.request === 'InstallProfile').map((e) => e.detail.PayloadIdentifier);
    assert.deepEqual(installs, ['com.example.wifi', 'com.example.mdm']);
    const list = await svc.call({ RequestType: 'GetProfileList' });
    assert.deepEqual(list.OrderedIdentifiers, ['com.example.wifi', 'com.example.mdm']);
    assert.deepEqual((list.ProfileManifest as PlistDict)['com.example.wifi'], { Description: 'Lab Wi-Fi', IsActive: true });
    assert.deepEqual((list.ProfileMetadata as PlistDict)['com.example.mdm'], {
      PayloadDisplayName: 'MDM Enrollment', PayloadRemovalDisallowed: true, PayloadUUID: 'A0000000-0000-4000-8000-000000000001', PayloadVersion: 1,
    });
    assert.equal(((list.ProfileMetadata as PlistDict)['com.example.wifi'] as PlistDict).PayloadDescription, 'Joins the staging network');
  });

  it('refuses a tampered signed profile with MCProfileErrorDomain 1004 and keeps state', async () => {
    const signed = signDer(rsaSigner, encodeXmlPlist(wifiProfile('Tamper Me')));
    const at = signed.indexOf(Buffer.from('Tamper Me'));
    assert.ok(at > 0);
    const tampered = Buffer.from(signed);
    tampered.write('Tamper Us', at, 'latin1');
    const r = await svc.call({ RequestType: 'InstallProfile', Payload: tampered });
    assert.equal(r.Status, 'Error');
    const chain = r.ErrorChain as PlistDict[];
    assert.equal(chain[0].ErrorDomain, 'MCProfileErrorDomain');
    assert.equal(chain[0].ErrorCode, 1004);
    assert.match(String(chain[0].USEnglishDescription), /messageDigest/);
    assert.equal(typeof chain[0].LocalizedDescription, 'string');
    // A corrupted signature value (last bytes of the DER) also fails, after the digest check.
    const badSig = Buffer.from(signDer(rsaSigner, encodeXmlPlist(wifiProfile('Other'))));
    badSig[badSig.length - 5] ^= 0xff;
    const r2 = await svc.call({ RequestType: 'InstallProfile', Payload: badSig });
    assert.equal((r2.ErrorChain as PlistDict[])[0].ErrorCode, 1004);
    assert.match(String((r2.ErrorChain as PlistDict[])[0].USEnglishDescription), /signature does not verify/);
    assert.equal(device.profiles.length, 2);
    assert.equal(device.profiles[0].PayloadDisplayName, 'Lab Wi-Fi');
  });

  it('checks the structure: top level, payload keys, IdentityCertificateUUID reference', async () => {
    const cases: [PlistDict, string, number][] = [
      [{ ...wifiProfile(), PayloadType: 'com.apple.wifi.managed' }, 'MCProfileErrorDomain', 1000],
      [(() => { const p = wifiProfile(); delete p.PayloadUUID; return p; })(), 'MCProfileErrorDomain', 1002],
      [(() => { const p = wifiProfile(); delete p.PayloadContent; return p; })(), 'MCProfileErrorDomain', 1002],
      [{ ...wifiProfile(), PayloadVersion: 'one' }, 'MCProfileErrorDomain', 1003],
      [(() => { const p = wifiProfile(); delete ((p.PayloadContent as PlistDict[])[0]).PayloadVersion; return p; })(), 'MCPayloadErrorDomain', 2002],
      [enrollmentProfile('FFFFFFFF-0000-4000-8000-000000000000'), 'MCPayloadErrorDomain', 2004],
    ];
    for (const [profile, domain, code] of cases) {
      const r = await svc.call({ RequestType: 'InstallProfile', Payload: signDer(rsaSigner, encodeXmlPlist(profile)) });
      assert.equal(r.Status, 'Error', JSON.stringify(profile).slice(0, 80));
      const chain = r.ErrorChain as PlistDict[];
      const last = chain[chain.length - 1];
      assert.deepEqual([last.ErrorDomain, last.ErrorCode], [domain, code]);
    }
    const notPlist = await svc.call({ RequestType: 'InstallProfile', Payload: Buffer.from('hello') });
    assert.equal((notPlist.ErrorChain as PlistDict[])[0].ErrorCode, 1000);
    assert.equal((await svc.call({ RequestType: 'InstallProfile' })).Status, 'ErrorPayloadEmpty');
    assert.equal(device.profiles.length, 2);
  });

  it('replaces a profile with the same PayloadIdentifier in place; accepts unsigned XML and binary plists', async () => {
    const r = await svc.call({ RequestType: 'InstallProfile', Payload: encodeBinaryPlist(wifiProfile('Lab Wi-Fi v2')) });
    assert.equal(r.Status, 'Acknowledged');
    assert.deepEqual(device.profiles.map((p) => p.PayloadIdentifier), ['com.example.wifi', 'com.example.mdm']);
    assert.equal(device.profiles[0].PayloadDisplayName, 'Lab Wi-Fi v2');
    assert.equal(device.profiles[0].signed, false);
    const extra: PlistDict = { ...wifiProfile('Guest'), PayloadIdentifier: 'com.example.guest', PayloadUUID: 'B0000000-0000-4000-8000-000000000001' };
    (extra.PayloadContent as PlistDict[])[0] = { ...(extra.PayloadContent as PlistDict[])[0], PayloadUUID: 'B0000000-0000-4000-8000-000000000002' };
    assert.equal((await svc.call({ RequestType: 'InstallProfile', Payload: encodeXmlPlist(extra) })).Status, 'Acknowledged');
    const list = await svc.call({ RequestType: 'GetProfileList' });
    assert.deepEqual(list.OrderedIdentifiers, ['com.example.wifi', 'com.example.mdm', 'com.example.guest']);
  });

  it('removes profiles by plain identifier and by binary-plist identifier data', async () => {
    assert.equal((await svc.call({ RequestType: 'RemoveProfile', ProfileIdentifier: 'com.example.guest' })).Status, 'Acknowledged');
    const meta = ((await svc.call({ RequestType: 'GetProfileList' })).ProfileMetadata as PlistDict)['com.example.wifi'] as PlistDict;
    const data = encodeBinaryPlist({ PayloadType: 'Configuration', PayloadIdentifier: 'com.example.wifi', PayloadUUID: meta.PayloadUUID, PayloadVersion: meta.PayloadVersion });
    assert.equal((await svc.call({ RequestType: 'RemoveProfile', ProfileIdentifier: data }, true)).Status, 'Acknowledged');
    assert.deepEqual(device.profiles.map((p) => p.PayloadIdentifier), ['com.example.mdm']);
    assert.deepEqual((await svc.call({ RequestType: 'GetProfileList' })).OrderedIdentifiers, ['com.example.mdm']);
  });

  it('returns the cloud configuration, refuses a second SetCloudConfiguration, and CommandFormatError for unknown requests', async () => {
    const cc = await svc.call({ RequestType: 'GetCloudConfiguration' });
    assert.equal(cc.Status, 'Acknowledged');
    assert.deepEqual(cc.CloudConfiguration, { IsSupervised: false, AllowPairing: true, SkipSetup: ['Location'] });
    const again = await svc.call({ RequestType: 'SetCloudConfiguration', CloudConfiguration: { AllowPairing: true } });
    assert.equal(again.Status, 'Error');
    assert.equal((again.ErrorChain as PlistDict[])[0].ErrorCode, 14002);
    assert.equal((await svc.call({ RequestType: 'Escalate', SupervisorCertificate: Buffer.from([0]) })).Status, 'CertificateRejected');
    assert.deepEqual(await svc.call({ RequestType: 'MakeCoffee' }), { Status: 'CommandFormatError' });
    const log = device.requestLog.filter((e) => e.service === MCINSTALL).map((e) => e.request);
    assert.equal(log[0], 'HelloHostIdentifier');
    assert.equal(log[log.length - 1], 'MakeCoffee');
  });

  it('a second service connection needs a new StartService (ports are one-shot)', async () => {
    const other = await openService(emu.address, device.deviceId, rec, MCINSTALL);
    try {
      assert.deepEqual((await other.call({ RequestType: 'GetProfileList' })).OrderedIdentifiers, ['com.example.mdm']);
    } finally {
      other.close();
    }
  });
});
