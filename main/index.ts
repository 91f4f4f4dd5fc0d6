/**
 * Electron entry point (thin): hardening, the app:// protocol, services, IPC from the contract,
 * the main window, and main → renderer events. Everything else lives in main/electron/* (the
 * Electron adapters) and the Electron-free services.
 */
import path from 'node:path';
import { app, dialog, session } from 'electron';
import { createAppServices } from './app/services';
import { denyPermissions, hardenAllWebContents } from './electron/hardening';
import { createEventSender, registerIpc } from './electron/ipc';
import { registerAppScheme, serveAppProtocol } from './electron/protocol';
import { safeStorageKeyWrapper } from './electron/safe-storage';
import { createMainWindow } from './electron/window';
import { createDispatcher } from './ipc/dispatch';
import { createEventHub, watchDeviceEvents } from './ipc/events';
import { openablePathsFromArgv, readOpenedFile } from './ipc/opened-files';
import { openKeyring, passphraseWrapper, type KeyWrapper } from './secrets';
import { defaultActor, resolveDataDir } from './store';

const here = import.meta.dirname; // out/main
const RENDERER_DIR = path.join(here, '../renderer');
const PRELOAD_PATH = path.join(here, '../preload/index.cjs');

registerAppScheme();
hardenAllWebContents();

// Files opened through the .mobileconfig association: macOS sends open-file (possibly before
// ready), Windows/Linux pass them as arguments. Queued until the window can receive them.
const pendingFiles: string[] = openablePathsFromArgv(process.argv.slice(1));
let deliverFile: ((file: string) => void) | null = null;
app.on('open-file', (event, file) => {
  event.preventDefault();
  if (deliverFile) deliverFile(file);
  else pendingFiles.push(file);
});
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start).catch((err: unknown) => {
    dialog.showErrorBox('StageBench could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });
}

async function start(): Promise<void> {
  denyPermissions(session.defaultSession);
  serveAppProtocol(session.defaultSession, RENDERER_DIR);

  const dataDir = resolveDataDir();
  const services = createAppServices({ dataDir, secretBox: openKeyring(dataDir, keyWrappers()), actor: `app:${defaultActor()}` });
  app.on('will-quit', () => services.close());

  const hub = createEventHub();
  registerIpc(createDispatcher(services, { version: app.getVersion(), emit: hub.emit, backgroundSync: true }));
  // Background tenant sync while a tenant is configured (the Sync page starts it after configuring); stopped on quit.
  if (services.sync.settings()) services.sync.start();
  app.on('before-quit', () => void services.sync.stop());
  const win = await createMainWindow({ preloadPath: PRELOAD_PATH });
  const disconnect = hub.connect(createEventSender(win));
  const stopWatch = watchDeviceEvents(services, hub.emit);
  win.on('closed', () => {
    stopWatch();
    disconnect();
  });
  deliverFile = (file) => {
    try {
      hub.emit('file:opened', readOpenedFile(file));
    } catch (err) {
      dialog.showErrorBox('StageBench could not open the file', (err as Error).message);
    }
  };
  win.webContents.once('did-finish-load', () => pendingFiles.splice(0).forEach((f) => deliverFile?.(f)));
  app.on('second-instance', (_event, argv) => {
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
    openablePathsFromArgv(argv).forEach((f) => deliverFile?.(f));
  });
  app.on('window-all-closed', () => app.quit());
}

/**
 * Key wrappers protecting the secrets keyring: the OS keyring through safeStorage, plus the
 * passphrase in STAGEBENCH_PASSPHRASE when set (so the CLI can open the same cache). Throws when
 * neither is available.
 */
function keyWrappers(): KeyWrapper[] {
  const wrappers: KeyWrapper[] = [];
  let unavailable: string | null = null;
  try {
    wrappers.push(safeStorageKeyWrapper((m) => console.warn(`[secrets] ${m}`)));
  } catch (err) {
    unavailable = (err as Error).message;
  }
  if (process.env.STAGEBENCH_PASSPHRASE) wrappers.push(passphraseWrapper(process.env.STAGEBENCH_PASSPHRASE));
  if (wrappers.length === 0) throw new Error(`${unavailable ?? 'no OS keyring'}; set STAGEBENCH_PASSPHRASE to protect secrets with a passphrase instead`);
  return wrappers;
}
