/**
 * Device commands in cfgutil's spirit: `devices`, `info UDID`, `pair UDID`, `profiles UDID`,
 * `install-profile UDID|--all FILE`. All honour USBMUXD_SOCKET_ADDRESS.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { formatTable, parseFormat, printJson } from '../output';
import { parseNumber, readInputFile } from '../options';
import { inspectProfile } from '../../profiles';

/** Registers the device commands. */
export function registerDeviceCommands(program: Command, ctx: CliContext): void {
  program
    .command('devices')
    .description('list attached devices (usbmuxd ListDevices + what lockdownd reports)')
    .option('--format <fmt>', 'text or json', 'text')
    .action(async (o: { format?: string }) => {
      const format = parseFormat(o.format);
      const rows = await ctx.app(false).devices.list();
      if (format === 'json') printJson(rows);
      else process.stdout.write(formatTable(rows, [
        { header: 'UDID', cell: (r) => r.udid },
        { header: 'CLASS', cell: (r) => r.deviceClass },
        { header: 'MODEL', cell: (r) => r.productType },
        { header: 'OS', cell: (r) => r.productVersion },
        { header: 'NAME', cell: (r) => r.deviceName },
        { header: 'PAIRED', cell: (r) => (r.paired ? 'yes' : 'no') },
      ]));
    });

  program
    .command('info <udid>')
    .description('device facts from lockdownd (a TLS session when paired, the pre-pairing subset otherwise)')
    .option('--format <fmt>', 'text or json', 'text')
    .action(async (udid: string, o: { format?: string }) => {
      const format = parseFormat(o.format);
      const info = await ctx.app(false).devices.info(udid);
      const { values, ...facts } = info;
      const safeValues = Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'DevicePublicKey' && k !== 'EscrowBag'));
      if (format === 'json') printJson({ ...facts, values: safeValues });
      else {
        const keys = Object.keys(safeValues).sort();
        process.stdout.write(`${keys.map((k) => `${k}: ${formatValue(safeValues[k])}`).join('\n')}\n`);
      }
    });

  program
    .command('pair <udid>')
    .description('pair with a device (unlock it and tap Trust); the pair record is saved in usbmuxd')
    .option('--timeout <seconds>', 'how long to wait for the Trust tap', '120')
    .action(async (udid: string, o: { timeout: string }) => {
      const timeoutMs = parseNumber(o.timeout, '--timeout', { min: 1 })! * 1000;
      let prompted = false;
      await ctx.app(false).devices.pair(udid, (message) => {
        if (!prompted) process.stderr.write(`stagebench: ${udid}: ${message}\n`);
        prompted = true;
      }, timeoutMs);
      process.stdout.write(`Paired ${udid}\n`);
    });

  program
    .command('profiles <udid>')
    .description('configuration profiles installed on a device (MCInstall GetProfileList)')
    .option('--format <fmt>', 'text or json', 'text')
    .action(async (udid: string, o: { format?: string }) => {
      const format = parseFormat(o.format);
      const list = await ctx.app(false).devices.profiles(udid);
      const rows = list.OrderedIdentifiers.map((id) => ({
        PayloadIdentifier: id,
        PayloadDisplayName: list.ProfileMetadata[id]?.PayloadDisplayName ?? null,
        PayloadUUID: list.ProfileMetadata[id]?.PayloadUUID ?? null,
        PayloadVersion: list.ProfileMetadata[id]?.PayloadVersion ?? null,
        PayloadRemovalDisallowed: list.ProfileMetadata[id]?.PayloadRemovalDisallowed ?? false,
        IsActive: list.ProfileManifest[id]?.IsActive ?? null,
        Description: list.ProfileManifest[id]?.Description ?? null,
      }));
      if (format === 'json') printJson(rows);
      else process.stdout.write(formatTable(rows, [
        { header: 'IDENTIFIER', cell: (r) => r.PayloadIdentifier },
        { header: 'NAME', cell: (r) => r.PayloadDisplayName },
        { header: 'ACTIVE', cell: (r) => (r.IsActive === null ? '-' : r.IsActive ? 'yes' : 'no') },
      ]));
    });

  program
    .command('install-profile [udid] [file]')
    .description('install a profile (.mobileconfig, signed or not) on one device, or every attached device with --all FILE')
    .option('--all', 'every attached device')
    .option('--format <fmt>', 'text or json', 'text')
    .action(async (a: string | undefined, b: string | undefined, o: { all?: boolean; format?: string }) => {
      const format = parseFormat(o.format);
      const file = o.all ? a : b;
      const target = o.all ? undefined : a;
      if (!file || (!o.all && !target) || (o.all && b)) throw new UsageError('usage: stagebench install-profile UDID FILE, or stagebench install-profile --all FILE');
      const bytes = readInputFile(file, 'profile');
      const report = inspectProfile(bytes);
      if (report.signed && !report.valid) throw new UsageError(`${file}: the signature does not verify (${report.problems.join('; ')})`);
      const app = ctx.app(false);
      const udids = target ? [target] : (await app.devices.list()).map((d) => d.udid);
      if (udids.length === 0) throw new Error('no device is attached; connect one and check `stagebench devices`');
      const results = await Promise.all(udids.map(async (udid) => {
        try {
          await app.devices.installProfile(udid, bytes, report.identifier ?? file);
          return { udid, ok: true as boolean, error: null as string | null };
        } catch (err) {
          return { udid, ok: false, error: (err as Error).message };
        }
      }));
      if (format === 'json') printJson(results);
      else for (const r of results) process.stdout.write(`${r.udid}: ${r.ok ? `installed ${report.identifier}` : `FAILED: ${r.error}`}\n`);
      if (results.some((r) => !r.ok)) throw new ReportedFailure();
    });
}

function formatValue(v: unknown): string {
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}
