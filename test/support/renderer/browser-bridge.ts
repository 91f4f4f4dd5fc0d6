/**
 * Browser-side entry of the test bridge (bundled with esbuild into an init script): builds
 * `window.stagebench` with the SAME `createBridge` the preload uses, over two transports provided
 * by the harness: the Playwright binding `__stagebenchInvoke(channel, args)` (→ the real
 * dispatcher in the test process) and `__stagebenchEmit(event, payload)` (called by the harness
 * through `page.evaluate` to deliver main → renderer events).
 */
import { createBridge } from '../../../main/ipc/bridge';
import type { EventName, InvokeChannel } from '../../../main/ipc/names';

type Listener = (payload: unknown) => void;

interface HarnessWindow {
  __stagebenchInvoke?: (channel: InvokeChannel, args: unknown) => Promise<unknown>;
  __stagebenchEmit?: (event: EventName, payload: unknown) => number;
  stagebench?: unknown;
}

const w = globalThis as unknown as HarnessWindow;
const listeners = new Map<EventName, Set<Listener>>();

w.stagebench = createBridge(
  (channel, args) => {
    const invoke = w.__stagebenchInvoke;
    if (!invoke) return Promise.reject(new Error('test harness binding __stagebenchInvoke is missing'));
    return invoke(channel, args);
  },
  (event, listener) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    const wrapped: Listener = (payload) => listener(payload);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
);

Object.defineProperty(w, '__stagebenchEmit', {
  value: (event: EventName, payload: unknown) => {
    const set = listeners.get(event);
    set?.forEach((l) => l(payload));
    return set?.size ?? 0;
  },
});
