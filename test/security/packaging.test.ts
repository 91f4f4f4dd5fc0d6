/**
 * Packaging (checklist #19 fuses, native modules, resources, file association, signing switches):
 * electron-builder.config.cjs is validated with electron-builder's own schema validator and its
 * values are checked; build/ resources exist; and `npm run dist` on a machine where the Electron
 * binary cannot be fetched (forced here with an unreachable ELECTRON_MIRROR, so it fails in
 * seconds) exits non-zero with one clear message and no stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { decodePlist } from '../../main/apple/wire';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONFIG = path.join(ROOT, 'electron-builder.config.cjs');
const require = createRequire(import.meta.url);

type Config = Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  mac: Record<string, unknown>;
  linux: Record<string, unknown>;
  win: Record<string, unknown>;
  fileAssociations: Record<string, string>[];
  extraResources: { from: string; to: string }[];
  files: string[];
  asarUnpack: string[];
};

const SIGNING_VARS = ['CSC_LINK', 'CSC_NAME', 'CSC_KEY_PASSWORD', 'APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID', 'APPLE_KEYCHAIN', 'APPLE_KEYCHAIN_PROFILE', 'STAGEBENCH_TEST_BUILD'];

/** Loads the config fresh with exactly `env` for the signing variables. */
function loadConfig(env: Record<string, string | undefined> = {}): Config {
  const saved = Object.fromEntries(SIGNING_VARS.map((k) => [k, process.env[k]]));
  for (const k of SIGNING_VARS) delete process.env[k];
  Object.assign(process.env, env);
  try {
    delete require.cache[require.resolve(CONFIG)];
    return structuredClone(require(CONFIG)) as Config;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function validate(config: unknown): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration: (c: unknown, l: unknown) => Promise<void> };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  await validateConfiguration(config, new DebugLogger(false));
}

test("the config passes electron-builder's schema validation (and the validator does reject a bad key)", async () => {
  await validate(loadConfig());
  await validate(loadConfig({ CSC_LINK: '/tmp/id.p12', APPLE_API_KEY: 'k', APPLE_API_KEY_ID: 'i', APPLE_API_ISSUER: 'x' }));
  await assert.rejects(validate({ ...loadConfig(), electronFuses: { ...loadConfig().electronFuses, runAsNodee: false } }), /electronFuses/);
  await assert.rejects(validate({ ...loadConfig(), npmRebuld: false }), /npmRebuld/);
});

