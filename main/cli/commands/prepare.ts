/**
 * Supervision and prepare commands in cfgutil's spirit (../shared/reference/device-protocols.md §7):
 *
 *   stagebench prepare (--udid U... | --ecid E... | --all) [--dep] [--supervised --org ID] [--skip KEY]... [--skip-all]
 *                      [--allow-pairing | --forbid-pairing] [--mdm-unremovable] [--language L] [--locale L] [--timezone TZ]
 *                      [--device-name N] [--configuration-url URL] [--auto-advance] [--wifi-ssid S --wifi-password-env VAR]
 *                      [--enroll FILE] [--format json]
 *   stagebench erase   (--udid ... | --ecid ... | --all) [--org ID] [--disallow-proximity-setup] [--no-preserve-data-plan] [--wait SECONDS]
 *   stagebench rename NAME (--udid ... | --ecid ... | --all) [--org ID]
 *   stagebench get KEY... (--udid ... | --ecid ... | --all) [--org ID]      KEY = lockdownd Key, Domain:Key, IsSupervised, OrganizationName, CloudConfiguration
 *   stagebench org create --name NAME | org import (--p12 FILE --password-env VAR | --cert DER --key DER) | org list | org export-cert ID --out FILE
 *
 * Every command takes `--format text|json`. Devices are worked on in parallel; exit 1 when any
 * device failed, 2 for invalid input (also when every device failure was invalid input).
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { EXIT_FAILURE, EXIT_USAGE, ReportedFailure, UsageError } from '../errors';
import { formatTable, parseFormat, printJson, type OutputFormat } from '../output';
import { collect, parseNumber, readInputFile, secretFromEnv, writeOutputFile } from '../options';
import { getDeviceInfo, listDevices } from '../../apple';
import { validatePrepareSpec, type PrepareResult } from '../../apple/prepare';
import { buildWifiProfile, inspectProfile, type WifiEncryption } from '../../profiles';
import type { SecretBox } from '../../secrets';
import { createSupervisionService, type PrepareInput, type SupervisionService } from '../../organizations';

/** Device selection flags shared by the device commands. */
interface SelectionFlags {
  udid?: string[];
  ecid?: string[];
  all?: boolean;
}

/** One device's outcome in `--format json` output. */
interface DeviceOutcome<T> {
  udid: string;
  ok: boolean;
  result?: T;
  error?: string;
  /** What fixes it, when known (e.g. "erase" for a device that already has a cloud configuration). */
  remediation?: string;
  /** Operator instructions (prepare). */
  instructions?: string[];
}

const ENCRYPTIONS: readonly WifiEncryption[] = ['WEP', 'WPA', 'WPA2', 'WPA3', 'Any', 'None'];

/** The supervision service: the app's when wired (`app.supervision`), else one over the same cache. */
function supervision(ctx: CliContext): SupervisionService {
  const app = ctx.app(false);
  const wired = (app as unknown as { supervision?: SupervisionService }).supervision;
  if (wired) return wired;
  const box: SecretBox = { seal: (p) => ctx.secretBox().seal(p), open: (s) => ctx.secretBox().open(s) };
  return createSupervisionService(app.db, box, ctx.actor);
}

function withSelection(cmd: Command): Command {
  return cmd
    .option('--udid <udid>', 'a device by UDID (repeatable)', collect)
    .option('--ecid <ecid>', 'a device by ECID, decimal or 0x-hex (repeatable)', collect)
    .option('--all', 'every attached device')
    .option('--format <fmt>', 'text or json', 'text');
}

function parseEcid(text: string): bigint {
  try {
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(text.trim())) throw new Error();
    return BigInt(text.trim());
  } catch {
    throw new UsageError(`--ecid "${text}" is not an ECID (decimal, or hex with 0x)`);
  }
}

