/**
 * Sync page: connect the Ivanti tenant (URL, API user, sealed password, device space), then its
 * status (online/offline, progress, last success, counts) with "Sync now", open conflicts with both
 * versions, and the outbox of local changes.
 */
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { AppStatus } from '../../../../main/ipc/contract';
import { SectionCard } from '../../components/SectionCard';
import { useToast } from '../../components/Toasts';
import type { PageId } from '../../shell/nav';
import { ConflictsCard } from './ConflictsCard';
import { OutboxCard } from './OutboxCard';
import { SyncStatusCard } from './SyncStatusCard';
import { TenantForm } from './TenantForm';
import { useSync } from './useSync';

/** Props: the app status (kept for the shell), navigation, and a refresh of the status bar. */
export interface SyncPageProps {
  status: AppStatus | null;
  onNavigate: (page: PageId) => void;
  /** Refreshes the app status (status bar, offline banner) after a change. */
  onChanged?: () => void;
}

const noop = (): void => undefined;

/** The Sync page. */
export function SyncPage({ onNavigate, onChanged = noop }: SyncPageProps) {
  const toast = useToast();
  const sync = useSync(toast, onChanged);
  const [editing, setEditing] = useState(false);
  const st = sync.status;

  if (!st) {
    return sync.loadError ? (
      <Alert severity="error" action={<Button onClick={() => void sync.reload()}>Retry</Button>}>
        Cannot read the sync state: {sync.loadError}
      </Alert>
    ) : null;
  }

  const saved = () => {
    setEditing(false);
    toast({ severity: 'success', message: 'Tenant connection saved — the password is sealed on this workstation. Syncing now…' });
    void sync.reload().then(() => sync.syncNow());
  };

  if (!st.configured || editing) {
    return (
      <Stack spacing={3} data-testid="sync-page">
        <SectionCard
          title={st.configured ? 'Change the tenant connection' : 'Connect your tenant'}
          testId="sync-configure"
          subtitle="StageBench mirrors the tenant’s devices and users so the bench keeps working offline; changes made here wait in an outbox until the tenant is reachable."
        >
          <TenantForm settings={st.settings} onSaved={saved} onCancel={st.configured ? () => setEditing(false) : undefined} />
        </SectionCard>
        {!st.configured && (
          <Typography variant="body2" color="text.secondary">
            No tenant yet? The bench works fully without one —{' '}
            <Button size="small" onClick={() => onNavigate('bench')}>
              keep staging at the bench
            </Button>
          </Typography>
        )}
      </Stack>
    );
  }

  return (
    <Stack spacing={3} data-testid="sync-page">
      <SyncStatusCard status={st} syncing={sync.syncing} onSyncNow={() => void sync.syncNow()} onEdit={() => setEditing(true)} />
      {(sync.conflicts.length > 0 || st.conflicts > 0) && <ConflictsCard conflicts={sync.conflicts} resolving={sync.resolving} onResolve={(c, r) => void sync.resolve(c, r)} />}
      <OutboxCard entries={sync.outbox} />
      {sync.conflicts.length === 0 && st.conflicts === 0 && <ConflictsCard conflicts={[]} resolving={sync.resolving} onResolve={noop} />}
    </Stack>
  );
}
