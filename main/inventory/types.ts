/**
 * Shapes of the device inventory: the tenant's registration entries as the Ivanti Neurons for MDM /
 * EPMM Devices page shows them. Times are ISO-8601 UTC strings. Every value is JSON-safe (IPC).
 */

/** Platforms an entry can have. Apple devices carry a UDID; Android devices never do. */
export const PLATFORMS = ['iOS', 'iPadOS', 'macOS', 'tvOS', 'visionOS', 'Android'] as const;
/** A device platform. */
export type Platform = (typeof PLATFORMS)[number];

/**
 * Registration methods (Ivanti "Registration methods"): an admin invitation (iReg), in-app
 * registration from the Go / Mobile@Work app, Apple Business Manager Device Enrollment, or
 * Apple Configurator — which includes staging at this bench.
 */
export const REGISTRATION_METHODS = ['invitation', 'in-app', 'ABM', 'Configurator/bench'] as const;
/** A registration method. */
export type RegistrationMethod = (typeof REGISTRATION_METHODS)[number];

/**
 * Entry status as the Devices page shows it (seed "Re-registering Android devices"):
 * Active — registration succeeded; Retired — retired; Wiped — wiped;
 * Reset — the device was reset and stays active on the server until its next registration.
 */
export const STATUSES = ['Active', 'Retired', 'Wiped', 'Reset'] as const;
/** An entry status. */
export type DeviceStatus = (typeof STATUSES)[number];

/** One inventory entry. Identifiers are null when unknown; at least one of serial/UDID/IMEI is set. */
export interface InventoryDevice {
  id: number;
  platform: Platform;
  model: string;
  osVersion: string;
  serialNumber: string | null;
  udid: string | null;
  imei: string | null;
  /** Owner's email (Ivanti user name); null for bench-staged devices not yet assigned. */
  ownerEmail: string | null;
  /** `registration_users.id` of the owner when the cache knows the user. */
  ownerUserId: string | null;
  registrationMethod: RegistrationMethod;
  status: DeviceStatus;
  registeredAt: string;
  statusChangedAt: string;
  lastCheckIn: string | null;
  /** When this device (by UDID) was last staged at this bench (`devices.last_staged_at`). */
  lastStagedAt: string | null;
}

/** A registration (first or re-registration) of a device. */
export interface RegisterInput {
  platform: string;
  osVersion: string;
  model?: string;
  serialNumber?: string | null;
  udid?: string | null;
  imei?: string | null;
  /** Owner: an email address, or a `registration_users.id` when the registration users table exists. */
  owner?: string | null;
  method: string;
  /** Last check-in time (ISO-8601); defaults to the registration time. */
  lastCheckIn?: string | null;
}

/** What a registration did to the inventory. */
export interface RegisterResult {
  /** The Active entry after the registration. */
  device: InventoryDevice;
  /** True when an entry of the same device already existed (a re-registration). */
  reRegistered: boolean;
  /** How existing entries were handled: updated in place (single-entry rule) or a new entry added. */
  rule: 'new' | 'replaced' | 'added-latest';
  /** Older entries retired by the Android 10+ rule. */
  retiredIds: number[];
  /** Extra older entries removed by the single-entry rule. */
  removedIds: number[];
}

/** Lifecycle actions an admin can take on one entry. `reset` records a device reset reported outside the app. */
export type LifecycleAction = 'retire' | 'wipe' | 'delete' | 'reset';

/** Result of an action on one entry of a bulk request. */
export interface ActionResult {
  id: number;
  ok: boolean;
  /** Status before and after (after = null when the entry was deleted). */
  from?: DeviceStatus;
  to?: DeviceStatus | null;
  /** Why the action was refused. */
  error?: string;
}

/** Sortable inventory columns (whitelist). */
export const INVENTORY_SORTS = [
  'id', 'platform', 'model', 'osVersion', 'serialNumber', 'udid', 'imei', 'owner', 'method', 'status',
  'registeredAt', 'lastCheckIn', 'lastStagedAt',
] as const;
/** A sortable inventory column. */
export type InventorySort = (typeof INVENTORY_SORTS)[number];

/** A window request over the inventory. Filters combine with AND; list values with OR. */
export interface InventoryQuery {
  status?: DeviceStatus | DeviceStatus[];
  platform?: Platform | Platform[];
  /** Exact owner: email (case-insensitive) or registration user id. */
  owner?: string;
  /** Substring of serial, UDID, IMEI, owner or model (case-insensitive; `%` and `_` literal). */
  search?: string;
  sort?: InventorySort;
  desc?: boolean;
  offset?: number;
  /** 1..1000, default 100. */
  limit?: number;
}