/** Resolves the selection to UDIDs. Throws UsageError for no/mixed selection or unknown ECIDs. */
async function selectDevices(sel: SelectionFlags): Promise<string[]> {
  const modes = [sel.all ? 1 : 0, sel.udid?.length ? 1 : 0, sel.ecid?.length ? 1 : 0].reduce((a, b) => a + b, 0);
  if (modes === 0) throw new UsageError('choose the devices: --udid UDID, --ecid ECID (both repeatable) or --all');
  if (modes > 1) throw new UsageError('give only one of --udid, --ecid and --all');
  if (sel.udid?.length) return [...new Set(sel.udid)];
  const attached = await listDevices();
  if (sel.all) {
    if (attached.length === 0) throw new Error('no device is attached; connect one and check `stagebench devices`');
    return attached.map((d) => d.udid);
  }
  const wanted = sel.ecid!.map(parseEcid);
  const byEcid = new Map<bigint, string>();
  for (const d of attached) {
    const ecid = (await getDeviceInfo(d.udid)).UniqueChipID;
    if (ecid !== undefined) byEcid.set(BigInt(ecid), d.udid);
  }
  return wanted.map((e) => {
    const udid = byEcid.get(e);
    if (!udid) throw new UsageError(`no attached device has ECID ${e} (0x${e.toString(16).toUpperCase()}); check \`stagebench devices\``);
    return udid;
  });
}

/** Runs `op` on every device in parallel and collects outcomes. */
async function forEachDevice<T>(udids: string[], op: (udid: string) => Promise<T>, extra?: (r: T) => Partial<DeviceOutcome<T>>): Promise<DeviceOutcome<T>[]> {
  return Promise.all(udids.map(async (udid) => {
    try {
      const result = await op(udid);
      return { udid, ok: true, result, ...(extra?.(result) ?? {}) };
    } catch (err) {
      const e = err as Error & { remediation?: string; exitCode?: number };
      return { udid, ok: false, error: e.message, ...(e.remediation ? { remediation: e.remediation } : {}), ...(e.exitCode === EXIT_USAGE ? { inputError: true } : {}) };
    }
  }));
}

