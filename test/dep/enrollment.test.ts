import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DeviceInfoError, enrollmentSoftwareUpdateError, parseMachineInfo, platformOfProduct, softwareUpdateDecision, softwareUpdateRequiredResponse,
  verifyAspenDeviceInfo, verifyMachineInfo, type MachineInfo,
} from '../../main/dep/enrollment';
import { buildTypedPlist, parseTypedPlistDict } from '../../main/profiles';

/**
 * A test CA that mimics Apple's device chain, built with openssl: a root, an intermediate
 * "iPhone Device CA" that EXPIRED in 2014, a device certificate issued by it, all SHA-1 signed;
 * MachineInfo CMS-signed by the device key with SHA-1 (with and without signed attributes).
 */
interface Pki { dir: string; root: string; inter: string; otherRoot: string; signed: Buffer; signedNoAttr: Buffer; plist: Buffer }
let pki: Pki;

function ossl(dir: string, args: string[]): void {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  } catch (err) {
    throw new Error(`openssl ${args.join(' ')}: ${(err as { stderr?: Buffer }).stderr?.toString()}`, { cause: err });
  }
}

const MACHINE_INFO = {
  UDID: '00008030-001A2B3C4D5E6F70',
  SERIAL: 'F2LXK1ABCD12',
  PRODUCT: 'iPhone15,2',
  VERSION: '21A329',
  OS_VERSION: '17.0',
  IMEI: '35 123456 789012 3',
  MEID: '35123456789012',
  LANGUAGE: 'en',
  MDM_CAN_REQUEST_SOFTWARE_UPDATE: true,
  SOFTWARE_UPDATE_DEVICE_ID: 'D73AP',
};

before(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-aspen-'));
  fs.writeFileSync(path.join(dir, 'ca.cnf'), `[ca]
default_ca = CA_default
[CA_default]
dir = .
database = ./index.txt
new_certs_dir = .
serial = ./serial
policy = policy_any
copy_extensions = none
[policy_any]
commonName = supplied
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_device]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
`);
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), '01\n');
  const root = (name: string, subj: string) => ossl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha1', '-days', '3650', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-subj', subj, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  root('root', '/C=US/O=Test Apple Inc./CN=Test Apple Root CA');
  root('other', '/C=US/O=Someone Else/CN=Other Root CA');
  ossl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'inter.key', '-out', 'inter.csr', '-subj', '/C=US/O=Test Apple Inc./OU=Apple iPhone/CN=Test Apple iPhone Device CA']);
  ossl(dir, ['ca', '-batch', '-config', 'ca.cnf', '-cert', 'root.pem', '-keyfile', 'root.key', '-in', 'inter.csr', '-out', 'inter.pem', '-md', 'sha1', '-startdate', '20070416000000Z', '-enddate', '20140416000000Z', '-extensions', 'v3_ca', '-notext']);
  ossl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'dev.key', '-out', 'dev.csr', '-subj', `/CN=${MACHINE_INFO.UDID}`]);
  ossl(dir, ['ca', '-batch', '-config', 'ca.cnf', '-cert', 'inter.pem', '-keyfile', 'inter.key', '-in', 'dev.csr', '-out', 'dev.pem', '-md', 'sha1', '-days', '365', '-extensions', 'v3_device', '-notext']);
  const plist = buildTypedPlist(MACHINE_INFO);
  fs.writeFileSync(path.join(dir, 'mi.plist'), plist);
  const sign = (out: string, extra: string[]) => ossl(dir, ['cms', '-sign', '-binary', '-nodetach', '-md', 'sha1', '-signer', 'dev.pem', '-inkey', 'dev.key', '-certfile', 'inter.pem', '-outform', 'DER', '-in', 'mi.plist', '-out', out, ...extra]);
  sign('mi.p7', []);
  sign('mi-noattr.p7', ['-noattr']);
  const read = (f: string) => fs.readFileSync(path.join(dir, f));
  pki = { dir, root: read('root.pem').toString(), inter: read('inter.pem').toString(), otherRoot: read('other.pem').toString(), signed: read('mi.p7'), signedNoAttr: read('mi-noattr.p7'), plist };
});

test('the test chain is like Apple\'s: openssl cms -verify rejects it (expired SHA-1 Device CA)', () => {
  assert.throws(() => execFileSync('openssl', ['cms', '-verify', '-inform', 'DER', '-in', 'mi.p7', '-CAfile', 'root.pem', '-out', '/dev/null'], { cwd: pki.dir, stdio: 'pipe' }), /expired|verif/i);
});

