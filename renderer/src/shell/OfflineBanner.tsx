/**
 * The banner across the top of every page while the tenant is unreachable: what it means (the
 * bench keeps working, changes wait in the outbox) and the way to the Sync page.
 */
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import type { AppStatus } from '../../../main/ipc/contract';
import type { PageId } from './nav';

/** Props: app status and navigation. */
export interface OfflineBannerProps {
  status: AppStatus | null;
  page: PageId;
  onNavigate: (page: PageId) => void;
}

/** Renders nothing unless the tenant is offline. */
export function OfflineBanner({ status, page, onNavigate }: OfflineBannerProps) {
  if (status?.tenant.state !== 'offline') return null;
  const pending = status.pendingSync ?? 0;
  // detail is "<tenant URL>: <last error>": name the host, keep the technical reason in the tooltip.
  const m = /^(\w+:\/\/[^/\s:]+(?::\d+)?)[^:]*:\s*(.*)$/s.exec(status.tenant.detail);
  const host = m ? m[1].replace(/^\w+:\/\//, '') : 'The tenant';
  return (
    <Alert
      severity="warning"
      variant="filled"
      data-testid="offline-banner"
      title={status.tenant.detail}
      sx={{ mb: 2, flexShrink: 0, '& .MuiAlert-action': { alignItems: 'center', pt: 0 } }}
      action={
        page === 'sync' ? undefined : (
          <Button color="inherit" size="small" onClick={() => onNavigate('sync')} sx={{ whiteSpace: 'nowrap' }}>
            Open Sync
          </Button>
        )
      }
    >
      <b>Tenant offline</b> — {host} is not answering. Staging keeps working;{' '}
      {pending ? `${pending} change${pending === 1 ? '' : 's'} wait${pending === 1 ? 's' : ''} in the outbox` : 'changes you make wait in the outbox'} and are sent when it is back.
    </Alert>
  );
}
