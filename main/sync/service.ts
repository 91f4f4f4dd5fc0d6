/**
 * The sync service the app (Electron IPC) and the CLI use:
 *
 *   const sync = createSyncService(db, secretBox, actor, { intervalMs, hooks });
 *   sync.configure({ url, user, password, partitionName? })  → TenantSettingsView (password sealed)
 *   sync.settings()                                          → TenantSettingsView | null
 *   sync.syncNow()                                           → Promise<SyncResult>   (one at a time)
 *   sync.status()                                            → SyncStatus
 *   sync.probe()                                             → Promise<ProbeResult>  (connectivity)
 *   sync.outbox() / sync.conflicts({open}) / sync.resolve(id, 'keep-mine'|'take-theirs')
 *   sync.recordLocalChange(change)                           → OutboxEntry (actor filled in)
 *   sync.devices(q) / sync.users(q)                          → mirrored tenant records
 *   sync.local.retireDevice(id, note?) / wipeDevice / updateDeviceAttributes / createUser / updateUser / inviteUser / deleteUser
 *   sync.start() / sync.stop()                               background runner (interval + trigger on local change)
 *   sync.onStatus(cb)                                        → unsubscribe; cb(SyncStatus) on start, progress, end
 *
 * Every action is written to the audit trail (never the password). Local edits of the mirror
 * happen in one transaction with their outbox entry.
 */
import crypto from 'node:crypto';
import type { SecretBox } from '../secrets';
import { appendAudit, type Db } from '../store';
import { openTenantConnection, readTenantSettings, saveTenantSettings, TenantClient, type ProbeResult, type TenantSettingsInput, type TenantSettingsView } from '../tenant';
import { listConflicts, resolveConflict } from './conflicts';
import { runSync, type SyncRunOptions } from './engine';
import { SyncInputError } from './errors';
import { listMirrorDevices, listMirrorUsers, mirrorRecord, patchMirror, type MirrorDevice, type MirrorUser } from './mirror';
import { listOutbox, onLocalChange, recordLocalChange, retryOrDiscardFailed } from './outbox';
import { SyncRunner } from './runner';
import { setSyncState } from './state';
import { readSyncStatus } from './status';
import type { ConflictResolution, LocalChange, OutboxEntry, OutboxState, SyncConflict, SyncHooks, SyncProgress, SyncResult, SyncStatus } from './types';

/** Options of createSyncService. */
export interface SyncServiceOptions extends Omit<SyncRunOptions, 'onProgress' | 'shouldStop' | 'hooks'> {
  hooks?: SyncHooks;
  /** Background interval, ms (default 300000). */
  intervalMs?: number;
  /** Delay after a local change before syncing, ms (default 1000). */
  debounceMs?: number;
}

/** Local edits of mirrored tenant records; each writes the mirror and its outbox entry in one transaction. */
export interface SyncLocalEdits {
  retireDevice(id: string, note?: string): OutboxEntry;
  wipeDevice(id: string, note?: string): OutboxEntry;
  updateDeviceAttributes(id: string, attributes: Record<string, string>): OutboxEntry;
  /** Returns the entry; its entityId is the new local id (mapped to the tenant id once pushed). */
  createUser(input: { emailAddress: string; uid?: string; firstName?: string; lastName?: string; sendInvite?: boolean }): OutboxEntry;
  updateUser(id: string, patch: { emailAddress?: string; firstName?: string; lastName?: string; enabled?: boolean }): OutboxEntry;
  inviteUser(id: string): OutboxEntry;
  deleteUser(id: string): OutboxEntry;
}

/** The service object. */
export interface SyncService {
  configure(input: TenantSettingsInput): TenantSettingsView;
  settings(): TenantSettingsView | null;
  syncNow(): Promise<SyncResult>;
  status(): SyncStatus;
  probe(): Promise<ProbeResult>;
  outbox(q?: { states?: OutboxState[]; limit?: number }): OutboxEntry[];
  retryFailed(seq: number): void;
  discardFailed(seq: number): void;
  conflicts(q?: { open?: boolean; limit?: number }): SyncConflict[];
  resolve(id: number, resolution: ConflictResolution): SyncConflict;
  recordLocalChange(change: LocalChange): OutboxEntry;
  devices(q?: { includeDeleted?: boolean; limit?: number; offset?: number }): MirrorDevice[];
  users(q?: { includeDeleted?: boolean; limit?: number; offset?: number }): MirrorUser[];
  readonly local: SyncLocalEdits;
  start(): void;
  stop(): Promise<void>;
  onStatus(cb: (s: SyncStatus) => void): () => void;
}

/**
 * Builds the sync service over an open cache. `box` opens the sealed tenant password (only when a
 * sync or probe runs); `actor` goes to the audit trail and the outbox. Does not start the
 * background runner (call start()).
 */
