/**
 * Maps a request path onto a file of the built renderer (`out/renderer`), refusing anything that
 * escapes the root. Pure Node (no electron import): shared by the `app://` protocol handler and
 * the test harness's static server so both serve identically.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** A resolved asset: absolute file path and its Content-Type. */
export interface ResolvedAsset {
  file: string;
  contentType: string;
}

/** Content-Type for a file name by extension; `application/octet-stream` when unknown. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Resolves the URL pathname `pathname` (percent-encoded, e.g. `/assets/index-abc.js`) inside
 * `rootDir`. `/` maps to `/index.html`. Returns null for paths that escape the root (`..`,
 * encoded separators, NUL) or that cannot be decoded. Does not touch the file system.
 */
export function resolveAssetPath(rootDir: string, pathname: string): ResolvedAsset | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, rel);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return { file, contentType: contentTypeFor(file) };
}

/**
 * Reads the asset for `pathname` under `rootDir`: `{status: 200, body, contentType}`, or
 * `{status: 404}` when the path is refused, missing or a directory.
 */
export async function readAsset(
  rootDir: string,
  pathname: string,
): Promise<{ status: 200; body: Buffer; contentType: string } | { status: 404 }> {
  const asset = resolveAssetPath(rootDir, pathname);
  if (!asset) return { status: 404 };
  try {
    const body = await fs.readFile(asset.file);
    return { status: 200, body, contentType: asset.contentType };
  } catch {
    return { status: 404 };
  }
}
