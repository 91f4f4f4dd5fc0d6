// Pairing certificates and pair records (../shared/reference/device-protocols.md §2.4): root CA,
// host and device certificates over the device's PKCS#1 key; record parsing and log-safe summaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import {
  describePairRecord,
  DevicePublicKeyError,
  generatePairingCertificates,
  InvalidPairRecordError,
  LockdownError,
  pairRecordToPlist,
  parsePairRecord,
  pairRequestRecord,
  type PairRecord,
} from '../../main/apple/lockdown';
import { decodePlistDict, encodeXmlPlist } from '../../main/apple/wire';

const device = generateKeyPairSync('rsa', { modulusLength: 2048 });
const devicePkcs1 = device.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
const now = new Date('2025-01-01T00:00:00Z');
const certs = generatePairingCertificates(Buffer.from(devicePkcs1), now);

const SHA256_RSA = '1.2.840.113549.1.1.11';

test('DevicePublicKey in the captured form is PKCS#1 "RSA PUBLIC KEY" PEM', () => {
  assert.match(devicePkcs1, /^-----BEGIN RSA PUBLIC KEY-----/);
});

test('root is a self-signed CA: BasicConstraints critical CA:TRUE, empty DN, serial 0, SHA-256, 10 years', () => {
  const x = new X509Certificate(certs.RootCertificate);
  assert.equal(x.ca, true);
  assert.equal(x.subject ?? '', '');
  assert.equal(x.issuer ?? '', '');
  assert.equal(x.serialNumber.replace(/^0+/, ''), '');
  assert.ok(x.verify(x.publicKey));
  assert.equal(new Date(x.validFrom).getTime(), now.getTime());
  assert.equal((new Date(x.validTo).getTime() - now.getTime()) / 86_400_000, 3650);
  const f = forge.pki.certificateFromPem(certs.RootCertificate);
  assert.equal(f.subject.attributes.length, 0);
  assert.equal(f.issuer.attributes.length, 0);
  assert.equal(f.version, 2); // X.509 v3
  assert.equal(f.siginfo.algorithmOid, SHA256_RSA);
  const bc = f.getExtension('basicConstraints') as { critical: boolean; cA: boolean };
  assert.equal(bc.critical, true);
  assert.equal(bc.cA, true);
});

test('host certificate: signed by root, CA:FALSE critical, KeyUsage critical digitalSignature+keyEncipherment, matches HostPrivateKey', () => {
  const root = new X509Certificate(certs.RootCertificate);
  const host = new X509Certificate(certs.HostCertificate);
  assert.ok(host.verify(root.publicKey));
  assert.equal(host.ca, false);
  assert.ok(host.checkPrivateKey(createPrivateKey(certs.HostPrivateKey)));
  assert.ok(root.checkPrivateKey(createPrivateKey(certs.RootPrivateKey)));
  assert.match(certs.HostPrivateKey, /^-----BEGIN RSA PRIVATE KEY-----/);
  const f = forge.pki.certificateFromPem(certs.HostCertificate);
  assert.equal(f.siginfo.algorithmOid, SHA256_RSA);
  const ku = f.getExtension('keyUsage') as { critical: boolean; digitalSignature: boolean; keyEncipherment: boolean; keyCertSign?: boolean };
  assert.equal(ku.critical, true);
  assert.equal(ku.digitalSignature, true);
  assert.equal(ku.keyEncipherment, true);
  assert.ok(!ku.keyCertSign);
  assert.equal(f.getExtension('subjectKeyIdentifier'), null);
  assert.equal((f.getExtension('basicConstraints') as { critical: boolean }).critical, true);
});

test('device certificate carries exactly the device key, is signed by root and has a SubjectKeyIdentifier', () => {
  const root = new X509Certificate(certs.RootCertificate);
  const dev = new X509Certificate(certs.DeviceCertificate);
  assert.ok(dev.verify(root.publicKey));
  assert.ok(dev.publicKey.equals(device.publicKey));
  const f = forge.pki.certificateFromPem(certs.DeviceCertificate);
  assert.equal(f.siginfo.algorithmOid, SHA256_RSA);
  assert.ok(f.getExtension('subjectKeyIdentifier'));
  assert.equal((f.getExtension('keyUsage') as { critical: boolean }).critical, true);
});

test('each pairing gets fresh root and host keys', () => {
  const again = generatePairingCertificates(devicePkcs1, now);
  assert.notEqual(again.HostPrivateKey, certs.HostPrivateKey);
  assert.notEqual(again.RootCertificate, certs.RootCertificate);
});

test('a DevicePublicKey that is not RSA PEM is refused with DevicePublicKeyError', () => {
  assert.throws(() => generatePairingCertificates('not a key'), DevicePublicKeyError);
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
  assert.throws(() => generatePairingCertificates(ec), /key type ec/);
});

function record(): PairRecord {
  const b = (s: string): Buffer => Buffer.from(s);
  return {
    DeviceCertificate: b(certs.DeviceCertificate),
    HostCertificate: b(certs.HostCertificate),
    HostPrivateKey: b(certs.HostPrivateKey),
    RootCertificate: b(certs.RootCertificate),
    RootPrivateKey: b(certs.RootPrivateKey),
    HostID: '0D6E2A4B-1111-2222-3333-444455556666',
    SystemBUID: 'D358B977-2B10-840F-6789-84735504AF6E',
    WiFiMACAddress: 'aa:bb:cc:dd:ee:ff',
    EscrowBag: Buffer.from([9, 8, 7]),
  };
}

test('pair record survives plist encoding and parsing with every Apple key', () => {
  const r = record();
  const back = parsePairRecord(decodePlistDict(encodeXmlPlist(pairRecordToPlist(r))), 'UDID');
  assert.equal(back.HostID, r.HostID);
  assert.equal(back.SystemBUID, r.SystemBUID);
  assert.equal(back.WiFiMACAddress, r.WiFiMACAddress);
  assert.deepEqual([...(back.EscrowBag as Uint8Array)], [9, 8, 7]);
  assert.equal(Buffer.from(back.HostPrivateKey).toString(), certs.HostPrivateKey);
});

test('a pair record missing HostPrivateKey or HostID is unusable, with a message naming the key', () => {
  const d = pairRecordToPlist(record());
  delete d.HostPrivateKey;
  assert.throws(() => parsePairRecord(d, 'UDID1'), (e: Error) => e instanceof InvalidPairRecordError && /HostPrivateKey/.test(e.message) && /UDID1/.test(e.message));
  const e = pairRecordToPlist(record());
  delete e.HostID;
  assert.throws(() => parsePairRecord(e, 'UDID1'), /HostID missing/);
});

test('log-safe summary and the Pair request record contain no private keys or EscrowBag', () => {
  const r = record();
  const s = JSON.stringify(describePairRecord(r));
  assert.ok(!s.includes('PRIVATE KEY'));
  assert.ok(s.includes(r.HostID));
  const sent = pairRequestRecord(r);
  assert.deepEqual(Object.keys(sent).sort(), ['DeviceCertificate', 'HostCertificate', 'HostID', 'RootCertificate', 'SystemBUID']);
});

test('LockdownError keeps Apple\'s code and explains InvalidHostID', () => {
  const e = new LockdownError('StartSession', 'InvalidHostID');
  assert.equal(e.code, 'InvalidHostID');
  assert.match(e.message, /pairing is gone.*pair again/);
  assert.match(new LockdownError('GetValue', 'SomethingNew').message, /SomethingNew/);
});
