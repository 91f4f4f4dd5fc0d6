#!/usr/bin/env node
// Copies the page screenshots the E2E suite saved (test-results/screenshots, after `npm test` or
// `npm run test:e2e`) into docs/screenshots, where README.md shows them. Usage:
//   npm run test:e2e && node scripts/update-readme-screenshots.cjs
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const from = path.join(root, 'test-results', 'screenshots');
const to = path.join(root, 'docs', 'screenshots');
const PAGES = [
  'bench', 'bench-blueprints', 'profiles', 'devices', 'users', 'invitations', 'registration-settings',
  'enrollment-servers', 'enrollment-editor', 'enrollment-devices', 'sync', 'sync-conflict', 'offline',
  'audit', 'organizations', 'settings', 'dark',
];
fs.mkdirSync(to, { recursive: true });
const missing = [];
for (const name of PAGES) {
  const src = path.join(from, `${name}.png`);
  if (!fs.existsSync(src)) { missing.push(name); continue; }
  fs.copyFileSync(src, path.join(to, `${name}.png`));
}
if (missing.length) {
  console.error(`missing screenshots (run the E2E suite first): ${missing.join(', ')}`);
  process.exit(1);
}
console.log(`copied ${PAGES.length} screenshots to docs/screenshots`);
