/**
 * Registration commands: `users import|list|export|add|delete`, `invite`, `invitations
 * list|revoke|resend`, `registration settings show|set`, `registration verify-pin`.
 *
 * Registration PINs are printed once, in the output of `invite` / `invitations resend` (and in
 * the --pdf sheets); they are never stored in clear. `verify-pin` reads the PIN from the
 * environment variable named by --pin-env, never from argv. Exit 2 for invalid input (the message
 * names the field), 1 when the operation fails.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { formatTable, parseFormat, printJson } from '../output';
import { parseNumber, readInputFile, secretFromEnv, writeOutputFile } from '../options';
import { createRegistrationService, REQUIREMENT_LABELS, type IssuedInvitation, type RegistrationService, type RegistrationSettings, type RegistrationSettingsPatch } from '../../registration';
import type { SecretBox } from '../../secrets';

/** The registration service of this CLI run: the app's when wired, else one over the app's cache. */
function registration(ctx: CliContext): RegistrationService {
  const app = ctx.app(false) as ReturnType<CliContext['app']> & { registration?: RegistrationService };
  if (app.registration) return app.registration;
  const box: SecretBox = { seal: (p) => ctx.secretBox().seal(p), open: (s) => ctx.secretBox().open(s) };
  return createRegistrationService(app.db, box, ctx.actor);
}

/** Registers the `users`, `invite`, `invitations` and `registration` command groups. */
export function registerRegistrationCommands(program: Command, ctx: CliContext): void {
  registerUsers(program, ctx);
  registerInvite(program, ctx);
  registerInvitations(program, ctx);
  registerSettings(program, ctx);
}

function registerUsers(program: Command, ctx: CliContext): void {
  const users = program.command('users').description('registration users: local users and users imported from the LDAP directory');

  users
    .command('import <file.csv>')
    .description('import users from CSV (header row: email, first name, last name, source, dn, role, language; aliases accepted). A file with bad rows changes nothing unless --accept-valid-rows')
    .option('--accept-valid-rows', 'import the valid rows even when other rows are rejected')
    .option('--format <fmt>', 'text or json', 'text')
    .action((file: string, o: { acceptValidRows?: boolean; format?: string }) => {
      const format = parseFormat(o.format);
      const text = readInputFile(file, 'users import').toString('utf8');
      const r = registration(ctx).users.importCsv(text, { acceptValidRows: o.acceptValidRows === true });
      if (format === 'json') printJson(r);
      else {
        for (const n of r.notes) process.stderr.write(`note: ${n}\n`);
        for (const e of r.errors) process.stderr.write(`line ${e.line}, ${e.field}: ${e.message}\n`);
        if (r.written) process.stdout.write(`Imported ${file}: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected\n`);
        else process.stderr.write(`nothing imported: ${r.rejected} of ${r.rows} rows rejected; fix them, or rerun with --accept-valid-rows to import the ${r.rows - r.rejected} valid rows\n`);
      }
      if (!r.written) throw new ReportedFailure(2);
    });

  users
    .command('list')
    .description('list users')
    .option('--search <text>', 'part of the email, first or last name')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { search?: string; format?: string }) => {
      const format = parseFormat(o.format);
      const rows = registration(ctx).users.list(o.search);
      if (format === 'json') printJson(rows);
      else process.stdout.write(formatTable(rows, [
        { header: 'EMAIL', cell: (r) => r.email },
        { header: 'NAME', cell: (r) => `${r.firstName} ${r.lastName}`.trim() },
        { header: 'SOURCE', cell: (r) => r.source.toUpperCase() },
        { header: 'ROLE', cell: (r) => r.role },
        { header: 'LANG', cell: (r) => r.language },
        { header: 'ID', cell: (r) => r.id },
      ]));
    });

  users
    .command('export')
    .description('export every user as CSV (re-importable)')
    .requiredOption('--out <file.csv>', 'CSV file to write ("-" for stdout)')
    .action((o: { out: string }) => {
      const csv = registration(ctx).users.exportCsv();
      if (o.out === '-') process.stdout.write(csv);
      else {
        writeOutputFile(o.out, csv);
        process.stderr.write(`Wrote ${o.out}\n`);
      }
    });

  users
    .command('add')
    .description('add a local user (the email address is the registration user name)')
    .requiredOption('--email <email>', 'email address')
    .option('--first-name <name>', 'first name')
    .option('--last-name <name>', 'last name')
    .option('--role <role>', 'none, user-portal, or device-registration (User Portal role with the Device Registration option)', 'device-registration')
    .option('--language <lang>', 'invitation language: en, de or fr (default: the registration settings default)')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { email: string; firstName?: string; lastName?: string; role?: string; language?: string; format?: string }) => {
      const format = parseFormat(o.format);
      const u = registration(ctx).users.add({ email: o.email, firstName: o.firstName, lastName: o.lastName, role: o.role as never, language: o.language });
      if (format === 'json') printJson(u);
      else process.stdout.write(`Added ${u.email} (${u.role}) as ${u.id}\n`);
    });

  users
    .command('delete <user>')
    .description('delete a user (email or id) and their invitations')
    .action((ref: string) => {
      const u = registration(ctx).users.delete(ref);
      process.stdout.write(`Deleted ${u.email}\n`);
    });
}

