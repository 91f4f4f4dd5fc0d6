/** Globals of the renderer: the contract API exposed by the preload (or the test harness). */
import type { StageBenchApi } from '../../main/ipc/bridge';

declare global {
  interface Window {
    /** The contract API; the only way the renderer reaches the main process. */
    stagebench?: StageBenchApi;
  }
}

export {};
