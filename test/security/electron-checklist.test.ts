/**
 * Electron's security checklist (https://www.electronjs.org/docs/latest/tutorial/security), item by
 * item, against the BUILT app: out/main/index.js runs its whole start-up under a stand-in
 * `electron` (test/security/fixtures/electron-runtime-stub.mjs) that records every window, guard,
 * permission handler, protocol handler and IPC handler, and the probe drives them with fake events
 * (foreign IPC senders, navigation, window.open, permission requests, app:// requests). Static
 * checks cover the built renderer HTML (CSP meta), the bundles, and the Electron version. The
 * preload, contract and packaging items live in preload-bridge, ipc-contract and packaging tests.
 * Needs `npm run build`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../main/electron/app-origin';
import { INVOKE_CHANNELS } from '../../main/ipc/names';
import { parseCsp } from './csp';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUNDLE = path.join(ROOT, 'out/main/index.js');
const PROBE = path.join(import.meta.dirname, 'fixtures/runtime-probe.mjs');

type Envelope = { ok: true; value: unknown } | { ok: false; error: { message: string; code?: string } };
interface Guards {
  'will-navigate': { listeners: number; prevented: boolean };
  'will-redirect': { listeners: number; prevented: boolean };
  'will-attach-webview': { listeners: number; prevented: boolean };
  windowOpen: { action: string }[] | null;
}
interface Report {
  startError?: string[];
  probeError?: string;
  timeout?: boolean;
  calls: string[];
  sandboxEnabled: boolean;
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[];
  openExternal: string[];
  windows: number;
  webPreferences: Record<string, unknown>;
  loaded: string[];
  mainGuards: Guards;
  laterGuards: Guards;
  permissionRequest: Record<string, boolean[]>;
  permissionCheck: Record<string, boolean[]>;
  devicePermission: boolean[];
  protocolSchemes: string[];
  protocol: Record<'index' | 'otherHost' | 'traversal' | 'post' | 'missing', { status: number; csp: string | null; type: string | null; nosniff: string | null; body: string }>;
  ipcChannels: string[];
  ipcListeners: number;
  foreignSenders: { frame: string | null; envelope: Envelope }[];
  trustedSender: Envelope;
  extraField: Envelope;
  badType: Envelope;
  extraNested: Envelope;
}

/** Runs the built main process under the stand-in and returns the probe's report and stderr. */
function runApp(safeStorageBackend: string, extraEnv: Record<string, string> = {}): { report: Report; stderr: string } {
  assert.ok(fs.existsSync(BUNDLE), 'out/main/index.js is missing: run `npm run build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-sec-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, STAGEBENCH_DATA_DIR: path.join(dir, 'data'), USBMUXD_SOCKET_ADDRESS: '127.0.0.1:1', STUB_SAFE_STORAGE: safeStorageBackend, ...extraEnv };
    delete env.STAGEBENCH_PASSPHRASE;
    Object.assign(env, extraEnv);
    const res = spawnSync(process.execPath, ['--import', PROBE, BUNDLE], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env });
    const line = res.stdout.split('\n').find((l) => l.startsWith('REPORT '));
    assert.ok(line, `the app printed no report (status ${res.status}):\n${res.stderr}`);
    const report = JSON.parse(line.slice('REPORT '.length)) as Report;
    assert.equal(report.startError, undefined, `the app failed to start: ${report.startError?.join('\n')}`);
    assert.equal(report.probeError, undefined, report.probeError);
    assert.equal(report.timeout, undefined, `the app did not open its window: ${JSON.stringify(report)}`);
    return { report, stderr: res.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let cached: { report: Report; stderr: string } | null = null;
const app = (): Report => (cached ??= runApp('gnome_libsecret')).report;

test('#2-4, 6, 8-11: the window has contextIsolation, sandbox, no Node integration (workers, subframes), webSecurity, no insecure/experimental/blink/webview options', () => {
  const r = app();
  assert.equal(r.windows, 1);
  const wp = r.webPreferences;
  const expected: Record<string, unknown> = {
    contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
    webSecurity: true, allowRunningInsecureContent: false, experimentalFeatures: false, webviewTag: false,
  };
  for (const [k, v] of Object.entries(expected)) assert.equal(wp[k], v, `webPreferences.${k}`);
  assert.equal(wp.enableBlinkFeatures, undefined, 'enableBlinkFeatures must not be set');
  assert.equal(wp.disableBlinkFeatures, undefined);
  assert.equal(wp.preload, path.join(ROOT, 'out/preload/index.cjs'));
  assert.deepEqual(Object.keys(wp).sort(), [...Object.keys(expected), 'preload', 'spellcheck'].sort(), 'no other webPreferences (e.g. additionalArguments, javascript toggles) are set');
  assert.equal(r.sandboxEnabled, true, 'app.enableSandbox() sandboxes every renderer');
  assert.ok(r.calls.indexOf('app.enableSandbox') < r.calls.indexOf('app.whenReady'));
});

test('#18: content comes from the app:// custom protocol (standard + secure, no CSP bypass), never file://', () => {
  const r = app();
  assert.deepEqual(r.loaded, ['app://stagebench/index.html']);
  assert.ok(!r.calls.includes('win.loadFile'));
  assert.deepEqual(r.privilegedSchemes, [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  assert.deepEqual(r.protocolSchemes, ['app']);
  assert.equal(r.protocol.index.status, 200);
  assert.match(r.protocol.index.body, /<div id="root">|<!doctype html>/i);
  assert.equal(r.protocol.otherHost.status, 404, 'another host on app:// is not served');
  assert.equal(r.protocol.traversal.status, 404, 'no path traversal out of out/renderer');
  assert.equal(r.protocol.post.status, 405);
  assert.equal(r.protocol.missing.status, 404);
});

test('#7: strict CSP both as the app:// response header and the <meta> of the built index.html; script-src self only, no unsafe-eval', () => {
  const r = app();
  const header = r.protocol.index.csp;
  assert.equal(header, CONTENT_SECURITY_POLICY);
  assert.equal(r.protocol.index.nosniff, 'nosniff');
  const html = fs.readFileSync(path.join(ROOT, 'out/renderer/index.html'), 'utf8');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/i.exec(html);
  assert.ok(meta, 'CSP meta tag missing from out/renderer/index.html');
  for (const policy of [header!, meta[1]]) {
    const csp = parseCsp(policy);
    assert.deepEqual(csp.get('default-src'), ["'self'"]);
    assert.deepEqual(csp.get('script-src'), ["'self'"], 'scripts: same origin only (no inline, no eval, no hosts)');
    assert.ok(![...csp.values()].flat().some((v) => /unsafe-eval|wasm-unsafe-eval|unsafe-hashes|^\*$|^https?:$|^http:/.test(v)), `no unsafe-eval, wildcards or remote hosts in ${policy}`);
    assert.deepEqual(csp.get('connect-src'), ["'self'"], 'no network access from the renderer');
    assert.ok(!csp.has('object-src') || csp.get('object-src')!.every((v) => v === "'none'" || v === "'self'"));
  }
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline scripts in the built HTML');
  assert.doesNotMatch(html, /\bsrc="https?:|href="https?:/i, 'no remote resources in the built HTML');
});

test('#13, #14, #12: every web-contents (now and later) denies navigation, redirects, window.open and <webview> attachment', () => {
  const r = app();
  for (const [label, g] of [['main window', r.mainGuards], ['a later web-contents', r.laterGuards]] as const) {
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview'] as const) {
      assert.ok(g[event].listeners >= 1, `${label}: no ${event} listener`);
      assert.equal(g[event].prevented, true, `${label}: ${event} was not prevented`);
    }
    assert.deepEqual(g.windowOpen, [{ action: 'deny' }, { action: 'deny' }], `${label}: window.open must be denied, even for app:// URLs`);
  }
  assert.ok(r.calls.indexOf('app.on') < r.calls.indexOf('new BrowserWindow'), 'web-contents-created guard installed before the first window');
});

test('#5: every permission request and permission check is denied, device access too', () => {
  const r = app();
  for (const [permission, answers] of Object.entries(r.permissionRequest)) assert.deepEqual(answers, [false], `request ${permission}`);
  for (const [permission, answers] of Object.entries(r.permissionCheck)) assert.deepEqual(answers, [false], `check ${permission}`);
  assert.deepEqual(r.devicePermission, [false]);
  assert.ok(Object.keys(r.permissionRequest).length >= 10);
});

test('#17: IPC senders are validated: a null senderFrame and foreign origins are refused; only app://stagebench is served', () => {
  const r = app();
  assert.deepEqual([...r.ipcChannels].sort(), [...INVOKE_CHANNELS].sort(), 'one handler per contract channel, nothing else (rebuild if the contract changed)');
  assert.equal(r.ipcListeners, 0, 'no ipcMain.on listeners (fire-and-forget channels bypass the envelope)');
  assert.ok(r.foreignSenders.length >= 6);
  for (const { frame, envelope } of r.foreignSenders) {
    assert.equal(envelope.ok, false, `sender ${frame} was served`);
    if (!envelope.ok) assert.equal(envelope.error.code, 'E_FORBIDDEN_SENDER', `sender ${frame}`);
  }
  assert.equal(r.foreignSenders[0].frame, null, 'the null senderFrame case is covered');
  assert.equal(r.trustedSender.ok, true, 'the app origin is served (so the refusals above are not a broken handler)');
});

test('#20 (main side): every payload is schema-validated: extra keys, wrong types and prototype keys are refused', () => {
  const r = app();
  for (const [label, env] of [['extra key', r.extraField], ['wrong type', r.badType], ['prototype keys', r.extraNested]] as const) {
    assert.equal(env.ok, false, label);
    if (!env.ok) {
      assert.equal(env.error.code, 'E_INVALID_INPUT', label);
      assert.doesNotMatch(env.error.message, /\n\s+at /, 'no stack trace crosses the boundary');
    }
  }
});

test('#15: shell.openExternal is never called, and nothing in the app imports it', () => {
  const r = app();
  assert.deepEqual(r.openExternal, []);
  for (const file of ['out/main/index.js', 'out/preload/index.cjs']) {
    assert.doesNotMatch(fs.readFileSync(path.join(ROOT, file), 'utf8'), /openExternal|openPath|showItemInFolder/, `${file} uses shell`);
  }
  for (const dir of ['main', 'preload', 'renderer/src']) {
    for (const file of listFiles(path.join(ROOT, dir), /\.(ts|tsx)$/)) {
      const text = fs.readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /\bopenExternal\s*\(/, `${path.relative(ROOT, file)} calls openExternal; allow-list https: only and document it in docs/security.md`);
    }
  }
});

test('the built bundles carry no insecure option literals, and the renderer never reaches Node or Electron', () => {
  const main = fs.readFileSync(BUNDLE, 'utf8');
  for (const bad of [/nodeIntegration(InWorker|InSubFrames)?:\s*true/, /contextIsolation:\s*false/, /sandbox:\s*false/, /webSecurity:\s*false/, /allowRunningInsecureContent:\s*true/, /experimentalFeatures:\s*true/, /enableBlinkFeatures/, /webviewTag:\s*true/, /bypassCSP:\s*true/, /loadURL\(\s*["'`](?:file|https?):/]) {
    assert.doesNotMatch(main, bad, `out/main/index.js matches ${bad}`);
  }
  const assets = listFiles(path.join(ROOT, 'out/renderer'), /\.js$/);
  assert.ok(assets.length > 0, 'renderer bundle missing');
  for (const file of assets) {
    const js = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(js, /require\(["']electron["']\)|ipcRenderer|process\.binding|require\(["']child_process["']\)/, `${path.relative(ROOT, file)} reaches Node/Electron`);
  }
});

test('#16: a current Electron (major ≥ 45) is the one packaged', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
  assert.ok(Number(pkg.version.split('.')[0]) >= 45, `electron ${pkg.version}`);
});

test('safeStorage on Linux basic_text: the app starts and warns on stderr that secrets are only obfuscated; a real keyring gives no warning', { skip: process.platform !== 'linux' && 'basic_text is Linux-only' }, () => {
  const basic = runApp('basic_text');
  // (main/electron/safe-storage.ts imports electron, so the text is matched rather than imported.)
  const warnings = basic.stderr.match(/\[secrets\] safeStorage is using the basic_text backend[^\n]*only obfuscated[^\n]*STAGEBENCH_PASSPHRASE/g) ?? [];
  assert.equal(warnings.length, 1, `expected the basic_text warning once on stderr, got:\n${basic.stderr}`);
  assert.equal(basic.report.trustedSender.ok, true);
  app();
  assert.doesNotMatch(cached!.stderr, /basic_text/, 'no warning with gnome_libsecret');
});

function listFiles(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(full, pattern));
    else if (pattern.test(e.name)) out.push(full);
  }
  return out;
}
