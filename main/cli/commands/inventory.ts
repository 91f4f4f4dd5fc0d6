/**
 * `stagebench devices-db ...` — the tenant's device inventory kept in the cache (list, register /
 * re-register, retire, wipe, delete, reset, CSV export) — and `stagebench audit list|export`.
 * Exit codes: 0 ok; 1 an action was refused for at least one device (every result is printed);
 * 2 invalid input (the message names the option).
 */
import type { Command } from 'commander';
import { createAuditService, type AuditQuery, type AuditService } from '../../audit';
import {
  createInventoryService, InventoryInputError, type BulkResult, type InventoryQuery, type InventoryService, type LifecycleAction,
} from '../../inventory';
import { WindowQueryError } from '../../store/window';
import type { CliContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { collect, parseNumber } from '../options';
import { formatTable, parseFormat, printJson } from '../output';

/** Inventory / audit field → the CLI option that sets it. */
const FLAGS: Record<string, string> = {
  platform: '--platform', osVersion: '--os-version', serialNumber: '--serial', udid: '--udid', imei: '--imei', owner: '--owner',
  method: '--method', model: '--model', lastCheckIn: '--last-check-in', status: '--status', sort: '--sort', search: '--search',
  limit: '--limit', offset: '--offset', ids: 'ID', action: '--action', actor: '--actor', target: '--target', outcome: '--outcome',
  since: '--since', until: '--until', text: '--search',
};

/** Runs `fn`, turning input errors from the services into UsageError messages that name the option. */
function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const e = err as Error & { field?: string; exitCode?: number };
    if (err instanceof InventoryInputError || err instanceof WindowQueryError || (e.exitCode === 2 && e.field)) {
      throw new UsageError(`${FLAGS[e.field ?? ''] ?? e.field}: ${e.message}`);
    }
    throw err;
  }
}

function parseIds(values: string[]): number[] {
  return values.map((v) => {
    if (!/^\d+$/.test(v) || Number(v) <= 0) throw new UsageError(`ID: "${v}" is not a device id (a positive whole number from "devices-db list")`);
    return Number(v);
  });
}

