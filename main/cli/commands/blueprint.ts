/**
 * `stagebench blueprint list|show|create|apply|export|import|delete`: named, ordered action lists
 * applied to devices (main/blueprints). Secrets are never taken from argv: `--wifi-password-env`
 * and `--secret-env REF=VAR` name environment variables. `apply NAME --all|--udid U` stages the
 * devices with live progress on stderr and a summary on stdout (exit 1 when a device failed);
 * `apply NAME --watch` is auto-apply: every newly attached device runs the blueprint until
 * Ctrl-C. Exit 2 for invalid input.
 */
import type { Command } from 'commander';
import { appleStagingTransport, formatRunSummary, type DeviceRunProgress, type RunSummary } from '../../bench';
import {
  BlueprintInputError, BlueprintNotReadyError, createBlueprintService, type BlueprintAction, type BlueprintService, type BlueprintView,
} from '../../blueprints';
import type { SecretBox } from '../../secrets';
import type { CliContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { collect, parseNumber, readInputFile, secretFromEnv, writeOutputFile } from '../options';
import { formatTable, parseFormat, printJson } from '../output';

/**
 * The blueprint service over the CLI context's cache: the app services' `blueprints` once wired
 * there (with the prepare executor), else one built here. Secrets need STAGEBENCH_PASSPHRASE only
 * when touched.
 */
export function blueprintServiceFor(ctx: CliContext): BlueprintService {
  const app = ctx.app(false);
  const wired = (app as { blueprints?: BlueprintService }).blueprints;
  if (wired) return wired;
  const box: SecretBox = { seal: (p) => ctx.secretBox().seal(p), open: (s) => ctx.secretBox().open(s) };
  return createBlueprintService({ db: app.db, box, actor: ctx.actor, transport: appleStagingTransport(), profiles: app.profiles, identities: app.identities });
}

/** Runs `fn`, turning blueprint input errors into usage errors (exit 2). */
async function asUsage<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof BlueprintInputError || err instanceof BlueprintNotReadyError) throw new UsageError(err.message);
    if (err instanceof Error && (err.name === 'BlueprintExistsError' || err.name === 'BlueprintNotFoundError' || err.name === 'ProfileSpecError')) throw new UsageError(err.message);
    throw err;
  }
}

/** Parses repeated `--secret-env REF=VAR` into `{REF: value}`. */
function secretsFromEnv(pairs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs ?? []) {
    const m = /^([a-z][a-z0-9-]*)=([A-Za-z_][A-Za-z0-9_]*)$/.exec(p);
    if (!m) throw new UsageError(`--secret-env expects REF=ENV_VAR (e.g. wifi-1=WIFI_PASSWORD), not "${p}"`);
    out[m[1]] = secretFromEnv(m[2], `--secret-env ${m[1]}`);
  }
  return out;
}

function describeAction(a: BlueprintAction): string {
  switch (a.type) {
    case 'wifi': return `wifi "${a.ssid}"${a.encryption ? ` ${a.encryption}` : ''}${a.passwordRef ? ` (password: ${a.passwordRef})` : ''}`;
    case 'enrollment-profile': return a.profileId ? `enrollment profile ${a.profileId}` : `enrollment template "${a.template!.name}" signed by ${a.identityId}`;
    case 'install-profile': return `profile ${a.profileId}`;
    case 'prepare': return `prepare${a.supervised ? ' supervised' : ''}${a.skipSetup ? ` skip ${Array.isArray(a.skipSetup) ? a.skipSetup.join(',') : a.skipSetup}` : ''}`;
    case 'device-name': return `name "${a.pattern}"${a.counterStart !== undefined ? ` from ${a.counterStart}` : ''}`;
    case 'locale': return ['locale', a.language, a.region, a.timeZone].filter(Boolean).join(' ');
    case 'erase': return `erase${a.preserveDataPlan === false ? ' (data plan removed)' : ''}`;
  }
}

