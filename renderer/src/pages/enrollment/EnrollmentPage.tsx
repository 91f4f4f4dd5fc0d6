/**
 * Enrollment (ABM) page: the ABM servers; a server's Device Enrollment profiles and devices; the
 * profile editor. Which view is open is kept in this component (servers → server tab → editor).
 * Without the ADE service an empty state explains the page.
 */
import { useCallback, useEffect, useState } from 'react';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import PhonelinkSetupIcon from '@mui/icons-material/PhonelinkSetup';
import type { AppStatus } from '../../../../main/ipc/contract';
import type { DepServerOut } from '../../../../main/ipc/contract-dep';
import { api } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import type { PageId } from '../../shell/nav';
import { TokenExpiryChip } from './dep-ui';
import { DevicesPanel, type DeviceScope } from './DevicesPanel';
import { ProfileEditor } from './ProfileEditor';
import { ProfilesPanel } from './ProfilesPanel';
import { ServersView } from './ServersView';

/** Props: status (features) and navigation. */
export interface EnrollmentPageProps {
  status: AppStatus | null;
  onNavigate: (page: PageId) => void;
}

type View =
  | { kind: 'servers' }
  | { kind: 'server'; server: DepServerOut; tab: 'profiles' | 'devices'; scope: DeviceScope }
  | { kind: 'editor'; server: DepServerOut; profileId: string | null };

function ServerHeader({ server, onBack }: { server: DepServerOut; onBack: () => void }) {
  return (
    <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
      <Button startIcon={<ArrowBackIcon />} onClick={onBack}>ABM servers</Button>
      <Stack sx={{ flexGrow: 1, minWidth: 0 }}>
        <Typography variant="h6" component="h2" noWrap data-testid="server-title">{server.name}</Typography>
        <Typography variant="caption" color="text.secondary">
          {[server.appleAccount, server.orgName].filter(Boolean).join(' · ') || 'Not tested yet'} · {server.deviceCount.toLocaleString()} devices
        </Typography>
      </Stack>
      {server.tokenExpires && <Typography variant="body2" color="text.secondary">Token expires</Typography>}
      <TokenExpiryChip server={server} />
      {!server.hasToken && <Chip size="small" label="Upload the token on the server list" />}
    </Stack>
  );
}

function Ade() {
  const [view, setView] = useState<View>({ kind: 'servers' });
  // Re-read the server when coming back to it (counts change after saves and assignments).
  const refresh = useCallback((server: DepServerOut, next: (s: DepServerOut) => View) => {
    api().invoke('dep:servers').then((all) => setView(next(all.find((s) => s.id === server.id) ?? server))).catch(() => setView(next(server)));
  }, []);
  useEffect(() => {
    document.querySelector('main')?.scrollTo?.({ top: 0 });
  }, [view.kind]);

  if (view.kind === 'servers') {
    return (
      <ServersView
        onOpen={(server, tab) => setView({ kind: 'server', server, tab, scope: 'all' })}
        onNewProfile={(server) => setView({ kind: 'editor', server, profileId: null })}
      />
    );
  }
  if (view.kind === 'editor') {
    return <ProfileEditor server={view.server} profileId={view.profileId} onDone={() => refresh(view.server, (server) => ({ kind: 'server', server, tab: 'profiles', scope: 'all' }))} />;
  }
  const { server, tab, scope } = view;
  return (
    <Stack spacing={2} data-testid="dep-server-detail">
      <ServerHeader server={server} onBack={() => setView({ kind: 'servers' })} />
      <Tabs value={tab} onChange={(_e, t: 'profiles' | 'devices') => refresh(server, (s) => ({ kind: 'server', server: s, tab: t, scope }))} sx={{ borderBottom: 1, borderColor: 'divider' }}>
        <Tab value="profiles" label="Enrollment profiles" />
        <Tab value="devices" label="Devices" />
      </Tabs>
      {tab === 'profiles' ? (
        <ProfilesPanel server={server} onEdit={(profileId) => setView({ kind: 'editor', server, profileId })} onDevices={(profileId) => setView({ kind: 'server', server, tab: 'devices', scope: profileId })} />
      ) : (
        <DevicesPanel server={server} scope={scope} onScope={(s) => setView({ kind: 'server', server, tab, scope: s })} />
      )}
    </Stack>
  );
}

/** The Enrollment (ABM) page. */
export function EnrollmentPage({ status, onNavigate }: EnrollmentPageProps) {
  if (status?.features.ade) return <Ade />;
  return (
    <EmptyState
      testId="enrollment-empty"
      icon={<PhonelinkSetupIcon />}
      title="Automated Device Enrollment is not available yet"
      steps={[
        'In Apple Business Manager, add an MDM server and download its server token (.p7m).',
        'Drop the .p7m file onto this window to upload it (available with the ADE service).',
        'Assign enrollment profiles to devices by serial number, then stage them at the bench.',
      ]}
      primary={{ label: 'Stage devices at the bench', onClick: () => onNavigate('bench') }}
      secondary={{ label: 'Build an enrollment profile', onClick: () => onNavigate('profiles') }}
    >
      This page will hold your Apple Business Manager servers, their tokens, the devices assigned to them and the ADE enrollment
      profiles. Until then, stage devices over USB with a signed enrollment profile.
    </EmptyState>
  );
}
