/**
 * Dispatcher behaviour at the IPC boundary: input validation naming the field, unknown channels,
 * service errors as envelopes without stacks or secrets, output validation and stripping.
 * The handlers here stand in for services so each boundary rule can be exercised on its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDispatcherFromHandlers } from '../../main/ipc/dispatch';
import type { ChannelHandlers } from '../../main/ipc/handlers';
import { INVOKE_CHANNELS } from '../../main/ipc/names';
import type { IdentityRow } from '../../main/app/types';

const IDENTITY: IdentityRow = {
  id: 'id-1',
  label: 'Signer',
  subject: 'CN=Signer',
  issuer: 'CN=CA',
  keyType: 'rsa',
  notBefore: '2025-01-01T00:00:00.000Z',
  notAfter: '2026-01-01T00:00:00.000Z',
  fingerprintSha256: 'AA:BB',
  importedAt: '2025-01-02T00:00:00.000Z',
};

/** Handlers that fail loudly if a test reaches one it did not set up. */
function handlers(overrides: Partial<ChannelHandlers>): ChannelHandlers {
  const all = {} as Record<string, unknown>;
  for (const c of INVOKE_CHANNELS) {
    all[c] = () => {
      throw new Error(`unexpected call to ${c}`);
    };
  }
  return { ...(all as ChannelHandlers), ...overrides };
}

const VALID_SPEC = {
  name: 'Enroll',
  identifier: 'com.example.enroll',
  os: 'ios',
  serverUrl: 'https://mdm.example.com/mdm',
  topic: 'com.apple.mgmt.External.x',
  scep: { url: 'https://mdm.example.com/scep', challenge: 'c', subject: '/CN=x', keysize: 2048 },
  anchors: [],
};

test('invalid payload → E_INVALID_INPUT naming the offending field, handler not called', async () => {
  let called = false;
  const dispatch = createDispatcherFromHandlers(handlers({ 'profiles:build': () => ((called = true), { issues: [], xml: '', profile: null }) }));
  const res = await dispatch('profiles:build', { ...VALID_SPEC, scep: { ...VALID_SPEC.scep, keysize: 3000 } });
  assert.equal(res.ok, false);
  assert.ok(!res.ok);
  assert.equal(res.error.code, 'E_INVALID_INPUT');
  assert.match(res.error.message, /profiles:build/);
  assert.match(res.error.message, /scep\.keysize/);
  assert.equal(called, false);

  const missing = await dispatch('profiles:sign', { profileId: 'p' });
  assert.ok(!missing.ok);
  assert.match(missing.error.message, /identityId/);

  const extra = await dispatch('profiles:get', { id: 'x', evil: true });
  assert.ok(!extra.ok);
  assert.match(extra.error.message, /evil/);

  const arrays = await dispatch('profiles:build', { ...VALID_SPEC, anchors: [{ filename: 'a.cer', base64: 'not base64!' }] });
  assert.ok(!arrays.ok);
  assert.match(arrays.error.message, /anchors\[0\]\.base64: must be base64/);
});

test('valid payload reaches the handler parsed, and the value comes back', async () => {
  let seen: unknown;
  const dispatch = createDispatcherFromHandlers(
    handlers({
      'profiles:build': (input) => {
        seen = input;
        return { issues: [], xml: '<plist/>', profile: null };
      },
    }),
  );
  const res = await dispatch('profiles:build', VALID_SPEC);
  assert.deepEqual(res, { ok: true, value: { issues: [], xml: '<plist/>', profile: null } });
  assert.deepEqual(seen, VALID_SPEC);
});