export function createSyncService(db: Db, box: SecretBox, actor: string, opts: SyncServiceOptions = {}): SyncService {
  let progress: SyncProgress = { phase: 'idle', done: 0, total: null };
  let online: boolean | null = null;
  const listeners = new Set<(s: SyncStatus) => void>();
  let lastEmit = 0;
  const status = (): SyncStatus => readSyncStatus(db, { running: runner.running, progress, online });
  const emit = (force = false): void => {
    if (listeners.size === 0) return;
    const now = Date.now();
    if (!force && now - lastEmit < 250) return;
    lastEmit = now;
    const s = status();
    for (const l of listeners) l(s);
  };

  const runner = new SyncRunner(async (shouldStop) => {
    const r = await runSync(db, box, {
      ...opts, hooks: opts.hooks, shouldStop,
      onProgress: (p) => {
        progress = p;
        emit(p.phase === 'idle');
      },
    });
    online = r.ok ? true : r.errorKind === 'TenantUnavailableError' && !/HTTP \d/.test(r.error ?? '') ? false : online ?? true;
    appendAudit(db, {
      action: 'sync.run', target: readTenantSettings(db)?.url ?? '', outcome: r.ok ? 'success' : 'failure', actor,
      detail: r.ok ? `pushed ${r.pushed}, conflicts ${r.conflicts}, failed ${r.failed}, pulled ${Object.entries(r.pulled).map(([k, v]) => `${k} ${v?.upserted ?? 0}/-${v?.deleted ?? 0}`).join(', ')}` : `${r.errorKind}: ${r.error}`,
    });
    emit(true);
    return r;
  }, { intervalMs: opts.intervalMs, debounceMs: opts.debounceMs });
  let unsubscribeChanges: (() => void) | null = null;

  const record = (change: LocalChange): OutboxEntry => recordLocalChange(db, { ...change, actor: change.actor ?? actor });
  const requireMirrored = (entity: 'device' | 'user', id: string): void => {
    if (!mirrorRecord(db, entity, id)) throw new SyncInputError(`${entity} ${id} is not in the local mirror of the tenant; run \`stagebench sync\` first`);
  };
  const edit = (entity: 'device' | 'user', id: string, op: LocalChange['op'], payload: Record<string, unknown>, optimistic: Record<string, unknown> | null): OutboxEntry =>
    db.transaction(() => {
      requireMirrored(entity, id);
      const entry = record({ entity, entityId: id, op, payload });
      if (optimistic) patchMirror(db, entity, id, optimistic);
      return entry;
    })();

  const local: SyncLocalEdits = {
    retireDevice: (id, note) => edit('device', id, 'retire', { note }, { registrationState: 'RETIRED' }),
    wipeDevice: (id, note) => edit('device', id, 'wipe', { note }, { registrationState: 'WIPED' }),
    updateDeviceAttributes: (id, attributes) => edit('device', id, 'update', { attributes }, {
      customAttributes: { ...((mirrorRecord(db, 'device', id)?.customAttributes as object) ?? {}), ...attributes },
    }),
    createUser: (input) => record({ entity: 'user', entityId: `local-${crypto.randomUUID()}`, op: 'create', payload: { ...input } }),
    updateUser: (id, patch) => edit('user', id, 'update', { ...patch }, { ...patch }),
    inviteUser: (id) => edit('user', id, 'invite', {}, null),
    deleteUser: (id) => edit('user', id, 'delete', {}, null),
  };

  return {
    configure(input) {
      try {
        const view = saveTenantSettings(db, box, input);
        appendAudit(db, { action: 'sync.configure', target: view.url, outcome: 'success', actor, detail: `user ${view.user}, device space ${view.partitionName ?? '(default)'}` });
        return view;
      } catch (err) {
        appendAudit(db, { action: 'sync.configure', target: String(input?.url ?? ''), outcome: 'failure', actor, detail: (err as Error).message });
        throw err;
      }
    },
    settings: () => readTenantSettings(db),
    syncNow: () => runner.runNow(),
    status,
    async probe() {
      const conn = openTenantConnection(db, box);
      const client = new TenantClient({ baseUrl: conn.url, user: conn.user, password: conn.password });
      try {
        const r = await client.probe();
        online = r.online;
        setSyncState(db, { online: String(r.online), last_probe_at: new Date().toISOString() });
        emit(true);
        return r;
      } finally {
        client.close();
      }
    },
    outbox: (q) => listOutbox(db, q),
    retryFailed(seq) {
      retryOrDiscardFailed(db, seq, 'retry');
      appendAudit(db, { action: 'sync.outbox.retry', target: String(seq), outcome: 'success', actor });
      runner.trigger();
    },
    discardFailed(seq) {
      retryOrDiscardFailed(db, seq, 'discard');
      appendAudit(db, { action: 'sync.outbox.discard', target: String(seq), outcome: 'success', actor });
    },
    conflicts: (q) => listConflicts(db, q),
    resolve(id, resolution) {
      const c = resolveConflict(db, id, resolution, opts.hooks);
      appendAudit(db, { action: 'sync.resolve', target: `${c.entity}:${c.tenantId ?? c.entityId}`, outcome: 'success', actor, detail: `conflict ${id} (${c.kind}, ${c.op}): ${resolution}` });
      emit(true);
      runner.trigger();
      return c;
    },
    recordLocalChange: record,
    devices: (q) => listMirrorDevices(db, q),
    users: (q) => listMirrorUsers(db, q),
    local,
    start() {
      unsubscribeChanges ??= onLocalChange(db, () => {
        emit(true);
        runner.trigger();
      });
      runner.start();
    },
    async stop() {
      unsubscribeChanges?.();
      unsubscribeChanges = null;
      await runner.stop();
    },
    onStatus(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  };
}
