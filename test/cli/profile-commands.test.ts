/**
 * `stagebench profile build|sign|verify` and `identity import|list` through the real CLI, checked
 * with outside tools: openssl cms -verify and Python's plistlib.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTestPki, type TestPki } from '../support/pki';
import { runStagebench } from './helpers';

let dir: string;
let pki: TestPki;
let env: Record<string, string>;

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-cli-profile-'));
  pki = makeTestPki(path.join(dir, 'pki'), { keyType: 'rsa' });
  env = {
    STAGEBENCH_DATA_DIR: path.join(dir, 'data'),
    STAGEBENCH_PASSPHRASE: 'bench passphrase',
    SCEP_CHALLENGE: 'challenge-7f3a91',
    WIFI_PW: 'wifi-secret-pass',
    P12_PW: pki.p12Password,
  };
});

const buildArgs = (out: string, extra: string[] = []): string[] => [
  'profile', 'build', '--name', 'Acme Enrollment', '--server-url', 'https://mdm.example.com/mdm', '--topic', 'com.apple.mgmt.External.1234',
  '--scep-url', 'https://mdm.example.com/scep', '--scep-challenge-env', 'SCEP_CHALLENGE', '--scep-subject', '/CN=device/O=Acme',
  '--anchor', pki.rootPath, '--wifi-ssid', 'Corp', '--wifi-password-env', 'WIFI_PW', '--wifi-encryption', 'WPA2', '--expires-in', '3600',
  '--target', 'ios', '--out', out, ...extra,
];

test('profile build writes an unsigned XML profile that plistlib reads with the right types', async () => {
  const out = path.join(dir, 'enroll.mobileconfig');
  const r = await runStagebench(buildArgs(out), env);
  assert.equal(r.code, 0, r.stderr);
  const py = execFileSync('python3', ['-c', `
import plistlib, sys, json
p = plistlib.load(open(sys.argv[1], 'rb'))
types = [c['PayloadType'] for c in p['PayloadContent']]
scep = [c for c in p['PayloadContent'] if c['PayloadType'] == 'com.apple.security.scep'][0]
mdm = [c for c in p['PayloadContent'] if c['PayloadType'] == 'com.apple.mdm'][0]
print(json.dumps({'types': types, 'duration_is_float': isinstance(p['DurationUntilRemoval'], float),
  'challenge': scep['PayloadContent']['Challenge'], 'identity_ok': mdm['IdentityCertificateUUID'] == scep['PayloadUUID'],
  'key_type': scep['PayloadContent']['Key Type']}))
`, out]).toString();
  const parsed = JSON.parse(py) as { types: string[]; duration_is_float: boolean; challenge: string; identity_ok: boolean; key_type: string };
  assert.deepEqual([...parsed.types].sort(), ['com.apple.mdm', 'com.apple.security.root', 'com.apple.security.scep', 'com.apple.wifi.managed']);
  assert.equal(parsed.duration_is_float, true);
  assert.equal(parsed.challenge, 'challenge-7f3a91');
  assert.equal(parsed.identity_ok, true);
  assert.equal(parsed.key_type, 'RSA');
  assert.equal(fs.statSync(out).mode & 0o077, 0, 'profile file must not be readable by others (it holds the challenge)');
});

test('profile build refuses invalid input with exit 2, naming the payload and key, and writes nothing', async () => {
  const out = path.join(dir, 'bad.mobileconfig');
  const topic = await runStagebench(buildArgs(out).map((a) => (a === 'com.apple.mgmt.External.1234' ? 'com.example.push' : a)), env);
  assert.equal(topic.code, 2);
  assert.match(topic.stderr, /com\.apple\.mdm.*Topic/);
  const http = await runStagebench(buildArgs(out).map((a) => (a === 'https://mdm.example.com/mdm' ? 'http://mdm.example.com/mdm' : a)), env);
  assert.equal(http.code, 2);
  assert.match(http.stderr, /ServerURL/);
  const missingEnv = await runStagebench(buildArgs(out), { ...env, SCEP_CHALLENGE: undefined });
  assert.equal(missingEnv.code, 2);
  assert.match(missingEnv.stderr, /SCEP_CHALLENGE.*--scep-challenge-env/);
  const target = await runStagebench(buildArgs(out, ['--target', 'watchos']), env);
  assert.equal(target.code, 2);
  assert.match(target.stderr, /--target/);
  assert.equal(fs.existsSync(out), false);
  assert.doesNotMatch(topic.stderr + http.stderr, /challenge-7f3a91|wifi-secret-pass/, 'secrets must not appear in error output');
});

test('profile sign produces CMS that openssl verifies against the root; verify reports signer and payloads', async () => {
  const unsigned = path.join(dir, 'to-sign.mobileconfig');
  const signed = path.join(dir, 'to-sign.signed.mobileconfig');
  assert.equal((await runStagebench(buildArgs(unsigned), env)).code, 0);
  const s = await runStagebench(['profile', 'sign', '--identity', pki.p12Path, '--password-env', 'P12_PW', '--in', unsigned, '--out', signed], env);
  assert.equal(s.code, 0, s.stderr);
  const content = path.join(dir, 'content.xml');
  const ossl = spawnSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', signed, '-CAfile', pki.rootPath, '-out', content]);
  assert.equal(ossl.status, 0, ossl.stderr.toString());
  assert.deepEqual(fs.readFileSync(content), fs.readFileSync(unsigned));

  const v = await runStagebench(['profile', 'verify', signed, '--ca', pki.rootPath, '--format', 'json'], env);
  assert.equal(v.code, 0, v.stderr);
  const report = JSON.parse(v.stdout) as { signed: boolean; valid: boolean; signer: string; payloads: string[]; chain: { subject: string }[] };
  assert.equal(report.signed, true);
  assert.equal(report.valid, true);
  assert.equal(report.signer, pki.subjects.signer);
  assert.ok(report.payloads.includes('com.apple.mdm'));
  assert.ok(!report.chain.some((c) => c.subject === pki.subjects.root), 'the root must not be embedded');

  const otherPki = makeTestPki(path.join(dir, 'other-pki'), { keyType: 'ec' });
  const wrongCa = await runStagebench(['profile', 'verify', signed, '--ca', otherPki.rootPath, '--format', 'json'], env);
  assert.equal(wrongCa.code, 1);
  assert.equal((JSON.parse(wrongCa.stdout) as { valid: boolean }).valid, false);

  const unsignedVerify = await runStagebench(['profile', 'verify', unsigned, '--format', 'json'], env);
  assert.equal((JSON.parse(unsignedVerify.stdout) as { signed: boolean }).signed, false);
});

test('profile sign with a wrong p12 password fails with a clear error (exit 2) and writes nothing', async () => {
  const unsigned = path.join(dir, 'pw.mobileconfig');
  const out = path.join(dir, 'pw.signed.mobileconfig');
  assert.equal((await runStagebench(buildArgs(unsigned), env)).code, 0);
  const r = await runStagebench(['profile', 'sign', '--identity', pki.p12Path, '--password-env', 'P12_PW', '--in', unsigned, '--out', out], { ...env, P12_PW: 'not-the-password' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /PKCS#12 password is wrong/);
  assert.doesNotMatch(r.stderr, /not-the-password/);
  assert.equal(fs.existsSync(out), false);
});

test('identity import keeps a P-256 identity sealed; profile sign --identity-id uses it', async () => {
  const ec = makeTestPki(path.join(dir, 'ec-pki'), { keyType: 'ec' });
  const imp = await runStagebench(['identity', 'import', ec.p12Path, '--password-env', 'EC_PW', '--label', 'Bench EC', '--format', 'json'], { ...env, EC_PW: ec.p12Password });
  assert.equal(imp.code, 0, imp.stderr);
  const row = JSON.parse(imp.stdout) as { id: string; keyType: string; label: string };
  assert.equal(row.keyType, 'ec');
  const list = JSON.parse((await runStagebench(['identity', 'list', '--format', 'json'], env)).stdout) as { id: string }[];
  assert.ok(list.some((i) => i.id === row.id));
  const noPass = await runStagebench(['identity', 'import', ec.p12Path, '--password-env', 'EC_PW'], { ...env, EC_PW: ec.p12Password, STAGEBENCH_PASSPHRASE: undefined });
  assert.equal(noPass.code, 1);
  assert.match(noPass.stderr, /STAGEBENCH_PASSPHRASE/);

  const unsigned = path.join(dir, 'ec.mobileconfig');
  const signed = path.join(dir, 'ec.signed.mobileconfig');
  assert.equal((await runStagebench(buildArgs(unsigned), env)).code, 0);
  const s = await runStagebench(['profile', 'sign', '--identity-id', row.id, '--in', unsigned, '--out', signed], env);
  assert.equal(s.code, 0, s.stderr);
  const ossl = spawnSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', signed, '-CAfile', ec.rootPath, '-out', '/dev/null']);
  assert.equal(ossl.status, 0, ossl.stderr.toString());

  const raw = Buffer.concat(fs.readdirSync(env.STAGEBENCH_DATA_DIR).map((f) => fs.readFileSync(path.join(env.STAGEBENCH_DATA_DIR, f))));
  const jwk = crypto.createPrivateKey(fs.readFileSync(ec.signerKeyPath)).export({ format: 'jwk' });
  const scalar = Buffer.from(jwk.d!, 'base64url');
  assert.equal(scalar.length, 32);
  assert.equal(raw.indexOf(scalar), -1, 'private key scalar found in clear in the data directory');
  assert.equal(raw.indexOf(Buffer.from(ec.p12Password)), -1, 'p12 password found in the data directory');
});
