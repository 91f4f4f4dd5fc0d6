/**
 * usbmuxd `Listen` subscription on its own long-lived socket: after `{MessageType:"Result",
 * Number:0}` the daemon sends one `Attached` per present device, then hot-plug `Attached` /
 * `Detached` / `Paired` events, all with tag 0 (../shared/reference/device-protocols.md §1.4–1.5).
 */
import { EventEmitter } from 'node:events';
import { MalformedMessageError, UsbmuxMessage, usbmuxPlistBody } from '../wire';
import type { UsbmuxConnection } from './connection';
import { parseUsbmuxEvent, type UsbmuxDevice, type UsbmuxEvent } from './types';

/** Events of a UsbmuxListener. `close` carries the error that ended it, or null after `close()`. */
export interface UsbmuxListenerEvents {
  event: [UsbmuxEvent];
  attached: [UsbmuxDevice];
  detached: [number];
  paired: [number];
  error: [Error];
  close: [Error | null];
}

/**
 * A live Listen subscription: a typed EventEmitter (`attached(device)`, `detached(DeviceID)`,
 * `paired(DeviceID)`, `event(UsbmuxEvent)`, `close(error|null)`) and an async iterator of
 * UsbmuxEvent. Reading starts on the next turn of the event loop, so handlers attached right after
 * `await client.listen()` see the initial `Attached` events. It lives until `close()` or until
 * usbmuxd goes away (malformed single events are skipped); `error` is emitted only when someone listens for it (the `close` event always
 * carries the cause). Breaking out of a `for await` loop closes the listener.
 */
export class UsbmuxListener extends EventEmitter<UsbmuxListenerEvents> {
  private closedBy: Error | null | undefined = undefined;
  private readonly started: NodeJS.Immediate;

  /** Takes ownership of a connection whose Listen request was accepted. */
  constructor(private readonly conn: UsbmuxConnection) {
    super();
    this.started = setImmediate(() => void this.loop());
  }

  /** True until the listener is closed or its socket ends. */
  get active(): boolean {
    return this.closedBy === undefined;
  }

  private async loop(): Promise<void> {
    try {
      while (this.closedBy === undefined) {
        const packet = await this.conn.readPacket(0);
        if (packet.message !== UsbmuxMessage.Plist) continue;
        let event: UsbmuxEvent | null;
        try {
          event = parseUsbmuxEvent(usbmuxPlistBody(packet));
        } catch (err) {
          // A bad event inside a complete frame: the stream is still in sync, so skip it.
          if (err instanceof MalformedMessageError) continue;
          throw err;
        }
        if (!event || this.closedBy !== undefined) continue;
        this.emit('event', event);
        if (event.MessageType === 'Attached') this.emit('attached', event.device);
        else if (event.MessageType === 'Detached') this.emit('detached', event.DeviceID);
        else this.emit('paired', event.DeviceID);
      }
    } catch (err) {
      this.finish(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private finish(err: Error | null): void {
    if (this.closedBy !== undefined) return;
    this.closedBy = err;
    clearImmediate(this.started);
    this.conn.close();
    if (err && this.listenerCount('error') > 0) this.emit('error', err);
    this.emit('close', err);
  }

  /** Ends the subscription and closes its socket (idempotent). */
  close(): void {
    this.finish(null);
  }

  /**
   * Iterates events from now on until the listener closes. Ends normally after `close()`; throws
   * the cause (e.g. ConnectionClosedError when usbmuxd stops) otherwise.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<UsbmuxEvent, void, undefined> {
    const queue: UsbmuxEvent[] = [];
    let wake: (() => void) | null = null;
    const onEvent = (e: UsbmuxEvent): void => {
      queue.push(e);
      wake?.();
    };
    const onClose = (): void => wake?.();
    this.on('event', onEvent);
    this.on('close', onClose);
    try {
      for (;;) {
        if (queue.length > 0) {
          yield queue.shift() as UsbmuxEvent;
          continue;
        }
        if (this.closedBy !== undefined) {
          if (this.closedBy) throw this.closedBy;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    } finally {
      this.off('event', onEvent);
      this.off('close', onClose);
      this.close();
    }
  }
}
