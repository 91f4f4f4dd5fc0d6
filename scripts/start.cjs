#!/usr/bin/env node
// `npm start`: launches the StageBench desktop app.
// - Electron binary present (node_modules/electron/path.txt and dist/): builds with electron-vite
//   when out/ is missing or older than the sources, then runs Electron on this package.
// - Otherwise: explains that the Electron binary is not installed (it downloads on first run on a
//   user machine and cannot be fetched here), points to the headless CLI, exits with status 1.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const electronDir = path.join(root, 'node_modules', 'electron');

/** Absolute path of the Electron executable, or null when it is not installed. */
function electronBinary() {
  const pathTxt = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(pathTxt)) return null;
  const bin = path.join(electronDir, 'dist', fs.readFileSync(pathTxt, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}

function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** True when any output is missing or older than the newest source file. */
function needsBuild() {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((f) => path.join(root, f));
  if (outputs.some((f) => !fs.existsSync(f))) return true;
  const built = Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
  const sources = Math.max(
    ...['main', 'preload', 'renderer'].map((d) => newestMtime(path.join(root, d))),
    fs.statSync(path.join(root, 'electron.vite.config.ts')).mtimeMs,
  );
  return sources > built;
}

const bin = electronBinary();
if (!bin) {
  process.stderr.write(
    [
      'StageBench: the Electron binary is not installed (node_modules/electron has no dist/).',
      'Electron downloads it on first run on a user machine; it cannot be fetched in this environment.',
      '',
      'For headless benches use the CLI instead:',
      '  npx stagebench --help',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

if (needsBuild()) {
  const viteBin = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
  const build = spawnSync(viteBin, ['build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    process.stderr.write('StageBench: electron-vite build failed; see the output above.\n');
    process.exit(build.status ?? 1);
  }
}

const child = spawn(bin, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', windowsHide: false });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
