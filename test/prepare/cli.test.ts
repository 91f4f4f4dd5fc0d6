/**
 * The prepare / erase / rename / get / org commands end to end: the real CLI in a child process
 * (bin/stagebench.cjs, via test/cli/helpers.ts) against the device emulator over USBMUXD_SOCKET_ADDRESS,
 * with a real cache directory and STAGEBENCH_PASSPHRASE.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type EmulatedDevice, type Emulator } from '../support/emulator';
import { enrollmentProfile } from './helpers';
import { runStagebench } from '../cli/helpers';

/** The device's current cloud configuration (a call, so assertions do not narrow it for later reads). */
const cloud = (d: EmulatedDevice) => d.cloudConfiguration;

describe('stagebench prepare / erase / rename / get / org', () => {
  let emu: Emulator;
  let dir: string;
  let env: Record<string, string>;
  let orgId: string;
  let enroll: string;

  before(async () => {
    emu = await startEmulator({ devices: 2, kinds: ['iphone', 'appletv'], knobs: { eraseReattachMs: 150 } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-cli-prepare-'));
    env = { STAGEBENCH_DATA_DIR: path.join(dir, 'data'), STAGEBENCH_PASSPHRASE: 'bench-passphrase-1', USBMUXD_SOCKET_ADDRESS: emu.address, WIFI_PW: 'corp-wifi-pass-1' };
    enroll = path.join(dir, 'enroll.mobileconfig');
    fs.writeFileSync(enroll, enrollmentProfile());
  });
  after(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('org create / list / export-cert / import', async () => {
    const c = await runStagebench(['org', 'create', '--name', 'Acme CLI', '--department', 'Bench', '--format', 'json'], env);
    assert.equal(c.code, 0, c.stderr);
    const row = JSON.parse(c.stdout) as { id: string; name: string; source: string };
    assert.equal(row.name, 'Acme CLI');
    orgId = row.id;
    const noPass = await runStagebench(['org', 'create', '--name', 'No Pass'], { ...env, STAGEBENCH_PASSPHRASE: '' });
    assert.notEqual(noPass.code, 0);
    assert.match(noPass.stderr, /STAGEBENCH_PASSPHRASE/);
    const l = await runStagebench(['org', 'list', '--format', 'json'], { ...env, STAGEBENCH_PASSPHRASE: '' });
    assert.equal(l.code, 0, l.stderr);
    assert.deepEqual((JSON.parse(l.stdout) as { name: string }[]).map((o) => o.name), ['Acme CLI']);
    const out = path.join(dir, 'acme.der');
    const e = await runStagebench(['org', 'export-cert', 'Acme CLI', '--out', out], env);
    assert.equal(e.code, 0, e.stderr);
    assert.equal(new X509Certificate(fs.readFileSync(out)).subject, 'CN=Acme CLI\nO=Acme CLI');
    const bad = await runStagebench(['org', 'import', '--cert', out], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--cert and --key go together|--p12/);
    const missing = await runStagebench(['org', 'export-cert', 'Nope', '--out', out], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no organization "Nope"/);
  });

  it('prepare --supervised --org with Wi-Fi + enrollment, language, time zone and name; a second prepare says erase first', async () => {
    const phone = emu.devices.find((d) => d.model.DeviceClass === 'iPhone')!;
    const args = ['prepare', '--udid', phone.udid, '--supervised', '--org', orgId, '--skip', 'Siri', '--skip', 'Location', '--language', 'de', '--locale', 'de_CH',
      '--timezone', 'Europe/Zurich', '--device-name', 'CLI iPhone', '--wifi-ssid', 'Corp', '--wifi-password-env', 'WIFI_PW', '--enroll', enroll, '--format', 'json'];
    const r = await runStagebench(args, env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const [out] = JSON.parse(r.stdout) as { udid: string; ok: boolean; result: { supervised: boolean; profiles: { PayloadIdentifier: string; silent: boolean }[]; cloudConfiguration: { SupervisorHostCertificates: string[] } } }[];
    assert.equal(out.ok, true);
    assert.equal(out.result.supervised, true);
    assert.deepEqual(out.result.profiles.map((p) => [p.PayloadIdentifier, p.silent]), [['com.acme.enroll.wifi.corp', true], ['com.acme.enroll', true]]);
    assert.equal(typeof out.result.cloudConfiguration.SupervisorHostCertificates[0], 'string', 'certificates as base64 in JSON');
    assert.deepEqual(phone.cloudConfiguration?.SkipSetup, ['Location', 'Siri']);
    assert.equal(phone.domains.get('com.apple.international')?.Locale, 'de_CH');
    assert.equal(phone.defaultOverrides.DeviceName, 'CLI iPhone');
    assert.ok(!r.stdout.includes('corp-wifi-pass-1') && !r.stderr.includes('corp-wifi-pass-1'), 'the Wi-Fi password is not printed');

    const again = await runStagebench(args, env);
    assert.equal(again.code, 1);
    const [fail] = JSON.parse(again.stdout) as { ok: boolean; error: string; remediation: string }[];
    assert.equal(fail.ok, false);
    assert.equal(fail.remediation, 'erase');
    assert.match(fail.error, /erase the device first/);
  });

  it('get and rename (supervised pairing with --org when needed)', async () => {
    const phone = emu.devices.find((d) => d.model.DeviceClass === 'iPhone')!;
    const rn = await runStagebench(['rename', 'Front Desk', '--udid', phone.udid, '--org', orgId], env);
    assert.equal(rn.code, 0, rn.stderr);
    assert.match(rn.stdout, /renamed to Front Desk/);
    const g = await runStagebench(['get', 'DeviceName', 'IsSupervised', 'OrganizationName', 'com.apple.international:Language', '--udid', phone.udid, '--format', 'json'], env);
    assert.equal(g.code, 0, g.stderr);
    assert.deepEqual((JSON.parse(g.stdout) as { result: unknown }[])[0].result, {
      DeviceName: 'Front Desk', IsSupervised: true, OrganizationName: 'Acme CLI', 'com.apple.international:Language': 'de',
    });
    const t = await runStagebench(['get', 'ProductType', '--udid', phone.udid], env);
    assert.match(t.stdout, /ProductType: iPhone15,2/);
  });

  it('Apple TV by --ecid: an iOS-only skip key is invalid input (exit 2, nothing written); tvOS prepare gives operator instructions', async () => {
    const tv = emu.devices.find((d) => d.model.DeviceClass === 'AppleTV')!;
    const ecid = `0x${tv.identity.UniqueChipID.toString(16)}`;
    const bad = await runStagebench(['prepare', '--ecid', ecid, '--skip', 'Passcode', '--format', 'json'], env);
    assert.equal(bad.code, 2, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /not a tvOS skip key/);
    assert.equal(tv.cloudConfiguration, null);
    const ok = await runStagebench(['prepare', '--ecid', ecid, '--supervised', '--org', 'Acme CLI', '--skip', 'ScreenSaver', '--skip', 'TVRoom', '--auto-advance',
      '--wifi-ssid', 'Corp', '--wifi-password-env', 'WIFI_PW', '--enroll', enroll], env);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /prepared \(manual, supervised, tvOS AppleTV5,3/);
    assert.match(ok.stdout, /next: .*cancel Apple TV Assistant/);
    assert.equal(cloud(tv)?.AutoAdvanceSetup, true);
    assert.deepEqual(tv.profiles.map((p) => p.PayloadIdentifier), ['com.acme.enroll.wifi.corp', 'com.acme.enroll']);
  });

  it('erase --wait, then prepare works again; selection and flag errors exit 2', async () => {
    const phone = emu.devices.find((d) => d.model.DeviceClass === 'iPhone')!;
    const e = await runStagebench(['erase', '--udid', phone.udid, '--org', orgId, '--wait', '5', '--format', 'json'], env);
    assert.equal(e.code, 0, e.stdout + e.stderr);
    assert.equal((JSON.parse(e.stdout) as { result: { reattached: boolean } }[])[0].result.reattached, true);
    assert.equal(phone.cloudConfiguration, null);
    const p = await runStagebench(['prepare', '--udid', phone.udid, '--skip-all', '--language', 'fr'], env);
    assert.equal(p.code, 0, p.stdout + p.stderr);
    assert.equal(cloud(phone)?.IsSupervised, false);

    for (const args of [
      ['prepare', '--skip', 'Siri'],
      ['prepare', '--all', '--udid', phone.udid],
      ['prepare', '--all', '--dep', '--skip', 'Siri'],
      ['prepare', '--all', '--supervised'],
      ['prepare', '--all', '--timezone', 'Nowhere/Else'],
      ['prepare', '--all', '--allow-pairing', '--forbid-pairing'],
      ['erase', '--ecid', 'zz'],
    ]) {
      const r = await runStagebench(args, env);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /stagebench: /);
    }
  });
});
