/**
 * Users & Invitations page, in four tabs:
 * - Users: registration users (search, sort, LDAP marker, User Portal role), add / edit, CSV import
 *   with a row-level report, CSV export, and Invite for the selected users;
 * - Invitations: status of every invitation, resend (new PIN, shown once) and revoke;
 * - Invitation template: per-language editor with a live, HTML-escaped preview;
 * - Registration settings: Ivanti's Device Registration settings (PIN, requirements, silent
 *   in-app registration, SAML, Server Name Lookup …). They live here, next to the invitations they
 *   shape, rather than under the workstation Settings page.
 * Issued invitations (PINs, QR codes, printable sheets) open in one dialog, the only place a PIN
 * is ever shown. Until the registration service is wired an empty state explains the page.
 */
import { useCallback, useEffect, useState } from 'react';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import BadgeIcon from '@mui/icons-material/Badge';
import type { AppStatus } from '../../../../main/ipc/contract';
import type { IssuedInvitationOut, RegistrationSettingsView, RegistrationUserOut } from '../../../../main/ipc/contract-registration';
import { api, messageOf } from '../../api';
import { EmptyState } from '../../components/EmptyState';
import { useToast } from '../../components/Toasts';
import type { PageId } from '../../shell/nav';
import { InvitationsTab } from './InvitationsTab';
import { InviteDialog } from './InviteDialog';
import { IssuedDialog } from './IssuedDialog';
import { RegistrationSettingsTab } from './RegistrationSettingsTab';
import { TemplateTab } from './TemplateTab';
import { UsersTab } from './UsersTab';

/** Props: status (features) and navigation. */
export interface UsersPageProps {
  status: AppStatus | null;
  onNavigate: (page: PageId) => void;
}

type TabId = 'users' | 'invitations' | 'template' | 'settings';

function RegistrationArea() {
  const toast = useToast();
  const [tab, setTab] = useState<TabId>('users');
  const [view, setView] = useState<RegistrationSettingsView | null>(null);
  const [inviting, setInviting] = useState<RegistrationUserOut[] | null>(null);
  const [issued, setIssued] = useState<{ list: IssuedInvitationOut[]; resent: boolean } | null>(null);
  const [version, setVersion] = useState(0);
  const bump = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    api()
      .invoke('registration:settings-get')
      .then(setView)
      .catch((err: unknown) => toast({ severity: 'error', message: `Registration settings could not be loaded: ${messageOf(err)}` }));
  }, [toast]);
  const openSettings = () => {
    setInviting(null);
    setTab('settings');
  };
  return (
    <Stack spacing={2.5} data-testid="users-page">
      <Tabs value={tab} onChange={(_, v: TabId) => setTab(v)} aria-label="Users and invitations" sx={{ borderBottom: 1, borderColor: 'divider' }}>
        <Tab value="users" label="Users" />
        <Tab value="invitations" label="Invitations" />
        <Tab value="template" label="Invitation template" />
        <Tab value="settings" label="Registration settings" />
      </Tabs>
      {tab === 'users' && <UsersTab view={view} onInvite={setInviting} onOpenSettings={openSettings} version={version} />}
      {tab === 'invitations' && <InvitationsTab version={version} onResent={(list) => setIssued({ list, resent: true })} onOpenUsers={() => setTab('users')} />}
      {tab === 'template' && <TemplateTab settingsVersion={view?.settings.updatedAt ?? ''} />}
      {tab === 'settings' && <RegistrationSettingsTab view={view} onSaved={setView} />}
      <InviteDialog
        users={inviting}
        view={view}
        onClose={() => setInviting(null)}
        onOpenSettings={openSettings}
        onIssued={(list) => {
          setInviting(null);
          setIssued({ list, resent: false });
          bump();
        }}
      />
      <IssuedDialog
        issued={issued?.list ?? null}
        resent={issued?.resent}
        onClose={() => {
          setIssued(null);
          bump();
        }}
      />
    </Stack>
  );
}

/** The Users & Invitations page. */
export function UsersPage({ status, onNavigate }: UsersPageProps) {
  if (status?.features.users) return <RegistrationArea />;
  return (
    <EmptyState
      testId="users-empty"
      icon={<BadgeIcon />}
      title="Users & invitations are not available yet"
      steps={[
        'Users: add them one by one, or drop a .csv file exported from your directory onto this window.',
        'Invitations: send each user a registration link with a one-time PIN, printable as PDF sheets for the bench.',
        'Track who registered which device, and resend or revoke open invitations.',
      ]}
      primary={{ label: 'Set up tenant sync', onClick: () => onNavigate('sync') }}
      secondary={{ label: 'Stage devices meanwhile', onClick: () => onNavigate('bench') }}
    >
      This page will hold the registration users of your Ivanti tenant and their enrollment invitations. It opens as soon as the
      registration service is installed on this workstation.
    </EmptyState>
  );
}
