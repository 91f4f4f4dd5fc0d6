/**
 * IPC registration from the one contract: one `ipcMain.handle` per channel, sender frame checked
 * (null or not our app:// origin → rejected envelope), then the Electron-free dispatcher.
 * Events go to the window through `webContents.send` (validated by the event hub first).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { INVOKE_CHANNELS, type IpcEnvelope } from '../ipc/contract';
import type { Dispatch } from '../ipc/dispatch';
import type { EventSink } from '../ipc/events';
import { isAppOriginUrl } from './app-origin';

/** Envelope returned to senders outside the app origin. */
const FORBIDDEN: IpcEnvelope = { ok: false, error: { message: 'IPC refused: the sender is not the StageBench window', code: 'E_FORBIDDEN_SENDER' } };

/** True when the invoke came from a live frame on app://stagebench. */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && isAppOriginUrl(frame.url);
}

/** Registers a handler per contract channel. Returns a function removing them again. */
export function registerIpc(dispatch: Dispatch): () => void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, args: unknown) => {
      if (!isTrustedSender(event)) return FORBIDDEN;
      return dispatch(channel, args);
    });
  }
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/**
 * An event sink bound to `win` (connect it to the event hub, which validates payloads against the
 * contract): sends with `webContents.send`; events for a destroyed window are dropped.
 */
export function createEventSender(win: BrowserWindow): EventSink {
  return (event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(event, payload);
  };
}
