/**
 * No secret at rest or in logs: a full bench scenario runs through the real `stagebench` CLI and
 * services — import a PKCS#12 identity, build and sign an enrollment profile with a SCEP challenge
 * and a Wi-Fi password, stage 2 emulated devices (pairing, Wi-Fi, enrollment), add a DEP server,
 * upload a token from the DEP simulator and sync, create a macOS DEP profile with a managed admin
 * password, invite a user (registration PIN), configure the tenant password — with every run's
 * stderr/stdout appended to an app log. Then every file of the data directory (SQLite database,
 * WAL, shm, keyring, anything else) and every log is scanned for every secret used, in raw, hex,
 * base64 (all alignments), UTF-16 and escaped forms: none may be found. A meta-test plants secrets
 * and checks that the scan finds them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { decodePlist, type PlistDict } from '../../main/apple/wire';
import { runStagebench, type CliRun } from '../cli/helpers';
import { startDepSimulator, type DepSimulator } from '../support/dep-simulator';
import { startEmulator, type Emulator } from '../support/emulator';
import { makeTestPki, type TestPki } from '../support/pki';
import { encodingsOf, filesUnder, scanFiles, type Secret } from './secret-scan';

const SECRETS = {
  passphrase: 'Bench-Passphrase-7d1f0c',
  p12: 'P12-Password-93ac41',
  scep: 'SCEP-Challenge-5be2a7',
  wifi: 'WiFi-Password-0c8e55',
  admin: 'Mac-Admin-Password-41f2d9',
  tenant: 'Tenant-Password-e3b9a0',
};

let dir: string;
let dataDir: string;
let logFile: string;
let pki: TestPki;
let emu: Emulator;
let sim: DepSimulator;
const pins: string[] = [];
const todo: string[] = [];
const env = (): Record<string, string> => ({
  STAGEBENCH_DATA_DIR: dataDir,
  STAGEBENCH_PASSPHRASE: SECRETS.passphrase,
  USBMUXD_SOCKET_ADDRESS: emu.address,
  P12_PW: SECRETS.p12,
  SCEP_CHALLENGE: SECRETS.scep,
  WIFI_PW: SECRETS.wifi,
  ADMIN_PW: SECRETS.admin,
  TENANT_PW: SECRETS.tenant,
});

/** Runs the CLI, appends stderr (the operator log) and stdout to the app log unless `stdoutIsSecretOutput`. */
async function sb(args: string[], opts: { stdoutIsSecretOutput?: boolean; allowFail?: boolean } = {}): Promise<CliRun> {
  const r = await runStagebench(args, env());
  fs.appendFileSync(logFile, `$ stagebench ${args.join(' ')}\n[exit ${r.code}]\n${r.stderr}${opts.stdoutIsSecretOutput ? '[stdout: one-time secret display, not logged]\n' : r.stdout}`);
  if (!opts.allowFail) assert.equal(r.code, 0, `stagebench ${args.join(' ')} failed:\n${r.stderr}${r.stdout}`);
  return r;
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-secret-scan-'));
  dataDir = path.join(dir, 'data');
  logFile = path.join(dir, 'logs', 'stagebench-cli.log');
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  pki = makeTestPki(path.join(dir, 'pki'), { keyType: 'rsa', p12Password: SECRETS.p12 });
  emu = await startEmulator({ devices: 2, seed: 'secret-scan' });
  sim = await startDepSimulator({ devices: 25 });

  // 1. Signing identity from a password-protected PKCS#12.
  const imported = JSON.parse((await sb(['identity', 'import', pki.p12Path, '--password-env', 'P12_PW', '--label', 'Bench signer', '--format', 'json'])).stdout) as { id: string };
  // 2. Enrollment profile with a SCEP challenge and a Wi-Fi password, signed with the stored identity.
  const unsigned = path.join(dir, 'out', 'enroll.mobileconfig');
  const signed = path.join(dir, 'out', 'enroll.signed.mobileconfig');
  fs.mkdirSync(path.dirname(unsigned), { recursive: true });
  await sb(['profile', 'build', '--name', 'Acme Enrollment', '--identifier', 'com.acme.enroll', '--server-url', 'https://mdm.acme.test/mdm', '--topic', 'com.apple.mgmt.External.acme',
    '--scep-url', 'https://mdm.acme.test/scep', '--scep-challenge-env', 'SCEP_CHALLENGE', '--anchor', pki.rootPath,
    '--wifi-ssid', 'Corp', '--wifi-password-env', 'WIFI_PW', '--wifi-encryption', 'WPA2', '--out', unsigned]);
  await sb(['profile', 'sign', '--identity-id', imported.id, '--in', unsigned, '--out', signed]);
  // 3. Stage both emulated devices: pair, Wi-Fi profile, signed enrollment profile.
  const staged = await sb(['stage', '--all', '--wifi-ssid', 'Corp', '--wifi-password-env', 'WIFI_PW', '--enroll', signed]);
  assert.match(staged.stdout, /2 succeeded, 0 failed/);
  // 4. DEP server, token from the simulator, sync.
  const pem = path.join(dir, 'out', 'dep-public.pem');
  const server = JSON.parse((await sb(['dep', 'server', 'add', '--name', 'Bench ABM', '--base-url', sim.url, '--out-public-key', pem, '--format', 'json'])).stdout) as { id: string };
  const token = path.join(dir, 'out', 'Bench_Token_smime.p7m');
  fs.writeFileSync(token, sim.issueToken(fs.readFileSync(pem, 'utf8')));
  await sb(['dep', 'token', 'upload', server.id, token]);
  await sb(['dep', 'sync', server.id]);
  // 5. macOS DEP profile with a managed admin account password.
  await sb(['dep', 'profile', 'create', '--server', server.id, '--name', 'Mac bench', '--url', 'https://mdm.acme.test/enroll', '--admin-account', 'benchadmin',
    '--admin-full-name', 'Bench Admin', '--admin-password-env', 'ADMIN_PW', '--await', '5', '--format', 'json']);
  // 6. Invite a user with a one-time registration PIN (shown once on stdout, by design).
  await sb(['registration', 'settings', 'set', '--server-url', 'https://mdm.acme.test', '--in-app-requirement', 'pin', '--pin-length', '8']);
  await sb(['users', 'add', '--email', 'ana@acme.test', '--first-name', 'Ana']);
  const invite = JSON.parse((await sb(['invite', 'ana@acme.test', '--format', 'json'], { stdoutIsSecretOutput: true })).stdout) as { invitations: { pin: string | null }[] };
  for (const i of invite.invitations) if (i.pin) pins.push(i.pin);
  assert.equal(pins.length, 1, 'the invitation carries a registration PIN');
  // 7. Tenant credentials (sealed at rest).
  const help = await sb(['sync', 'configure', '--help'], { allowFail: true });
  if (help.code === 0) {
    await sb(['sync', 'configure', '--url', 'https://tenant.acme.test', '--user', 'api-bench', '--password-env', 'TENANT_PW']);
    const status = JSON.parse((await sb(['sync', 'status', '--format', 'json'])).stdout) as { configured: boolean };
    assert.equal(status.configured, true, 'tenant credentials stored');
  } else {
    // TODO(sync): `stagebench sync configure` is not registered in main/cli/program.ts yet; the step runs automatically once it is.
    todo.push('sync configure is not available in the CLI yet: tenant password not exercised');
  }
});

