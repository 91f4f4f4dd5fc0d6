/**
 * Checklist #17/#20 at the contract level: every channel of the contract has an input and an
 * output zod schema, every object schema inside an input is strict (unknown keys are refused at
 * any depth), and the dispatcher refuses extra keys and wrong types for every channel without
 * calling its handler. Secrets named by a channel never come back in error text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { channels } from '../../main/ipc/contract';
import { createDispatcherFromHandlers } from '../../main/ipc/dispatch';
import type { ChannelHandlers } from '../../main/ipc/handlers';
import { INVOKE_CHANNELS } from '../../main/ipc/names';

type Def = { input: z.ZodType; output: z.ZodType; secrets?: readonly (readonly string[])[] };
const defs = channels as unknown as Record<string, Def>;

interface ZodInternals {
  _zod: { def: Record<string, unknown> & { type: string } };
}
const isZod = (v: unknown): v is ZodInternals => typeof v === 'object' && v !== null && '_zod' in v;

/** Paths of object schemas (reachable from `schema`) that accept unknown keys. */
function looseObjects(schema: unknown, at = '(input)', seen = new Set<unknown>()): string[] {
  if (!isZod(schema) || seen.has(schema)) return [];
  seen.add(schema);
  const def = schema._zod.def;
  const out: string[] = [];
  if (def.type === 'object') {
    const catchall = def.catchall;
    if (!isZod(catchall) || catchall._zod.def.type !== 'never') out.push(at);
    for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) out.push(...looseObjects(v, `${at}.${k}`, seen));
    return out;
  }
  for (const [k, v] of Object.entries(def)) {
    if (k === 'type' || k === 'shape') continue;
    if (Array.isArray(v)) v.forEach((x, i) => out.push(...looseObjects(x, `${at}|${i}`, seen)));
    else out.push(...looseObjects(v, at, seen));
  }
  return out;
}

test('every contract channel has an input and an output schema', () => {
  assert.deepEqual(Object.keys(defs).sort(), [...INVOKE_CHANNELS].sort());
  for (const [name, def] of Object.entries(defs)) {
    assert.ok(isZod(def.input), `${name}: no input schema`);
    assert.ok(isZod(def.output), `${name}: no output schema`);
  }
});

test('every object inside every input schema is strict (unknown keys refused at any depth)', () => {
  // The walker itself finds loose objects behind optional/array/union/record wrappers.
  const probe = z.strictObject({ a: z.object({}).optional(), b: z.array(z.union([z.string(), z.object({})])), c: z.record(z.string(), z.strictObject({ d: z.object({}).nullable() })) });
  assert.equal(looseObjects(probe).length, 3);
  const loose = Object.entries(defs).flatMap(([name, def]) => looseObjects(def.input).map((p) => `${name} ${p}`));
  assert.deepEqual(loose, [], 'use z.strictObject for renderer input');
});

test('the dispatcher refuses extra keys and wrong types on every channel and never calls the handler', async () => {
  const called: string[] = [];
  const handlers = new Proxy({}, { get: (_t, channel: string) => () => called.push(channel) }) as ChannelHandlers;
  const dispatch = createDispatcherFromHandlers(handlers, { log: () => undefined });
  const hostile: unknown[] = [{ __stagebenchExtra: 'x' }, 42, 'string', [1, 2], true, { constructor: { prototype: { polluted: 1 } } }];
  for (const channel of INVOKE_CHANNELS) {
    for (const args of hostile) {
      const env = await dispatch(channel, args);
      assert.equal(env.ok, false, `${channel} accepted ${JSON.stringify(args)}`);
      if (!env.ok) assert.equal(env.error.code, 'E_INVALID_INPUT', `${channel} ${JSON.stringify(args)}: ${env.error.message}`);
    }
  }
  assert.deepEqual(called, []);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  const unknown = await dispatch('shell:openExternal', { url: 'https://evil.example' });
  assert.deepEqual(unknown.ok ? null : unknown.error.code, 'E_UNKNOWN_CHANNEL');
});

test('secret inputs are never echoed in validation errors', async () => {
  const dispatch = createDispatcherFromHandlers(new Proxy({}, { get: () => () => undefined }) as ChannelHandlers, { log: () => undefined });
  const secret = 'Sup3r-Secret-Wifi-Pass';
  const env = await dispatch('stage:run', { wifi: { ssid: 'Corp', password: secret, encryption: 'bogus' }, enrollmentProfileId: 'p', extra: secret });
  assert.equal(env.ok, false);
  assert.doesNotMatch(JSON.stringify(env), new RegExp(secret));
  const p12 = await dispatch('identities:import', { p12Base64: 'AAAA', password: secret, label: 42 });
  assert.doesNotMatch(JSON.stringify(p12), new RegExp(secret));
});
