#!/usr/bin/env node
// Launcher for the `stagebench` CLI. The CLI needs Node >= 22 (better-sqlite3 13 uses Node-API 10):
// when started by an older Node, it re-runs itself with the Node 22 binary that `npm ci` installed
// (the `node` devDependency). TypeScript sources run through tsx's ESM loader.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');

const root = path.resolve(__dirname, '..');
const major = Number(process.versions.node.split('.')[0]);
let nodeBin = process.execPath;
if (major < 22) {
  const local = path.join(root, 'node_modules', 'node', 'bin', 'node');
  if (!fs.existsSync(local)) {
    console.error(`stagebench: Node ${process.versions.node} is too old (needs >= 22) and ${local} is missing; run \`npm ci\` in ${root} first`);
    process.exit(2);
  }
  nodeBin = local;
}
let loader;
try {
  loader = pathToFileURL(require.resolve('tsx/esm', { paths: [root] })).href;
} catch {
  console.error(`stagebench: dependencies are not installed; run \`npm ci\` in ${root} first`);
  process.exit(2);
}
const entry = path.join(root, 'main', 'cli', 'main.ts');
const result = spawnSync(nodeBin, ['--import', loader, '--no-warnings=ExperimentalWarning', entry, ...process.argv.slice(2)], { stdio: 'inherit', env: process.env });
if (result.error) {
  console.error(`stagebench: could not start Node: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status === null ? 1 : result.status);