/** Prints outcomes and throws ReportedFailure when any failed (exit 2 when all failures are input errors). */
function finish<T>(format: OutputFormat, outcomes: DeviceOutcome<T>[], text: (o: DeviceOutcome<T>) => string[]): void {
  const clean = outcomes.map((o) => {
    const { inputError: _i, ...rest } = o as DeviceOutcome<T> & { inputError?: boolean };
    return rest;
  });
  if (format === 'json') printJson(clean);
  else {
    const lines: string[] = [];
    for (const o of outcomes) {
      if (o.ok) lines.push(...text(o));
      else lines.push(`${o.udid}: FAILED: ${o.error}${o.remediation ? ` [remediation: ${o.remediation}]` : ''}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  const failed = outcomes.filter((o) => !o.ok) as (DeviceOutcome<T> & { inputError?: boolean })[];
  if (failed.length) throw new ReportedFailure(failed.every((f) => f.inputError) ? EXIT_USAGE : EXIT_FAILURE);
}

function prepareText(o: DeviceOutcome<PrepareResult>): string[] {
  const r = o.result!;
  const lines = [`${o.udid}: prepared (${r.mode}${r.supervised ? ', supervised' : ''}, ${r.platform} ${r.ProductType ?? ''} ${r.ProductVersion ?? ''})`.replace(/\s+\)/, ')')];
  if (r.profiles.length) lines.push(`  profiles: ${r.profiles.map((p) => `${p.PayloadIdentifier}${p.silent ? ' (silent)' : ' (staged)'}`).join(', ')}`);
  if (r.settings.length) lines.push(`  set: ${r.settings.join(', ')}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  for (const i of r.instructions) lines.push(`  next: ${i}`);
  return lines;
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '(none)';
  if (v instanceof Uint8Array) return `<${v.length} bytes>`;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? `<${x.length} bytes>` : typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

/** Registers `prepare`, `erase`, `rename`, `get` and `org create|import|list|export-cert` on `program`. */
export function registerPrepareCommands(program: Command, ctx: CliContext): void {
  withSelection(program.command('prepare'))
    .description('prepare devices: cloud configuration (manual, or --dep from Apple Business Manager), language/time zone/name, Wi-Fi then enrollment profile')
    .option('--dep', 'Automated Device Enrollment: the device downloads its configuration from Apple (DownloadAndApplyCloudConfiguration)')
    .option('--supervised', 'supervise the devices with the organization identity (needs --org)')
    .option('--org <id>', 'organization (id or name): shown on the device, supervision identity')
    .option('--skip <key>', 'Setup Assistant pane to skip, Apple SkipKeys name (repeatable)', collect)
    .option('--skip-all', 'skip every Setup Assistant pane the device platform knows')
    .option('--allow-pairing', 'the device may pair with other hosts (default)')
    .option('--forbid-pairing', 'only hosts with the organization identity may pair (needs --supervised)')
    .option('--mdm-unremovable', 'ask for IsMDMUnremovable (the device may refuse it for a manual prepare; reported)')
    .option('--language <code>', 'device language, e.g. en, de, fr')
    .option('--locale <code>', 'device locale, e.g. en_US, de_CH')
    .option('--timezone <zone>', 'IANA time zone, e.g. Europe/Zurich (also sets the clock)')
    .option('--device-name <name>', 'device name')
    .option('--configuration-url <url>', 'ConfigurationURL: MDM enrollment URL fetched in Setup Assistant (https)')
    .option('--auto-advance', 'AutoAdvanceSetup (tvOS): Setup Assistant advances by itself')
    .option('--enroll <file>', 'MDM enrollment profile (.mobileconfig) installed after the Wi-Fi profile')
    .option('--wifi-ssid <ssid>', 'Wi-Fi network installed first (an Apple TV needs it to reach the corporate network)')
    .option('--wifi-password-env <var>', 'environment variable holding the Wi-Fi password')
    .option('--wifi-encryption <type>', 'WEP, WPA, WPA2, WPA3, Any or None')
    .option('--wifi-hidden', 'the network does not broadcast its SSID')
    .option('--pair-timeout <seconds>', 'how long to wait for the Trust tap when a device must pair', '120')
    .action(async (o: SelectionFlags & {
      format?: string; dep?: boolean; supervised?: boolean; org?: string; skip?: string[]; skipAll?: boolean; allowPairing?: boolean;
      forbidPairing?: boolean; mdmUnremovable?: boolean; language?: string; locale?: string; timezone?: string; deviceName?: string;
      configurationUrl?: string; autoAdvance?: boolean; enroll?: string; wifiSsid?: string; wifiPasswordEnv?: string; wifiEncryption?: string;
      wifiHidden?: boolean; pairTimeout: string;
    }) => {
      const format = parseFormat(o.format);
      if (o.allowPairing && o.forbidPairing) throw new UsageError('give either --allow-pairing or --forbid-pairing, not both');
      if (o.supervised && !o.org) throw new UsageError('--supervised needs --org ID (create one with `stagebench org create --name NAME`)');
      if ((o.wifiPasswordEnv || o.wifiEncryption || o.wifiHidden) && !o.wifiSsid) throw new UsageError('--wifi-password-env / --wifi-encryption / --wifi-hidden need --wifi-ssid');
      parseNumber(o.pairTimeout, '--pair-timeout', { min: 1 });
      const enrollmentProfile = o.enroll ? readInputFile(o.enroll, '--enroll') : undefined;
      let wifiProfile: Buffer | undefined;
      if (o.wifiSsid) {
        let encryption: WifiEncryption | undefined;
        if (o.wifiEncryption) {
          encryption = ENCRYPTIONS.find((e) => e.toLowerCase() === o.wifiEncryption!.toLowerCase());
          if (!encryption) throw new UsageError(`--wifi-encryption must be one of ${ENCRYPTIONS.join(', ')}, not "${o.wifiEncryption}"`);
        }
        const prefix = (enrollmentProfile && inspectProfile(enrollmentProfile).identifier) || 'com.stagebench.prepare';
        const built = buildWifiProfile({
          ssid: o.wifiSsid, password: o.wifiPasswordEnv ? secretFromEnv(o.wifiPasswordEnv, '--wifi-password-env') : undefined,
          encryption, hidden: o.wifiHidden, prefix,
        });
        const errors = built.issues.filter((i) => i.severity === 'error');
        if (errors.length) throw new UsageError(`Wi-Fi profile is not valid: ${errors.map((e) => e.message).join('; ')}`);
        wifiProfile = built.xml;
      }
      const input: PrepareInput = {
        dep: o.dep, supervised: o.supervised, orgId: o.org, skip: o.skip, skipAll: o.skipAll,
        allowPairing: o.forbidPairing ? false : o.allowPairing ? true : undefined,
        mdmUnremovable: o.mdmUnremovable, language: o.language, locale: o.locale, timeZone: o.timezone, deviceName: o.deviceName,
        configurationUrl: o.configurationUrl, autoAdvanceSetup: o.autoAdvance ? true : undefined, enrollmentProfile, wifiProfile,
      };
      // Device-independent checks before any device is touched (exit 2, nothing written).
      validatePrepareSpec(input);
      const sup = supervision(ctx);
      if (o.org) sup.organizations.get(o.org);
      const udids = await selectDevices(o);
      const outcomes = await forEachDevice(udids, (udid) => sup.prepare(udid, input, (p) => process.stderr.write(`stagebench: ${p.udid}: ${p.message}\n`)),
        (r) => ({ instructions: r.instructions }));
      finish(format, outcomes, prepareText);
    });

  withSelection(program.command('erase'))
    .description('erase all content and settings (MCInstall EraseDevice); the device restarts into Setup Assistant')
    .option('--org <id>', 'organization whose identity pairs with supervised devices')
    .option('--no-preserve-data-plan', 'also remove the eSIM data plan (PreserveDataPlan false)')
    .option('--disallow-proximity-setup', 'forbid Quick Start from a nearby device afterwards (DisallowProximitySetup)')
    .option('--wait <seconds>', 'wait until the erased devices attach again', '0')
    .action(async (o: SelectionFlags & { format?: string; org?: string; preserveDataPlan: boolean; disallowProximitySetup?: boolean; wait: string }) => {
      const format = parseFormat(o.format);
      const waitMs = parseNumber(o.wait, '--wait', { min: 0 })! * 1000;
      const sup = supervision(ctx);
      if (o.org) sup.organizations.get(o.org);
      const udids = await selectDevices(o);
      const outcomes = await forEachDevice(udids, (udid) => sup.erase(udid, {
        orgId: o.org, preserveDataPlan: o.preserveDataPlan, disallowProximitySetup: o.disallowProximitySetup, waitForReattachMs: waitMs,
      }));
      finish(format, outcomes, (x) => [`${x.udid}: erase acknowledged${x.result!.reattached ? ', attached again' : ''}`]);
    });

  withSelection(program.command('rename <name>'))
    .description('set the device name (lockdownd DeviceName)')
    .option('--org <id>', 'organization whose identity pairs with supervised devices')
    .action(async (name: string, o: SelectionFlags & { format?: string; org?: string }) => {
      const format = parseFormat(o.format);
      const n = name.trim();
      if (!n || [...n].length > 63) throw new UsageError('the device name must be 1–63 characters');
      const sup = supervision(ctx);
      const udids = await selectDevices(o);
      const outcomes = await forEachDevice(udids, async (udid) => {
        await sup.rename(udid, n, o.org);
        return { DeviceName: n };
      });
      finish(format, outcomes, (x) => [`${x.udid}: renamed to ${n}`]);
    });

  withSelection(program.command('get <keys...>'))
    .description('read device values: lockdownd keys (DeviceName, ProductVersion, Domain:Key such as com.apple.international:Language) and IsSupervised, OrganizationName, CloudConfiguration')
    .option('--org <id>', 'organization whose identity pairs with supervised devices')
    .action(async (keys: string[], o: SelectionFlags & { format?: string; org?: string }) => {
      const format = parseFormat(o.format);
      const sup = supervision(ctx);
      const udids = await selectDevices(o);
      const outcomes = await forEachDevice(udids, (udid) => sup.getValues(udid, keys, o.org));
      finish(format, outcomes, (x) => [x.udid, ...keys.map((k) => `  ${k}: ${formatValue(x.result![k])}`)]);
    });

  const org = program.command('org').description('organizations with a supervision identity (Apple Configurator "Organization")');
  const orgFields = (c: Command): Command => c
    .option('--department <text>', 'OrganizationDepartment')
    .option('--email <address>', 'OrganizationEmail')
    .option('--phone <number>', 'OrganizationPhone')
    .option('--address <text>', 'OrganizationAddress')
    .option('--format <fmt>', 'text or json', 'text');
  type OrgFlags = { name?: string; department?: string; email?: string; phone?: string; address?: string; format?: string };
  const printOrg = (format: OutputFormat, row: ReturnType<SupervisionService['organizations']['get']>, verb: string): void => {
    if (format === 'json') printJson(row);
    else process.stdout.write(`${verb} organization ${row.name} (${row.id}), supervision certificate ${row.subject}, SHA-256 ${row.fingerprintSha256}, valid until ${row.notAfter.slice(0, 10)}\n`);
  };

  orgFields(org.command('create'))
    .description('create an organization with a new self-signed RSA-2048 supervision identity (key sealed at rest)')
    .requiredOption('--name <name>', 'OrganizationName')
    .option('--validity-days <days>', 'certificate validity in days', '7300')
    .action((o: OrgFlags & { validityDays: string }) => {
      const format = parseFormat(o.format);
      const validityDays = parseNumber(o.validityDays, '--validity-days', { integer: true, min: 1 });
      ctx.secretBox();
      printOrg(format, supervision(ctx).organizations.create({ ...o, name: o.name!, validityDays }), 'Created');
    });

  orgFields(org.command('import'))
    .description('import a supervision identity: --p12 FILE --password-env VAR, or --cert cert.der --key key.der (cfgutil -C/-K)')
    .option('--name <name>', 'OrganizationName (default: the certificate\'s O or CN)')
    .option('--p12 <file>', 'PKCS#12 with the supervision certificate and key')
    .option('--password-env <var>', 'environment variable holding the .p12 password')
    .option('--cert <file>', 'supervision certificate, DER (or PEM)')
    .option('--key <file>', 'its private key, DER (PKCS#8, PKCS#1 or SEC1) or PEM')
    .action((o: OrgFlags & { p12?: string; passwordEnv?: string; cert?: string; key?: string }) => {
      const format = parseFormat(o.format);
      const p12 = !!o.p12;
      const der = !!(o.cert || o.key);
      if (p12 === der) throw new UsageError('give either --p12 FILE --password-env VAR, or --cert FILE --key FILE');
      if (der && !(o.cert && o.key)) throw new UsageError('--cert and --key go together');
      ctx.secretBox();
      const orgs = supervision(ctx).organizations;
      const row = p12
        ? orgs.importPkcs12(readInputFile(o.p12!, '--p12'), secretFromEnv(o.passwordEnv, '--password-env'), o)
        : orgs.importDer(readInputFile(o.cert!, '--cert'), readInputFile(o.key!, '--key'), o);
      printOrg(format, row, 'Imported');
    });

  org.command('list')
    .description('list organizations')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { format?: string }) => {
      const format = parseFormat(o.format);
      const rows = supervision(ctx).organizations.list();
      if (format === 'json') printJson(rows);
      else process.stdout.write(formatTable(rows, [
        { header: 'ID', cell: (r) => r.id },
        { header: 'NAME', cell: (r) => r.name },
        { header: 'SOURCE', cell: (r) => r.source },
        { header: 'KEY', cell: (r) => r.keyType.toUpperCase() },
        { header: 'EXPIRES', cell: (r) => r.notAfter.slice(0, 10) },
        { header: 'SHA-256', cell: (r) => r.fingerprintSha256.slice(0, 16) },
      ]));
    });

  org.command('export-cert <id>')
    .description('write the supervision certificate (never the key), DER by default, e.g. for cfgutil -C or an MDM server')
    .requiredOption('--out <file>', 'output file')
    .option('--pem', 'PEM instead of DER')
    .option('--format <fmt>', 'text or json', 'text')
    .action((id: string, o: { out: string; pem?: boolean; format?: string }) => {
      const format = parseFormat(o.format);
      const sup = supervision(ctx);
      const row = sup.organizations.get(id);
      const bytes = sup.organizations.exportCertificate(row.id, o.pem ? 'pem' : 'der');
      writeOutputFile(o.out, bytes);
      if (format === 'json') printJson({ id: row.id, name: row.name, out: o.out, format: o.pem ? 'pem' : 'der', bytes: bytes.length, fingerprintSha256: row.fingerprintSha256 });
      else process.stdout.write(`Wrote the certificate of ${row.name} to ${o.out} (${o.pem ? 'PEM' : 'DER'}, ${bytes.length} bytes)\n`);
    });
}
