/**
 * Process-wide web-content hardening: every WebContents (windows, and any that might appear
 * later) has navigation blocked, window.open denied, <webview> attachment refused; every session
 * denies permission requests, permission checks and device (USB/HID/serial) access by default.
 */
import { app, type Session } from 'electron';

/** The webPreferences every StageBench window uses (see docs/architecture.md "Rules"). */
export const HARDENED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  webviewTag: false,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  spellcheck: false,
} as const;

/** Denies every permission request/check and device selection in `session`. */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * Installs the navigation/new-window/webview guards on every WebContents created from now on.
 * Call once, before the first window.
 */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-frame-navigate', (event) => {
      // Sub-frames may not navigate either (the CSP already limits frames to the app itself).
      if (!event.isMainFrame) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
