/**
 * Services other parts of StageBench add to the app service object (main/app/services.ts) as they
 * land: the tenant inventory, the sync engine, registration (users & invitations) and ADE. The IPC
 * layer looks for them by name so the UI switches from its empty states to the real pages the day
 * the lead wires them, without a change here. Each is typed by the part the IPC layer calls.
 */
import type { InventoryService } from '../inventory';
import type { SyncStatus } from '../sync/types';
import type { IpcServices } from './handlers';

/** The optional services, all possibly absent. */
export interface OptionalServices {
  inventory?: InventoryService;
  sync?: { status(): SyncStatus | Promise<SyncStatus> };
  registration?: { users: { importCsv(text: string, opts?: { acceptValidRows?: boolean }): unknown } };
  dep?: { servers: unknown };
}

/** The optional services present on `s` (only objects count, so a stray flag is ignored). */
export function optionalServices(s: IpcServices): OptionalServices {
  const o = s as IpcServices & Record<string, unknown>;
  const pick = <K extends keyof OptionalServices>(k: K): OptionalServices[K] =>
    o[k] !== null && typeof o[k] === 'object' ? (o[k] as OptionalServices[K]) : undefined;
  return { inventory: pick('inventory'), sync: pick('sync'), registration: pick('registration'), dep: pick('dep') };
}

/** Which product areas have a wired service (the renderer shows empty states for the others). */
export interface Features {
  inventory: boolean;
  sync: boolean;
  users: boolean;
  ade: boolean;
}

/** Features of `s`. */
export function featuresOf(s: IpcServices): Features {
  const o = optionalServices(s);
  return {
    inventory: !!o.inventory,
    sync: !!o.sync && typeof o.sync.status === 'function',
    users: typeof o.registration?.users?.importCsv === 'function',
    ade: !!o.dep?.servers,
  };
}
