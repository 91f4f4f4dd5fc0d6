/**
 * Server token (`*_smime.p7m`) decryption: real files built with `openssl cms -encrypt` (as ABM
 * does) and hand-made edge cases — BER indefinite lengths, negative recipient serials, OAEP,
 * AES-128/192/256 and 3DES, SKI recipients, wrapped JSON, and every failure with a clear error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decryptEnvelopedData, generateServerKeyPair, openServerToken, parseTokenPlaintext, ServerTokenError, unwrapSmime } from '../../main/dep';
import { encryptToken, generateTokens, tokenPlaintext } from '../support/dep-simulator';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-dep-token-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** An openssl-made key pair; `serial` as given to `-set_serial` (may be negative). */
function opensslKeyPair(name: string, serial: string): { privateKeyPem: string; certificatePem: string } {
  const key = path.join(tmp, `${name}.key`);
  const crt = path.join(tmp, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-subj', `/CN=${name}/O=Test`, '-days', '30', '-set_serial', serial], { stdio: 'pipe' });
  return { privateKeyPem: fs.readFileSync(key, 'utf8'), certificatePem: fs.readFileSync(crt, 'utf8') };
}

const tokens = generateTokens(Date.parse('2025-01-01T00:00:00Z'));
const ours = generateServerKeyPair({ commonName: 'Token Test' });
const mine = { privateKeyPem: ours.privateKeyPem, certificatePem: ours.certificatePem };

function isIndefinite(der: Buffer): boolean {
  return der[0] === 0x30 && der[1] === 0x80;
}

test('generated server key pair: RSA-2048, self-signed, keyEncipherment, openssl reads it', () => {
  const cert = new crypto.X509Certificate(ours.certificatePem);
  assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal(cert.issuer, cert.subject);
  assert.ok(cert.verify(cert.publicKey));
  assert.match(cert.subject, /CN=Token Test/);
  assert.equal(crypto.createPublicKey(crypto.createPrivateKey(ours.privateKeyPem)).export({ format: 'der', type: 'spki' }).equals(cert.publicKey.export({ format: 'der', type: 'spki' })), true);
  const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: ours.certificatePem }).toString();
  assert.match(text, /Key Encipherment/);
  assert.ok(Date.parse(ours.notAfter) - Date.now() > 360 * 86_400_000);
  assert.throws(() => generateServerKeyPair({ days: 0 }), /1 to 3650 days/);
});

test('ABM-style token: S/MIME, streamed BER (indefinite lengths), AES-128-CBC, PKCS#1 v1.5, wrapped JSON', () => {
  const file = encryptToken(tokenPlaintext(tokens, 64), ours.certificatePem, { cipher: 'aes128', stream: true });
  assert.match(file.toString('latin1'), /^MIME-Version: 1\.0\r?\n/);
  assert.match(file.toString('latin1'), /Content-Type: application\/(x-)?pkcs7-mime; smime-type=enveloped-data/);
  const cms = unwrapSmime(file);
  assert.ok(isIndefinite(cms), 'openssl -stream must produce indefinite-length BER');
  const r = openServerToken(file, mine);
  assert.deepEqual(r.tokens, { ...tokens, access_token_expiry: new Date(tokens.access_token_expiry).toISOString() });
  assert.equal(r.keyTransport, 'rsaes-pkcs1-v1_5');
  assert.equal(r.contentCipher, 'AES-128-CBC');
});

test('content ciphers AES-192, AES-256 and 3DES; DER and PEM output forms; definite lengths', () => {
  for (const [cipher, label] of [['aes192', 'AES-192-CBC'], ['aes256', 'AES-256-CBC'], ['des3', '3DES-CBC']] as const) {
    const r = openServerToken(encryptToken(tokenPlaintext(tokens), ours.certificatePem, { cipher }), mine);
    assert.equal(r.contentCipher, label);
    assert.equal(r.tokens.consumer_key, tokens.consumer_key);
  }
  const der = encryptToken(tokenPlaintext(tokens), ours.certificatePem, { outform: 'der', stream: false });
  assert.ok(!isIndefinite(der));
  assert.equal(openServerToken(der, mine).tokens.access_secret, tokens.access_secret);
  const pem = encryptToken(tokenPlaintext(tokens), ours.certificatePem, { outform: 'pem' });
  assert.match(pem.toString(), /-----BEGIN (CMS|PKCS7)-----/);
  assert.equal(openServerToken(pem, mine).tokens.access_token, tokens.access_token);
});

test('RSA-OAEP key transport (SHA-1 and SHA-256)', () => {
  for (const oaep of ['sha1', 'sha256'] as const) {
    const r = openServerToken(encryptToken(tokenPlaintext(tokens), ours.certificatePem, { oaep }), mine);
    assert.equal(r.keyTransport, 'rsaes-oaep');
    assert.equal(r.tokens.consumer_secret, tokens.consumer_secret);
  }
});

test('negative certificate serials in RecipientInfo (−5, −128, −129, −2^64) match the certificate', () => {
  for (const serial of ['-5', '-128', '-129', '-18446744073709551616']) {
    const kp = opensslKeyPair(`neg${serial.length}`, serial);
    const file = encryptToken(tokenPlaintext(tokens), kp.certificatePem, { stream: true });
    const dump = execFileSync('openssl', ['asn1parse', '-inform', 'DER'], { input: unwrapSmime(file) }).toString();
    assert.match(dump, /INTEGER\s+:-/, `recipient serial ${serial} should be negative in the CMS`);
    assert.equal(openServerToken(file, kp).tokens.access_token, tokens.access_token, `serial ${serial}`);
  }
});

