/**
 * `stagebench dep server|token|sync|test|devices` — ABM servers and tokens, device sync and the
 * ADE device list (Ivanti "Admin > Apple > Device Enrollment": Download Public Key, Upload New
 * Token, Test Connection, Full Sync, Delete). Progress goes to stderr; results to stdout.
 * Exit 2 on invalid input (bad option, unknown server, bad token file), 1 when an operation fails.
 */
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import {
  createDepServerService, DEVICE_SORT_COLUMNS, SERVER_SORT_COLUMNS,
  type DepClientEvent, type DepDeviceRow, type DepServerRow, type DepServerService, type SyncProgress,
} from '../../dep';
import type { SecretBox } from '../../secrets';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { parseNumber, readInputFile, writeOutputFile } from '../options';
import { formatTable, parseFormat, printJson } from '../output';

function service(ctx: CliContext, needsSecrets: boolean, verbose = true): DepServerService {
  const db = ctx.app(needsSecrets).db;
  const box: SecretBox = needsSecrets ? ctx.secretBox() : { seal: (p) => ctx.secretBox().seal(p), open: (s) => ctx.secretBox().open(s) };
  return createDepServerService(db, box, ctx.actor, {
    onClientEvent: verbose ? (_id: string, e: DepClientEvent) => process.stderr.write(`${describeEvent(e)}\n`) : undefined,
  });
}

function describeEvent(e: DepClientEvent): string {
  switch (e.kind) {
    case 'retry':
      return `${e.endpoint}: ${e.message}; retrying in ${(e.delayMs / 1000).toFixed(1)} s (attempt ${e.attempt + 1})`;
    case 'reauth':
      return `${e.endpoint}: session expired; authenticating again`;
    case 'throttled':
      return `${e.endpoint}: Apple throttled ${e.serials} devices; retrying them in ${(e.delayMs / 1000).toFixed(1)} s`;
  }
}

function sortDirection(desc: boolean | undefined): 'asc' | 'desc' {
  return desc ? 'desc' : 'asc';
}

function serverTable(rows: DepServerRow[]): string {
  return formatTable(rows, [
    { header: 'ID', cell: (r) => r.id },
    { header: 'NAME', cell: (r) => r.name },
    { header: 'APPLE ACCOUNT', cell: (r) => r.appleAccount },
    { header: 'ORG', cell: (r) => r.orgName },
    { header: 'DEVICES', cell: (r) => r.deviceCount },
    { header: 'PROFILES', cell: (r) => r.profileCount },
    { header: 'LAST SYNC', cell: (r) => (r.lastSyncAt ? `${r.lastSyncAt.slice(0, 19).replace('T', ' ')}${r.lastSyncStatus === 'failed' ? ' (failed)' : ''}` : null) },
    { header: 'TOKEN EXPIRES', cell: (r) => (r.tokenExpires ? `${r.tokenExpires.slice(0, 10)}${r.tokenWarning && r.tokenWarning.level !== 'none' ? ` (${r.tokenWarning.level})` : ''}` : 'no token') },
  ]);
}

const DEVICE_COLUMNS: (keyof DepDeviceRow)[] = [
  'server_name', 'serial_number', 'model', 'description', 'color', 'asset_tag', 'os', 'device_family', 'profile_status', 'profile_uuid',
  'profile_assign_time', 'profile_push_time', 'device_assigned_date', 'device_assigned_by', 'op_type', 'op_date',
];