test('MachineInfo CMS (SHA-1, expired intermediate) verifies against the pinned root and decodes', () => {
  for (const signed of [pki.signed, pki.signedNoAttr]) {
    const v = verifyMachineInfo(signed, { anchors: [pki.root] });
    assert.deepEqual(v.machineInfo, MACHINE_INFO);
    assert.equal(v.digestAlgorithm, 'sha1');
    assert.deepEqual(v.chain, [`/CN=${MACHINE_INFO.UDID}`, '/CN=Test Apple iPhone Device CA', '/C=US/O=Test Apple Inc./CN=Test Apple Root CA']);
  }
  // pinning the Device CA itself also works (MicroMDM pins the Device CA)
  assert.equal(verifyMachineInfo(pki.signed, { anchors: [pki.inter] }).machineInfo.SERIAL, MACHINE_INFO.SERIAL);
});

test('x-apple-aspen-deviceinfo header: base64 (also wrapped or URL-safe) of the CMS', () => {
  const b64 = pki.signed.toString('base64');
  assert.equal(verifyAspenDeviceInfo(b64, { anchors: [pki.root] }).machineInfo.UDID, MACHINE_INFO.UDID);
  assert.equal(verifyAspenDeviceInfo(b64.replace(/(.{76})/g, '$1\n'), { anchors: [pki.root] }).machineInfo.PRODUCT, 'iPhone15,2');
  assert.equal(verifyAspenDeviceInfo(pki.signed.toString('base64url'), { anchors: [pki.root] }).machineInfo.VERSION, '21A329');
  const reason = (f: () => unknown) => { try { f(); return 'accepted'; } catch (e) { assert.ok(e instanceof DeviceInfoError, String(e)); return e.reason; } };
  assert.equal(reason(() => verifyAspenDeviceInfo(undefined, { anchors: [pki.root] })), 'malformed');
  assert.equal(reason(() => verifyAspenDeviceInfo('@@not base64@@', { anchors: [pki.root] })), 'malformed');
  assert.equal(reason(() => verifyAspenDeviceInfo(Buffer.from('hello').toString('base64'), { anchors: [pki.root] })), 'malformed');
});

test('rejections: another root, no anchors, altered content, altered signed attributes', () => {
  const reason = (f: () => unknown) => { try { f(); return 'accepted'; } catch (e) { assert.ok(e instanceof DeviceInfoError, String(e)); return `${e.reason}: ${e.message}`; } };
  assert.match(reason(() => verifyMachineInfo(pki.signed, { anchors: [pki.otherRoot] })), /^untrusted: .*does not chain to a pinned anchor/);
  assert.match(reason(() => verifyMachineInfo(pki.signed, { anchors: [] })), /^untrusted: no trust anchors/);
  for (const signed of [pki.signed, pki.signedNoAttr]) {
    const at = signed.indexOf(Buffer.from('F2LXK1ABCD12'));
    assert.ok(at > 0);
    const tampered = Buffer.from(signed);
    tampered[at] = 'X'.charCodeAt(0);
    assert.match(reason(() => verifyMachineInfo(tampered, { anchors: [pki.root] })), /^signature: /);
  }
  // flip a byte inside the device's signature (last bytes of the SignerInfo)
  const sig = Buffer.from(pki.signed);
  sig[sig.length - 10] ^= 0xff;
  assert.match(reason(() => verifyMachineInfo(sig, { anchors: [pki.root] })), /^signature: .*does not verify/);
});

test('MachineInfo parsing names missing and mistyped keys', () => {
  assert.throws(() => parseMachineInfo(buildTypedPlist({ UDID: 'x', SERIAL: 'y', PRODUCT: 'iPhone15,2' })), /no VERSION/);
  assert.throws(() => parseMachineInfo(buildTypedPlist({ ...MACHINE_INFO, MDM_CAN_REQUEST_SOFTWARE_UPDATE: 'yes' })), /MDM_CAN_REQUEST_SOFTWARE_UPDATE is not a boolean/);
  assert.throws(() => parseMachineInfo(Buffer.from('not a plist')), /not a MachineInfo plist/);
});

