/**
 * Renderer test harness: the built renderer (`out/renderer`) served on 127.0.0.1 with the app's
 * CSP, opened in Debian's Chromium through playwright-core, with `window.stagebench` built by the
 * same bridge factory as the preload and routed to a real dispatcher in the test process:
 *   renderer → bridge → binding `__stagebenchInvoke` → dispatch(channel, args) → services
 *   services → harness.emit(event, payload) → page.evaluate(__stagebenchEmit) → bridge listeners
 * Only the Electron shell (window, preload process, ipcMain) is replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { EventName, EventPayload } from '../../../main/ipc/contract';
import type { Dispatch } from '../../../main/ipc/dispatch';
import { validateEvent } from '../../../main/ipc/events';
import { browserBridgeScript } from './bridge-bundle';
import { startStaticServer, type StaticServer } from './static-server';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** The built renderer directory. */
export const RENDERER_DIR = path.join(ROOT, 'out', 'renderer');
/** Where screenshots go. */
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'screenshots');
/** Debian's Chromium. */
export const CHROMIUM_PATH = process.env.STAGEBENCH_CHROMIUM ?? '/usr/bin/chromium';

/** Throws a clear Error when `out/renderer/index.html` is missing (run `npm run build`). */
export function assertRendererBuilt(dir = RENDERER_DIR): void {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${path.relative(ROOT, dir)}/index.html is missing: run \`npm run build\` (electron-vite build) before the E2E tests`);
  }
}

/** Options: the dispatcher to route calls to, viewport and colour scheme. */
export interface RendererHarnessOptions {
  dispatch: Dispatch;
  rendererDir?: string;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/** A running harness. `problems` collects page errors, console errors and CSP violations. */
export interface RendererHarness {
  page: Page;
  context: BrowserContext;
  browser: Browser;
  url: string;
  /** Channels invoked by the renderer, in order. */
  calls: string[];
  problems: string[];
  /** Delivers a contract event to the page (validated first, like the Electron sender). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): Promise<void>;
  /**
   * Saves a PNG as test-results/screenshots/NAME.png (full page, scrolled to the top, unless
   * `fullPage` is false — use that while a modal dialog is open) and returns its path.
   */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** Launches Chromium on the served renderer with the bridge wired to `options.dispatch`. */
export async function launchRendererHarness(options: RendererHarnessOptions): Promise<RendererHarness> {
  const dir = options.rendererDir ?? RENDERER_DIR;
  assertRendererBuilt(dir);
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set STAGEBENCH_CHROMIUM)`);

  const script = await browserBridgeScript();
  let server: StaticServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await startStaticServer(dir);
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
    });
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1440, height: 960 },
      colorScheme: options.colorScheme ?? 'light',
      acceptDownloads: true,
    });
    const calls: string[] = [];
    const problems: string[] = [];
    await context.exposeBinding('__stagebenchInvoke', async (_source, channel: unknown, args: unknown) => {
      calls.push(String(channel));
      return options.dispatch(String(channel), args);
    });
    await context.addInitScript({ content: script });
    const page = await context.newPage();
    // A busy 2-core CI machine can take longer than Playwright's 30 s default for a first render.
    page.setDefaultTimeout(60_000);
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    await page.goto(server.url);

    let queue: Promise<unknown> = Promise.resolve();
    const srv = server;
    const br = browser;
    return {
      page,
      context,
      browser,
      url: server.url,
      calls,
      problems,
      emit(event, payload) {
        const valid = validateEvent(event, payload);
        const next = queue.then(() =>
          page.evaluate(([e, p]) => (globalThis as unknown as { __stagebenchEmit: (e: string, p: unknown) => number }).__stagebenchEmit(e, p), [event, valid] as const),
        );
        queue = next.catch(() => undefined);
        return next.then(
          () => undefined,
          (err: Error) => {
            if (!page.isClosed()) throw err;
          },
        );
      },
      async screenshot(name, shotOptions = {}) {
        fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const file = path.join(SCREENSHOT_DIR, `${name}.png`);
        const fullPage = shotOptions.fullPage ?? true;
        if (fullPage) await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
        await page.screenshot({ path: file, fullPage, animations: 'disabled' });
        return file;
      },
      async close() {
        await queue.catch(() => undefined);
        await br.close();
        await srv.close();
      },
    };
  } catch (err) {
    await browser?.close().catch(() => undefined);
    await server?.close();
    throw err;
  }
}