/** Registers the ABM server, token, sync, test and device commands on the `dep` group. */
export function registerDepServerCommands(dep: Command, ctx: CliContext): void {
  const server = dep.command('server').description('ABM servers (MDM servers in Apple Business Manager)');

  server
    .command('add')
    .description('add an ABM server: generates its key pair; upload the public key to Apple Business Manager')
    .requiredOption('--name <name>', 'a name for the server (e.g. the MDM server name in ABM)')
    .option('--base-url <url>', 'Device Assignment service URL (default https://mdmenrollment.apple.com)')
    .option('--out-public-key <file>', 'write the public key certificate (PEM) to upload to ABM')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { name: string; baseUrl?: string; outPublicKey?: string; format?: string }) => {
      const format = parseFormat(o.format);
      const { server: row, publicKeyPem } = service(ctx, true).add({ name: o.name, baseUrl: o.baseUrl });
      if (o.outPublicKey) writeOutputFile(o.outPublicKey, publicKeyPem, '--out-public-key');
      if (format === 'json') printJson(row);
      else process.stdout.write(`Added ABM server ${row.name} (${row.id})\n${o.outPublicKey ? `Public key written to ${o.outPublicKey}; upload it` : 'Download the public key (stagebench dep server public-key ID --out FILE) and upload it'} in Apple Business Manager, then upload the server token (stagebench dep token upload ${row.id} FILE_smime.p7m)\n`);
    });

  server
    .command('list')
    .description('list ABM servers: name, Apple account, devices, profiles, last sync, token expiry')
    .option('--search <text>', 'only servers whose name, Apple account or organisation contains the text')
    .option('--sort <column>', `sort by: ${Object.keys(SERVER_SORT_COLUMNS).join(', ')}`, 'name')
    .option('--desc', 'sort descending')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { search?: string; sort: string; desc?: boolean; format?: string }) => {
      const format = parseFormat(o.format);
      const rows = service(ctx, false).list({ search: o.search, sort: o.sort, direction: sortDirection(o.desc) });
      if (format === 'json') printJson(rows);
      else {
        process.stdout.write(serverTable(rows));
        for (const r of rows) if (r.tokenWarning && r.tokenWarning.level !== 'none') process.stderr.write(`warning: ${r.name}: ${r.tokenWarning.message}\n`);
      }
    });

  server
    .command('public-key <server>')
    .description('"Download Public Key": write the PEM certificate to upload to Apple Business Manager')
    .requiredOption('--out <file>', 'output PEM file')
    .action((id: string, o: { out: string }) => {
      writeOutputFile(o.out, service(ctx, false).publicKey(id));
      process.stdout.write(`Public key written to ${o.out}\n`);
    });

  server
    .command('set-base-url <server> <url>')
    .description('change the Device Assignment service URL of a server (e.g. a simulator)')
    .action((id: string, url: string) => {
      const row = service(ctx, false).setBaseUrl(id, url);
      process.stdout.write(`${row.name}: base URL ${row.baseUrl}\n`);
    });

  server
    .command('delete <server>')
    .description('delete an ABM server with its devices, sync state and results (refused while syncing)')
    .action((id: string) => {
      const svc = service(ctx, false);
      const row = svc.get(id);
      svc.delete(id);
      process.stdout.write(`Deleted ABM server ${row.name} (${row.id})\n`);
    });

  const token = dep.command('token').description('ABM server tokens (*_smime.p7m)');
  token
    .command('upload <server> <file>')
    .description('"Upload New Token": decrypt the server token with the server key and keep it sealed')
    .option('--confirm-new-consumer-key', 'accept a token whose consumer_key differs from the current one (another MDM server in ABM)')
    .option('--format <fmt>', 'text or json', 'text')
    .action((id: string, file: string, o: { confirmNewConsumerKey?: boolean; format?: string }) => {
      const format = parseFormat(o.format);
      const r = service(ctx, true).uploadToken(id, readInputFile(file, 'token file'), { confirmNewConsumerKey: o.confirmNewConsumerKey });
      if (format === 'json') printJson({ server: r.server, consumerKeyChanged: r.consumerKeyChanged, tokenExpires: r.tokenExpires, warning: r.warning, keyTransport: r.keyTransport, contentCipher: r.contentCipher });
      else process.stdout.write(`Token uploaded for ${r.server.name}; Token Expires ${r.tokenExpires.slice(0, 10)}${r.consumerKeyChanged ? ' (new consumer key: the next sync is a full sync)' : ''}\n`);
      if (r.warning.level !== 'none') process.stderr.write(`warning: ${r.warning.message}\n`);
    });

  dep
    .command('test <server>')
    .description('"Test Connection": authenticate with the server token and read the Apple account')
    .option('--format <fmt>', 'text or json', 'text')
    .action(async (id: string, o: { format?: string }) => {
      const format = parseFormat(o.format);
      const r = await service(ctx, true).testConnection(id);
      if (format === 'json') printJson({ ok: true, account: r.account });
      else process.stdout.write(`Connection OK: ${r.account.server_name} — ${r.account.org_name} (Apple account ${r.account.admin_id})\n`);
      if (r.server.tokenWarning && r.server.tokenWarning.level !== 'none') process.stderr.write(`warning: ${r.server.tokenWarning.message}\n`);
    });

  dep
    .command('sync <server>')
    .description('sync devices from Apple (incremental; --full restarts the full listing)')
    .option('--full', '"Device Enrollment Full Sync": list every device again')
    .option('--limit <n>', 'devices per page (1-1000)', '1000')
    .option('--format <fmt>', 'text or json', 'text')
    .action(async (id: string, o: { full?: boolean; limit: string; format?: string }) => {
      const format = parseFormat(o.format);
      const limit = parseNumber(o.limit, '--limit', { integer: true, min: 1 })!;
      if (limit > 1000) throw new UsageError(`--limit must be at most 1000 (Apple's maximum), not ${limit}`);
      const onProgress = (p: SyncProgress): void => {
        process.stderr.write(`${p.message} (+${p.added} ~${p.modified} -${p.deleted})\n`);
      };
      const r = await service(ctx, true).sync(id, { full: o.full, limit, onProgress });
      if (format === 'json') printJson(r);
      else process.stdout.write(`Sync ${r.mode === 'full' ? '(full) ' : ''}done: ${r.received} records in ${r.pages} pages; ${r.added} added, ${r.modified} modified, ${r.deleted} deleted, ${r.pruned} no longer assigned; ${(r.durationMs / 1000).toFixed(1)} s\n`);
    });

  dep
    .command('devices')
    .description('ADE devices synced from Apple Business Manager')
    .option('--server <server>', 'only this server (id or name)')
    .option('--search <text>', 'serial number, model, description, asset tag, color or profile_uuid contains the text')
    .option('--sort <column>', `sort by: ${Object.keys(DEVICE_SORT_COLUMNS).join(', ')}`, 'serial_number')
    .option('--desc', 'sort descending')
    .option('--format <fmt>', 'text, json or csv', 'text')
    .action((o: { server?: string; search?: string; sort: string; desc?: boolean; format?: string }) => {
      const fmt = (o.format ?? 'text').toLowerCase();
      if (!['text', 'json', 'csv'].includes(fmt)) throw new UsageError(`--format must be text, json or csv, not "${o.format}"`);
      const rows = service(ctx, false).devices({ serverId: o.server, search: o.search, sort: o.sort, direction: sortDirection(o.desc) });
      if (fmt === 'json') printJson(rows);
      else if (fmt === 'csv') process.stdout.write(stringify(rows.map((r) => DEVICE_COLUMNS.map((c) => r[c] ?? '')), { header: true, columns: DEVICE_COLUMNS, record_delimiter: 'windows' }));
      else process.stdout.write(formatTable(rows, [
        { header: 'SERIAL', cell: (r) => r.serial_number },
        { header: 'MODEL', cell: (r) => r.model },
        { header: 'OS', cell: (r) => r.os },
        { header: 'PROFILE STATUS', cell: (r) => r.profile_status },
        { header: 'PROFILE UUID', cell: (r) => r.profile_uuid },
        { header: 'ASSIGNED', cell: (r) => r.device_assigned_date?.slice(0, 10) },
        { header: 'SERVER', cell: (r) => r.server_name },
      ]));
    });
}
