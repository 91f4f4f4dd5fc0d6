import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildEnrollmentProfile,
  exportSigningIdentity,
  importPkcs12,
  inspectProfile,
  Pkcs12ContentError,
  Pkcs12PasswordError,
  ProfileFormatError,
  signingIdentityFromPem,
  signingIdentityFromStored,
  signProfile,
  unsignProfile,
} from '../../main/profiles';
import { exportP12, makeTestPki, openssl, type TestPki } from '../support/pki';
import { baseSpec, plistlibTypes } from './helpers';

let tmp: string;
const pkis: Record<string, TestPki> = {};

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-sign-'));
  for (const keyType of ['rsa', 'ec'] as const) {
    for (const p12Format of ['modern', 'legacy'] as const) {
      pkis[`${keyType}-${p12Format}`] = makeTestPki(path.join(tmp, `${keyType}-${p12Format}`), { keyType, p12Format, p12Password: `pw-${keyType}-${p12Format}` });
    }
  }
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function certsInCms(file: string): string[] {
  const out = openssl(['pkcs7', '-inform', 'DER', '-in', file, '-print_certs', '-noout']).toString();
  return out.split('\n').filter((l) => l.startsWith('subject=')).map((l) => l.replace(/^subject=\s*/, ''));
}

for (const name of ['rsa-modern', 'rsa-legacy', 'ec-modern', 'ec-legacy']) {
  test(`${name}: import p12, build, validate, sign; openssl cms -verify succeeds and content equals the XML`, () => {
    const pki = pkis[name];
    const info = spawnSync('openssl', ['pkcs12', '-info', '-in', pki.p12Path, '-noout', '-passin', 'env:P', ...(name.endsWith('legacy') ? ['-legacy'] : [])], { env: { ...process.env, P: pki.p12Password }, encoding: 'utf8' });
    assert.equal(info.status, 0, info.stderr);
    if (name.endsWith('modern')) assert.match(info.stderr, /PBES2, PBKDF2, AES-256-CBC/);
    else assert.match(info.stderr, /pbeWithSHA1And3-KeyTripleDES-CBC|RC2/);

    const identity = importPkcs12(fs.readFileSync(pki.p12Path), pki.p12Password);
    assert.equal(identity.keyAlgorithm, name.startsWith('rsa') ? 'rsa' : 'ec');
    assert.equal(identity.subject, pki.subjects.signer);
    assert.ok(identity.certificate.raw.equals(new X509Certificate(pki.signerPem).raw), 'signer cert bytes preserved');
    assert.equal(identity.chainDer.length, 2, 'intermediate + root from the p12');

    const built = buildEnrollmentProfile(baseSpec({ anchors: [pki.rootPem], expiresInSeconds: 3600 }));
    assert.deepEqual(built.issues.filter((i) => i.severity === 'error'), []);
    const signed = signProfile(built.xml, identity);
    const signedPath = path.join(pki.dir, 'signed.mobileconfig');
    const contentPath = path.join(pki.dir, 'content.xml');
    fs.writeFileSync(signedPath, signed);
    openssl(['cms', '-verify', '-inform', 'DER', '-in', signedPath, '-CAfile', pki.rootPath, '-out', contentPath]);
    const content = fs.readFileSync(contentPath);
    assert.ok(content.equals(built.xml), 'verified content equals the unsigned XML');
    assert.equal(plistlibTypes(content).DurationUntilRemoval.type, 'float');

    const certs = certsInCms(signedPath);
    assert.equal(certs.length, 2);
    assert.ok(certs.some((s) => s.includes('Profile Signer')), 'signer included');
    assert.ok(certs.some((s) => s.includes('Intermediate CA')), 'intermediate included');
    assert.ok(!certs.some((s) => s.includes('Root CA')), 'root excluded');

    const report = inspectProfile(signed, { caPem: pki.rootPem });
    assert.equal(report.signed, true);
    assert.equal(report.valid, true, report.problems.join('; '));
    assert.equal(report.signer, pki.subjects.signer);
    assert.deepEqual(report.chain.map((c) => c.subject), [pki.subjects.signer, pki.subjects.intermediate]);
    assert.equal(report.chain[1].subject, report.chain[0].issuer);
    assert.match(report.chain[0].fingerprintSha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.ok(report.signingTime && Math.abs(report.signingTime.getTime() - Date.now()) < 60_000);
    assert.ok(report.content.equals(built.xml));
    assert.deepEqual(report.payloads, ['com.apple.security.root', 'com.apple.security.scep', 'com.apple.mdm']);
    assert.equal(report.identifier, 'com.example.enroll');
    assert.equal(report.uuid, built.uuid);
    assert.equal(report.displayName, 'Example Enrollment');
    assert.equal(report.digestAlgorithm, 'sha256');
    assert.equal(report.signatureAlgorithm, name.startsWith('rsa') ? '1.2.840.113549.1.1.11' : '1.2.840.10045.4.3.2');
  });
}

test('wrong p12 password → Pkcs12PasswordError (modern and legacy), message free of the password', () => {
  for (const name of ['rsa-modern', 'ec-legacy']) {
    assert.throws(() => importPkcs12(fs.readFileSync(pkis[name].p12Path), 'definitely-wrong'), (e: Error) => {
      assert.ok(e instanceof Pkcs12PasswordError);
      assert.match(e.message, /password is wrong/);
      assert.ok(!e.message.includes('definitely-wrong'));
      return true;
    });
  }
});

test('p12 without key, without certificate, or not a p12 → Pkcs12ContentError', () => {
  const pki = pkis['ec-modern'];
  const noKey = exportP12({ out: path.join(tmp, 'nokey.p12'), password: 'pw', certPath: pki.signerCertPath });
  assert.throws(() => importPkcs12(noKey, 'pw'), (e: Error) => e instanceof Pkcs12ContentError && /no private key/.test(e.message));
  const noCert = exportP12({ out: path.join(tmp, 'nocert.p12'), password: 'pw', keyPath: pki.signerKeyPath });
  assert.throws(() => importPkcs12(noCert, 'pw'), (e: Error) => e instanceof Pkcs12ContentError && /no certificate/.test(e.message));
  assert.throws(() => importPkcs12(Buffer.from('not a p12 at all'), 'pw'), Pkcs12ContentError);
  assert.throws(() => importPkcs12(Buffer.alloc(0), 'pw'), /empty/);
});

test('tampered signed profile → valid=false with a reason; wrong CA → valid=false', () => {
  const pki = pkis['rsa-modern'];
  const identity = importPkcs12(fs.readFileSync(pki.p12Path), pki.p12Password);
  const built = buildEnrollmentProfile(baseSpec());
  const signed = signProfile(built.xml, identity);
  const tampered = Buffer.from(signed);
  const at = tampered.indexOf('mdm.example.com/mdm');
  tampered[at] = 'x'.charCodeAt(0);
  const r = inspectProfile(tampered, { caPem: pki.rootPem });
  assert.equal(r.signed, true);
  assert.equal(r.valid, false);
  assert.ok(r.problems.some((p) => /messageDigest does not match/.test(p)));

  const sigFlip = Buffer.from(signed);
  sigFlip[sigFlip.length - 5] ^= 0xff; // inside the signature value
  const r2 = inspectProfile(sigFlip);
  assert.equal(r2.valid, false);
  assert.ok(r2.problems.some((p) => /signature does not verify/.test(p)));

  const other = pkis['ec-modern'];
  const r3 = inspectProfile(signed, { caPem: other.rootPem });
  assert.equal(r3.valid, false);
  assert.ok(r3.problems.some((p) => /does not lead to the given CA/.test(p)));
  // Without a CA the signature alone is checked.
  assert.equal(inspectProfile(signed).valid, true);
  // Expired at a later "now".
  const r4 = inspectProfile(signed, { caPem: pki.rootPem, now: new Date(Date.now() + 400 * 86400_000) });
  assert.equal(r4.valid, false);
  assert.ok(r4.problems.some((p) => /is not valid at/.test(p)));
});

test('unsigned XML is reported as unsigned; unsignProfile returns content; corrupt input → ProfileFormatError', () => {
  const built = buildEnrollmentProfile(baseSpec());
  const r = inspectProfile(built.xml);
  assert.equal(r.signed, false);
  assert.equal(r.valid, false);
  assert.deepEqual(r.payloads, ['com.apple.security.scep', 'com.apple.mdm']);
  const pki = pkis['ec-modern'];
  const signed = signProfile(built.xml, importPkcs12(fs.readFileSync(pki.p12Path), pki.p12Password));
  assert.ok(unsignProfile(signed).equals(built.xml));
  const pem = `-----BEGIN PKCS7-----\n${signed.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PKCS7-----\n`;
  assert.equal(inspectProfile(Buffer.from(pem)).valid, true);
  for (const bad of [Buffer.from('garbage'), signed.subarray(0, 200), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]), Buffer.alloc(0)]) {
    assert.throws(() => inspectProfile(bad), ProfileFormatError);
  }
});

