/**
 * `stagebench dfu list [--watch] [--format json]`: Apple devices (Macs, iPhone, iPad, Apple TV) in
 * DFU, recovery or restore mode on the host USB stack, with chip, ECID and ECID-based UDID.
 * `stagebench revive|restore --ecid ECID [--all] [--ipsw FILE] [--format json]`: revive (firmware
 * and recoveryOS, data kept) or restore (erase + OS) through cfgutil or idevicerestore, with
 * progress on stderr and a summary on stdout. Exit 1 when USB access is unavailable or a device
 * failed; 2 for invalid input.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { runRestores, type RestoreHost, type RestoreOperation, type RestoreTarget } from '../../restore';
import { AppleDfuDetector, chipForCpid, nodeUsbBackend, parseEcid, UsbUnavailableError, type AppleUsbDevice, type UsbBackend } from '../../usb';
import type { CliContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { collect, parseNumber } from '../options';
import { formatTable, parseFormat, printJson } from '../output';

/** Injectable host access (tests, or an app embedding the commands). */
export interface DfuCommandDeps {
  usbBackend?: UsbBackend;
  restoreHost?: RestoreHost;
}

const COLUMNS = [
  { header: 'MODE', cell: (d: AppleUsbDevice) => d.modeLabel },
  { header: 'PID', cell: (d: AppleUsbDevice) => d.productIdHex },
  { header: 'CHIP', cell: (d: AppleUsbDevice) => d.chip ?? (d.cpid ? `CPID ${d.cpid}` : null) },
  { header: 'ECID', cell: (d: AppleUsbDevice) => d.ecid },
  { header: 'UDID', cell: (d: AppleUsbDevice) => d.udid },
  { header: 'SERIAL', cell: (d: AppleUsbDevice) => d.serialNumber },
  { header: 'LOCATION', cell: (d: AppleUsbDevice) => d.location },
];

/** JSON form of a detected device (no bigint, no raw identity object). */
function jsonDevice(d: AppleUsbDevice): Record<string, unknown> {
  const { identity, ...rest } = d;
  return { ...rest, cprv: identity?.cprv ?? null, cpfm: identity?.cpfm ?? null, secure: identity?.secure ?? null, production: identity?.production ?? null, srtg: identity?.srtg ?? null, macModel: identity?.macModel ?? null };
}

/** Lists (and with `watch`, follows) DFU/recovery/restore devices, writing to `write`. Throws UsbUnavailableError. */
export async function runDfuList(detector: AppleDfuDetector, o: { watch?: boolean; format: 'text' | 'json'; until?: Promise<void> }, write: (s: string) => void): Promise<void> {
  const devices = await detector.list();
  if (o.format === 'json' && !o.watch) write(`${JSON.stringify(devices.map(jsonDevice), null, 2)}\n`);
  else if (o.format === 'json') for (const d of devices) write(`${JSON.stringify({ event: 'present', device: jsonDevice(d) })}\n`);
  else write(formatTable(devices, COLUMNS));
  if (!o.watch) return;
  const stop = await detector.watch((c) => {
    if (o.format === 'json') write(`${JSON.stringify({ event: c.type, device: jsonDevice(c.device) })}\n`);
    else write(`${c.type === 'connect' ? '+' : '-'} ${c.device.modeLabel} ${c.device.chip ?? '?'} ${c.device.ecid ?? '?'} ${c.device.location ?? ''}\n`.replace(/ +\n$/, '\n'));
  });
  await (o.until ?? new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  }));
  stop();
}

function targetFrom(d: AppleUsbDevice): RestoreTarget | null {
  const id = d.identity;
  if (!id?.ecid) return null;
  return { ecid: id.ecid, cpid: id.cpid, chip: id.chip, udid: id.udid };
}

