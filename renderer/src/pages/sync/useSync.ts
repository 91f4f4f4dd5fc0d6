/**
 * Sync page state: `sync:status` (polled every 1 s while a sync runs, every 5 s otherwise), the
 * outbox and open conflicts (reloaded after every run and resolution), and the actions.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OutboxEntryOut, SyncConflictOut, SyncResultOut, SyncStatusOut } from '../../../../main/ipc/contract-sync';
import { api, messageOf } from '../../api';
import type { ShowToast } from '../../components/Toasts';

/** What the Sync page reads and does. */
export interface SyncState {
  status: SyncStatusOut | null;
  outbox: OutboxEntryOut[];
  conflicts: SyncConflictOut[];
  /** A `Sync now` started from this page is in flight. */
  syncing: boolean;
  /** Conflict ids being resolved. */
  resolving: ReadonlySet<number>;
  loadError: string | null;
  reload: () => Promise<void>;
  syncNow: () => Promise<SyncResultOut | null>;
  resolve: (c: SyncConflictOut, resolution: 'keep-mine' | 'take-theirs') => Promise<void>;
}

/** Loads and polls the sync state; `onChanged` runs after anything that changes the status bar. */
export function useSync(toast: ShowToast, onChanged: () => void): SyncState {
  const [status, setStatus] = useState<SyncStatusOut | null>(null);
  const [outbox, setOutbox] = useState<OutboxEntryOut[]>([]);
  const [conflicts, setConflicts] = useState<SyncConflictOut[]>([]);
  const [syncing, setSyncing] = useState(false);
  const [resolving, setResolving] = useState<ReadonlySet<number>>(new Set());
  const [loadError, setLoadError] = useState<string | null>(null);
  const lastRun = useRef<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const [s, o, c] = await Promise.all([api().invoke('sync:status'), api().invoke('sync:outbox'), api().invoke('sync:conflicts')]);
      setStatus(s);
      setOutbox(o);
      setConflicts(c);
      setLoadError(null);
    } catch (err) {
      setLoadError(messageOf(err));
    }
  }, []);

  const running = !!status?.running || syncing;
  useEffect(() => {
    void reload();
    const t = setInterval(() => {
      void api()
        .invoke('sync:status')
        .then((s) => {
          setStatus(s);
          // A background run finished: pick up its outbox and conflicts.
          if (s.lastAttemptAt !== lastRun.current) {
            lastRun.current = s.lastAttemptAt;
            void reload();
            onChanged();
          }
        })
        .catch(() => undefined);
    }, running ? 1000 : 5000);
    return () => clearInterval(t);
  }, [reload, running, onChanged]);

  const syncNow = useCallback(async () => {
    setSyncing(true);
    try {
      const r = await api().invoke('sync:run');
      if (r.ok) {
        const pulled = Object.values(r.pulled).reduce((n, p) => n + p.upserted, 0);
        toast({
          severity: r.conflicts ? 'warning' : 'success',
          message: r.conflicts
            ? `Synced with ${r.conflicts} new conflict${r.conflicts === 1 ? '' : 's'} — choose which version to keep below`
            : `Synced: ${r.pushed} change${r.pushed === 1 ? '' : 's'} sent, ${pulled} record${pulled === 1 ? '' : 's'} updated`,
        });
      } else {
        const offline = r.errorKind === 'TenantUnavailableError';
        toast({
          severity: 'error',
          message: offline
            ? 'Tenant unreachable — changes stay in the outbox and are sent when it is back. Check the network or the tenant URL.'
            : r.errorKind === 'TenantAuthError'
              ? `The tenant refused the sign-in — check the user and enter the password again (${r.error ?? ''})`
              : `Sync failed: ${r.error ?? 'unknown error'}`,
          action: { label: 'Retry', run: () => void syncNow() },
        });
      }
      return r;
    } catch (err) {
      toast({ severity: 'error', message: `Sync could not start: ${messageOf(err)}` });
      return null;
    } finally {
      setSyncing(false);
      await reload();
      onChanged();
    }
  }, [toast, reload, onChanged]);

  const resolve = useCallback(
    async (c: SyncConflictOut, resolution: 'keep-mine' | 'take-theirs') => {
      setResolving((s) => new Set(s).add(c.id));
      try {
        await api().invoke('sync:resolve', { id: c.id, resolution });
        toast({
          severity: 'success',
          message: resolution === 'keep-mine' ? 'Your change will be sent again over the tenant’s version on the next sync' : 'Kept the tenant’s version; your change was dropped',
        });
      } catch (err) {
        toast({ severity: 'error', message: `Could not resolve the conflict: ${messageOf(err)}` });
      } finally {
        setResolving((s) => {
          const n = new Set(s);
          n.delete(c.id);
          return n;
        });
        await reload();
        onChanged();
      }
    },
    [toast, reload, onChanged],
  );

  return { status, outbox, conflicts, syncing, resolving, loadError, reload, syncNow, resolve };
}
