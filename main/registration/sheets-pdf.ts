/**
 * Printable invitation sheets: an HTML document of rendered invitations (one `.sheet` per page)
 * printed to PDF by headless Chromium through playwright-core (`page.pdf`, A4, backgrounds on).
 * JavaScript is off and every network request is refused, so the PINs and QR codes in the page
 * never leave the bench.
 */
import fs from 'node:fs';

/** Options of htmlToPdf. */
export interface PdfOptions {
  /** Chromium binary; default env STAGEBENCH_CHROMIUM, else /usr/bin/chromium. */
  chromiumPath?: string;
  /** Give up after this many milliseconds (default 60000). */
  timeoutMs?: number;
}

/** Chromium flags for a headless, offline print. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'];

/** The Chromium binary htmlToPdf launches by default. */
export function defaultChromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.STAGEBENCH_CHROMIUM || '/usr/bin/chromium';
}

/**
 * Prints `html` (a complete document) to PDF bytes with Chromium: A4, CSS page size honoured,
 * backgrounds printed. Throws an Error saying how to install Chromium or set STAGEBENCH_CHROMIUM
 * when the binary is missing, and whatever Chromium reports when printing fails.
 */
export async function htmlToPdf(html: string, opts: PdfOptions = {}): Promise<Buffer> {
  const executablePath = opts.chromiumPath ?? defaultChromiumPath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium is needed to print invitation sheets and was not found at ${executablePath}; install it (apt-get install chromium) or set STAGEBENCH_CHROMIUM to its path`);
  }
  const { chromium } = await import('playwright-core');
  const timeout = opts.timeoutMs ?? 60_000;
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
