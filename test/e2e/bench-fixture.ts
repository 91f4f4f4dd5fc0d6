/**
 * E2E fixture: the device emulator, the real application services on a temporary data dir
 * (STAGEBENCH_DATA_DIR, headless passphrase from STAGEBENCH_PASSPHRASE), the real dispatcher and
 * event hub, and the renderer harness (built renderer in Debian's Chromium) wired to them — the
 * same wiring main/index.ts does with Electron.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppServices, type AppServices } from '../../main/app/services';
import { createDispatcher } from '../../main/ipc/dispatch';
import { createEventHub, watchDeviceEvents } from '../../main/ipc/events';
import { writeSettings } from '../../main/ipc/workstation-settings';
import { openHeadlessSecretBox } from '../../main/secrets';
import { resolveDataDir } from '../../main/store';
import { startEmulator, type Emulator, type EmulatorOptions } from '../support/emulator';
import { makeTestPki, type TestPki } from '../support/pki';
import { assertRendererBuilt, launchRendererHarness, type RendererHarness } from '../support/renderer/harness';

/** A running bench: emulator, PKI, services and the browser harness. */
export interface BenchFixture {
  emulator: Emulator;
  pki: TestPki;
  services: AppServices;
  harness: RendererHarness;
  tmp: string;
  close(): Promise<void>;
}

/** Options of startBench. */
export interface BenchOptions {
  emulator?: EmulatorOptions;
  colorScheme?: 'light' | 'dark';
  /** Leave the first-run setup wizard to open (default: the bench counts as set up). */
  firstRun?: boolean;
  /** Runs against the services before the page opens (seed the cache). */
  seed?: (services: AppServices, pki: TestPki) => void | Promise<void>;
}

/** Starts everything; `emulator` options default to three devices (iPhone, iPad, Apple TV). */
export async function startBench(options: BenchOptions = {}): Promise<BenchFixture> {
  assertRendererBuilt();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stagebench-e2e-'));
  const saved = { dir: process.env.STAGEBENCH_DATA_DIR, pass: process.env.STAGEBENCH_PASSPHRASE };
  process.env.STAGEBENCH_DATA_DIR = path.join(tmp, 'data');
  process.env.STAGEBENCH_PASSPHRASE = 'e2e headless passphrase';
  const cleanups: (() => unknown)[] = [
    () => {
      for (const [k, v] of [['STAGEBENCH_DATA_DIR', saved.dir], ['STAGEBENCH_PASSPHRASE', saved.pass]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    },
    () => fs.rmSync(tmp, { recursive: true, force: true }),
  ];
  const close = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    const pki = makeTestPki(path.join(tmp, 'pki'), { keyType: 'rsa' });
    const emulator = await startEmulator({ devices: 3, kinds: ['iphone', 'ipad', 'appletv'], seed: 'e2e-bench', ...options.emulator });
    cleanups.push(() => emulator.close());
    const dataDir = resolveDataDir();
    const services = createAppServices({ dataDir, secretBox: openHeadlessSecretBox(dataDir), actor: 'e2e', usbmuxAddress: emulator.address });
    cleanups.push(() => services.close());
    if (!options.firstRun) writeSettings(dataDir, { setupCompletedAt: new Date().toISOString() });
    await options.seed?.(services, pki);
    const hub = createEventHub();
    const dispatch = createDispatcher(services, { version: '0.1.0-e2e', usbmuxAddress: emulator.address, emit: hub.emit });
    const harness = await launchRendererHarness({ dispatch, colorScheme: options.colorScheme });
    cleanups.push(() => harness.close());
    cleanups.push(hub.connect((event, payload) => void harness.emit(event, payload).catch(() => undefined)));
    cleanups.push(watchDeviceEvents(services, hub.emit, { retryMs: 200 }));
    return { emulator, pki, services, harness, tmp, close };
  } catch (err) {
    await close();
    throw err;
  }
}