test('stored identity round trip and PEM identities sign the same way', () => {
  const pki = pkis['ec-legacy'];
  const identity = importPkcs12(fs.readFileSync(pki.p12Path), pki.p12Password);
  const stored = exportSigningIdentity(identity);
  assert.ok(stored.privateKeyPkcs8Der.length > 0 && stored.chainDer.length === 2);
  const again = signingIdentityFromStored(stored);
  assert.equal(again.subject, identity.subject);
  const fromPem = signingIdentityFromPem(fs.readFileSync(pki.signerCertPath), fs.readFileSync(pki.signerKeyPath), fs.readFileSync(pki.chainPath));
  const xml = buildEnrollmentProfile(baseSpec()).xml;
  for (const id of [again, fromPem]) {
    const r = inspectProfile(signProfile(xml, id), { caPem: pki.rootPem });
    assert.equal(r.valid, true, r.problems.join('; '));
    assert.equal(r.chain.length, 2);
  }
  assert.throws(() => signingIdentityFromPem(fs.readFileSync(pki.intermediatePath), fs.readFileSync(pki.signerKeyPath)), /does not belong to certificate/);
  assert.throws(() => signingIdentityFromStored({ ...stored, privateKeyPkcs8Der: Buffer.from('xx') }), /PKCS#8/);
});