/** Registers `dfu list`, `revive` and `restore` on `program`. */
export function registerDfuCommands(program: Command, ctx: CliContext, deps: DfuCommandDeps = {}): void {
  const detector = (): AppleDfuDetector => new AppleDfuDetector(deps.usbBackend ?? nodeUsbBackend());
  const dfu = program.command('dfu').description('Apple devices in DFU, recovery or restore mode on USB (Macs with Apple silicon or T2, iPhone, iPad, Apple TV)');
  dfu.command('list')
    .description('list devices in DFU/recovery/restore mode: chip, ECID, UDID; --watch follows connects and disconnects')
    .option('--watch', 'keep listening for connects and disconnects until Ctrl-C')
    .option('--format <fmt>', 'text or json (with --watch: one JSON object per line)', 'text')
    .action(async (o: { watch?: boolean; format?: string }) => {
      const format = parseFormat(o.format);
      await runDfuList(detector(), { watch: o.watch, format }, (s) => process.stdout.write(s));
    });

  for (const op of ['revive', 'restore'] as const satisfies readonly RestoreOperation[]) {
    program.command(op)
      .description(op === 'revive'
        ? 'revive devices in DFU/recovery: reinstall firmware and recoveryOS, keep user data (cfgutil on macOS, else idevicerestore)'
        : 'restore devices in DFU/recovery: erase and install the OS (cfgutil on macOS, else idevicerestore)')
      .option('--ecid <ecid>', 'device ECID, hex (0x…) or decimal (repeatable)', collect)
      .option('--all', 'every device in DFU/recovery mode')
      .option('--ipsw <file>', 'firmware file (.ipsw); default: the latest from Apple')
      .option('--concurrency <n>', 'devices at once', '1')
      .option('--format <fmt>', 'summary as text or json', 'text')
      .action(async (o: { ecid?: string[]; all?: boolean; ipsw?: string; concurrency: string; format?: string }) => {
        const format = parseFormat(o.format);
        if (!o.all && !o.ecid?.length) throw new UsageError('choose the devices: --ecid ECID (repeatable) or --all');
        if (o.all && o.ecid?.length) throw new UsageError('give either --all or --ecid, not both');
        if (o.ipsw && !fs.existsSync(o.ipsw)) throw new UsageError(`--ipsw ${o.ipsw}: no such file`);
        const ecids = (o.ecid ?? []).map((e) => {
          try {
            return parseEcid(e);
          } catch (err) {
            throw new UsageError(`--ecid: ${(err as Error).message}`);
          }
        });
        let present: AppleUsbDevice[] | null = null;
        try {
          present = await detector().list();
        } catch (err) {
          if (!(err instanceof UsbUnavailableError) || o.all) throw err;
          process.stderr.write(`warning: ${err.message}; continuing with the ECIDs given (chip unknown)\n`);
        }
        const targets: RestoreTarget[] = o.all
          ? present!.map(targetFrom).filter((t): t is RestoreTarget => t !== null)
          : ecids.map((ecid) => {
            const found = present?.map(targetFrom).find((t) => t?.ecid === ecid);
            if (found) return found;
            return { ecid, chip: null };
          });
        if (targets.length === 0) throw new UsageError('no device in DFU or recovery mode was found; put the device in DFU mode and run `stagebench dfu list`');
        for (const t of targets) if (t.cpid !== undefined && !t.chip) t.chip = chipForCpid(t.cpid);
        const summary = await runRestores(targets, op, {
          ipsw: o.ipsw,
          host: deps.restoreHost,
          concurrency: parseNumber(o.concurrency, '--concurrency', { integer: true, min: 1 }),
          db: ctx.app(false).db,
          actor: ctx.actor,
          onProgress: (p) => process.stderr.write(`${p.ecid} ${p.percent !== null ? `${String(Math.round(p.percent)).padStart(3)}% ` : ''}${p.phase}\n`),
        });
        if (format === 'json') printJson(summary);
        else {
          const lines = [`${op} ${summary.devices.length} device(s): ${summary.succeeded} succeeded, ${summary.failed} failed`];
          for (const d of summary.devices) lines.push(`  ${d.ok ? 'OK    ' : 'FAILED'} ${d.ecid}${d.backend ? ` (${d.backend})` : ''}${d.ok ? '' : `: ${d.error}`}`);
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        if (summary.failed > 0) throw new ReportedFailure();
      });
  }
}