/** Prints issued invitations (the one time their PINs are shown) and writes the PDF when asked. */
function reportIssued(list: IssuedInvitation[], pdf: Buffer | undefined, pdfPath: string | undefined, format: 'text' | 'json'): void {
  if (pdf && pdfPath) writeOutputFile(pdfPath, pdf, '--pdf');
  const view = list.map((i) => ({
    id: i.id, email: i.email, platform: i.platform, language: i.language, registrationUrl: i.registrationUrl, serverEntry: i.serverEntry,
    pin: i.pin, pinExpiresAt: i.pinExpiresAt, mirpUrl: i.mirpUrl, status: i.status, resendCount: i.resendCount,
  }));
  if (format === 'json') printJson({ invitations: view, pdf: pdfPath ?? null });
  else {
    for (const v of view) {
      process.stdout.write(`${v.email}  invitation ${v.id}\n  registration URL: ${v.registrationUrl}\n  enter in the app: ${v.serverEntry}\n`);
      process.stdout.write(v.pin ? `  registration PIN: ${v.pin}  (expires ${v.pinExpiresAt}; shown only now)\n` : '  no registration PIN (not required by the settings)\n');
      if (v.mirpUrl) process.stdout.write(`  app link: ${v.mirpUrl}\n`);
    }
    if (pdfPath) process.stderr.write(`Wrote ${list.length} invitation sheet(s) to ${pdfPath}\n`);
  }
}

function registerInvite(program: Command, ctx: CliContext): void {
  program
    .command('invite <user...>')
    .description('invite users (email or id) to register a device: registration URL, one-time registration PIN (printed once) and QR codes')
    .option('--pdf <file.pdf>', 'also write printable invitation sheets, one page per user')
    .option('--language <lang>', 'invitation language en, de or fr (default: each user\'s language)')
    .option('--platform <platform>', 'ios (iPhone/iPad) or macos', 'ios')
    .option('--format <fmt>', 'text or json', 'text')
    .action(async (refs: string[], o: { pdf?: string; language?: string; platform?: string; format?: string }) => {
      const format = parseFormat(o.format);
      const r = await registration(ctx).invitations.invite(refs, { language: o.language, platform: o.platform, pdf: Boolean(o.pdf) });
      reportIssued(r.invitations, r.pdf, o.pdf, format);
    });
}

