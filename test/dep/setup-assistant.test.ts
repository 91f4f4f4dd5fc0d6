import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  allSetupPanes, panesByPlatform, panesForPlatform, resolveSkipItems, setupPane, skipAllKeys, whyNotSkipKey,
} from '../../main/dep/setup-assistant';

const SCHEMA = path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'apple-device-management');

test('every skip key of Apple\'s skipkeys.yaml and SKIPKEYS-SINCE-18.2.md is offered, withdrawn ones are not', () => {
  const yaml = parseYaml(fs.readFileSync(path.join(SCHEMA, 'other', 'skipkeys.yaml'), 'utf8')) as { payloadkeys: { key: string; title: string }[] };
  const offered = new Set(allSetupPanes().map((p) => p.key));
  for (const k of yaml.payloadkeys) {
    assert.ok(offered.has(k.key), `${k.key} missing`);
    assert.equal(setupPane(k.key)!.title, k.title);
  }
  for (const later of ['SafetyAndHandling', 'Multitasking', 'OSShowcase', 'Tips', 'UnlockWithWatch']) assert.ok(offered.has(later), later);
  for (const gone of ['AgeAssurance', 'AgeBasedSafetySettings']) {
    assert.ok(!offered.has(gone));
    assert.match(whyNotSkipKey(gone)!, /withdrawn/);
  }
  // merged versions from SKIPKEYS-SINCE-18.2.md
  assert.equal(setupPane('SoftwareUpdate')!.platforms.macOS!.introduced, '15.4');
  assert.equal(setupPane('UpdateCompleted')!.platforms.macOS!.introduced, '26.1');
  assert.equal(setupPane('AppleID')!.platforms.visionOS!.introduced, '26');
  assert.equal(setupPane('SafetyAndHandling')!.platforms.iOS!.alwaysSkippable, false);
  assert.equal(setupPane('LiquidGlass')!.unverified, true);
});

test('panes per platform: tvOS keys only on tvOS, deprecated and not-always-skippable marked', () => {
  const ios = panesForPlatform('iOS');
  const tv = panesForPlatform('tvOS');
  assert.ok(tv.some((l) => l.pane.key === 'TVRoom'));
  assert.ok(!ios.some((l) => l.pane.key === 'TVRoom'));
  assert.ok(!tv.some((l) => l.pane.key === 'Passcode'));
  const zoom = ios.find((l) => l.pane.key === 'Zoom')!;
  assert.equal(zoom.deprecated, true);
  assert.equal(zoom.support.deprecated, '17.0');
  const kb = ios.find((l) => l.pane.key === 'Keyboard')!;
  assert.equal(kb.notAlwaysSkippable, true);
  assert.equal(ios.find((l) => l.pane.key === 'Location')!.notAlwaysSkippable, false);
  // unverified keys only on request
  assert.ok(!panesForPlatform('macOS').some((l) => l.pane.unverified));
  const grouped = panesByPlatform();
  assert.deepEqual(Object.keys(grouped), ['iOS', 'macOS', 'tvOS', 'visionOS']);
  assert.ok(grouped.visionOS.some((l) => l.pane.key === 'Tips'));
});

test('minimum OS filter: removed keys drop out, later keys are marked, deprecation at the minimum flagged', () => {
  const mac14 = panesForPlatform('macOS', { minimumOs: '14.0' });
  const mac26 = panesForPlatform('macOS', { minimumOs: '26.0' });
  assert.ok(mac14.some((l) => l.pane.key === 'Wallpaper'));
  assert.ok(!mac26.some((l) => l.pane.key === 'Wallpaper'), 'Wallpaper was removed in macOS 26');
  assert.equal(mac14.find((l) => l.pane.key === 'Intelligence')!.introducedAfterMinimum, true);
  assert.equal(mac26.find((l) => l.pane.key === 'Intelligence')!.introducedAfterMinimum, false);
  assert.equal(panesForPlatform('iOS', { minimumOs: '16.0' }).find((l) => l.pane.key === 'Zoom')!.deprecatedAtMinimum, false);
  assert.equal(panesForPlatform('iOS', { minimumOs: '17.0' }).find((l) => l.pane.key === 'Zoom')!.deprecatedAtMinimum, true);
  assert.throws(() => panesForPlatform('iOS', { minimumOs: 'seventeen' }), /not a version/);
});

test('skip all per platform lists only that platform\'s keys at the minimum', () => {
  const tv = skipAllKeys('tvOS');
  assert.ok(tv.includes('TVProviderSignIn') && tv.includes('AppleID'));
  assert.ok(!tv.includes('Passcode'));
  assert.ok(skipAllKeys('macOS', '25.0').includes('Wallpaper'));
  assert.ok(!skipAllKeys('macOS', '26.0').includes('Wallpaper'));
  const resolved = resolveSkipItems(skipAllKeys('iOS'));
  assert.equal(resolved.rejected.length, 0);
  assert.equal(resolved.implied.length, 0, 'skip-all already contains every implied key');
});

test('conventions are applied visibly with reasons: Passcode → Touch ID and Apple Pay; Apple Account → Apple Pay', () => {
  const p = resolveSkipItems(['Passcode']);
  assert.deepEqual(p.chosen, ['Passcode']);
  assert.deepEqual(p.items, ['Biometric', 'Passcode', 'Payment']);
  assert.deepEqual(p.implied.map((i) => [i.key, i.impliedBy]), [['Biometric', 'Passcode'], ['Payment', 'Passcode']]);
  assert.match(p.implied[0].reason, /Touch ID/);
  const a = resolveSkipItems(['AppleID']);
  assert.deepEqual(a.items, ['AppleID', 'Payment']);
  assert.match(a.implied[0].reason, /Apple Account/);
  const chosenAlready = resolveSkipItems(['Passcode', 'Payment']);
  assert.deepEqual(chosenAlready.implied.map((i) => i.key), ['Biometric']);
  assert.deepEqual(resolveSkipItems(['Passcode'], { applyConventions: false }).items, ['Passcode']);
});

test('names that are not ADE skip keys are rejected and never emitted', () => {
  const r = resolveSkipItems(['CloudStorage', 'WiFi', 'Language', 'appleid', 'Bogus', 'Siri', 'AgeAssurance']);
  assert.deepEqual(r.items, ['Siri']);
  const reasons = Object.fromEntries(r.rejected.map((x) => [x.key, x.reason]));
  assert.match(reasons.CloudStorage, /iCloudStorage/);
  assert.match(reasons.WiFi, /not a skip key/);
  assert.match(reasons.appleid, /"AppleID"/);
  assert.match(reasons.Bogus, /not an ADE skip key/);
  assert.match(reasons.AgeAssurance, /withdrawn/);
  const warn = resolveSkipItems(['Keyboard', 'DisplayTone']).warnings.map((w) => w.message).join('\n');
  assert.match(warn, /Keyboard is not always skippable on iOS/);
  assert.match(warn, /DisplayTone is deprecated on iOS 15.0/);
});
