/**
 * Handlers of the sync channels (contract-sync.ts): forwarding to `app.sync`, converting only the
 * transport form. The password goes straight to `configure` (which seals it); nothing returns it.
 */
import type { AppServices } from '../app/services';
import type { SyncResult } from '../sync/types';
import type { SYNC_CHANNELS } from './contract-sync';
import type { ChannelHandlers, HandlerContext } from './handlers';

type SyncHandlers = Pick<ChannelHandlers, (typeof SYNC_CHANNELS)[number]>;

const resultOut = (r: SyncResult) => ({
  ok: r.ok, startedAt: r.startedAt, finishedAt: r.finishedAt, pushed: r.pushed, conflicts: r.conflicts, failed: r.failed,
  pulled: Object.fromEntries(Object.entries(r.pulled).map(([k, v]) => [k, { upserted: v?.upserted ?? 0, deleted: v?.deleted ?? 0 }])),
  ...(r.error ? { error: r.error } : {}),
  ...(r.errorKind ? { errorKind: r.errorKind } : {}),
});

/** The sync channel handlers over `app.sync`. */
export function createSyncHandlers(app: AppServices, ctx: HandlerContext): SyncHandlers {
  return {
    'sync:status': () => {
      const st = app.sync.status();
      return {
        configured: st.configured, tenantUrl: st.tenantUrl, user: st.user, partitionName: st.partitionName, running: st.running, progress: st.progress,
        online: st.online, lastSuccessAt: st.lastSuccessAt, lastAttemptAt: st.lastAttemptAt, lastError: st.lastError, pending: st.pending,
        conflicts: st.conflicts, failed: st.failed, mirror: st.mirror, settings: app.sync.settings(),
      };
    },
    'sync:configure': ({ url, user, password, partitionName }) => {
      const view = app.sync.configure({ url, user, password, partitionName: partitionName || null });
      if (ctx.backgroundSync) app.sync.start();
      return view;
    },
    'sync:run': async () => resultOut(await app.sync.syncNow()),
    'sync:outbox': () =>
      app.sync.outbox({ limit: 500 }).map((e) => ({
        seq: e.seq, entity: e.entity, entityId: e.entityId, op: e.op, payload: e.payload, state: e.state, attempts: e.attempts, lastError: e.lastError, actor: e.actor, createdAt: e.createdAt,
      })),
    'sync:conflicts': () => app.sync.conflicts({ open: true, limit: 200 }),
    'sync:resolve': ({ id, resolution }) => app.sync.resolve(id, resolution),
  };
}