test('unknown channel → E_UNKNOWN_CHANNEL, also for non-string names', async () => {
  const dispatch = createDispatcherFromHandlers(handlers({}));
  for (const name of ['shell:openExternal', '__proto__', 'constructor', '']) {
    const res = await dispatch(name, {});
    assert.ok(!res.ok, name);
    assert.equal(res.error.code, 'E_UNKNOWN_CHANNEL');
    assert.match(res.error.message, /Unknown channel/);
  }
  const res = await dispatch(42 as unknown as string, undefined);
  assert.ok(!res.ok);
  assert.equal(res.error.code, 'E_UNKNOWN_CHANNEL');
});

test('service error → envelope with message and code, never a stack', async () => {
  class NotFound extends Error {
    code = 'E_NOT_FOUND';
  }
  const dispatch = createDispatcherFromHandlers(
    handlers({
      'profiles:get': ({ id }) => {
        throw new NotFound(`no profile with id ${id}`);
      },
      'profiles:list': () => {
        throw 'plain string failure';
      },
      'identities:list': () => {
        throw undefined;
      },
      'devices:list': async () => {
        const err = new TypeError('usbmuxd is not reachable at /var/run/usbmuxd');
        (err as { code?: string }).code = 'weird code with spaces';
        throw err;
      },
    }),
  );
  const a = await dispatch('profiles:get', { id: 'p9' });
  assert.deepEqual(a, { ok: false, error: { message: 'no profile with id p9', code: 'E_NOT_FOUND' } });
  const b = await dispatch('profiles:list', undefined);
  assert.deepEqual(b, { ok: false, error: { message: 'plain string failure', code: 'E_INTERNAL' } });
  const c = await dispatch('identities:list', undefined);
  assert.deepEqual(c, { ok: false, error: { message: 'Internal error', code: 'E_INTERNAL' } });
  const d = await dispatch('devices:list', undefined);
  assert.ok(!d.ok);
  assert.equal(d.error.code, 'E_INTERNAL');
  for (const r of [a, b, c, d]) assert.doesNotMatch(JSON.stringify(r), /\n\s+at |stack/);
});

test('secret input values are redacted from error text', async () => {
  const password = 'correct horse battery';
  const dispatch = createDispatcherFromHandlers(
    handlers({
      'identities:import': (input) => {
        throw new Error(`could not decrypt with "${input.password}" (label ${input.label})`);
      },
      'stage:run': (input) => {
        throw new Error(`joining ${input.wifi?.ssid} with ${input.wifi?.password} failed`);
      },
    }),
  );
  const res = await dispatch('identities:import', { p12Base64: 'AAAA', password, label: 'Lab' });
  assert.ok(!res.ok);
  assert.doesNotMatch(res.error.message, /horse/);
  assert.match(res.error.message, /\[redacted\]/);
  assert.match(res.error.message, /label Lab/);

  const short = await dispatch('stage:run', { wifi: { ssid: 'Lab', password: 'pw', encryption: 'WPA2' }, enrollmentProfileId: 'p' });
  assert.ok(!short.ok);
  assert.equal(short.error.message, 'joining Lab with [redacted] failed');
});

test('output is validated: bad shapes become E_BAD_OUTPUT, unknown fields are stripped', async () => {
  const logged: string[] = [];
  const dispatch = createDispatcherFromHandlers(
    handlers({
      'identities:list': () => [{ ...IDENTITY, privateKeyPem: '-----BEGIN PRIVATE KEY-----' } as IdentityRow],
      'profiles:list': () => [{ id: 'p1' }] as never,
    }),
    { log: (l) => logged.push(l) },
  );
  const ok = await dispatch('identities:list', undefined);
  assert.ok(ok.ok);
  assert.deepEqual(ok.value, [IDENTITY]);
  assert.doesNotMatch(JSON.stringify(ok), /PRIVATE KEY/);

  const bad = await dispatch('profiles:list', {});
  assert.deepEqual(bad, { ok: false, error: { message: 'Internal error: profiles:list returned an invalid response', code: 'E_BAD_OUTPUT' } });
  assert.equal(logged.length, 1);
  assert.match(logged[0], /\[0\]\.name/);
});
