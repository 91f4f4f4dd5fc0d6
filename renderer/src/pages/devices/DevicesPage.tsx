/**
 * Devices page: every device in one virtualized table — the tenant inventory once its service is
 * wired (lifecycle actions on the selection), until then the devices seen at this bench.
 */
import { useCallback, useState } from 'react';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import DevicesOtherIcon from '@mui/icons-material/DevicesOther';
import UsbIcon from '@mui/icons-material/Usb';
import type { TableDescriptionOut } from '../../../../main/ipc/contract';
import { EmptyState } from '../../components/EmptyState';
import type { PageId } from '../../shell/nav';
import { DataTable } from '../../table/DataTable';

/** Props: search to start with (from the palette) and navigation. */
export interface DevicesPageProps {
  initialSearch?: string;
  onNavigate: (page: PageId) => void;
}

/** The Devices page. */
export function DevicesPage({ initialSearch, onNavigate }: DevicesPageProps) {
  const [desc, setDesc] = useState<TableDescriptionOut | null>(null);
  const onDescribed = useCallback((d: TableDescriptionOut) => setDesc(d), []);
  return (
    <Stack spacing={2} sx={{ flexGrow: 1, minHeight: 0 }} data-testid="devices-page">
      {desc && (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Chip size="small" label={desc.sourceLabel} color={desc.source === 'inventory' ? 'primary' : 'default'} variant="outlined" data-testid="devices-source" />
          {desc.source === 'bench-cache' && (
            <Typography variant="body2" color="text.secondary">
              Tenant devices, their owners and lifecycle actions (retire, wipe) appear here once the tenant inventory is connected on the Sync page.
            </Typography>
          )}
        </Stack>
      )}
      <DataTable
        table="devices"
        noun="devices"
        initialSearch={initialSearch}
        onDescribed={onDescribed}
        emptyState={
          <EmptyState
            bare
            icon={desc?.source === 'inventory' ? <DevicesOtherIcon /> : <UsbIcon />}
            title="No devices yet"
            steps={[
              'Connect an iPhone, iPad or Apple TV to this workstation over USB.',
              'Stage it from the Bench page: it is recorded here with its serial number, UDID and model.',
              'Connect the tenant on the Sync page to see every tenant device here.',
            ]}
            primary={{ label: 'Open the Bench', onClick: () => onNavigate('bench'), icon: <UsbIcon /> }}
            secondary={{ label: 'Set up sync', onClick: () => onNavigate('sync') }}
          >
            This table lists every device — searchable by serial number, UDID or name, with filters, CSV export and bulk actions.
          </EmptyState>
        }
      />
    </Stack>
  );
}
