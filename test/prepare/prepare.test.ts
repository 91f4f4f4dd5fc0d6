/**
 * Prepare, erase and device settings through the supervision service against the device
 * emulator's real wire protocols: manual cloud configuration (exactly the keys sent), a second
 * prepare → MCInstall 14002 → "erase first" with the erase remediation, erase → re-attach →
 * prepare again, ADE (DownloadAndApplyCloudConfiguration), Apple TV with tvOS skip keys,
 * AutoAdvanceSetup, Wi-Fi before the MDM profile and operator instructions, and input that is
 * refused before anything is written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LockdownError, MCInstallError, type PlistDict } from '../../main/apple';
import { CloudConfigurationPresentError, DeviceNotActivatedError, PrepareInputError, skipKeysFor } from '../../main/apple/prepare';
import type { OrganizationRow } from '../../main/organizations';
import { startEmulator, type EmulatedDevice, type Emulator } from '../support/emulator';
import { enrollmentProfile, openBench, wifiProfile, type Bench } from './helpers';

/** Keys the device fills in itself on SetCloudConfiguration without ConfigurationURL (§3.5). */
const DEVICE_FILLED = ['CloudConfigurationUIComplete', 'ConfigurationSource', 'ConfigurationWasApplied'];

/** Plist data decodes as Uint8Array and is sent as Buffer: compare bytes as Buffers. */
function norm(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
  return v;
}

function mcRequests(d: EmulatedDevice): string[] {
  return d.requestLog.filter((e) => e.service === 'com.apple.mobile.MCInstall').map((e) => e.request);
}

