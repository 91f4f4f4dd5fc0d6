/**
 * The simulator's device store: devices assigned to the simulated MDM server, an append-only
 * event log (op_type added / modified / deleted with op_date) feeding `/devices/sync`, and
 * deterministic device generation.
 */
import type { DepDevice } from '../../../main/dep/api/types';

/** A change record as `/devices/sync` returns it. */
export interface DeviceEvent {
  seq: number;
  device: DepDevice & { op_type: string; op_date: string };
}

const MODELS = [
  { model: 'iPhone 15', description: 'IPHONE 15 BLACK 128GB', device_family: 'iPhone', os: 'iOS', color: 'BLACK' },
  { model: 'iPad Air', description: 'IPAD AIR WI-FI 64GB', device_family: 'iPad', os: 'iPadOS', color: 'SPACE GRAY' },
  { model: 'MacBook Air', description: 'MBA 13.6 M2 8C CPU', device_family: 'Mac', os: 'OSX', color: 'MIDNIGHT' },
  { model: 'Apple TV 4K', description: 'APPLE TV 4K 64GB', device_family: 'AppleTV', os: 'tvOS', color: 'BLACK' },
];

/** A deterministic device number `i` (serial `SIM` + 9 base-36 digits, e.g. SIM00000000A). */
export function makeDevice(i: number, assignedDate: string, prefix = 'SIM'): DepDevice {
  const m = MODELS[i % MODELS.length];
  return {
    serial_number: `${prefix}${i.toString(36).toUpperCase().padStart(12 - prefix.length, '0')}`,
    ...m,
    asset_tag: `A-${i}`,
    profile_status: 'empty',
    device_assigned_date: assignedDate,
    device_assigned_by: 'purchaser@example.com',
  };
}

/** Devices plus their change log. `now()` is the simulator clock (ms). */
export class DeviceStore {
  readonly devices = new Map<string, DepDevice>();
  readonly events: DeviceEvent[] = [];
  private seq = 0;
  private generated = 0;

  constructor(private readonly now: () => number) {}

  /** Latest event sequence number (0 = none). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Seeds `n` devices without events (they exist before any listing). */
  seed(n: number): void {
    const at = new Date(this.now()).toISOString();
    for (let i = 0; i < n; i++) {
      const d = makeDevice(this.generated++, at);
      this.devices.set(d.serial_number, d);
    }
  }

  /** Adds `n` generated devices or the given ones (event `added`); returns their serials. */
  add(what: number | DepDevice[]): string[] {
    const at = new Date(this.now()).toISOString();
    const list = typeof what === 'number' ? Array.from({ length: what }, () => makeDevice(this.generated++, at)) : what;
    for (const d of list) {
      if (!d.serial_number) throw new Error('each device needs a serial_number');
      this.devices.set(d.serial_number, { ...d });
      this.log(d.serial_number, 'added');
    }
    return list.map((d) => d.serial_number);
  }

  /** Applies `patch` to known serials (event `modified`); returns serials changed. */
  modify(serials: string[], patch: Partial<DepDevice>): string[] {
    const done: string[] = [];
    for (const s of serials) {
      const d = this.devices.get(s);
      if (!d) continue;
      Object.assign(d, patch, { serial_number: s });
      this.log(s, 'modified');
      done.push(s);
    }
    return done;
  }

  /** Removes serials (event `deleted`, e.g. released or moved to another MDM server in ABM). */
  remove(serials: string[]): string[] {
    const done: string[] = [];
    for (const s of serials) {
      const d = this.devices.get(s);
      if (!d) continue;
      this.devices.delete(s);
      this.events.push({ seq: ++this.seq, device: { ...d, op_type: 'deleted', op_date: new Date(this.now()).toISOString() } });
      done.push(s);
    }
    return done;
  }

  /** Appends raw events as given (e.g. out-of-order op_date) without touching the store. */
  inject(events: (DepDevice & { op_type: string; op_date: string })[]): void {
    for (const e of events) this.events.push({ seq: ++this.seq, device: { ...e } });
  }

  /** Events with seq > `after`, at most `limit`; and whether more remain. */
  eventsAfter(after: number, limit: number): { events: DeviceEvent[]; more: boolean } {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid].seq <= after) lo = mid + 1;
      else hi = mid;
    }
    const events = this.events.slice(lo, lo + limit);
    return { events, more: lo + limit < this.events.length };
  }

  private log(serial: string, op: 'added' | 'modified'): void {
    const d = this.devices.get(serial)!;
    this.events.push({ seq: ++this.seq, device: { ...d, op_type: op, op_date: new Date(this.now()).toISOString() } });
  }
}
