/**
 * `stagebench stage --all --wifi-ssid SSID --wifi-password-env VAR --enroll SIGNED_FILE`: pair each
 * attached device, install the Wi-Fi profile, then the signed enrollment profile; live per-device
 * progress on stderr, a summary on stdout; exit 1 when any device failed.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { parseFormat, printJson } from '../output';
import { collect, parseNumber, readInputFile, secretFromEnv } from '../options';
import type { WifiEncryption } from '../../profiles';
import type { DeviceStageProgress, StageStepName } from '../../app/types';
import { STAGE_STEPS } from '../../bench';

const ENCRYPTIONS: readonly WifiEncryption[] = ['WEP', 'WPA', 'WPA2', 'WPA3', 'Any', 'None'];

function progressLine(p: DeviceStageProgress): string {
  const width = STAGE_STEPS.length;
  const done = Math.round(p.progress * width);
  const bar = `[${'#'.repeat(done)}${'-'.repeat(width - done)}]`;
  return `${p.udid} ${bar} ${p.step.padEnd(18)} ${p.state}${p.message ? `: ${p.message}` : ''}`;
}

/** Registers `stage`. */
export function registerStageCommand(program: Command, ctx: CliContext): void {
  program
    .command('stage')
    .description('stage devices: pair, install the Wi-Fi profile, then the signed enrollment profile; record every step')
    .option('--all', 'every attached device')
    .option('--udid <udid>', 'a device to stage (repeatable) instead of --all', collect)
    .requiredOption('--enroll <file>', 'signed enrollment profile (.mobileconfig)')
    .option('--wifi-ssid <ssid>', 'Wi-Fi network to install first (SSID_STR)')
    .option('--wifi-password-env <var>', 'environment variable holding the Wi-Fi password')
    .option('--wifi-encryption <type>', 'WEP, WPA, WPA2, WPA3, Any or None (default WPA2 with a password)')
    .option('--wifi-hidden', 'the network does not broadcast its SSID')
    .option('--pair-timeout <seconds>', 'how long to wait for the Trust tap per device', '120')
    .option('--concurrency <n>', 'devices worked on at once', '8')
    .option('--format <fmt>', 'summary as text or json', 'text')
    .action(async (o: {
      all?: boolean; udid?: string[]; enroll: string; wifiSsid?: string; wifiPasswordEnv?: string; wifiEncryption?: string;
      wifiHidden?: boolean; pairTimeout: string; concurrency: string; format?: string;
    }) => {
      const format = parseFormat(o.format);
      if (!o.all && !o.udid?.length) throw new UsageError('choose the devices: --all, or --udid UDID (repeatable)');
      if (o.all && o.udid?.length) throw new UsageError('give either --all or --udid, not both');
      if ((o.wifiPasswordEnv || o.wifiEncryption) && !o.wifiSsid) throw new UsageError('--wifi-password-env / --wifi-encryption need --wifi-ssid');
      let encryption: WifiEncryption | undefined;
      if (o.wifiEncryption) {
        encryption = ENCRYPTIONS.find((e) => e.toLowerCase() === o.wifiEncryption!.toLowerCase());
        if (!encryption) throw new UsageError(`--wifi-encryption must be one of ${ENCRYPTIONS.join(', ')}, not "${o.wifiEncryption}"`);
      }
      const enrollmentBytes = readInputFile(o.enroll, '--enroll');
      const wifi = o.wifiSsid
        ? { ssid: o.wifiSsid, password: o.wifiPasswordEnv ? secretFromEnv(o.wifiPasswordEnv, '--wifi-password-env') : undefined, encryption, hidden: o.wifiHidden }
        : undefined;
      const last = new Map<string, string>();
      const summary = await ctx.app(false).bench.stage(
        {
          udids: o.udid,
          wifi,
          enrollmentBytes,
          pairTimeoutMs: parseNumber(o.pairTimeout, '--pair-timeout', { min: 1 })! * 1000,
          concurrency: parseNumber(o.concurrency, '--concurrency', { integer: true, min: 1 }),
        },
        (p) => {
          const line = progressLine(p);
          if (last.get(p.udid) !== line) process.stderr.write(`${line}\n`);
          last.set(p.udid, line);
        },
      );
      if (format === 'json') printJson(summary);
      else {
        const out = [`Staging run ${summary.runId}: ${summary.succeeded} succeeded, ${summary.failed} failed`];
        for (const d of summary.devices) {
          const steps = STAGE_STEPS.map((s: StageStepName) => `${s}=${d.steps[s]}`).join(' ');
          out.push(`  ${d.ok ? 'OK    ' : 'FAILED'} ${d.udid}  ${d.ok ? steps : d.error}`);
        }
        process.stdout.write(`${out.join('\n')}\n`);
      }
      if (summary.failed > 0) throw new ReportedFailure();
    });
}
