/**
 * Enrollment (ABM / ADE) channel handlers: each forwards to `app.dep.servers` or `app.dep.profiles`
 * (main/dep), converting only the transport form. Two things are kept here because they belong to
 * the window, not the services: the progress of syncs started from this window (shown while they
 * run), and turning the services' typed errors into codes the UI reacts to
 * (E_CONSUMER_KEY_CHANGED → confirm dialog, E_SYNC_IN_PROGRESS) or into issues per field.
 */
import { SyncInProgressError } from '../dep/sync/lock';
import { ServerTokenError } from '../dep/token/errors';
import { inspectCertificateFile } from '../dep/profiles/certificates';
import { DepProfileValidationError } from '../dep/profiles/issues';
import type { DepProfileDetail, DepProfileSummary } from '../dep/profiles/service';
import type { DepServerRow } from '../dep/servers/queries';
import { panesByPlatform, resolveSkipItems, SETUP_PLATFORM_LABELS, SETUP_PLATFORMS, SKIP_CONVENTIONS } from '../dep/setup-assistant';
import type { ChannelInput, ChannelOutput } from './contract';
import { exportDepDevices, listDepDevices } from './dep-devices';
import type { HandlerContext, IpcServices } from './handlers';
import type { DepChannel } from './names-dep';

type DepHandlers = { [C in DepChannel]: (input: ChannelInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>> };
type SyncProgressOut = NonNullable<ChannelOutput<'dep:servers'>[number]['sync']>;

const coded = (message: string, code: string): Error => Object.assign(new Error(message), { code });
const fileSafe = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '-');

function profileOut(p: DepProfileDetail): ChannelOutput<'dep:profile-get'> {
  return {
    ...summaryOut(p),
    form: p.form,
    skip: p.skip,
    warnings: p.warnings,
    hasAdminPassword: p.hasAdminPassword,
    outbox: p.outbox.map((o) => ({ id: o.id, kind: o.kind, state: o.state, devices: o.serials.length, attempts: o.attempts, lastError: o.lastError, updatedAt: o.updatedAt })),
  };
}

function summaryOut(p: DepProfileSummary): ChannelOutput<'dep:profile-set-default'> {
  return {
    id: p.id, serverId: p.serverId, serverName: p.serverName, name: p.name, description: p.description, department: p.department, supportPhone: p.supportPhone,
    profileUuid: p.profileUuid, isDefault: p.isDefault, syncState: p.syncState, lastError: p.lastError, deviceCount: p.deviceCount, pendingSends: p.pendingSends,
    updatedAt: p.updatedAt, syncedAt: p.syncedAt,
  };
}

/** Runs a profile write; validation errors come back as issues instead of an error envelope. */
function withIssues(write: () => DepProfileDetail): ChannelOutput<'dep:profile-save'> {
  try {
    const p = write();
    return { profile: profileOut(p), issues: p.warnings };
  } catch (err) {
    if (err instanceof DepProfileValidationError) return { profile: null, issues: err.issues };
    throw err;
  }
}

