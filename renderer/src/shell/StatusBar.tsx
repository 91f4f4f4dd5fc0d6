/**
 * The status bar along the bottom: tenant connection (not configured / online / offline), pending
 * sync changes, attached devices (live), a running staging job, and the workstation facts.
 */
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import CloudOffIcon from '@mui/icons-material/CloudOff';
import CloudDoneIcon from '@mui/icons-material/CloudDone';
import CloudQueueIcon from '@mui/icons-material/CloudQueue';
import SyncIcon from '@mui/icons-material/Sync';
import UsbIcon from '@mui/icons-material/Usb';
import type { ReactElement } from 'react';
import type { AppInfo, AppStatus } from '../../../main/ipc/contract';
import type { PageId } from './nav';

/** Props: status (null while loading), attached device count, staging state, app facts, navigation. */
export interface StatusBarProps {
  status: AppStatus | null;
  attached: number;
  staging: { running: boolean; done: number; total: number };
  info: AppInfo | null;
  onNavigate: (page: PageId) => void;
}

function Item({ icon, label, title, onClick, testId, color }: { icon: ReactElement; label: string; title: string; onClick?: () => void; testId: string; color?: string }) {
  return (
    <Tooltip title={title}>
      <ButtonBase
        onClick={onClick}
        data-testid={testId}
        sx={{ px: 1, height: 26, borderRadius: 1, gap: 0.75, color: color ?? 'text.secondary', '&:hover': { bgcolor: 'action.hover' }, '& svg': { fontSize: 16 } }}
      >
        {icon}
        <Typography variant="caption" sx={{ fontWeight: 500, whiteSpace: 'nowrap' }}>
          {label}
        </Typography>
      </ButtonBase>
    </Tooltip>
  );
}

/** The status bar. */
export function StatusBar({ status, attached, staging, info, onNavigate }: StatusBarProps) {
  const tenant = status?.tenant.state ?? 'not-configured';
  const tenantLabel = { 'not-configured': 'Tenant not configured', online: 'Tenant online', offline: 'Tenant offline', unknown: 'Tenant status unknown' }[tenant];
  const tenantIcon = tenant === 'online' ? <CloudDoneIcon /> : tenant === 'offline' ? <CloudOffIcon /> : <CloudQueueIcon />;
  const tenantColor = tenant === 'online' ? 'success.main' : tenant === 'offline' ? 'error.main' : undefined;
  const pending = status?.pendingSync;
  return (
    <Box
      component="footer"
      role="status"
      aria-label="Status bar"
      data-testid="status-bar"
      sx={{ height: 32, flexShrink: 0, borderTop: 1, borderColor: 'divider', bgcolor: 'background.paper', display: 'flex', alignItems: 'center', px: 1, gap: 0.5 }}
    >
      <Item testId="status-tenant" icon={tenantIcon} label={tenantLabel} color={tenantColor} title={status?.tenant.detail ?? 'Checking…'} onClick={() => onNavigate('sync')} />
      <Item
        testId="status-sync"
        icon={<SyncIcon />}
        label={pending === null || pending === undefined ? 'Sync: —' : `Sync: ${pending} pending`}
        title={pending === null || pending === undefined ? 'Changes waiting for the tenant appear here once sync is set up' : `${pending} change(s) waiting to be sent to the tenant`}
        onClick={() => onNavigate('sync')}
      />
      <Item
        testId="status-devices"
        icon={<UsbIcon />}
        label={attached === 1 ? '1 device attached' : `${attached} devices attached`}
        color={attached > 0 ? 'primary.main' : undefined}
        title="Devices attached to this workstation over USB (live)"
        onClick={() => onNavigate('bench')}
      />
      {staging.running && (
        <Item
          testId="status-staging"
          icon={<SyncIcon sx={{ animation: 'spin 1.2s linear infinite', '@keyframes spin': { to: { transform: 'rotate(360deg)' } } }} />}
          label={`Staging ${staging.done}/${staging.total}`}
          color="primary.main"
          title="A staging job is running"
          onClick={() => onNavigate('bench')}
        />
      )}
      <Box sx={{ flexGrow: 1 }} />
      {info && (
        <Stack direction="row" spacing={0.5}>
          <Item testId="status-usbmuxd" icon={<UsbIcon />} label={`usbmuxd ${info.usbmuxdAddress}`} title="Where StageBench reaches usbmuxd" />
          <Item testId="status-version" icon={<Box component="span" />} label={`v${info.version}`} title={`Data directory: ${info.dataDir}`} onClick={() => onNavigate('settings')} />
        </Stack>
      )}
    </Box>
  );
}
