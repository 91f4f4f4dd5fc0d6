/** Sync page: the tenant connection and sync state; an empty state until the sync service is wired. */
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import AutorenewIcon from '@mui/icons-material/Autorenew';
import type { AppStatus } from '../../../../main/ipc/contract';
import { EmptyState } from '../../components/EmptyState';
import type { PageId } from '../../shell/nav';

/** Props: status and navigation. */
export interface SyncPageProps {
  status: AppStatus | null;
  onNavigate: (page: PageId) => void;
}

/** The Sync page. */
export function SyncPage({ status, onNavigate }: SyncPageProps) {
  if (status?.features.sync && status.tenant.state !== 'not-configured') {
    return (
      <Card data-testid="sync-status">
        <CardContent>
          <Stack spacing={1}>
            <Typography variant="h6" component="h2">
              Tenant {status.tenant.state}
            </Typography>
            <Typography color="text.secondary">{status.tenant.detail}</Typography>
            <Typography>{status.pendingSync ?? 0} change(s) waiting to be sent.</Typography>
          </Stack>
        </CardContent>
      </Card>
    );
  }
  return (
    <EmptyState
      testId="sync-empty"
      icon={<AutorenewIcon />}
      title="Tenant sync is not set up"
      steps={[
        'Have your Ivanti Neurons for MDM or EPMM tenant URL and an admin API account ready.',
        status?.features.sync ? (
          <>
            Connect the tenant: <code>stagebench sync configure --url URL --user USER --password-env VAR</code> (a form on this page is
            next); devices and users are then mirrored for offline work.
          </>
        ) : (
          'Connect the tenant here (available with the sync service): devices and users are mirrored for offline work.'
        ),
        'Changes made offline wait in an outbox; the status bar shows how many are pending.',
      ]}
      primary={{ label: 'Keep staging at the bench', onClick: () => onNavigate('bench') }}
      secondary={{ label: 'Open Settings', onClick: () => onNavigate('settings') }}
    >
      This page will show the tenant connection (online or offline), the last sync, pending changes and conflicts. The bench works
      fully without a tenant.
    </EmptyState>
  );
}
