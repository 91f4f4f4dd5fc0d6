/**
 * Static checks of the Electron hardening, parsed from the sources with the TypeScript compiler
 * API (the Electron binary is not needed): webPreferences, window/navigation guards, permission
 * denial, the app:// protocol, IPC sender checks, CSP in index.html. Plus runtime checks of the
 * pure origin and asset-path helpers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { CONTENT_SECURITY_POLICY, isAppOriginUrl } from '../../main/electron/app-origin';
import { resolveAssetPath } from '../../main/electron/static-assets';

const ROOT = path.resolve(import.meta.dirname, '../..');

function parse(rel: string): ts.SourceFile {
  const file = path.join(ROOT, rel);
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((c) => walk(c, visit));
}

/** Calls whose callee text ends with `name` (e.g. `.setWindowOpenHandler`). */
function callsTo(sf: ts.SourceFile, name: string): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  walk(sf, (n) => {
    if (ts.isCallExpression(n) && (n.expression.getText(sf) === name || n.expression.getText(sf).endsWith(`.${name}`))) out.push(n);
  });
  return out;
}

/** Property name → initializer text of an object literal. */
function props(obj: ts.ObjectLiteralExpression, sf: ts.SourceFile): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p)) m.set(p.name.getText(sf), p.initializer.getText(sf));
    else if (ts.isSpreadAssignment(p)) m.set(`...${p.expression.getText(sf)}`, '');
    else if (ts.isShorthandPropertyAssignment(p)) m.set(p.name.getText(sf), p.name.getText(sf));
  }
  return m;
}

test('HARDENED_WEB_PREFERENCES sets every isolation option', () => {
  const sf = parse('main/electron/hardening.ts');
  let found: Map<string, string> | null = null;
  walk(sf, (n) => {
    if (ts.isVariableDeclaration(n) && n.name.getText(sf) === 'HARDENED_WEB_PREFERENCES' && n.initializer) {
      let init: ts.Expression = n.initializer;
      if (ts.isAsExpression(init)) init = init.expression;
      if (ts.isObjectLiteralExpression(init)) found = props(init, sf);
    }
  });
  assert.ok(found, 'HARDENED_WEB_PREFERENCES object literal not found');
  const p = found as Map<string, string>;
  const expected: Record<string, string> = {
    contextIsolation: 'true',
    sandbox: 'true',
    nodeIntegration: 'false',
    nodeIntegrationInWorker: 'false',
    nodeIntegrationInSubFrames: 'false',
    webSecurity: 'true',
    webviewTag: 'false',
    allowRunningInsecureContent: 'false',
    experimentalFeatures: 'false',
  };
  for (const [k, v] of Object.entries(expected)) assert.equal(p.get(k), v, `${k} must be ${v}`);
  assert.ok(![...p.keys()].some((k) => /enableBlinkFeatures|preload/.test(k)), 'no blink features / preload in the shared preferences');
});

test('the main window uses the hardened preferences and loads app://, not file://', () => {
  const sf = parse('main/electron/window.ts');
  const ctor: ts.NewExpression[] = [];
  walk(sf, (n) => {
    if (ts.isNewExpression(n) && n.expression.getText(sf) === 'BrowserWindow') ctor.push(n);
  });
  assert.equal(ctor.length, 1);
  const opts = ctor[0].arguments?.[0];
  assert.ok(opts && ts.isObjectLiteralExpression(opts));
  const web = opts.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText(sf) === 'webPreferences');
  assert.ok(web && ts.isPropertyAssignment(web) && ts.isObjectLiteralExpression(web.initializer));
  const wp = props(web.initializer, sf);
  const keys = [...wp.keys()];
  assert.equal(keys[0], '...HARDENED_WEB_PREFERENCES', 'hardened preferences spread first');
  assert.deepEqual(keys.slice(1), ['preload'], 'nothing may override the hardened preferences');
  assert.equal(callsTo(sf, 'loadFile').length, 0);
  const loads = callsTo(sf, 'loadURL');
  assert.equal(loads.length, 1);
  assert.equal(loads[0].arguments[0].getText(sf), 'APP_ENTRY_URL');
  assert.doesNotMatch(sf.text, /file:\/\//);
});