function registerInvitations(program: Command, ctx: CliContext): void {
  const inv = program.command('invitations').description('registration invitations');

  inv
    .command('list')
    .description('list invitations, newest first (PINs are never shown again)')
    .option('--user <user>', 'only this user (email or id)')
    .option('--status <status>', 'sent, used, expired, revoked, superseded or locked')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { user?: string; status?: string; format?: string }) => {
      const format = parseFormat(o.format);
      const rows = registration(ctx).invitations.list({ user: o.user, status: o.status });
      if (format === 'json') printJson(rows);
      else process.stdout.write(formatTable(rows, [
        { header: 'ID', cell: (r) => r.id },
        { header: 'EMAIL', cell: (r) => r.email },
        { header: 'STATUS', cell: (r) => r.status },
        { header: 'PIN', cell: (r) => (r.hasPin ? 'yes' : 'no') },
        { header: 'PIN EXPIRES', cell: (r) => r.pinExpiresAt },
        { header: 'PLATFORM', cell: (r) => r.platform },
        { header: 'RESENT', cell: (r) => r.resendCount },
        { header: 'SENT', cell: (r) => r.lastSentAt },
      ]));
    });

  inv
    .command('revoke <id>')
    .description('revoke an invitation (its PIN stops working)')
    .option('--format <fmt>', 'text or json', 'text')
    .action((id: string, o: { format?: string }) => {
      const format = parseFormat(o.format);
      const row = registration(ctx).invitations.revoke(id);
      if (format === 'json') printJson(row);
      else process.stdout.write(`Revoked invitation ${row.id} (${row.email})\n`);
    });

  inv
    .command('resend <id>')
    .description('resend an invitation with a new registration PIN (printed once); the old PIN stops working')
    .option('--pdf <file.pdf>', 'also write the printable invitation sheet')
    .option('--format <fmt>', 'text or json', 'text')
    .action(async (id: string, o: { pdf?: string; format?: string }) => {
      const format = parseFormat(o.format);
      const r = await registration(ctx).invitations.resend(id, { pdf: Boolean(o.pdf) });
      reportIssued(r.invitations, r.pdf, o.pdf, format);
    });
}

function onOff(v: string | undefined, flag: string): boolean | undefined {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(s)) return true;
  if (['off', 'false', 'no', '0'].includes(s)) return false;
  throw new UsageError(`${flag} must be on or off, not "${v}"`);
}

function requirement(v: string | undefined): RegistrationSettingsPatch['inAppRequirement'] {
  if (v === undefined) return undefined;
  const key = v.toLowerCase().replace(/[^a-z]/g, '');
  const map: Record<string, RegistrationSettingsPatch['inAppRequirement']> = {
    password: 'password', pin: 'pin', registrationpin: 'pin', passwordandpin: 'password-and-pin',
    passwordandregistrationpin: 'password-and-pin', userandpin: 'user-and-pin', userandregistrationpin: 'user-and-pin',
  };
  return map[key] ?? (v as never); // an unknown value is reported by the service, naming the field
}

const SETTING_ROWS: [keyof RegistrationSettings, string, (s: RegistrationSettings) => string][] = [
  ['serverUrl', 'Server URL', (s) => s.serverUrl ?? '(not set)'],
  ['registrationUrlStyle', 'Registration URL style', (s) => s.registrationUrlStyle],
  ['customRegistrationUrl', 'Custom registration URL', (s) => s.customRegistrationUrl ?? '-'],
  ['pinLength', 'Registration PIN length', (s) => `${s.pinLength} digits`],
  ['pinLifetimeHours', 'Registration PIN lifetime', (s) => `${s.pinLifetimeHours} hours`],
  ['inAppRequirement', 'In-App Registration Requirement', (s) => REQUIREMENT_LABELS[s.inAppRequirement]],
  ['webRequirement', 'Apple Web-based Registration Requirement', (s) => REQUIREMENT_LABELS[s.webRequirement]],
  ['silentInAppOnly', 'Allow silent in-app registration only', (s) => (s.silentInAppOnly ? 'on' : 'off')],
  ['silentInAppMinutes', 'Silent in-app registration time limit', (s) => `${s.silentInAppMinutes} minutes`],
  ['samlWebRegistration', 'SAML-based registration (web)', (s) => (s.samlWebRegistration ? 'on' : 'off')],
  ['emailIfProfileNotInstalled', 'Send email if MDM profile not installed', (s) => (s.emailIfProfileNotInstalled ? 'on' : 'off')],
  ['serverNameLookup', 'Server Name Lookup', (s) => (s.serverNameLookup ? 'on' : 'off')],
  ['defaultLanguage', 'Default invitation language', (s) => s.defaultLanguage],
];

function printSettings(reg: RegistrationService, format: 'text' | 'json'): void {
  const s = reg.settings.get();
  const derived = { registrationUrl: reg.settings.registrationUrl(), invitationNeedsPin: reg.settings.invitationNeedsPin() };
  if (format === 'json') {
    printJson({ ...s, ...derived });
    return;
  }
  const width = Math.max(...SETTING_ROWS.map((r) => r[1].length));
  for (const [, label, value] of SETTING_ROWS) process.stdout.write(`${label.padEnd(width)}  ${value(s)}\n`);
  process.stdout.write(`${'Invitations carry a registration PIN'.padEnd(width)}  ${derived.invitationNeedsPin ? 'yes' : 'no'}\n`);
  process.stdout.write(`${'Registration URL'.padEnd(width)}  ${derived.registrationUrl ?? '(set the server URL)'}\n`);
}

