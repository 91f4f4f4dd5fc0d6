/**
 * `stagebench dep profile …` — ADE (DEP) profiles of an ABM server (Ivanti "Admin > Apple > Device
 * Enrollment > Enrollment Profile(s)"): list, show, create (flags for the main fields or
 * `--from-json FILE` with the form model or Apple's profile JSON), assign (serials or
 * `--all-unassigned`), set-default, delete, and push (send the outbox to Apple).
 * Exit 2 on invalid input (the message names the field), 1 when an operation fails.
 * The managed admin password comes from an environment variable (`--admin-password-env VAR`).
 */
import type { Command } from 'commander';
import {
  createDepProfileService, createDepServerService, formatDepIssue, skipAllKeys, SETUP_PLATFORMS,
  type DepProfileDetail, type DepProfileForm, type DepProfileService, type DepProfileSummary, type PushReport, type SetupPlatform,
} from '../../dep';
import type { SecretBox } from '../../secrets';
import type { CliContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { collect, parseNumber, readInputFile, secretFromEnv } from '../options';
import { formatTable, parseFormat, printJson } from '../output';

function services(ctx: CliContext, needsSecrets: boolean): { profiles: DepProfileService; serverId: (idOrName: string) => string } {
  const db = ctx.app(needsSecrets).db;
  const box: SecretBox = needsSecrets ? ctx.secretBox() : { seal: (p) => ctx.secretBox().seal(p), open: (s) => ctx.secretBox().open(s) };
  const servers = createDepServerService(db, box, ctx.actor);
  const profiles = createDepProfileService(db, box, ctx.actor, {
    enrollmentUrl: process.env.STAGEBENCH_DEP_ENROLLMENT_URL || undefined,
    hostedEnrollmentUrl: process.env.STAGEBENCH_DEP_HOSTED_ENROLLMENT_URL || undefined,
    apiFor: (id) => servers.client(id),
  });
  return { profiles, serverId: (idOrName) => servers.get(idOrName).id };
}

function profileTable(rows: DepProfileSummary[]): string {
  return formatTable(rows, [
    { header: 'ID', cell: (r) => r.id },
    { header: 'SERVER', cell: (r) => r.serverName },
    { header: 'NAME', cell: (r) => `${r.name}${r.isDefault ? ' (default)' : ''}` },
    { header: 'DEPARTMENT', cell: (r) => r.department },
    { header: 'SUPPORT PHONE', cell: (r) => r.supportPhone },
    { header: 'DEVICES', cell: (r) => r.deviceCount },
    { header: 'STATE', cell: (r) => `${r.syncState}${r.pendingSends ? ` (${r.pendingSends} to send)` : ''}` },
    { header: 'APPLE UUID', cell: (r) => r.profileUuid },
  ]);
}

function showText(p: DepProfileDetail): string {
  const lines = [
    `${p.name}${p.isDefault ? ' (default)' : ''}  id ${p.id}`,
    `server:     ${p.serverName}`,
    `state:      ${p.syncState}${p.lastError ? ` — ${p.lastError}` : ''}${p.profileUuid ? `  (Apple profile_uuid ${p.profileUuid})` : ''}`,
    `devices:    ${p.deviceCount}`,
    `auth:       ${p.form.authentication.mode === 'prompt' ? 'prompt user for registration / login' : p.form.authentication.assignTo === 'anonymous' ? 'skip user login (anonymous user)' : `skip user login (user ${p.form.authentication.user})`}`,
    `skip items: ${p.apple.skip_setup_items?.join(', ') || '(none)'}`,
    ...p.skip.implied.map((i) => `  + ${i.key}: ${i.reason}`),
    ...(p.hasAdminPassword ? [`macOS managed admin: ${p.form.macosAccounts.managedAdmin?.accountName} (password stored as SALTED-SHA512-PBKDF2, ${p.adminPasswordIterations} iterations)`] : []),
    'Apple profile JSON:',
    JSON.stringify(p.apple, null, 2),
    ...p.warnings.map((w) => `warning: ${formatDepIssue(w)}`),
    ...p.outbox.filter((o) => o.state !== 'sent').map((o) => `to send: #${o.id} ${o.kind}${o.serials.length ? ` ${o.serials.length} device(s)` : ''} ${o.state}${o.lastError ? ` — ${o.lastError}` : ''}`),
  ];
  return `${lines.join('\n')}\n`;
}

interface CreateFlags {
  server: string;
  name?: string;
  fromJson?: string;
  url?: string;
  description?: string;
  department?: string;
  supportPhone?: string;
  supportEmail?: string;
  orgMagic?: string;
  supervised: boolean;
  removable: boolean;
  mandatory: boolean;
  pairing: boolean;
  skip?: string[];
  skipAll?: string;
  await?: string | boolean;
  autoAdvance?: boolean;
  language?: string;
  region?: string;
  anchor?: string[];
  customEnrollmentUrl?: string;
  timeZone?: string;
  autoLock?: string;
  passcodeGrace?: string;
  minIos?: string;
  minIosBuild?: string;
  minMacos?: string;
  minMacosBuild?: string;
  minOsMessage?: string;
  auth?: string;
  adminAccount?: string;
  adminFullName?: string;
  adminPasswordEnv?: string;
  adminHidden?: boolean;
  skipPrimaryAccount?: boolean;
  regularUsers?: boolean;
  draft?: boolean;
  format?: string;
}

function parseAuth(v: string | undefined): DepProfileForm['authentication'] | undefined {
  if (v === undefined) return undefined;
  if (v === 'prompt') return { mode: 'prompt' };
  if (v === 'anonymous') return { mode: 'skip', assignTo: 'anonymous' };
  const m = /^user:(.+)$/.exec(v);
  if (m) return { mode: 'skip', assignTo: 'defined', user: m[1] };
  throw new UsageError(`--auth must be prompt, anonymous or user:NAME, not "${v}"`);
}

function anchorBase64(file: string): string[] {
  const text = readInputFile(file, '--anchor');
  const s = text.toString('latin1');
  if (s.includes('-----BEGIN')) return [...s.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => m[1].replace(/\s+/g, ''));
  return [text.toString('base64')];
}

/** Builds the form (or Apple JSON) input from flags; flags given with --from-json override the file's form fields. */
function inputFromFlags(o: CreateFlags): Record<string, unknown> {
  let base: Record<string, unknown> = {};
  if (o.fromJson) {
    try {
      base = JSON.parse(readInputFile(o.fromJson, '--from-json').toString('utf8')) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`--from-json ${o.fromJson}: not JSON (${(err as Error).message})`);
    }
    if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new UsageError(`--from-json ${o.fromJson}: must hold a JSON object`);
    if ('profile_name' in base) return o.name ? { ...base, profile_name: o.name } : base;
  } else if (!o.name) {
    throw new UsageError('give --name (or --from-json FILE)');
  }
  const f: Partial<DepProfileForm> = { ...base };
  const set = <K extends keyof DepProfileForm>(k: K, v: DepProfileForm[K] | undefined) => { if (v !== undefined) (f as Record<string, unknown>)[k] = v; };
  set('name', o.name);
  set('url', o.url);
  set('description', o.description);
  set('department', o.department);
  set('supportPhone', o.supportPhone);
  set('supportEmail', o.supportEmail);
  set('orgMagic', o.orgMagic);
  if (!o.supervised) f.supervised = false;
  if (!o.removable) f.mdmRemovable = false;
  if (!o.mandatory) f.mdmMandatory = false;
  if (!o.pairing) f.allowPairing = false;
  const skip = [...(o.skip ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)];
  if (o.skipAll) {
    for (const spec of o.skipAll.split(',')) {
      const [os, min] = spec.split('@');
      const platform = SETUP_PLATFORMS.find((p) => p.toLowerCase() === os.trim().toLowerCase());
      if (!platform) throw new UsageError(`--skip-all: "${os}" is not one of ${SETUP_PLATFORMS.join(', ')} (optionally PLATFORM@MIN_VERSION)`);
      skip.push(...skipAllKeys(platform as SetupPlatform, min));
    }
  }
  if (skip.length) f.skipSetupItems = [...new Set([...(f.skipSetupItems as string[] | undefined ?? []), ...skip])];
  if (o.await !== undefined) {
    f.awaitDeviceConfigured = true;
    if (typeof o.await === 'string') f.awaitTimeLimitMinutes = parseNumber(o.await, '--await') as number;
  }
  if (o.autoAdvance) f.autoAdvance = true;
  set('language', o.language);
  set('region', o.region);
  if (o.anchor?.length) f.anchorCerts = o.anchor.flatMap(anchorBase64);
  if (o.customEnrollmentUrl) f.customEnrollment = o.customEnrollmentUrl === 'hosted' ? { enabled: true, mode: 'hosted' } : { enabled: true, mode: 'custom', url: o.customEnrollmentUrl };
  set('timeZone', o.timeZone);
  if (o.autoLock !== undefined) f.autoLockTime = parseNumber(o.autoLock, '--auto-lock', { integer: true });
  if (o.passcodeGrace !== undefined) f.passcodeLockGracePeriod = parseNumber(o.passcodeGrace, '--passcode-grace', { integer: true });
  if (o.minIos || o.minMacos) {
    f.minimumOs = {
      enabled: true,
      ...(o.minIos ? { iOS: { osVersion: o.minIos, ...(o.minIosBuild ? { buildVersion: o.minIosBuild } : {}) } } : {}),
      ...(o.minMacos ? { macOS: { osVersion: o.minMacos, ...(o.minMacosBuild ? { buildVersion: o.minMacosBuild } : {}) } } : {}),
      ...(o.minOsMessage ? { message: o.minOsMessage } : {}),
    };
  }
  set('authentication', parseAuth(o.auth));
  if (o.adminAccount || o.skipPrimaryAccount || o.regularUsers) {
    f.macosAccounts = {
      skipAdminAccountCreation: !o.adminAccount,
      skipPrimaryAccountCreation: o.skipPrimaryAccount === true,
      primaryAccountsAsRegularUsers: o.regularUsers === true,
      ...(o.adminAccount ? { managedAdmin: { accountName: o.adminAccount, fullName: o.adminFullName ?? o.adminAccount, hidden: o.adminHidden === true } } : {}),
    };
  }
  return f as Record<string, unknown>;
}