after(async () => {
  await emu?.close();
  await sim?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Every secret used by the scenario, with the key material in its raw forms. */
function allSecrets(): Secret[] {
  const list: Secret[] = Object.entries(SECRETS).map(([name, value]) => ({ name, value }));
  list.push(...pins.map((pin, i) => ({ name: `registration PIN ${i}`, value: pin })));
  list.push({ name: 'DEP consumer_secret', value: sim.tokens.consumer_secret }, { name: 'DEP access_secret', value: sim.tokens.access_secret }, { name: 'DEP access_token', value: sim.tokens.access_token });
  list.push(...keyMaterial('signer key', crypto.createPrivateKey(fs.readFileSync(pki.signerKeyPath))));
  // Pairing keys the host generated (HostPrivateKey / RootPrivateKey), as kept by usbmuxd.
  for (const [udid, raw] of emu.pairRecords) {
    const record = decodePlist(raw) as PlistDict;
    for (const k of ['HostPrivateKey', 'RootPrivateKey'] as const) {
      list.push(...keyMaterial(`${k} of ${udid}`, crypto.createPrivateKey(Buffer.from(record[k] as Uint8Array))));
    }
  }
  return list;
}

/** PKCS#8 DER, PKCS#8/PKCS#1 PEM body text and every private RSA/EC component of `key`. */
function keyMaterial(name: string, key: crypto.KeyObject): Secret[] {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  const pem = key.export({ format: 'pem', type: 'pkcs8' }).toString();
  const out: Secret[] = [
    { name: `${name} PKCS#8 DER`, value: der },
    { name: `${name} PKCS#8 PEM line`, value: pem.split('\n')[3] },
  ];
  if (key.asymmetricKeyType === 'rsa') {
    const pkcs1 = key.export({ format: 'pem', type: 'pkcs1' }).toString();
    out.push({ name: `${name} PKCS#1 PEM line`, value: pkcs1.split('\n')[3] }, { name: `${name} PKCS#1 DER`, value: key.export({ format: 'der', type: 'pkcs1' }) });
  }
  const jwk = key.export({ format: 'jwk' });
  for (const part of ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const) {
    if (jwk[part]) out.push({ name: `${name} ${part}`, value: Buffer.from(jwk[part]!, 'base64url') });
  }
  return out;
}

test('the scenario left data at rest and logs to scan', () => {
  const files = filesUnder(dataDir).map((f) => path.basename(f));
  for (const f of ['stagebench.sqlite3', 'keyring.json']) assert.ok(files.includes(f), `${f} missing from the data dir: ${files.join(', ')}`);
  const db = new Database(path.join(dataDir, 'stagebench.sqlite3'), { readonly: true });
  try {
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
    assert.equal(count('SELECT COUNT(*) AS n FROM staging_runs'), 1);
    assert.ok(count('SELECT COUNT(*) AS n FROM dep_devices') >= 25, 'DEP devices synced');
  } finally {
    db.close();
  }
  assert.ok(fs.statSync(logFile).size > 500, 'app log written');
});

test('the tenant password was part of the scenario (stagebench sync configure)', (t) => {
  // TODO(sync): passes as a todo until `sync configure` is registered in the CLI (main/cli/program.ts).
  if (todo.length) t.todo(todo.join('; '));
});

test('no secret of the scenario is found in any file of the data directory or in the logs', (t) => {
  const secrets = allSecrets();
  const files = [...filesUnder(dataDir), ...filesUnder(path.dirname(logFile))];
  t.diagnostic(`scanned ${files.length} files (${files.map((f) => `${path.relative(dir, f)} ${fs.statSync(f).size} B`).join(', ')}) for ${secrets.length} secrets in ${secrets.reduce((n, s) => n + encodingsOf(s).length, 0)} encodings`);
  for (const note of todo) t.diagnostic(`TODO: ${note}`);
  const findings = scanFiles(files, secrets);
  assert.deepEqual(findings.map((f) => `${f.secret} (${f.encoding}) in ${path.relative(dir, f.file)} at ${f.offset}`), []);
});

test('meta: the scan finds planted secrets in every encoding, in files, SQLite pages and logs', () => {
  const plant = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-plant-'));
  try {
    const der = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const keySecrets = keyMaterial('planted key', der);
    const secrets: Secret[] = [{ name: 'wifi', value: SECRETS.wifi }, { name: 'pin', value: '48213907' }, ...keySecrets];
    fs.writeFileSync(path.join(plant, 'clean.bin'), crypto.randomBytes(4096));
    assert.deepEqual(scanFiles(filesUnder(plant), secrets), [], 'no false positive on random bytes');
    fs.writeFileSync(path.join(plant, 'app.log'), `connected to Corp with ${SECRETS.wifi}\n`);
    fs.writeFileSync(path.join(plant, 'blob.json'), JSON.stringify({ note: Buffer.concat([Buffer.from('xy'), Buffer.from(SECRETS.wifi)]).toString('base64') }));
    fs.writeFileSync(path.join(plant, 'utf16.bin'), Buffer.from(`pin=48213907`, 'utf16le'));
    fs.writeFileSync(path.join(plant, 'key.bin'), Buffer.concat([crypto.randomBytes(33), keySecrets.find((s) => s.name.endsWith(' d'))!.value as Buffer]));
    const db = new Database(path.join(plant, 'cache.sqlite3'));
    db.exec('CREATE TABLE t (v BLOB)');
    db.prepare('INSERT INTO t VALUES (?)').run(keySecrets[0].value);
    db.close();
    const found = scanFiles(filesUnder(plant), secrets).map((f) => `${f.secret}/${f.encoding}/${path.basename(f.file)}`);
    for (const expected of ['wifi/raw/app.log', 'wifi/base64/blob.json', 'pin/utf16le/utf16.bin', 'planted key d/raw/key.bin', 'planted key PKCS#8 DER/raw/cache.sqlite3']) {
      assert.ok(found.includes(expected), `planted ${expected} was not found (found: ${found.join(', ')})`);
    }
    // The same scan over the real data dir would fail the test above: plant one secret there and re-scan.
    const leak = path.join(dataDir, 'leak.tmp');
    fs.writeFileSync(leak, `token=${sim.tokens.access_secret}`);
    try {
      assert.ok(scanFiles(filesUnder(dataDir), allSecrets()).some((f) => f.secret === 'DEP access_secret' && f.file === leak));
    } finally {
      fs.rmSync(leak);
    }
  } finally {
    fs.rmSync(plant, { recursive: true, force: true });
  }
});