function registerSettings(program: Command, ctx: CliContext): void {
  const reg = program.command('registration').description('Device Registration settings and the registration PIN check');
  const settings = reg.command('settings').description('Device Registration settings (Settings > Users & Devices > Device Registration)');

  settings
    .command('show')
    .description('show the registration settings')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { format?: string }) => printSettings(registration(ctx), parseFormat(o.format)));

  settings
    .command('set')
    .description('change registration settings (only the options given)')
    .option('--server-url <url>', 'tenant server URL, https://host')
    .option('--registration-url-style <style>', 'epmm (…/go), neurons (…/ireg/index.html) or custom')
    .option('--registration-url <url>', 'custom registration URL (https); sets the style to custom')
    .option('--pin-length <n>', 'Registration PIN length, 4–12 digits')
    .option('--pin-lifetime-hours <h>', 'Registration PIN lifetime in hours, 1–4320')
    .option('--in-app-requirement <r>', 'password, pin, password-and-pin or user-and-pin')
    .option('--web-requirement <r>', 'Apple Web-based Registration Requirement: password, pin, password-and-pin or user-and-pin')
    .option('--silent-in-app-only <on|off>', 'Allow silent in-app registration only')
    .option('--silent-in-app-minutes <m>', 'silent in-app registration time limit in minutes (default 240)')
    .option('--saml <on|off>', 'SAML-based registration for Apple Web-based registration')
    .option('--email-if-profile-missing <on|off>', 'send email to device user if the MDM profile is not installed')
    .option('--server-name-lookup <on|off>', 'Server Name Lookup: invitations ask for the email domain instead of the server URL')
    .option('--default-language <lang>', 'en, de or fr')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: Record<string, string | undefined>) => {
      const format = parseFormat(o.format);
      const patch: RegistrationSettingsPatch = {
        serverUrl: o.serverUrl,
        registrationUrlStyle: (o.registrationUrl !== undefined && o.registrationUrlStyle === undefined ? 'custom' : o.registrationUrlStyle) as never,
        customRegistrationUrl: o.registrationUrl,
        pinLength: parseNumber(o.pinLength, '--pin-length', { integer: true }),
        pinLifetimeHours: parseNumber(o.pinLifetimeHours, '--pin-lifetime-hours', { integer: true }),
        inAppRequirement: requirement(o.inAppRequirement),
        webRequirement: requirement(o.webRequirement),
        silentInAppOnly: onOff(o.silentInAppOnly, '--silent-in-app-only'),
        silentInAppMinutes: parseNumber(o.silentInAppMinutes, '--silent-in-app-minutes', { integer: true }),
        samlWebRegistration: onOff(o.saml, '--saml'),
        emailIfProfileNotInstalled: onOff(o.emailIfProfileMissing, '--email-if-profile-missing'),
        serverNameLookup: onOff(o.serverNameLookup, '--server-name-lookup'),
        defaultLanguage: o.defaultLanguage as never,
      };
      const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as RegistrationSettingsPatch;
      if (!Object.keys(given).length) throw new UsageError('registration settings set: give at least one setting to change (see --help)');
      const service = registration(ctx);
      service.settings.set(given);
      printSettings(service, format);
    });

  reg
    .command('verify-pin')
    .description('check a registration PIN for a user as the registration flow does (a match uses it up); the PIN comes from an environment variable')
    .requiredOption('--email <email>', 'registration user name')
    .requiredOption('--pin-env <var>', 'environment variable holding the PIN')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { email: string; pinEnv: string; format?: string }) => {
      const format = parseFormat(o.format);
      const r = registration(ctx).verifyPin(o.email, secretFromEnv(o.pinEnv, '--pin-env'));
      if (format === 'json') printJson(r);
      else process.stdout.write(r.ok ? `PIN accepted for ${r.email} (invitation ${r.invitationId}); it cannot be used again\n` : `PIN refused: ${r.reason}\n`);
      if (!r.ok) throw new ReportedFailure(1);
    });
}
