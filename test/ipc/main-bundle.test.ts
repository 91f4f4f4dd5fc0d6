/**
 * The built main bundle (out/main/index.js) loads under plain Node with `electron` replaced by a
 * recording stand-in: every bundled and external import resolves (native better-sqlite3 included)
 * and the top level runs up to `app.whenReady()`, having registered the app:// scheme, the
 * web-contents guards and the sandbox first — and created no window before ready.
 * Needs `npm run build`; fails with that instruction when the bundle is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUNDLE = path.join(ROOT, 'out/main/index.js');

test('out/main/index.js loads and runs its pre-ready setup', () => {
  assert.ok(fs.existsSync(BUNDLE), 'out/main/index.js is missing: run `npm run build` (electron-vite build) first');
  const preload = path.join(ROOT, 'out/preload/index.cjs');
  assert.ok(fs.existsSync(preload), 'out/preload/index.cjs is missing: the preload must be bundled as CommonJS');
  assert.match(fs.readFileSync(preload, 'utf8'), /require\("electron"\)/);
  assert.doesNotMatch(fs.readFileSync(preload, 'utf8'), /^import |require\("zod"\)/m, 'the sandboxed preload may only require electron');

  const res = spawnSync(process.execPath, ['--import', path.join(import.meta.dirname, 'fixtures/electron-stub-register.mjs'), BUNDLE], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, STAGEBENCH_DATA_DIR: path.join(ROOT, 'test-results', 'never-created') },
  });
  assert.equal(res.status, 0, `bundle failed to load:\n${res.stderr}`);
  const line = res.stdout.split('\n').find((l) => l.startsWith('ELECTRON_CALLS '));
  assert.ok(line, `no call record in output:\n${res.stdout}\n${res.stderr}`);
  const calls = JSON.parse(line.slice('ELECTRON_CALLS '.length)) as string[];
  const at = (name: string) => {
    const i = calls.indexOf(name);
    assert.ok(i >= 0, `${name} was not called (calls: ${calls.join(', ')})`);
    return i;
  };
  assert.ok(at('protocol.registerSchemesAsPrivileged') < at('app.whenReady'));
  assert.ok(at('app.on') < at('app.whenReady'), 'web-contents guards registered before ready');
  assert.ok(at('app.enableSandbox') < at('app.whenReady'));
  assert.ok(at('app.requestSingleInstanceLock') < at('app.whenReady'));
  assert.ok(!calls.includes('new BrowserWindow'), 'no window before ready');
  assert.ok(!calls.includes('ipcMain.handle'), 'no IPC before the services exist');
  assert.ok(!fs.existsSync(path.join(ROOT, 'test-results', 'never-created')), 'nothing touches the data dir before ready');
});
