/**
 * `stagebench sync …` — offline-first sync with the Ivanti tenant:
 *   sync [run] [--once] [--rows N] [--format json]  sync now (--once: one run and exit; else keep syncing until Ctrl-C)
 *   sync status [--format json]                  progress, last success, pending, conflicts, online
 *   sync conflicts [--all] [--format json]       conflicts kept by push
 *   sync resolve ID --keep-mine|--take-theirs    resolve one conflict
 *   sync outbox [--format json]                  local changes not yet acknowledged
 *   sync configure --url URL --user U --password-env VAR [--partition NAME]
 * The password comes from the environment variable named by --password-env and is stored sealed.
 * Exit 0 ok, 1 the sync failed (offline, refused credentials, entries rejected), 2 invalid input.
 */
import type { Command } from 'commander';
import type { SecretBox } from '../../secrets';
import { createSyncService, type SyncResult, type SyncService, type SyncStatus } from '../../sync';
import { localLinkHooks } from '../../sync/local-links';
import type { CliContext } from '../context';
import { ReportedFailure, UsageError } from '../errors';
import { parseNumber, secretFromEnv } from '../options';
import { formatTable, parseFormat, printJson } from '../output';

const INPUT = new Set(['TenantInputError', 'SyncInputError', 'SyncNotFoundError']);

/** The sync service: the app's when it has one wired, else one over the app's cache. */
function service(ctx: CliContext, cache: { svc?: SyncService }, rows?: number): SyncService {
  if (cache.svc) return cache.svc;
  const app = ctx.app(false);
  const wired = (app as unknown as { sync?: SyncService }).sync;
  const box: SecretBox = { seal: (p) => ctx.secretBox().seal(p), open: (s) => ctx.secretBox().open(s) };
  cache.svc = wired && rows === undefined ? wired : createSyncService(app.db, box, ctx.actor, { rows, hooks: localLinkHooks(app.db, ctx.actor) });
  return cache.svc;
}

async function guard<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (INPUT.has((err as Error).name)) throw new UsageError((err as Error).message);
    throw err;
  }
}

function describeResult(r: SyncResult, s: SyncStatus): string {
  const pulled = Object.entries(r.pulled).map(([k, v]) => `${k}s ${v!.upserted} updated, ${v!.deleted} deleted${v!.skippedPending ? `, ${v!.skippedPending} kept (local changes pending)` : ''}${v!.sweepComplete ? '' : ' (sweep continues next run)'}`);
  return [
    `sync ${r.ok ? 'done' : 'stopped'}: pushed ${r.pushed}, new conflicts ${r.conflicts}, rejected ${r.failed}${pulled.length ? `; pulled ${pulled.join('; ')}` : ''}`,
    `pending ${s.pending}, open conflicts ${s.conflicts}, failed ${s.failed}, mirror ${s.mirror.devices} devices / ${s.mirror.users} users`,
    ...(s.conflicts ? ['resolve conflicts with `stagebench sync conflicts` and `stagebench sync resolve ID --keep-mine|--take-theirs`'] : []),
  ].join('\n') + '\n';
}

