/**
 * Validation of inventory input: registrations and table queries. Every check runs before any
 * write; a failure throws InventoryInputError naming the field and saying what to do.
 *
 * Rules follow the Ivanti seed pages (Device Registration; Registration methods, EPMM):
 * - Apple TV registers only through Apple Configurator (EPMM) or Apple Business Manager Device
 *   Enrollment (Neurons lists tvOS Setup Assistant options); it has no Go / Mobile@Work app, so
 *   no invitation or in-app registration. visionOS registers through Device Enrollment only
 *   ("Prompt user for registration / login does not support visionOS").
 * - Android registers by invitation or in-app only (ABM and Configurator are Apple programs);
 *   support for Android 5.0 / 5.1 has ended, so new registrations need Android 6 or later.
 * - Invitation and in-app registration need a user account (the owner); Device Enrollment and
 *   Configurator may register a device with no user (the "nobody" / anonymous user).
 * - UDIDs exist on Apple devices only (40 hex digits, or 8-16 hex digits with a dash on A12 and
 *   later); IMEIs (15 digits, Luhn check digit) on cellular iPhones, iPads and Android phones.
 */
import {
  INVENTORY_SORTS, PLATFORMS, REGISTRATION_METHODS, STATUSES,
  type DeviceStatus, type InventoryQuery, type InventorySort, type Platform, type RegisterInput, type RegistrationMethod,
} from './types';

/**
 * Invalid inventory input or a refused lifecycle transition. `field` names the input field (or
 * `status` for a transition); `exitCode` 2 makes the CLI exit 2 (invalid input).
 */
export class InventoryInputError extends Error {
  readonly exitCode = 2;
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'InventoryInputError';
  }
}

/** A registration after validation: canonical spelling, trimmed, identifiers checked. */
export interface ValidRegistration {
  platform: Platform;
  osVersion: string;
  /** Major OS version (e.g. 10 for Android "10.0.1"). */
  osMajor: number;
  model: string;
  serialNumber: string | null;
  udid: string | null;
  imei: string | null;
  /** Email, or a user id when it has no "@" (resolved against registration users later). */
  owner: string | null;
  method: RegistrationMethod;
  lastCheckIn: string | null;
}

