/**
 * Lifecycle rules of an inventory entry: which admin action is allowed from which status, and the
 * status it leads to. Pure functions; the service applies them inside a transaction.
 *
 * From the Ivanti seed "Re-registering Android devices" (Devices page statuses):
 *   Active  — registration succeeded;  Retired — retired;  Wiped — wiped;
 *   Reset   — the device was reset and stays active on the server until its next registration.
 *
 * | action  | allowed from    | leads to | refused because                                             |
 * |---------|-----------------|----------|-------------------------------------------------------------|
 * | retire  | Active, Reset   | Retired  | Retired: already retired; Wiped: already wiped (delete it)  |
 * | wipe    | Active          | Wiped    | Reset/Retired: the device no longer takes MDM commands      |
 * | delete  | Retired, Wiped  | (gone)   | Active/Reset: still active on the server — retire it first  |
 * | reset   | Active          | Reset    | only an Active device can report a reset                    |
 *
 * Re-registration (any status) is handled by register.ts, not here.
 */
import type { DeviceStatus, LifecycleAction } from './types';

/** A refused lifecycle action (wrong status, unknown entry). The CLI reports it and exits 1. */
export class LifecycleError extends Error {
  constructor(readonly id: number, message: string) {
    super(message);
    this.name = 'LifecycleError';
  }
}

const RULES: Record<LifecycleAction, { from: readonly DeviceStatus[]; to: DeviceStatus | null }> = {
  retire: { from: ['Active', 'Reset'], to: 'Retired' },
  wipe: { from: ['Active'], to: 'Wiped' },
  delete: { from: ['Retired', 'Wiped'], to: null },
  reset: { from: ['Active'], to: 'Reset' },
};

const WHY: Record<LifecycleAction, Partial<Record<DeviceStatus, string>>> = {
  retire: {
    Retired: 'is already Retired',
    Wiped: 'was wiped and is no longer managed; delete the entry, or re-register the device',
  },
  wipe: {
    Retired: 'is Retired and no longer managed, so it cannot receive a wipe; re-register it first',
    Wiped: 'is already Wiped',
    Reset: 'was already reset and no longer takes MDM commands; retire the entry, or re-register the device',
  },
  delete: {
    Active: 'is still Active; retire or wipe it before deleting the entry',
    Reset: 'is still active on the server (Reset); retire it before deleting the entry',
  },
  reset: {
    Retired: 'is Retired; only an Active device can be marked Reset',
    Wiped: 'is Wiped; only an Active device can be marked Reset',
    Reset: 'is already Reset',
  },
};

/** Statuses from which `action` is allowed. */
export function allowedFrom(action: LifecycleAction): readonly DeviceStatus[] {
  return RULES[action].from;
}

/**
 * The status `action` leads to from `status` (null = the entry is deleted). Throws LifecycleError
 * saying why and what to do instead when the transition is not allowed.
 */
export function nextStatus(id: number, action: LifecycleAction, status: DeviceStatus): DeviceStatus | null {
  const rule = RULES[action];
  if (!rule.from.includes(status)) {
    throw new LifecycleError(id, `cannot ${action} device #${id}: it ${WHY[action][status] ?? `is ${status}`}`);
  }
  return rule.to;
}
