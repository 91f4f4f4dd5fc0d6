/**
 * The inventory service used by the CLI (`stagebench devices-db ...`) and the Electron IPC:
 *
 *   const inv = createInventoryService(db, 'cli:alice');
 *   inv.list({ status: 'Active', search: 'C02', sort: 'lastCheckIn', desc: true, offset: 0, limit: 100 }) → { rows, total, ... }
 *   inv.get(id) → InventoryDevice | null
 *   inv.register({ platform, osVersion, serialNumber, udid?, imei?, owner, method }) → RegisterResult
 *   inv.retire(ids) / wipe(ids) / delete(ids) / markReset(ids) → BulkResult (per-device results)
 *   inv.exportCsv(writable, query?) / exportCsvFile(path, query?) → Promise<rows written>
 *   inv.syncFromBench() → BenchSyncResult
 *
 * Every write validates first, then runs in one transaction together with its audit rows (who =
 * `actor`, when, target `inventory:<id>`, outcome, detail with the identifiers and the status
 * change). A refused action is audited with outcome "failure" without changing the entry.
 *
 * Tenant sync (main/sync): retire and wipe queue `device/retire` / `device/wipe` with
 * recordLocalChange in the same transaction as the status change (a bulk action: one transaction
 * for every entry and its outbox entry), entity id `inventory:<id>`, payload the entry's
 * `{serialNumber, udid}` so the sync finds the tenant device (mirror, then the tenant's `fq`
 * lookup). Not pushed:
 * - delete — it only removes the bench's entry: Ivanti does not delete devices, it retires them
 *   and keeps their history, and the tenant sync API has no device delete (device ops: retire,
 *   wipe, update); an entry must be Retired or Wiped (and so pushed) before it can be deleted;
 * - reset — the device reports it; the tenant keeps the device active until it registers again;
 * - register / re-register — registration happens on the device (invitation, in-app, ABM,
 *   Configurator), which creates the tenant record; older entries a re-registration retires are
 *   retired by the tenant itself, and a retire sent by serial would hit the new registration.
 * Devices the tenant lists appear here through the sync's hooks (main/sync/local-links.ts).
 */
import type { Writable } from 'node:stream';
import { appendAudit } from '../store/audit';
import type { Db } from '../store/db';
import { recordLocalChange } from '../sync';
import type { WindowCursor, WindowResult } from '../store/window';
import { syncStagedDevices, type BenchSyncResult } from './bench-sync';
import { exportInventoryCsv, exportInventoryCsvFile } from './csv';
import { LifecycleError, nextStatus } from './lifecycle';
import { resolveOwner } from './owners';
import { applyRegistration } from './register';
import { deleteEntry, getEntry, setStatus } from './repository';
import { queryInventory } from './table';
import type { ActionResult, InventoryDevice, InventoryQuery, LifecycleAction, RegisterInput, RegisterResult } from './types';
import { InventoryInputError, validateRegistration } from './validate';

/** Outcome of a bulk action: one result per requested id, in request order. */
export interface BulkResult {
  action: LifecycleAction;
  results: ActionResult[];
  succeeded: number;
  failed: number;
}

/** The inventory service. */
export interface InventoryService {
  /** One window of the table (after bringing bench staging times in). */
  list(query?: InventoryQuery, after?: WindowCursor): WindowResult<InventoryDevice>;
  /** One entry, or null. */
  get(id: number): InventoryDevice | null;
  /** Registers or re-registers a device (rules in register.ts). Throws InventoryInputError on bad input. */
  register(input: RegisterInput): RegisterResult;
  /** Retire entries (Active / Reset → Retired). */
  retire(ids: readonly number[]): BulkResult;
  /** Wipe entries (Active → Wiped). */
  wipe(ids: readonly number[]): BulkResult;
  /** Delete entries (Retired / Wiped only). */
  delete(ids: readonly number[]): BulkResult;
  /** Record that devices were reset (Active → Reset). */
  markReset(ids: readonly number[]): BulkResult;
  /** Any lifecycle action by name. */
  act(action: LifecycleAction, ids: readonly number[]): BulkResult;
  /** Streams matching entries as CSV to `out`; resolves to the row count. */
  exportCsv(out: Writable, query?: InventoryQuery): Promise<number>;
  /** Writes matching entries as CSV to `path` (0600); resolves to the row count. */
  exportCsvFile(path: string, query?: InventoryQuery): Promise<number>;
  /** Copies bench staging times in; adds staged devices the inventory lacks (method Configurator/bench). */
  syncFromBench(): BenchSyncResult;
  /** Refreshes the query planner's statistics (run after bulk loads such as a tenant sync). */
  optimize(): void;
}

const LIFECYCLE_ACTIONS: readonly LifecycleAction[] = ['retire', 'wipe', 'delete', 'reset'];

function describe(d: InventoryDevice): string {
  const ids = [d.serialNumber && `serial ${d.serialNumber}`, d.udid && `UDID ${d.udid}`, d.imei && `IMEI ${d.imei}`].filter(Boolean).join(', ');
  return `${d.platform} ${d.model || 'device'} (${ids})`;
}

