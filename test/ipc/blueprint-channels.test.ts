/**
 * The blueprint editor's channels over the real services: `blueprints:create` with an ordered
 * `actions` list (prepare with an organization, locale, device name, erase), the service's issues
 * one per line with the step index (`actions.N`), a Wi-Fi password never echoed, the skip-key
 * catalog grouped by platform, and `blueprints:delete`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppServices, type AppServices } from '../../main/app/services';
import type { ChannelOutput } from '../../main/ipc/contract';
import { createDispatcher, type Dispatch } from '../../main/ipc/dispatch';
import { openKeyring, passphraseWrapper } from '../../main/secrets';

let tmp: string;
let services: AppServices;
let dispatch: Dispatch;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stagebench-ipc-bp-'));
  const dataDir = path.join(tmp, 'data');
  services = createAppServices({ dataDir, secretBox: openKeyring(dataDir, [passphraseWrapper('ipc bp passphrase')]), actor: 'test', usbmuxAddress: '127.0.0.1:1' });
  dispatch = createDispatcher(services, { version: '9.9.9', usbmuxAddress: '127.0.0.1:1' });
});

after(() => {
  services?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('blueprints:skip-keys lists the keys prepare accepts, per platform', async () => {
  const res = await dispatch('blueprints:skip-keys', undefined);
  assert.ok(res.ok, JSON.stringify(res));
  const groups = res.value as ChannelOutput<'blueprints:skip-keys'>;
  assert.deepEqual(groups.map((g) => g.platform), ['iOS', 'tvOS']);
  const ios = groups[0].keys.map((k) => k.key);
  assert.ok(ios.includes('Privacy') && ios.includes('Location'), ios.join(','));
  assert.ok(groups[0].keys.every((k) => k.title.length > 0));
});

test('blueprints:create with ordered actions: prepare + locale + name + erase, in order', async () => {
  const org = services.supervision.organizations.create({ name: 'Acme Schools' });
  const res = await dispatch('blueprints:create', {
    name: 'Full',
    actions: [
      { type: 'prepare', supervised: true, organizationId: org.id, skipSetup: ['Privacy', 'Location'] },
      { type: 'locale', language: 'de', region: 'de_DE', timeZone: 'America/New_York' },
      { type: 'device-name', pattern: 'Lab-{counter}' },
      { type: 'erase' },
    ],
  });
  assert.ok(res.ok, JSON.stringify(res));
  const b = res.value as ChannelOutput<'blueprints:create'>;
  assert.deepEqual(b.actions, ['Prepare (manual, supervised, skip 2 panes)', 'Locale de · de_DE · America/New_York', 'Device name Lab-{counter}', 'Erase all content and settings']);
  const stored = services.blueprints.get('Full').actions;
  assert.deepEqual(stored[0], { type: 'prepare', supervised: true, organizationId: org.id, skipSetup: ['Privacy', 'Location'] });

  const ade = await dispatch('blueprints:create', { name: 'ADE', actions: [{ type: 'prepare', ade: true }] });
  assert.ok(ade.ok, JSON.stringify(ade));
  assert.deepEqual(services.blueprints.get('ADE').actions[0], { type: 'prepare', options: { dep: true } });

  const del = await dispatch('blueprints:delete', { name: 'ADE' });
  assert.deepEqual(del, { ok: true, value: { deleted: true } });
});

test('invalid steps come back one per line with their index; the Wi-Fi password is never echoed', async () => {
  const secret = 'Very-Secret-Wifi-Pass';
  const res = await dispatch('blueprints:create', {
    name: 'Broken',
    actions: [
      { type: 'wifi', ssid: 'x'.repeat(40), password: secret },
      { type: 'erase' },
      { type: 'prepare', supervised: true, organizationId: 'no-such-org', skipSetup: ['NotAKey', 'privacy'] },
      { type: 'locale', timeZone: 'Mars/Olympus' },
      { type: 'prepare', ade: true, supervised: true },
    ],
  });
  assert.ok(!res.ok);
  assert.equal(res.error.code, 'E_INVALID_BLUEPRINT');
  const lines = res.error.message.split('\n');
  assert.equal(lines[0], 'invalid blueprint:');
  const about = (i: number) => lines.filter((l) => l.startsWith(`actions.${i}`)).join('\n');
  assert.match(about(1), /erase must be the last action/);
  assert.match(about(3), /IANA time zone/);
  assert.doesNotMatch(res.error.message, new RegExp(secret));

  // Past the schema: the deep checks name the organization and each bad skip key.
  const deep = await dispatch('blueprints:create', {
    name: 'Broken',
    actions: [
      { type: 'prepare', supervised: true, organizationId: 'no-such-org', skipSetup: ['NotAKey', 'privacy'] },
      { type: 'prepare', ade: true, supervised: true },
    ],
  });
  assert.ok(!deep.ok);
  const deepLines = deep.error.message.split('\n');
  assert.ok(deepLines.some((l) => /^actions\.0 \(prepare\): organization "no-such-org" is not in the cache/.test(l)), deep.error.message);
  assert.ok(deepLines.some((l) => /^actions\.0 \(prepare\): skip key "NotAKey" is not a Setup Assistant skip key/.test(l)), deep.error.message);
  assert.ok(deepLines.some((l) => /^actions\.0 \(prepare\): skip key "privacy": Apple's key is "Privacy"/.test(l)), deep.error.message);
  assert.ok(deepLines.some((l) => /^actions\.1 \(prepare\): .*only apply to a manual prepare/.test(l)), deep.error.message);

  const both = await dispatch('blueprints:create', { name: 'Mixed', deviceNamePattern: 'A', actions: [{ type: 'erase' }] });
  assert.ok(!both.ok);
  assert.match(both.error.message, /not both/);
  const loose = await dispatch('blueprints:create', { name: 'Loose', actions: [{ type: 'erase', extra: 1 }] });
  assert.ok(!loose.ok);
  assert.equal(loose.error.code, 'E_INVALID_INPUT');
});
