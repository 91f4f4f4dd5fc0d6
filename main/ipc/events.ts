/**
 * Main → renderer events: contract validation of payloads, a hub that fans validated events out
 * to the connected sinks (the Electron window, or the test harness's page), and the translation
 * of the device service's watch (full list per usbmuxd event) into `device:attached` /
 * `device:detached` events.
 */
import type { DeviceRow } from '../app/types';
import { events, type EventName, type EventPayload } from './contract';

/** Receives one event (already validated). */
export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * The payload parsed with the event's contract schema (unknown fields stripped). Throws Error
 * naming the event when the payload does not match: an emitting service has a bug.
 */
export function validateEvent<E extends EventName>(event: E, payload: unknown): EventPayload<E> {
  const parsed = events[event].safeParse(payload);
  if (!parsed.success) throw new Error(`event ${event}: payload does not match the contract`);
  return parsed.data as EventPayload<E>;
}

/** Fan-out of validated events to connected sinks. */
export interface EventHub {
  /** Validates and delivers to every connected sink; invalid payloads are logged and dropped. */
  emit: EventSink;
  /** Adds a sink; returns the function removing it. */
  connect(sink: EventSink): () => void;
}

/** Creates an event hub. `log` gets one line per dropped event or failing sink (default console.error). */
export function createEventHub(log: (line: string) => void = (l) => console.error(l)): EventHub {
  const sinks = new Set<EventSink>();
  return {
    emit(event, payload) {
      let valid: typeof payload;
      try {
        valid = validateEvent(event, payload);
      } catch (err) {
        log(`[events] ${(err as Error).message}`);
        return;
      }
      for (const sink of sinks) {
        try {
          sink(event, valid);
        } catch (err) {
          log(`[events] a sink failed on ${event}: ${(err as Error).message}`);
        }
      }
    },
    connect(sink) {
      sinks.add(sink);
      return () => {
        sinks.delete(sink);
      };
    },
  };
}

/** The device-service part `watchDeviceEvents` needs (main/app/device-service.ts `watch`). */
export interface DeviceWatchSource {
  devices: { watch(onChange: (devices: DeviceRow[]) => void): Promise<() => void> };
}

/**
 * Turns successive full device lists into events: `device:attached` for a device that appeared or
 * whose row changed (paired, facts read), `device:detached` for one that disappeared. Rows that
 * are not `attached` count as gone.
 */
export function createDeviceDiffer(emit: EventSink): (devices: DeviceRow[]) => void {
  let known = new Map<string, DeviceRow>();
  return (devices) => {
    const next = new Map(devices.filter((d) => d.attached).map((d) => [d.udid, d] as const));
    for (const [udid, row] of next) {
      const prev = known.get(udid);
      if (!prev || JSON.stringify(prev) !== JSON.stringify(row)) emit('device:attached', row);
    }
    for (const [udid, prev] of known) if (!next.has(udid)) emit('device:detached', { udid, deviceId: prev.deviceId });
    known = next;
  };
}

/**
 * Watches devices and emits attach/detach events. When usbmuxd cannot be reached the watch is
 * retried every `retryMs` (default 3000) until stopped. Returns the stop function.
 */
export function watchDeviceEvents(source: DeviceWatchSource, emit: EventSink, options: { retryMs?: number } = {}): () => void {
  const differ = createDeviceDiffer(emit);
  let stopped = false;
  let stopWatch: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const start = (): void => {
    source.devices.watch(differ).then(
      (stop) => {
        if (stopped) stop();
        else stopWatch = stop;
      },
      () => {
        if (!stopped) timer = setTimeout(start, options.retryMs ?? 3000);
      },
    );
  };
  start();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    stopWatch?.();
  };
}
