/**
 * Smoke test of the real Electron app through Playwright's `_electron`: launches out/main, checks
 * the window is served from app://, the renderer has no Node, `window.stagebench` exposes only the
 * contract API, window.open and navigation are refused, and a contract call reaches the services.
 * Skips (with the reason) when the Electron binary is not installed — it cannot be downloaded in
 * this environment — or when there is no display to open a window on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { startEmulator } from '../support/emulator';

const ROOT = path.resolve(import.meta.dirname, '../..');

function electronBinary(): string | null {
  const dir = path.join(ROOT, 'node_modules', 'electron');
  const pathTxt = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathTxt)) return null;
  const bin = path.join(dir, 'dist', fs.readFileSync(pathTxt, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}

test('Electron app starts hardened and serves the renderer from app://', async (t) => {
  const bin = electronBinary();
  if (!bin) {
    t.skip('Electron binary not installed (node_modules/electron has no dist/; it cannot be downloaded here) — Chromium E2E tests cover the renderer');
    return;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    t.skip('no DISPLAY/WAYLAND_DISPLAY to open an Electron window on (run under xvfb-run)');
    return;
  }
  assert.ok(fs.existsSync(path.join(ROOT, 'out/main/index.js')), 'out/main/index.js is missing: run `npm run build` first');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stagebench-electron-'));
  const emu = await startEmulator({ devices: 1, seed: 'electron-smoke' });
  const app = await _electron.launch({
    executablePath: bin,
    args: [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    env: {
      ...process.env,
      STAGEBENCH_DATA_DIR: dataDir,
      STAGEBENCH_PASSPHRASE: 'electron smoke passphrase',
      USBMUXD_SOCKET_ADDRESS: emu.address,
    },
  });
  try {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    assert.match(page.url(), /^app:\/\/stagebench\//);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByText('Bench').waitFor();

    const globals = await page.evaluate(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      return {
        require: typeof w.require,
        process: typeof w.process,
        bridgeKeys: Object.keys((w.stagebench as object) ?? {}).sort(),
        opened: (w.open as (u: string) => unknown)('https://example.com') === null,
      };
    });
    assert.deepEqual(globals, { require: 'undefined', process: 'undefined', bridgeKeys: ['invoke', 'on'], opened: true });

    const info = await page.evaluate(() =>
      (globalThis as unknown as { stagebench: { invoke: (c: string) => Promise<{ dataDir: string }> } }).stagebench.invoke('app:info'),
    );
    assert.equal(info.dataDir, dataDir);

    const main = await app.evaluate(({ BrowserWindow }) => {
      const wins = BrowserWindow.getAllWindows();
      return { count: wins.length, url: wins[0].webContents.getURL() };
    });
    assert.deepEqual(main, { count: 1, url: page.url() });
    // A navigation attempt is blocked by will-navigate: the URL stays on app://.
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    assert.match(page.url(), /^app:\/\/stagebench\//);
    await page.screenshot({ path: path.join(ROOT, 'test-results/screenshots/electron-window.png') });
  } finally {
    await app.close();
    await emu.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
