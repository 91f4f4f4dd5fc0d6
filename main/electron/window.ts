/** The main BrowserWindow: hardened webPreferences, sandboxed CJS preload, app:// content. */
import { BrowserWindow, nativeTheme } from 'electron';
import { APP_ENTRY_URL } from './app-origin';
import { HARDENED_WEB_PREFERENCES } from './hardening';

/** Options of the main window: absolute path of the built preload (`out/preload/index.cjs`). */
export interface MainWindowOptions {
  preloadPath: string;
}

/**
 * Creates the main window and loads `app://stagebench/index.html`. The window is shown once the
 * first paint is ready. Rejects when the page fails to load.
 */
export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const win = new BrowserWindow({
    width: 1320,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'StageBench',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#121212' : '#f6f7f9',
    webPreferences: { ...HARDENED_WEB_PREFERENCES, preload: options.preloadPath },
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(APP_ENTRY_URL);
  return win;
}