test('a certificate with the same issuer but another serial is not the recipient', () => {
  const a = opensslKeyPair('same-issuer', '-5');
  const b = { ...opensslKeyPair('same-issuer', '5') };
  const file = encryptToken(tokenPlaintext(tokens), a.certificatePem);
  assert.throws(() => openServerToken(file, b), (e: unknown) => e instanceof ServerTokenError && e.reason === 'recipient' && /serial -5/.test(e.message));
});

test('recipient identified by subject key identifier (openssl cms -keyid)', () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'ski-'));
  fs.writeFileSync(path.join(dir, 'c.pem'), ours.certificatePem);
  fs.writeFileSync(path.join(dir, 'p.txt'), tokenPlaintext(tokens));
  execFileSync('openssl', ['cms', '-encrypt', '-binary', '-aes128', '-keyid', '-in', 'p.txt', '-outform', 'DER', '-out', 'o.der', '-recip', 'c.pem'], { cwd: dir, stdio: 'pipe' });
  const der = fs.readFileSync(path.join(dir, 'o.der'));
  assert.equal(decryptEnvelopedData(der, mine).plaintext.toString(), tokenPlaintext(tokens));
});

test('token JSON: MIME headers, MESSAGE markers, lines broken inside values, CRLF, bare JSON', () => {
  const json = JSON.stringify(tokens);
  const broken = `Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE-----\r\n${json.match(/.{1,7}/g)!.join('\r\n')}\r\n-----END MESSAGE-----\r\n`;
  assert.equal(parseTokenPlaintext(broken).access_secret, tokens.access_secret);
  assert.equal(parseTokenPlaintext(json).consumer_key, tokens.consumer_key);
  assert.equal(parseTokenPlaintext(`-----BEGIN MESSAGE-----\n${json}\n-----END MESSAGE-----`).access_token, tokens.access_token);
  assert.equal(openServerToken(encryptToken(tokenPlaintext(tokens, 0, true), ours.certificatePem), mine).tokens.access_token, tokens.access_token);
});

test('token JSON errors name the missing field and never echo secrets', () => {
  const { access_secret: _drop, ...partial } = tokens;
  assert.throws(() => parseTokenPlaintext(JSON.stringify(partial)), (e: unknown) => e instanceof ServerTokenError && e.reason === 'content' && /no access_secret/.test(e.message));
  assert.throws(() => parseTokenPlaintext(JSON.stringify({ ...tokens, consumer_key: ' ' })), /no consumer_key/);
  assert.throws(() => parseTokenPlaintext(JSON.stringify({ ...tokens, access_token_expiry: 'soon' })), /access_token_expiry "soon" is not a date/);
  assert.throws(() => parseTokenPlaintext('-----BEGIN MESSAGE-----\n{"consumer_key":"CK"'), /no "-----END MESSAGE-----"/);
  try {
    parseTokenPlaintext(`{"consumer_key":"${tokens.consumer_key}","consumer_secret":"${tokens.consumer_secret}"`);
    assert.fail('should throw');
  } catch (e) {
    assert.ok(e instanceof ServerTokenError);
    assert.ok(!e.message.includes(tokens.consumer_secret));
  }
});

test('a token for another key is refused with a clear error', () => {
  const other = generateServerKeyPair({ commonName: 'Other' });
  const file = encryptToken(tokenPlaintext(tokens), other.certificatePem);
  assert.throws(() => openServerToken(file, mine), (e: unknown) => e instanceof ServerTokenError && e.reason === 'recipient' && /encrypted for a different public key/.test(e.message));
  // Same certificate but a different private key (e.g. the key was replaced): decryption fails cleanly.
  const wrongKey = { certificatePem: other.certificatePem, privateKeyPem: ours.privateKeyPem };
  assert.throws(() => openServerToken(file, wrongKey), (e: unknown) => e instanceof ServerTokenError && e.reason === 'decrypt');
});

test('corrupt files: empty, not base64, truncated, bit-flipped ciphertext, wrong MIME type, signed data', () => {
  const good = encryptToken(tokenPlaintext(tokens), ours.certificatePem, { stream: true });
  const reason = (f: Buffer | string): string => {
    try {
      openServerToken(Buffer.isBuffer(f) ? f : Buffer.from(f), mine);
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof ServerTokenError, String(e));
      assert.equal(e.exitCode, 2);
      return e.reason;
    }
  };
  assert.equal(reason(Buffer.alloc(0)), 'format');
  const text = good.toString('latin1');
  assert.equal(reason(text.replace(/\n\n|\r\n\r\n/, '\n\n!!!not-base64!!!\n')), 'format');
  const cms = unwrapSmime(good);
  assert.equal(reason(cms.subarray(0, cms.length - 40)), 'format');
  const flipped = Buffer.from(cms);
  flipped[flipped.length - 20] ^= 0xff; // last ciphertext block → bad padding
  assert.match(reason(flipped), /decrypt|format/);
  assert.equal(reason(text.replace(/pkcs7-mime/g, 'octet-stream')), 'format');
  fs.writeFileSync(path.join(tmp, 'signer.pem'), `${ours.certificatePem}${ours.privateKeyPem}`);
  fs.writeFileSync(path.join(tmp, 'content.txt'), 'hello');
  const signed = execFileSync('openssl', ['cms', '-sign', '-signer', path.join(tmp, 'signer.pem'), '-outform', 'DER', '-nodetach', '-in', path.join(tmp, 'content.txt')], { stdio: 'pipe' });
  assert.throws(() => openServerToken(signed, mine), /signed message, not an encrypted server token/);
});
