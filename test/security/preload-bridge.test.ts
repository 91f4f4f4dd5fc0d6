/**
 * Checklist #20 (renderer side): the BUILT preload (out/preload/index.cjs) is evaluated with a
 * stand-in `electron` (contextBridge + ipcRenderer recorders) and must expose exactly one object,
 * `window.stagebench`, holding only the contract's two functions — no ipcRenderer, no Node API —
 * forward only contract channels, and hand event callbacks the payload alone (never the
 * IpcRendererEvent, whose `sender` would give the page raw IPC). Needs `npm run build`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { EVENT_NAMES, INVOKE_CHANNELS } from '../../main/ipc/names';

const PRELOAD = path.resolve(import.meta.dirname, '../../out/preload/index.cjs');

interface Loaded {
  exposed: [string, unknown][];
  invoked: [string, unknown][];
  listeners: Map<string, ((...args: unknown[]) => void)[]>;
  removed: [string, unknown][];
  ipcRenderer: Record<string, unknown>;
  required: string[];
}

/** Evaluates the preload the way Electron's sandbox does: CommonJS with only `require('electron')`. */
function loadPreload(): Loaded {
  assert.ok(fs.existsSync(PRELOAD), 'out/preload/index.cjs is missing: run `npm run build` first');
  const state: Loaded = { exposed: [], invoked: [], listeners: new Map(), removed: [], ipcRenderer: {}, required: [] };
  const ipcRenderer = {
    invoke: (channel: string, args: unknown) => {
      state.invoked.push([channel, args]);
      return Promise.resolve({ ok: true, value: { echoed: channel } });
    },
    on: (event: string, fn: (...args: unknown[]) => void) => {
      state.listeners.set(event, [...(state.listeners.get(event) ?? []), fn]);
      return ipcRenderer;
    },
    removeListener: (event: string, fn: unknown) => {
      state.removed.push([event, fn]);
      state.listeners.set(event, (state.listeners.get(event) ?? []).filter((f) => f !== fn));
      return ipcRenderer;
    },
    send: () => assert.fail('the preload must not use ipcRenderer.send'),
    sendSync: () => assert.fail('the preload must not use ipcRenderer.sendSync'),
  };
  state.ipcRenderer = ipcRenderer;
  const electron = { contextBridge: { exposeInMainWorld: (name: string, api: unknown) => state.exposed.push([name, api]) }, ipcRenderer };
  const module = { exports: {} };
  const sandboxRequire = (id: string): unknown => {
    state.required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`the sandboxed preload cannot require ${id}`);
  };
  vm.runInNewContext(fs.readFileSync(PRELOAD, 'utf8'), { require: sandboxRequire, module, exports: module.exports, console }, { filename: PRELOAD });
  return state;
}

/** Every value reachable from `root` (own properties, prototypes excluded), for leak checks. */
function reachable(root: unknown): unknown[] {
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) return;
    seen.add(v);
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (d && 'value' in d) walk(d.value);
    }
  };
  walk(root);
  return [...seen];
}

test('the preload requires only electron and exposes one frozen object with only invoke and on', () => {
  const s = loadPreload();
  assert.deepEqual([...new Set(s.required)], ['electron']);
  assert.equal(s.exposed.length, 1);
  const [name, api] = s.exposed[0];
  assert.equal(name, 'stagebench');
  assert.ok(Object.isFrozen(api));
  assert.deepEqual(Reflect.ownKeys(api as object).sort(), ['invoke', 'on']);
  for (const key of ['invoke', 'on']) assert.equal(typeof (api as Record<string, unknown>)[key], 'function');
  const leaked = reachable(api).filter((v) => v === s.ipcRenderer || Object.values(s.ipcRenderer).includes(v));
  assert.deepEqual(leaked, [], 'ipcRenderer (or one of its methods) is reachable from the exposed API');
});

test('invoke forwards every contract channel and refuses anything else without touching ipcRenderer', async () => {
  const s = loadPreload();
  const api = s.exposed[0][1] as { invoke: (c: string, a?: unknown) => Promise<unknown> };
  for (const channel of INVOKE_CHANNELS) assert.deepEqual(await api.invoke(channel, { x: 1 }), { echoed: channel });
  assert.deepEqual(s.invoked.map(([c]) => c), [...INVOKE_CHANNELS], 'the built preload accepts exactly the source contract (rebuild if it changed)');
  const before = s.invoked.length;
  for (const bad of ['shell:openExternal', 'ELECTRON_BROWSER_REQUIRE', '__proto__', 'constructor', 'app:info ', '', 'dep:sync-everything']) {
    await assert.rejects(api.invoke(bad), /Unknown channel/, bad);
  }
  await assert.rejects(api.invoke(42 as never), /Unknown channel/);
  assert.equal(s.invoked.length, before);
});

test('event callbacks receive the payload only, never the IpcRendererEvent; unsubscribe removes the same listener', () => {
  const s = loadPreload();
  const api = s.exposed[0][1] as { on: (e: string, cb: (...args: unknown[]) => void) => () => void };
  for (const event of EVENT_NAMES) {
    const got: unknown[][] = [];
    const off = api.on(event, (...args) => got.push(args));
    const [listener] = s.listeners.get(event) ?? [];
    assert.ok(listener, `no ipcRenderer listener for ${event}`);
    const fakeEvent = { sender: s.ipcRenderer, ports: [], senderId: 0 };
    listener(fakeEvent, { udid: 'u1' });
    assert.deepEqual(got, [[{ udid: 'u1' }]], `${event}: callback got ${JSON.stringify(got)}`);
    off();
    assert.deepEqual(s.removed.at(-1), [event, listener]);
  }
  assert.throws(() => api.on('ipc-message', () => undefined), /Unknown event/);
  assert.throws(() => api.on('stage:progress', 'nope' as never), { name: 'TypeError' });
});