/** Registers `devices-db ...` and `audit ...` on `program`. */
export function registerInventoryCommands(program: Command, ctx: CliContext): void {
  let inventory: InventoryService | null = null;
  let audit: AuditService | null = null;
  const inv = (): InventoryService => (inventory ??= createInventoryService(ctx.app(false).db, ctx.actor));
  const aud = (): AuditService => (audit ??= createAuditService(ctx.app(false).db));

  const db = program.command('devices-db').description('the tenant device inventory in the cache: list, register / re-register, retire, wipe, delete, export');

  db.command('list')
    .description('list inventory entries (a window of the table)')
    .option('--status <status>', 'Active, Retired, Wiped or Reset (repeatable)', collect)
    .option('--platform <platform>', 'iOS, iPadOS, macOS, tvOS, visionOS or Android (repeatable)', collect)
    .option('--owner <email>', "owner's email (or registration user id)")
    .option('--search <text>', 'substring of serial, UDID, IMEI, owner or model')
    .option('--sort <column>', 'id, platform, model, osVersion, serialNumber, udid, imei, owner, method, status, registeredAt, lastCheckIn, lastStagedAt', 'id')
    .option('--desc', 'descending order')
    .option('--limit <n>', 'rows in the window (1-1000)', '100')
    .option('--offset <n>', 'rows to skip', '0')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { status?: string[]; platform?: string[]; owner?: string; search?: string; sort: string; desc?: boolean; limit: string; offset: string; format?: string }) => {
      const format = parseFormat(o.format);
      const query = {
        status: o.status, platform: o.platform, owner: o.owner, search: o.search, sort: o.sort, desc: o.desc === true,
        limit: parseNumber(o.limit, '--limit', { integer: true, min: 1 }), offset: parseNumber(o.offset, '--offset', { integer: true }),
      } as InventoryQuery;
      const page = asUsage(() => inv().list(query));
      if (format === 'json') {
        printJson({ rows: page.rows, total: page.total, offset: page.offset, limit: page.limit });
        return;
      }
      process.stdout.write(formatTable(page.rows, [
        { header: 'ID', cell: (d) => d.id },
        { header: 'PLATFORM', cell: (d) => d.platform },
        { header: 'MODEL', cell: (d) => d.model || null },
        { header: 'OS', cell: (d) => d.osVersion || null },
        { header: 'SERIAL', cell: (d) => d.serialNumber },
        { header: 'UDID', cell: (d) => d.udid },
        { header: 'IMEI', cell: (d) => d.imei },
        { header: 'OWNER', cell: (d) => d.ownerEmail },
        { header: 'METHOD', cell: (d) => d.registrationMethod },
        { header: 'STATUS', cell: (d) => d.status },
        { header: 'LAST CHECK-IN', cell: (d) => d.lastCheckIn },
        { header: 'LAST STAGED', cell: (d) => d.lastStagedAt },
      ]));
      const first = page.rows.length ? page.offset + 1 : 0;
      process.stderr.write(`${first}-${page.offset + page.rows.length} of ${page.total}\n`);
    });

  db.command('register')
    .description('register a device, or re-register it (same serial / UDID / IMEI) without clearing the old entry first')
    .requiredOption('--serial <serial>', 'serial number')
    .requiredOption('--platform <platform>', 'iOS, iPadOS, macOS, tvOS, visionOS or Android')
    .requiredOption('--os-version <version>', 'OS version, e.g. 17.4 or 14')
    .option('--udid <udid>', 'UDID (Apple devices)')
    .option('--imei <imei>', 'IMEI (cellular iPhone / iPad, Android)')
    .option('--owner <email>', "owner's email (needed for invitation and in-app registration)")
    .requiredOption('--method <method>', 'invitation, in-app, ABM or Configurator/bench')
    .option('--model <model>', 'model name, e.g. "iPhone 15"')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { serial: string; platform: string; osVersion: string; udid?: string; imei?: string; owner?: string; method: string; model?: string; format?: string }) => {
      const format = parseFormat(o.format);
      const res = asUsage(() => inv().register({
        serialNumber: o.serial, platform: o.platform, osVersion: o.osVersion, udid: o.udid, imei: o.imei, owner: o.owner, method: o.method, model: o.model,
      }));
      if (format === 'json') {
        printJson(res);
        return;
      }
      const how = res.rule === 'new' ? 'registered' : res.rule === 'replaced' ? 're-registered (existing entry replaced)' : 're-registered (new latest entry)';
      process.stdout.write(`Device #${res.device.id} ${how}: ${res.device.platform} ${res.device.serialNumber ?? res.device.udid ?? res.device.imei}, status ${res.device.status}\n`);
      if (res.retiredIds.length) process.stdout.write(`Retired older entries: ${res.retiredIds.map((i) => `#${i}`).join(', ')}\n`);
      if (res.removedIds.length) process.stdout.write(`Removed older entries: ${res.removedIds.map((i) => `#${i}`).join(', ')}\n`);
    });

  const actions: [LifecycleAction, string][] = [
    ['retire', 'retire entries (Active or Reset → Retired)'],
    ['wipe', 'wipe entries (Active → Wiped)'],
    ['delete', 'delete entries (Retired or Wiped only)'],
    ['reset', 'record that devices were reset (Active → Reset; active on the server until they register again)'],
  ];
  for (const [action, description] of actions) {
    db.command(`${action} <id...>`)
      .description(`${description}; one transaction, a result per device`)
      .option('--format <fmt>', 'text or json', 'text')
      .action((ids: string[], o: { format?: string }) => {
        const format = parseFormat(o.format);
        const res: BulkResult = asUsage(() => inv().act(action, parseIds(ids)));
        if (format === 'json') printJson(res);
        else {
          for (const r of res.results) {
            process.stdout.write(r.ok ? `#${r.id}: ${r.from} → ${r.to ?? 'deleted'}\n` : `#${r.id}: refused: ${r.error}\n`);
          }
          process.stdout.write(`${action}: ${res.succeeded} done, ${res.failed} refused\n`);
        }
        if (res.failed > 0) throw new ReportedFailure(1);
      });
  }

  db.command('export')
    .description('write the inventory (optionally filtered and sorted like list) as CSV')
    .requiredOption('--out <file.csv>', 'CSV file to write')
    .option('--status <status>', 'status filter (repeatable)', collect)
    .option('--platform <platform>', 'platform filter (repeatable)', collect)
    .option('--owner <email>', 'owner filter')
    .option('--search <text>', 'search text')
    .option('--sort <column>', 'sort column', 'id')
    .option('--desc', 'descending order')
    .action(async (o: { out: string; status?: string[]; platform?: string[]; owner?: string; search?: string; sort: string; desc?: boolean }) => {
      const query = { status: o.status, platform: o.platform, owner: o.owner, search: o.search, sort: o.sort, desc: o.desc === true } as InventoryQuery;
      const n = await writeOrUsage(() => inv().exportCsvFile(o.out, query), o.out);
      process.stdout.write(`Wrote ${n} devices to ${o.out}\n`);
    });

  const auditCmd = program.command('audit').description('the append-only audit trail: filter, export');
  const auditFilters = (c: Command): Command => c
    .option('--action <action>', 'action, or a prefix ending in * (e.g. "inventory.*")')
    .option('--actor <actor>', 'who acted (e.g. cli:alice)')
    .option('--target <target>', 'target (e.g. inventory:12 or a UDID)')
    .option('--outcome <outcome>', 'success or failure')
    .option('--since <time>', 'from this time (ISO-8601, inclusive)')
    .option('--until <time>', 'before this time (ISO-8601)')
    .option('--search <text>', 'substring of action, actor, target or detail')
    .option('--asc', 'oldest first (default newest first)');
  type AuditFlags = { action?: string; actor?: string; target?: string; outcome?: string; since?: string; until?: string; search?: string; asc?: boolean };
  const auditQuery = (o: AuditFlags): AuditQuery => ({
    action: o.action, actor: o.actor, target: o.target, outcome: o.outcome as AuditQuery['outcome'], since: o.since, until: o.until, text: o.search, desc: o.asc !== true,
  });

  auditFilters(auditCmd.command('list').description('list audit rows (newest first)'))
    .option('--limit <n>', 'rows in the window (1-1000)', '100')
    .option('--offset <n>', 'rows to skip', '0')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: AuditFlags & { limit: string; offset: string; format?: string }) => {
      const format = parseFormat(o.format);
      const q = { ...auditQuery(o), limit: parseNumber(o.limit, '--limit', { integer: true, min: 1 }), offset: parseNumber(o.offset, '--offset', { integer: true }) };
      const page = asUsage(() => aud().list(q));
      if (format === 'json') {
        printJson({ rows: page.rows, total: page.total, offset: page.offset, limit: page.limit });
        return;
      }
      process.stdout.write(formatTable(page.rows, [
        { header: 'ID', cell: (e) => e.id },
        { header: 'AT', cell: (e) => e.at },
        { header: 'ACTOR', cell: (e) => e.actor },
        { header: 'ACTION', cell: (e) => e.action },
        { header: 'TARGET', cell: (e) => e.target || null },
        { header: 'OUTCOME', cell: (e) => e.outcome },
        { header: 'DETAIL', cell: (e) => e.detail || null },
      ]));
      process.stderr.write(`${page.rows.length ? page.offset + 1 : 0}-${page.offset + page.rows.length} of ${page.total}\n`);
    });

  auditFilters(auditCmd.command('export').description('write audit rows as CSV'))
    .requiredOption('--out <file.csv>', 'CSV file to write')
    .action(async (o: AuditFlags & { out: string }) => {
      const n = await writeOrUsage(() => aud().exportCsvFile(o.out, auditQuery(o)), o.out);
      process.stdout.write(`Wrote ${n} audit rows to ${o.out}\n`);
    });
}

/** Runs an export; input errors name the option, a file that cannot be written names --out. */
async function writeOrUsage(fn: () => Promise<number>, out: string): Promise<number> {
  try {
    return await asUsage(fn);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code && /^E[A-Z]+$/.test(code)) throw new UsageError(`--out ${out}: ${(err as Error).message}`);
    throw err;
  }
}
