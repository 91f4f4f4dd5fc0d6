/**
 * The app's origin and Content-Security-Policy. Pure constants and checks (no electron import), so
 * the protocol handler, the IPC sender check, the test harness's static server and the hardening
 * tests share one definition.
 */

/** Custom scheme the renderer is served from (registered standard + secure before `ready`). */
export const APP_SCHEME = 'app';
/** Host part of the app origin. */
export const APP_HOST = 'stagebench';
/** The renderer's origin: `app://stagebench`. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** URL of the renderer's entry page. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Content-Security-Policy of the renderer, sent as a response header by the app protocol (and by
 * the test harness) and repeated as a `<meta>` tag in `renderer/index.html`. Emotion (MUI) injects
 * `<style>` elements, hence `style-src 'unsafe-inline'`; scripts are same-origin only.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'";

/**
 * True when `url` (a sender frame URL) belongs to the app origin `app://stagebench`. Parses with
 * the WHATWG URL parser; empty, malformed, `file:`, `http(s):` and look-alike hosts are rejected.
 */
export function isAppOriginUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