test('identity, targets, native modules and resources', () => {
  const c = loadConfig();
  assert.equal(c.appId, 'com.stagebench.app');
  assert.equal(c.productName, 'StageBench');
  assert.deepEqual(c.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(c.mac.target, ['dmg']);
  assert.deepEqual(c.win.target, ['nsis']);
  assert.equal(c.npmRebuild, false, 'prebuilt Node-API modules are used as is');
  assert.equal(c.nodeGypRebuild, false);
  assert.equal(c.buildDependenciesFromSource, false);
  assert.equal(c.asar, true);
  assert.ok(c.asarUnpack.includes('**/*.node'));
  assert.ok(c.files.includes('out/**/*'));
  assert.deepEqual(c.extraResources, [{ from: 'resources', to: 'resources', filter: ['**/*'] }]);
  for (const f of ['resources/udev/70-stagebench-apple.rules', 'resources/catalog/payloads.json', 'resources/templates/invitation']) {
    assert.ok(fs.existsSync(path.join(ROOT, f)), `${f} is shipped but missing`);
  }
  // The native modules really are prebuilt .node files that the asarUnpack glob catches:
  // better-sqlite3's prebuild, and usb 3's napi-rs binary from its per-platform optional package.
  for (const dir of ['better-sqlite3', '@node-usb']) {
    const natives = listFiles(path.join(ROOT, 'node_modules', dir)).filter((f) => f.endsWith('.node'));
    assert.ok(natives.length > 0, `${dir} has no prebuilt .node file`);
  }
});

test('fuses: RunAsNode off, cookie encryption on, NODE_OPTIONS off, inspect off, asar integrity on, asar only, no file:// privileges', () => {
  const expected = {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  };
  assert.deepEqual(loadConfig().electronFuses, expected);
  // Only a test build (for Playwright's _electron, which needs --inspect) keeps NodeCliInspect on.
  assert.deepEqual(loadConfig({ STAGEBENCH_TEST_BUILD: '1' }).electronFuses, { ...expected, enableNodeCliInspectArguments: true });
  // Every fuse electron-builder knows is set explicitly.
  const schema = JSON.parse(fs.readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as { definitions: Record<string, { properties: Record<string, unknown> }> };
  const known = Object.keys(schema.definitions.FuseOptionsV1.properties).filter((k) => k !== 'resetAdHocDarwinSignature');
  assert.deepEqual(known.sort(), Object.keys(expected).sort());
});

test('.mobileconfig is associated with the app', () => {
  const c = loadConfig();
  assert.equal(c.fileAssociations.length, 1);
  const a = c.fileAssociations[0];
  assert.equal(a.ext, 'mobileconfig');
  assert.equal(a.mimeType, 'application/x-apple-aspen-config');
  assert.equal(a.role, 'Viewer');
  assert.deepEqual(c.linux.mimeTypes, ['application/x-apple-aspen-config']);
});

test('macOS signs and notarizes only with credentials from the documented variables', () => {
  const none = loadConfig();
  assert.equal(none.mac.identity, null, 'no identity: signing skipped (no keychain search)');
  assert.equal(none.mac.notarize, false);
  const signedOnly = loadConfig({ CSC_LINK: '/tmp/id.p12' });
  assert.equal('identity' in signedOnly.mac, false, 'CSC_LINK: electron-builder signs with it');
  assert.equal(signedOnly.mac.notarize, false, 'no notarization credentials');
  for (const creds of [
    { APPLE_API_KEY: 'AuthKey.p8', APPLE_API_KEY_ID: 'ABC', APPLE_API_ISSUER: 'uuid' },
    { APPLE_ID: 'a@b.c', APPLE_APP_SPECIFIC_PASSWORD: 'pw', APPLE_TEAM_ID: 'T' },
    { APPLE_KEYCHAIN: 'k', APPLE_KEYCHAIN_PROFILE: 'p' },
  ]) {
    assert.equal(loadConfig({ CSC_NAME: 'Developer ID Application: X', ...creds }).mac.notarize, true, JSON.stringify(Object.keys(creds)));
  }
  assert.equal(loadConfig({ CSC_LINK: 'x', APPLE_ID: 'a@b.c' }).mac.notarize, false, 'an incomplete set does not notarize');
  assert.equal(loadConfig({ APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'p', APPLE_TEAM_ID: 't' }).mac.notarize, false, 'no notarization of an unsigned app');
  assert.equal(none.mac.hardenedRuntime, true);
});

test('build/ resources: a ≥ 512 px PNG icon and minimal hardened-runtime entitlements', () => {
  const png = fs.readFileSync(path.join(ROOT, 'build/icon.png'));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.ok(png.readUInt32BE(16) >= 512 && png.readUInt32BE(20) >= 512, 'icon must be at least 512×512 for macOS');
  const c = loadConfig();
  const ent = decodePlist(fs.readFileSync(path.join(ROOT, String(c.mac.entitlements)))) as Record<string, unknown>;
  assert.deepEqual(Object.keys(ent).sort(), ['com.apple.security.cs.allow-jit', 'com.apple.security.device.usb']);
  assert.equal(c.mac.entitlementsInherit, c.mac.entitlements);
});

test('`npm run dist` where the Electron binary cannot be fetched: clear message, non-zero exit, no stack trace', { skip: fs.existsSync(path.join(ROOT, 'node_modules/electron/dist')) && 'Electron binary installed: dist would really package' }, () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'out/main/index.js')), 'run `npm run build` first');
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-dist-'));
  try {
    const res = spawnSync('npm', ['run', '--silent', 'dist', '--', '--skip-build'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 90_000,
      env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:1/', ELECTRON_CACHE: cache, electron_config_cache: cache, ELECTRON_BUILDER_CACHE: cache, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    });
    assert.equal(res.signal, null, 'dist must fail fast, not hang');
    assert.notEqual(res.status, 0);
    assert.equal(res.status, 3, `expected exit 3 (unavailable), got ${res.status}:\n${res.stderr}`);
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
    assert.match(res.stderr, new RegExp(`dist: cannot package: the Electron ${version.replace(/\./g, '\\.')} binary for \\w+-\\w+ .*could not be downloaded`));
    assert.match(res.stderr, /ELECTRON_MIRROR|ELECTRON_CACHE/);
    assert.match(res.stderr, /docs\/troubleshooting\.md/);
    assert.doesNotMatch(res.stderr + res.stdout, /\n\s+at \S+ \(|\bat async\b|node:internal/, 'no stack trace');
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}