/** Validates a list of entry ids: positive whole numbers, none twice, at least one. */
function checkIds(ids: readonly number[]): number[] {
  if (!Array.isArray(ids) || ids.length === 0) throw new InventoryInputError('ids', 'give at least one device id');
  const seen = new Set<number>();
  for (const id of ids) {
    if (!Number.isInteger(id) || id <= 0) throw new InventoryInputError('ids', `device id "${String(id)}" is not a positive whole number`);
    if (seen.has(id)) throw new InventoryInputError('ids', `device id ${id} is listed twice`);
    seen.add(id);
  }
  return [...ids];
}

/**
 * Builds the inventory service over an open cache (migration 5 applied). `actor` is recorded in
 * every audit row (e.g. "cli:alice", "app:alice").
 */
export function createInventoryService(db: Db, actor: string): InventoryService {
  const sync = (): BenchSyncResult => db.transaction(() => {
    const res = syncStagedDevices(db);
    for (const d of res.added) {
      appendAudit(db, { actor, action: 'inventory.register', target: `inventory:${d.id}`, outcome: 'success', detail: `${describe(d)} staged at this bench (Configurator/bench)` });
    }
    return res;
  })();

  const act = (action: LifecycleAction, requested: readonly number[]): BulkResult => {
    if (!LIFECYCLE_ACTIONS.includes(action)) throw new InventoryInputError('action', `unknown action "${String(action)}"; use one of: ${LIFECYCLE_ACTIONS.join(', ')}`);
    const ids = checkIds(requested);
    return db.transaction(() => {
      const now = new Date().toISOString();
      const results: ActionResult[] = ids.map((id) => {
        const entry = getEntry(db, id);
        try {
          if (!entry) throw new LifecycleError(id, `no device #${id} in the inventory; list devices with "devices-db list"`);
          const to = nextStatus(id, action, entry.status);
          if (to === null) deleteEntry(db, id);
          else setStatus(db, id, to, now);
          if (action === 'retire' || action === 'wipe') {
            const payload = { serialNumber: entry.serialNumber ?? undefined, udid: entry.udid ?? undefined };
            recordLocalChange(db, { entity: 'device', entityId: `inventory:${id}`, op: action, payload, actor });
          }
          appendAudit(db, { actor, at: now, action: `inventory.${action}`, target: `inventory:${id}`, outcome: 'success', detail: `${describe(entry)}: ${entry.status} → ${to ?? 'deleted'}` });
          return { id, ok: true, from: entry.status, to };
        } catch (err) {
          if (!(err instanceof LifecycleError)) throw err;
          appendAudit(db, { actor, at: now, action: `inventory.${action}`, target: `inventory:${id}`, outcome: 'failure', detail: err.message });
          return { id, ok: false, ...(entry ? { from: entry.status } : {}), error: err.message };
        }
      });
      const succeeded = results.filter((r) => r.ok).length;
      return { action, results, succeeded, failed: results.length - succeeded };
    })();
  };

  const register = (input: RegisterInput): RegisterResult => {
    const v = validateRegistration(input);
    return db.transaction(() => {
      const owner = resolveOwner(db, v.owner);
      const now = new Date().toISOString();
      const res = applyRegistration(db, v, owner, now);
      const target = `inventory:${res.device.id}`;
      const rule = res.rule === 'new' ? 'new entry' : res.rule === 'replaced' ? 'existing entry replaced' : 'new latest entry, older entries retired';
      appendAudit(db, {
        actor, at: now, action: res.reRegistered ? 'inventory.re-register' : 'inventory.register', target, outcome: 'success',
        detail: `${describe(res.device)} by ${v.method}, owner ${owner.email ?? '(none)'}: ${rule}`,
      });
      for (const id of res.retiredIds) {
        appendAudit(db, { actor, at: now, action: 'inventory.retire', target: `inventory:${id}`, outcome: 'success', detail: `superseded by re-registration ${target}` });
      }
      for (const id of res.removedIds) {
        appendAudit(db, { actor, at: now, action: 'inventory.delete', target: `inventory:${id}`, outcome: 'success', detail: `merged into ${target} (single entry after re-registration)` });
      }
      const { previous: _previous, ...result } = res;
      return result;
    })();
  };

  return {
    list: (query, after) => {
      sync();
      return queryInventory(db, query, after);
    },
    get: (id) => getEntry(db, id),
    register,
    retire: (ids) => act('retire', ids),
    wipe: (ids) => act('wipe', ids),
    delete: (ids) => act('delete', ids),
    markReset: (ids) => act('reset', ids),
    act,
    exportCsv: (out, query) => {
      sync();
      return exportInventoryCsv(db, out, query);
    },
    exportCsvFile: (path, query) => {
      sync();
      return exportInventoryCsvFile(db, path, query);
    },
    syncFromBench: sync,
    optimize: () => {
      db.exec('ANALYZE inventory_devices');
    },
  };
}
