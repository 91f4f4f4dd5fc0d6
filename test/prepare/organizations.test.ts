/**
 * Organizations with a supervision identity in the SQLite cache: create (self-signed RSA-2048,
 * CN/O = name), import from .p12 and from a DER certificate + DER key pair (cfgutil -C/-K),
 * duplicates refused, certificate export, and the private key never stored in clear (the raw
 * SQLite file and its WAL are searched for the key bytes in DER, PEM-body and hex forms).
 */
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuplicateOrganizationError, OrganizationNotFoundError } from '../../main/organizations';
import { DB_FILE } from '../../main/store';
import { makeTestPki, openssl, type TestPki } from '../support/pki';
import { openBench, type Bench } from './helpers';

describe('organizations', () => {
  let bench: Bench;
  let pki: TestPki;

  before(() => {
    bench = openBench('127.0.0.1:1', 'sb-org-');
    pki = makeTestPki(path.join(bench.dir, 'pki'), { keyType: 'rsa', name: 'Acme Supervision' });
  });
  after(() => bench.cleanup());

  it('creates a self-signed RSA-2048 supervision identity like Apple Configurator', () => {
    const row = bench.sup.organizations.create({ name: 'Acme Retail', email: 'it@acme.test' });
    assert.equal(row.source, 'created');
    assert.equal(row.keyType, 'rsa');
    assert.match(row.magic, /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    const cert = new X509Certificate(bench.sup.organizations.exportCertificate(row.id));
    assert.equal(cert.subject, 'CN=Acme Retail\nO=Acme Retail');
    assert.equal(cert.issuer, cert.subject);
    assert.ok(cert.verify(cert.publicKey), 'self-signed');
    assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(new Date(cert.validTo).getTime() > Date.now() + 19 * 365 * 86_400_000);
    const pem = bench.sup.organizations.exportCertificate(row.id, 'pem').toString();
    assert.equal(new X509Certificate(pem).fingerprint256, cert.fingerprint256);
    // The opened identity signs with the key that matches the certificate.
    const id = bench.sup.organizations.openIdentity('acme retail');
    assert.equal(id.certificate.fingerprint256, cert.fingerprint256);
    assert.throws(() => bench.sup.organizations.create({ name: 'ACME retail' }), DuplicateOrganizationError);
    assert.throws(() => bench.sup.organizations.get('nope'), OrganizationNotFoundError);
  });

  it('imports a .p12 and a DER certificate + DER key pair; the same certificate twice is refused', () => {
    const fromP12 = bench.sup.organizations.importPkcs12(fs.readFileSync(pki.p12Path), pki.p12Password, { name: 'Acme P12' });
    assert.equal(fromP12.source, 'imported-p12');
    const certDer = openssl(['x509', '-in', pki.signerCertPath, '-outform', 'DER']);
    const keyDer = openssl(['rsa', '-in', pki.signerKeyPath, '-outform', 'DER', '-traditional']);
    assert.throws(() => bench.sup.organizations.importDer(certDer, keyDer, { name: 'Acme DER' }), /already imported as "Acme P12"/);
    const pki2 = makeTestPki(path.join(bench.dir, 'pki2'), { keyType: 'ec', name: 'Beta Supervision' });
    const cert2 = openssl(['x509', '-in', pki2.signerCertPath, '-outform', 'DER']);
    const key2 = openssl(['pkey', '-in', pki2.signerKeyPath, '-outform', 'DER']);
    const fromDer = bench.sup.organizations.importDer(cert2, key2);
    assert.equal(fromDer.source, 'imported-der');
    assert.equal(fromDer.keyType, 'ec');
    assert.equal(fromDer.name, 'StageBench');
    assert.throws(() => bench.sup.organizations.importDer(cert2, keyDer), /does not belong to certificate/);
    assert.deepEqual(bench.sup.organizations.list().map((o) => o.name), ['Acme P12', 'Acme Retail', 'StageBench']);
  });

  it('never stores an organization private key in clear in the SQLite file', () => {
    const keys = bench.sup.organizations.list().map((o) => bench.sup.organizations.openIdentity(o.id).privateKey);
    assert.equal(keys.length, 3);
    bench.db.pragma('wal_checkpoint(PASSIVE)');
    const files = [DB_FILE, `${DB_FILE}-wal`].map((f) => path.join(bench.dir, f)).filter((f) => fs.existsSync(f));
    const raw = Buffer.concat(files.map((f) => fs.readFileSync(f)));
    for (const key of keys) {
      const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
      const forms = [pkcs8, Buffer.from(pkcs8.toString('base64').slice(40, 120)), Buffer.from(pkcs8.toString('hex').slice(80, 200))];
      if (key.asymmetricKeyType === 'rsa') forms.push(key.export({ type: 'pkcs1', format: 'der' }));
      for (const f of forms) assert.equal(raw.indexOf(f), -1, 'key material found in clear');
      // The private exponent / scalar alone is not there either.
      const jwk = createPrivateKey(key.export({ type: 'pkcs8', format: 'pem' })).export({ format: 'jwk' }) as { d: string };
      assert.equal(raw.indexOf(Buffer.from(jwk.d, 'base64url')), -1);
    }
    // The certificate, by contrast, is stored (it is public and sent to devices).
    const cert = bench.sup.organizations.exportCertificate('Acme Retail');
    assert.notEqual(raw.indexOf(cert), -1);
  });
});
