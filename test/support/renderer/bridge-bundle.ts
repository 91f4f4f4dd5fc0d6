/** Bundles ./browser-bridge.ts (and the shared bridge factory) into one browser IIFE script. */
import path from 'node:path';
import { build } from 'esbuild';

let cached: Promise<string> | null = null;

/** The init-script source (cached per process). Rejects with esbuild's errors when bundling fails. */
export function browserBridgeScript(): Promise<string> {
  cached ??= build({
    entryPoints: [path.join(import.meta.dirname, 'browser-bridge.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0].text);
  return cached;
}
