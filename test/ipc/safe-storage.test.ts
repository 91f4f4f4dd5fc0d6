/**
 * The safeStorage adapters (main/electron/safe-storage.ts) with `electron` replaced by a stand-in
 * safeStorage (test/ipc/fixtures/electron-stub.mjs): binary round trip, refusal of foreign blobs,
 * the keyring wrapper reopening a data dir, the basic_text warning, and the error when encryption
 * is unavailable. Runs in a child process because the stub is installed through a loader hook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const FIX = path.join(import.meta.dirname, 'fixtures');

function probe(backend: string): Record<string, unknown> {
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--import', path.join(FIX, 'electron-stub-register.mjs'), path.join(FIX, 'safe-storage-probe.ts')], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, STUB_SAFE_STORAGE: backend },
  });
  const line = res.stdout.split('\n').find((l) => l.startsWith('PROBE '));
  assert.ok(line, `probe printed no report (status ${res.status}):\n${res.stderr}`);
  return JSON.parse(line.slice('PROBE '.length)) as Record<string, unknown>;
}

test('with a keyring backend: seal/open round-trips bytes, the keyring reopens, no warning', () => {
  const r = probe('gnome_libsecret');
  assert.equal(r.constructError, undefined);
  assert.equal(r.roundTrip, true);
  assert.equal(r.sealedHidesPlaintext, true);
  assert.match(String(r.openGarbage), /^SecretBoxError: .*could not be opened/);
  assert.equal(r.keyringReopens, true);
  assert.deepEqual(r.keyringKinds, ['electron-safeStorage']);
  assert.deepEqual(r.warnings, []);
});

test('basic_text backend works but warns that secrets are only obfuscated', { skip: process.platform !== 'linux' && 'basic_text exists on Linux only' }, () => {
  const r = probe('basic_text');
  assert.equal(r.roundTrip, true);
  assert.equal((r.warnings as string[]).length, 1);
  assert.match((r.warnings as string[])[0], /basic_text.*only obfuscated/);
});

test('unavailable encryption is refused with a SecretBoxError', () => {
  const r = probe('off');
  assert.match(String(r.constructError), /^SecretBoxError: safeStorage encryption is not available/);
});
