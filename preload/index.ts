/**
 * Sandboxed preload (bundled as CommonJS to out/preload/index.cjs). Exposes exactly the contract
 * as `window.stagebench` through contextBridge; no raw ipcRenderer reaches the page, and event
 * callbacks receive the payload only (never the IpcRendererEvent, which carries `sender`).
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from '../main/ipc/bridge';

const api = createBridge(
  (channel, args) => ipcRenderer.invoke(channel, args),
  (event, listener) => {
    const wrapped = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
);

contextBridge.exposeInMainWorld('stagebench', api);
