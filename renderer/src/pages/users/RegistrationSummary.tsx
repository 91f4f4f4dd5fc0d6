/** A short card saying what invitations will carry under the current Device Registration settings, with a link to change them. */
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import TuneIcon from '@mui/icons-material/Tune';
import type { RegistrationSettingsView } from '../../../../main/ipc/contract-registration';
import { SectionCard } from '../../components/SectionCard';
import { MONO_STACK } from '../../theme';

/** Props: the settings view and the opener of the settings tab. */
export interface RegistrationSummaryProps {
  view: RegistrationSettingsView | null;
  onOpenSettings: () => void;
}

/** The summary card. */
export function RegistrationSummary({ view, onOpenSettings }: RegistrationSummaryProps) {
  const s = view?.settings;
  return (
    <SectionCard title="Invitations will carry" actions={<Button size="small" startIcon={<TuneIcon />} onClick={onOpenSettings}>Settings</Button>} testId="registration-summary">
      {!view || !s ? (
        <Typography variant="body2" color="text.secondary">Loading…</Typography>
      ) : view.registrationUrl === null ? (
        <Alert severity="warning" action={<Button color="inherit" size="small" onClick={onOpenSettings}>Set it</Button>}>
          Set the tenant server URL in Registration settings before inviting: invitations link to it.
        </Alert>
      ) : (
        <Stack spacing={1}>
          <Typography variant="body2" sx={{ fontFamily: MONO_STACK, wordBreak: 'break-all' }}>{view.registrationUrl}</Typography>
          <Typography variant="body2" color="text.secondary">
            {view.invitationNeedsPin ? `A one-time ${s.pinLength}-digit registration PIN, valid ${s.pinLifetimeHours} h, and QR codes.` : 'No registration PIN (the requirements ask only for the password); a QR code of the link.'}
            {s.serverNameLookup ? ' Server Name Lookup: users enter their email domain.' : ''}
          </Typography>
        </Stack>
      )}
    </SectionCard>
  );
}