const APPLE: ReadonlySet<Platform> = new Set(['iOS', 'iPadOS', 'macOS', 'tvOS', 'visionOS']);
const METHODS_BY_PLATFORM: Record<Platform, readonly RegistrationMethod[]> = {
  iOS: REGISTRATION_METHODS,
  iPadOS: REGISTRATION_METHODS,
  macOS: REGISTRATION_METHODS,
  tvOS: ['ABM', 'Configurator/bench'],
  visionOS: ['ABM'],
  Android: ['invitation', 'in-app'],
};
const IMEI_PLATFORMS: ReadonlySet<Platform> = new Set(['iOS', 'iPadOS', 'Android']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SERIAL = /^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$/;
const UDID = /^(?:[0-9a-f]{40}|[0-9a-f]{8}-[0-9a-f]{16})$/i;
const OS_VERSION = /^\d{1,3}(?:\.\d{1,3}){0,3}$/;

/** True for Apple platforms (they carry a UDID). */
export function isApple(p: Platform): boolean {
  return APPLE.has(p);
}

/** Canonical platform for `value` (case-insensitive), or throws naming `field`. */
export function parsePlatform(value: string, field = 'platform'): Platform {
  const found = PLATFORMS.find((p) => p.toLowerCase() === String(value).trim().toLowerCase());
  if (!found) throw new InventoryInputError(field, `${field} "${value}" is not known; use one of: ${PLATFORMS.join(', ')}`);
  return found;
}

/** Canonical status for `value` (case-insensitive), or throws naming `field`. */
export function parseStatus(value: string, field = 'status'): DeviceStatus {
  const found = STATUSES.find((s) => s.toLowerCase() === String(value).trim().toLowerCase());
  if (!found) throw new InventoryInputError(field, `${field} "${value}" is not known; use one of: ${STATUSES.join(', ')}`);
  return found;
}

/** Canonical registration method (case-insensitive; "configurator" and "bench" mean Configurator/bench). */
export function parseMethod(value: string, field = 'method'): RegistrationMethod {
  const v = String(value).trim().toLowerCase();
  const alias = v === 'configurator' || v === 'bench' ? 'configurator/bench' : v;
  const found = REGISTRATION_METHODS.find((m) => m.toLowerCase() === alias);
  if (!found) throw new InventoryInputError(field, `${field} "${value}" is not known; use one of: ${REGISTRATION_METHODS.join(', ')}`);
  return found;
}

/** Canonical sort column, or throws naming `field`. */
export function parseSort(value: string, field = 'sort'): InventorySort {
  const found = INVENTORY_SORTS.find((s) => s.toLowerCase() === String(value).trim().toLowerCase());
  if (!found) throw new InventoryInputError(field, `cannot sort by "${value}"; choose one of: ${INVENTORY_SORTS.join(', ')}`);
  return found;
}

/** True when `imei` is 15 digits whose last digit is the Luhn check digit (3GPP TS 23.003). */
export function isValidImei(imei: string): boolean {
  if (!/^\d{15}$/.test(imei)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = imei.charCodeAt(i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function text(v: string | null | undefined): string | null {
  if (v === undefined || v === null) return null;
  const t = String(v).trim();
  return t === '' ? null : t;
}

/**
 * Validates a registration. Returns the canonical form; throws InventoryInputError on the first
 * problem (unknown platform or method, a method the platform cannot use, malformed identifiers,
 * no identifier at all, Android below 6, a missing owner for invitation / in-app).
 */
export function validateRegistration(input: RegisterInput): ValidRegistration {
  if (typeof input !== 'object' || input === null) throw new InventoryInputError('registration', 'registration must be an object');
  const platform = parsePlatform(input.platform ?? '', 'platform');
  const method = parseMethod(input.method ?? '', 'method');
  const osVersion = text(input.osVersion);
  if (!osVersion || !OS_VERSION.test(osVersion)) {
    throw new InventoryInputError('osVersion', `OS version "${input.osVersion ?? ''}" is not a version number; give it like 17.4 or 14.0.1`);
  }
  const osMajor = Number(osVersion.split('.')[0]);
  if (!METHODS_BY_PLATFORM[platform].includes(method)) {
    throw new InventoryInputError('method', `${platform} devices cannot register by ${method}; use ${METHODS_BY_PLATFORM[platform].join(' or ')}`);
  }
  if (platform === 'Android' && osMajor < 6) {
    throw new InventoryInputError('osVersion', `Android ${osVersion} can no longer register (support for Android 5.x and earlier has ended); update the device to Android 6 or later`);
  }
  const serialNumber = text(input.serialNumber);
  if (serialNumber !== null && !SERIAL.test(serialNumber)) {
    throw new InventoryInputError('serialNumber', `serial number "${serialNumber}" is not valid: use 3-40 letters, digits, ".", "_" or "-"`);
  }
  const udid = text(input.udid);
  if (udid !== null) {
    if (!isApple(platform)) throw new InventoryInputError('udid', `${platform} devices have no UDID; leave it out and give the serial number or IMEI`);
    if (!UDID.test(udid)) throw new InventoryInputError('udid', `UDID "${udid}" is not valid: it is 40 hex digits, or 8 and 16 hex digits joined by "-"`);
  }
  const imei = text(input.imei)?.replace(/[\s-]/g, '') ?? null;
  if (imei !== null) {
    if (!IMEI_PLATFORMS.has(platform)) throw new InventoryInputError('imei', `${platform} devices have no IMEI; leave it out`);
    if (!isValidImei(imei)) throw new InventoryInputError('imei', `IMEI "${input.imei}" is not valid: it is 15 digits ending in a Luhn check digit (dial *#06# on the device)`);
  }
  if (isApple(platform) && !serialNumber && !udid) {
    throw new InventoryInputError('serialNumber', `${platform} devices need a serial number or UDID to be registered`);
  }
  if (platform === 'Android' && !serialNumber && !imei) {
    throw new InventoryInputError('serialNumber', 'Android devices need a serial number or IMEI to be registered');
  }
  const owner = text(input.owner);
  if (!owner && (method === 'invitation' || method === 'in-app')) {
    throw new InventoryInputError('owner', `${method} registration needs the owner's user account; give the owner's email`);
  }
  if (owner && owner.includes('@') && !EMAIL.test(owner)) throw new InventoryInputError('owner', `owner "${owner}" is not an email address`);
  const model = text(input.model) ?? '';
  if (model.length > 100) throw new InventoryInputError('model', 'model is longer than 100 characters');
  const lastCheckIn = text(input.lastCheckIn);
  if (lastCheckIn !== null && Number.isNaN(Date.parse(lastCheckIn))) {
    throw new InventoryInputError('lastCheckIn', `last check-in "${lastCheckIn}" is not an ISO-8601 time`);
  }
  return {
    platform, osVersion, osMajor, model, serialNumber, udid: udid ? udid.toUpperCase() : null, imei, owner, method,
    lastCheckIn: lastCheckIn ? new Date(lastCheckIn).toISOString() : null,
  };
}

/** A table query after validation (statuses and platforms as lists). */
export interface ValidQuery {
  statuses: DeviceStatus[];
  platforms: Platform[];
  owner: string | null;
  search: string | null;
  sort: InventorySort;
  desc: boolean;
  offset?: number;
  limit?: number;
}

/** Validates a table query's filters and sort; offset/limit are checked by the window helper. */
export function validateQuery(q: InventoryQuery = {}): ValidQuery {
  const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const search = text(q.search);
  if (search && search.length > 200) throw new InventoryInputError('search', 'search text is longer than 200 characters');
  return {
    statuses: list(q.status).map((s) => parseStatus(s, 'status')),
    platforms: list(q.platform).map((p) => parsePlatform(p, 'platform')),
    owner: text(q.owner),
    search,
    sort: q.sort === undefined ? 'id' : parseSort(q.sort),
    desc: q.desc === true,
    offset: q.offset,
    limit: q.limit,
  };
}