const rule = { enabled: true, iOS: { osVersion: '17.1', buildVersion: '21B74' }, macOS: { osVersion: '14.2 (a)' }, message: 'Update to continue enrollment' };
const info = (patch: Partial<MachineInfo>): MachineInfo => ({ ...MACHINE_INFO, ...patch });

test('software update decision from MachineInfo', () => {
  assert.equal(platformOfProduct('iPad13,1'), 'iOS');
  assert.equal(platformOfProduct('Mac14,2'), 'macOS');
  assert.equal(platformOfProduct('AppleTV14,1'), 'tvOS');
  assert.deepEqual(
    [softwareUpdateDecision(info({}), rule).required, softwareUpdateDecision(info({ OS_VERSION: '17.1' }), rule).required, softwareUpdateDecision(info({ OS_VERSION: '17.2' }), rule).required, softwareUpdateDecision(info({ OS_VERSION: '18.0' }), rule).required],
    [true, false, false, false],
  );
  assert.match(softwareUpdateDecision(info({}), rule).reason, /iOS 17\.0 is below the required 17\.1/);
  assert.equal(softwareUpdateDecision(info({ MDM_CAN_REQUEST_SOFTWARE_UPDATE: false }), rule).required, false);
  assert.match(softwareUpdateDecision(info({ MDM_CAN_REQUEST_SOFTWARE_UPDATE: undefined }), rule).reason, /cannot be asked to update/);
  assert.equal(softwareUpdateDecision(info({}), { ...rule, enabled: false }).required, false);
  const mac = (v: string, extra?: string) => softwareUpdateDecision(info({ PRODUCT: 'Mac14,2', OS_VERSION: v, SUPPLEMENTAL_OS_VERSION_EXTRA: extra }), rule).required;
  assert.deepEqual([mac('14.1'), mac('14.2'), mac('14.2', '(a)'), mac('14.2', '(b)'), mac('14.3')], [true, true, false, false, false]);
  assert.equal(softwareUpdateDecision(info({ PRODUCT: 'AppleTV14,1' }), rule).required, false);
  assert.equal(softwareUpdateDecision(info({ PRODUCT: 'Mac14,2' }), { enabled: true, iOS: { osVersion: '17.1' } }).required, false);
});

test('403 body per Apple\'s mdm/errors schema: code, message, details.OSVersion and BuildVersion; JSON or plist', () => {
  const res = enrollmentSoftwareUpdateError(info({}), rule)!;
  assert.equal(res.status, 403);
  assert.equal(res.headers['Content-Type'], 'application/json');
  const doc = JSON.parse(res.body.toString('utf8'));
  assert.equal(doc.code, 'com.apple.softwareupdate.required');
  assert.equal(doc.message, 'Update to continue enrollment');
  assert.deepEqual(doc.details, { OSVersion: '17.1', BuildVersion: '21B74' });
  // checked against the schema file itself
  const schema = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'apple-device-management', 'mdm', 'errors', 'softwareupdate.required.yaml'), 'utf8');
  assert.match(schema, /- com\.apple\.softwareupdate\.required/);
  for (const key of Object.keys(doc)) assert.match(schema, new RegExp(`- key: ${key}\\b`));
  for (const key of Object.keys(doc.details)) assert.match(schema, new RegExp(`- key: ${key}\\b`));
  assert.equal(enrollmentSoftwareUpdateError(info({ OS_VERSION: '17.4' }), rule), undefined);
  const minimal = softwareUpdateRequiredResponse({ osVersion: '17.1 (b)' });
  assert.equal(minimal.body.toString(), '{"code":"com.apple.softwareupdate.required","details":{"OSVersion":"17.1 (b)"}}');
  const plist = enrollmentSoftwareUpdateError(info({ PRODUCT: 'Mac14,2', OS_VERSION: '14.1' }), rule, 'plist')!;
  assert.equal(plist.headers['Content-Type'], 'application/xml');
  const parsed = parseTypedPlistDict(plist.body);
  assert.equal(parsed.code, 'com.apple.softwareupdate.required');
  assert.deepEqual(parsed.details, { OSVersion: '14.2 (a)' });
  const py = execFileSync('python3', ['-c', 'import plistlib,sys,json; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'], { input: plist.body }).toString();
  assert.equal(JSON.parse(py).details.OSVersion, '14.2 (a)');
  assert.throws(() => softwareUpdateRequiredResponse({ osVersion: 'latest' }), /not an OS version/);
});
