/**
 * The renderer-facing API factory, shared by the Electron preload (`preload/index.ts`) and the
 * Chromium test harness (bundled for the browser), so both run the same code.
 *
 * `createBridge(invoke, subscribe)` returns `{ invoke(channel, args), on(event, cb) }`:
 * - `invoke` accepts only contract channels, forwards to the transport and unwraps the dispatcher
 *   envelope: resolves to the value, or rejects with `Error(message)` (the code, when present, is
 *   appended as `[CODE]` since custom Error fields do not survive contextBridge).
 * - `on` accepts only contract events and passes the payload alone to `cb` (never the transport's
 *   event object); it returns an unsubscribe function.
 * Imports only channel names (no zod), so the sandboxed preload stays small.
 */
import type { ChannelInput, ChannelOutput, EventPayload, IpcEnvelope } from './contract';
import { isEventName, isInvokeChannel, type EventName, type InvokeChannel } from './names';

/** Transport for requests: resolves to the dispatcher's envelope for `channel`. */
export type RawInvoke = (channel: InvokeChannel, args: unknown) => Promise<unknown>;
/** Transport for events: calls `listener(payload)` per event; returns an unsubscribe function. */
export type RawSubscribe = (event: EventName, listener: (payload: unknown) => void) => () => void;

/** Arguments of `invoke` for a channel: optional when the channel takes no input. */
export type InvokeArgs<C extends InvokeChannel> = undefined extends ChannelInput<C>
  ? [args?: ChannelInput<C>]
  : [args: ChannelInput<C>];

/** `window.stagebench`: the only API the renderer has. */
export interface StageBenchApi {
  /** Calls a contract channel; rejects with Error(message) on failure. */
  invoke<C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<ChannelOutput<C>>;
  /** Subscribes to a contract event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void;
}

function isEnvelope(v: unknown): v is IpcEnvelope {
  if (v === null || typeof v !== 'object') return false;
  const e = v as { ok?: unknown; error?: unknown };
  if (e.ok === true) return 'value' in e;
  return e.ok === false && e.error !== null && typeof e.error === 'object' && typeof (e.error as { message?: unknown }).message === 'string';
}

/** Builds the renderer API over a transport. Throws TypeError when a transport is missing. */
export function createBridge(invoke: RawInvoke, subscribe: RawSubscribe): StageBenchApi {
  if (typeof invoke !== 'function' || typeof subscribe !== 'function') {
    throw new TypeError('createBridge needs an invoke and a subscribe transport');
  }
  const api: StageBenchApi = {
    async invoke(channel, ...args) {
      if (!isInvokeChannel(channel)) throw new Error(`Unknown channel: ${String(channel)}`);
      const envelope = await invoke(channel, args[0]);
      if (!isEnvelope(envelope)) throw new Error(`Malformed response from ${channel}`);
      if (!envelope.ok) {
        const { message, code } = envelope.error;
        throw new Error(code ? `${message} [${code}]` : message);
      }
      return envelope.value as never;
    },
    on(event, callback) {
      if (!isEventName(event)) throw new Error(`Unknown event: ${String(event)}`);
      if (typeof callback !== 'function') throw new TypeError('on() needs a callback function');
      return subscribe(event, (payload) => callback(payload as never));
    },
  };
  return Object.freeze(api);
}