function secretsFromFlags(o: CreateFlags): { adminPassword?: string; confirmAdminPassword?: string } | undefined {
  if (!o.adminPasswordEnv) return undefined;
  const pw = secretFromEnv(o.adminPasswordEnv, '--admin-password-env');
  return { adminPassword: pw, confirmAdminPassword: pw };
}

function pushText(r: PushReport): string {
  const lines = r.items.map((i) => `${i.outcome.padEnd(11)} ${i.kind.padEnd(6)} ${i.profileName}: ${i.message}`);
  lines.push(`${r.sent} sent, ${r.failed} failed, ${r.remaining} still to send${r.unreachable ? ' — the server is unreachable; run push again when it is' : ''}`);
  return `${lines.join('\n')}\n`;
}

/** Registers `dep profile list|show|create|assign|set-default|delete|push` on the `dep` command group. */
export function registerDepProfileCommands(dep: Command, ctx: CliContext): void {
  const profile = dep.command('profile').description('ADE (DEP) profiles of an ABM server: Setup Assistant options, authentication, devices');

  profile.command('list')
    .description('list DEP profiles (default first), with device counts and sync state')
    .option('--server <ID>', 'only this ABM server (id or name)')
    .option('--format <FORMAT>', 'text or json', 'text')
    .action((o: { server?: string; format?: string }) => {
      const format = parseFormat(o.format);
      const s = services(ctx, false);
      const rows = s.profiles.list(o.server ? { serverId: s.serverId(o.server) } : {});
      if (format === 'json') printJson(rows);
      else process.stdout.write(profileTable(rows));
    });

  profile.command('show')
    .description('show one profile: Apple JSON, implied skip keys, warnings, queued sends')
    .argument('<ID>', 'profile id')
    .option('--format <FORMAT>', 'text or json', 'text')
    .action((id: string, o: { format?: string }) => {
      const format = parseFormat(o.format);
      const p = services(ctx, false).profiles.get(id);
      if (format === 'json') printJson(p);
      else process.stdout.write(showText(p));
    });

  profile.command('create')
    .description('create a DEP profile (saved locally and queued for Apple; send with: dep profile push)')
    .requiredOption('--server <ID>', 'ABM server (id or name)')
    .option('--name <NAME>', 'profile name (profile_name, ≤ 125 characters)')
    .option('--from-json <FILE>', 'read the form model or Apple\'s profile JSON from FILE (flags override)')
    .option('--url <URL>', 'MDM enrollment URL (default env STAGEBENCH_DEP_ENROLLMENT_URL)')
    .option('--description <TEXT>', 'description')
    .option('--department <TEXT>', 'department (≤ 125)')
    .option('--support-phone <PHONE>', 'support phone number (≤ 50)')
    .option('--support-email <EMAIL>', 'support email address (≤ 250)')
    .option('--org-magic <TEXT>', 'org_magic (≤ 256)')
    .option('--no-supervised', 'turn Supervised off (iOS 13+ / macOS 10.15+ are always supervised)')
    .option('--no-removable', 'MDM Removable off (needs Supervised)')
    .option('--no-mandatory', 'MDM Mandatory off')
    .option('--no-pairing', 'Allow Pairing off')
    .option('--skip <KEYS>', 'Setup Assistant panes to skip (Apple skip keys, comma-separated; repeatable)', collect)
    .option('--skip-all <PLATFORM[@MIN]>', 'skip every pane of iOS, macOS, tvOS or visionOS (at a minimum version)')
    .option('--await [MINUTES]', 'Await Device Configuration, with a time limit (default 3, max 10 minutes)')
    .option('--auto-advance', 'auto advance setup (tvOS, macOS 11+)')
    .option('--language <ISO639>', 'language (tvOS, macOS 11+)')
    .option('--region <ISO3166>', 'region (tvOS, macOS 11+)')
    .option('--anchor <FILE>', 'anchor certificate (PEM or DER; repeatable)', collect)
    .option('--custom-enrollment-url <URL|hosted>', 'custom enrollment web page: an https URL, or "hosted"')
    .option('--time-zone <IANA>', 'Time Zone, e.g. Europe/Berlin')
    .option('--auto-lock <SECONDS>', 'Auto Lock Time (≥ 120 s)')
    .option('--passcode-grace <SECONDS>', 'Passcode Lock Grace Period (0–14400 s)')
    .option('--min-ios <VERSION>', 'require minimum iOS version for enrollment')
    .option('--min-ios-build <BUILD>', 'minimum iOS build version')
    .option('--min-macos <VERSION>', 'require minimum macOS version for enrollment')
    .option('--min-macos-build <BUILD>', 'minimum macOS build version')
    .option('--min-os-message <TEXT>', 'message shown to the user when an update is required')
    .option('--auth <MODE>', 'prompt | anonymous | user:NAME (Edit Authentication)')
    .option('--admin-account <NAME>', 'macOS managed admin account name')
    .option('--admin-full-name <NAME>', 'macOS managed admin full name')
    .option('--admin-password-env <VAR>', 'environment variable holding the managed admin password')
    .option('--admin-hidden', 'hide the managed admin in Users & Groups')
    .option('--skip-primary-account', 'skip primary setup account creation (needs the managed admin)')
    .option('--regular-users', 'create primary accounts as regular users (needs the managed admin)')
    .option('--draft', 'save without queueing a send to Apple')
    .option('--format <FORMAT>', 'text or json', 'text')
    .action((o: CreateFlags) => {
      const format = parseFormat(o.format);
      const secrets = secretsFromFlags(o);
      const input = inputFromFlags(o);
      const s = services(ctx, !!secrets);
      const p = s.profiles.create(s.serverId(o.server), input, { secrets, draft: o.draft });
      if (format === 'json') printJson(p);
      else process.stdout.write(showText(p));
    });

  profile.command('assign')
    .description('assign devices (not yet enrolled, same ABM server) to a profile; queued for Apple')
    .argument('<PROFILE_ID>', 'profile id')
    .argument('[SERIAL...]', 'device serial numbers')
    .option('--all-unassigned', 'every device of the server without a profile')
    .option('--format <FORMAT>', 'text or json', 'text')
    .action((id: string, serials: string[], o: { allUnassigned?: boolean; format?: string }) => {
      const format = parseFormat(o.format);
      if (o.allUnassigned && serials.length) throw new UsageError('give serial numbers or --all-unassigned, not both');
      if (!o.allUnassigned && serials.length === 0) throw new UsageError('give device serial numbers or --all-unassigned');
      const svc = services(ctx, false).profiles;
      const r = o.allUnassigned ? svc.assignAllUnassigned(id) : svc.assign(id, serials);
      if (format === 'json') printJson(r);
      else process.stdout.write(`${r.assigned.length} device(s) assigned (queued for Apple), ${r.unchanged.length} already on the profile\n`);
    });

  profile.command('set-default')
    .description('make a profile the default of its server (new devices get it)')
    .argument('<ID>', 'profile id')
    .action((id: string) => {
      const p = services(ctx, false).profiles.setDefault(id);
      process.stdout.write(`"${p.name}" is now the default profile of ${p.serverName}\n`);
    });

  profile.command('delete')
    .description('delete a non-default profile; its devices move to the default')
    .argument('<ID>', 'profile id')
    .action((id: string) => {
      const r = services(ctx, false).profiles.delete(id);
      process.stdout.write(`deleted; ${r.reassigned} device(s) moved to the default profile\n`);
    });

  profile.command('push')
    .description('send queued profile definitions and assignments to Apple')
    .requiredOption('--server <ID>', 'ABM server (id or name)')
    .option('--retry-errors', 'queue again the sends Apple refused before')
    .option('--format <FORMAT>', 'text or json', 'text')
    .action(async (o: { server: string; retryErrors?: boolean; format?: string }) => {
      const format = parseFormat(o.format);
      const s = services(ctx, true);
      const id = s.serverId(o.server);
      if (o.retryErrors) s.profiles.retryErrors(id);
      const r = await s.profiles.pushPending(id);
      if (format === 'json') printJson(r);
      else process.stdout.write(pushText(r));
      if (r.failed > 0 || r.unreachable) throw new ReportedFailure();
    });
}
