/** The bridge factory shared by the preload and the test harness. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBridge, type RawInvoke, type RawSubscribe } from '../../main/ipc/bridge';

const noSubscribe: RawSubscribe = () => () => undefined;

test('invoke unwraps ok envelopes and turns errors into Error(message [code])', async () => {
  const sent: [string, unknown][] = [];
  const invoke: RawInvoke = async (channel, args) => {
    sent.push([channel, args]);
    if (channel === 'profiles:get') return { ok: false, error: { message: 'no profile p1', code: 'E_NOT_FOUND' } };
    if (channel === 'profiles:list') return { ok: false, error: { message: 'cache closed' } };
    if (channel === 'identities:list') return { nonsense: true };
    return { ok: true, value: [] };
  };
  const api = createBridge(invoke, noSubscribe);
  assert.deepEqual(await api.invoke('devices:list'), []);
  await assert.rejects(api.invoke('profiles:get', { id: 'p1' }), { message: 'no profile p1 [E_NOT_FOUND]' });
  await assert.rejects(api.invoke('profiles:list'), { message: 'cache closed' });
  await assert.rejects(api.invoke('identities:list'), { message: 'Malformed response from identities:list' });
  assert.deepEqual(sent[0], ['devices:list', undefined]);
  assert.deepEqual(sent[1], ['profiles:get', { id: 'p1' }]);
});

test('channels and events outside the contract are refused without touching the transport', async () => {
  let calls = 0;
  const api = createBridge(
    async () => {
      calls++;
      return { ok: true, value: null };
    },
    () => {
      calls++;
      return () => undefined;
    },
  );
  await assert.rejects((api.invoke as (c: string) => Promise<unknown>)('shell:openExternal'), /Unknown channel/);
  assert.throws(() => api.on('ipc:raw' as never, () => undefined), /Unknown event/);
  assert.throws(() => api.on('stage:progress', 'not a function' as never), TypeError);
  assert.equal(calls, 0);
  assert.ok(Object.isFrozen(api));
});

test('on passes the payload only and unsubscribes', () => {
  const registered: ((p: unknown) => void)[] = [];
  let removed = 0;
  const api = createBridge(
    async () => ({ ok: true, value: null }),
    (_event, listener) => {
      registered.push(listener);
      return () => {
        removed++;
      };
    },
  );
  const got: unknown[][] = [];
  const off = api.on('device:detached', (...args: unknown[]) => got.push(args));
  registered[0]({ udid: 'u1', deviceId: 3 });
  assert.deepEqual(got, [[{ udid: 'u1', deviceId: 3 }]]);
  off();
  assert.equal(removed, 1);
});

test('createBridge refuses a missing transport', () => {
  assert.throws(() => createBridge(undefined as never, noSubscribe), TypeError);
});