/** The Enrollment handlers over `s` (ctx unused today: no events; syncs report through `dep:servers`). */
export function createDepHandlers(s: IpcServices, _ctx: HandlerContext): DepHandlers {
  const syncs = new Map<string, SyncProgressOut>();
  const serverOut = (r: DepServerRow): ChannelOutput<'dep:servers'>[number] => ({
    id: r.id, name: r.name, baseUrl: r.baseUrl, appleAccount: r.appleAccount, orgName: r.orgName, appleServerName: r.appleServerName,
    deviceCount: r.deviceCount, profileCount: r.profileCount, lastSyncAt: r.lastSyncAt, lastSyncStatus: r.lastSyncStatus, lastSyncError: r.lastSyncError,
    hasToken: r.hasToken, tokenExpires: r.tokenExpires, tokenWarning: r.tokenWarning, createdAt: r.createdAt, sync: syncs.get(r.id) ?? null,
  });
  const servers = s.dep.servers;
  const profiles = s.dep.profiles;

  return {
    'dep:servers': (q) => servers.list({ search: q?.search, sort: q?.sort, direction: q?.desc ? 'desc' : 'asc' }).map(serverOut),
    'dep:add-server': ({ name, baseUrl }) => {
      const { server, publicKeyPem } = servers.add({ name, baseUrl: baseUrl?.trim() || undefined });
      return { server: serverOut(server), filename: `${fileSafe(server.name)}-public-key.pem`, publicKeyPem };
    },
    'dep:upload-token': ({ server, bytesBase64, confirmNewConsumerKey }) => {
      let target = server;
      if (!target) {
        const all = servers.list();
        if (all.length === 0) throw coded('add the ABM server on the Enrollment page first, upload its public key to Apple Business Manager, then upload the token ABM gives you', 'E_NO_SERVER');
        if (all.length > 1) throw coded(`${all.length} ABM servers are set up: upload the token from the Enrollment page and choose its server`, 'E_CHOOSE_SERVER');
        target = all[0].id;
      }
      try {
        const r = servers.uploadToken(target, Buffer.from(bytesBase64, 'base64'), { confirmNewConsumerKey });
        return { server: r.server.name, tokenExpires: r.tokenExpires, consumerKeyChanged: r.consumerKeyChanged, warning: r.warning.message };
      } catch (err) {
        if (err instanceof ServerTokenError && err.reason === 'consumer-key') {
          throw coded('This token belongs to a different MDM server in Apple Business Manager (its consumer key differs from the current token). Devices synced so far would no longer match and the sync restarts from scratch.', 'E_CONSUMER_KEY_CHANGED');
        }
        throw err;
      }
    },
    'dep:public-key': ({ server }) => {
      const row = servers.get(server);
      return { filename: `${fileSafe(row.name)}-public-key.pem`, publicKeyPem: servers.publicKey(row.id) };
    },
    'dep:test-connection': async ({ server }) => {
      const r = await servers.testConnection(server);
      return { server: serverOut(r.server), appleServerName: r.account.server_name ?? null, orgName: r.account.org_name ?? null, adminId: r.account.admin_id ?? null };
    },
    'dep:sync': async ({ server, full }) => {
      const row = servers.get(server);
      if (syncs.has(row.id)) throw coded(`a sync of "${row.name}" is already running; wait for it to finish`, 'E_SYNC_IN_PROGRESS');
      const progress: SyncProgressOut = { full: !!full, startedAt: new Date().toISOString(), phase: 'starting', page: 0, received: 0, message: 'Connecting to Apple…' };
      syncs.set(row.id, progress);
      try {
        const r = await servers.sync(row.id, {
          full,
          onProgress: (p) => syncs.set(row.id, { ...progress, phase: p.phase, page: p.page, received: p.received, message: p.message }),
        });
        const applied = profiles.applyDefaultToNewDevices(row.id);
        return { mode: r.mode, received: r.received, added: r.added, modified: r.modified, deleted: r.deleted, pruned: r.pruned, defaultAssigned: applied.assigned + applied.adopted };
      } catch (err) {
        if (err instanceof SyncInProgressError) throw coded(err.message, 'E_SYNC_IN_PROGRESS');
        throw err;
      } finally {
        syncs.delete(row.id);
      }
    },
    'dep:delete-server': ({ server }) => {
      const row = servers.get(server);
      if (syncs.has(row.id)) throw coded(`"${row.name}" is syncing; delete it after the sync finishes`, 'E_SYNC_IN_PROGRESS');
      servers.delete(row.id);
      return { deleted: row.name };
    },
    'dep:profiles': ({ serverId }) => profiles.list({ serverId }).map(summaryOut),
    'dep:profile-get': ({ id }) => profileOut(profiles.get(id)),
    'dep:profile-validate': ({ form, profileId, adminPassword, confirmAdminPassword }) => {
      const typed = adminPassword !== undefined || confirmAdminPassword !== undefined;
      const issues = profiles.validate(form, typed ? { adminPassword, confirmAdminPassword } : undefined, profileId);
      return { issues, skip: resolveSkipItems(form.skipSetupItems) };
    },
    'dep:profile-save': ({ serverId, profileId, form, draft, adminPassword, confirmAdminPassword }) => {
      const typed = adminPassword !== undefined && adminPassword !== '';
      const secrets = typed || confirmAdminPassword ? { adminPassword, confirmAdminPassword } : undefined;
      if (profileId) return withIssues(() => profiles.update(profileId, form, { secrets, draft }));
      if (!serverId) throw coded('choose the ABM server the profile belongs to', 'E_INVALID_INPUT');
      return withIssues(() => profiles.create(serverId, form, { secrets, draft }));
    },
    'dep:inspect-certificate': ({ bytesBase64, fileName }) => ({ certificates: inspectCertificateFile(Buffer.from(bytesBase64, 'base64'), fileName) }),
    'dep:profile-set-default': ({ id }) => summaryOut(profiles.setDefault(id)),
    'dep:profile-auth': ({ id, authentication }) => withIssues(() => profiles.editAuthentication(id, authentication)),
    'dep:profile-delete': ({ id }) => {
      const r = profiles.delete(id);
      return { deleted: r.deleted, reassigned: r.reassigned };
    },
    'dep:push': async ({ serverId }) => {
      const r = await profiles.pushPending(serverId);
      return {
        sent: r.sent, failed: r.failed, remaining: r.remaining, unreachable: r.unreachable,
        items: r.items.map((i) => ({ profileName: i.profileName, kind: i.kind, outcome: i.outcome, message: i.message })),
      };
    },
    'dep:setup-panes': ({ minimums }) => {
      const grouped = panesByPlatform(minimums ?? {});
      return {
        platforms: SETUP_PLATFORMS.map((platform) => ({
          platform,
          label: SETUP_PLATFORM_LABELS[platform],
          panes: grouped[platform].map((l) => ({
            key: l.pane.key, title: l.pane.title, description: l.pane.description, introduced: l.support.introduced,
            deprecated: l.support.deprecated ?? null, removed: l.support.removed ?? null, notAlwaysSkippable: l.notAlwaysSkippable,
            deprecatedAtMinimum: l.deprecatedAtMinimum, introducedAfterMinimum: l.introducedAfterMinimum,
          })),
        })),
        conventions: SKIP_CONVENTIONS.map((c) => ({ ...c })),
      };
    },
    'dep:devices': ({ offset, limit, ...criteria }) => {
      const all = listDepDevices(s, criteria);
      return { rows: all.slice(offset, offset + limit), total: all.length, offset };
    },
    'dep:devices-export': async ({ serials, ...criteria }) => {
      const out = await exportDepDevices(s, criteria, serials);
      return { filename: out.filename, mimeType: 'text/csv', base64: out.csv.toString('base64'), rows: out.rows };
    },
    'dep:assign': ({ profileId, serials }) => {
      const r = profiles.assign(profileId, serials);
      return { assigned: r.assigned.length, unchanged: r.unchanged.length };
    },
  };
}