function printView(b: BlueprintView): void {
  const lines = [`${b.name}${b.autoApply ? '  [auto-apply]' : ''}${b.description ? ` — ${b.description}` : ''}`, `  id ${b.id}, ${b.ready ? 'ready' : 'NOT READY'}`];
  b.actions.forEach((a, i) => lines.push(`  ${i + 1}. ${describeAction(a)}`));
  for (const s of b.secrets) lines.push(`  secret ${s.ref}: ${s.what} — ${s.stored ? 'stored (sealed)' : 'MISSING'}`);
  for (const p of b.problems) lines.push(`  problem: ${p}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function progressLine(p: DeviceRunProgress): string {
  const width = 20;
  const done = Math.round(p.progress * width);
  return `${p.udid} [${'#'.repeat(done)}${'-'.repeat(width - done)}] ${p.step.padEnd(18)} ${p.state}${p.message ? `: ${p.message}` : ''}`;
}

/** Builds a blueprint object from `create` flags (actions in the canonical order). */
function blueprintFromFlags(name: string | undefined, o: CreateFlags): Record<string, unknown> {
  if (!name) throw new UsageError('give the blueprint NAME, or --from-json FILE');
  const actions: Record<string, unknown>[] = [];
  if (o.wifiSsid) {
    actions.push({
      type: 'wifi', ssid: o.wifiSsid, ...(o.wifiEncryption ? { encryption: o.wifiEncryption } : {}), ...(o.wifiHidden ? { hidden: true } : {}),
      ...(o.wifiPasswordEnv ? { password: secretFromEnv(o.wifiPasswordEnv, '--wifi-password-env') } : {}),
    });
  } else if (o.wifiPasswordEnv || o.wifiEncryption) throw new UsageError('--wifi-password-env / --wifi-encryption need --wifi-ssid');
  if (o.enrollProfile && o.enrollTemplate) throw new UsageError('give either --enroll-profile or --enroll-template, not both');
  if (o.enrollProfile) actions.push({ type: 'enrollment-profile', profileId: o.enrollProfile });
  if (o.enrollTemplate) {
    let template: unknown;
    try {
      template = JSON.parse(readInputFile(o.enrollTemplate, '--enroll-template').toString('utf8'));
    } catch (err) {
      throw err instanceof UsageError ? err : new UsageError(`--enroll-template ${o.enrollTemplate}: not JSON (${(err as Error).message})`);
    }
    actions.push({ type: 'enrollment-profile', template, ...(o.identity ? { identityId: o.identity } : {}) });
  }
  for (const id of o.profile ?? []) actions.push({ type: 'install-profile', profileId: id });
  if (o.namePattern) actions.push({ type: 'device-name', pattern: o.namePattern, ...(o.counterStart !== undefined ? { counterStart: parseNumber(o.counterStart, '--counter-start', { integer: true }) } : {}) });
  if (o.language || o.region || o.timeZone) actions.push({ type: 'locale', ...(o.language ? { language: o.language } : {}), ...(o.region ? { region: o.region } : {}), ...(o.timeZone ? { timeZone: o.timeZone } : {}) });
  if (o.erase) actions.push({ type: 'erase' });
  return { name, ...(o.description ? { description: o.description } : {}), ...(o.autoApply ? { autoApply: true } : {}), actions };
}

interface CreateFlags {
  fromJson?: string; description?: string; wifiSsid?: string; wifiPasswordEnv?: string; wifiEncryption?: string; wifiHidden?: boolean;
  enrollProfile?: string; enrollTemplate?: string; identity?: string; profile?: string[]; namePattern?: string; counterStart?: string;
  language?: string; region?: string; timeZone?: string; erase?: boolean; autoApply?: boolean; replace?: boolean; secretEnv?: string[]; format?: string;
}

/** Registers `blueprint` and its subcommands on `program`. */
export function registerBlueprintCommands(program: Command, ctx: CliContext): void {
  const bp = program.command('blueprint').description('blueprints: named, ordered actions (Wi-Fi, enrollment, profiles, prepare, name, locale, erase) applied to every device');

  bp.command('list')
    .description('list blueprints')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { format?: string }) => {
      const format = parseFormat(o.format);
      const rows = blueprintServiceFor(ctx).list();
      if (format === 'json') return printJson(rows);
      process.stdout.write(formatTable(rows, [
        { header: 'NAME', cell: (r) => r.name },
        { header: 'ACTIONS', cell: (r) => r.actions.map((a) => a.type).join(',') },
        { header: 'READY', cell: (r) => (r.ready ? 'yes' : 'no') },
        { header: 'AUTO', cell: (r) => (r.autoApply ? 'yes' : '') },
        { header: 'UPDATED', cell: (r) => r.updatedAt },
      ]));
    });

  bp.command('show')
    .description('show one blueprint: actions, secrets (stored or missing, never their values), readiness')
    .argument('<name>')
    .option('--format <fmt>', 'text or json', 'text')
    .action(async (name: string, o: { format?: string }) => {
      const format = parseFormat(o.format);
      const b = await asUsage(() => blueprintServiceFor(ctx).get(name));
      if (format === 'json') printJson(b);
      else printView(b);
    });

  bp.command('create')
    .description('create a blueprint from --from-json FILE or from flags (order: Wi-Fi, enrollment, profiles, name, locale, erase)')
    .argument('[name]', 'blueprint name (overrides the name in --from-json)')
    .option('--from-json <file>', 'blueprint JSON (a bare blueprint or an export file)')
    .option('--description <text>')
    .option('--wifi-ssid <ssid>')
    .option('--wifi-password-env <var>', 'environment variable holding the Wi-Fi password (sealed in the cache)')
    .option('--wifi-encryption <type>', 'WEP, WPA, WPA2, WPA3, Any or None')
    .option('--wifi-hidden')
    .option('--enroll-profile <id>', 'stored signed enrollment profile id')
    .option('--enroll-template <file>', 'enrollment template JSON ({serial}/{udid}/{ecid} placeholders), signed per device')
    .option('--identity <id>', 'stored signing identity for --enroll-template')
    .option('--profile <id>', 'another stored profile to install (repeatable)', collect)
    .option('--name-pattern <pattern>', 'device name, e.g. "Lab-{model}-{counter:3}" ({serial} {udid} {ecid} {model} {productType} {counter[:N]})')
    .option('--counter-start <n>', 'first {counter} value (default 1)')
    .option('--language <code>', 'e.g. de')
    .option('--region <locale>', 'e.g. de_DE')
    .option('--time-zone <tz>', 'e.g. Europe/Berlin')
    .option('--erase', 'erase the device as the last action')
    .option('--auto-apply', 'select it for auto-apply')
    .option('--replace', 'replace a blueprint of the same name')
    .option('--secret-env <ref=var>', 'value of a secret reference from an environment variable (repeatable)', collect)
    .option('--format <fmt>', 'text or json', 'text')
    .action(async (name: string | undefined, o: CreateFlags) => {
      const format = parseFormat(o.format);
      let input: Record<string, unknown>;
      if (o.fromJson) {
        try {
          input = JSON.parse(readInputFile(o.fromJson, '--from-json').toString('utf8')) as Record<string, unknown>;
        } catch (err) {
          throw err instanceof UsageError ? err : new UsageError(`--from-json ${o.fromJson}: not JSON (${(err as Error).message})`);
        }
        if (name) input = 'format' in input ? { ...input, blueprint: { ...(input.blueprint as object), name } } : { ...input, name };
      } else {
        input = blueprintFromFlags(name, o);
      }
      const svc = blueprintServiceFor(ctx);
      const b = await asUsage(() => svc.create(input, { replace: o.replace, secrets: secretsFromEnv(o.secretEnv) }));
      if (format === 'json') printJson(b);
      else printView(b);
    });

  bp.command('apply')
    .description('apply a blueprint to attached devices (--all / --udid), or to every newly attached device until Ctrl-C (--watch)')
    .argument('<name>')
    .option('--all', 'every attached device')
    .option('--udid <udid>', 'a device (repeatable)', collect)
    .option('--watch', 'auto-apply: run on every device attached from now on, until Ctrl-C')
    .option('--concurrency <n>', 'devices worked on at once', '8')
    .option('--pair-timeout <seconds>', 'how long to wait for the Trust tap per device', '120')
    .option('--retries <n>', 'retries of a transient error per step', '2')
    .option('--wait-reattach <seconds>', 'how long to wait for an unplugged device to come back and resume (0 = fail it)', '120')
    .option('--format <fmt>', 'summary as text or json', 'text')
    .action(async (name: string, o: { all?: boolean; udid?: string[]; watch?: boolean; concurrency: string; pairTimeout: string; retries: string; waitReattach: string; format?: string }) => {
      const format = parseFormat(o.format);
      const selectors = [o.all, o.udid?.length, o.watch].filter(Boolean).length;
      if (selectors === 0) throw new UsageError('choose the devices: --all, --udid UDID (repeatable), or --watch');
      if (selectors > 1) throw new UsageError('give one of --all, --udid, --watch');
      const opts = {
        concurrency: parseNumber(o.concurrency, '--concurrency', { integer: true, min: 1 }),
        pairTimeoutMs: parseNumber(o.pairTimeout, '--pair-timeout', { min: 1 })! * 1000,
        retry: { attempts: parseNumber(o.retries, '--retries', { integer: true })! + 1, baseDelayMs: 250, maxDelayMs: 2_000 },
        reattachTimeoutMs: parseNumber(o.waitReattach, '--wait-reattach')! * 1000,
      };
      const svc = blueprintServiceFor(ctx);
      const last = new Map<string, string>();
      const onProgress = (p: DeviceRunProgress): void => {
        const line = progressLine(p);
        if (last.get(p.udid) !== line) process.stderr.write(`${line}\n`);
        last.set(p.udid, line);
      };
      const report = (s: RunSummary): void => {
        if (format === 'json') printJson(s);
        else process.stdout.write(`${formatRunSummary(s)}\n`);
      };
      if (o.watch) {
        const handle = await asUsage(() => svc.startAutoApply(name, { ...opts, onProgress, onRun: report, onEvent: (m) => process.stderr.write(`${m}\n`) }));
        process.stderr.write(`auto-apply "${name}": attach devices now; Ctrl-C to stop\n`);
        await new Promise<void>((resolve) => {
          const stop = (): void => resolve();
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await handle.close();
        return;
      }
      const summary = await asUsage(() => svc.apply(name, { ...opts, udids: o.udid, onProgress }));
      report(summary);
      if (summary.failed > 0) throw new ReportedFailure();
    });

  bp.command('export')
    .description('write a blueprint as JSON (secrets are left out and listed; stdout without --out)')
    .argument('<name>')
    .option('--out <file>')
    .action(async (name: string, o: { out?: string }) => {
      const { json, document } = await asUsage(() => blueprintServiceFor(ctx).export(name));
      if (o.out) {
        writeOutputFile(o.out, json);
        for (const n of document.notes ?? []) process.stderr.write(`note: ${n}\n`);
      } else process.stdout.write(json);
    });

  bp.command('import')
    .description('import a blueprint JSON file (validated); secrets it references come from --secret-env REF=VAR')
    .argument('<file>')
    .option('--name <name>', 'store under another name')
    .option('--replace', 'replace a blueprint of the same name')
    .option('--secret-env <ref=var>', 'value of a secret reference from an environment variable (repeatable)', collect)
    .option('--format <fmt>', 'text or json', 'text')
    .action(async (file: string, o: { name?: string; replace?: boolean; secretEnv?: string[]; format?: string }) => {
      const format = parseFormat(o.format);
      const text = readInputFile(file, 'FILE').toString('utf8');
      const r = await asUsage(() => blueprintServiceFor(ctx).import(text, { name: o.name, replace: o.replace, secrets: secretsFromEnv(o.secretEnv) }));
      if (format === 'json') return printJson(r);
      printView(r.blueprint);
      for (const ref of r.missingSecrets) process.stderr.write(`warning: secret "${ref}" was not given; import again with --secret-env ${ref}=VAR before applying\n`);
    });

  bp.command('delete')
    .description('delete a blueprint and its sealed secrets')
    .argument('<name>')
    .action((name: string) => {
      if (!blueprintServiceFor(ctx).delete(name)) throw new UsageError(`no blueprint named "${name}"`);
      process.stdout.write(`deleted ${name}\n`);
    });
}
