/**
 * `stagebench blueprint …` end to end (a child process running the CLI, against the device
 * emulator over the real wire protocols): create from flags with a per-device enrollment template
 * and a sealed Wi-Fi password, list, apply --all, export without secrets, import with and without
 * them, invalid input (exit 2), delete.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../support/emulator';
import { makeTestPki, type TestPki } from '../support/pki';
import { runStagebench } from '../cli/helpers';

let dir: string;
let pki: TestPki;
let emu: Emulator;
let env: Record<string, string>;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-cli-bp-'));
  pki = makeTestPki(path.join(dir, 'pki'), { keyType: 'rsa' });
  emu = await startEmulator({ devices: 2, seed: 'cli-bp' });
  env = {
    STAGEBENCH_DATA_DIR: path.join(dir, 'data'), STAGEBENCH_PASSPHRASE: 'bench passphrase 1', USBMUXD_SOCKET_ADDRESS: emu.address,
    WIFI_PW: 'wifi-secret-pass', P12_PW: pki.p12Password, SCEP: 'scep-secret-123',
  };
});
after(async () => {
  await emu.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('blueprint create / list / apply / export / import / delete through the CLI', async () => {
  const imp = await runStagebench(['identity', 'import', pki.p12Path, '--password-env', 'P12_PW', '--format', 'json'], env);
  assert.equal(imp.code, 0, imp.stderr);
  const identityId = (JSON.parse(imp.stdout) as { id: string }).id;
  const template = path.join(dir, 'template.json');
  fs.writeFileSync(template, JSON.stringify({
    name: 'Acme {serial}', identifier: 'com.acme.device.{serial}', serverUrl: 'https://mdm.acme.test/mdm', topic: 'com.apple.mgmt.External.acme',
    scep: { url: 'https://mdm.acme.test/scep', subject: '/CN={serial}', challenge: 'scep-secret-123' },
  }));

  const created = await runStagebench(['blueprint', 'create', 'Lab', '--wifi-ssid', 'Corp', '--wifi-password-env', 'WIFI_PW', '--enroll-template', template, '--identity', identityId,
    '--name-pattern', 'Lab-{counter:2}', '--time-zone', 'Europe/Berlin', '--format', 'json'], env);
  assert.equal(created.code, 0, created.stderr);
  const view = JSON.parse(created.stdout) as { ready: boolean; actions: { type: string }[]; secrets: { ref: string; stored: boolean }[] };
  assert.equal(view.ready, true);
  assert.deepEqual(view.actions.map((a) => a.type), ['wifi', 'enrollment-profile', 'device-name', 'locale']);
  assert.deepEqual(view.secrets.map((s) => [s.ref, s.stored]), [['wifi-1', true], ['scep-1', true]]);

  const list = await runStagebench(['blueprint', 'list'], env);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^NAME\s+ACTIONS\s+READY/m);
  assert.match(list.stdout, /Lab\s+wifi,enrollment-profile,device-name,locale\s+yes/);

  const applied = await runStagebench(['blueprint', 'apply', 'Lab', '--all', '--format', 'json'], env);
  assert.equal(applied.code, 0, applied.stdout + applied.stderr);
  const summary = JSON.parse(applied.stdout) as { succeeded: number; failed: number };
  assert.deepEqual([summary.succeeded, summary.failed], [2, 0]);
  assert.match(applied.stderr, /device-name\s+done: named "Lab-0[12]"/);
  assert.deepEqual(emu.devices.map((d) => d.defaultOverrides.DeviceName).sort(), ['Lab-01', 'Lab-02']);
  for (const d of emu.devices) assert.ok(d.profiles.some((p) => p.PayloadIdentifier === `com.acme.device.${d.identity.SerialNumber}` && p.signed));

  const out = path.join(dir, 'lab.blueprint.json');
  const exp = await runStagebench(['blueprint', 'export', 'Lab', '--out', out], env);
  assert.equal(exp.code, 0, exp.stderr);
  const exported = fs.readFileSync(out, 'utf8');
  assert.doesNotMatch(exported, /wifi-secret-pass|scep-secret-123/);
  assert.match(exp.stderr, /note: Wi-Fi password of "Corp" is not exported/);

  const partial = await runStagebench(['blueprint', 'import', out, '--name', 'Copy'], env);
  assert.equal(partial.code, 0, partial.stderr);
  assert.match(partial.stderr, /warning: secret "wifi-1" was not given/);
  const refused = await runStagebench(['blueprint', 'apply', 'Copy', '--all'], env);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /blueprint "Copy" cannot run: Wi-Fi password of "Corp" is not stored/);
  const full = await runStagebench(['blueprint', 'import', out, '--name', 'Copy', '--replace', '--secret-env', 'wifi-1=WIFI_PW', '--secret-env', 'scep-1=SCEP', '--format', 'json'], env);
  assert.equal(full.code, 0, full.stderr);
  assert.equal((JSON.parse(full.stdout) as { blueprint: { ready: boolean } }).blueprint.ready, true);

  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ name: 'Bad', actions: [{ type: 'erase' }, { type: 'device-name', pattern: '{nope}' }] }));
  const invalid = await runStagebench(['blueprint', 'create', '--from-json', bad], env);
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /erase must be the last action/);
  assert.match(invalid.stderr, /unknown placeholder \{nope\}/);
  const noDevices = await runStagebench(['blueprint', 'apply', 'Lab'], env);
  assert.equal(noDevices.code, 2);
  const missing = await runStagebench(['blueprint', 'apply', 'Lab', '--udid', '00000000-0000000000000000'], env);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /not attached: 00000000-0000000000000000/);

  assert.equal((await runStagebench(['blueprint', 'delete', 'Copy'], env)).code, 0);
  assert.equal((await runStagebench(['blueprint', 'delete', 'Copy'], env)).code, 2);
  const show = await runStagebench(['blueprint', 'show', 'Lab'], env);
  assert.match(show.stdout, /secret wifi-1: Wi-Fi password of "Corp" — stored \(sealed\)/);
  const raw = Buffer.concat(fs.readdirSync(env.STAGEBENCH_DATA_DIR).map((f) => fs.readFileSync(path.join(env.STAGEBENCH_DATA_DIR, f))));
  assert.equal(raw.indexOf(Buffer.from('wifi-secret-pass')), -1, 'Wi-Fi password found in the data directory');
  assert.equal(raw.indexOf(Buffer.from('scep-secret-123')), -1, 'SCEP challenge found in the data directory');
});
