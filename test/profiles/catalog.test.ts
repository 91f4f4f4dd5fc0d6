import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG_DIR, DEFAULT_SOURCE_DIR, generateCatalogFiles } from '../../scripts/generate-catalogs';
import { catalogPayload, checkOsSupport, compareVersions, findKey, payloadCatalog, skipKeyCatalog } from '../../main/profiles';

test('committed catalog files equal a fresh generation from ../shared/apple-device-management', () => {
  assert.ok(fs.existsSync(DEFAULT_SOURCE_DIR), `schema missing at ${DEFAULT_SOURCE_DIR}`);
  const fresh = generateCatalogFiles();
  assert.deepEqual(Object.keys(fresh).sort(), ['LICENSE-apple-device-management.txt', 'payloads.json', 'skipkeys.json']);
  for (const [name, bytes] of Object.entries(fresh)) {
    const committed = fs.readFileSync(path.join(CATALOG_DIR, name));
    assert.ok(committed.equals(bytes), `${name} differs from a fresh generation: run npm run catalog`);
  }
  // Deterministic: a second generation is byte-identical.
  const again = generateCatalogFiles();
  for (const name of Object.keys(fresh)) assert.ok(again[name].equals(fresh[name]));
  assert.match(fresh['LICENSE-apple-device-management.txt'].toString(), /MIT|Permission is hereby granted/);
});

test('catalog names the source branch and holds every mdm/profiles payload type', () => {
  const c = payloadCatalog();
  assert.equal(c.source.branch, 'seed_iOS-18.2_macOS-15.2');
  const types = new Set(
    fs.readdirSync(path.join(DEFAULT_SOURCE_DIR, 'mdm', 'profiles'))
      .filter((f) => f.endsWith('.yaml') && f !== 'TopLevel.yaml' && f !== 'CommonPayloadKeys.yaml')
      .map((f) => /payloadtype:\s*(\S+)/.exec(fs.readFileSync(path.join(DEFAULT_SOURCE_DIR, 'mdm', 'profiles', f), 'utf8'))![1]),
  );
  assert.deepEqual(Object.keys(c.payloads).sort(), [...types].sort());
  assert.deepEqual(Object.keys(c.payloads), Object.keys(c.payloads).slice().sort(), 'payload types sorted');
});

test('key supportedOS inherits the payload block and overrides only named fields', () => {
  const scep = catalogPayload('com.apple.security.scep')!;
  const content = findKey(scep.keys, 'PayloadContent')!;
  const url = findKey(content.subkeys, 'URL')!;
  assert.equal(url.supportedOS.iOS?.introduced, '4.0'); // inherited
  assert.equal(url.supportedOS.macOS?.introduced, '10.7'); // named
  assert.equal(url.supportedOS.watchOS?.introduced, '3.0');
  const usage = findKey(content.subkeys, 'Key Usage')!;
  assert.equal(usage.supportedOS.macOS?.introduced, '10.11');
  assert.equal(usage.supportedOS.macOS?.devicechannel, true, 'other macOS fields inherited');
  assert.equal(usage.type, 'integer');
  assert.deepEqual(findKey(content.subkeys, 'Keysize')!.rangelist, [1024, 2048, 4096]);
  const mdm = catalogPayload('com.apple.mdm')!;
  const mai = findKey(mdm.keys, 'ManagedAppleID')!;
  assert.equal(mai.supportedOS.iOS?.removed, '18.0');
  assert.equal(mai.supportedOS.tvOS?.introduced, 'n/a');
  assert.equal(findKey(mdm.keys, 'ServerURL')!.format, '^https://.*$');
  assert.equal(findKey(payloadCatalog().topLevel.keys, 'DurationUntilRemoval')!.type, 'real');
  assert.equal(findKey(payloadCatalog().topLevel.keys, 'PayloadScope')!.supportedOS.macOS?.introduced, '10.8');
  // 'multiple' is payload-level only.
  assert.equal(mdm.supportedOS.iOS?.multiple, false);
  assert.equal(findKey(mdm.keys, 'Topic')!.supportedOS.iOS?.multiple, undefined);
});

test('checkOsSupport applies n/a, introduced and removed against a minimum version', () => {
  const mai = findKey(catalogPayload('com.apple.mdm')!.keys, 'ManagedAppleID')!;
  assert.equal(checkOsSupport(mai.supportedOS, 'iOS', '17.0').ok, true);
  assert.equal(checkOsSupport(mai.supportedOS, 'iOS', '18.0').ok, false);
  assert.equal(checkOsSupport(mai.supportedOS, 'iOS', '12.0').ok, false);
  assert.equal(checkOsSupport(mai.supportedOS, 'tvOS').ok, false);
  assert.ok(compareVersions('10.13.4', '10.2') > 0);
  assert.equal(compareVersions('18', '18.0'), 0);
  assert.throws(() => compareVersions('x', '1'), /dotted numbers/);
});

test('recursive schema keys point at their ancestor instead of looping', () => {
  const raw = fs.readFileSync(path.join(CATALOG_DIR, 'payloads.json'), 'utf8');
  assert.ok(raw.includes('"subkeysOf"'));
});

test('skip keys merge skipkeys.yaml with SKIPKEYS-SINCE-18.2.md', () => {
  const sk = skipKeyCatalog();
  const by = new Map(sk.keys.map((k) => [k.key, k]));
  assert.equal(sk.source.branch, 'seed_iOS-18.2_macOS-15.2');
  // From YAML, with inheritance (AppleID names no supportedOS).
  assert.equal(by.get('AppleID')!.platforms.iOS?.introduced, '7.0');
  assert.equal(by.get('Keyboard')!.platforms.iOS?.alwaysSkippable, false);
  // Added by the markdown: new key with NAS, macOS support added later, removal, visionOS 26.
  assert.deepEqual(by.get('SafetyAndHandling')!.platforms.iOS, { introduced: '18.4', alwaysSkippable: false });
  assert.equal(by.get('UpdateCompleted')!.platforms.macOS?.introduced, '26.1');
  assert.equal(by.get('SoftwareUpdate')!.platforms.macOS?.introduced, '15.4');
  assert.equal(by.get('Wallpaper')!.platforms.macOS?.removed, '26');
  assert.equal(by.get('Siri')!.platforms.visionOS?.introduced, '26');
  assert.equal(by.get('UnlockWithWatch')!.platforms.macOS?.introduced, '15.0');
  assert.equal(by.get('AgeAssurance')!.withdrawn, true);
  assert.equal(by.get('LiquidGlass')!.unverified, true);
  assert.ok(sk.notSkipKeys.some((k) => k.key === 'CloudStorage' && /iCloudStorage/.test(k.note)));
  assert.ok(!by.has('WiFi'));
});
