/**
 * Blueprint CRUD, validation before writing, secret sealing, and JSON export/import round trips
 * (secrets never exported; import without them leaves the blueprint not ready).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BlueprintExistsError, BlueprintInputError, BlueprintNotFoundError, BlueprintNotReadyError, parseBlueprintJson } from '../../main/blueprints';
import { DB_FILE } from '../../main/store';
import { makeFixture, type BlueprintFixture } from './helpers';

let fx: BlueprintFixture;
before(() => {
  fx = makeFixture();
});
after(() => fx.close());

const ADDRESS = '127.0.0.1:1'; // no device work in this file

test('create seals the Wi-Fi password, list/get/delete work, names are unique', () => {
  const svc = fx.service(ADDRESS);
  const b = svc.create({
    name: 'Lab iPads', description: 'classroom carts',
    actions: [
      { type: 'wifi', ssid: 'Corp', password: 'wifi-secret-pass' },
      { type: 'enrollment-profile', profileId: fx.enrollProfileId },
      { type: 'device-name', pattern: 'Lab-{counter:3}' },
      { type: 'locale', language: 'de', region: 'de_DE', timeZone: 'Europe/Berlin' },
    ],
  });
  assert.equal(b.ready, true, b.problems.join('; '));
  assert.deepEqual(b.actions[0], { type: 'wifi', ssid: 'Corp', passwordRef: 'wifi-1' });
  assert.deepEqual(b.secrets, [{ ref: 'wifi-1', what: 'Wi-Fi password of "Corp"', stored: true }]);
  assert.deepEqual(svc.list().map((x) => x.name), ['Lab iPads']);
  assert.equal(svc.get('lab ipads').id, b.id, 'names are case-insensitive');
  assert.throws(() => svc.create({ name: 'LAB IPADS', actions: [{ type: 'erase' }] }), BlueprintExistsError);
  const replaced = svc.create({ name: 'Lab iPads', actions: [{ type: 'locale', timeZone: 'UTC' }] }, { replace: true });
  assert.equal(replaced.id, b.id);
  assert.deepEqual(replaced.secrets, []);
  const raw = fs.readFileSync(path.join(fx.dir, DB_FILE));
  assert.equal(raw.indexOf(Buffer.from('wifi-secret-pass')), -1, 'password in clear in the cache');
  assert.equal(svc.delete('Lab iPads'), true);
  assert.equal(svc.delete('Lab iPads'), false);
  assert.throws(() => svc.get('Lab iPads'), BlueprintNotFoundError);
});

test('invalid input is refused before anything is written, with every problem named', () => {
  const svc = fx.service(ADDRESS);
  const bad = (input: unknown, re: RegExp): void => {
    assert.throws(() => svc.create(input), (err: Error) => err instanceof BlueprintInputError && re.test(err.message), `expected ${re}`);
  };
  bad({ name: 'X', actions: [] }, /at least one action/);
  bad({ name: 'X', actions: [{ type: 'erase' }, { type: 'locale', language: 'en' }] }, /erase must be the last action/);
  bad({ name: 'X', actions: [{ type: 'device-name', pattern: 'Lab-{serail}' }] }, /unknown placeholder \{serail\}/);
  bad({ name: 'X', actions: [{ type: 'device-name', pattern: 'Lab-{serial:3}' }] }, /only \{counter:N\} takes a width/);
  bad({ name: 'X', actions: [{ type: 'wifi', ssid: 'Corp', password: 'short' }] }, /8–63 characters/);
  bad({ name: 'X', actions: [{ type: 'locale', timeZone: 'Mars/Olympus' }] }, /IANA time zone/);
  bad({ name: 'X', actions: [{ type: 'teleport' }] }, /Invalid discriminator|expected/i);
  bad({ name: 'X', actions: [{ type: 'install-profile', profileId: 'no-such-profile' }] }, /profile no-such-profile is not in the cache/);
  bad({ name: 'X', actions: [{ type: 'enrollment-profile', template: { name: 'E', identifier: 'com.acme.{serial}', serverUrl: 'https://m/{serial}', topic: 't' } }] }, /needs identityId/);
  bad({ name: 'X', actions: [{ type: 'wifi', ssid: 'Corp', passwordRef: 'wifi-9' }] }, /Wi-Fi password of "Corp" is missing/);
  assert.deepEqual(svc.list(), []);
});

test('export leaves secrets out with notes; import validates and reports missing secrets; apply refuses until they are given', async () => {
  const svc = fx.service(ADDRESS);
  svc.create({
    name: 'Carts',
    actions: [
      { type: 'wifi', ssid: 'Corp', password: 'wifi-secret-pass', encryption: 'WPA2' },
      { type: 'enrollment-profile', identityId: fx.identityId, template: {
        name: 'Acme {serial}', identifier: 'com.acme.enroll.{serial}', serverUrl: 'https://mdm.acme.test/mdm?sn={serial}', topic: 'com.apple.mgmt.External.acme',
        scep: { url: 'https://mdm.acme.test/scep', subject: '/CN={serial}', challenge: 'scep-secret-123' },
      } },
      { type: 'install-profile', profileId: fx.enrollProfileId },
    ],
  });
  const { json, fileName, document } = svc.export('Carts');
  assert.equal(fileName, 'Carts.blueprint.json');
  assert.doesNotMatch(json, /wifi-secret-pass|scep-secret-123/);
  assert.deepEqual(document.secrets?.map((s) => s.ref), ['wifi-1', 'scep-1']);
  assert.ok(document.notes?.some((n) => /--secret-env wifi-1=/.test(n)));
  assert.ok(document.notes?.some((n) => /private keys are never exported/.test(n)));
  assert.ok(document.notes?.some((n) => n.includes(fx.enrollProfileId) && /Acme Enrollment/.test(n)));
  assert.deepEqual(parseBlueprintJson(json).actions, svc.get('Carts').actions, 'the file round-trips through the schema');

  const partial = svc.import(json, { name: 'Carts copy', secrets: { 'scep-1': 'other-challenge' } });
  assert.deepEqual(partial.missingSecrets, ['wifi-1']);
  assert.equal(partial.blueprint.ready, false);
  assert.match(partial.blueprint.problems.join('\n'), /Wi-Fi password of "Corp" is not stored.*--secret-env wifi-1=VAR/);
  await assert.rejects(svc.apply('Carts copy'), BlueprintNotReadyError);

  const full = svc.import(json, { name: 'Carts copy', replace: true, secrets: { 'wifi-1': 'another-pass-1', 'scep-1': 'other-challenge' } });
  assert.equal(full.blueprint.ready, true, full.blueprint.problems.join('; '));
  assert.deepEqual(full.missingSecrets, []);

  const tampered = JSON.parse(json) as { version: number; blueprint: { actions: unknown[] } };
  tampered.version = 2;
  tampered.blueprint.actions.push({ type: 'wifi', ssid: 'x'.repeat(40) });
  assert.throws(() => svc.import(JSON.stringify(tampered)), (err: Error) => err instanceof BlueprintInputError && /version/.test(err.message) && /32 bytes/.test(err.message));
  assert.throws(() => svc.import('{not json'), /not JSON/);
});

test('a prepare action is accepted but not ready until an executor is registered', () => {
  const svc = fx.service(ADDRESS);
  const b = svc.create({ name: 'Supervise', actions: [{ type: 'prepare', supervised: true, skipSetup: 'all', language: 'en' }] });
  assert.equal(b.ready, false);
  assert.match(b.problems[0], /prepare action has no executor.*registerActionExecutor/);
});