describe('prepare', () => {
  let emu: Emulator;
  let bench: Bench;
  let org: OrganizationRow;
  let orgCert: Buffer;

  before(async () => {
    emu = await startEmulator({ devices: 0 });
    bench = openBench(emu.address);
    org = bench.sup.organizations.create({ name: 'Acme Bench', department: 'IT', email: 'it@acme.test', phone: '+41 44 000 00 00' });
    orgCert = bench.sup.organizations.exportCertificate(org.id);
  });
  after(async () => {
    bench.cleanup();
    await emu.close();
  });

  it('manual supervised prepare: the device holds exactly the keys sent (plus the ones it fills), settings applied', async () => {
    const d = emu.attach('iphone');
    const r = await bench.sup.prepare(d.udid, {
      orgId: org.id, supervised: true, skip: ['Location', 'Siri', 'Passcode'],
      language: 'de', locale: 'de_CH', timeZone: 'Europe/Zurich', deviceName: 'Bench iPhone 1',
    });
    const cc = d.cloudConfiguration!;
    assert.deepEqual(Object.keys(cc).sort(), [...Object.keys(r.sent!), ...DEVICE_FILLED].sort());
    for (const [k, v] of Object.entries(r.sent!)) assert.deepEqual(norm(cc[k]), norm(v), k);
    assert.deepEqual(norm(r.sent), {
      AllowPairing: true, IsSupervised: true, IsMandatory: true, IsMDMUnremovable: false, IsMultiUser: false,
      SkipSetup: ['Location', 'Passcode', 'Siri'], OrganizationName: 'Acme Bench', OrganizationMagic: org.magic,
      OrganizationDepartment: 'IT', OrganizationEmail: 'it@acme.test', OrganizationPhone: '+41 44 000 00 00',
      SupervisorHostCertificates: [orgCert],
    });
    assert.deepEqual(r.adjustedByDevice, []);
    assert.equal(r.supervised, true);
    assert.equal(r.platform, 'iOS');
    // lockdownd values as the device reports them now (through GetValue in a new session).
    const v = await bench.sup.getValues(d.udid, ['DeviceName', 'com.apple.international:Language', 'com.apple.international:Locale', 'TimeZone', 'IsSupervised', 'OrganizationName'], org.id);
    assert.deepEqual(v, {
      DeviceName: 'Bench iPhone 1', 'com.apple.international:Language': 'de', 'com.apple.international:Locale': 'de_CH',
      TimeZone: 'Europe/Zurich', IsSupervised: true, OrganizationName: 'Acme Bench',
    });
    assert.ok(d.requestLog.some((e) => e.request === 'SetValue' && e.detail.Key === 'TimeIntervalSince1970'), 'clock set from the host');
    assert.ok(Math.abs(d.clockOffsetSeconds) < 60);
    assert.deepEqual(mcRequests(d).slice(0, 5), ['Flush', 'GetCloudConfiguration', 'HelloHostIdentifier', 'SetCloudConfiguration', 'GetCloudConfiguration']);
  });

  it('prepare twice → MCInstall 14002 becomes "erase first" with the erase remediation; nothing else is written', async () => {
    const d = emu.attach('iphone');
    await bench.sup.prepare(d.udid, { skip: ['Siri'], deviceName: 'First' });
    await assert.rejects(bench.sup.prepare(d.udid, { skip: ['Location'], deviceName: 'Second', enrollmentProfile: enrollmentProfile() }), (err: unknown) => {
      assert.ok(err instanceof CloudConfigurationPresentError);
      assert.equal(err.remediation, 'erase');
      assert.equal(err.code, 14002);
      assert.match(err.message, /erase the device first \(stagebench erase --udid /);
      return true;
    });
    const sets = d.requestLog.filter((e) => e.request === 'SetCloudConfiguration').map((e) => e.detail.Status);
    assert.deepEqual(sets, ['Acknowledged', 'Error']);
    assert.deepEqual(d.cloudConfiguration?.SkipSetup, ['Siri']);
    assert.equal(d.defaultOverrides.DeviceName, 'First');
    assert.equal(d.profiles.length, 0);
    const audit = bench.db.prepare("SELECT outcome, detail FROM audit_log WHERE action = 'device.prepare' AND target = ? ORDER BY id").all(d.udid) as { outcome: string; detail: string }[];
    assert.deepEqual(audit.map((a) => a.outcome), ['success', 'failure']);
  });

  it('erase wipes the device, which re-attaches fresh; prepare then works again', async () => {
    const d = emu.attach('ipad', { eraseReattachMs: 200 });
    await bench.sup.prepare(d.udid, { orgId: org.id, supervised: true, skipAll: true, deviceName: 'Before erase', enrollmentProfile: enrollmentProfile() });
    assert.equal(d.profiles.length, 1);
    const oldId = d.deviceId;
    const er = await bench.sup.erase(d.udid, { orgId: org.id, waitForReattachMs: 5000 });
    assert.equal(er.acknowledged, true);
    assert.equal(er.reattached, true);
    assert.equal(er.pairRecordDeleted, true);
    const log = d.requestLog.find((e) => e.request === 'EraseDevice')!;
    assert.equal(log.detail.PreserveDataPlan, true);
    assert.ok(d.attached && d.deviceId !== oldId, 'attached again with a new DeviceID');
    assert.equal(d.cloudConfiguration, null);
    assert.equal(d.profiles.length, 0);
    assert.equal(d.pairings.size, 0);
    assert.equal(d.activationState, 'Activated', 'ActivationState survives the erase');
    assert.equal(emu.pairRecords.has(d.udid), false);
    const r = await bench.sup.prepare(d.udid, { orgId: org.id, supervised: true, skip: ['Siri'], deviceName: 'After erase' });
    assert.equal(r.cloudConfiguration?.IsSupervised, true);
    assert.equal(d.defaultOverrides.DeviceName, 'After erase');
  });

  it('erase of a device whose host pairing is stale re-pairs first (supervised, no Trust dialog)', async () => {
    const d = emu.attach('iphone', { eraseReattachMs: 100 });
    await bench.sup.prepare(d.udid, { orgId: org.id, supervised: true, allowPairing: false, skip: ['Siri'] });
    assert.equal(d.pairings.size, 0, 'AllowPairing false deleted the pairing records');
    d.knobs.trust = 'deny';
    await assert.rejects(bench.sup.getValues(d.udid, ['DeviceName']), (err: unknown) => err instanceof LockdownError && err.code === 'MCProtected');
    const r = await bench.sup.erase(d.udid, { orgId: org.id, waitForReattachMs: 5000 });
    assert.equal(r.acknowledged, true);
    assert.equal(d.eraseCount, 1);
    const pairs = d.requestLog.filter((e) => e.request === 'Pair').map((e) => e.detail.Error ?? 'ok');
    assert.deepEqual(pairs.slice(-2), ['MCChallengeRequired', 'ok'], 'the erase re-paired through the supervision identity, not the Trust dialog');
  });

  it('ADE prepare: DownloadAndApplyCloudConfiguration applies the configuration assigned in Apple Business Manager', async () => {
    const ade: PlistDict = { IsSupervised: true, IsMandatory: true, AllowPairing: true, OrganizationName: 'Acme ABM', ConfigurationURL: 'https://mdm.acme.test/enroll', SkipSetup: ['Siri'] };
    const d = emu.attach('iphone', { adeCloudConfiguration: ade });
    const r = await bench.sup.prepare(d.udid, { dep: true, language: 'fr', locale: 'fr_FR' });
    assert.equal(r.mode, 'dep');
    assert.equal(r.sent, null);
    assert.equal(r.cloudConfiguration?.OrganizationName, 'Acme ABM');
    assert.equal(r.cloudConfiguration?.ConfigurationSource, 1);
    assert.ok(r.instructions.some((i) => /Setup Assistant/.test(i)));
    assert.ok(mcRequests(d).includes('DownloadAndApplyCloudConfiguration'));
    assert.ok(!mcRequests(d).includes('SetCloudConfiguration'));
    assert.equal(d.domains.get('com.apple.international')?.Language, 'fr');
    // Not assigned in ABM: the device's error is reported.
    const u = emu.attach('iphone');
    await assert.rejects(bench.sup.prepare(u.udid, { dep: true }), (err: unknown) => err instanceof MCInstallError && err.code === 33004);
    // Already configured: erase first, before anything is downloaded or written.
    await assert.rejects(bench.sup.prepare(d.udid, { dep: true, deviceName: 'x' }), CloudConfigurationPresentError);
    assert.notEqual(d.defaultOverrides.DeviceName, 'x');
    // --dep with manual options is refused up front.
    await assert.rejects(bench.sup.prepare(u.udid, { dep: true, skip: ['Siri'] }), PrepareInputError);
  });

  it('Apple TV HD: tvOS skip keys, AutoAdvanceSetup, Wi-Fi before the MDM profile (silent), operator told to cancel Apple TV Assistant', async () => {
    const tv = emu.attach('appletv');
    const r = await bench.sup.prepare(tv.udid, {
      orgId: org.id, supervised: true, skip: ['ScreenSaver', 'TapToSetup', 'TVHomeScreenSync', 'Siri'], autoAdvanceSetup: true,
      wifiProfile: wifiProfile('Corp'), enrollmentProfile: enrollmentProfile(), timeZone: 'Europe/Berlin',
    });
    assert.equal(r.platform, 'tvOS');
    assert.equal(r.ProductType, 'AppleTV5,3');
    assert.deepEqual(tv.cloudConfiguration?.SkipSetup, ['ScreenSaver', 'Siri', 'TVHomeScreenSync', 'TapToSetup']);
    assert.equal(tv.cloudConfiguration?.AutoAdvanceSetup, true);
    const installs = tv.requestLog.filter((e) => e.request === 'InstallProfileSilent').map((e) => e.detail.PayloadIdentifier);
    assert.deepEqual(installs, ['com.acme.prepare.wifi.corp', 'com.acme.enroll']);
    assert.deepEqual(r.profiles.map((p) => [p.kind, p.silent]), [['wifi', true], ['enrollment', true]]);
    assert.ok(r.instructions.some((i) => /cancel Apple TV Assistant/.test(i) && /importing the MDM profile there fails/.test(i)), r.instructions.join('\n'));
    // skip-all on tvOS only sends tvOS keys.
    const tv2 = emu.attach('appletv');
    const r2 = await bench.sup.prepare(tv2.udid, { skipAll: true });
    assert.deepEqual(r2.sent?.SkipSetup, skipKeysFor('tvOS', '17.5'));
    assert.ok((r2.sent?.SkipSetup as string[]).includes('TVRoom') && !(r2.sent?.SkipSetup as string[]).includes('Passcode'));
  });

  it('refuses bad input before writing: iOS-only skip key on Apple TV, AutoAdvanceSetup on iPhone, unknown key, bad time zone, unactivated device', async () => {
    const tv = emu.attach('appletv');
    await assert.rejects(bench.sup.prepare(tv.udid, { skip: ['Passcode'] }), (err: unknown) => err instanceof PrepareInputError && /"Passcode" is not a tvOS skip key/.test(err.message));
    const phone = emu.attach('iphone');
    await assert.rejects(bench.sup.prepare(phone.udid, { autoAdvanceSetup: true }), /AutoAdvanceSetup .* tvOS/);
    await assert.rejects(bench.sup.prepare(phone.udid, { skip: ['appleid', 'WiFi'] }), (err: unknown) =>
      err instanceof PrepareInputError && /Apple's key is "AppleID"/.test(err.message) && /"WiFi" is not a skip key/.test(err.message));
    await assert.rejects(bench.sup.prepare(phone.udid, { timeZone: 'Mars/Olympus' }), /not an IANA time zone/);
    await assert.rejects(bench.sup.prepare(phone.udid, { supervised: true }), /organization identity/);
    for (const d of [tv, phone]) {
      assert.ok(!mcRequests(d).includes('SetCloudConfiguration'), 'nothing written');
      assert.equal(d.cloudConfiguration, null);
    }
    const fresh = emu.attach('iphone', { activationState: 'Unactivated' });
    await assert.rejects(bench.sup.prepare(fresh.udid, { skip: ['Siri'] }), (err: unknown) => err instanceof DeviceNotActivatedError && err.remediation === 'activate');
    assert.equal(fresh.cloudConfiguration, null);
  });

  it('reports keys the device enforces itself (IsMDMUnremovable on a manual prepare)', async () => {
    const d = emu.attach('iphone');
    const r = await bench.sup.prepare(d.udid, { orgId: org.id, supervised: true, mdmUnremovable: true, skip: [] });
    assert.deepEqual(r.adjustedByDevice, [{ key: 'IsMDMUnremovable', sent: true, stored: false }]);
    assert.ok(r.warnings.some((w) => /IsMDMUnremovable/.test(w)));
  });

  it('renames through the service', async () => {
    const d = emu.attach('iphone');
    await bench.sup.rename(d.udid, 'Front Desk');
    assert.deepEqual(await bench.sup.getValues(d.udid, ['DeviceName', 'IsSupervised']), { DeviceName: 'Front Desk', IsSupervised: false });
  });
});
