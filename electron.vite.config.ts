/**
 * electron-vite 6 build configuration for StageBench.
 *
 * Top-level roots (no `src/`): main entry `main/index.ts` → `out/main/index.js` (ESM, because the
 * package is `"type":"module"`), preload `preload/index.ts` → `out/preload/index.cjs` (CommonJS:
 * sandboxed preloads cannot use ESM), renderer root `renderer/` → `out/renderer`.
 *
 * `electron-vite build` does not need the Electron binary: it only reads electron's package.json
 * for the major version (ELECTRON_MAJOR_VER overrides it).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Every package.json dependency stays external (loaded from node_modules at runtime); this
      // keeps the native modules (better-sqlite3, usb) out of the bundle.
      externalizeDeps: { include: ['better-sqlite3', 'usb'] },
      rolldownOptions: {
        input: { index: resolve(root, 'main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // The sandboxed preload can only require('electron'): bundle everything else into it.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: true,
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
  },
});
