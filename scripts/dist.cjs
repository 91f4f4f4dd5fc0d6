#!/usr/bin/env node
// `npm run dist`: builds the app (electron-vite), then packages it with electron-builder for the
// host platform (Linux: AppImage + deb, macOS: dmg, Windows: NSIS) using electron-builder.config.cjs.
// Output goes to dist/. Where the Electron binary or electron-builder's tools cannot be fetched
// (offline machines, blocked mirrors) it says so in one clear message and exits 3 — no stack trace.
//
// Usage: node scripts/dist.cjs [--skip-build] [--dir]
//   --skip-build  package the existing out/ (after `npm run build`)
//   --dir         unpacked app only (dist/<platform>-unpacked), no installer
// Environment: ELECTRON_MIRROR / ELECTRON_CACHE / electron_config_cache (where Electron zips come
// from / are cached), the signing variables listed in electron-builder.config.cjs.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const args = new Set(process.argv.slice(2));
const EXIT_FAILED = 1;
const EXIT_UNAVAILABLE = 3;

function fail(code, lines) {
  process.stderr.write(`${lines.map((l, i) => (i === 0 ? `dist: ${l}` : `      ${l}`)).join('\n')}\n`);
  process.exit(code);
}

function electronVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** Network / download failures (Electron zips from GitHub or ELECTRON_MIRROR, builder tool binaries). */
function isDownloadError(err) {
  const text = `${err && err.code ? err.code : ''} ${err && err.message ? err.message : String(err)}`;
  return /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|ENETUNREACH|EHOSTUNREACH|socket hang up|getaddrinfo|download|fetch failed|status code 40[34]|certificate/i.test(text);
}

function firstLine(err) {
  return String((err && err.message) || err).split('\n').find((l) => l.trim()) || 'unknown error';
}

async function main() {
  const version = electronVersion();
  if (!version) fail(EXIT_FAILED, ['electron is not installed in node_modules; run `npm ci` first']);

  if (!args.has('--skip-build')) {
    const build = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) fail(EXIT_FAILED, ['`electron-vite build` failed (see above); nothing was packaged']);
  }
  if (!fs.existsSync(path.join(root, 'out/main/index.js'))) fail(EXIT_FAILED, ['out/main/index.js is missing; run `npm run build` (or drop --skip-build)']);

  let builder;
  try {
    builder = require('electron-builder');
  } catch {
    fail(EXIT_FAILED, ['electron-builder is not installed; run `npm ci` first']);
  }
  const platform = builder.Platform.current();
  const arch = process.arch;
  // A locally installed Electron (node_modules/electron/dist, present where `npm ci` could download
  // it) is used as is; otherwise electron-builder downloads electron-v<version>-<platform>-<arch>.zip.
  const localDist = path.join(root, 'node_modules/electron/dist');
  const config = { ...require(path.join(root, 'electron-builder.config.cjs')) };
  if (fs.existsSync(localDist) && fs.readdirSync(localDist).length > 0) config.electronDist = localDist;

  process.stderr.write(`dist: packaging StageBench with Electron ${version} for ${platform.name}-${arch}${config.electronDist ? ' (local Electron)' : ''}\n`);
  try {
    const files = await builder.build({
      projectDir: root,
      targets: platform.createTarget(args.has('--dir') ? ['dir'] : null),
      config,
      publish: 'never',
    });
    process.stderr.write(`dist: wrote\n${files.map((f) => `  ${path.relative(root, f)}`).join('\n')}\n`);
  } catch (err) {
    if (isDownloadError(err)) {
      fail(EXIT_UNAVAILABLE, [
        `cannot package: the Electron ${version} binary for ${platform.nodeName}-${arch} (or an electron-builder tool) could not be downloaded.`,
        `cause: ${firstLine(err)}`,
        'Packaging needs the Electron release zip, which is not available on this machine (no network access to',
        'github.com or to ELECTRON_MIRROR). Do one of:',
        '  - run `npm run dist` on a machine with network access (CI does this);',
        `  - point ELECTRON_MIRROR at a reachable mirror, or put electron-v${version}-${platform.nodeName}-${arch}.zip in ELECTRON_CACHE;`,
        '  - install Electron with its binary (`npm ci` with network) so node_modules/electron/dist exists.',
        'The CLI (`npx stagebench …`) does every bench job without the packaged app. See docs/troubleshooting.md.',
      ]);
    }
    fail(EXIT_FAILED, [`electron-builder failed: ${firstLine(err)}`, 'Set DEBUG=electron-builder for details.']);
  }
}

main().catch((err) => fail(EXIT_FAILED, [`unexpected error: ${firstLine(err)}`]));
