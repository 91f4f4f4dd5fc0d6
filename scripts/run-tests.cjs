#!/usr/bin/env node
// Runs every test file under test/ (test/**/*.test.ts) with Node's test runner and tsx.
// Usage: node scripts/run-tests.cjs [filter-substring...]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.name.endsWith('.test.ts')) out.push(path.relative(root, full));
  }
  return out;
}
const filters = process.argv.slice(2);
const files = walk(path.join(root, 'test'), []).sort().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const major = Number(process.versions.node.split('.')[0]);
const nodeBin = major >= 22 ? process.execPath : path.join(root, 'node_modules', '.bin', 'node');
const result = spawnSync(nodeBin, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FORCE_COLOR: '0' },
});
process.exit(result.status ?? 1);