test('navigation, new windows, webviews and permissions are denied', () => {
  const sf = parse('main/electron/hardening.ts');
  const navigations = callsTo(sf, 'on').filter((c) => /^'will-(navigate|redirect|attach-webview)'$/.test(c.arguments[0]?.getText(sf) ?? ''));
  assert.deepEqual(navigations.map((c) => c.arguments[0].getText(sf)).sort(), ["'will-attach-webview'", "'will-navigate'", "'will-redirect'"]);
  for (const c of navigations) assert.match(c.arguments[1].getText(sf), /preventDefault\(\)/);
  const open = callsTo(sf, 'setWindowOpenHandler');
  assert.equal(open.length, 1);
  assert.match(open[0].arguments[0].getText(sf), /action:\s*'deny'/);
  const req = callsTo(sf, 'setPermissionRequestHandler');
  assert.equal(req.length, 1);
  assert.match(req[0].arguments[0].getText(sf), /callback\(false\)/);
  assert.match(callsTo(sf, 'setPermissionCheckHandler')[0].arguments[0].getText(sf), /=>\s*false/);
  assert.match(callsTo(sf, 'setDevicePermissionHandler')[0].arguments[0].getText(sf), /=>\s*false/);
});

test('main/index.ts registers the scheme before ready, sandboxes, hardens and denies permissions', () => {
  const sf = parse('main/index.ts');
  const pos = (name: string) => {
    const c = callsTo(sf, name);
    assert.ok(c.length > 0, `${name}() is not called in main/index.ts`);
    return c[0].getStart(sf);
  };
  assert.ok(pos('registerAppScheme') < pos('whenReady'), 'registerAppScheme must run before app.whenReady');
  assert.ok(pos('hardenAllWebContents') < pos('whenReady'));
  pos('enableSandbox');
  pos('denyPermissions');
  pos('serveAppProtocol');
  pos('registerIpc');
  const proto = parse('main/electron/protocol.ts');
  const priv = callsTo(proto, 'registerSchemesAsPrivileged')[0].arguments[0].getText(proto);
  assert.match(priv, /standard:\s*true/);
  assert.match(priv, /secure:\s*true/);
  assert.doesNotMatch(priv, /bypassCSP|corsEnabled/);
  assert.equal(callsTo(proto, 'handle').length, 1);
  assert.match(proto.text, /'Content-Security-Policy': CONTENT_SECURITY_POLICY/);
});

test('every IPC handler checks the sender frame before dispatching', () => {
  const sf = parse('main/electron/ipc.ts');
  const handles = callsTo(sf, 'handle');
  assert.equal(handles.length, 1, 'one ipcMain.handle loop over INVOKE_CHANNELS');
  const body = handles[0].arguments[1].getText(sf);
  const check = body.indexOf('isTrustedSender(event)');
  assert.ok(check >= 0 && check < body.indexOf('dispatch('), 'sender check precedes dispatch');
  assert.match(sf.text, /frame !== null && isAppOriginUrl\(frame\.url\)/);
  assert.equal(callsTo(sf, 'on').length, 0, 'no ipcMain.on listeners');
});

test('index.html carries the same CSP as the protocol header', () => {
  const html = fs.readFileSync(path.join(ROOT, 'renderer/index.html'), 'utf8');
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(m, 'CSP meta tag missing');
  assert.equal(m[1], CONTENT_SECURITY_POLICY);
  assert.match(CONTENT_SECURITY_POLICY, /script-src 'self';/);
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-eval|script-src[^;]*unsafe-inline/);
});

test('the preload exposes only the bridge and never the raw ipcRenderer', () => {
  const sf = parse('preload/index.ts');
  const expose = callsTo(sf, 'exposeInMainWorld');
  assert.equal(expose.length, 1);
  assert.equal(expose[0].arguments[0].getText(sf), "'stagebench'");
  assert.equal(expose[0].arguments[1].getText(sf), 'api');
  assert.match(sf.text, /const api = createBridge\(/);
  assert.match(sf.text, /\(_event: Electron\.IpcRendererEvent, payload: unknown\) => listener\(payload\)/);
});

test('isAppOriginUrl accepts only app://stagebench', () => {
  assert.equal(isAppOriginUrl('app://stagebench/index.html'), true);
  assert.equal(isAppOriginUrl('app://stagebench/'), true);
  for (const bad of [null, undefined, '', 'about:blank', 'file:///work/out/renderer/index.html', 'http://stagebench/', 'https://stagebench/',
    'app://stagebench.evil.com/', 'app://evil/stagebench', 'app://user:pw@stagebench/', 'app://stagebench:8080/', 'not a url']) {
    assert.equal(isAppOriginUrl(bad), false, String(bad));
  }
});

test('resolveAssetPath refuses paths escaping the renderer directory', () => {
  const root = '/srv/renderer';
  assert.deepEqual(resolveAssetPath(root, '/'), { file: '/srv/renderer/index.html', contentType: 'text/html; charset=utf-8' });
  assert.equal(resolveAssetPath(root, '/assets/index-1.js')?.contentType, 'text/javascript; charset=utf-8');
  for (const bad of ['/../secret', '/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2fetc', '/a%5c..%5c..%5cb', '/x%00.js', '/%E0%A4%A']) {
    assert.equal(resolveAssetPath(root, bad), null, bad);
  }
});
