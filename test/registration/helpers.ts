/**
 * Test support for registration: a real SQLite cache in a temp directory, a real AES-GCM secret
 * box, a settable clock, QR decoding (pngjs + jsQR) and PDF inspection (poppler's pdfinfo /
 * pdftotext / pdftoppm).
 */
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { createRegistrationService, type RegistrationService, type RegistrationServiceOptions } from '../../main/registration';
import { AesGcmSecretBox } from '../../main/secrets';
import { openDatabase, type Db } from '../../main/store';

/** A fresh temp directory. */
export function tmpDir(prefix = 'sb-reg-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public t = Date.parse('2030-03-01T09:00:00.000Z')) {}
  now = (): Date => new Date(this.t);
  advanceHours(h: number): void {
    this.t += h * 3_600_000;
  }
}

/** A service over a new cache file, with cheap PIN hashing so tests stay quick. */
export interface Fixture {
  dir: string;
  db: Db;
  clock: TestClock;
  reg: RegistrationService;
}

/** Opens a cache in a temp dir and builds the service over it. */
export function fixture(opts: RegistrationServiceOptions = {}): Fixture {
  const dir = tmpDir();
  const db = openDatabase(dir);
  const clock = new TestClock();
  const reg = createRegistrationService(db, new AesGcmSecretBox(crypto.randomBytes(32)), 'test:admin', {
    now: clock.now, pinHashParams: { N: 1 << 10, r: 8, p: 1 }, ...opts,
  });
  return { dir, db, clock, reg };
}

/** Decodes the QR code in a PNG (bytes or data URL). Throws when none is found. */
export function decodeQr(png: Buffer | string): string {
  const bytes = typeof png === 'string' ? Buffer.from(png.replace(/^data:image\/png;base64,/, ''), 'base64') : png;
  const img = PNG.sync.read(bytes);
  const code = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
  if (!code) throw new Error('no QR code found in the image');
  return code.data;
}

/** Whether poppler's tools are installed. */
export const HAVE_POPPLER = (() => {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Page count of a PDF file (pdfinfo). */
export function pdfPages(file: string): number {
  const out = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const m = /^Pages:\s+(\d+)/m.exec(out);
  if (!m) throw new Error(`pdfinfo printed no page count:\n${out}`);
  return Number(m[1]);
}

/** Text of one page (1-based) of a PDF file (pdftotext -layout). */
export function pdfPageText(file: string, page: number): string {
  return execFileSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' });
}

/** Page `page` rendered to PNG at `dpi` (pdftoppm). */
export function pdfPagePng(file: string, page: number, dpi = 150): Buffer {
  const prefix = path.join(tmpDir('sb-pdfpng-'), 'p');
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, prefix]);
  return fs.readFileSync(`${prefix}.png`);
}

/** Every byte of the cache: the database file plus its WAL and shared-memory files. */
export function cacheBytes(dir: string): Buffer {
  return Buffer.concat(fs.readdirSync(dir).filter((f) => f.startsWith('stagebench.sqlite3')).map((f) => fs.readFileSync(path.join(dir, f))));
}

/** The part of a PNG between fractional bounds (0–1) of its width and height, as a new PNG. */
export function cropPng(png: Buffer, x0: number, x1: number, y0 = 0, y1 = 1): Buffer {
  const src = PNG.sync.read(png);
  const left = Math.floor(src.width * x0);
  const top = Math.floor(src.height * y0);
  const out = new PNG({ width: Math.floor(src.width * x1) - left, height: Math.floor(src.height * y1) - top });
  PNG.bitblt(src, out, left, top, out.width, out.height, 0, 0);
  return PNG.sync.write(out);
}
