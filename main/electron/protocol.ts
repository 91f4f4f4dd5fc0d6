/**
 * The `app://stagebench/…` protocol serving the built renderer (instead of file://), with the CSP
 * and hardening headers on every response.
 */
import { protocol, type Session } from 'electron';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './app-origin';
import { readAsset } from './static-assets';

/**
 * Registers `app:` as a standard, secure scheme. Must run before `app` is ready (Electron throws
 * otherwise).
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Response headers sent with every app asset. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}

/**
 * Serves files of `rendererDir` on `app://stagebench/` in `session`. Requests for another host,
 * non-GET methods, paths escaping the directory and missing files get 404/405.
 */
export function serveAppProtocol(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    const asset = await readAsset(rendererDir, url.pathname);
    if (asset.status !== 200) return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
    return new Response(new Uint8Array(asset.body), { status: 200, headers: appResponseHeaders(asset.contentType) });
  });
}