function describeStatus(s: SyncStatus): string {
  const lines = [
    `tenant:        ${s.configured ? `${s.tenantUrl} as ${s.user}, device space ${s.partitionName ?? '(default)'}${s.partitionId ? ` [dmPartitionId ${s.partitionId}]` : ''}` : 'not configured (stagebench sync configure …)'}`,
    `online:        ${s.online === null ? 'unknown' : s.online ? 'yes' : 'no'}`,
    `running:       ${s.running ? `${s.progress.phase} ${s.progress.stream ?? ''} ${s.progress.done}/${s.progress.total ?? '?'}` : 'no'}`,
    `last success:  ${s.lastSuccessAt ?? 'never'}`,
    `last attempt:  ${s.lastAttemptAt ?? 'never'}`,
    `last error:    ${s.lastError ?? '-'}`,
    `pending:       ${s.pending}`,
    `conflicts:     ${s.conflicts}`,
    `failed:        ${s.failed}`,
    `mirror:        ${s.mirror.devices} devices, ${s.mirror.users} users`,
    ...s.checkpoints.map((c) => `pull ${c.stream.padEnd(8)} ${c.sweepInProgress ? `sweep in progress at ${c.nextStart}/${c.totalCount ?? '?'}` : 'idle'}, last complete ${c.lastCompleteAt ?? 'never'}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** Registers `sync` and its subcommands on `program`. */
export function registerSyncCommands(program: Command, ctx: CliContext): void {
  const cache: { svc?: SyncService } = {};
  const sync = program.command('sync')
    .description('offline-first sync with the Ivanti Neurons for MDM / EPMM tenant (devices, users)');

  // `stagebench sync [--once]` runs this default subcommand, so `sync` itself has no options that
  // could swallow a subcommand's (`sync status --format json`).
  sync.command('run', { isDefault: true })
    .description('sync now: push local changes, pull devices and users (default subcommand of `sync`)')
    .option('--once', 'one sync run, then exit (default: keep syncing until interrupted)')
    .option('--rows <n>', 'pull page size, 1–500', '500')
    .option('--interval <seconds>', 'with no --once: seconds between runs', '300')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { once?: boolean; rows?: string; interval?: string; format?: string }) => guard(async () => {
      const format = parseFormat(o.format);
      const rows = parseNumber(o.rows, '--rows', { integer: true, min: 1 })!;
      if (rows > 500) throw new UsageError('--rows must be at most 500 (the tenant API limit)');
      const svc = service(ctx, cache, rows === 500 ? undefined : rows);
      if (o.once) {
        const r = await svc.syncNow();
        const s = svc.status();
        if (format === 'json') printJson({ result: r, status: s });
        else process.stdout.write(describeResult(r, s));
        if (!r.ok) {
          process.stderr.write(`stagebench: sync stopped: ${r.error}${r.errorKind === 'TenantUnavailableError' ? ' (offline: local changes stay queued)' : ''}\n`);
          throw new ReportedFailure();
        }
        if (r.failed || s.failed) throw new ReportedFailure();
        return;
      }
      const interval = parseNumber(o.interval, '--interval', { min: 5 })!;
      const svc2 = createSyncService(ctx.app(false).db, { seal: (p) => ctx.secretBox().seal(p), open: (s) => ctx.secretBox().open(s) }, ctx.actor, { intervalMs: interval * 1000, rows, hooks: localLinkHooks(ctx.app(false).db, ctx.actor) });
      await new Promise<void>((resolve) => {
        svc2.onStatus((s) => {
          if (format === 'json') process.stdout.write(`${JSON.stringify(s)}\n`);
        });
        svc2.start();
        const tick = setInterval(() => {
          const s = svc2.status();
          if (format === 'text') process.stderr.write(`sync: ${s.running ? `${s.progress.phase} ${s.progress.done}/${s.progress.total ?? '?'}` : 'idle'}, pending ${s.pending}, conflicts ${s.conflicts}, last success ${s.lastSuccessAt ?? 'never'}\n`);
        }, 10_000);
        const stop = (): void => {
          clearInterval(tick);
          void svc2.stop().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    }));

  sync.command('status')
    .description('sync progress, last success, pending changes, conflicts, online/offline')
    .option('--probe', 'check connectivity to the tenant now')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { probe?: boolean; format?: string }) => guard(async () => {
      const format = parseFormat(o.format);
      const svc = service(ctx, cache);
      if (o.probe) await svc.probe();
      const s = svc.status();
      if (format === 'json') printJson(s);
      else process.stdout.write(describeStatus(s));
    }));

  sync.command('conflicts')
    .description('conflicts found at push: the tenant changed or deleted a record since the bench changed it')
    .option('--all', 'include resolved conflicts')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { all?: boolean; format?: string }) => guard(() => {
      const format = parseFormat(o.format);
      const rows = service(ctx, cache).conflicts({ open: !o.all });
      if (format === 'json') printJson(rows);
      else process.stdout.write(formatTable(rows, [
        { header: 'ID', cell: (c) => c.id },
        { header: 'ENTITY', cell: (c) => `${c.entity} ${c.tenantId ?? c.entityId}` },
        { header: 'MINE', cell: (c) => `${c.op} ${JSON.stringify(c.mine.payload)}` },
        { header: 'THEIRS', cell: (c) => (c.kind === 'deleted' ? 'deleted on the tenant' : `changed (revision ${c.baseRevision ?? '?'} → ${c.theirRevision ?? '?'})`) },
        { header: 'DETECTED', cell: (c) => c.detectedAt },
        { header: 'RESOLVED', cell: (c) => (c.resolution ? `${c.resolution} ${c.resolvedAt}` : '') },
      ]));
    }));

  sync.command('resolve <id>')
    .description('resolve a conflict: --keep-mine pushes the bench change over the tenant\'s, --take-theirs drops it')
    .option('--keep-mine', 'keep the bench change (pushed at the next sync)')
    .option('--take-theirs', 'drop the bench change and keep the tenant record')
    .option('--format <fmt>', 'text or json', 'text')
    .action((id: string, o: { keepMine?: boolean; takeTheirs?: boolean; format?: string }) => guard(() => {
      const format = parseFormat(o.format);
      if (Boolean(o.keepMine) === Boolean(o.takeTheirs)) throw new UsageError('give exactly one of --keep-mine or --take-theirs');
      const n = parseNumber(id, 'conflict ID', { integer: true, min: 1 })!;
      const c = service(ctx, cache).resolve(n, o.keepMine ? 'keep-mine' : 'take-theirs');
      if (format === 'json') printJson(c);
      else process.stdout.write(`conflict ${c.id} (${c.entity} ${c.tenantId ?? c.entityId}) resolved: ${c.resolution}${c.resolution === 'keep-mine' ? '; pushed at the next sync' : ''}\n`);
    }));

  sync.command('outbox')
    .description('local changes not yet acknowledged by the tenant')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { format?: string }) => guard(() => {
      const format = parseFormat(o.format);
      const rows = service(ctx, cache).outbox();
      if (format === 'json') printJson(rows);
      else process.stdout.write(formatTable(rows, [
        { header: 'SEQ', cell: (e) => e.seq },
        { header: 'ENTITY', cell: (e) => `${e.entity} ${e.entityId}` },
        { header: 'OP', cell: (e) => e.op },
        { header: 'STATE', cell: (e) => e.state },
        { header: 'ATTEMPTS', cell: (e) => e.attempts },
        { header: 'ERROR', cell: (e) => e.lastError ?? '' },
      ]));
    }));

  sync.command('configure')
    .description('set the tenant URL, user and password (sealed at rest) and the device space')
    .requiredOption('--url <url>', 'tenant base URL, e.g. https://na1.mobileiron.com')
    .requiredOption('--user <user>', 'tenant admin or API user (HTTP Basic)')
    .requiredOption('--password-env <var>', 'environment variable holding the password')
    .option('--partition <name>', 'device space name (default: the default partition)')
    .option('--format <fmt>', 'text or json', 'text')
    .action((o: { url: string; user: string; passwordEnv: string; partition?: string; format?: string }) => guard(() => {
      const format = parseFormat(o.format);
      const password = secretFromEnv(o.passwordEnv, '--password-env');
      const v = service(ctx, cache).configure({ url: o.url, user: o.user, password, partitionName: o.partition });
      if (format === 'json') printJson(v);
      else process.stdout.write(`tenant ${v.url} as ${v.user}, device space ${v.partitionName ?? '(default)'}; password stored sealed\n`);
    }));
}
