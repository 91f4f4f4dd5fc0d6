/**
 * Tenant status: connection (URL, user, device space), online/offline, progress of a running sync,
 * last successful sync, and the counts (pending, conflicts, rejected, mirrored devices and users),
 * with "Sync now" and "Change connection".
 */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import CloudDoneIcon from '@mui/icons-material/CloudDone';
import CloudOffIcon from '@mui/icons-material/CloudOff';
import CloudQueueIcon from '@mui/icons-material/CloudQueue';
import SyncIcon from '@mui/icons-material/Sync';
import type { SyncStatusOut } from '../../../../main/ipc/contract-sync';
import { SectionCard } from '../../components/SectionCard';
import { formatDateTime } from '../../files';

/** Props: status, whether a sync is in flight, actions. */
export interface SyncStatusCardProps {
  status: SyncStatusOut;
  syncing: boolean;
  onSyncNow: () => void;
  onEdit: () => void;
}

function Stat({ label, value, testId, tone }: { label: string; value: string | number; testId: string; tone?: 'warning.main' | 'error.main' }) {
  return (
    <Box sx={{ p: 1.5, borderRadius: 2, border: 1, borderColor: 'divider', height: '100%' }}>
      <Typography variant="caption" color="text.secondary" component="div">
        {label}
      </Typography>
      <Typography variant="h5" component="div" data-testid={testId} sx={{ fontWeight: 600, color: tone }}>
        {value}
      </Typography>
    </Box>
  );
}

const PHASES: Record<SyncStatusOut['progress']['phase'], string> = { idle: 'Starting', connect: 'Connecting', push: 'Sending changes', pull: 'Receiving' };

/** The card. */
export function SyncStatusCard({ status, syncing, onSyncNow, onEdit }: SyncStatusCardProps) {
  const running = status.running || syncing;
  const p = status.progress;
  const percent = p.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;
  const chip =
    status.online === true ? (
      <Chip icon={<CloudDoneIcon />} color="success" label="Online" data-testid="sync-online" />
    ) : status.online === false ? (
      <Chip icon={<CloudOffIcon />} color="error" label="Offline" data-testid="sync-online" />
    ) : (
      <Chip icon={<CloudQueueIcon />} label="Not checked yet" data-testid="sync-online" />
    );
  return (
    <SectionCard
      title="Tenant"
      testId="sync-status"
      subtitle={
        <>
          {status.tenantUrl} · {status.user}
          {status.partitionName ? ` · device space ${status.partitionName}` : ' · default device space'}
        </>
      }
      actions={
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          {chip}
          <Button onClick={onEdit}>Change connection</Button>
          <Button variant="contained" startIcon={<SyncIcon />} onClick={onSyncNow} disabled={running}>
            {running ? 'Syncing…' : 'Sync now'}
          </Button>
        </Stack>
      }
    >
      <Stack spacing={2}>
        {running ? (
          <Box data-testid="sync-progress">
            <Typography variant="body2" sx={{ mb: 0.75 }}>
              {PHASES[p.phase]}
              {p.stream ? ` ${p.stream}s` : ''}
              {p.total ? ` — ${p.done} of ${p.total}` : p.done ? ` — ${p.done}` : '…'}
            </Typography>
            <LinearProgress variant={percent === null ? 'indeterminate' : 'determinate'} value={percent ?? undefined} />
          </Box>
        ) : (
          <Typography variant="body2" color={status.lastError && status.online === false ? 'error' : 'text.secondary'} data-testid="sync-last">
            {status.lastSuccessAt ? `Last successful sync ${formatDateTime(status.lastSuccessAt)}` : 'Not synced yet — press Sync now to mirror devices and users.'}
            {status.lastError && status.lastAttemptAt !== status.lastSuccessAt ? ` · Last attempt ${formatDateTime(status.lastAttemptAt)} failed: ${status.lastError}` : ''}
          </Typography>
        )}
        <Grid container spacing={1.5}>
          <Grid size={{ xs: 6, md: 2 }}>
            <Stat label="Devices" value={status.mirror.devices} testId="sync-devices" />
          </Grid>
          <Grid size={{ xs: 6, md: 2 }}>
            <Stat label="Users" value={status.mirror.users} testId="sync-users" />
          </Grid>
          <Grid size={{ xs: 6, md: 2 }}>
            <Stat label="Pending changes" value={status.pending} testId="sync-pending" />
          </Grid>
          <Grid size={{ xs: 6, md: 2 }}>
            <Stat label="Conflicts" value={status.conflicts} testId="sync-conflicts" tone={status.conflicts ? 'warning.main' : undefined} />
          </Grid>
          <Grid size={{ xs: 6, md: 2 }}>
            <Stat label="Rejected" value={status.failed} testId="sync-failed" tone={status.failed ? 'error.main' : undefined} />
          </Grid>
          <Grid size={{ xs: 6, md: 2 }}>
            <Stat label="Last sync" value={status.lastSuccessAt ? new Date(status.lastSuccessAt).toLocaleTimeString(undefined, { timeStyle: 'short' }) : '—'} testId="sync-last-time" />
          </Grid>
        </Grid>
      </Stack>
    </SectionCard>
  );
}
